"""Saved queries as forms on a real ``gfmdkg serve``: every parameter a drop-down or a search box with suggestions
taken from the graph, sent by GET; the address the form makes answers with the same rows as ``gfmdkg query`` on the
command line (as a table on the page, and as JSON, CSV or TSV from the same address)."""

from __future__ import annotations

# ruff: noqa: F811 - tests take the shared `server` fixture (one gfmdkg serve of the project) as an argument

import json
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest

from gfmdkg.sparql.catalogue import load_catalogue

pytestmark = pytest.mark.server
TRIES = 6  # candidates tried per query until one has an answer with rows


@pytest.fixture(scope="module")
def saved(project):
    return load_catalogue([p for p in project.query_files() if p.parent.name != "qc"])


class Form(HTMLParser):
    """The controls of a page's ``form.params``: name -> (kind, current value, candidate values)."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.controls: dict[str, list] = {}
        self.lists: dict[str, list[str]] = {}
        self._in_form = False
        self._select: str | None = None
        self._datalist: str | None = None
        self.rows = 0
        self._tbody = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "params" in (a.get("class") or ""):
            self._in_form, self.action = True, a["action"]
        elif tag == "tbody":
            self._tbody = True
        elif tag == "tr" and self._tbody:
            self.rows += 1
        if not self._in_form:
            return
        if tag == "input" and a.get("name"):
            self.controls[a["name"]] = [a.get("type") or "text", a.get("value") or "", a.get("list")]
        elif tag == "select":
            self._select = a["name"]
            self.controls[a["name"]] = ["select", "", []]
        elif tag == "datalist":
            self._datalist = a["id"]
            self.lists[a["id"]] = []
        elif tag == "option" and self._select:
            self.controls[self._select][2].append(a["value"])
            if "selected" in a:
                self.controls[self._select][1] = a["value"]
        elif tag == "option" and self._datalist:
            self.lists[self._datalist].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "datalist":
            self._datalist = None
        elif tag == "tbody":
            self._tbody = False

    def candidates(self, name: str) -> list[str]:
        kind, _value, choices = self.controls[name]
        found = self.lists.get(choices, []) if kind == "search" else choices if kind == "select" else []
        return [c for c in found if c]


def get(server, path: str, accept: str | None = None) -> tuple[int, str, bytes]:
    req = Request(server.base + path, headers={"Accept": accept} if accept else {})
    try:
        with urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def form(server, path: str) -> Form:
    status, _ctype, body = get(server, path)
    assert status == 200, body[:300]
    parsed = Form()
    parsed.feed(body.decode("utf-8"))
    return parsed


def submitted(page: Form, values: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The address a browser goes to when the form is sent with ``values`` (the rest as shown), and the parameters
    it sends."""
    fields = {name: values.get(name, value) for name, (_kind, value, _c) in page.controls.items()}
    return page.action + "?" + urlencode(fields), {k: v for k, v in fields.items() if k != "run" and v}


