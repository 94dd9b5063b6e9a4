"""The native SHACL engine gives pySHACL's results: the same multiset of (focus node, path, value, source shape,
constraint component, severity, message), on the shipped graph with every shape fixture and literal edge cases, on
synthetic catalogues, and through the command line; a shape feature it does not implement falls back to pySHACL."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.generator import DEFECTS, generate
from gfmdkg.project import Project
from gfmdkg.rdfio import parse_bytes
from gfmdkg.store.loading import load_into
from gfmdkg.store.rdflib_engine import rdflib_graph
from gfmdkg.validation import literals
from gfmdkg.validation.run import shacl_on_store, shacl_results, shapes_graph
from gfmdkg.validation.shapes_model import Unsupported, load
from tests.test_check_neighbourhood import CASES, _quads

EDGE = Path(__file__).parent / "fixtures" / "native-edge-cases.ttl"


def both(project: Project, extra: list[ox.Quad]) -> tuple[Counter, Counter]:
    """Results of the native engine and of pySHACL on the project's graph plus ``extra``."""
    store = ox.Store()
    load_into(store, project)
    store.bulk_extend(extra)
    native, _ = shacl_on_store(project, store)
    reference, _ = shacl_results(rdflib_graph(iter(store)), shapes_graph(project))
    return Counter(r.full_key() for r in native), Counter(r.full_key() for r in reference)


def test_shipped_graph_with_every_fixture_and_edge_cases(project):
    extra = [q for n, case in enumerate(CASES) for q in _quads(case, n)]
    edge = ox.NamedNode("https://example.org/case/edge")
    extra += [ox.Quad(q.subject, q.predicate, q.object, edge)
              for q in parse_bytes(EDGE.read_bytes(), str(EDGE), ox.RdfFormat.TURTLE)]
    native, reference = both(project, extra)
    assert native == reference
    # the edge cases hit the literal semantics: ill-typed and non-canonical literals, languages, blank nodes
    shapes = {(k[0].rsplit("/", 1)[-1], k[4]) for k in reference if k[0].startswith("https://example.org/fx/edge/")}
    assert {("p1#period", "OrConstraintComponent"), ("p2", "MaxInclusiveConstraintComponent"),
            ("p2", "DatatypeConstraintComponent"), ("org", "UniqueLangConstraintComponent"),
            ("c", "LanguageInConstraintComponent"), ("p1", "PatternConstraintComponent"),
            ("p1", "InConstraintComponent"), ("p1", "ClassConstraintComponent")} <= shapes


@pytest.mark.parametrize("invalid", [0.01, 0.2])
def test_synthetic_catalogue(tmp_path, invalid):
    manifest = generate(300, tmp_path / "cat", invalid=invalid)
    native, reference = both(Project(tmp_path / "cat"), [])
    assert native == reference
    kinds = {d["defect"] for d in manifest["defects"]}
    assert kinds == (set(DEFECTS) if invalid == 0.2 else {"missing-title", "period-datatype", "budget-currency"})
    # every planted defect is found, on the node it was planted on (or, for a link, under it)
    found = {k[0].split("#")[0] for k in native if k[5] == "Violation"}
    assert {d["node"] for d in manifest["defects"]} <= found


def test_native_report_is_a_shacl_report(project):
    extra = [q for n, case in enumerate(CASES[:6]) for q in _quads(case, n)]
    store = ox.Store()
    load_into(store, project)
    store.bulk_extend(extra)
    results, turtle = shacl_on_store(project, store)
    report = ox.Store()
    report.load(turtle.encode(), format=ox.RdfFormat.TURTLE)
    sh = "http://www.w3.org/ns/shacl#"
    rows = list(report.query(f"SELECT ?c (COUNT(?r) AS ?n) WHERE {{ ?x a <{sh}ValidationReport> ; <{sh}conforms> ?c . "
                             f"?r a <{sh}ValidationResult> }} GROUP BY ?c"))
    assert [(r[0].value, int(r[1].value)) for r in rows] == [(
        "false" if any(r.severity == "Violation" for r in results) else "true", len(results))]


PREFIXES = b"""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix gfmd: <https://w3id.org/gfmdkg/def#> .
@prefix ex: <https://example.org/shapes#> .
"""
#: shapes with a feature the native engine does not implement, and how the engine names it
UNSUPPORTED = {
    "sh:closed": b"ex:Closed a sh:NodeShape ; sh:targetClass gfmd:Practice ; sh:closed true .",
    "sh:minExclusive": b"""ex:Excl a sh:NodeShape ; sh:targetClass gfmd:Practice ;
        sh:property [ sh:path gfmd:annexEntry ; sh:minExclusive 0 ; sh:message "m"@en ] .""",
    "property paths": b"""ex:Inv a sh:PropertyShape ; sh:targetClass gfmd:Practice ;
        sh:path [ sh:inversePath gfmd:partner ] .""",
    "sh:minCount": b"""ex:NoMessage a sh:NodeShape ; sh:targetClass gfmd:Practice ;
        sh:property [ sh:path gfmd:tag ; sh:minCount 1 ] .""",
    "recursive shapes": b"""ex:Rec a sh:NodeShape ; sh:targetClass gfmd:Practice ;
        sh:property [ sh:path gfmd:partner ; sh:node ex:Rec ] .""",
}


