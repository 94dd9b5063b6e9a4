"""Deterministic RDF exports of the merged graph: same input, byte-identical output."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from gfmdkg.namespaces import PREFIXES

SYNTAXES: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
DATASET_SYNTAXES = ("nq", "trig")
EXTENSIONS = {"turtle": "ttl", "nt": "nt", "nq": "nq", "trig": "trig", "jsonld": "jsonld", "xml": "rdf"}


def _key(term: object) -> tuple:
    return (type(term).__name__, str(term))


def sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Quads in a stable order: graph, subject, predicate, object."""
    return sorted(set(quads), key=lambda q: (_key(q.graph_name), _key(q.subject), _key(q.predicate), _key(q.object)))


def sorted_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The union graph's triples (duplicates across graphs merged) in a stable order."""
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    return sorted(triples, key=lambda t: (_key(t.subject), _key(t.predicate), _key(t.object)))


def serialize(quads: Iterable[ox.Quad], syntax: str) -> bytes:
    """The graph in ``syntax``: datasets (N-Quads, TriG) keep one named graph per source file; the others are the
    union graph."""
    fmt = SYNTAXES[syntax]
    prefixes = {"prefixes": PREFIXES} if syntax in ("turtle", "trig") else {}
    if syntax in DATASET_SYNTAXES:
        return ox.serialize(sorted_quads(quads), format=fmt, **prefixes)
    return ox.serialize(sorted_triples(quads), format=fmt, **prefixes)
