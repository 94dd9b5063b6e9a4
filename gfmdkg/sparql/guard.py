"""Refuse SPARQL that could reach the network, the file system or change data, before any engine sees it.

The decision rests on a real parse: rdflib's SPARQL 1.1 grammar builds the query's syntax tree, and the tree is
walked for ``SERVICE`` (wherever it hides: subqueries, OPTIONAL, EXISTS, MINUS, UNION) and dataset clauses
(``FROM`` / ``FROM NAMED``). Text that does not parse as a SPARQL query is refused; updates (``LOAD``, ``INSERT``...)
do not parse as a query and are refused as such.

Parsers disagree on codepoint escapes: SPARQL 1.1 (section 19.2) decodes ``\\uXXXX`` anywhere before tokenising,
Oxigraph only inside strings and IRIs, so a quote written as ``\\u0022`` can open a long string for one parser and
leave a SERVICE call in plain sight for the other. The guard therefore decodes the escapes itself, parses the decoded
text with the grammar alone, and returns that text: callers run exactly what was checked. A ``\\u`` left in it can
only follow an escaped backslash inside a string (anything else does not parse), where every parser reads it alike.

This is the first of two barriers; the second is the operating system's (:mod:`gfmdkg.sandbox`): the processes that
evaluate queries cannot open network sockets at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gfmdkg.errors import QueryNotParsed, QueryRefused

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
_FORMS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "AskQuery": "ASK", "DescribeQuery": "DESCRIBE"}
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
READ_ONLY_HINT = "to add data use 'gfmdkg add'; to load a remote store use 'gfmdkg push'"


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int


def decode_escapes(query: str) -> str:
    """Apply SPARQL's codepoint escapes, as a conforming parser does before tokenising."""
    def chr_or_refuse(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryNotParsed(f"the escape {m.group()} ({_place(query, m.start())}) is not a character",
                               hint="write the character itself, or a valid \\u escape")
        return chr(code)
    return _ESCAPE.sub(chr_or_refuse, query)


def tokens(query: str) -> list[Token]:
    """Split a SPARQL string into tokens (whitespace and comments dropped): for locating text, never for safety."""
    out = []
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            out.append(Token(kind, m.group(), m.start()))
    return out


def _line(query: str, pos: int) -> int:
    return query.count("\n", 0, pos) + 1


def _place(query: str, pos: int) -> str:
    """'line L, column C' of a character offset."""
    return f"line {_line(query, pos)}, column {pos - (query.rfind(chr(10), 0, pos) + 1) + 1}"


_ENGINE_POSITION = re.compile(r"(?:error )?at (\d+):(\d+)")


def engine_syntax_message(exc: Exception) -> str:
    """An engine's refusal of a query the guard accepted (SPARQL 1.1 rules beyond the grammar: scopes, GROUP BY,
    VALUES arity...): 'syntax error at line L, column C', the position only, never the parser's internals."""
    m = _ENGINE_POSITION.search(str(exc))
    where = f" at line {m.group(1)}, column {m.group(2)}" if m else ""
    return f"the query is not valid SPARQL: syntax error{where}"


def _parse(text: str) -> Any:
    """rdflib's syntax tree of ``text`` (already decoded), or :class:`QueryRefused` saying where it stops parsing."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import parser

    try:
        return parser.Query.parse_string(text, parse_all=True)
    except ParseBaseException as exc:
        if _is_update(text):
            word = next((t for t in tokens(text) if t.kind == "word" and t.text.upper() in _UPDATE_WORDS), None)
            what = f"{word.text.upper()} (line {_line(text, word.pos)})" if word else "an update"
            raise QueryRefused(f"{what} is refused: gfmdkg queries are read-only", hint=READ_ONLY_HINT) from None
        found = exc.line[max(exc.col - 1, 0):][:40].strip() if exc.line else ""
        raise QueryNotParsed(f"the query is not valid SPARQL 1.1: it stops parsing at line {exc.lineno}, column "
                           f"{exc.col}" + (f", at '{found}'" if found else ""),
                           hint="correct the query at that place (a SPARQL 1.1 query: SELECT, CONSTRUCT, ASK or "
                           "DESCRIBE)") from None
    except RecursionError:
        raise QueryNotParsed("the query is nested too deeply to check", hint="simplify the query") from None


def warm() -> None:
    """Import and exercise the grammar once (about 0.2 s), so that processes forked afterwards parse at once."""
    _parse("ASK {}")


def _is_update(text: str) -> bool:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import parser
    try:
        parser.UpdateUnit.parse_string(text, parse_all=True)
    except (ParseBaseException, RecursionError):
        return False
    return True


def _walk(node: Any):
    """Every syntax-tree node below ``node`` (rdflib's CompValue is a dict, ParseResults a list)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(item)


@dataclass(frozen=True)
class CheckedQuery:
    """A query the guard accepted: the exact ``text`` engines must run, and its form (SELECT, ASK...)."""

    text: str
    form: str


def check(query: str, *, allowed_graphs: set[str] | None = None) -> CheckedQuery:
    """Parse ``query`` and refuse SERVICE, updates, and FROM / FROM NAMED of a graph not in ``allowed_graphs``.

    Returns the decoded text to run and the query form; raises :class:`QueryRefused` with a located message.
    Accepted queries are remembered per process (the same text with the same local graphs gets the same verdict):
    a long-lived worker parses a repeated query once.
    """
    key = (query, None if allowed_graphs is None else frozenset(allowed_graphs))
    accepted = _ACCEPTED.get(key)
    if accepted is not None:
        return accepted
    accepted = _check(query, allowed_graphs)
    if len(query) <= CACHED_QUERY_CHARS:
        if len(_ACCEPTED) >= CACHED_QUERIES:
            try:
                _ACCEPTED.pop(next(iter(_ACCEPTED)), None)  # the oldest entry
            except (StopIteration, RuntimeError):  # emptied or changed by another thread meanwhile
                pass
        _ACCEPTED[key] = accepted
    return accepted


CACHED_QUERIES = 512
CACHED_QUERY_CHARS = 20_000
_ACCEPTED: dict[tuple[str, frozenset[str] | None], CheckedQuery] = {}


def _check(query: str, allowed_graphs: set[str] | None) -> CheckedQuery:
    if len(query) > MAX_QUERY_CHARS:
        raise QueryRefused(f"query is {len(query)} characters long, over the limit of {MAX_QUERY_CHARS}",
                           hint="shorten the query")
    text = decode_escapes(query)
    tree = _parse(text)  # the grammar alone: no second decoding, so what it reads is what the engine reads
    form = "SELECT"
    for node in _walk(tree):
        name = getattr(node, "name", "")
        if name in _FORMS:
            form = _FORMS[name]
        if name == "ServiceGraphPattern":
            raise QueryRefused(f"SERVICE ({_where(text, 'SERVICE')}) is refused: gfmdkg queries never call other "
                               "endpoints", hint="run the query against that endpoint directly with --endpoint URL")
        if name == "DatasetClause":
            iri = str(node.get("default") or node.get("named") or "")
            if allowed_graphs is None or iri not in allowed_graphs:
                raise QueryRefused(f"FROM <{iri}> ({_where(text, 'FROM')}) is refused: a query may only name graphs "
                                   "held locally", hint="drop the FROM clause (queries see the whole graph), or use "
                                   "GRAPH with a local graph IRI ('gfmdkg stats' lists them)")
    return CheckedQuery(text, form)


def _where(text: str, keyword: str) -> str:
    """'line N' of the first token ``keyword`` (for the message only; the decision was made on the tree)."""
    for tok in tokens(text):
        if tok.kind == "word" and tok.text.upper() == keyword:
            return f"line {_line(text, tok.pos)}"
    return "in the query"


def check_query(query: str, *, allowed_graphs: set[str] | None = None) -> str:
    """The text to run for ``query`` (see :func:`check`), or :class:`QueryRefused`."""
    return check(query, allowed_graphs=allowed_graphs).text


def query_form(query: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the form of a query, from its first keyword after the prologue."""
    for tok in tokens(decode_escapes(query)):
        if tok.kind == "word" and tok.text.upper() in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
            return tok.text.upper()
    return "SELECT"
