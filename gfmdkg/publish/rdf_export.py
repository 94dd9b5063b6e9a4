"""Deterministic RDF exports of the merged graph: same input, byte-identical output.

Every export carries the dataset description: the static part (data/dataset.ttl) is one of the graph files and the
computed counts are added by :func:`export_quads` in their own named graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

import pyoxigraph as ox

from gfmdkg.errors import GfmdkgError
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

# XML 1.0 NCName characters: RDF/XML writes a predicate as namespace + local name, so the IRI must end in one.
_START = ("A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
          "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_LOCAL_NAME = re.compile(f"[{_START}][{_START}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]*$")


def _lines(triples: Iterable[ox.Triple]) -> list[bytes]:
    """N-Triples lines of ``triples`` (written by pyoxigraph, one line per triple)."""
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines()


def _sorted_lines(lines: Iterable[bytes]) -> list[bytes]:
    """Distinct lines in byte order (a subject's lines come together). Sorting serialised lines as bytes is many
    times faster than sorting Python term objects."""
    return sorted(set(lines) - {b""})


def _graph_key(graph: object) -> str:
    return "" if isinstance(graph, ox.DefaultGraph) else str(graph)


class Published(Sequence[ox.Quad]):
    """Exported quads held as N-Triples lines per graph (key: '' for the default graph, else '<iri>'), written by
    pyoxigraph; Python quad objects are made only when someone iterates over them."""

    def __init__(self, lines: dict[str, list[bytes]]) -> None:
        self.lines = lines
        self._quads: list[ox.Quad] | None = None

    def _items(self) -> list[ox.Quad]:
        if self._quads is None:
            self._quads = list(ox.parse(nquads_bytes(self), format=ox.RdfFormat.N_QUADS))
        return self._quads

    def __len__(self) -> int:
        return len(self._items())

    def __getitem__(self, index):  # type: ignore[override]
        return self._items()[index]

    def __iter__(self) -> Iterator[ox.Quad]:
        return iter(self._items())


def _by_graph(quads: Iterable[ox.Quad]) -> dict[str, list[bytes]]:
    """N-Triples lines per graph."""
    if isinstance(quads, Published):
        return quads.lines
    triples: dict[str, list[ox.Triple]] = {}
    for q in quads:
        triples.setdefault(_graph_key(q.graph_name), []).append(q.triple)
    return {graph: _lines(ts) for graph, ts in triples.items()}


def nquads_bytes(quads: Iterable[ox.Quad]) -> bytes:
    """Canonical N-Quads: graphs in order (default graph first), within each graph the sorted N-Triples lines."""
    out: list[bytes] = []
    by_graph = _by_graph(quads)
    for graph in sorted(by_graph):
        suffix = b" " + graph.encode() + b" ." if graph else b" ."
        out.extend(line[:-2] + suffix for line in _sorted_lines(by_graph[graph]))
    return b"\n".join(out) + b"\n" if out else b""


def ntriples_bytes(quads: Iterable[ox.Quad]) -> bytes:
    """Canonical N-Triples of the union graph: distinct triples, sorted lines."""
    lines = _sorted_lines(line for graph_lines in _by_graph(quads).values() for line in graph_lines)
    return b"\n".join(lines) + b"\n" if lines else b""


def sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Quads in a stable order: graph, subject, predicate, object."""
    return list(ox.parse(nquads_bytes(quads), format=ox.RdfFormat.N_QUADS))


def sorted_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The union graph's triples (duplicates across graphs merged) in a stable order."""
    return [q.triple for q in ox.parse(ntriples_bytes(quads), format=ox.RdfFormat.N_TRIPLES)]


def stable_blank_nodes(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Blank nodes relabelled canonically (RDFC-1.0), so that the same input gives the same labels on every run."""
    if not any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object, q.graph_name)):
        return quads
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return list(dataset)


def _dump(store: ox.Store) -> dict[str, list[bytes]] | None:
    """The store's N-Triples lines per graph, dumped by pyoxigraph; None when they may hold a blank node."""
    out: dict[str, list[bytes]] = {}
    for graph in [ox.DefaultGraph(), *store.named_graphs()]:
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
        if b"_:" in data:  # (or "_:" inside a literal: the slower path is right in both cases)
            return None
        if data:
            out.setdefault(_graph_key(graph), []).extend(data.splitlines())
    return out


def export_quads(quads: Iterable[ox.Quad], *, store: ox.Store | None = None,
                 sparql_endpoint: str | None = None) -> Sequence[ox.Quad]:
    """What is published: the graph files' quads plus the computed dataset statistics, blank nodes stabilised.
    ``store``, when it already holds exactly these quads, is used to count them (saves loading them again) and,
    when it has no blank node, to write them without making Python objects (:class:`Published`)."""
    from gfmdkg.publish.dataset import statistics

    lines = _dump(store) if store is not None else None
    if lines is not None:
        stats = statistics(store, sparql_endpoint=sparql_endpoint)
        if not any(isinstance(t, ox.BlankNode) for q in stats for t in (q.subject, q.object, q.graph_name)):
            for graph, graph_lines in _by_graph(stats).items():
                lines.setdefault(graph, []).extend(graph_lines)
            return Published(lines)
        return stable_blank_nodes(list(store) + stats)
    data = list(quads)
    stats = statistics(store if store is not None else data, sparql_endpoint=sparql_endpoint)
    return stable_blank_nodes(data + stats)


def check_rdfxml(predicates: Iterable[str]) -> None:
    """Refuse predicates RDF/XML cannot write (an IRI must end in an XML name to become an element name)."""
    bad = sorted({p for p in predicates if not _LOCAL_NAME.search(p)})
    if bad:
        raise GfmdkgError(f"RDF/XML cannot write the predicate <{bad[0]}>" + (f" (and {len(bad) - 1} more)"
                          if len(bad) > 1 else "") + ": an RDF/XML property must end in an XML name "
                          "(a letter or '_' followed by letters, digits, '-', '.' or '_')",
                          hint="export in Turtle, N-Triples, TriG, N-Quads or JSON-LD, which carry any IRI")


def serialize(quads: Iterable[ox.Quad], syntax: str, *, context: dict | None = None) -> bytes:
    """The graph in ``syntax``: datasets (N-Quads, TriG) keep one named graph per source file; the others are the
    union graph. JSON-LD needs ``context`` (the project's ontology/context.jsonld), written inline.

    Everything is ordered by sorting canonical N-Triples lines; the other syntaxes are written from those lines by
    pyoxigraph without turning them into Python objects (except JSON-LD, which our own writer compacts)."""
    fmt = SYNTAXES[syntax]
    if syntax == "nq":
        return nquads_bytes(quads)
    if syntax == "trig":
        return ox.serialize(ox.parse(nquads_bytes(quads), format=ox.RdfFormat.N_QUADS), format=fmt,
                            prefixes=PREFIXES)
    nt = ntriples_bytes(quads)
    if syntax == "nt":
        return nt
    if syntax == "jsonld":
        if context is None:
            raise ValueError("JSON-LD export needs the @context")
        from gfmdkg.publish.jsonld import to_jsonld
        return to_jsonld([q.triple for q in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)], context)
    if syntax == "xml":  # in a canonical N-Triples line the predicate is the second token: <iri>
        check_rdfxml({line.split(b" ", 2)[1][1:-1].decode() for line in nt.splitlines()})
    return ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), format=fmt,
                        **({"prefixes": PREFIXES} if syntax == "turtle" else {}))
