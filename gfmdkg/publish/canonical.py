"""The fast export path: a project's files turned into sorted distinct N-Triples lines per graph, and counted for
the dataset description, in parallel worker processes, each file's part kept in a cache by content hash.

Parsing the Turtle files again is several times faster than reading the on-disk index (decoding its terms costs
about 10 us per quad), and it needs no index at all. Each worker parses whole files with pyoxigraph (or, for other
syntaxes and on any error, :func:`gfmdkg.rdfio.parse_bytes`: same checks and messages as everywhere else), writes
them as N-Triples, sorts the lines as bytes and counts them (:class:`gfmdkg.publish.dataset.Counts`); the parent
only merges. The result does not depend on the order of the files, on how they were shared out or on the cache:
every graph is sorted on its own and graphs are written in the order of their names.

The cache (``$GFMDKG_CACHE/export/``) holds, per file content, its lines and counts (:func:`_pack`), so a repeated
export re-parses only the files that changed. Entries unused for a day are removed.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from gfmdkg.atomic import TMP_PREFIX
from gfmdkg.errors import GfmdkgError
from gfmdkg.project import Project
from gfmdkg.publish.dataset import Counts, describe
from gfmdkg.publish.rdf_export import Published, graph_key, publish, sorted_distinct
from gfmdkg.rdfio import format_for, parse_bytes, read_bytes
from gfmdkg.store.stamps import cache_root

#: below this many bytes of graph files, workers cost more than they save.
PARALLEL_BYTES = 4 * 1024 * 1024

#: version of the cached form of a file's lines and counts (part of every cache key).
FORMAT = 1
#: cache entries unused for this long are removed at the next export.
KEEP_SECONDS = 24 * 3600

FileResult = tuple[dict[str, bytes], Counts, bool]


def _ntriples(data: bytes, path: str, graph: str) -> dict[str, bytes]:
    """N-Triples per graph of one file's ``data`` (unsorted). Turtle and N-Triples, which hold only triples, go
    straight through pyoxigraph; anything else, and any file pyoxigraph rejects, through :func:`parse_bytes` (its
    checks, and its error naming the file, line and column)."""
    fmt = format_for(path)
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES):
        try:
            return {f"<{graph}>": ox.serialize(ox.parse(data, format=fmt), format=ox.RdfFormat.N_TRIPLES)}
        except (SyntaxError, ValueError):
            pass
    triples: dict[str, list[ox.Triple]] = {}
    for q in parse_bytes(data, path, fmt, graph=graph):
        triples.setdefault(graph_key(q.graph_name), []).append(q.triple)
    return {key: ox.serialize(ts, format=ox.RdfFormat.N_TRIPLES) for key, ts in triples.items()}


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off: millions of short-lived tuples and lists (none in a cycle) would start it
    over and over, for nothing (about a third of the counting time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def file_lines(data: bytes, path: str, graph: str) -> FileResult:
    """One graph file as sorted distinct N-Triples lines per graph (joined), their counts, and whether they may
    hold a blank node."""
    counts = Counts()
    out: dict[str, bytes] = {}
    blank = False
    with paused_gc():
        for key, nt in _ntriples(data, path, graph).items():
            lines = sorted_distinct(nt.splitlines(keepends=True))
            counts.add(key, lines)
            out[key] = b"".join(lines)
            blank = blank or key.startswith("_:") or b"_:" in out[key]
    return out, counts, blank


def _cached(path: str, graph: str, folder: Path | None) -> bytes | Path:
    """:func:`file_lines` of one file, packed (:func:`_pack`), or the cache entry in ``folder`` that holds them when
    this content was seen before; a new result is kept there (best effort: a cache that cannot be written is
    skipped; not fsynced: a damaged entry is detected and made again)."""
    data = read_bytes(path)
    key = hashlib.sha256(f"{FORMAT}\0{ox.__version__}\0{graph}\0".encode() + data).hexdigest()[:40]
    entry = folder / key if folder else None
    if entry is not None and entry.is_file():
        try:
            os.utime(entry)
            return entry
        except OSError:
            pass
    packed = _pack(file_lines(data, path, graph))
    if entry is not None:
        try:
            fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=folder)
            with os.fdopen(fd, "wb") as out:
                out.write(packed)
            os.replace(tmp, entry)
            return entry  # read back by the parent from the page cache: cheaper than sending it through a pipe
        except OSError:
            pass
    return packed


def _lines(items: set[bytes]) -> bytes:
    return b"\n".join(items) + b"\n" if items else b""


def _pack(result: FileResult) -> bytes:
    """A file's lines and counts as bytes: a JSON header line, then each set as lines (objects already end in a
    newline), then the members of each class, then each graph's lines."""
    blobs, counts, blank = result
    sections = [_lines(counts.subjects), _lines(counts.predicates), b"".join(counts.objects),
                *map(_lines, counts.classes.values()), *blobs.values()]
    header = {"format": FORMAT, "blank": blank, "graphs": counts.graphs, "blobs": list(blobs),
              "classes": [c.decode() for c in counts.classes], "sizes": [len(section) for section in sections]}
    return json.dumps(header).encode() + b"\n" + b"".join(sections)


