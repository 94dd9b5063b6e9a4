"""Namespaces of the gfmdkg graph and the vocabularies it reuses, in one place."""

from __future__ import annotations

BASE = "https://w3id.org/gfmdkg/"
DEF = BASE + "def#"
SHAPES = BASE + "shapes#"
VOCAB = BASE + "vocab/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"

#: prefix -> namespace IRI, used for Turtle output, SPARQL prefixes and JSON-LD contexts.
PREFIXES: dict[str, str] = {
    "gfmd": DEF,
    "gfmdsh": SHAPES,
    "gv": VOCAB,
    "practice": ID + "practice/",
    "finding": ID + "finding/",
    "rec": ID + "recommendation/",
    "msg": ID + "message/",
    "source": ID + "source/",
    "doc": ID + "document/",
    "bp": ID + "document/gfmd2014-rt32-background-paper/",
    "rr": ID + "document/gfmd2014-rt3-rapporteur-report/",
    "orgid": ID + "org/",
    "country": ID + "country/",
    "event": ID + "event/",
    "question": ID + "question/",
    "ta": VOCAB + "thematic-area/",
    "tag": VOCAB + "tag/",
    "od": VOCAB + "outcome-domain/",
    "dir": VOCAB + "effect-direction/",
    "ch": VOCAB + "channel/",
    "pg": VOCAB + "population-group/",
    "status": VOCAB + "practice-status/",
    "basis": VOCAB + "link-basis/",
    "vs": VOCAB + "value-status/",
    "otype": VOCAB + "org-type/",
    "role": VOCAB + "org-role/",
    "gcm": VOCAB + "gcm-objective/",
    "region": VOCAB + "region/",
    "review": VOCAB + "review-status/",
    "crole": VOCAB + "contribution-role/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "bibo": "http://purl.org/ontology/bibo/",
    "cito": "http://purl.org/spar/cito/",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "vann": "http://purl.org/vocab/vann/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "euvoc": "http://publications.europa.eu/ontology/euvoc#",
}


def sparql_prologue(prefixes: dict[str, str] | None = None) -> str:
    """PREFIX declarations for every known namespace, to put in front of a query."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in (prefixes or PREFIXES).items())


def shorten(iri: str) -> str:
    """The prefixed name of an IRI when a known namespace covers it, else the IRI in angle brackets."""
    best = ""
    for p, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            local = iri[len(ns):]
            if local and all(c.isalnum() or c in "-_." for c in local):
                best = p
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else f"<{iri}>"
