"""``add``: write checked contributions into data/contrib/ as one Turtle file (one named graph) each, all or
nothing. Concurrent runs are serialised by a lock on the data/ folder itself (nothing is left behind); every
file is written to a temporary file, fsynced and renamed; on any failure every change is undone."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from gfmdkg.atomic import TMP_PREFIX, sweep_stale
from gfmdkg.contrib.pipeline import CheckResult, check
from gfmdkg.contrib.style import serialize
from gfmdkg.contrib.unit import Unit
from gfmdkg.errors import GfmdkgError
from gfmdkg.project import Project

LOCK_WAIT_SECONDS = 120.0
CONTRIB = "contrib"


@dataclass
class Added:
    """What one ``add`` wrote."""

    result: CheckResult
    files: list[tuple[Path, Unit]] = field(default_factory=list)
    regenerated: list[Path] = field(default_factory=list)


@contextlib.contextmanager
def data_lock(folder: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """An exclusive lock on ``folder`` (flock on its descriptor): one writer at a time, no lock file."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise GfmdkgError(f"{folder} is locked by another gfmdkg add that has run for over {wait:.0f} s",
                                      hint="wait for it to finish, then run the command again") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def render(unit: Unit) -> str:
    """The unit as project-style Turtle, verified by parsing it back to exactly the same triples."""
    what = unit.record.where if unit.record is not None else unit.source
    header = (f"# Contributed practice, added with `gfmdkg add` from {Path(unit.source).name}"
              + (f" ({what.split(', ', 1)[1]})" if unit.record is not None and ", " in what else "") + ".\n"
              "# One file = one named graph. Checked by `gfmdkg check` against the shapes and vocabularies.\n")
    text = serialize(unit.quads, unit.iri, header)
    back = set(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))
    if back != {ox.Quad(q.subject, q.predicate, q.object) for q in unit.quads}:  # pragma: no cover - a writer bug
        raise GfmdkgError(f"internal error: the Turtle written for {unit.slug} does not read back the same",
                          hint="report this as a bug; nothing was written")
    return text


class _Transaction:
    """New files and replaced files, undone together on failure."""

    def __init__(self) -> None:
        self.created: list[Path] = []
        self.replaced: list[tuple[Path, bytes]] = []
        self.dirs: list[Path] = []

    def mkdir(self, folder: Path) -> None:
        if not folder.exists():
            folder.mkdir()
            self.dirs.append(folder)

    def write(self, target: Path, data: bytes) -> None:
        old = target.read_bytes() if target.exists() else None
        fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        if old is None:
            self.created.append(target)
        else:
            self.replaced.append((target, old))
        _fsync_dir(target.parent)

    def rollback(self) -> None:
        for path in reversed(self.created):
            with contextlib.suppress(OSError):
                path.unlink()
        for path, old in reversed(self.replaced):
            with contextlib.suppress(OSError):
                path.write_bytes(old)
        for folder in reversed(self.dirs):
            with contextlib.suppress(OSError):
                sweep_stale(folder)
                folder.rmdir()


def replace(src: str, dst: Path) -> None:
    """``os.replace``; a separate function so that tests can make it fail."""
    os.replace(src, dst)


def add(project: Project, paths: list[Path], *, base_iri: str | None = None, contributor: str | None = None) -> Added:
    """Check ``paths`` and, only if they pass, write each unit to data/contrib/<slug>.ttl (all or nothing)."""
    project.require_writable()
    data_dir = project.root / "data"
    contrib = data_dir / CONTRIB
    with data_lock(data_dir):
        if contrib.is_dir():
            sweep_stale(contrib)
        result = check(project, paths, base_iri=base_iri, contributor=contributor)
        added = Added(result)
        if result.exit_code:
            return added
        planned: list[tuple[Path, bytes, Unit]] = []
        for unit in result.units:
            target = contrib / f"{unit.slug}.ttl"
            if target.exists() or any(p == target for p, _, _ in planned):
                raise GfmdkgError(f"{project.relative(target)} already exists",
                                  hint=f"give {unit.where()} another id ('id', or another IRI)")
            planned.append((target, render(unit).encode("utf-8"), unit))
        tx = _Transaction()
        try:
            tx.mkdir(contrib)
            for target, data, unit in planned:
                tx.write(target, data)
                added.files.append((target, unit))
            if any(u.converted is not None and u.converted.missing_countries for u in result.units):
                added.regenerated = _regenerate_countries(project, tx)
        except BaseException:
            tx.rollback()
            added.files.clear()
            raise
    return added


def _regenerate_countries(project: Project, tx: _Transaction) -> list[Path]:
    """New countries named by the contribution get their nodes, generated as `gfmdkg curate countries` does and
    appended to the generated files (no existing node changes); returns the files that changed."""
    from gfmdkg.curation.countries import extend

    changed = extend(project)
    for path, text in changed:
        tx.write(path, text.encode("utf-8"))
    return [p for p, _ in changed]
