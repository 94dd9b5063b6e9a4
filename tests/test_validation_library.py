"""The SHACL library (``shacl``, the default engine) gives pySHACL's top-level results: the same multiset of (focus
node, path, value, source shape, constraint component, severity, message), on the shipped graph with every shape
fixture and literal edge cases, on synthetic catalogues, and through the command line; shapes it cannot match fall
back to pySHACL; it runs bounded and fetches nothing."""

from __future__ import annotations

import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.generator import DEFECTS, generate
from gfmdkg.bounded import address_space
from gfmdkg.errors import GfmdkgError
from gfmdkg.project import Project
from gfmdkg.rdfio import parse_bytes
from gfmdkg.store.loading import load_into
from gfmdkg.store.rdflib_engine import rdflib_graph
from gfmdkg.validation.library import lacks, validate_bounded
from gfmdkg.validation.run import shacl_on_store, shacl_results, shapes_graph
from tests.test_check_neighbourhood import CASES, _quads

EDGE = Path(__file__).parent / "fixtures" / "shacl-edge-cases.ttl"
BNODE_ID = re.compile(r"[0-9a-f]{16,32}|\d+_b\w+")


def _key(r) -> tuple:
    """A result's full key, blank-node ids (each engine names blank nodes its own way) replaced by ``_:``."""
    return tuple("_:" if i in (0, 2) and v and BNODE_ID.fullmatch(v) else v for i, v in enumerate(r.full_key()))


def both(project: Project, extra: list[ox.Quad]) -> tuple[Counter, Counter]:
    """Results of the library and of pySHACL on the project's graph plus ``extra``."""
    store = ox.Store()
    load_into(store, project)
    store.bulk_extend(extra)
    library, _ = shacl_on_store(project, store)
    reference, _ = shacl_results(rdflib_graph(iter(store)), shapes_graph(project))
    return Counter(_key(r) for r in library), Counter(_key(r) for r in reference)


def test_shipped_graph_with_every_fixture_and_edge_cases(project):
    extra = [q for n, case in enumerate(CASES) for q in _quads(case, n)]
    edge = ox.NamedNode("https://example.org/case/edge")
    extra += [ox.Quad(q.subject, q.predicate, q.object, edge)
              for q in parse_bytes(EDGE.read_bytes(), str(EDGE), ox.RdfFormat.TURTLE)]
    library, reference = both(project, extra)
    assert library == reference
    # every shape fixture is in the graph validated (each under its own IRIs)
    assert {p.name for p in (Path(__file__).parent / "fixtures" / "shapes").glob("*.ttl")} <= set(CASES)
    # the edge cases hit the literal semantics: ill-typed and non-canonical literals, languages, blank nodes
    shapes = {(k[0].rsplit("/", 1)[-1], k[4]) for k in reference if k[0].startswith("https://example.org/fx/edge/")}
    assert {("p1#period", "OrConstraintComponent"), ("p2", "MaxInclusiveConstraintComponent"),
            ("p2", "DatatypeConstraintComponent"), ("org", "UniqueLangConstraintComponent"),
            ("c", "LanguageInConstraintComponent"), ("p1", "PatternConstraintComponent"),
            ("p1", "InConstraintComponent"), ("p1", "ClassConstraintComponent")} <= shapes


@pytest.mark.parametrize("invalid", [0.01, 0.2])
def test_synthetic_catalogue(tmp_path, invalid):
    manifest = generate(300, tmp_path / "cat", invalid=invalid)
    library, reference = both(Project(tmp_path / "cat"), [])
    assert library == reference
    kinds = {d["defect"] for d in manifest["defects"]}
    assert kinds == (set(DEFECTS) if invalid == 0.2 else {"missing-title", "period-datatype", "budget-currency"})
    # every planted defect is found, on the node it was planted on (or, for a link, under it)
    found = {k[0].split("#")[0] for k in library if k[5] == "Violation"}
    assert {d["node"] for d in manifest["defects"]} <= found


def test_report_is_a_shacl_report(project):
    extra = [q for n, case in enumerate(CASES[:6]) for q in _quads(case, n)]
    store = ox.Store()
    load_into(store, project)
    store.bulk_extend(extra)
    results, turtle = shacl_on_store(project, store)
    report = ox.Store()
    report.load(turtle.encode(), format=ox.RdfFormat.TURTLE)
    sh = "http://www.w3.org/ns/shacl#"
    rows = list(report.query(f"SELECT ?c (COUNT(?r) AS ?n) WHERE {{ ?x a <{sh}ValidationReport> ; <{sh}conforms> ?c ; "
                             f"<{sh}result> ?r }} GROUP BY ?c"))
    assert [(r[0].value, int(r[1].value)) for r in rows] == [(
        "false" if any(r.severity == "Violation" for r in results) else "true", len(results))]


PREFIXES = b"""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix gfmd: <https://w3id.org/gfmdkg/def#> .
@prefix ex: <https://example.org/shapes#> .
"""
#: shapes for which the library's report would not be pySHACL's, and how :func:`lacks` names the feature
LACKING = {
    "SPARQL-based constraints": b"""ex:Sparql a sh:NodeShape ; sh:targetClass gfmd:Practice ;
        sh:sparql [ sh:select "SELECT $this WHERE { FILTER(false) }" ; sh:message "m" ] .""",
    "SHACL rules": b"""ex:Rule a sh:NodeShape ; sh:targetClass gfmd:Practice ;
        sh:rule [ a sh:TripleRule ; sh:subject sh:this ; sh:predicate gfmd:x ; sh:object sh:this ] .""",
    "constraints without sh:message": b"""ex:NoMessage a sh:NodeShape ; sh:targetClass gfmd:Practice ;
        sh:property [ sh:path gfmd:noSuchProperty ; sh:minCount 1 ] .""",
}