def _unpack(packed: bytes) -> FileResult:
    """The inverse of :func:`_pack`; ValueError for anything else."""
    first, _, body = packed.partition(b"\n")
    header = json.loads(first)
    if header.get("format") != FORMAT or sum(header["sizes"]) != len(body):
        raise ValueError("not an export cache entry of this version")
    sections, start = [], 0
    for size in header["sizes"]:
        sections.append(body[start:start + size])
        start += size
    n = len(header["classes"])
    classes = {c.encode(): set(section.splitlines()) for c, section in zip(header["classes"], sections[3:3 + n],
                                                                            strict=True)}
    counts = Counts(set(sections[0].splitlines()), set(sections[1].splitlines()),
                    set(sections[2].splitlines(keepends=True)), classes, dict(header["graphs"]))
    return dict(zip(header["blobs"], sections[3 + n:], strict=True)), counts, bool(header["blank"])


Job = tuple[str, str, Path | None]


def _work(job: Job) -> tuple[Job, bytes | Path | GfmdkgError]:
    try:
        return job, _cached(*job)
    except GfmdkgError as exc:  # sent back as a value: the parent raises it with its message and hint
        return job, GfmdkgError(str(exc.message), hint=exc.hint)


def cache_folder() -> Path | None:
    """Where each file's lines and counts are kept, by content hash (None when it cannot be created)."""
    folder = cache_root() / "export"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def _prune(folder: Path | None) -> None:
    """Remove entries no export has used for :data:`KEEP_SECONDS`."""
    if folder is None:
        return
    limit = time.time() - KEEP_SECONDS
    for entry in folder.iterdir():
        try:
            if entry.stat().st_mtime < limit:
                entry.unlink()
        except OSError:
            pass


def _workers(requested: int | None, files: Sequence[Path]) -> int:
    if requested is not None:
        return max(1, requested)
    if sum(p.stat().st_size for p in files) < PARALLEL_BYTES:
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, len(files)))


def _results(jobs: list[Job], workers: int) -> Iterator[tuple[Job, bytes | Path | GfmdkgError]]:
    if workers == 1:
        yield from map(_work, jobs)
        return
    import multiprocessing
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap_unordered(_work, jobs)


def export_project(project: Project, *, files: Sequence[Path] | None = None, workers: int | None = None,
                   sparql_endpoint: str | None = None, cache: bool = True) -> Sequence[ox.Quad]:
    """What ``gfmdkg export`` publishes for ``project`` (its graph files, or ``files``): the same quads, in the same
    canonical form, as :func:`gfmdkg.publish.rdf_export.export_quads` of the parsed files, but made by ``workers``
    processes (default: one per CPU for a large project, else none), each file's part kept in the export cache
    (:func:`cache_folder`) unless ``cache`` is False."""
    files = list(project.graph_files() if files is None else files)
    biggest_first = sorted(files, key=lambda p: (-p.stat().st_size, str(p)))
    folder = cache_folder() if cache else None
    jobs = [(str(p), project.graph_iri(p), folder) for p in biggest_first]
    with paused_gc():
        lines: dict[str, list[bytes]] = {}
        counts = Counts()
        blank_nodes = False
        for (path, graph, _), result in _results(jobs, _workers(workers, files)):
            if isinstance(result, GfmdkgError):
                raise result
            try:
                blobs, file_counts, blank = _unpack(result.read_bytes() if isinstance(result, Path) else result)
            except (ValueError, KeyError, TypeError, OSError):  # a damaged cache entry: removed, made again
                if isinstance(result, Path):
                    result.unlink(missing_ok=True)
                packed = _cached(path, graph, folder)
                blobs, file_counts, blank = _unpack(packed if isinstance(packed, bytes) else packed.read_bytes())
            counts.merge(file_counts)
            blank_nodes = blank_nodes or blank
            for key, blob in blobs.items():
                graph_lines = blob.splitlines(keepends=True)
                lines[key] = sorted_distinct(lines[key] + graph_lines) if key in lines else graph_lines
        counts.graphs = {key: len(graph_lines) for key, graph_lines in lines.items() if key}  # a graph in two files
        union = Published(lines).union()
        _prune(folder)
        return publish(lines, describe(counts, len(union), sparql_endpoint=sparql_endpoint), union=union,
                       blank_nodes=blank_nodes)
