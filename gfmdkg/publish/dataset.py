"""The dataset description (DCAT + VoID): the static part is data/dataset.ttl; the counts are computed here, at
export or push time, from the quads being published.

What is counted (all over the union of the graph files, before these statistics are added):
``void:triples`` distinct triples; ``void:entities`` distinct subjects in our URI space (``/id/``);
``void:classes`` / ``void:properties`` distinct classes (objects of rdf:type) / predicates;
``void:distinctSubjects`` / ``void:distinctObjects``; one ``void:classPartition`` per class with its
``void:entities``; one ``void:subset`` per named graph (source file) with its ``void:triples``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pyoxigraph as ox

from gfmdkg.namespaces import GRAPH, ID, PREFIXES, shorten

DATASET = ID + "dataset/gfmdkg"
STATS_GRAPH = GRAPH + "statistics"
VOID = PREFIXES["void"]
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
XSD_INTEGER = ox.NamedNode(PREFIXES["xsd"] + "integer")


def _count(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=XSD_INTEGER)


def _partition_iri(cls: str) -> str:
    short = shorten(cls)
    if short.startswith("<"):
        return f"{DATASET}#class-iri-{hashlib.sha256(cls.encode()).hexdigest()[:16]}"
    slug = short.replace(":", "-")
    return f"{DATASET}#class-{slug}"


def _rows(store: ox.Store, sparql: str) -> list[ox.QuerySolution]:
    return list(store.query(sparql, use_default_graph_as_union=True))


def statistics(quads: Iterable[ox.Quad] | ox.Store, *, sparql_endpoint: str | None = None) -> list[ox.Quad]:
    """The computed part of the description, as quads in the statistics named graph. Counted by SPARQL aggregates
    in pyoxigraph: over ``quads`` when it is a store already, else over an in-memory store loaded with them."""
    if isinstance(quads, ox.Store):
        store = quads
    else:
        store = ox.Store()
        store.bulk_extend(quads)
    (triples,) = _rows(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    (spo,) = _rows(store, "SELECT (COUNT(DISTINCT ?s) AS ?s_) (COUNT(DISTINCT ?p) AS ?p_) (COUNT(DISTINCT ?o) AS ?o_) "
                          "WHERE { ?s ?p ?o }")
    (entities,) = _rows(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o "
                               f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{ID}")) }}')
    classes = _rows(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c")
    graphs = _rows(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?g)) } GROUP BY ?g")
    ds, g = ox.NamedNode(DATASET), ox.NamedNode(STATS_GRAPH)
    out: list[ox.Quad] = []

    def add(s: ox.NamedNode, void_term: str, o: ox.Term) -> None:
        out.append(ox.Quad(s, RDF_TYPE if void_term == "type" else ox.NamedNode(VOID + void_term), o, g))

    add(ds, "triples", triples["n"])
    add(ds, "entities", entities["n"])
    add(ds, "classes", _count(len(classes)))
    add(ds, "properties", spo["p_"])
    add(ds, "distinctSubjects", spo["s_"])
    add(ds, "distinctObjects", spo["o_"])
    if sparql_endpoint:
        add(ds, "sparqlEndpoint", ox.NamedNode(sparql_endpoint))
    for row in sorted(classes, key=lambda r: r["c"].value):
        part = ox.NamedNode(_partition_iri(row["c"].value))
        add(ds, "classPartition", part)
        add(part, "class", row["c"])
        add(part, "entities", row["n"])
    for row in sorted(graphs, key=lambda r: r["g"].value):
        add(ds, "subset", row["g"])
        add(row["g"], "type", ox.NamedNode(VOID + "Dataset"))
        add(row["g"], "triples", row["n"])
    return out
