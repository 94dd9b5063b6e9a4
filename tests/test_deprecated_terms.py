"""Home-made terms replaced by standard ones: the old terms stay one release, marked owl:deprecated with their
owl:equivalentProperty, the curated graph no longer uses them, and a node that still does gets a warning naming
the standard term (with both SHACL engines)."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from gfmdkg.namespaces import DEF, PREFIXES

REPLACED = {  # deprecated term -> the standard term that replaces it
    DEF + "orgType": PREFIXES["org"] + "classification",
    DEF + "mentionedIn": PREFIXES["dcterms"] + "isReferencedBy",
    DEF + "currency": PREFIXES["schema"] + "currency",
    DEF + "fundedBy": PREFIXES["schema"] + "funder",
}
#: deprecated term -> the standard term that replaces it where the two are not strictly equivalent
#: (skos:notation holds every code of a country; the old contact and contributor were text, the new are nodes)
REPLACED_LOOSELY = {
    DEF + "iso3166Alpha2": PREFIXES["skos"] + "notation",
    DEF + "iso3166Numeric": PREFIXES["skos"] + "notation",
    DEF + "contact": PREFIXES["dcat"] + "contactPoint",
    DEF + "contributedBy": PREFIXES["dcterms"] + "contributor",
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


@pytest.mark.parametrize("old", sorted(REPLACED_LOOSELY))
def test_loosely_replaced_term_is_deprecated_and_names_its_replacement(ontology, old):
    term = rdflib.URIRef(old)
    assert ontology.value(term, OWL.deprecated) == rdflib.Literal(True)
    assert ontology.value(term, rdflib.DCTERMS.isReplacedBy) == rdflib.URIRef(REPLACED_LOOSELY[old])
    assert ontology.value(term, OWL.equivalentProperty) is None


def test_curated_graph_uses_only_the_standard_terms(project):
    used: set[str] = set()
    for path in project.data_files():
        used |= {str(p) for p in rdflib.Graph().parse(path).predicates()}
    assert used & (REPLACED.keys() | REPLACED_LOOSELY.keys()) == set()
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


def test_country_codes_are_typed_notations(project):
    """Alpha-3 stays the one plain notation (the IRI's key); alpha-2 and numeric are typed by their code system."""
    g = rdflib.Graph().parse(project.root / "data" / "countries.ttl")
    gha = rdflib.URIRef(PREFIXES["country"] + "GHA")
    assert set(g.objects(gha, rdflib.SKOS.notation)) == {
        rdflib.Literal("GHA"), rdflib.Literal("GH", datatype=rdflib.URIRef(PREFIXES["euvoc"] + "ISO_3166_1_ALPHA_2")),
        rdflib.Literal("288", datatype=rdflib.URIRef(DEF + "ISO3166Numeric"))}
    for country in g.subjects(rdflib.RDF.type, rdflib.URIRef(PREFIXES["schema"] + "Country")):
        plain = [n for n in g.objects(country, rdflib.SKOS.notation) if n.datatype is None]
        assert [str(n) for n in plain] == [str(country).rsplit("/", 1)[1]], country


@pytest.mark.parametrize("engine", ["native", "pyshacl"])
def test_old_country_codes_get_a_warning(project, tmp_path, engine):
    from gfmdkg.validation import validate

    path = tmp_path / "old.ttl"
    path.write_text("""@prefix gfmd: <https://w3id.org/gfmdkg/def#> .
<https://w3id.org/gfmdkg/id/country/GHA> gfmd:iso3166Alpha2 "GH" ; gfmd:iso3166Numeric "288" .
""", encoding="utf-8")
    report = validate(project, extra_files=[path], shacl_engine=engine)
    gha = PREFIXES["country"] + "GHA"
    hits = {w.path: w.message for w in report.warnings if w.focus == gha}
    assert "euvoc:ISO_3166_1_ALPHA_2" in hits[DEF + "iso3166Alpha2"]
    assert "gfmd:ISO3166Numeric" in hits[DEF + "iso3166Numeric"]
    assert not [v for v in report.violations if v.focus == gha]


def test_a_contribution_with_old_terms_is_read_as_the_new_ones(project, tmp_path):
    """gfmdkg check/add map the old terms of an RDF contribution to their replacements, with one warning each;
    gfmd:contributedBy stays refused (who contributed is recorded by add, never by the contribution)."""
    from gfmdkg.contrib.pipeline import check

    source = (Path(__file__).parent / "fixtures" / "contrib" / "practice.ttl").read_text(encoding="utf-8")
    path = tmp_path / "old.ttl"
    path.write_text(source.replace("gfmd:partner orgid:iom ;", 'gfmd:fundedBy orgid:iom ;\n'
                                   '    gfmd:contact "Health desk <health@example.org>" ;'), encoding="utf-8")
    result = check(project, [path], shapes=True)
    node = PREFIXES["practice"] + "ghana-nurse-tutors"
    assert sorted((p.severity, p.field, p.message) for p in result.problems) == [
        ("warning", "gfmd:contact", "gfmd:contact is deprecated: added as dcat:contactPoint (a vCard)"),
        ("warning", "gfmd:fundedBy", "gfmd:fundedBy is deprecated: added as schema:funder")]
    assert result.problems[0].line == 11 and result.exit_code == 0
    stated = {(q.subject.value, q.predicate.value, q.object.value) for q in result.quads}
    assert (node, PREFIXES["schema"] + "funder", PREFIXES["orgid"] + "iom") in stated
    assert (node, PREFIXES["dcat"] + "contactPoint", node + "#contact") in stated
    assert (node + "#contact", PREFIXES["vcard"] + "hasEmail", "mailto:health@example.org") in stated
    assert not {p for _s, p, _o in stated} & (REPLACED.keys() | REPLACED_LOOSELY.keys())

    path.write_text(source.replace("gfmd:partner orgid:iom ;", 'gfmd:partner orgid:iom ; gfmd:contributedBy "Me" ;'),
                    encoding="utf-8")
    result = check(project, [path], shapes=False)
    assert [(p.severity, p.field) for p in result.problems] == [("error", "gfmd:contributedBy")]


def test_pages_key_countries_by_alpha3_not_by_the_typed_codes(project):
    """The map and the country pages read a country's plain notation: one row per country, its alpha-3 code."""
    from gfmdkg.serve import countrypage, worldmap
    from gfmdkg.store import open_engine

    store = open_engine(project).store
    rows = list(store.query(worldmap.Q_PER_COUNTRY, use_default_graph_as_union=True))
    assert len(rows) > 50
    assert all(r["code"].value == r["country"].value.rsplit("/", 1)[1] for r in rows)
    assert len({r["country"] for r in rows}) == len(rows)
    gha = "<" + PREFIXES["country"] + "GHA>"
    for query in (countrypage.Q_SHARED, countrypage.Q_CODE):
        codes = {r["code"].value for r in store.query(query.replace("{\n", "{ BIND(" + gha + " AS ?this)\n", 1),
                                                        use_default_graph_as_union=True) if r["code"]}
        assert codes and all(len(c) == 3 and c.isalpha() for c in codes), codes
