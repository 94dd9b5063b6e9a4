"""The query guard's verdicts, remembered: a query text the guard accepted is not parsed again at the next start.

The guard (:func:`gfmdkg.sparql.guard.check_query`) parses every query with rdflib's SPARQL grammar, which costs
0.15 s of imports and 10-110 ms of parsing: more than running a saved query on the index. Only acceptances are
remembered, keyed by the sha256 of the exact query text, the graphs a FROM may name, and the guard's own version
(the sha256 of its source and of rdflib's SPARQL grammar), so any change to the guard forgets every verdict. Nothing
else is read from the cache: on a hit, the text run is computed again here (the guard's decoded text), and the form
is taken from the text. A verdict is remembered only when the guard's text is exactly that decoded text, so a guard
that normalises otherwise is simply asked every time.
"""

from __future__ import annotations

from functools import lru_cache

from gfmdkg.store import memo

KIND = "verdicts"
#: the acceptances this process has seen (no file read for a query run again)
_ACCEPTED: set[str] = set()


@lru_cache(maxsize=1)
def guard_version() -> str:
    """The sha256 of the guard's source and of rdflib's SPARQL grammar: what a verdict depends on (read as files,
    without importing rdflib)."""
    import importlib.util
    from pathlib import Path

    guard = importlib.util.find_spec("gfmdkg.sparql.guard")
    rdflib = importlib.util.find_spec("rdflib")
    parts = []
    for path in (Path(guard.origin), Path(rdflib.origin).parent / "plugins" / "sparql" / "parser.py"):  # type: ignore
        try:
            parts.append(path.read_bytes().decode("utf-8", "replace"))
        except OSError:
            parts.append(f"unreadable {path}")
    return memo.key(*parts)


def _key(query: str, allowed_graphs: set[str] | None) -> str:
    graphs = "\n".join(sorted(allowed_graphs)) if allowed_graphs is not None else "\0none"
    return memo.key("accepted", guard_version(), graphs, query)


def checked_text(query: str, *, allowed_graphs: set[str] | None = None) -> str:
    """The text to run for ``query``: the guard's verdict, from the cache when it accepted this exact text before;
    :class:`~gfmdkg.errors.QueryRefused` (never cached) when it refuses."""
    from gfmdkg.sparql.guard import check_query, decode_escapes

    digest = _key(query, allowed_graphs)
    if digest in _ACCEPTED or memo.get(KIND, digest) == digest:
        _ACCEPTED.add(digest)
        return decode_escapes(query)
    text = check_query(query, allowed_graphs=allowed_graphs)
    if text == decode_escapes(query):
        memo.put(KIND, digest, digest)
        _ACCEPTED.add(digest)
    return text
