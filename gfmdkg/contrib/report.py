"""The check report, grouped per record in the contributor's terms: a CSV row and column, a YAML practice and
line, or an RDF file, node and line; each problem with what to do."""

from __future__ import annotations

import json
import textwrap
from collections import defaultdict

from gfmdkg.contrib.model import ERROR, Problem
from gfmdkg.contrib.pipeline import CheckResult
from gfmdkg.contrib.unit import Unit
from gfmdkg.contrib.vocab import show as shorten

INDENT = "    "


def _place(unit: Unit, p: Problem) -> str:
    if unit.kind == "csv":
        return f"column '{p.field}'" if p.field else "row"
    if unit.kind == "yaml":
        return (f"'{p.field}'" if p.field else "practice") + (f" (line {p.line})" if p.line else "")
    return (f"line {p.line}" if p.line else "") + (f" {p.field}" if p.field else "")


def _groups(unit: Unit) -> dict[str, list[Problem]]:
    """RDF units are grouped per node (a record of the file); template units form one group."""
    if unit.kind != "rdf":
        return {"": unit.problems}
    groups: dict[str, list[Problem]] = defaultdict(list)
    for p in sorted(unit.problems, key=lambda p: (p.line or 0, p.node or "", p.field or "")):
        groups[p.node.split("#", 1)[0] if p.node else ""].append(p)
    return groups


def _heading(unit: Unit, node: str) -> str:
    if unit.kind == "rdf":
        line = unit.line_for(node) if node else None
        return f"{unit.source}" + (f", line {line}" if line else "") + (f": {shorten(node)}" if node else "")
    label = unit.record.label() if unit.record else ""
    target = f" -> {shorten(unit.iri)}" if unit.iri else ""
    return f"{unit.where()}: “{label}”{target}" if label else f"{unit.where()}{target}"


def _wrap(prefix: str, text: str) -> list[str]:
    return textwrap.wrap(text, width=108, initial_indent=prefix, subsequent_indent=" " * len(prefix),
                         break_on_hyphens=False, break_long_words=False) or [prefix]


def to_text(result: CheckResult) -> str:
    """The report for people."""
    if result.syntax_only:
        lines = [f"{u.source}: syntax OK" + (f" ({len(u.quads)} triples)" if u.kind == "rdf" else
                                             f" ({u.record.where})" if u.record else "") for u in result.units]
        return "\n".join(lines) + "\n"
    out: list[str] = []
    for unit in result.units:
        if not unit.problems:
            out.append(f"{_heading(unit, unit.iri or '')}: OK")
            continue
        for node, problems in _groups(unit).items():
            out.append(_heading(unit, node))
            for p in sorted(problems, key=lambda p: (p.severity != ERROR, p.line or 0, p.field or "")):
                place = _place(unit, p)
                out += _wrap(f"  {p.severity:<8}{place + ': ' if place.strip() else ''}", p.message)
                if p.suggestions:
                    out += _wrap(INDENT * 3, "did you mean: " + "; ".join(p.suggestions) + "?")
                if p.hint:
                    out += _wrap(INDENT * 3, "what to do: " + p.hint)
    n_e, n_w = len(result.errors), len(result.warnings)
    records = len(result.units)
    verdict = "passes" if not n_e else "does not pass"
    out.append("")
    out.append(f"{verdict}: {records} record{'s' * (records != 1)} checked, {n_e} error{'s' * (n_e != 1)}, "
               f"{n_w} warning{'s' * (n_w != 1)}" + ("" if result.shapes_checked else " (shapes not checked)")
               + ". Nothing was changed." + (" Fix the errors and run `gfmdkg check` again." if n_e else
                                             " `gfmdkg add` can add it."))
    return "\n".join(out) + "\n"


def to_json(result: CheckResult) -> str:
    """The report for tools: one object per record with its problems."""
    records = []
    for unit in result.units:
        entry = {"file": unit.source, "kind": unit.kind, "node": unit.iri,
                 "errors": len(unit.errors), "problems": [p.to_dict() for p in unit.problems]}
        if unit.record is not None and unit.kind != "rdf":
            entry.update({"row" if unit.kind == "csv" else "item": unit.record.row, "line": unit.record.line,
                          "title": unit.record.values.get("title")})
        records.append(entry)
    return json.dumps({"passes": not result.errors, "exit_code": result.exit_code, "syntax_only": result.syntax_only,
                       "shapes_checked": result.shapes_checked, "errors": len(result.errors),
                       "warnings": len(result.warnings), "records": records}, indent=2, ensure_ascii=False) + "\n"
