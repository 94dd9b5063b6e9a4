"""The dataset description (DCAT + VoID): the static part is data/dataset.ttl; the counts are computed here, at
export or push time, from the quads being published.

What is counted (all over the union of the graph files, before these statistics are added):
``void:triples`` distinct triples; ``void:entities`` distinct subjects in our URI space (``/id/``);
``void:classes`` / ``void:properties`` distinct classes (objects of rdf:type) / predicates;
``void:distinctSubjects`` / ``void:distinctObjects``; one ``void:classPartition`` per class with its
``void:entities``; one ``void:subset`` per named graph (source file) with its ``void:triples``.

Everything is counted from canonical N-Triples lines (one pass over each graph's sorted distinct lines, see
:class:`Counts`), so that the counting can run in the worker processes that write those lines.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter, methodcaller

import pyoxigraph as ox

from gfmdkg.namespaces import GRAPH, ID, PREFIXES, shorten

DATASET = ID + "dataset/gfmdkg"
STATS_GRAPH = GRAPH + "statistics"
VOID = PREFIXES["void"]
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
XSD_INTEGER = ox.NamedNode(PREFIXES["xsd"] + "integer")
_TYPE = f"<{RDF_TYPE.value}>".encode()
_ENTITY = f"<{ID}".encode()


@dataclass
class Counts:
    """Distinct terms seen in N-Triples lines (terms kept as their N-Triples bytes; objects with the line's
    ending `` .\\n``), and the distinct triples of each named graph. Merge counts of disjoint graphs with
    :meth:`merge`; the union's distinct triple count is given separately (it needs every line at once)."""

    subjects: set[bytes] = field(default_factory=set)
    predicates: set[bytes] = field(default_factory=set)
    objects: set[bytes] = field(default_factory=set)
    classes: dict[bytes, set[bytes]] = field(default_factory=dict)
    graphs: dict[str, int] = field(default_factory=dict)

    def add(self, graph: str, lines: list[bytes]) -> None:
        """Count one graph's sorted distinct lines (``graph``: '' for the default graph, else '<iri>')."""
        parts = [line.split(b" ", 2) for line in lines]
        self.subjects.update(map(itemgetter(0), parts))
        self.predicates.update(map(itemgetter(1), parts))
        self.objects.update(map(itemgetter(2), parts))
        for s, p, o in parts:
            if p == _TYPE and o[:1] == b"<":
                self.classes.setdefault(o.rstrip()[:-2], set()).add(s)
        if graph:
            self.graphs[graph] = self.graphs.get(graph, 0) + len(lines)

    def merge(self, other: Counts) -> None:
        self.subjects |= other.subjects
        self.predicates |= other.predicates
        self.objects |= other.objects
        for cls, members in other.classes.items():
            self.classes.setdefault(cls, set()).update(members)
        for graph, n in other.graphs.items():
            self.graphs[graph] = self.graphs.get(graph, 0) + n


def _count(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=XSD_INTEGER)


def _iri(term: bytes | str) -> ox.NamedNode:
    text = term.decode() if isinstance(term, bytes) else term
    return ox.NamedNode(text[1:-1])


def _partition_iri(cls: str) -> str:
    short = shorten(cls)
    if short.startswith("<"):
        return f"{DATASET}#class-iri-{hashlib.sha256(cls.encode()).hexdigest()[:16]}"
    slug = short.replace(":", "-")
    return f"{DATASET}#class-{slug}"


def describe(counts: Counts, triples: int, *, sparql_endpoint: str | None = None) -> list[ox.Quad]:
    """The computed part of the description, as quads in the statistics named graph; ``triples`` is the number of
    distinct triples of the union graph."""
    ds, g = ox.NamedNode(DATASET), ox.NamedNode(STATS_GRAPH)
    out: list[ox.Quad] = []

    def add(s: ox.NamedNode, void_term: str, o: ox.Term) -> None:
        out.append(ox.Quad(s, RDF_TYPE if void_term == "type" else ox.NamedNode(VOID + void_term), o, g))

    entities = sum(map(methodcaller("startswith", _ENTITY), counts.subjects))
    add(ds, "triples", _count(triples))
    add(ds, "entities", _count(entities))
    add(ds, "classes", _count(len(counts.classes)))
    add(ds, "properties", _count(len(counts.predicates)))
    add(ds, "distinctSubjects", _count(len(counts.subjects)))
    add(ds, "distinctObjects", _count(len(counts.objects)))
    if sparql_endpoint:
        add(ds, "sparqlEndpoint", ox.NamedNode(sparql_endpoint))
    for cls in sorted((_iri(c) for c in counts.classes), key=lambda c: c.value):
        part = ox.NamedNode(_partition_iri(cls.value))
        add(ds, "classPartition", part)
        add(part, "class", cls)
        add(part, "entities", _count(len(counts.classes[f"<{cls.value}>".encode()])))
    for graph in sorted((_iri(k) for k in counts.graphs), key=lambda n: n.value):
        add(ds, "subset", graph)
        add(graph, "type", ox.NamedNode(VOID + "Dataset"))
        add(graph, "triples", _count(counts.graphs[f"<{graph.value}>"]))
    return out


def describe_lines(lines: Mapping[str, list[bytes]], *, sparql_endpoint: str | None = None) -> list[ox.Quad]:
    """:func:`describe` for sorted distinct N-Triples lines per graph (as :mod:`gfmdkg.publish.rdf_export` holds
    them)."""
    counts = Counts()
    for graph, graph_lines in lines.items():
        counts.add(graph, graph_lines)
    union = len(dict.fromkeys(line for graph_lines in lines.values() for line in graph_lines))
    return describe(counts, union, sparql_endpoint=sparql_endpoint)


def statistics(quads: Iterable[ox.Quad] | ox.Store, *, sparql_endpoint: str | None = None) -> list[ox.Quad]:
    """The computed part of the description for ``quads`` (or every quad of a store)."""
    from gfmdkg.publish.rdf_export import lines_by_graph

    return describe_lines(lines_by_graph(quads), sparql_endpoint=sparql_endpoint)
