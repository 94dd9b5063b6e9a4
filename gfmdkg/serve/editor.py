"""What the SPARQL page shows besides the answer: the saved queries as examples, the project's prefixes (preloaded:
a query may use them undeclared), the place of an error in the user's own text, and the address of an answer.

The page is a plain form; ``static/editor.js`` adds the vendored CodeMirror 5 editor (highlighting, examples filling
the editor, the error's line marked) where JavaScript runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from gfmdkg.namespaces import PREFIXES
from gfmdkg.sparql.catalogue import SavedQuery
from gfmdkg.sparql.messages import position

#: the query the page starts with: the project's prefixes need no PREFIX line
FIRST_QUERY = ("SELECT ?practice ?title WHERE {\n  ?practice a gfmd:Practice ;\n            dcterms:title ?title .\n}\n"
               "ORDER BY ?title\nLIMIT 20\n")


def example_text(query: SavedQuery) -> str:
    """A saved query as an example to edit: its summary as a comment, its text without the ``#+`` header and
    without the prefix lines the page preloads anyway."""
    lines = query.text.splitlines()[len(query.added_prefixes):]
    body = "\n".join(line for line in lines if not line.startswith("#+")).strip("\n")
    return f"# {query.summary}\n{body}\n"


def examples(saved: dict[str, SavedQuery]) -> list[dict[str, str]]:
    """The saved queries as examples: name, summary and text."""
    return [{"name": q.name, "summary": q.summary, "text": example_text(q)} for q in saved.values()]


@dataclass(frozen=True)
class Place:
    """Where an error is in the user's text: line and column (1-based) and that line, with a caret under it."""

    line: int
    column: int | None
    excerpt: str


def error_place(message: str, text: str) -> Place | None:
    """The place a message names (``line L, column C``, already counted in the user's ``text``), or None."""
    found = position(message)
    lines = text.splitlines()
    if found is None or not 1 <= found[0] <= len(lines):
        return None
    line, column = found
    shown = lines[line - 1].replace("\t", " ")
    gutter = f"{line} | "
    caret = "\n" + " " * (len(gutter) + column - 1) + "^" if column and column <= len(shown) + 1 else ""
    return Place(line, column, gutter + shown + caret)


def permalink(query: str, max_length: int) -> str | None:
    """The GET address of a query's answer on this page, when it is short enough to be an address."""
    link = "/sparql?" + urlencode({"query": query})
    return link if len(link) <= max_length else None


def prefixes() -> list[tuple[str, str]]:
    """The project's prefixes, as the page lists them."""
    return list(PREFIXES.items())
