"""A small persistent memo in the cache folder: JSON values under sha256 keys, one file each.

Used to keep costly, deterministic work off the start-up path of every command (the query guard's verdicts, saved
queries' headers). Files are written atomically into a folder only the user can read (like the indexes); a missing,
unreadable or corrupt entry is simply recomputed, and the cache is best effort: a read-only cache folder is fine.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from gfmdkg.store.stamps import cache_root


def key(*parts: str) -> str:
    """The sha256 of ``parts`` (each length-prefixed, so that no two different tuples share a key)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        h.update(b"%d:" % len(data))
        h.update(data)
    return h.hexdigest()


def _path(kind: str, digest: str) -> Path:
    return cache_root() / "memo" / kind / digest[:2] / digest


def get(kind: str, digest: str) -> object | None:
    """The value stored under ``kind``/``digest``, or None."""
    try:
        return json.loads(_path(kind, digest).read_bytes())
    except (OSError, ValueError):
        return None


def put(kind: str, digest: str, value: object) -> None:
    """Store ``value`` (JSON) under ``kind``/``digest``, atomically; errors are ignored (best effort)."""
    from gfmdkg.atomic import write_bytes_atomic

    path = _path(kind, digest)
    try:
        cache_root().mkdir(parents=True, exist_ok=True)
        for folder in (path.parent.parent.parent, path.parent.parent, path.parent):  # memo/KIND/xx: the user's only
            folder.mkdir(exist_ok=True, mode=0o700)
        write_bytes_atomic(path, json.dumps(value).encode("utf-8"))
    except OSError:
        pass
