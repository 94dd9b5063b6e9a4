"""Comparing answers of two engines where SPARQL leaves a result open (shared by the benchmark and the tests)."""

from __future__ import annotations

import json
import re
import shlex

from gfmdkg.commands.options import parse_params
from gfmdkg.store.base import Result

_CONCAT = re.compile(r"GROUP_CONCAT\s*\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*?"  # arguments nested two deep
                     r"(?:;\s*separator\s*=\s*(\"[^\"]*\"|'[^']*'))?\s*\)"
                     r"[^?]*?\bAS\s+\?(\w+)", re.IGNORECASE)
#: columns whose value SPARQL leaves to the engine: MIN() over labels in different languages (the order of literals
#: with different language tags is not defined), so the two engines may rightly pick different labels.
OPEN_COLUMNS = {"organisations-practices": {"orgName"}, "practices-by-organisation": {"orgName"},
                "source-problems": {"label"}}


def concat_columns(text: str) -> dict[str, str]:
    """Output variables computed by GROUP_CONCAT, with their separator (SPARQL's default is a space)."""
    return {m.group(2): (m.group(1) or '" "')[1:-1] for m in _CONCAT.finditer(text)}


def comparable(result: Result, text: str, open_columns: set[str] = frozenset(), *, strict: bool = False) -> object:
    """``result.canonical()`` with what SPARQL leaves open made definite: the order of GROUP_CONCAT's parts always;
    unless ``strict``, also the language tag of its result (SPARQL 1.1 says none, newer engines keep a common one)
    and the empty string versus no value for a GROUP_CONCAT over nothing, and a lone aggregate row of a group that
    has no solution (rdflib returns one, SPARQL none) is dropped; ``open_columns`` are left out. ``strict`` is for
    comparing a remote store with the local engine, where the saved queries are written to agree exactly."""
    if result.form != "SELECT":
        return result.canonical()
    concat = concat_columns(text)
    rows = []
    for line in result.canonical():
        row = json.loads(line)
        for var in open_columns:
            row.pop(var, None)
        for var, sep in concat.items():
            if var not in row:
                continue
            term = row[var]
            if not strict and term["value"] == "":
                del row[var]
                continue
            value = sep.join(sorted(term["value"].split(sep))) if sep else term["value"]
            row[var] = {**term, "value": value} if strict else {"type": "literal", "value": value}
        if strict or (row and not set(row) <= set(concat)):
            rows.append(json.dumps(row, sort_keys=True))
    return sorted(rows)


#: example values that name nodes of the curated graph, replaced by nodes every synthetic catalogue has.
SYNTHETIC_NODES = {"practice:": "practice:p0", "orgid:": "orgid:org-0", "source:": "source:work-0",
                   "finding:": "finding:f0"}


def example_params(example: str, synthetic: bool = False) -> dict[str, str]:
    """The ``-p NAME=VALUE`` parameters of a saved query's example; on a synthetic catalogue, example nodes of the
    curated graph become nodes the catalogue has."""
    args = shlex.split(example)
    params = parse_params(tuple(args[i + 1] for i, a in enumerate(args) if a in ("-p", "--param")))
    if synthetic:
        params = {k: next((node for prefix, node in SYNTHETIC_NODES.items() if v.startswith(prefix)), v)
                  for k, v in params.items()}
    return params
