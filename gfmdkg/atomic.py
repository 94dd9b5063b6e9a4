"""Writing files so that a failure at any point leaves the old file (or no file) behind, never a partial one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

TMP_PREFIX = ".gfmdkg-tmp-"
BUFFER = 1024 * 1024


def mode_for(target: Path) -> int:
    """The replaced file's permissions, or for a new file what the umask gives (the temporary file is 0600)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def atomic_output(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """A binary file to stream ``path`` through: a temporary file in the same folder, fsynced and renamed over
    ``path`` (then the folder fsynced) only when the block ends normally; on any exception it is removed and
    ``path`` is left as it was."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb", buffering=BUFFER) as out:
            yield out
            out.flush()
            os.fchmod(out.fileno(), mode_for(target))
            os.fsync(out.fileno())
        os.replace(tmp, target)
        tmp = ""
        fsync_dir(folder)
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def fsync_dir(folder: str | os.PathLike) -> None:
    """Make a folder's entries (a rename, a new or removed file) durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_output`)."""
    with atomic_output(path) as out:
        out.write(data)


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def sweep_stale(folder: str | os.PathLike) -> int:
    """Remove temporary files a killed writer left in ``folder``; returns how many."""
    n = 0
    for p in Path(folder).glob(TMP_PREFIX + "*"):
        try:
            p.unlink()
            n += 1
        except OSError:
            pass
    return n