def cli(repo, name: str, values: dict[str, str], fmt: str) -> bytes:
    args = [a for k, v in values.items() if v for a in ("-p", f"{k}={v}")]
    proc = subprocess.run([sys.executable, "-m", "gfmdkg", "query", name, *args, "-f", fmt], cwd=repo,
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    return proc.stdout


def rows_of(data: bytes, form_name: str) -> tuple[list[str], Counter] | object:
    """An answer as comparable values: SELECT (vars, multiset of rows); a graph as an rdflib graph."""
    if form_name == "CONSTRUCT":
        import rdflib
        return rdflib.Graph().parse(data=data, format="json-ld")
    doc = json.loads(data)
    return doc["head"]["vars"], Counter(frozenset((v, t["type"], t["value"], t.get("datatype"), t.get("xml:lang"))
                                                  for v, t in row.items()) for row in doc["results"]["bindings"])


def same(a, b, form_name: str) -> bool:
    if form_name == "CONSTRUCT":
        from rdflib.compare import isomorphic
        return isomorphic(a, b)
    return a == b


def size(answer, form_name: str) -> int:
    return len(answer) if form_name == "CONSTRUCT" else sum(answer[1].values())


def answers_as_the_cli(server, repo, page: Form, query, values: dict[str, str]):
    """The answer of the form sent with ``values``: as JSON (format=json) the rows of ``gfmdkg query NAME -p ...
    -f json`` with the same parameters, and as many rows in the page's table."""
    address, sent = submitted(page, values)
    status, _ctype, body = get(server, address + "&format=json")
    assert status == 200, (address, body[:500])
    answer = rows_of(body, query.form)
    expected = rows_of(cli(repo, query.name, sent, "json"), query.form)
    assert same(answer, expected, query.form), f"{query.name} {sent}: the form's answer differs from the CLI's"
    shown = form(server, address)
    assert shown.rows == size(answer, query.form), f"{query.name} {sent}: the page shows {shown.rows} rows"
    return answer


def test_every_saved_query_form_answers_as_the_cli(server, saved, repo):
    """For every saved query, the form's GET address gives the CLI's rows: with a value from the form's own list
    for its first listed parameter (the first of those values that has an answer with rows), then with every
    parameter set (the first listed value of each; yes for a boolean)."""
    checked = {}
    for name, query in saved.items():
        page = form(server, f"/queries/{name}")
        listed = [p.name for p in query.params if page.candidates(p.name) and p.type != "boolean"]
        assert [p.name for p in query.params if p.kind or p.choices] == listed, f"{name}: a parameter has no list"
        assert not any(p.required for p in query.params if p.name not in listed), name
        tries = [{}] if not listed else [{listed[0]: c} for c in page.candidates(listed[0])[:TRIES]]
        for values in tries:
            answer = answers_as_the_cli(server, repo, page, query, values)
            if size(answer, query.form):
                break
        assert size(answer, query.form) or not listed, f"{name}: no value of the form's list gives rows: {tries}"
        checked[name] = values
        others = {p.name: "true" if p.type == "boolean" else page.candidates(p.name)[0]
                  for p in query.params if p.name not in values and (p.type == "boolean" or p.name in listed)}
        if others:
            answers_as_the_cli(server, repo, page, query, {**values, **others})
            checked[name] = {**values, **others}
    assert len(checked) == len(saved) >= 20


def test_download_by_accept_and_format_is_the_clis(server, repo):
    """CSV and TSV from the form's address (format= or Accept) are byte for byte what the CLI writes."""
    values = {"rec": "rec:bp-diaspora-participation"}
    address = "/queries/practices-by-recommendation?" + urlencode({**values, "run": "1", "source_only": ""})
    for fmt, media in (("csv", "text/csv"), ("tsv", "text/tab-separated-values")):
        expected = cli(repo, "practices-by-recommendation", values, fmt)
        status, ctype, body = get(server, address + "&format=" + fmt)
        assert (status, ctype.split(";")[0]) == (200, media)
        assert body == expected
        status, ctype, body = get(server, address, accept=media)
        assert (status, ctype.split(";")[0], body) == (200, media, expected)
    status, ctype, _ = get(server, address, accept="text/html,application/xml;q=0.9,*/*;q=0.8")  # a browser
    assert ctype.startswith("text/html")


def test_download_errors_are_plain_and_located(server):
    status, _ctype, body = get(server, "/queries/practices-by-recommendation?rec=rec:bp-ethical-recruitment"
                                       "&format=csv")
    assert status == 400 and b"rec:bp-ethical-recruitment-health" in body  # the suggestion
    status, _ctype, body = get(server, "/queries/practices-by-recommendation?format=docx")
    assert status == 406 and b"format=csv" in body
    status, _ctype, body = get(server, "/queries/organisation-partners?format=json")
    assert status == 400 and b"org" in body  # a required parameter left out


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_choices_are_labelled_in_the_page_language(server, lang):
    """The drop-down of effect directions shows the graph's own labels in the page's language."""
    query = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?l WHERE { "
             "<https://w3id.org/gfmdkg/vocab/effect-direction/negative> skos:prefLabel ?l "
             f'FILTER(LANG(?l) = "{lang}") }}')
    status, _c, body = get(server, "/sparql?" + urlencode({"query": query}), "application/sparql-results+json")
    [row] = json.loads(body)["results"]["bindings"]
    status, _c, page = get(server, f"/queries/negative-and-mixed-evidence?lang={lang}")
    assert f'<option value="dir:negative">{row["l"]["value"]}</option>' in page.decode()


def test_long_lists_are_search_boxes_cut_at_the_bound(catalogue):
    """A parameter with more candidates than a drop-down holds gets a search box; more than MAX_OPTIONS are cut
    (the form says so) and the value given stays shown."""
    from gfmdkg.serve import forms

    param = next(p for p in catalogue["practice-profile"].params if p.name == "practice")
    rows = [{"node": {"type": "uri", "value": f"https://w3id.org/gfmdkg/id/practice/p{i:04d}"}}
            for i in range(forms.MAX_OPTIONS + 1)]
    control = forms.control(param, "practice:p0007", rows, {})
    assert (control.widget, len(control.options), control.more) == ("search", forms.MAX_OPTIONS, True)
    assert control.options[0].value == "practice:p0000" and control.value == "practice:p0007"
    few = forms.control(param, "", rows[:forms.MAX_SELECT], {})
    assert (few.widget, few.more, few.blank) == ("select", False, "(choose one)")
