"""Home-made terms replaced by standard ones: the old terms stay one release, marked owl:deprecated with their
owl:equivalentProperty, the curated graph no longer uses them, and a node that still does gets a warning naming
the standard term (with both SHACL engines)."""

from __future__ import annotations

import pytest
import rdflib

from gfmdkg.namespaces import DEF, PREFIXES

REPLACED = {  # deprecated term -> the standard term that replaces it
    DEF + "orgType": PREFIXES["org"] + "classification",
    DEF + "mentionedIn": PREFIXES["dcterms"] + "isReferencedBy",
    DEF + "currency": PREFIXES["schema"] + "currency",
    DEF + "fundedBy": PREFIXES["schema"] + "funder",
}
OWL = rdflib.OWL


@pytest.fixture(scope="module")
def ontology(project) -> rdflib.Graph:
    return rdflib.Graph().parse(project.root / "ontology" / "gfmd.ttl")


@pytest.mark.parametrize("old", sorted(REPLACED))
def test_old_term_is_deprecated_for_its_standard_equivalent(ontology, old):
    term = rdflib.URIRef(old)
    assert ontology.value(term, OWL.deprecated) == rdflib.Literal(True)
    assert ontology.value(term, OWL.equivalentProperty) == rdflib.URIRef(REPLACED[old])


def test_curated_graph_uses_only_the_standard_terms(project):
    used: set[str] = set()
    for path in project.data_files():
        used |= {str(p) for p in rdflib.Graph().parse(path).predicates()}
    assert used & REPLACED.keys() == set()
    assert {PREFIXES["org"] + "classification", PREFIXES["dcterms"] + "isReferencedBy",
            PREFIXES["schema"] + "currency", PREFIXES["schema"] + "funder"} <= used


@pytest.mark.parametrize("engine", ["native", "pyshacl"])
def test_a_node_with_an_old_term_gets_a_warning(project, tmp_path, engine):
    from gfmdkg.validation import validate

    path = tmp_path / "old.ttl"
    path.write_text("""@prefix gfmd: <https://w3id.org/gfmdkg/def#> .
<https://w3id.org/gfmdkg/id/org/iom> gfmd:orgType <https://w3id.org/gfmdkg/vocab/org-type/intergovernmental> .
""", encoding="utf-8")
    report = validate(project, extra_files=[path], shacl_engine=engine)
    hits = [w for w in report.warnings if w.focus == PREFIXES["orgid"] + "iom" and w.path == DEF + "orgType"]
    assert len(hits) == 1 and "org:classification" in hits[0].message
    assert not [v for v in report.violations if v.focus == PREFIXES["orgid"] + "iom"]
