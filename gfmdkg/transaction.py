"""Several project files replaced together, all or nothing, even across ``kill -9`` or a power cut: a redo journal.

Used by ``gfmdkg add`` (practice files in data/contrib/, the regenerated data/countries.ttl and
ontology/vocab/regions.ttl) and ``gfmdkg curate countries``. The design is the redo log databases use:

1. **stage**: each new content goes to a temporary file *in its target's folder* (``.gfmdkg-tmp-...``: hidden, so
   never read as part of the graph), written, given the target's mode (a new file: what the umask gives), fsynced.
   Everything that can fail for lack of space or permission fails here, and then every staged file is removed:
   nothing changed.
2. **commit**: the journal ``data/.gfmdkg-journal.json``, the list of (staged file, target) pairs, is written
   atomically (temporary file, fsync, rename, fsync of the folder). That rename is the commit point: before it the
   old state stands, after it the new one.
3. **apply**: each staged file is renamed over its target, the folders are fsynced, the journal is removed.

:func:`recover` finishes what a killed writer left: a journal means a committed transaction whose apply may have
been cut short, so each staged file still present is renamed over its target (a pair already applied has no staged
file left: replaying is idempotent), then the journal is removed; staged files of a transaction killed before its
commit are swept. Writers run it under the data/ lock before anything else, and every command that opens a
project runs it (waiting for the lock) when a journal is present, so no command ever reads a half-applied state.
Writers are serialised by an ``flock`` on the data/ folder itself (no lock file to go stale).

Limits: targets must be on one file system with their folder (rename is atomic only there); an empty folder that
a killed transaction created (data/contrib/) may remain; readers that do not find a journal do not lock, so a
reader racing the few milliseconds of an apply can read a mix (as with any set of plain files).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from gfmdkg.atomic import TMP_PREFIX, fsync_dir, mode_for, sweep_stale, write_bytes_atomic
from gfmdkg.errors import GfmdkgError

JOURNAL = "data/.gfmdkg-journal.json"
#: folders transactions stage files in (where stale staged files are swept).
STAGING_DIRS = ("data", "data/contrib", "ontology/vocab")
LOCK_WAIT_SECONDS = 120.0
REASONS = {errno.EROFS: "the file system is read-only", errno.ENOSPC: "no space is left on the device",
           errno.EDQUOT: "the disk quota is exceeded", errno.EACCES: "permission denied",
           errno.EPERM: "permission denied"}


def write_error(path: Path, exc: OSError, root: Path | None = None, *, changed: bool = False) -> GfmdkgError:
    """A one-line error for a failed write (read-only folder, full disk ...), saying whether anything changed."""
    shown = path
    if root is not None:
        with contextlib.suppress(ValueError):
            shown = path.relative_to(root)
    reason = REASONS.get(exc.errno or 0, exc.strerror or str(exc))
    if changed:
        return GfmdkgError(f"cannot finish writing {shown}: {reason}",
                           hint=f"the change is recorded in {JOURNAL}: fix the cause, then any gfmdkg command run "
                                "in the project completes it")
    return GfmdkgError(f"cannot write {shown}: {reason}; nothing was changed",
                       hint="make the folder writable or free some space, then run the command again")


_HELD: set[int] = set()  # descriptors holding a data/ lock in this process


def _drop_inherited_locks() -> None:
    """In a forked child (a query worker): close the inherited lock descriptors, so that the lock ends with the
    process that took it, not with the last of its children."""
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_drop_inherited_locks)


@contextlib.contextmanager
def data_lock(root: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """An exclusive lock on the project's data/ folder (flock on its descriptor): one writer at a time."""
    folder = root / "data"
    fd = os.open(folder, os.O_RDONLY | os.O_CLOEXEC)
    _HELD.add(fd)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise GfmdkgError(f"{folder} is locked by another gfmdkg command that has written for over "
                                      f"{wait:.0f} s", hint="wait for it to finish, then run the command again"
                                      ) from None
                time.sleep(0.05)
        yield
    finally:
        _HELD.discard(fd)
        os.close(fd)  # closing releases the lock


