"""Content hashes of files, remembered by (size, mtime, inode) so that a large unchanged project is not re-read.

Like git's index: a file whose stamp (size, modification time in ns, inode) is unchanged keeps its recorded hash.
A stamp taken within :data:`RACY_SECONDS` of the file's modification is not trusted later (a second write in the
same clock tick could keep size and mtime), so such files are hashed again until they are old enough.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

RACY_SECONDS = 2.0


def cache_root() -> Path:
    """Where indexes and stamps live: ``$GFMDKG_CACHE``, default ``~/.cache/gfmdkg``."""
    return Path(os.environ.get("GFMDKG_CACHE") or Path.home() / ".cache" / "gfmdkg")


def _stamp(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class StampCache:
    """File digests for one project root, persisted as JSON under :func:`cache_root`."""

    def __init__(self, root: Path) -> None:
        key = hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:24]
        self.path = cache_root() / "stamps" / f"{key}.json"
        try:
            self.entries: dict[str, list] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.entries = {}
        self.changed = False

    def digest(self, path: Path) -> str:
        """The sha256 of ``path``'s bytes, from the cache when its stamp is unchanged and not racy."""
        st = path.stat()
        stamp = _stamp(st)
        key = str(path)
        entry = self.entries.get(key)
        if entry and entry[0] == stamp:
            return entry[1]
        digest = _digest(path)
        if time.time_ns() - st.st_mtime_ns > RACY_SECONDS * 1e9:
            self.entries[key] = [stamp, digest]
            self.changed = True
        elif key in self.entries:
            del self.entries[key]
            self.changed = True
        return digest

    def save(self, keep: set[str] | None = None) -> None:
        """Write the cache back when it changed (best effort: a read-only cache folder is fine)."""
        if keep is not None and set(self.entries) - keep:
            self.entries = {k: v for k, v in self.entries.items() if k in keep}
            self.changed = True
        if not self.changed:
            return
        try:
            from gfmdkg.atomic import write_text_atomic
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(self.path, json.dumps(self.entries))
        except OSError:
            pass
        self.changed = False


def digests(root: Path, paths: list[Path]) -> list[str]:
    """The sha256 of each of ``paths`` (files under project ``root``), using and updating the stamp cache."""
    cache = StampCache(root)
    out = [cache.digest(p) for p in paths]
    cache.save(keep={str(p) for p in paths})
    return out
