"""The project's prefixes for ad-hoc queries: ``PREFIX`` lines put in front of a query for exactly the prefixes it
uses without declaring them, and message positions given back in the user's own lines.

A prefix that is neither declared nor one of the project's is an error naming its line and column. Strings, IRIs
and comments are masked before looking for prefixed names, so ``"a:b"``, ``<urn:x>`` and ``# x:y`` do not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gfmdkg.errors import GfmdkgError
from gfmdkg.namespaces import PREFIXES

_OPAQUE = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*(?:"""|$)|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*(?:\'\'\'|$)'
                     r'|"(?:[^"\\\n]|\\.)*"?|\'(?:[^\'\\\n]|\\.)*\'?|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*', re.DOTALL)
_PN_PREFIX = r"[A-Za-z](?:[\w.-]*[\w-])?"
_DECLARED = re.compile(r"(?i)(?<![\w:])PREFIX\s+(" + _PN_PREFIX + r")?:")
_USED = re.compile(r"(?<![\w?$:.\-\\])(" + _PN_PREFIX + r"):")
_LINE = re.compile(r"\b(line )(\d+)|\b(at )(\d+)(:\d+)")


def mask(text: str) -> str:
    """``text`` with strings, IRIs and comments blanked out (same length, newlines kept)."""
    return _OPAQUE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


@dataclass(frozen=True)
class Prefixed:
    """A query with the project's prefixes it needed put in front, on ``lines`` lines of their own."""

    text: str
    added: tuple[str, ...] = ()

    @property
    def lines(self) -> int:
        return len(self.added)

    def relocate(self, message: str) -> str:
        """``message`` with every "line N" / "at N:C" position counted in the user's text."""
        def shift(m: re.Match) -> str:
            if m.group(1):
                return m.group(1) + str(max(1, int(m.group(2)) - self.lines))
            return m.group(3) + str(max(1, int(m.group(4)) - self.lines)) + m.group(5)
        return _LINE.sub(shift, message) if self.lines else message


def with_prefixes(text: str, source: str = "the query", prefixes: dict[str, str] | None = None) -> Prefixed:
    """``text`` with a ``PREFIX`` line for each of ``prefixes`` (default: the project's) that it uses undeclared.

    Raises :class:`GfmdkgError` for a prefix that is neither declared nor known, naming ``source``, line and column.
    """
    known = PREFIXES if prefixes is None else prefixes
    masked = mask(text)
    declared = {m.group(1) or "" for m in _DECLARED.finditer(masked)}
    missing: dict[str, int] = {}
    for m in _USED.finditer(masked):
        if m.group(1) not in declared:
            missing.setdefault(m.group(1), m.start())
    unknown = [(pos, p) for p, pos in missing.items() if p not in known]
    if unknown:
        pos, name = min(unknown)
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        raise GfmdkgError(f"{source}, line {line}, column {column}: the prefix '{name}:' is not declared, and it is "
                          "not one of the project's prefixes",
                          hint=f"declare it (PREFIX {name}: <...>) or use one of the project's prefixes: "
                          + ", ".join(sorted(known)))
    added = tuple(p for p in known if p in missing)  # in the project's order
    lines = "".join(f"PREFIX {p}: <{known[p]}>\n" for p in added)
    return Prefixed(lines + text, added)
