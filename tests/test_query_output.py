"""`gfmdkg query` output: answers serialised by pyoxigraph in the worker (CSV, JSON) equal the formatted ones,
CSV cells never start like a spreadsheet formula, the table is paged, --limit/--offset take a page of the query's own
answer, and the guard's verdicts are remembered only for accepted queries."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from gfmdkg.cli import cli
from gfmdkg.errors import QueryRefused
from gfmdkg.sparql import formats, verdicts
from gfmdkg.sparql.catalogue import resolve
from gfmdkg.sparql.paging import paged
from gfmdkg.store import memo, open_engine
from gfmdkg.store.loading import load_into


def query(project, *args: str) -> str:
    res = CliRunner().invoke(cli, ["--project", str(project.root), "query", *args])
    assert res.exit_code == 0, res.output
    return res.stdout_bytes.decode("utf-8")  # as written: CRLF line ends kept


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("name", ["practices-by-organisation", "co-partnership-network", "bibliography"])
def test_serialised_answers_are_pyoxigraphs_and_equal_the_formatted_ones(project, name):
    saved = resolve(name, project.query_files())
    store = ox.Store()
    load_into(store, project)
    direct = store.query(saved.text, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.CSV)
    out = query(project, name, "-f", "csv")
    assert out.endswith("\r\n") and out.count("\r\n") == direct.count(b"\r\n")
    # the same rows (ties of ORDER BY may come in another order from the on-disk index than from memory)
    assert sorted(out.encode().split(b"\r\n")) == sorted(formats.safe_csv(direct).split(b"\r\n"))
    result = open_engine(project).query(saved.text)  # the decoded answer, formatted by gfmdkg itself
    assert csv_rows(out) == csv_rows(formats.format_result(result, "csv"))
    assert json.loads(query(project, name, "-f", "json")) == result.to_json()
    tsv = query(project, name, "-f", "tsv").splitlines()
    assert tsv[0].split("\t") == ["?" + v for v in result.vars] and len(tsv) == len(result.rows) + 1


def test_limit_and_offset_take_a_page_of_the_answer(project):
    full = csv_rows(query(project, "practices-by-organisation", "-f", "csv"))
    assert len(full) > 12
    page = csv_rows(query(project, "practices-by-organisation", "-f", "csv", "--limit", "5", "--offset", "7"))
    assert page == [full[0]] + full[8:13]
    assert csv_rows(query(project, "practices-by-organisation", "-f", "csv", "--offset", str(len(full)))) == [full[0]]
    # a query's own LIMIT/OFFSET stay in force: the page is taken inside them
    assert paged("SELECT * { ?s ?p ?o } ORDER BY ?s LIMIT 10 OFFSET 5", 20, 8).split()[-4:] == \
        ["OFFSET", "13", "LIMIT", "2"]
    assert paged("SELECT * { ?s ?p ?o } # LIMIT 3\n", 4).split("\n")[-2] == "OFFSET 0 LIMIT 4"  # comments untouched


def test_table_is_paged(project, monkeypatch):
    monkeypatch.setattr(formats, "TABLE_PAGE", 4)
    full = csv_rows(query(project, "practices-by-organisation", "-f", "csv"))
    table = query(project, "practices-by-organisation", "--wide").splitlines()  # one line per row
    assert table[-1] == f"{len(full) - 1} rows (the first 4 shown: page with --limit/--offset, or -f csv for all)"
    assert sum(1 for line in table if line.startswith("| ")) == 1 + 4


def test_csv_cells_never_start_a_formula(project, tmp_path):
    q = tmp_path / "formula.rq"
    q.write_text('SELECT ?a ?b ?c ?d WHERE { VALUES (?a ?b ?c ?d) { ("=HYPERLINK(1)" "-2" "plain" "a\\n=b") } }')
    rows = csv_rows(query(project, str(q), "-f", "csv"))
    assert rows == [["a", "b", "c", "d"], ["'=HYPERLINK(1)", "-2", "plain", "a\n=b"]]  # a number stays a number
    assert formats.safe_csv(b"x,y\r\nplain,\r\n") == b"x,y\r\nplain,\r\n"  # nothing to do: the bytes as they are


def test_accepted_verdicts_are_remembered_refusals_never(tmp_path, monkeypatch):
    monkeypatch.setenv("GFMDKG_CACHE", str(tmp_path))
    ok = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
    assert verdicts.checked_text(ok, allowed_graphs={"urn:g"}) == ok
    digest = verdicts._key(ok, {"urn:g"})
    assert memo.get(verdicts.KIND, digest) == digest
    bad = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"
    for _ in range(2):
        with pytest.raises(QueryRefused):
            verdicts.checked_text(bad)
    assert memo.get(verdicts.KIND, verdicts._key(bad, None)) is None
    # a cached acceptance is for that text, those graphs and that guard only
    assert verdicts._key(ok, {"urn:other"}) != digest and verdicts._key(ok, None) != digest
    monkeypatch.setattr(verdicts, "guard_version", lambda: "another guard")
    assert verdicts._key(ok, {"urn:g"}) != digest
    # a forged entry for a refused text is only ever a file the user alone can write; and a corrupt one is ignored
    memo.put(verdicts.KIND, verdicts._key(bad, None), "not the digest")
    with pytest.raises(QueryRefused):
        verdicts.checked_text(bad)
    assert (tmp_path / "memo").stat().st_mode & 0o077 == 0


def test_a_remembered_query_starts_without_rdflib(project, tmp_path):
    """The second run of a saved query imports neither rdflib (the guard's parser) nor PyYAML (the header)."""
    code = ("import sys; from gfmdkg.cli import main; sys.argv = ['gfmdkg', 'query', 'bibliography', '-f', 'csv'];"
            "import atexit; atexit.register(lambda: print(sorted(m for m in ('rdflib', 'yaml', 'pyparsing') "
            "if m in sys.modules), file=sys.stderr)); main()")
    env = {"GFMDKG_CACHE": str(tmp_path), "GFMDKG_PROJECT": str(project.root), "PATH": "/usr/bin:/bin",
           "PYTHONPATH": str(project.root)}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == second.returncode == 0, second.stderr
    assert first.stdout == second.stdout
    assert "rdflib" in first.stderr
    assert second.stderr.strip().splitlines()[-1] == "[]"
