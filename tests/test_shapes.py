"""Every SHACL shape: a valid fixture gives no violation, each invalid fixture gives the expected result
(focus node, path, source shape), checked together with the shipped graph as context."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from gfmdkg.namespaces import SHAPES
from gfmdkg.rdfio import parse_file
from gfmdkg.store.loading import project_quads
from gfmdkg.store.rdflib_engine import rdflib_graph
from gfmdkg.validation.run import shacl_results, shapes_graph

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
FILES = sorted(FIXTURES.glob("*.ttl"))
FX = "https://example.org/fx/"


def expectation(path: Path) -> tuple[str, str | None, str] | None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), path
    spec = first[len("# expect: "):].strip()
    if spec == "none":
        return None
    focus, prop, shape = (part.strip() for part in spec.split("|"))
    return focus, None if prop == "-" else prop, shape.replace("gfmdsh:", SHAPES)


#: the context a fixture is validated in: everything its nodes may point to (vocabularies, countries, documents,
#: recommendations, organisations, events, sources), without the many practices and findings, to keep pySHACL fast
CONTEXT_SKIP = ("practices-", "findings", "messages")


@pytest.fixture(scope="module")
def context(project):
    files = [p for p in project.graph_files() if not p.name.startswith(CONTEXT_SKIP)]
    return rdflib_graph(project_quads(project, files)), shapes_graph(project)


def run_fixture(context, path: Path):
    base, shapes = context
    data = rdflib_graph(parse_file(path))
    data += base
    results, _ = shacl_results(data, shapes, top_level=False)  # the nested details too: they name the property
    return results


def test_every_core_shape_has_a_valid_and_an_invalid_fixture():
    names = {p.stem.split("-")[0] for p in FILES}
    for shape in ("practice", "finding", "recommendation", "keymessage", "question", "source", "report",
                  "documentpart", "organization", "country", "event", "concept", "supportlink", "gcm", "period",
                  "budget", "quantity"):
        assert shape in names, shape
    for shape in ("practice", "finding", "recommendation", "keymessage", "question", "source", "report",
                  "documentpart", "organization", "country", "event", "concept"):
        assert (FIXTURES / f"{shape}-valid.ttl").exists(), shape


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_fixture(context, path):
    results = run_fixture(context, path)
    violations = [r for r in results if r.severity == "Violation"]
    assert all(r.focus.startswith(FX) or r.source_shape and "#In" in r.source_shape for r in results), \
        [(r.focus, r.source_shape) for r in results]
    violations = [r for r in violations if r.focus.startswith(FX)]
    expected = expectation(path)
    if expected is None:
        assert violations == [], [(r.focus, r.path, r.source_shape, r.message) for r in violations]
        return
    focus, prop, shape = expected
    got = {(r.focus, r.path, r.source_shape) for r in violations}
    assert (focus, prop, shape) in got, got
    hit = next(r for r in violations if (r.focus, r.path, r.source_shape) == (focus, prop, shape))
    assert hit.message and not hit.message.startswith("does not conform")


def test_shapes_conform_to_shacl_shacl(project):
    import pyshacl

    shapes = shapes_graph(project)
    conforms, _, text = pyshacl.validate(rdflib.Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def test_every_constraint_has_a_message(project):
    """Every named shape, and every property shape, carries a sh:message."""
    shapes = shapes_graph(project)
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    RDF, RDFS = rdflib.RDF, rdflib.RDFS
    missing = []
    for node in set(shapes.objects(None, SH.property)):
        if shapes.value(node, SH.message) is None:
            missing.append(node)
    for node in set(shapes.subjects(RDF.type, SH.NodeShape)):
        has_constraints = any(p not in (RDF.type, RDFS.label, SH.targetClass, SH.property, SH.node)
                              for p in shapes.predicates(node, None))
        if has_constraints and shapes.value(node, SH.message) is None and not list(shapes.objects(node, SH.property)):
            missing.append(node)
    for node in set(shapes.subjects(SH.select, None)):
        if shapes.value(node, SH.message) is None:
            missing.append(node)
    assert missing == []


QC_FILES = sorted((Path(__file__).parent / "fixtures" / "qc").glob("*.ttl"))


@pytest.mark.parametrize("path", QC_FILES, ids=[p.stem for p in QC_FILES])
def test_qc_fixture(project, path):
    """Checks that SHACL core cannot express run as QC queries; validate() reports their rows as violations."""
    from gfmdkg.validation import validate

    focus, check = (part.strip() for part in path.read_text().splitlines()[0][len("# expect: "):].split("|"))
    report = validate(project, extra_files=[path])
    hits = [r for r in report.violations if r.focus == focus and r.source_shape == check]
    assert hits, [(r.focus, r.source_shape) for r in report.violations]
    assert Path(hits[0].file).resolve() == path.resolve() and hits[0].line is not None
    assert report.exit_code == 1
