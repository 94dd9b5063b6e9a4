"""User-facing errors: each carries a message that names the file, line or node and says what to do."""

from __future__ import annotations


class GfmdkgError(Exception):
    """An error caused by the user's input or environment; shown without a traceback, exit code 2."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message + (f"\n  what to do: {self.hint}" if self.hint else "")


class ParseError(GfmdkgError):
    """A file that is not well-formed RDF (or not a readable contribution)."""

    def __init__(self, path: str, message: str, *, line: int | None = None, column: int | None = None,
                 hint: str | None = None) -> None:
        where = path + (f":{line}" if line else "") + (f":{column}" if line and column else "")
        super().__init__(f"{where}: {message}", hint=hint or "fix the syntax at that place and run the command again")
        self.path, self.line, self.column, self.detail = path, line, column, message


class QueryRefused(GfmdkgError):
    """A SPARQL query that uses a feature gfmdkg does not allow (SERVICE, LOAD, remote FROM, updates)."""


class QueryNotParsed(QueryRefused):
    """Text that does not parse as a SPARQL 1.1 query (refused by the guard before any engine sees it)."""


class QueryTimeout(GfmdkgError):
    """A query that ran past its time limit."""


class QueryTooLarge(GfmdkgError):
    """A query whose result exceeds the size limit."""


class RemoteError(GfmdkgError):
    """A remote SPARQL endpoint that is down, refuses, or answers something that is not SPARQL results."""


class ReadOnlyProject(GfmdkgError):
    """A writing command pointed at the read-only packaged copy of the graph."""
