"""Bounded query execution for the server: every query runs in a forked, killable child (gfmdkg.bounded) with a
deadline, a result-size cap and a memory cap; at most ``workers`` children run at once.

The parent never touches the store while serving, so a child never inherits a lock held mid-query.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from gfmdkg.bounded import address_space, run_bounded
from gfmdkg.errors import GfmdkgError
from gfmdkg.serve.dataset import Dataset
from gfmdkg.sparql.guard import check_query, decode_escapes, query_form, tokens
from gfmdkg.sparql.guard import engine_syntax_message as syntax_message
from gfmdkg.sparql.terms import Term, from_oxigraph, to_sparql
from gfmdkg.store.values import inject_values

LABEL_PREDICATES = [ox.NamedNode(p) for p in (
    "http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title", "http://purl.org/dc/terms/bibliographicCitation",
    "http://www.w3.org/2004/02/skos/core#notation")]


class QuerySyntaxError(GfmdkgError):
    """A query that is not valid SPARQL; the message gives only the position."""


class Busy(GfmdkgError):
    """Every query worker is in use."""


@dataclass(frozen=True)
class Selection:
    """The RDF dataset of one request: default graphs and named graphs (None = the whole store)."""

    default: tuple[str, ...] | None = None
    named: tuple[str, ...] | None = None

    def kwargs(self, sparql: str = "") -> dict:
        """pyoxigraph's dataset arguments: the protocol's graphs, else the query's own FROM, else the union."""
        if self.default is None and self.named is None:
            return {} if has_dataset_clause(sparql) else {"use_default_graph_as_union": True}
        return {"default_graph": [ox.NamedNode(g) for g in self.default or ()],
                "named_graphs": [ox.NamedNode(g) for g in self.named or ()]}

def has_dataset_clause(sparql: str) -> bool:
    """True when the query names its own dataset (FROM / FROM NAMED)."""
    return any(t.kind == "word" and t.text.upper() == "FROM" for t in tokens(decode_escapes(sparql)))


def bind(sparql: str, bindings: dict[str, Term] | None) -> str:
    """``sparql`` with ``bindings`` as ``VALUES`` blocks, as the engines bind them (:func:`inject_values`).

    Besides the outermost group, every subquery that projects a bound variable gets the block too, so a value
    still narrows a subquery's ``LIMIT`` (as pyoxigraph's ``substitutions`` did) while ``BOUND()`` sees it.
    """
    if not bindings:
        return sparql
    text = inject_values(sparql, bindings)
    toks = tokens(text)
    first = query_form(text) == "SELECT"
    inserts: list[tuple[int, str]] = []
    for i, tok in enumerate(toks):
        if tok.kind != "word" or tok.text.upper() != "SELECT":
            continue
        if first:
            first = False
            continue
        names, depth, j = [], 0, i + 1
        while j < len(toks) and not (depth == 0 and (toks[j].text == "{" or toks[j].text.upper() == "WHERE")):
            t = toks[j]
            depth += {"(": 1, ")": -1}.get(t.text, 0) if t.kind == "other" else 0
            if depth == 0 and (t.kind == "var" and t.text[1:] in bindings or t.text == "*"):
                names.extend(bindings if t.text == "*" else [t.text[1:]])
            j += 1
        brace = next((t for t in toks[j:] if t.kind == "other" and t.text == "{"), None)
        if names and brace is not None:
            names = list(dict.fromkeys(names))
            inserts.append((brace.pos + 1, " VALUES (" + " ".join("?" + n for n in names) + ") { ("
                            + " ".join(to_sparql(bindings[n]) for n in names) + ") } "))
    for pos, block in reversed(inserts):
        text = text[:pos] + block + text[pos:]
    return text


