"""`check` validates a contribution with its neighbourhood only: its results must equal those of validating the
whole shipped graph (SHACL shapes and QC queries), for the contributed nodes."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from gfmdkg.rdfio import parse_bytes, parse_file
from gfmdkg.store import open_engine
from gfmdkg.validation import validate
from gfmdkg.validation.neighbourhood import neighbourhood, validate_neighbourhood

FIXTURES = Path(__file__).parent / "fixtures"
EX = "https://example.org/fx/"
#: a clash: an existing practice restated with a tag from the wrong scheme and an unknown partner
CLASH = b"""@prefix practice: <https://w3id.org/gfmdkg/id/practice/> .
@prefix gfmd: <https://w3id.org/gfmdkg/def#> .
@prefix ta: <https://w3id.org/gfmdkg/vocab/thematic-area/> .
practice:mida-ghana-health gfmd:tag ta:diasporas ; gfmd:partner <https://w3id.org/gfmdkg/id/org/nobody> .
"""
CASES = sorted(p.name for p in (FIXTURES / "shapes").glob("*.ttl")) + [
    "contrib/practice.ttl", "contrib/practice-mistakes.ttl", "contrib/practice.jsonld", "clash"]


def _quads(case: str, n: int) -> list[ox.Quad]:
    """The case's statements in its own named graph, ex: IRIs moved under a per-case folder (no overlap)."""
    graph = ox.NamedNode(f"https://example.org/case/{n}")
    if case == "clash":
        parsed = parse_bytes(CLASH, "clash.ttl", ox.RdfFormat.TURTLE)
    else:
        path = FIXTURES / case if "/" in case else FIXTURES / "shapes" / case
        parsed = parse_file(path)

    own = {q.subject.value.split("#")[0] for q in parsed} if case.startswith("contrib/") else set()

    def move(t):  # contrib fixtures share practice IRIs: give each case its own
        if not isinstance(t, ox.NamedNode):
            return t
        base, sep, frag = t.value.partition("#")
        return ox.NamedNode((f"{base}-{n}{sep}{frag}" if base in own else t.value).replace(EX, f"{EX}{n}/"))
    return [ox.Quad(move(q.subject), q.predicate, move(q.object), graph) for q in parsed]


def _key(r) -> tuple:
    return tuple(v or "" for v in (r.focus, r.path, r.source_shape, r.severity, r.constraint, r.message, r.value))


@pytest.fixture(scope="module")
def full(project):
    """One whole-graph validation of the shipped graph with every case added (each in its own IRIs)."""
    cases = {case: _quads(case, n) for n, case in enumerate(CASES)}
    report = validate(project, extra_quads=[q for qs in cases.values() for q in qs])
    return cases, report


@pytest.mark.parametrize("case", CASES)
def test_neighbourhood_results_equal_full_validation(project, full, case):
    cases, report = full
    quads = cases[case]
    own = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
    expected = sorted(_key(r) for r in report.results if r.focus in own)
    got = validate_neighbourhood(project, open_engine(project).store, quads)
    assert sorted(_key(r) for r in got.results) == expected


def test_the_comparison_covers_shape_and_qc_results(full):
    """The cases above are not all valid: they exercise shapes and QC queries alike."""
    cases, report = full
    own = {q.subject.value for qs in cases.values() for q in qs if isinstance(q.subject, ox.NamedNode)}
    shapes = {r.source_shape for r in report.results if r.focus in own}
    assert "https://w3id.org/gfmdkg/shapes#PracticeTag" in shapes
    assert "qc:dangling-reference-violation" in shapes
    clash = sorted((r.path or "", r.value or "") for r in report.results
                   if r.focus == "https://w3id.org/gfmdkg/id/practice/mida-ghana-health")
    assert ("https://w3id.org/gfmdkg/def#partner", "https://w3id.org/gfmdkg/id/org/nobody") in clash


def test_the_neighbourhood_is_small(project):
    """A one-practice contribution pulls in its references, not the graph."""
    quads = _quads("contrib/practice.ttl", 0)
    store = open_engine(project).store
    near = neighbourhood(store, quads)
    assert len(near) < len(store) / 10
    subjects = {q.subject.value for q in near}
    assert "https://w3id.org/gfmdkg/id/country/GHA" in subjects
    assert "https://w3id.org/gfmdkg/vocab/thematic-area/diasporas" in subjects


@pytest.mark.parametrize("countries", [{"https://w3id.org/gfmdkg/id/country/GHA"}, set()])
def test_duplicate_candidates_give_the_whole_graph_answer(project, countries):
    """Duplicates are looked for among targeted candidates; the problems equal those found against every practice."""
    from gfmdkg.contrib import graphview
    from gfmdkg.contrib.checks import check_duplicates, practice_titles
    from gfmdkg.contrib.unit import Unit
    from gfmdkg.store.loading import project_quads

    node, title = ox.NamedNode("https://w3id.org/gfmdkg/id/practice/new"), "MIDA Ghana Health project"
    quads = [ox.Quad(node, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                     ox.NamedNode("https://w3id.org/gfmdkg/def#Practice")),
             ox.Quad(node, ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal(title, language="en"))]
    quads += [ox.Quad(node, ox.NamedNode("http://purl.org/dc/terms/spatial"), ox.NamedNode(c)) for c in countries]

    def problems(existing):
        unit = Unit(source="new.ttl", kind="rdf", slug="new", quads=quads)
        unit.lines = {node.value: None}
        check_duplicates([unit], existing)
        return sorted((p.severity, p.message) for p in unit.problems)

    store = open_engine(project).store
    targeted = problems(graphview.candidate_practices(store, practice_titles(quads)))
    assert targeted == problems(practice_titles(project_quads(project)))
    assert targeted == [("error" if countries else "warning", "looks like a duplicate of practice:mida-ghana-health "
                         "“MIDA Ghana Health Project”" + (" (same title, same country: country:GHA)" if countries
                                                         else " (same title)"))]


def test_clashes_are_found_by_lookups(project):
    """An existing IRI is reported with the file that types it; a new one is not."""
    from gfmdkg.contrib import graphview

    vocab = graphview.StoreVocabulary(open_engine(project).store)
    graphview.mark_existing(vocab, vocab.store, ["https://w3id.org/gfmdkg/id/practice/mida-ghana-health",
                                                 "https://w3id.org/gfmdkg/id/practice/not-there"])
    assert vocab.known("https://w3id.org/gfmdkg/id/practice/mida-ghana-health")
    assert not vocab.known("https://w3id.org/gfmdkg/id/practice/not-there")
    assert vocab.graph_of["https://w3id.org/gfmdkg/id/practice/mida-ghana-health"].endswith("practices-annex-1")
