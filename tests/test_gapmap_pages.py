"""The served gap map (``/gapmap``, the home page) and its cells (``/gapmap/cell``) through a real ``gfmdkg serve``:
every non-empty cell opens exactly the practices and findings it counts, and those counts are the documented ones
of the saved query evidence-gap-map; the merge toggle, the filters and the stable columns; ``gfmdkg gapmap -f
html|svg --base`` links that resolve on the running server."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.error import HTTPError
from urllib.parse import parse_qsl, urlencode, urlsplit
from urllib.request import urlopen

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from gfmdkg.cli import cli
from gfmdkg.gapmap import COUNTS, Cell
from gfmdkg.namespaces import BASE
from gfmdkg.sparql.catalogue import expand
from tests.truth import GFMD, Truth, load

pytestmark = pytest.mark.server
SHORT = re.compile(r"([P+\-~o])(\d+)")
SIGNS = {"P": "practices", "+": "positive", "-": "negative", "~": "mixed", "o": "noEffect"}



@pytest.fixture(scope="module")
def truth(repo) -> Truth:
    return Truth(load(repo))


def get(server, path: str) -> str:
    with urlopen(server.base + path, timeout=60) as resp:
        return resp.read().decode("utf-8")


class MapPage(HTMLParser):
    """Rows of table.gapmap: the row's link, and per cell its text and link; the column heads' links."""

    def __init__(self) -> None:
        super().__init__()
        self.columns: list[str] = []
        self.rows: list[dict] = []
        self._in, self._cell, self._hidden = "", None, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "gapmap" in (a.get("class") or ""):
            self._in = "table"
        elif not self._in:
            return
        elif tag == "th" and a.get("scope") == "col":
            self._in = "col"
        elif tag == "th" and a.get("scope") == "row":
            self._in = "row"
            self.rows.append({"href": None, "cells": []})
        elif tag == "td":
            self._cell = {"text": "", "href": None, "class": a.get("class", "")}
            self.rows[-1]["cells"].append(self._cell)
        elif tag == "a" and self._cell is not None:
            self._cell["href"] = a["href"]
        elif tag == "a" and self._in == "col":
            self.columns.append(a["href"])
        elif tag == "a" and self._in == "row" and self.rows[-1]["href"] is None:
            self.rows[-1]["href"] = a["href"]
        elif tag == "span" and self._cell is not None and a.get("aria-hidden") == "true":
            self._hidden = True

    def handle_endtag(self, tag):
        if tag == "table":
            self._in = ""
        elif tag == "th" and self._in in ("col", "row"):
            self._in = "table"
        elif tag == "td":
            self._cell = None
        elif tag == "span":
            self._hidden = False

    def handle_data(self, data):
        if self._hidden and self._cell is not None:
            self._cell["text"] += data


class CellPage(HTMLParser):
    """The item links of a cell page, by the count they are listed under (ul.cell-items[data-count])."""

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, list[str]] = {}
        self._count = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "ul" and "cell-items" in (a.get("class") or ""):
            self._count = a["data-count"]
            self.items.setdefault(self._count, [])
        elif tag == "a" and self._count:
            self.items[self._count].append(BASE + a["href"].lstrip("/"))

    def handle_endtag(self, tag):
        if tag == "ul":
            self._count = None


def parse_map(html: str) -> MapPage:
    page = MapPage()
    page.feed(html)
    assert page.rows and page.columns
    return page


def counts_of(text: str) -> dict[str, int]:
    """``P2 -2 ~1`` -> {practices: 2, negative: 2, mixed: 1, ...}; ``gap`` -> all zero."""
    found = {SIGNS[s]: int(n) for s, n in SHORT.findall(text)}
    return {k: found.get(k, 0) for k in COUNTS if k != "descriptive"}


def opened(server, href: str) -> dict[str, list[str]]:
    page = CellPage()
    page.feed(get(server, href))
    return page.items


def iri_of(href: str) -> str:
    return BASE + href.lstrip("/")


def query_counts(server, name: str = "evidence-gap-map") -> dict:
    """(rec, domain) -> counts, from the saved query ``name`` as the server offers it (JSON download)."""
    doc = json.loads(get(server, f"/queries/{name}?" + urlencode({"run": "1", "format": "json"})))
    return {(b["rec"]["value"], b["domain"]["value"]): {k: int(b[k]["value"]) for k in COUNTS}
            for b in doc["results"]["bindings"]}


@pytest.mark.parametrize(("query", "params"), [("evidence-gap-map", {}),
                                               ("evidence-gap-map-source-only", {"source_only": "1"})])
def test_every_cell_opens_exactly_the_items_the_query_counts(server, query, params):
    """With rows separate, each non-empty cell of /gapmap links to a page listing exactly as many practices and
    findings of each direction as the cell shows and as evidence-gap-map documents (-source-only: the map of what
    the sources state); gaps link nowhere."""
    documented = query_counts(server, query)
    page = parse_map(get(server, "/gapmap?" + urlencode({"separate": "1"} | params)))
    columns = [iri_of(c) for c in page.columns]
    checked = 0
    for row in page.rows:
        rec = iri_of(row["href"])
        for column, cell in zip(columns, row["cells"], strict=True):
            want = documented[(rec, column)]
            assert counts_of(cell["text"]) == {k: v for k, v in want.items() if k != "descriptive"}, (rec, column)
            if Cell(**want).gap:
                assert cell["href"] is None and "gap" in cell["class"]
                continue
            items = opened(server, cell["href"])
            assert {k: len(v) for k, v in items.items()} == {k: n for k, n in want.items() if n}, (rec, column)
            checked += 1
    assert checked == sum(not Cell(**c).gap for c in documented.values()) > (40 if not params else 2)


def test_merged_cells_open_the_union_of_their_members_items(server, truth):
    """The default map (and the home page's) merges each measure with its restatements: a cell lists every item of
    either, once, exactly the ones the documented rule places there (the 'P2 -2' cell opens its 2 practices)."""
    home, page = parse_map(get(server, "/")), parse_map(get(server, "/gapmap"))
    assert [(r["href"], [c["text"] for c in r["cells"]]) for r in home.rows] == \
        [(r["href"], [c["text"] for c in r["cells"]]) for r in page.rows]
    restating = {str(s) for s, _ in truth.g.subject_objects(GFMD.restates)}
    assert len(page.rows) == len(truth.recommendations) - len(restating)
    columns = [iri_of(c) for c in page.columns]
    for row in page.rows:
        rec = URIRef(iri_of(row["href"]))
        members = {rec} | truth.s(GFMD.restates, rec)
        for column, cell in zip(columns, row["cells"], strict=True):
            union = set().union(*(truth.gap_items(m).get(URIRef(column), set()) for m in members))
            effect = {(str(i), k) for i, k in union if k != "descriptive"}
            if not effect:
                assert cell["href"] is None and cell["text"] == "gap"
                continue
            items = opened(server, cell["href"])
            assert {(i, k) for k, v in items.items() for i in v} == {(str(i), k) for i, k in union}, (rec, column)
            assert counts_of(cell["text"]) == {k: sum(c == k for _, c in effect) for k in COUNTS[:-1]}


def test_domain_is_honoured(server, truth):
    """Two cells of one row open different lists: each its own domain's practices (the issue: /practices ignored
    the domain, 27 results for 19 on the map)."""
    rec = "rec:bp-diaspora-participation"
    lists = {}
    for domain in ("od:health", "od:education"):
        items = opened(server, "/gapmap/cell?" + urlencode({"rec": rec, "domain": domain, "separate": "1"}))
        want = truth.gap_items(URIRef(expand(rec)))[URIRef(expand(domain))]
        assert set(items["practices"]) == {str(i) for i, k in want if k == "practices"}
        lists[domain] = set(items["practices"])
    assert lists["od:health"] != lists["od:education"]


@pytest.mark.parametrize("params", [{"region": "region:africa"}, {"channel": "ch:social-remittances"},
                                    {"group": "pg:women", "source": "doc:gfmd2014-rt3-rapporteur-report"},
                                    {"region": "region:asia", "separate": "1"}])
def test_filters_and_stable_columns(server, truth, params):
    """A filter keeps the items with its value, the cells open exactly those; the columns never move."""
    full = parse_map(get(server, "/gapmap"))
    page = parse_map(get(server, "/gapmap?" + urlencode(params)))
    assert page.columns == full.columns
    values_of = {"region": truth.regions, "channel": lambda n: truth.o(n, GFMD.channel),
                 "group": lambda n: truth.o(n, GFMD.populationGroup)}
    seen = 0
    for row in page.rows:
        rec = URIRef(iri_of(row["href"]))
        if "source" in params:
            assert str(truth.g.value(rec, URIRef("http://purl.org/dc/terms/source"))) == expand(params["source"])
        for cell in row["cells"]:
            if cell["href"] is None:
                continue
            assert dict(parse_qsl(urlsplit(cell["href"]).query)).items() >= params.items()
            items = opened(server, cell["href"])
            assert {k: len(v) for k, v in items.items() if k != "descriptive"} == \
                {k: n for k, n in counts_of(cell["text"]).items() if n}
            for name, value in params.items():
                if name in values_of:
                    assert all(URIRef(expand(value)) in values_of[name](URIRef(i)) for v in items.values() for i in v)
            seen += 1
    assert seen


def test_bad_parameters_are_400_with_a_message(server):
    for path in ("/gapmap?region=region:atlantis", "/gapmap/cell?rec=rec:nothing&domain=od:health"):
        with pytest.raises(HTTPError) as err:
            urlopen(server.base + path, timeout=30)
        assert err.value.code == 400


@pytest.mark.parametrize("fmt", ["html", "svg"])
def test_exported_links_resolve_on_the_running_server(server, project, tmp_path, fmt):
    """`gfmdkg gapmap -f html|svg --base URL`: every link opens a page of that server; a cell's link opens exactly
    the items the exported cell counts."""
    out = tmp_path / f"gapmap.{fmt}"
    res = CliRunner().invoke(cli, ["--project", str(project.root), "gapmap", "-f", fmt, "-o", str(out),
                                   "--base", server.base + "/", "--separate"])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', text)
    doc = json.loads(CliRunner().invoke(cli, ["--project", str(project.root), "gapmap", "-f", "json",
                                              "--separate"]).output)
    cells = {(r["iri"], d): c for r in doc["rows"] for d, c in r["cells"].items()}
    assert len([u for u in links if "/gapmap/cell?" in u]) == sum(not c["gap"] for c in cells.values())
    assert len(links) > len(doc["rows"]) + len(doc["columns"])
    for url in links:
        url = url.replace("&amp;", "&")
        assert url.startswith(server.base + "/")
        path = url[len(server.base):]
        if "/gapmap/cell?" not in path:
            assert get(server, path)
            continue
        q = dict(parse_qsl(urlsplit(path).query))
        cell = cells[(expand(q["rec"]), expand(q["domain"]))]
        items = opened(server, path)
        assert {k: len(v) for k, v in items.items()} == {k: cell[k] for k in COUNTS if cell[k]}


def test_practices_list_by_domain_goes_to_the_cell(server, truth):
    """`/practices?rec=R&domain=D` used to ignore the domain; it now opens R's cell in D, with the map's count."""
    path = "/practices?" + urlencode({"rec": "rec:bp-diaspora-participation", "domain": "od:health"})
    with urlopen(server.base + path, timeout=60) as resp:  # follows the 303
        assert urlsplit(resp.url).path == "/gapmap/cell"
        page = CellPage()
        page.feed(resp.read().decode("utf-8"))
    want = truth.gap_items(URIRef(expand("rec:bp-diaspora-participation")))[URIRef(expand("od:health"))]
    assert set(page.items["practices"]) == {str(i) for i, k in want if k == "practices"}
    with pytest.raises(HTTPError) as err:
        urlopen(server.base + "/practices?domain=od:health", timeout=30)
    assert err.value.code == 400
