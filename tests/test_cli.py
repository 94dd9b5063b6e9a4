"""The command line, through click's runner and through real subprocesses of the installed console script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gfmdkg.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"


def run(*args: str, cwd: Path | None = None, **kw) -> subprocess.CompletedProcess:
    exe = shutil.which("gfmdkg")
    cmd = [exe, *args] if exe else [sys.executable, "-m", "gfmdkg", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=120, **kw)


def test_help_lists_every_command():
    out = CliRunner().invoke(cli, ["--help"]).output
    for name in ("validate", "query", "queries", "export", "stats"):
        assert name in out


@pytest.mark.parametrize("name", ["validate", "query", "queries", "export", "stats"])
def test_every_command_has_help_with_examples(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_validate_shipped_graph_conforms(repo):
    proc = run("validate", cwd=repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "conforms: 0 violations" in proc.stdout


def test_validate_invalid_fixture_names_file_and_node(repo):
    proc = run("validate", "--no-qc", str(FIXTURES / "practice-no-title.ttl"), cwd=repo)
    assert proc.returncode == 1
    assert "tests/fixtures/shapes/practice-no-title.ttl:" in proc.stdout
    assert "<https://example.org/fx/p>" in proc.stdout and "dcterms:title" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_validate_json_and_turtle(repo):
    proc = run("validate", "--no-qc", "-f", "json", str(FIXTURES / "country-bad-notation.ttl"), cwd=repo)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1 and doc["conforms"] is False
    [hit] = [r for r in doc["results"] if r["focus"] == "https://example.org/fx/c"]
    assert hit["path"] == "http://www.w3.org/2004/02/skos/core#notation"
    assert hit["source_shape"] == "https://w3id.org/gfmdkg/shapes#CountryShape"
    proc = run("validate", "--no-qc", "-f", "turtle", str(FIXTURES / "country-bad-notation.ttl"), cwd=repo)
    assert "sh:ValidationReport" in proc.stdout


@pytest.mark.parametrize("content,needle", [
    (b"@prefix ex: <http://e/> .\nex:a ex:b \"open .\n", ":2:"),
    (b"\xff\xfe\x00\x01binary", "binary"),
    (b"\xff\xfe not utf-8 text", "UTF-8"),
    (b"", None),
])
def test_parse_errors_exit_2_without_traceback(repo, tmp_path, content, needle):
    bad = tmp_path / "bad.ttl"
    bad.write_bytes(content)
    proc = run("validate", str(bad), cwd=repo)
    if needle is None:  # an empty Turtle file is a valid, empty graph
        assert proc.returncode == 0
        return
    assert proc.returncode == 2
    assert "bad.ttl" in proc.stderr and needle in proc.stderr
    assert "Traceback" not in proc.stderr


def test_query_saved_and_file(repo, tmp_path):
    proc = run("query", "practices-by-recommendation", "-p", "rec=rec:bp-ethical-recruitment-health", "-f", "json",
               cwd=repo)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)["results"]["bindings"]
    assert rows and {r["rec"]["value"] for r in rows} == {
        "https://w3id.org/gfmdkg/id/recommendation/bp-ethical-recruitment-health"}
    q = tmp_path / "count.rq"
    q.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://w3id.org/gfmdkg/def#Practice> }")
    proc = run("query", str(q), "-f", "csv", cwd=repo)
    assert proc.stdout.splitlines() == ["n", "47"]


def test_query_errors_are_clear(repo, tmp_path):
    proc = run("query", "no-such-query", cwd=repo)
    assert proc.returncode == 2 and "no saved query named" in proc.stderr
    proc = run("query", "practices-by-recommendation", "-p", "nope=1", cwd=repo)
    assert proc.returncode == 2 and "has no parameter nope" in proc.stderr
    q = tmp_path / "service.rq"
    q.write_text("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    proc = run("query", str(q), cwd=repo)
    assert proc.returncode == 2 and "SERVICE" in proc.stderr and "Traceback" not in proc.stderr


def test_stats_reports_coverage(repo):
    proc = run("stats", "-f", "json", cwd=repo)
    doc = json.loads(proc.stdout)
    assert doc["annex_entries"] == 39
    assert doc["located_share"] == 1.0
    assert doc["classes"]["gfmd:Practice"] == 47


def test_export_is_deterministic(repo, tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    assert run("export", "-f", "turtle", "-o", str(a), cwd=repo).returncode == 0
    assert run("export", "-f", "turtle", "-o", str(b), cwd=repo).returncode == 0
    assert a.read_bytes() == b.read_bytes() and len(a.read_bytes()) > 100_000
