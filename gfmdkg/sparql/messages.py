"""Query errors as one readable sentence: the file (or "the query"), line and column, and what is wrong.

Parsers report positions in several ways (pyoxigraph: ``error at 3:14: expected one of ...``; the guard: ``line 3,
column 14``); what they say they expected (long lists of tokens, or one token that rarely helps) is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from gfmdkg.errors import GfmdkgError
from gfmdkg.sparql.prefixes import Prefixed

_POSITION = re.compile(r"(?:error )?at (\d+):(\d+)(?::\s*)?|line (\d+)(?:,? column (\d+))?(?::\s*)?")
_DUMP = re.compile(r"^expected\b|expected one of|Expected \{|\[['_]|\\u\{", re.IGNORECASE)
MAX_REASON = 120


def position(message: str) -> tuple[int, int | None] | None:
    """(line, column) named in a parser's message, if any."""
    m = _POSITION.search(message)
    if m is None:
        return None
    if m.group(1):
        return int(m.group(1)), int(m.group(2))
    return int(m.group(3)), int(m.group(4)) if m.group(4) else None


def reason(message: str) -> str:
    """What a parser's message says is wrong, without its position and without lists of expected tokens."""
    m = _POSITION.search(message)
    before, after = (message[:m.start()], message[m.end():]) if m else (message, "")
    before = re.sub(r"^(?:error|syntax error|parser error)\b|\s*\b(?:at|in|on)\s*$", "", before.strip(),
                    flags=re.IGNORECASE).strip(" :;,.")
    after = after.strip(" :;,.")
    if _DUMP.search(after) or len(after) > MAX_REASON or "\n" in after:
        after = ""
    return ": ".join(part for part in (before, after) if part) or "syntax error"


def syntax_message(exc: BaseException | str) -> str:
    """'the query is not valid SPARQL: syntax error at line L, column C': the position only, never the parser's
    internals."""
    found = position(str(exc))
    where = f" at line {found[0]}" + (f", column {found[1]}" if found[1] else "") if found else ""
    return f"the query is not valid SPARQL: syntax error{where}"


def located(exc: GfmdkgError, source: str, prefixed: Prefixed | None = None) -> GfmdkgError:
    """``exc`` restated as ``SOURCE, line L, column C: what is wrong`` (lines counted in the user's own text) when
    its message names a position; else ``exc`` itself."""
    message = prefixed.relocate(exc.message) if prefixed else exc.message
    found = position(message)
    if found is None or message.startswith(source):
        return exc
    line, column = found
    what = reason(message)
    if what == "syntax error":
        what = "the query is not valid SPARQL (syntax error)"
    err = GfmdkgError(f"{source}, line {line}" + (f", column {column}" if column else "") + f": {what}",
                      hint=exc.hint or "correct the query at that place and run it again")
    err.__class__ = type(exc) if type(exc).__init__ is GfmdkgError.__init__ else GfmdkgError
    return err


@contextmanager
def errors_located(source: str, prefixed: Prefixed | None = None) -> Iterator[None]:
    """Re-raise query errors that name a position as :func:`located` ones."""
    try:
        yield
    except GfmdkgError as exc:
        raise located(exc, source, prefixed) from None
