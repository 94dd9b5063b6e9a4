"""The fast embedded engine: pyoxigraph, persisted as an on-disk index that is rebuilt when any file changes.

The index lives under ``$GFMDKG_CACHE`` (default ``~/.cache/gfmdkg``), one folder per content fingerprint of the
project's files, built in a temporary folder and renamed into place, so a half-built index is never used.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from gfmdkg.bounded import Worker
from gfmdkg.errors import GfmdkgError, QueryNotParsed
from gfmdkg.project import Project
from gfmdkg.sparql.guard import engine_syntax_message
from gfmdkg.store.base import Engine, Result
from gfmdkg.store.loading import load_into
from gfmdkg.store.stamps import cache_root

KEEP_INDEXES = 4
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
        """In the worker: run one query (``FORM\nSPARQL``) and serialize its answer."""
        form, sparql = request.decode().split("\n", 1)
        try:
            answer = self.store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryNotParsed(engine_syntax_message(exc), hint="correct the query at that place") from None
        if form in ("SELECT", "ASK"):
            return answer.serialize(format=ox.QueryResultsFormat.JSON)
        return ox.serialize(answer, format=ox.RdfFormat.N_TRIPLES)

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

    def _run(self, sparql: str, form: str, timeout: float, max_bytes: int) -> Result:
        data = self._worker.call(f"{form}\n{sparql}".encode(), timeout=timeout, max_bytes=max_bytes)
        if form in ("SELECT", "ASK"):
            import json
            return Result.from_json(json.loads(data))
        return Result.from_triples(form, ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
