"""The ontology and the SKOS schemes: labelled, commented, well-headed, and consistent with the data."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from gfmdkg.rdfio import parse_file
from gfmdkg.store.rdflib_engine import ox_to_rdflib
from tests.shared import need

REPO = Path(__file__).resolve().parent.parent
GFMD = rdflib.Namespace("https://w3id.org/gfmdkg/def#")


def load(path: Path) -> rdflib.Graph:
    g = rdflib.Graph()
    for q in parse_file(path):
        g.add((ox_to_rdflib(q.subject), ox_to_rdflib(q.predicate), ox_to_rdflib(q.object)))
    return g


def test_every_term_has_label_and_comment():
    g = load(REPO / "ontology" / "gfmd.ttl")
    terms = {s for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty) for s in g.subjects(RDF.type, t)}
    assert len(terms) > 60
    for term in terms:
        assert str(term).startswith(str(GFMD)), term
        assert g.value(term, RDFS.label) is not None, term
        assert g.value(term, RDFS.comment) is not None, term


def test_ontology_header():
    g = load(REPO / "ontology" / "gfmd.ttl")
    onto = rdflib.URIRef("https://w3id.org/gfmdkg/def")
    assert (onto, RDF.type, OWL.Ontology) in g
    assert g.value(onto, OWL.versionIRI) is not None
    assert str(g.value(onto, rdflib.URIRef("http://purl.org/dc/terms/license"))) == \
        "https://creativecommons.org/licenses/by/4.0/"
    assert not list(g.objects(onto, OWL.imports)), "no owl:imports: reused terms are referenced, not imported"


def test_core_classes_hang_off_reused_vocabularies():
    g = load(REPO / "ontology" / "gfmd.ttl")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    assert (GFMD.Practice, RDFS.subClassOf, prov.Activity) in g
    assert (GFMD.Finding, RDFS.subClassOf, prov.Entity) in g
    assert (GFMD.targetCountry, RDFS.subPropertyOf, rdflib.URIRef("http://purl.org/dc/terms/spatial")) in g
    for p in ("partner", "fundedBy", "implementedBy", "coordinatedBy"):
        assert (GFMD[p], RDFS.subPropertyOf, prov.wasAssociatedWith) in g


def test_every_gfmd_term_used_in_data_is_defined(project):
    onto = load(REPO / "ontology" / "gfmd.ttl")
    defined = set(onto.subjects())
    used = set()
    for path in project.data_files():
        for q in parse_file(path):
            for node in (q.predicate, q.object):
                if hasattr(node, "value") and node.value.startswith(str(GFMD)):
                    used.add(rdflib.URIRef(node.value))
    used.discard(rdflib.URIRef(str(GFMD)))  # the namespace itself (void:vocabulary)
    assert used - defined == set()


def test_every_concept_has_one_label_per_language_definition_and_scheme(project):
    for path in (REPO / "ontology" / "vocab").glob("*.ttl"):
        g = load(path)
        concepts = set(g.subjects(RDF.type, SKOS.Concept))
        assert concepts, path
        for c in concepts:
            for lang in ("en", "fr", "es"):
                labels = [lbl for lbl in g.objects(c, SKOS.prefLabel) if lbl.language == lang]
                assert len(labels) == 1, (c, lang)
            assert {lbl.language for lbl in g.objects(c, SKOS.prefLabel)} == {"en", "fr", "es"}, c
            assert g.value(c, SKOS.definition) is not None, c
            assert g.value(c, SKOS.inScheme) is not None, c
        for scheme in g.subjects(RDF.type, SKOS.ConceptScheme):
            assert {t.language for t in g.objects(scheme, DCTERMS.title)} == {"en", "fr", "es"}, scheme


def test_every_country_is_named_in_three_languages(project):
    g = load(REPO / "data" / "countries.ttl")
    countries = set(g.subjects(RDF.type, rdflib.URIRef("https://schema.org/Country")))
    assert len(countries) > 50
    for c in countries:
        assert {lbl.language for lbl in g.objects(c, SKOS.prefLabel)} == {"en", "fr", "es"}, c
    fr = {str(lbl) for c in countries for lbl in g.objects(c, SKOS.prefLabel) if lbl.language == "fr"}
    assert {"Allemagne", "Maroc"} <= fr  # CLDR's names, not the English ones copied


def _english(g: rdflib.Graph, node: rdflib.term.Node, prop: rdflib.URIRef) -> str:
    return next(str(x) for x in g.objects(node, prop) if x.language == "en")


def test_gcm_objectives_match_reference_list():
    rows = list(csv.DictReader(need("reference", "gcm-objectives.csv").open()))
    g = load(REPO / "ontology" / "vocab" / "gcm-objectives.ttl")
    for row in rows:
        c = rdflib.URIRef(f"https://w3id.org/gfmdkg/vocab/gcm-objective/{row['number']}")
        assert _english(g, c, SKOS.prefLabel) == row["short_label"]
        assert _english(g, c, SKOS.definition) == row["title"]
    assert len(set(g.subjects(RDF.type, SKOS.Concept))) == 23


def test_iati_roles_match_reference_list():
    rows = list(csv.DictReader(need("reference", "iati-organisation-roles.csv").open()))
    g = load(REPO / "ontology" / "vocab" / "org-roles.ttl")
    notations = {str(n) for n in g.objects(None, SKOS.notation)}
    assert notations == {r["code"] for r in rows}
    labels = {str(lbl) for lbl in g.objects(None, SKOS.prefLabel)}
    assert {r["name"] for r in rows} | {"Partner", "Coordinator"} <= labels


def test_variant_spellings_are_alt_labels():
    g = load(REPO / "ontology" / "vocab" / "thematic-areas.ttl")
    diasporas = rdflib.URIRef("https://w3id.org/gfmdkg/vocab/thematic-area/diasporas")
    assert rdflib.Literal("Diaspora", lang="en") in set(g.objects(diasporas, SKOS.altLabel))
    t = load(REPO / "ontology" / "vocab" / "tags.ttl")
    brain = rdflib.URIRef("https://w3id.org/gfmdkg/vocab/tag/brain-drain-and-brain-gain")
    assert {"Brain Drain and Brain Gain", "Brain drain"} <= {str(x) for x in t.objects(brain, SKOS.altLabel)}
    for scheme_file in ("thematic-areas.ttl", "tags.ttl"):
        sg = load(REPO / "ontology" / "vocab" / scheme_file)
        notes = " ".join(str(n) for n in sg.objects(None, SKOS.editorialNote))
        assert "reconstructed" in notes.lower()


GCM = "https://w3id.org/gfmdkg/vocab/gcm-objective/"
# Objectives whose official French / Spanish title has not yet been found on a UN page (see the scheme's definition)
GCM_TITLE_MISSING = {"fr": {3, 7, 17, 18}, "es": {3, 15, 16, 17, 20, 23}}


def _gcm_titles() -> dict[str, dict[int, str]]:
    """Official titles of the GCM objectives by language and objective number; one per language at most."""
    g = load(REPO / "ontology" / "vocab" / "gcm-objectives.ttl")
    titles: dict[str, dict[int, str]] = {"en": {}, "fr": {}, "es": {}}
    for n in range(1, 24):
        c = rdflib.URIRef(f"{GCM}{n}")
        official = sorted((t.language, str(t)) for t in g.objects(c, GFMD.officialTitle))
        assert len({lang for lang, _ in official}) == len(official), (n, official)
        assert official == sorted((d.language, str(d)) for d in g.objects(c, SKOS.definition)), n
        for lang, text in official:
            titles[lang][n] = text
    return titles


def test_gcm_official_titles_in_french_and_spanish():
    titles = _gcm_titles()
    assert set(titles["en"]) == set(range(1, 24))
    for lang in ("fr", "es"):
        assert set(titles[lang]) == set(range(1, 24)) - GCM_TITLE_MISSING[lang], lang
        assert not [t for t in titles[lang].values() if "'" in t], lang  # the UN's typographic apostrophe
    assert titles["fr"][20].startswith("Rendre les envois de fonds plus rapides")
    assert titles["es"][9] == "Reforzar la respuesta transnacional al tráfico ilícito de migrantes"


@pytest.mark.xfail(strict=True, reason="official titles not yet found on a UN page: " + "; ".join(
    f"{lang} for objectives {', '.join(map(str, sorted(ns)))}" for lang, ns in GCM_TITLE_MISSING.items()))
def test_every_gcm_objective_has_official_title_in_three_languages():
    titles = _gcm_titles()
    assert all(set(titles[lang]) == set(range(1, 24)) for lang in ("en", "fr", "es"))