@pytest.mark.parametrize("feature", sorted(UNSUPPORTED))
def test_unsupported_features_are_named(feature):
    with pytest.raises(Unsupported, match=feature):
        load(list(parse_bytes(PREFIXES + UNSUPPORTED[feature], "u.ttl", ox.RdfFormat.TURTLE)))


def run(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("gfmdkg")
    cmd = [exe, *args] if exe else [sys.executable, "-m", "gfmdkg", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def results_of(proc: subprocess.CompletedProcess) -> Counter:
    """The JSON report's results, blank node ids (new in each process) replaced by ``_:``."""
    def norm(r: dict) -> str:
        return json.dumps({k: "_:" if k in ("focus", "value") and re.fullmatch("[0-9a-f]{16,32}", str(v)) else v
                           for k, v in r.items()}, sort_keys=True)
    return Counter(norm(r) for r in json.loads(proc.stdout)["results"])


def test_cli_engines_agree_on_a_contribution(project_copy):
    native = run("--project", str(project_copy), "validate", str(EDGE), "-f", "json")
    reference = run("--project", str(project_copy), "validate", str(EDGE), "-f", "json", "--shacl-engine", "pyshacl")
    assert native.returncode == reference.returncode == 1, native.stderr
    assert native.stderr == ""
    assert results_of(native) == results_of(reference)
    located = [r for r in json.loads(native.stdout)["results"] if r["focus"].endswith("/edge/p2")]
    assert {(r["file"], r["label"]) for r in located} == {(str(EDGE), "Edge two")}
    lines = {r["path"].rsplit("/", 1)[-1].rsplit("#", 1)[-1]: r["line"] for r in located}  # the offending triple's
    assert (lines["title"], lines["description"], lines["annexEntry"], lines["tag"], lines["budget"],
            lines["wasDerivedFrom"]) == (26, 27, 28, 29, 30, 31)


def test_cli_falls_back_to_pyshacl_and_says_so(project_copy):
    shapes = project_copy / "ontology" / "shapes.ttl"
    shapes.write_bytes(shapes.read_bytes() + b"@prefix ex: <https://example.org/shapes#> .\n"
                       + UNSUPPORTED["sh:closed"] + b"\n" + UNSUPPORTED["sh:minExclusive"] + b"\n")
    contribution = str(Path(__file__).parent / "fixtures" / "shapes" / "practice-no-title.ttl")  # no blank nodes
    fallback = run("--project", str(project_copy), "validate", contribution, "-f", "json")
    assert "native SHACL engine does not support sh:" in fallback.stderr
    assert "validating with pySHACL instead" in fallback.stderr
    reference = run("--project", str(project_copy), "validate", contribution, "-f", "json", "--shacl-engine", "pyshacl")
    assert results_of(fallback) == results_of(reference)
    assert any(json.loads(r)["source_shape"] == "https://example.org/shapes#Closed" for r in results_of(fallback))


@pytest.mark.parametrize("lex,dt", [
    ("007", "integer"), ("+5", "integer"), ("-0", "integer"), ("1_000", "integer"), (" 12", "integer"),
    ("abc", "integer"), ("0", "integer"), ("-12", "integer"), ("3.50", "decimal"), ("-0.0", "decimal"),
    ("1300000", "decimal"), ("-0", "decimal"), ("0.5", "decimal"), ("1.0", "decimal"), ("false", "boolean"),
    ("+.5", "decimal"), ("1e3", "decimal"), ("1", "boolean"),
    ("TRUE", "boolean"), ("2012-02-30", "date"), ("2012-2-3", "date"), ("2012-12-31Z", "date"), ("12", "gYear"),
    ("2012", "gYear"), ("02012", "gYear"), ("2012-13", "gYearMonth"), ("2012-12", "gYearMonth"), ("x", "string")])
def test_literal_semantics_are_rdflib_s(lex, dt):
    """Every literal helper agrees with rdflib / pySHACL on canonical and odd lexical forms."""
    import rdflib
    from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent

    lit = ox.Literal(lex, datatype=ox.NamedNode(literals.XSD + dt))
    ref = rdflib.Literal(lex, datatype=rdflib.URIRef(literals.XSD + dt))
    assert literals.lexical(lit) == str(ref)
    well = getattr(ref, "ill_typed", None) is not True and \
        DatatypeConstraintComponent._assert_actual_datatype(None, ref, ref.datatype)
    assert literals.has_datatype(lit, literals.XSD + dt) == well
