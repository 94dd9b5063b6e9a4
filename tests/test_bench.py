"""The benchmark's generator makes valid catalogues with exactly the planted defects, and the benchmark runs.

No timing is asserted here: bench/RESULTS.md is where the numbers go.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.generator import DEFECTS, generate
from bench.run import pyshacl_validate
from gfmdkg.namespaces import PREFIXES
from gfmdkg.project import Project
from gfmdkg.store import open_engine

REPO = Path(__file__).resolve().parent.parent
COUNT = ("SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{cls}> FILTER(STRSTARTS(STR(?x), \"{ns}\")) }}")


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("bench") / "n50"
    return out, generate(50, out, invalid=0.1)


def count(engine, cls: str, ns: str) -> int:
    return int(engine.query(COUNT.format(cls=cls, ns=ns)).rows[0]["n"]["value"])


def test_manifest_counts_and_defects(catalogue):
    _, manifest = catalogue
    assert {k: manifest[k] for k in ("practices", "organisations", "sources", "findings")} == {
        "practices": 50, "organisations": 50, "sources": 25, "findings": 20}
    # every 10th node from the 5th: practices 5, 15, 25, 35, 45 take the practice defects in turn, findings 5 and 15
    # the finding defect
    assert manifest["defects"] == [
        {"node": PREFIXES["practice"] + f"p{i}", "defect": DEFECTS[k]} for k, i in enumerate((5, 15, 25, 35, 45))
    ] + [{"node": PREFIXES["finding"] + f"f{i}", "defect": "finding-direction"} for i in (5, 15)]


def test_same_seed_same_bytes(catalogue, tmp_path):
    out, _ = catalogue
    again = tmp_path / "again"
    generate(50, again, invalid=0.1)
    for path in sorted((out / "data").glob("*.ttl")):
        assert (again / "data" / path.name).read_bytes() == path.read_bytes(), path.name
    other = tmp_path / "other"
    generate(50, other, invalid=0.1, seed=7)
    assert (other / "data" / "practices.ttl").read_bytes() != (out / "data" / "practices.ttl").read_bytes()


def test_project_layout_and_graph(catalogue):
    out, _ = catalogue
    project = Project(out)
    assert sorted(p.name for p in (out / "queries").glob("*.rq")) == sorted(
        p.name for p in (REPO / "queries").glob("*.rq"))
    assert (out / "ontology" / "shapes.ttl").read_bytes() == (REPO / "ontology" / "shapes.ttl").read_bytes()
    engine = open_engine(project, memory=True)
    assert count(engine, PREFIXES["gfmd"] + "Practice", PREFIXES["practice"] + "p") == 50
    assert count(engine, PREFIXES["gfmd"] + "Finding", PREFIXES["finding"] + "f") == 20
    assert count(engine, "http://www.w3.org/ns/org#Organization", PREFIXES["orgid"] + "org-") == 50
    assert count(engine, "http://purl.org/ontology/bibo/Document", PREFIXES["source"] + "work-") == 25
    # every thematic area, tag and GCM objective used is a concept of the real schemes
    bad = engine.query("""PREFIX gfmd: <https://w3id.org/gfmdkg/def#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?c WHERE { ?p gfmd:tag|gfmd:thematicArea|gfmd:gcmObjective ?c
                                   FILTER NOT EXISTS { ?c skos:inScheme ?s } }""")
    assert bad.rows == []


def test_pyshacl_finds_exactly_the_planted_defects(catalogue):
    """Among generated nodes, the nodes with violations are exactly the planted ones (the rest is valid)."""
    out, manifest = catalogue
    report = pyshacl_validate(Project(out))
    generated = (PREFIXES["practice"] + "p", PREFIXES["finding"] + "f", PREFIXES["orgid"] + "org-",
                 PREFIXES["source"] + "work-", PREFIXES["country"])
    found = {node.split("#")[0] for node in report["violating_nodes"] if node.startswith(generated)}
    assert found == {d["node"] for d in manifest["defects"]}


@pytest.mark.slow
def test_benchmark_runs_at_the_smallest_size(tmp_path):
    """One run of the benchmark at N=40 writes the report and the results, with every phase measured."""
    results, report = tmp_path / "results.json", tmp_path / "RESULTS.md"
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--sizes", "40", "--repeat", "1", "--cold-runs-bench", "1",
         "--baseline-timeout", "1", "--timeout", "20", "--no-shipped", "--syntaxes", "nt", "turtle",
         "--skip", "validate", "check", "gapmap", "cold",
         "--workdir", str(tmp_path / "work"), "--results", str(results), "--report", str(report)],
        cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    size = json.loads(results.read_text())["sizes"]["40"]
    assert size["manifest"]["practices"] == 40
    assert size["defects"] == 0  # every 100th node: none among 40
    assert set(size["load"]) == {"pyoxigraph in memory", "pyoxigraph on disk", "gfmdkg index", "gfmdkg in memory",
                                 "rdflib Dataset"}
    names = {p.stem for p in (REPO / "queries").glob("*.rq")}
    measured = {label.split(" (")[0] for label in size["queries_memory"]["queries"]}
    assert measured == names
    assert set(size["queries_rdflib"]["queries"]) == set(size["queries_memory"]["queries"])
    assert set(size["export"]) == {"nt", "turtle", "nt, empty cache"}
    assert all(e["err"] == "" for e in size["export"].values())
    # the first export (empty cache) writes the same bytes as the later ones
    assert size["export"]["nt, empty cache"]["bytes"] == size["export"]["nt"]["bytes"]
    assert {"load: gfmdkg index", "queries: gfmdkg in memory", "gfmdkg export (process)"} <= set(size["peaks_mb"])
    text = report.read_text()
    for heading in ("## Targets", "## 40 practices", "### Load", "### Saved queries", "### Export", "### Peak memory"):
        assert heading in text


@pytest.mark.slow
def test_speed_benchmark_runs_at_the_smallest_size(tmp_path):
    """bench.speed at N=40: SHACL libraries side by side with pySHACL, every saved query against pyoxigraph's own
    time, the CLI against the raw script; the report section is written where asked."""
    results, report = tmp_path / "speed.json", tmp_path / "RESULTS.md"
    report.write_text("# results\n\n## What the numbers say\n\nold text\n")
    proc = subprocess.run(
        [sys.executable, "-m", "bench.speed", "--sizes", "40", "--runs", "1", "--repeat", "1", "--skip", "cold",
         "--workdir", str(tmp_path / "work"), "--out", str(results), "--results-md", str(report)],
        cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    size = json.loads(results.read_text())["40"]
    libs = size["shacl"]["libraries"]
    assert size["shacl"]["reference"] == "pySHACL"
    assert libs["shacl"]["identical to pySHACL"] is True and libs["shacl"]["results"] == libs["pySHACL"]["results"]
    names = {p.stem for p in (REPO / "queries").glob("*.rq")}
    assert {label.split(" (")[0] for label in size["queries"]} == names
    assert all(e["same bytes"] in (True, None) for e in size["queries"].values())
    assert size["cli csv"]["ratio"] > 0
    text = report.read_text()
    assert text.index("## At the engine's speed") < text.index("## What the numbers say") and "old text" in text
    assert "| 40: reports identical to pySHACL's (top-level results) | `shacl` " in text
