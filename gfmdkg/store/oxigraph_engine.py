"""The fast embedded engine: pyoxigraph, persisted as an on-disk index that is rebuilt when any file changes.

The index lives under ``$GFMDKG_CACHE`` (default ``~/.cache/gfmdkg``), one folder per content fingerprint of the
project's files, built in a temporary folder and renamed into place, so a half-built index is never used.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox

from gfmdkg.bounded import DEFAULT_TIMEOUT, Worker
from gfmdkg.errors import GfmdkgError, QueryNotParsed
from gfmdkg.project import Project
from gfmdkg.sparql.guard import engine_syntax_message
from gfmdkg.sparql.terms import Term
from gfmdkg.store.base import Engine, Result
from gfmdkg.store.loading import load_into
from gfmdkg.store.stamps import cache_root

KEEP_INDEXES = 4
#: the SPARQL 1.1 results formats pyoxigraph writes in the worker
RESULTS_FORMATS = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV,
                   "tsv": ox.QueryResultsFormat.TSV}
_STORAGE_PROBLEM = re.compile(r"No space left on device|File too large|Disk quota exceeded|Read-only file system"
                              r"|Permission denied|Not a directory|Too many open files", re.IGNORECASE)


def _is_index(name: str) -> bool:
    return name.startswith(".tmp") or (len(name) == 32 and all(c in "0123456789abcdef" for c in name))


def _prune(root: Path, keep: Path) -> None:
    """Remove old indexes (and stale temporary folders), newest first kept; other folders are left alone."""
    import shutil
    entries = sorted((p for p in root.iterdir() if p.is_dir() and p != keep and _is_index(p.name)),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP_INDEXES - 1:] + [p for p in entries if p.name.startswith(".tmp")]:
        shutil.rmtree(old, ignore_errors=True)


def _load(store: ox.Store, project: Project, progress: bool, label: str) -> None:
    """Every graph file into ``store``, with a progress bar by file (on a terminal only)."""
    from gfmdkg.progress import progress_bar
    files = project.graph_files()
    with progress_bar(len(files), label, enabled=progress) as bar:
        load_into(store, project, files, on_file=lambda _: bar.update(1))


class OxigraphEngine(Engine):
    """pyoxigraph store; queries run over the union of all named graphs in a bounded child process, forked at the
    first query and reused (:class:`gfmdkg.bounded.Worker`): the store must not change once it is queried."""

    name = "oxigraph"

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.local_graphs = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
        self._worker = Worker(self._answer)

    def _answer(self, request: bytes) -> bytes:
        """In the worker: run one query (``FORM\nMODE\nSPARQL``) and serialize its answer: graphs as N-Triples,
        solutions in the results format MODE names (``json``, ``csv``, ``tsv``), or ``page:N``: the first N rows as
        SPARQL JSON with the number of all rows."""
        form, mode, sparql = request.decode().split("\n", 2)
        try:
            answer = self.store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryNotParsed(engine_syntax_message(exc), hint="correct the query at that place") from None
        if form not in ("SELECT", "ASK"):
            return ox.serialize(answer, format=ox.RdfFormat.N_TRIPLES)
        if mode.startswith("page:") and form == "SELECT":
            return _page(answer, int(mode[5:]))
        return answer.serialize(format=RESULTS_FORMATS.get(mode, ox.QueryResultsFormat.JSON))

    @classmethod
    def in_memory(cls, quads) -> OxigraphEngine:
        store = ox.Store()
        store.bulk_extend(quads)
        return cls(store)

    @classmethod
    def from_project(cls, project: Project, *, progress: bool = True, memory: bool = False) -> OxigraphEngine:
        """Open the on-disk index for the project's current content, building it first when needed.

        With ``memory``, load the files into an in-memory store instead: slower to open than an existing index
        but 3-10x faster per query (no key-value store lookups), the right choice for a long-lived process.
        ``progress``: a progress bar while files are loaded (on a terminal only).
        """
        if memory:
            return cls._memory(project, progress)
        root = cache_root()
        try:
            root.mkdir(parents=True, exist_ok=True)
            target = root / project.fingerprint()[:32]
            if not (target / "READY").exists():
                cls._build(project, root, target, progress)
        except OSError as exc:  # no writable cache (read-only, full disk, over quota): the graph in memory
            return cls._fallback(project, progress, root, exc)
        try:
            return cls(ox.Store.read_only(str(target)))
        except OSError as exc:
            if isinstance(exc, (FileNotFoundError, PermissionError)) or exc.errno in (28, 30):
                return cls._fallback(project, progress, root, exc)
            raise GfmdkgError(f"cannot open the index in {root}: {exc}", hint="delete that folder, or set "
                              "GFMDKG_CACHE to a writable folder") from None

    @classmethod
    def _fallback(cls, project: Project, progress: bool, root: Path, exc: OSError) -> OxigraphEngine:
        """The in-memory store when the index cannot be written or read, said in one line on stderr."""
        import sys
        known = _STORAGE_PROBLEM.search(str(exc))  # RocksDB's errors carry no errno, only text
        why = (exc.strerror or (known.group() if known else type(exc).__name__)).lower()
        print(f"gfmdkg: note: cannot use the index folder {root} ({why}): working in memory instead "
              "(set GFMDKG_CACHE to a writable folder with free space to keep an index)", file=sys.stderr)
        return cls._memory(project, progress)

    @classmethod
    def _memory(cls, project: Project, progress: bool) -> OxigraphEngine:
        store = ox.Store()
        _load(store, project, progress, "loading")
        return cls(store)

    @staticmethod
    def _build(project: Project, root: Path, target: Path, progress: bool) -> None:
        import shutil  # only when building: kept off the start-up path of every query
        import tempfile
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
        try:
            store = ox.Store(str(tmp))
            _load(store, project, progress, "indexing")
            store.flush()
            store.optimize()
            del store
            (tmp / "READY").write_text(project.fingerprint())
            try:
                os.replace(tmp, target)
            except OSError:  # another process won the race: use its index
                shutil.rmtree(tmp, ignore_errors=True)
            _prune(root, target)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self.store)

    def __len__(self) -> int:
        return len(self.store)

    def _call(self, sparql: str, form: str, mode: str, timeout: float, max_bytes: int,
              sink: Callable[[bytes], object] | None = None) -> bytes:
        return self._worker.call(f"{form}\n{mode}\n{sparql}".encode(), timeout=timeout, max_bytes=max_bytes,
                                 sink=sink)

    def _run(self, sparql: str, form: str, timeout: float, max_bytes: int) -> Result:
        data = self._call(sparql, form, "json", timeout, max_bytes)
        if form in ("SELECT", "ASK"):
            import json
            return Result.from_json(json.loads(data))
        return Result.from_triples(form, ox.parse(data, format=ox.RdfFormat.N_TRIPLES))

    def serialized(self, sparql: str, bindings: dict[str, Term] | None = None, *, fmt: str,
                   timeout: float = DEFAULT_TIMEOUT, max_bytes: int = 256 * 1024 * 1024,
                   sink: Callable[[bytes], object] | None = None) -> bytes | None:
        """A SELECT answer as pyoxigraph writes it (CSV, TSV or JSON), in the worker: the parent decodes nothing,
        and with ``sink`` passes the bytes on as they arrive."""
        text, form = self.checked(sparql, bindings)
        if form != "SELECT" or fmt not in RESULTS_FORMATS:
            return None
        return self._call(text, form, fmt, timeout, max_bytes, sink)

    def page(self, sparql: str, bindings: dict[str, Term] | None = None, *, rows: int,
             timeout: float = DEFAULT_TIMEOUT, max_bytes: int = 256 * 1024 * 1024) -> Result:
        """The first ``rows`` rows of a SELECT answer and the number of all its rows, counted in the worker."""
        text, form = self.checked(sparql, bindings)
        if form != "SELECT":
            return self._run(text, form, timeout, max_bytes)
        import json
        doc = json.loads(self._call(text, form, f"page:{int(rows)}", timeout, max_bytes))
        result = Result.from_json(doc)
        result.total = doc["total"]
        return result


def _page(answer: ox.QuerySolutions, rows: int) -> bytes:
    """The first ``rows`` solutions as SPARQL JSON results, with ``total``: how many solutions there are."""
    import json
    from itertools import islice

    from gfmdkg.sparql.terms import from_oxigraph

    names = [v.value for v in answer.variables]
    page = [{n: from_oxigraph(t) for n, t in zip(names, solution, strict=True) if t is not None}
            for solution in islice(answer, rows)]
    total = len(page) + sum(1 for _ in answer)
    return json.dumps({"head": {"vars": names}, "results": {"bindings": page}, "total": total}).encode()