class PageCache:
    """A thread-safe LRU of page-query answers (bytes), bounded in total size."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        from collections import OrderedDict

        self.max_bytes = max_bytes
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
            return data

    def put(self, key: str, data: bytes) -> None:
        if len(data) + len(key) > self.max_bytes // 8:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = data
            self._size += len(data) + len(key)
            while self._size > self.max_bytes:
                old_key, old = self._items.popitem(last=False)
                self._size -= len(old) + len(old_key)


class QueryService:
    """Runs guarded, bounded queries over a :class:`Dataset`."""

    def __init__(self, dataset: Dataset, *, timeout: float = 10.0, max_bytes: int = 16 * 1024 * 1024,
                 workers: int = 4, memory: int = 2 * 1024 ** 3) -> None:
        """``memory``: what one query may allocate beyond the server's own address space."""
        self.dataset = dataset
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.memory = memory
        self._slots = threading.BoundedSemaphore(workers)
        self._cache = PageCache()

    def _bounded(self, work: Callable[[], bytes], what: str = "query") -> bytes:
        """``work()`` in a bounded child; a SPARQL syntax error comes back tagged, as its position only."""

        def tagged() -> bytes:
            try:
                return b"+" + work()
            except SyntaxError as exc:
                return b"!" + syntax_message(exc).encode()

        if not self._slots.acquire(timeout=self.timeout):
            raise Busy("the server is busy with other queries", hint="try again in a few seconds")
        try:
            data = run_bounded(tagged, timeout=self.timeout, max_bytes=self.max_bytes,
                               memory=address_space() + self.memory, what=what)
        finally:
            self._slots.release()
        if data[:1] == b"!":
            raise QuerySyntaxError(data[1:].decode(), hint="correct the query near that position")
        return data[1:]

    def _query(self, sparql: str, selection: Selection, bindings: dict[str, Term] | None = None,
               base_iri: str | None = None):
        return self.dataset.store.query(bind(sparql, bindings), base_iri=base_iri, **selection.kwargs(sparql))

    def check(self, sparql: str) -> str:
        """The text to run for a user's query: SERVICE, updates and FROM graphs that are not held locally are refused
        on a parse. Called in the bounded child, before the engine sees the query: a parse can take seconds on a
        long query, and must neither hold the server's threads nor escape the deadline."""
        return check_query(sparql, allowed_graphs=self.dataset.local_graphs)

    def serialize(self, sparql: str, fmt: ox.QueryResultsFormat | ox.RdfFormat, *,
                  selection: Selection = Selection(), prefixes: dict[str, str] | None = None,
                  base_iri: str | None = None) -> bytes:
        """Run a user's query and serialize the answer in ``fmt`` (results format, or RDF format for graphs)."""

        def work() -> bytes:
            answer = self._query(self.check(sparql), selection, None, base_iri)
            if isinstance(answer, ox.QueryTriples):
                kwargs = {"prefixes": prefixes} if prefixes and fmt == ox.RdfFormat.TURTLE else {}
                return ox.serialize(answer, format=fmt, **kwargs) or b""
            return answer.serialize(format=fmt) or b""

        return self._bounded(work)

    def graph(self, sparql: str, bindings: dict[str, Term], fmt: ox.RdfFormat,
              prefixes: dict[str, str] | None = None) -> bytes | None:
        """A trusted CONSTRUCT with bound values, serialized in ``fmt``; None when it yields no triple."""

        def work() -> bytes:
            triples = sorted(set(self._query(sparql, Selection(), bindings)),
                             key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
            if not triples:
                return b""
            kwargs = {"prefixes": prefixes} if prefixes and fmt == ox.RdfFormat.TURTLE else {}
            return b"+" + (ox.serialize(triples, format=fmt, **kwargs) or b"")

        data = self._bounded(work, "description")
        return data[1:] if data else None

    def select(self, queries: list[tuple[str, dict[str, Term]]], *, labels: bool = True) -> tuple[list, dict]:
        """Run several trusted SELECT/CONSTRUCT queries (values bound as terms) in one child.

        Returns the rows of each query (lists of ``{var: term}``; CONSTRUCT as ``{s, p, o}`` rows) and, when
        ``labels``, a label for every IRI that appears in them. The data never change while the server runs, so
        answers are kept in a small cache.
        """
        key = json.dumps([queries, labels], sort_keys=True)
        cached = self._cache.get(key)
        if cached is not None:
            return json.loads(cached)

        def work() -> bytes:
            results = []
            iris: set[str] = set()
            for sparql, bindings in queries:
                answer = self._query(sparql, Selection(), bindings)
                if isinstance(answer, ox.QueryTriples):
                    rows = [{"s": from_oxigraph(t.subject), "p": from_oxigraph(t.predicate),
                             "o": from_oxigraph(t.object)} for t in answer]
                else:
                    names = [v.value for v in answer.variables]
                    rows = [{n: from_oxigraph(sol[n]) for n in names if sol[n] is not None} for sol in answer]
                results.append(rows)
                if labels:
                    iris.update(t["value"] for row in rows for t in row.values() if t["type"] == "uri")
            return json.dumps([results, self._labels(iris) if labels else {}]).encode()

        data = self._bounded(work, "page query")
        self._cache.put(key, data)
        results, found = json.loads(data)
        return results, found

    def _labels(self, iris: set[str]) -> dict[str, str]:
        """The best label of each IRI: prefLabel, label, title, citation, notation; English first."""
        store = self.dataset.store
        out: dict[str, str] = {}
        for iri in iris:
            node = ox.NamedNode(iri)
            for pred in LABEL_PREDICATES:
                values = [q.object for q in store.quads_for_pattern(node, pred, None, None)
                          if isinstance(q.object, ox.Literal)]
                if values:
                    values.sort(key=lambda lit: (lit.language not in ("en", None), lit.value))
                    out[iri] = values[0].value
                    break
        return out
