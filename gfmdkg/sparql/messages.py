"""Query errors as one readable sentence: the file (or "the query"), line and column, and what is wrong.

Parsers report positions in several ways (pyoxigraph: ``error at 3:14: expected one of ...``; the guard: ``line 3,
column 14``); a parser's list of the tokens it expected is left out, a readable message is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from gfmdkg.errors import GfmdkgError
from gfmdkg.sparql.prefixes import Prefixed

_POSITION = re.compile(r"(?:error )?at (\d+):(\d+)|line (\d+)(?:,? column (\d+))?")
_DUMP = re.compile(r"expected one of|Expected \{|\[['_]|\\u\{")
_ENGINE = re.compile(r"(?:^|: )(?:error )?at \d+:\d+")


def position(message: str) -> tuple[int, int | None] | None:
    """(line, column) named in a parser's message, if any."""
    m = _POSITION.search(message)
    if m is None:
        return None
    if m.group(1):
        return int(m.group(1)), int(m.group(2))
    return int(m.group(3)), int(m.group(4)) if m.group(4) else None


def located(exc: GfmdkgError, source: str, prefixed: Prefixed | None = None) -> GfmdkgError:
    """``exc`` restated with ``source`` in front when its message names a position (lines counted in the user's
    own text): ``SOURCE: MESSAGE`` for a readable message (the guard's), ``SOURCE, line L, column C: the query is
    not valid SPARQL (syntax error)`` for a parser's own (pyoxigraph's ``error at L:C: expected ...``); else
    ``exc`` itself."""
    message = prefixed.relocate(exc.message) if prefixed else exc.message
    found = position(message)
    if found is None or message.startswith(source):
        return exc
    if _ENGINE.search(message) or _DUMP.search(message):  # keep what comes before the parser's own words
        line, column = found
        context = re.sub(r"[\s:]*(?:error\s*)?$", "", message[:_POSITION.search(message).start()])
        message = f"{source}, line {line}" + (f", column {column}" if column else "") + ": " + \
            (f"{context}: " if context else "") + "the query is not valid SPARQL (syntax error)"
    else:
        message = f"{source}: {message}"
    err = GfmdkgError(message, hint=exc.hint or "correct the query at that place and run it again")
    err.__class__ = type(exc) if type(exc).__init__ is GfmdkgError.__init__ else GfmdkgError
    return err


@contextmanager
def errors_located(source: str, prefixed: Prefixed | None = None) -> Iterator[None]:
    """Re-raise query errors that name a position as :func:`located` ones."""
    try:
        yield
    except GfmdkgError as exc:
        raise located(exc, source, prefixed) from None
