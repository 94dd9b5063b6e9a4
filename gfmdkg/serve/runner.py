"""Bounded query execution for the server: every query runs in a reused, killable worker process
(:class:`gfmdkg.bounded.Worker`, pooled by :mod:`gfmdkg.serve.workers`) with a deadline, a result-size cap and a
memory cap.

The parent never touches the store while serving, so a worker forked again never inherits a lock held mid-query.
"""

from __future__ import annotations

import io
import json
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from gfmdkg.bounded import address_space
from gfmdkg.errors import GfmdkgError, QueryTooLarge
from gfmdkg.serve.dataset import Dataset
from gfmdkg.serve.workers import PING, WorkerPool
from gfmdkg.sparql.guard import check_query, decode_escapes, query_form, tokens
from gfmdkg.sparql.guard import engine_syntax_message as syntax_message
from gfmdkg.serve import i18n
from gfmdkg.serve.i18n import Labels
from gfmdkg.sparql.terms import Term, from_oxigraph, to_sparql
from gfmdkg.store.values import inject_values

LABEL_PREDICATES = [ox.NamedNode(p) for p in (
    "http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title", "http://purl.org/dc/terms/bibliographicCitation",
    "http://www.w3.org/2004/02/skos/core#notation")]


class QuerySyntaxError(GfmdkgError):
    """A query that is not valid SPARQL; the message gives only the position."""


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

@lru_cache(maxsize=1024)
def has_dataset_clause(sparql: str) -> bool:
    """True when the query names its own dataset (FROM / FROM NAMED)."""
    return any(t.kind == "word" and t.text.upper() == "FROM" for t in tokens(decode_escapes(sparql)))


_SLOT = re.compile(r"<urn:gfmdkg-bind:([A-Za-z_][A-Za-z0-9_]*)>")


def bind(sparql: str, bindings: dict[str, Term] | None) -> str:
    """``sparql`` with ``bindings`` as ``VALUES`` blocks, as the engines bind them (:func:`inject_values`).

    Besides the outermost group, every subquery that projects a bound variable gets the block too, so a value
    still narrows a subquery's ``LIMIT`` (as pyoxigraph's ``substitutions`` did) while ``BOUND()`` sees it.
    Where the blocks go depends only on the text and the names, so that is worked out once per query (a
    template with a slot per value) and each request only fills the slots, in one pass.
    """
    if not bindings:
        return sparql
    if _SLOT.search(sparql):  # the text itself holds a slot's spelling: no template
        return _bind_text(sparql, bindings)
    return _SLOT.sub(lambda m: to_sparql(bindings[m.group(1)]), _template(sparql, tuple(bindings)))


@lru_cache(maxsize=1024)
def _template(sparql: str, names: tuple[str, ...]) -> str:
    return _bind_text(sparql, {n: {"type": "uri", "value": f"urn:gfmdkg-bind:{n}"} for n in names})


def _bind_text(sparql: str, bindings: dict[str, Term]) -> str:
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