@pytest.mark.parametrize("feature", sorted(LACKING))
def test_lacking_features_are_named(feature):
    assert feature in (lacks(list(parse_bytes(PREFIXES + LACKING[feature], "u.ttl", ox.RdfFormat.TURTLE))) or "")


def test_the_project_shapes_are_within_reach(project):
    from gfmdkg.rdfio import parse_file
    assert lacks(parse_file(project.shapes_file)) is None
    # a constraint nested in sh:or needs no message of its own (it reports no top-level result)
    assert lacks(list(parse_bytes(PREFIXES + b"""ex:Or a sh:NodeShape ; sh:targetClass gfmd:Practice ;
        sh:property [ sh:path gfmd:x ; sh:or ( [ sh:datatype gfmd:a ] [ sh:datatype gfmd:b ] ) ; sh:message "m" ] .""",
                                      "u.ttl", ox.RdfFormat.TURTLE))) is None


def run(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("gfmdkg")
    cmd = [exe, *args] if exe else [sys.executable, "-m", "gfmdkg", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def results_of(proc: subprocess.CompletedProcess) -> Counter:
    """The JSON report's results, blank node ids (new in each process) replaced by ``_:``."""
    def norm(r: dict) -> str:
        return json.dumps({k: "_:" if k in ("focus", "value") and BNODE_ID.fullmatch(str(v)) else v
                           for k, v in r.items()}, sort_keys=True)
    return Counter(norm(r) for r in json.loads(proc.stdout)["results"])


def test_cli_engines_agree_on_a_contribution(project_copy):
    library = run("--project", str(project_copy), "validate", str(EDGE), "-f", "json")
    reference = run("--project", str(project_copy), "validate", str(EDGE), "-f", "json", "--shacl-engine", "pyshacl")
    assert library.returncode == reference.returncode == 1, library.stderr
    assert library.stderr == ""
    assert results_of(library) == results_of(reference)
    located = [r for r in json.loads(library.stdout)["results"] if r["focus"].endswith("/edge/p2")]
    assert {(r["file"], r["label"]) for r in located} == {(str(EDGE), "Edge two")}
    lines = {r["path"].rsplit("/", 1)[-1].rsplit("#", 1)[-1]: r["line"] for r in located}  # the offending triple's
    assert (lines["title"], lines["description"], lines["annexEntry"], lines["tag"], lines["budget"],
            lines["wasDerivedFrom"]) == (26, 27, 28, 29, 30, 31)


def test_cli_falls_back_to_pyshacl_and_says_so(project_copy):
    shapes = project_copy / "ontology" / "shapes.ttl"
    shapes.write_bytes(shapes.read_bytes() + b"@prefix ex: <https://example.org/shapes#> .\n"
                       + LACKING["constraints without sh:message"] + b"\n")
    contribution = str(Path(__file__).parent / "fixtures" / "shapes" / "practice-no-title.ttl")  # no blank nodes
    fallback = run("--project", str(project_copy), "validate", contribution, "-f", "json")
    assert "the shapes use constraints without sh:message" in fallback.stderr
    assert "validating with pySHACL" in fallback.stderr
    reference = run("--project", str(project_copy), "validate", contribution, "-f", "json", "--shacl-engine", "pyshacl")
    assert results_of(fallback) == results_of(reference)
    assert any(json.loads(r)["source_shape"] == "https://example.org/shapes#NoMessage" for r in results_of(fallback))


def test_runs_bounded_and_fetches_no_import(tmp_path):
    """owl:imports in the shapes or the data is never followed (no request reaches a local server, no file is
    read), and the run stops at its deadline."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    imported = tmp_path / "imported.ttl"
    imported.write_bytes(PREFIXES + b"ex:I a sh:NodeShape ; sh:targetClass gfmd:Practice ; sh:property "
                         b"[ sh:path gfmd:zzz ; sh:minCount 1 ; sh:message \"imported\" ] .\n")
    try:
        shapes = (PREFIXES + f"""<urn:s> a <http://www.w3.org/2002/07/owl#Ontology> ;
            <http://www.w3.org/2002/07/owl#imports> <{url}/shapes>, <{imported.as_uri()}> .
            ex:S a sh:NodeShape ; sh:targetClass gfmd:Practice ; sh:property [ sh:path gfmd:title ;
            sh:maxCount 5 ; sh:message "m" ] .""".encode()).decode()
        store = ox.Store()
        owl_imports = ox.NamedNode("http://www.w3.org/2002/07/owl#imports")
        store.extend([ox.Quad(ox.NamedNode("https://example.org/p"), ox.NamedNode(
                          "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                          ox.NamedNode("https://w3id.org/gfmdkg/def#Practice"), ox.NamedNode("urn:g")),
                      ox.Quad(ox.NamedNode("https://example.org/d"), owl_imports, ox.NamedNode(url + "/data"),
                              ox.NamedNode("urn:g")),
                      ox.Quad(ox.NamedNode("https://example.org/d"), owl_imports, ox.NamedNode(imported.as_uri()),
                              ox.NamedNode("urn:g"))])
        results, _ = validate_bounded(store, shapes, timeout=60, memory=address_space() + 2 ** 32)
        assert results == [] and hits == []
        with pytest.raises(GfmdkgError, match="time limit"):
            validate_bounded(store, shapes, timeout=0.0001, memory=address_space() + 2 ** 32)
    finally:
        server.shutdown()