def recover(root: Path) -> None:
    """Finish a committed transaction a killed writer left, and sweep staged files of uncommitted ones.

    Call with :func:`data_lock` held."""
    journal = root / JOURNAL
    if journal.exists():
        moves = _read_journal(journal)
        dst = journal
        try:
            for staged, target in moves:
                src, dst = root / staged, root / target
                if src.exists():
                    os.replace(src, dst)
            for folder in sorted({(root / target).parent for _, target in moves}):
                fsync_dir(folder)
            journal.unlink()
            fsync_dir(journal.parent)
        except OSError as exc:
            raise write_error(dst, exc, root, changed=True) from None
    for sub in STAGING_DIRS:
        if (root / sub).is_dir():
            sweep_stale(root / sub)


def _read_journal(journal: Path) -> list[tuple[str, str]]:
    """The (staged file, target) pairs of a journal, each a staged file beside a target in one of
    :data:`STAGING_DIRS`: a journal that names anything else (one planted in a checkout) moves nothing."""
    try:
        moves = [(str(a), str(b)) for a, b in json.loads(journal.read_text(encoding="utf-8"))["moves"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise GfmdkgError(f"{journal}: not a gfmdkg journal ({exc})",
                          hint="restore data/ from version control and remove the file") from None
    for staged, target in moves:
        s, t = Path(staged), Path(target)
        if (str(s.parent) not in STAGING_DIRS or s.parent != t.parent or not s.name.startswith(TMP_PREFIX)
                or t.name.startswith(".") or ".." in s.parts + t.parts):
            raise GfmdkgError(f"{journal}: names {staged} -> {target}, which no gfmdkg transaction writes",
                              hint="remove the file (and restore data/ from version control if in doubt)")
    return moves


def recover_if_pending(root: Path) -> None:
    """For any command opening a project: complete an interrupted transaction first (cheap when there is none)."""
    if (root / JOURNAL).exists():
        with data_lock(root):
            recover(root)


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """The data/ lock, with any interrupted transaction completed first: the start of every writing command."""
    with data_lock(root):
        recover(root)
        yield


class Transaction:
    """Files staged with :meth:`stage` and replaced together by :meth:`commit`; used as a context manager, a block
    that ends without commit (or with an exception) removes what it staged. Hold :func:`locked` around it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.staged: list[tuple[Path, Path]] = []  # (staged file, target)
        self.made_dirs: list[Path] = []

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, *exc) -> None:
        self.abort()

    def stage(self, target: Path, data: bytes) -> bool:
        """Stage ``data`` for ``target``; False (nothing staged) when the target already holds exactly that."""
        try:
            if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
                return False
            if not target.parent.is_dir():
                target.parent.mkdir()
                self.made_dirs.append(target.parent)
            fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=target.parent)
        except OSError as exc:
            raise write_error(target, exc, self.root) from None
        self.staged.append((Path(tmp), target))
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fchmod(fd, mode_for(target))
            os.fsync(fd)
        except OSError as exc:
            raise write_error(target, exc, self.root) from None
        finally:
            os.close(fd)
        return True

    def commit(self) -> list[Path]:
        """Replace every target by its staged file, all or nothing; the targets changed."""
        if not self.staged:
            return []
        moves = [(str(s.relative_to(self.root)), str(t.relative_to(self.root))) for s, t in self.staged]
        try:
            for folder in sorted({s.parent for s, _ in self.staged}):
                fsync_dir(folder)
            write_bytes_atomic(self.root / JOURNAL, json.dumps({"moves": moves}).encode())
        except OSError as exc:
            raise write_error(self.root / JOURNAL, exc, self.root) from None
        targets = [t for _, t in self.staged]
        self.staged, self.made_dirs = [], []  # committed: from here on only recover() may touch them
        recover(self.root)
        return targets

    def abort(self) -> None:
        """Remove the staged files (and folders this transaction made): the old state stands."""
        for staged, _ in self.staged:
            with contextlib.suppress(OSError):
                staged.unlink()
        for folder in reversed(self.made_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self.staged, self.made_dirs = [], []
