"""The SPARQL page over HTTP (a real ``gfmdkg serve``): the vendored editor served from the package under a
Content Security Policy that allows the site's own scripts only, the saved queries as examples, errors placed in the
user's own lines. The browser side is tests/test_sparql_editor.py."""

from __future__ import annotations

# ruff: noqa: F811 - tests take the shared `server` fixture (one gfmdkg serve of the project) as an argument

import hashlib
import re
from html import unescape
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest

from gfmdkg.serve import app, editor

VENDOR = Path(app.__file__).parent / "static" / "vendor" / "codemirror"


def get(server, path: str, data: bytes | None = None) -> tuple[int, dict, str]:
    req = Request(server.base + path, data=data, headers={"Accept": "text/html"})
    try:
        with urlopen(req, timeout=60) as resp:
            return resp.status, dict(resp.headers), resp.read().decode()
    except HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


def test_vendored_codemirror_is_the_npm_release():
    """The files are the ones the README records (npm pack codemirror@5.65.21), with the licence beside them."""
    readme = (VENDOR / "README.md").read_text()
    assert "codemirror@5.65.21" in readme and (VENDOR / "LICENSE").read_text().startswith("MIT License")
    recorded = dict(re.findall(r"\| (\S+\.(?:js|css)) \| ([0-9a-f]{64}) \|", readme))
    assert set(recorded) == {"codemirror.js", "codemirror.css", "sparql.js"}
    for name, digest in recorded.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert 'CodeMirror.version = "5.65.21"' in (VENDOR / "codemirror.js").read_text()


@pytest.mark.server
def test_scripts_are_served_from_the_package_under_the_policy(server):
    status, headers, html = get(server, "/sparql")
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe" not in policy and "default-src 'none'" in policy
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert sources == ["/static/vendor/codemirror/codemirror.js", "/static/vendor/codemirror/sparql.js",
                       "/static/editor.js"]
    # every other script element is data, which no browser runs
    assert {t for t in re.findall(r"<script(?! src)([^>]*)>", html)} <= {' type="application/json" id="examples-data"'}
    for path in [*sources, "/static/vendor/codemirror/codemirror.css", "/static/forms.css"]:
        req = Request(server.base + path)
        with urlopen(req, timeout=30) as resp:
            body = resp.read()
            media = resp.headers["Content-Type"].split(";")[0]
        assert media == ("text/css" if path.endswith(".css") else "text/javascript"), path
        assert body == (Path(app.__file__).parent / path.removeprefix("/")).read_bytes(), path


@pytest.mark.server
def test_an_example_opens_in_the_editor_without_javascript(server, catalogue):
    status, _h, html = get(server, "/sparql?example=practices-by-country")
    text = unescape(re.search(r'<textarea id="query"[^>]*>(.*?)</textarea>', html, re.DOTALL).group(1))
    summary = catalogue["practices-by-country"].summary  # the example opens with its plain summary
    assert status == 200 and text.startswith("# " + summary) and "#+" not in text
    status, _h, html = get(server, "/sparql?example=no-such-query")
    assert status == 200 and "gfmd:Practice" in html  # the first query instead


@pytest.mark.server
def test_errors_name_the_users_line(server):
    """The page's errors count lines in the text as typed (the preloaded prefix lines are not the user's)."""
    typed = "SELECT ?x WHERE {\n  ?x a gfmd:Practice ;\n     foo:bar ?y .\n}"
    status, _h, html = get(server, "/sparql", urlencode({"query": typed}).encode())
    assert status == 400 and 'data-line="3" data-column="6"' in html
    assert "line 3, column 6: the prefix &#39;foo:&#39; is not declared" in html
    typed = "SELECT ?x WHERE {\n  ?x a gfmd:Practice\n  FILTER(?x = )\n}"
    status, _h, html = get(server, "/sparql", urlencode({"query": typed}).encode())
    assert status == 400 and 'data-line="3"' in html and "3 |   FILTER(?x = )" in unescape(html)


def test_error_place_and_excerpt():
    place = editor.error_place("the query, line 2, column 5: the prefix 'foo:' is not declared", "A\nSELECT foo:x\n")
    assert (place.line, place.column) == (2, 5)
    assert place.excerpt == "2 | SELECT foo:x\n        ^"  # the caret under column 5
    assert editor.error_place("syntax error at line 9, column 1", "one line") is None  # not in the text
    assert editor.error_place("the query could not be evaluated", "ASK {}") is None
    assert editor.error_place("it stops parsing at line 1, column 80", "ASK {").excerpt == "1 | ASK {"


def test_examples_are_the_saved_queries_without_their_headers(catalogue):
    """Each example is its query's summary as a comment and the query itself, valid SPARQL once the page's
    preloaded prefixes are added, without the YAML header."""
    from gfmdkg.sparql.guard import check_query, query_form
    from gfmdkg.sparql.prefixes import with_prefixes

    for name, query in catalogue.items():
        text = editor.example_text(query)
        assert text.startswith(f"# {query.summary}\n") and "#+" not in text, name
        runnable = with_prefixes(text).text
        check_query(runnable)
        assert query_form(runnable) == query.form, name