class _Sink(io.RawIOBase):
    """Where a worker serializes an answer: in memory, and stopped as soon as it passes the size limit."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__()
        self.max_bytes = max_bytes
        self.buffer = io.BytesIO()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.buffer.tell() + len(data) > self.max_bytes:
            raise QueryTooLarge(f"the query's result is larger than the limit of {self.max_bytes} bytes",
                                hint="add a LIMIT, or select fewer columns")
        return self.buffer.write(data)


def _serialize(answer, media: str, prefixes: dict[str, str] | None, max_bytes: int) -> bytes:
    """An answer in the format of ``media`` (a results format, or an RDF format for graphs), at most ``max_bytes``."""
    sink = _Sink(max_bytes)
    if isinstance(answer, (ox.QuerySolutions, ox.QueryBoolean)):
        answer.serialize(sink, ox.QueryResultsFormat.from_media_type(media))
    else:
        fmt = ox.RdfFormat.from_media_type(media)
        kwargs = {"prefixes": prefixes} if prefixes and fmt == ox.RdfFormat.TURTLE else {}
        ox.serialize(answer, sink, fmt, **kwargs)
    return sink.buffer.getvalue()


class QueryService:
    """Runs guarded, bounded queries over a :class:`Dataset` in two pools of reused worker processes: one for the
    pages' own queries, one for ad-hoc ``/sparql`` queries (:mod:`gfmdkg.serve.workers`)."""

    def __init__(self, dataset: Dataset, *, timeout: float = 10.0, max_bytes: int = 16 * 1024 * 1024,
                 workers: int = 4, page_workers: int = 4, memory: int = 2 * 1024 ** 3) -> None:
        """``workers`` / ``page_workers``: processes answering ``/sparql`` / page queries; ``memory``: what one
        query may allocate beyond the server's own address space."""
        self.dataset = dataset
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.memory = memory
        cap = address_space() + memory
        self.sparql_pool = WorkerPool(self._answer, workers, memory=cap, what="query", wait=timeout)
        self.page_pool = WorkerPool(self._answer, page_workers, memory=cap, what="page query", wait=timeout)
        self._cache = PageCache()

    def start(self) -> None:
        """Fork every worker now (call before serving: the process has one thread then)."""
        for pool in (self.page_pool, self.sparql_pool):
            pool.start(max(self.timeout, 30.0))

    def close(self) -> None:
        for pool in (self.page_pool, self.sparql_pool):
            pool.close()

    # ------------------------------------------------------------------ in the parent
    def _call(self, pool: WorkerPool, kind: str, *args) -> bytes:
        """Send one request to a worker of ``pool``; a SPARQL syntax error comes back tagged, as its position."""
        request = json.dumps([kind, self.max_bytes, *args]).encode()
        # the worker's own sink enforces max_bytes on answers; the frame has room for tags and error messages
        data = pool.call(request, timeout=self.timeout, max_bytes=self.max_bytes + 4096)
        if data[:1] == b"!":
            raise QuerySyntaxError(data[1:].decode(), hint="correct the query near that position")
        return data[1:]

    def check(self, sparql: str) -> str:
        """The text to run for a user's query: SERVICE, updates and FROM graphs that are not held locally are refused
        on a parse. Called in the worker, before the engine sees the query: a parse can take seconds on a long
        query, and must neither hold the server's threads nor escape the deadline."""
        return check_query(sparql, allowed_graphs=self.dataset.local_graphs)

    def serialize(self, sparql: str, fmt: ox.QueryResultsFormat | ox.RdfFormat, *,
                  selection: Selection = Selection(), prefixes: dict[str, str] | None = None,
                  base_iri: str | None = None) -> bytes:
        """Run a user's query and serialize the answer in ``fmt`` (results format, or RDF format for graphs)."""
        return self._call(self.sparql_pool, "serialize", sparql, fmt.media_type, selection.default,
                          selection.named, prefixes, base_iri)

    def graph(self, sparql: str, bindings: dict[str, Term], fmt: ox.RdfFormat,
              prefixes: dict[str, str] | None = None) -> bytes | None:
        """A trusted CONSTRUCT with bound values, serialized in ``fmt``; None when it yields no triple."""
        data = self._call(self.page_pool, "graph", sparql, bindings, fmt.media_type, prefixes)
        return data[1:] if data else None

    def results(self, sparql: str, bindings: dict[str, Term], media: str) -> bytes:
        """A trusted SELECT/ASK with bound values, its answer as the engine writes it in ``media`` (a results
        format: SPARQL JSON, XML, CSV or TSV), kept in the page cache like :meth:`select`."""
        key = json.dumps(["results", sparql, bindings, media], sort_keys=True)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._call(self.page_pool, "results", sparql, bindings, media)
            self._cache.put(key, cached)
        return cached

    def select(self, queries: list[tuple[str, dict[str, Term]]], *, labels: bool = True,
               lang: str | None = None) -> tuple[list, Labels]:
        """Run several trusted SELECT/CONSTRUCT queries (values bound as terms) in one request to a page worker.

        Returns the rows of each query (lists of ``{var: term}``; CONSTRUCT as ``{s, p, o}`` rows) and, when
        ``labels``, a label for every IRI that appears in them. The data never change while the server runs, so
        answers are kept in a small cache. Labels are in ``lang`` (default: the page's language) where the graph
        has one, else in English, else in any language.
        """
        lang = lang or i18n.current()
        key = json.dumps([queries, labels, lang], sort_keys=True)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._call(self.page_pool, "select", queries, labels, lang)
            self._cache.put(key, cached)
        results, texts, langs = json.loads(cached)
        return results, Labels(texts, langs)

    # ------------------------------------------------------------------ in a worker
    def _answer(self, request: bytes) -> bytes:
        """A worker's answer to one request from :meth:`_call`: ``+`` and the bytes, or ``!`` and a syntax error."""
        if request == PING:
            return b""
        kind, max_bytes, *args = json.loads(request)
        try:
            return b"+" + getattr(self, f"_do_{kind}")(max_bytes, *args)
        except SyntaxError as exc:
            return b"!" + syntax_message(exc).encode()

    def _query(self, sparql: str, selection: Selection, bindings: dict[str, Term] | None = None,
               base_iri: str | None = None):
        return self.dataset.store.query(bind(sparql, bindings), base_iri=base_iri, **selection.kwargs(sparql))

    def _do_serialize(self, max_bytes: int, sparql: str, media: str, default: list[str] | None,
                      named: list[str] | None, prefixes: dict[str, str] | None, base_iri: str | None) -> bytes:
        selection = Selection(None if default is None else tuple(default), None if named is None else tuple(named))
        return _serialize(self._query(self.check(sparql), selection, None, base_iri), media, prefixes, max_bytes)

    def _do_graph(self, max_bytes: int, sparql: str, bindings: dict[str, Term], media: str,
                  prefixes: dict[str, str] | None) -> bytes:
        triples = sorted(set(self._query(sparql, Selection(), bindings)),
                         key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        if not triples:
            return b""
        return b"+" + _serialize(iter(triples), media, prefixes, max_bytes)

    def _do_results(self, max_bytes: int, sparql: str, bindings: dict[str, Term], media: str) -> bytes:
        return _serialize(self._query(sparql, Selection(), bindings), media, None, max_bytes)

    def _do_select(self, max_bytes: int, queries: list[tuple[str, dict[str, Term]]], labels: bool,
                   lang: str) -> bytes:
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
        texts, langs = self._labels(iris, lang) if labels else ({}, {})
        return json.dumps([results, texts, langs]).encode()

    def _labels(self, iris: set[str], lang: str) -> tuple[dict[str, str], dict[str, str]]:
        """The best label of each IRI (prefLabel, label, title, citation, notation; ``lang`` first, then English)
        and the language of each label that has one."""
        store = self.dataset.store
        texts: dict[str, str] = {}
        langs: dict[str, str] = {}
        for iri in iris:
            node = ox.NamedNode(iri)
            for pred in LABEL_PREDICATES:
                values = [q.object for q in store.quads_for_pattern(node, pred, None, None)
                          if isinstance(q.object, ox.Literal)]
                if values:
                    values.sort(key=lambda lit: (lit.language != lang, lit.language not in ("en", None), lit.value))
                    texts[iri] = values[0].value
                    if values[0].language:
                        langs[iri] = values[0].language
                    break
        return texts, langs
