"""A page of a query's answer: ``LIMIT`` / ``OFFSET`` set on the outermost query, combined with its own.

The text is located with the guard's tokenizer (strings, IRIs and comments are single tokens, so a ``LIMIT`` inside
them is never touched); the result is checked by the guard like any query before it runs.
"""

from __future__ import annotations

import re

from gfmdkg.errors import GfmdkgError
from gfmdkg.sparql.guard import tokens

_NUMBER = re.compile(r"\s*(\d+)")


def paged(query: str, limit: int | None = None, offset: int = 0) -> str:
    """``query`` answering only rows ``offset`` .. ``offset + limit`` of its own answer (its own LIMIT/OFFSET kept
    in force: the page is taken inside them)."""
    if limit is None and not offset:
        return query
    if (limit is not None and limit < 0) or offset < 0:
        raise GfmdkgError("--limit and --offset must be zero or more")
    text = query
    toks = tokens(text)
    depth = 0
    own: dict[str, int] = {}
    cut: list[tuple[int, int]] = []
    values_at = None
    for tok in toks:
        if tok.kind == "other" and tok.text in "{(":
            depth += 1
        elif tok.kind == "other" and tok.text in "})":
            depth -= 1
        elif depth == 0 and tok.kind == "word" and tok.text.upper() in ("LIMIT", "OFFSET"):
            number = _NUMBER.match(text, tok.pos + len(tok.text))
            if number is None:
                raise GfmdkgError(f"cannot read the query's own {tok.text.upper()}", hint="write it as a number")
            own[tok.text.upper()] = int(number.group(1))
            cut.append((tok.pos, number.end()))
        elif depth == 0 and tok.kind == "word" and tok.text.upper() == "VALUES" and values_at is None:
            values_at = tok.pos
    start = own.get("OFFSET", 0) + offset
    ends = [own["LIMIT"] + own.get("OFFSET", 0)] if "LIMIT" in own else []
    if limit is not None:
        ends.append(start + limit)
    clause = f"\nOFFSET {start}" + (f" LIMIT {max(0, min(ends) - start)}" if ends else "") + "\n"
    where = values_at if values_at is not None else len(text)
    for a, b in sorted(cut, reverse=True):
        text = text[:a] + " " * (b - a) + text[b:]
    return text[:where] + clause + text[where:]
