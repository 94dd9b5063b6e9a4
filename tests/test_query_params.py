"""Query parameters are checked against the graph before a saved query runs: a value naming nothing of the
parameter's kind is an error (exit 2) with the closest nodes as suggestions, on the CLI, against a remote endpoint
and in the server's query form; names and codes resolve to the node they name."""

from __future__ import annotations

import csv
import io
import shlex
import subprocess
import sys
from urllib.parse import quote

import pytest

from gfmdkg.sparql.params import checked_values, pattern
from tests.serve_process import ServeProcess


def query(project, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gfmdkg", "--project", str(project.root), "query", *args],
                          capture_output=True, text=True, timeout=300)


def practices(done: subprocess.CompletedProcess) -> set[str]:
    assert done.returncode == 0, done.stderr
    return {row["practice"] for row in csv.DictReader(io.StringIO(done.stdout))}


def rows_of(engine):
    return lambda text, bindings: engine.query(text, bindings).rows


def test_truncated_recommendation_is_an_error_with_the_full_name_suggested(project):
    done = query(project, "practices-by-recommendation", "-p", "rec=rec:bp-ethical-recruitment")
    assert done.returncode == 2 and done.stdout == ""
    first, hint = done.stderr.splitlines()[:2]
    assert first == ("gfmdkg: error: query 'practices-by-recommendation', parameter 'rec': there is no "
                     "recommendation 'rec:bp-ethical-recruitment' in the graph")
    assert hint.startswith("  what to do: did you mean rec:bp-ethical-recruitment-health (")
    assert "Traceback" not in done.stderr
    full = query(project, "practices-by-recommendation", "-p", "rec=rec:bp-ethical-recruitment-health", "-f", "csv")
    assert practices(full)


def test_unknown_country_is_an_error_and_names_and_codes_resolve(project):
    done = query(project, "practices-by-country", "-p", "country=Atlantis")
    assert done.returncode == 2
    assert "parameter 'country': there is no country 'Atlantis' in the graph" in done.stderr
    assert "what to do: " in done.stderr and "Traceback" not in done.stderr
    by_code = practices(query(project, "practices-by-country", "-p", "country=GHA", "-f", "csv"))
    assert by_code
    for spelling in ("ghana", "  Ghana ", "country:GHA", "https://w3id.org/gfmdkg/id/country/GHA"):
        assert practices(query(project, "practices-by-country", "-p", f"country={spelling}", "-f", "csv")) == by_code


def test_every_kind_refuses_a_typo_and_accepts_its_example(engine, catalogue):
    """Each parameter with a kind: its documented example passes unchanged, a typo of it is refused."""
    from gfmdkg.errors import GfmdkgError

    checked = 0
    for saved in catalogue.values():
        args = shlex.split(saved.example)
        example = dict(args[i + 1].split("=", 1) for i, a in enumerate(args) if a == "-p")
        for param in saved.params:
            if not param.kind or param.name not in example:
                continue
            pattern(saved, param)  # every kind is known or has a pattern
            good = example[param.name]
            assert checked_values(saved, {param.name: good}, rows_of(engine)) == {param.name: good}, saved.name
            with pytest.raises(GfmdkgError, match=f"parameter '{param.name}': there is no {param.kind} "):
                checked_values(saved, {param.name: good + "-typo"}, rows_of(engine))
            checked += 1
    assert checked >= 12


def test_labels_and_numbers_resolve_to_the_node(engine, catalogue):
    rows = rows_of(engine)
    tag = checked_values(catalogue["practices-by-tag"], {"tag": "Migration and health"}, rows)
    assert tag == {"tag": "https://w3id.org/gfmdkg/vocab/tag/migration-and-health"}
    gcm = checked_values(catalogue["practices-by-gcm-objective"], {"objective": "19"}, rows)
    assert gcm == {"objective": "https://w3id.org/gfmdkg/vocab/gcm-objective/19"}
    assert checked_values(catalogue["quantitative-facts"], {"unit": "no such unit"}, rows) == {"unit": "no such unit"}


def test_remote_endpoint_gets_the_same_check(project, oxigraph, tmp_path):
    from click.testing import CliRunner

    from gfmdkg.cli import cli

    nq = tmp_path / "graph.nq"
    assert CliRunner().invoke(cli, ["--project", str(project.root), "export", "-f", "nq", "-o", str(nq)]).exit_code == 0
    oxigraph.load(nq)
    done = query(project, "practices-by-recommendation", "-p", "rec=rec:bp-ethical-recruitment",
                 "--endpoint", oxigraph.query_url)
    assert done.returncode == 2 and "did you mean rec:bp-ethical-recruitment-health" in done.stderr
    ok = query(project, "practices-by-country", "-p", "country=ghana", "-f", "csv", "--endpoint", oxigraph.query_url)
    assert practices(ok) == practices(query(project, "practices-by-country", "-p", "country=GHA", "-f", "csv"))


@pytest.mark.server
def test_server_query_form_uses_the_same_check(repo):
    import urllib.request

    server = ServeProcess("--timeout", "5", cwd=repo).start()
    try:
        def page(path: str) -> str:
            with urllib.request.urlopen(server.base + path, timeout=30) as resp:
                return resp.read().decode()
        html = page("/queries/practices-by-recommendation?rec=" + quote("rec:bp-ethical-recruitment"))
        assert "there is no recommendation" in html and "rec:bp-ethical-recruitment-health" in html
        assert "Answer (" not in html
        by_name = page("/queries/practices-by-country?country=ghana")
        by_code = page("/queries/practices-by-country?country=GHA")
        assert "Answer (0 rows)" not in by_name and by_name.count("/id/practice/") == by_code.count("/id/practice/")
    finally:
        server.stop()
