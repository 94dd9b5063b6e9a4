"""Ad-hoc queries: the project's prefixes come by themselves, errors name the file, line and column in one readable
sentence (lines counted in the user's own text), and a missing file says it is missing."""

from __future__ import annotations

import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

from gfmdkg.errors import GfmdkgError
from gfmdkg.namespaces import PREFIXES
from gfmdkg.sparql.messages import located, position
from gfmdkg.sparql.prefixes import mask, with_prefixes
from tests.serve_process import ServeProcess

UNDECLARED = """# practices and what they support, without declaring gfmd:
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?p ?title WHERE {
  ?p a gfmd:Practice ; dcterms:title ?title ; gfmd:supports rec:bp-diaspora-participation .
  FILTER(!CONTAINS(STR(?title), "tag:not-a-prefix"))  # skos:not-used-either
}
"""
#: one syntax error on line 4 (the parser may point anywhere from there to the end)
BROKEN = """SELECT ?p WHERE {
  ?p a gfmd:Practice .
  ?p gfmd:supports ?r .
  FILTER(?p = ) ?r ?r ?r
}
"""


def query(project, *args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gfmdkg", "--project", str(project.root), "query", *args],
                          capture_output=True, text=True, timeout=300, cwd=cwd)


def test_exactly_the_undeclared_prefixes_in_use_are_added():
    done = with_prefixes(UNDECLARED)
    assert done.added == ("gfmd", "rec")  # not dcterms (declared), not tag or skos (in a string, in a comment)
    assert done.text == f"PREFIX gfmd: <{PREFIXES['gfmd']}>\nPREFIX rec: <{PREFIXES['rec']}>\n" + UNDECLARED
    assert with_prefixes("SELECT * { ?s <urn:x:y> 'a:b' , '''c:d''' }").added == ()
    assert len(mask(UNDECLARED)) == len(UNDECLARED) and mask(UNDECLARED).count("\n") == UNDECLARED.count("\n")
    with pytest.raises(GfmdkgError, match=r"^q\.rq, line 2, column 6: the prefix 'foo:' is not declared"):
        with_prefixes("SELECT *\n{ ?s foo:bar ?o }", "q.rq")


def test_positions_are_given_back_in_the_users_lines():
    prefixed = with_prefixes(BROKEN)
    assert prefixed.lines == 1
    engine_error = GfmdkgError('error at 5:16: expected one of "$", "(", [_], \'\\u{00B7}\'')
    err = located(engine_error, "q.rq", prefixed)
    assert str(err).splitlines()[0] == "q.rq, line 4, column 16: the query is not valid SPARQL (syntax error)"
    guard_error = GfmdkgError("the query is not valid SPARQL at line 5, column 3: FILTER needs an expression")
    assert located(guard_error, "q.rq", prefixed).message == \
        "q.rq: the query is not valid SPARQL at line 4, column 3: FILTER needs an expression"
    timeout = GfmdkgError("the query ran longer than its time limit of 1 s and was stopped")
    assert located(timeout, "q.rq", prefixed) is timeout


def test_adhoc_file_runs_with_the_project_prefixes(project, tmp_path):
    adhoc = tmp_path / "mine.rq"
    adhoc.write_text(UNDECLARED, encoding="utf-8")
    declared = tmp_path / "declared.rq"
    declared.write_text(f"PREFIX gfmd: <{PREFIXES['gfmd']}>\nPREFIX rec: <{PREFIXES['rec']}>\n" + UNDECLARED,
                        encoding="utf-8")
    mine, theirs = query(project, str(adhoc), "-f", "csv"), query(project, str(declared), "-f", "csv")
    assert mine.returncode == 0, mine.stderr
    assert mine.stdout == theirs.stdout and len(mine.stdout.splitlines()) > 1


def test_syntax_error_names_file_line_and_column_in_the_users_text(project, tmp_path):
    broken = tmp_path / "broken.rq"
    broken.write_text(BROKEN, encoding="utf-8")
    declared = tmp_path / "declared.rq"  # the same query, one line lower, with nothing added
    declared.write_text(f"PREFIX gfmd: <{PREFIXES['gfmd']}>\n" + BROKEN, encoding="utf-8")
    done, reference = query(project, str(broken)), query(project, str(declared))
    assert done.returncode == reference.returncode == 2
    first = done.stderr.splitlines()[0]
    assert first.startswith(f"gfmdkg: error: {broken}") and len(done.stderr.splitlines()) == 2, done.stderr
    assert "expected one of" not in first and "Traceback" not in done.stderr
    line, column = position(first)
    assert 4 <= line <= BROKEN.count("\n") + 1
    assert position(reference.stderr) == (line + 1, column)


def test_missing_file_and_unknown_name(project, tmp_path):
    done = query(project, "missing.rq", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == "gfmdkg: error: missing.rq: no such query file"
    typo = query(project, "practices-by-contry")
    assert typo.returncode == 2 and "no saved query named 'practices-by-contry'" in typo.stderr
    assert "did you mean practices-by-country" in typo.stderr


@pytest.mark.server
def test_sparql_form_adds_prefixes_and_locates_errors(repo):
    server = ServeProcess("--timeout", "5", cwd=repo).start()

    def form(text: str) -> tuple[int, str]:
        data = urllib.parse.urlencode({"query": text, "format": "html"}).encode()
        request = urllib.request.Request(server.base + "/sparql", data=data, headers={"Accept": "text/html"})
        try:
            with urllib.request.urlopen(request, timeout=30) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()
    try:
        status, html = form(UNDECLARED)
        assert status == 200 and "Answer (" in html and "Answer (0 rows)" not in html
        typed = html.split('<textarea id="query"', 1)[1].split("</textarea>", 1)[0]
        assert "gfmd:" in typed and "PREFIX gfmd:" not in typed  # the query is shown as typed
        status, html = form(BROKEN)
        assert status >= 400
        found = position(html)
        assert found is not None and 4 <= found[0] <= BROKEN.count("\n") + 1, html
        status, html = form("SELECT * { ?s nope:x ?o }")
        assert status == 400 and "the prefix &#39;nope:&#39; is not declared" in html
    finally:
        server.stop()
