"""Every term the ontology declares and has not deprecated is used: in the curated data or the SKOS schemes, in the
shapes, or in a saved query (its parsed algebra, not its comments). A class also counts as used through a used
subclass (an abstract superclass such as gfmd:QualifiedLink), and an annotation property through the ontology's
own statements (it describes terms, not data: gfmd:statementBasis, gfmd:role). The terms only contributions or
imports write are allowed by name, each with its reason."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.paths import Path as RdflibPath
from rdflib.plugins.sparql import prepareQuery

from gfmdkg.namespaces import DEF
from gfmdkg.rdfio import parse_file

DECLARING = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDFS.Datatype)
#: term -> why it may be absent from the curated data, shapes and queries
ALLOWED: dict[str, str] = {}


def _iris(x: object, out: set[str], seen: set[int]) -> None:
    """Every IRI in a parsed query's algebra (nested dicts, lists and property paths)."""
    if id(x) in seen:
        return
    seen.add(id(x))
    if isinstance(x, rdflib.URIRef):
        out.add(str(x))
    elif isinstance(x, dict):
        for v in x.values():
            _iris(v, out, seen)
    elif isinstance(x, (list, tuple, set)):
        for v in x:
            _iris(v, out, seen)
    elif isinstance(x, RdflibPath):
        for v in vars(x).values():
            _iris(v, out, seen)


def used_terms(project) -> set[str]:
    """The IRIs that the data and schemes, the shapes and the saved queries use."""
    used: set[str] = set()
    ontology = project.root / "ontology" / "gfmd.ttl"
    for path in [p for p in project.graph_files() if p != ontology] + [project.shapes_file]:
        used |= {t.value for q in parse_file(path) for t in (q.subject, q.predicate, q.object)
                 if isinstance(t, ox.NamedNode)}
    for path in project.query_files():
        _iris(prepareQuery(path.read_text(encoding="utf-8")).algebra, used, set())
    return used


def unused_terms(onto: rdflib.Graph, used: set[str]) -> set[str]:
    """The gfmd terms ``onto`` declares, has not deprecated, and nothing in ``used`` uses (directly, through a
    subclass, or as an annotation property the ontology itself states)."""
    declared = {s for t in DECLARING for s in onto.subjects(RDF.type, t) if str(s).startswith(DEF)}
    live = {s for s in declared if onto.value(s, OWL.deprecated) != rdflib.Literal(True)}
    used = set(used)
    for cls in onto.subjects(RDF.type, OWL.Class):  # a class is used when a subclass of it is
        if any(str(sub) in used for sub in onto.transitive_subjects(RDFS.subClassOf, cls)):
            used.add(str(cls))
    used |= {str(p) for p in onto.subjects(RDF.type, OWL.AnnotationProperty) if (None, p, None) in onto}
    return {str(s) for s in live} - used


@pytest.fixture(scope="module")
def ontology(project) -> rdflib.Graph:
    return rdflib.Graph().parse(project.root / "ontology" / "gfmd.ttl")


@pytest.fixture(scope="module")
def used(project) -> set[str]:
    return used_terms(project)


def test_every_declared_term_is_used_or_deprecated(ontology, used):
    assert sorted(unused_terms(ontology, used) - ALLOWED.keys()) == []


def test_the_allow_list_holds_only_unused_terms(ontology, used):
    """An allowed term that the data come to use leaves the list (so the list stays small and true)."""
    assert sorted(ALLOWED.keys() - unused_terms(ontology, used)) == []


def test_a_new_unused_term_is_found_and_a_deprecated_one_is_not(ontology, used):
    onto = rdflib.Graph() + ontology
    gfmd = rdflib.Namespace(DEF)
    onto.add((gfmd.neverUsed, RDF.type, OWL.ObjectProperty))
    onto.add((gfmd.NeverUsed, RDF.type, OWL.Class))
    onto.add((gfmd.oldAndUnused, RDF.type, OWL.DatatypeProperty))
    onto.add((gfmd.oldAndUnused, OWL.deprecated, rdflib.Literal(True)))
    onto.add((gfmd.unusedNote, RDF.type, OWL.AnnotationProperty))
    assert unused_terms(onto, used) == {DEF + "neverUsed", DEF + "NeverUsed", DEF + "unusedNote"}
    assert DEF + "partner" in unused_terms(onto, used - {DEF + "partner"})  # a term the data stop using
    assert DEF + "QualifiedLink" in unused_terms(onto, used - {DEF + c for c in (
        "SupportLink", "EvidenceLink", "GcmMapping", "Classification")})  # no subclass used: unused too
