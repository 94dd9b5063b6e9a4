"""Refuse SPARQL that could reach the network, the file system or change data, before any engine sees it.

The check works on tokens, after decoding ``\\uXXXX`` escapes as SPARQL parsers do (SPARQL 1.1, section 19.2), so
keywords cannot hide in escapes, strings, IRIs or comments; a keyword anywhere (subquery, OPTIONAL, EXISTS) counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gfmdkg.errors import QueryRefused

MAX_QUERY_CHARS = 100_000

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<word>[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_\-.\u00B7-\uFFFF]*(?::[^\s(){}\[\],;]*)?|:[^\s(){}\[\],;]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int


def decode_escapes(query: str) -> str:
    """Apply SPARQL's codepoint escapes, as a conforming parser does before tokenising."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)


def tokens(query: str) -> list[Token]:
    """Split a SPARQL string into tokens (whitespace and comments dropped)."""
    out = []
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            out.append(Token(kind, m.group(), m.start()))
    return out


def _line(query: str, pos: int) -> int:
    return query.count("\n", 0, pos) + 1


def check_query(query: str, *, allowed_graphs: set[str] | None = None, allow_update: bool = False) -> None:
    """Raise :class:`QueryRefused` when ``query`` uses SERVICE, LOAD, updates, or FROM a graph not held locally.

    ``allowed_graphs``: IRIs that FROM / FROM NAMED may name (the local named graphs); None refuses every FROM.
    """
    if len(query) > MAX_QUERY_CHARS:
        raise QueryRefused(f"query is {len(query)} characters long, over the limit of {MAX_QUERY_CHARS}",
                           hint="shorten the query")
    text = decode_escapes(query)
    toks = tokens(text)
    for i, tok in enumerate(toks):
        if tok.kind != "word":
            continue
        word = tok.text.upper()
        where = f"line {_line(text, tok.pos)}"
        if word == "SERVICE":
            raise QueryRefused(f"SERVICE ({where}) is refused: gfmdkg queries never call other endpoints",
                               hint="run the query against that endpoint directly with --endpoint URL")
        if word in UPDATE_WORDS and not allow_update:
            if word in ("ADD", "COPY", "MOVE", "WITH", "CREATE") and not _looks_like_update(toks, i):
                continue
            raise QueryRefused(f"{word} ({where}) is refused: gfmdkg queries are read-only",
                               hint="to add data use 'gfmdkg add'; to load a remote store use 'gfmdkg push'")
        if word == "FROM":
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is not None and nxt.kind == "word" and nxt.text.upper() == "NAMED":
                nxt = toks[i + 2] if i + 2 < len(toks) else None
            iri = nxt.text[1:-1] if nxt is not None and nxt.kind == "iri" else (nxt.text if nxt else "")
            if allowed_graphs is None or iri not in allowed_graphs:
                raise QueryRefused(f"FROM <{iri}> ({where}) is refused: a query may only name graphs held locally",
                                   hint="drop the FROM clause (queries see the whole graph), or use GRAPH with a "
                                   "local graph IRI ('gfmdkg stats' lists them)")


def _looks_like_update(toks: list[Token], i: int) -> bool:
    """ADD/COPY/MOVE/CREATE/WITH are update keywords only at the start of an operation (not e.g. a function)."""
    prev = toks[i - 1].text if i > 0 else ";"
    return prev in (";",) or i == 0 or toks[i - 1].kind == "iri" and i >= 2 and toks[i - 2].text.upper() == "PREFIX"


def query_form(query: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the form of a query, from its first keyword after the prologue."""
    for tok in tokens(decode_escapes(query)):
        if tok.kind == "word" and tok.text.upper() in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
            return tok.text.upper()
    return "SELECT"
