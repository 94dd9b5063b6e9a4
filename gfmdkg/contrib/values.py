"""Values a contribution may not publish, whatever the shapes say: IRIs other than web (``http``/``https``)
addresses (``mailto:`` only for contacts), so no ``javascript:``, ``data:`` or ``file:`` link reaches a page; and
values over hard size limits (an error with the limit, before anything is written). Values a spreadsheet would run
as a formula get a warning (exports neutralise them: :mod:`gfmdkg.spreadsheet`)."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pyoxigraph as ox

from gfmdkg.contrib.fields import split_values
from gfmdkg.contrib.model import ERROR, WARNING, Problem
from gfmdkg.contrib.readers import MAX_CELL_CHARS
from gfmdkg.contrib.unit import Unit
from gfmdkg.contrib.vocab import show as shorten
from gfmdkg.namespaces import PREFIXES
from gfmdkg.spreadsheet import is_formula

#: the longest text value (a literal in RDF, a cell in the template): the same limit for both.
MAX_LITERAL_CHARS = MAX_CELL_CHARS
MAX_IRI_CHARS = 2_000
WEB = ("http://", "https://")
CONTACT_PROPERTIES = {PREFIXES["foaf"] + "mbox", "http://www.w3.org/2006/vcard/ns#hasEmail",
                      "https://schema.org/email", "http://schema.org/email"}
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


@functools.lru_cache(maxsize=4)
def _text(path: str, stamp: tuple[int, int]) -> str:
    """A contribution's text (read once per check, however many problems it has)."""
    return Path(path).read_text(encoding="utf-8", errors="replace")


def _line_of(unit: Unit, needle: str, node: str | None) -> int | None:
    """The first line of the contribution's file holding ``needle`` (else the line of ``node``)."""
    try:
        info = os.stat(unit.source)
        text = _text(unit.source, (info.st_mtime_ns, info.st_size))
    except OSError:
        text = ""
    at = text.find(needle) if needle else -1
    if at >= 0:
        return text.count("\n", 0, at) + 1
    return unit.line_for(node)


def _problem(unit: Unit, message: str, hint: str, *, node: str | None, prop: str | None, needle: str,
             value: str | None = None) -> Problem:
    return Problem(severity=ERROR, message=message, hint=hint, field=shorten(prop) if prop else None, value=value,
                   node=node, line=_line_of(unit, needle, node), check="value")


def _bad_iri(iri: str, prop: str | None) -> str | None:
    """Why ``iri`` may not be published (None when it may)."""
    if len(iri) > MAX_IRI_CHARS:
        return f"an IRI of {len(iri)} characters, over the limit of {MAX_IRI_CHARS}"
    if iri.startswith(WEB):
        return None
    if iri.startswith("mailto:") and prop in CONTACT_PROPERTIES:
        return None
    m = _SCHEME.match(iri)
    scheme = m.group(1).lower() if m else ""
    if scheme == "file":
        return "a file:// IRI (a path on someone's computer, perhaps a relative IRI resolved against it)"
    return f"a '{scheme}:' IRI" + (" (mailto: is only for contacts: foaf:mbox, vcard:hasEmail)"
                                    if scheme == "mailto" else "")


FORMULA = ("{what} begins with '{char}': a spreadsheet would run it as a formula; gfmdkg's CSV exports write it "
           "with a leading ' so that it shows as text")
FORMULA_HINT = "if it is not meant as a formula, start the text with a letter or a digit"


def _shown(char: str) -> str:
    return {"\t": "a tab", "\r": "a carriage return"}.get(char, char)


def check_formulas(unit: Unit) -> None:
    """A warning for each template cell (or part of a multi-valued cell) a spreadsheet would run as a formula."""
    record = unit.record
    if record is None:
        return
    for name, cell in record.values.items():
        parts = [cell.strip(), *split_values(cell)] if cell.strip() else []
        bad = next((p for p in parts if is_formula(p)), None)
        if bad is not None:
            message = FORMULA.format(what="the value", char=_shown(bad[0]))
            unit.problems.append(Problem(severity=WARNING, message=message,
                                         hint=FORMULA_HINT, field=name, value=bad[:60],
                                         line=record.lines.get(name, record.line), check="value"))


def check_values(units: list[Unit]) -> None:
    """Errors for IRIs that are not web addresses and for literals over :data:`MAX_LITERAL_CHARS`; warnings for
    values a spreadsheet would run as formulas."""
    for unit in units:
        if unit.kind != "rdf":  # template values: cells are bounded when read, web links must be http(s)
            check_formulas(unit)
            continue
        seen: set[str] = set()
        for q in unit.quads:
            node = q.subject.value if isinstance(q.subject, ox.NamedNode) else None
            for term, prop in ((q.subject, None), (q.predicate, None), (q.object, q.predicate.value)):
                if isinstance(term, ox.NamedNode) and term.value not in seen:
                    why = _bad_iri(term.value, prop)
                    if why:
                        seen.add(term.value)
                        shown = term.value if len(term.value) <= 80 else term.value[:77] + "..."
                        unit.problems.append(_problem(
                            unit, f"<{shown}> is {why}: a contribution may only use web IRIs (http:// or https://)",
                            "write the full web address (https://...) or the IRI of a graph node", node=node,
                            prop=prop, needle=term.value[:200]))
            if isinstance(q.object, ox.Literal) and len(q.object.value) > MAX_LITERAL_CHARS:
                unit.problems.append(_problem(
                    unit, f"the value of {shorten(q.predicate.value)} on {shorten(node or '')} is "
                    f"{len(q.object.value):,} characters long, over the limit of {MAX_LITERAL_CHARS:,}",
                    "shorten it (a description is two to four sentences; at most 4000 characters)", node=node,
                    prop=q.predicate.value, needle=q.object.value[:200]))
            elif isinstance(q.object, ox.Literal) and is_formula(q.object.value):
                problem = _problem(unit, FORMULA.format(what=f"the value of {shorten(q.predicate.value)}",
                                                        char=_shown(q.object.value[0])), FORMULA_HINT, node=node,
                                   prop=q.predicate.value, needle=q.object.value[:200], value=q.object.value[:60])
                problem.severity = WARNING
                unit.problems.append(problem)
