"""JSON-LD a plain JSON consumer can use: over the whole export every key keeps one shape, every property has a
term, IRIs are written in full; the linked-data descriptions carry the same context, also as application/json, and
pyld (an independent processor) reads them back to the graph the server describes in Turtle."""

from __future__ import annotations

import json
import urllib.request
from collections import defaultdict

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from gfmdkg.publish.canonical import export_project
from gfmdkg.publish.jsonld import load_context, make_context
from gfmdkg.publish.rdf_export import serialize

MIDA = "/id/practice/mida-ghana-health"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def shape(value: object) -> str:
    """The JSON shape of a value, nested: ``list[str]``, ``map[list[str]]`` (a language map), ``object(@id)``."""
    if isinstance(value, list):
        inner = sorted({shape(v) for v in value})
        return f"list[{'|'.join(inner)}]"
    if isinstance(value, dict):
        if any(k.startswith("@") and k != "@none" for k in value):
            return f"object({','.join(sorted(value))})"
        return f"map[{'|'.join(sorted({shape(v) for v in value.values()}))}]"
    return type(value).__name__


@pytest.fixture(scope="module")
def published(project):
    return export_project(project)


@pytest.fixture(scope="module")
def context(project) -> dict:
    return load_context(project.root)


@pytest.fixture(scope="module")
def document(published, context) -> dict:
    return json.loads(serialize(published, "jsonld", context=context))


def test_every_key_keeps_one_shape_over_the_whole_export(document):
    shapes: dict[str, set[str]] = defaultdict(set)
    for node in document["@graph"]:
        for key, value in node.items():
            shapes[key].add(shape(value))
    assert len(shapes) > 100
    changing = {k: sorted(v) for k, v in shapes.items() if len(v) > 1}
    assert changing == {}
    # repeatable values are arrays, text is a language map of arrays, "type" is an array
    assert shapes["type"] == {"list[str]"} and shapes["partner"] == {"list[str]"}
    assert shapes["title"] == {"map[list[str]]"} and shapes["id"] == {"str"}


def test_every_property_used_has_a_term(published, context):
    terms = make_context(context).properties
    predicates = {q.predicate.value for q in published}
    assert sorted(p for p in predicates - terms.keys() if p != RDF_TYPE) == []


def test_the_ontology_properties_all_have_terms(project, context):
    terms = make_context(context).properties
    g = rdflib.Graph().parse(project.root / "ontology" / "gfmd.ttl")
    owl = rdflib.OWL
    declared = {str(s) for t in (owl.ObjectProperty, owl.DatatypeProperty) for s in g.subjects(rdflib.RDF.type, t)}
    assert declared and sorted(declared - terms.keys()) == []


def test_iris_are_written_in_full(document, context):
    names = make_context(context).properties
    id_terms = {t.name for t in names.values() if t.kind == "id"}
    for node in document["@graph"]:
        assert node["id"].startswith(("http://", "https://", "_:")), node["id"]
        for key in id_terms & node.keys():
            assert all(v.startswith(("http://", "https://", "urn:", "mailto:", "_:")) for v in node[key]), key


def test_a_key_that_is_not_a_term_holds_only_what_no_term_can_carry(document, context):
    """Compact-IRI keys appear only for values a term cannot reproduce exactly (mixed date types, ...)."""
    c = make_context(context)
    for node in document["@graph"]:
        for key, value in node.items():
            if ":" in key:
                assert c.expand(key) in c.properties, key
                assert all(isinstance(v, dict) and ("@value" in v or "@id" in v) for v in value), key


# ------------------------------------------------------------------ content negotiation

def fetch(server, path: str, accept: str) -> tuple[int, str, bytes]:
    req = urllib.request.Request(server.base + path, headers={"Accept": accept})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return resp.status, resp.headers["Content-Type"], resp.read()


def test_description_as_jsonld_has_the_published_context(server, context):
    from pyld import jsonld

    status, ctype, body = fetch(server, MIDA, "application/ld+json")
    assert status == 200 and ctype == "application/ld+json"
    doc = json.loads(body)
    assert doc["@context"] == context
    node = next(n for n in doc["@graph"] if n["id"].endswith(MIDA))
    assert node["type"] == ["Practice"] and node["title"]["en"]
    _, _, turtle = fetch(server, MIDA, "text/turtle")
    expected = rdflib.Graph().parse(data=turtle.decode(), format="turtle")
    by_pyld = rdflib.Graph().parse(data=jsonld.to_rdf(doc, {"format": "application/n-quads"}), format="nt")
    assert isomorphic(by_pyld, expected)


def test_plain_json_is_served(server):
    status, ctype, body = fetch(server, MIDA, "application/json")
    assert status == 200 and ctype == "application/json"
    assert body == fetch(server, MIDA, "application/ld+json")[2]
    assert json.loads(body)["@graph"]


def test_served_jsonld_is_readable_by_pyoxigraph_without_network(server):
    _, _, body = fetch(server, MIDA, "application/ld+json")
    triples = list(ox.parse(body, format=ox.RdfFormat.JSON_LD))
    assert any(t.subject.value.endswith(MIDA) for t in triples)
