"""Deterministic RDF exports of the merged graph: same input, byte-identical output.

Every export carries the dataset description: the static part (data/dataset.ttl) is one of the graph files and the
computed counts are added by :func:`publish` in their own named graph.

The canonical form is N-Triples lines written by pyoxigraph, sorted as bytes, held per graph (:class:`Published`):
N-Triples and N-Quads are those lines streamed out; the other syntaxes are written from them. A project's files get
there fastest through :func:`gfmdkg.publish.canonical.export_project`; any quads through :func:`export_quads`.
"""

from __future__ import annotations

import bisect
import io
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import BinaryIO

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
CHUNK = 65536  # lines written per write() call
CHUNK_BYTES = 1 << 20
EXTENSIONS = {"turtle": "ttl", "nt": "nt", "nq": "nq", "trig": "trig", "jsonld": "jsonld", "xml": "rdf"}

# XML 1.0 NCName characters: RDF/XML writes a predicate as namespace + local name, so the IRI must end in one.
_START = ("A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
          "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_LOCAL_NAME = re.compile(f"[{_START}][{_START}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]*$")


def sorted_distinct(lines: Iterable[bytes]) -> list[bytes]:
    """Distinct lines in byte order (a subject's lines come together). Sorting serialised lines as bytes is many
    times faster than sorting Python term objects, and Python's sort merges runs already in order (lines of sorted
    graphs, subjects in file order) instead of sorting them again."""
    out = sorted(lines)
    if any(map(operator.eq, out, itertools.islice(out, 1, None))):  # duplicates are next to each other
        out = [line for line, _ in itertools.groupby(out)]
    return out[1:] if out and out[0] == b"\n" else out


def _chunks(lines: list[bytes], graph: str = "") -> Iterator[bytes]:
    """N-Triples ``lines`` joined in large chunks; with ``graph`` ('<iri>'), as N-Quads in that graph (in an
    N-Triples line, " .\\n" can only be its end: literals escape their newlines)."""
    for start in range(0, len(lines), CHUNK):
        chunk = b"".join(lines[start:start + CHUNK])
        yield chunk.replace(b" .\n", b" " + graph.encode() + b" .\n") if graph else chunk


def write_lines(lines: list[bytes], out: BinaryIO, graph: str = "") -> None:
    """Write ``lines`` to ``out`` (see :func:`_chunks`)."""
    for chunk in _chunks(lines, graph):
        out.write(chunk)


class _ChunkReader(io.RawIOBase):
    """Chunks of bytes read as one binary file, so that pyoxigraph can parse lines without their being joined."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._rest = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # noqa: ANN001 - a writable buffer
        while not self._rest:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._rest = memoryview(chunk)
        n = min(len(buffer), len(self._rest))
        buffer[:n] = self._rest[:n]
        self._rest = self._rest[n:]
        return n


def _parsed(published: Published, dataset: bool) -> Iterator[ox.Quad]:
    """The published quads (``dataset``) or union triples, parsed from the canonical lines as they stream by."""
    if dataset:
        chunks = itertools.chain.from_iterable(_chunks(published.lines[g], g) for g in sorted(published.lines))
        return ox.parse(io.BufferedReader(_ChunkReader(chunks), CHUNK_BYTES), format=ox.RdfFormat.N_QUADS)
    reader = io.BufferedReader(_ChunkReader(_chunks(published.union())), CHUNK_BYTES)
    return ox.parse(reader, format=ox.RdfFormat.N_TRIPLES)


def _subject_groups(lines: list[bytes]) -> Iterator[tuple[ox.Term, list[ox.Triple]]]:
    """(subject, its triples) from sorted N-Triples lines, parsed as they stream by: blank-node subjects first, then
    IRIs, each in order (a line starts with its subject's N-Triples form, so byte order is subject order)."""
    blank = [line for line in lines if line.startswith(b"_:")]
    named = [line for line in lines if not line.startswith(b"_:")] if blank else lines
    for part in (blank, named):
        triples = ox.parse(io.BufferedReader(_ChunkReader(_chunks(part)), CHUNK_BYTES), format=ox.RdfFormat.N_TRIPLES)
        for subject, group in itertools.groupby(triples, key=lambda t: t.subject):
            yield subject, list(group)


def graph_key(graph: object) -> str:
    """'' for the default graph, else the graph's N-Triples form '<iri>' (blank node graphs: '_:id')."""
    return "" if isinstance(graph, ox.DefaultGraph) else str(graph)


def ntriples_lines(triples: Iterable[ox.Triple]) -> list[bytes]:
    """Sorted distinct N-Triples lines of ``triples`` (written by pyoxigraph), each ending in a newline."""
    return sorted_distinct(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines(keepends=True))


class Published(Sequence[ox.Quad]):
    """Exported quads held as sorted distinct N-Triples lines per graph (see :func:`graph_key`), written by
    pyoxigraph; Python quad objects are made only when someone iterates over them."""

    def __init__(self, lines: dict[str, list[bytes]], union: list[bytes] | None = None) -> None:
        self.lines = lines
        self._quads: list[ox.Quad] | None = None
        self._union = union

    def union(self) -> list[bytes]:
        """The union graph's sorted distinct lines."""
        if self._union is None:
            self._union = sorted_distinct(itertools.chain.from_iterable(self.lines.values()))
        return self._union

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


def lines_by_graph(quads: Iterable[ox.Quad] | ox.Store) -> dict[str, list[bytes]]:
    """Sorted distinct N-Triples lines per graph."""
    if isinstance(quads, Published):
        return quads.lines
    triples: dict[str, list[ox.Triple]] = {}
    for q in quads:
        triples.setdefault(graph_key(q.graph_name), []).append(q.triple)
    return {graph: ntriples_lines(ts) for graph, ts in triples.items()}


def _published(quads: Iterable[ox.Quad]) -> Published:
    return quads if isinstance(quads, Published) else Published(lines_by_graph(quads))


def write_nquads(quads: Iterable[ox.Quad], out: BinaryIO) -> None:
    """Canonical N-Quads: graphs in order (default graph first), within each graph the sorted N-Triples lines."""
    lines = _published(quads).lines
    for graph in sorted(lines):
        write_lines(lines[graph], out, graph)


def write_ntriples(quads: Iterable[ox.Quad], out: BinaryIO) -> None:
    """Canonical N-Triples of the union graph: distinct triples, sorted lines."""
    write_lines(_published(quads).union(), out)


def _to_bytes(writer: Callable[[Iterable[ox.Quad], BinaryIO], None], quads: Iterable[ox.Quad]) -> bytes:
    buffer = io.BytesIO()
    writer(quads, buffer)
    return buffer.getvalue()


def nquads_bytes(quads: Iterable[ox.Quad]) -> bytes:
    """Canonical N-Quads (:func:`write_nquads`) as bytes."""
    return _to_bytes(write_nquads, quads)


def ntriples_bytes(quads: Iterable[ox.Quad]) -> bytes:
    """Canonical N-Triples (:func:`write_ntriples`) as bytes."""
    return _to_bytes(write_ntriples, quads)


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


def has_blank_nodes(lines: dict[str, list[bytes]]) -> bool:
    """Whether the lines may hold a blank node (or "_:" inside a literal: the slower path is right in both cases)."""
    return any(key.startswith("_:") or any(b"_:" in line for line in graph_lines)
               for key, graph_lines in lines.items())


def publish(lines: dict[str, list[bytes]], stats: list[ox.Quad], *, union: list[bytes] | None = None,
            blank_nodes: bool | None = None) -> Sequence[ox.Quad]:
    """What is published: ``lines`` (sorted distinct N-Triples lines per graph; ``union``, if known, the union
    graph's) plus the dataset statistics, blank nodes relabelled canonically when there are any (``blank_nodes``:
    whether there may be, if known)."""
    if has_blank_nodes(lines) if blank_nodes is None else blank_nodes:
        quads = list(ox.parse(nquads_bytes(Published(lines)), format=ox.RdfFormat.N_QUADS))
        return stable_blank_nodes(quads + stats)
    added = lines_by_graph(stats)
    if union is not None:  # add the few statistics lines that are new, keeping the order (sort merges two runs)
        extra = [line for graph_lines in added.values() for line in graph_lines]
        new = sorted_distinct(line for line in extra if (i := bisect.bisect_left(union, line)) == len(union)
                              or union[i] != line)
        union = sorted(union + new)
    return Published({**lines, **added}, union)


def export_quads(quads: Iterable[ox.Quad], *, sparql_endpoint: str | None = None) -> Sequence[ox.Quad]:
    """What is published: the graph files' quads plus the computed dataset statistics, blank nodes stabilised.
    For a project's files, :func:`gfmdkg.publish.canonical.export_project` is much faster (no index to decode)."""
    from gfmdkg.publish.dataset import describe_lines

    lines = lines_by_graph(quads)
    return publish(lines, describe_lines(lines, sparql_endpoint=sparql_endpoint))


def check_rdfxml(predicates: Iterable[str]) -> None:
    """Refuse predicates RDF/XML cannot write (an IRI must end in an XML name to become an element name)."""
    bad = sorted({p for p in predicates if not _LOCAL_NAME.search(p)})
    if bad:
        raise GfmdkgError(f"RDF/XML cannot write the predicate <{bad[0]}>" + (f" (and {len(bad) - 1} more)"
                          if len(bad) > 1 else "") + ": an RDF/XML property must end in an XML name "
                          "(a letter or '_' followed by letters, digits, '-', '.' or '_')",
                          hint="export in Turtle, N-Triples, TriG, N-Quads or JSON-LD, which carry any IRI")


def write(quads: Iterable[ox.Quad], syntax: str, out: BinaryIO, *, context: dict | None = None) -> None:
    """Write the graph in ``syntax`` to ``out``: datasets (N-Quads, TriG) keep one named graph per source file; the
    others are the union graph. JSON-LD needs ``context`` (the project's ontology/context.jsonld), written inline.

    Everything is ordered by sorting canonical N-Triples lines; N-Triples and N-Quads are those lines, streamed;
    the other syntaxes are written by pyoxigraph from them (JSON-LD by our own writer, which compacts)."""
    fmt = SYNTAXES[syntax]
    published = _published(quads)
    if syntax == "nq":
        write_nquads(published, out)
        return
    if syntax == "trig":
        ox.serialize(_parsed(published, dataset=True), out, format=fmt, prefixes=PREFIXES)
        return
    if syntax == "nt":
        write_ntriples(published, out)
        return
    if syntax == "jsonld":
        if context is None:
            raise ValueError("JSON-LD export needs the @context")
        from gfmdkg.publish.jsonld import write_jsonld
        write_jsonld(_subject_groups(published.union()), context, out)
        return
    if syntax == "xml":  # in a canonical N-Triples line the predicate is the second token: <iri>
        check_rdfxml({p[1:-1].decode() for p in {line.split(b" ", 2)[1] for line in published.union()}})
    ox.serialize(_parsed(published, dataset=False), out, format=fmt,
                 **({"prefixes": PREFIXES} if syntax == "turtle" else {}))


def serialize(quads: Iterable[ox.Quad], syntax: str, *, context: dict | None = None) -> bytes:
    """The graph in ``syntax`` as bytes (see :func:`write`)."""
    buffer = io.BytesIO()
    write(quads, syntax, buffer, context=context)
    return buffer.getvalue()
