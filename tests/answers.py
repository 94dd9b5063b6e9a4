"""Comparing a query's answers from two stores, as far as SPARQL fixes them.

SPARQL 1.1 leaves the order of the values inside a ``GROUP_CONCAT`` undefined (the saved queries feed it from an
ordered subquery, which most stores keep, but Virtuoso and Oxigraph do not always), so the items of such a column are
compared as a sorted list. Everything else is compared as :meth:`Result.canonical` does.
"""

from __future__ import annotations

import json
import re
import shlex

from gfmdkg.commands.options import parse_params
from gfmdkg.store.base import Result, _norm

_LIST_COLUMN = re.compile(r'GROUP_CONCAT\b.*?separator\s*=\s*"([^"]*)".*?\bAS\s+\?(\w+)', re.I | re.S)


def example_values(example: str) -> dict[str, str]:
    """The ``-p NAME=VALUE`` values of a saved query's example command line."""
    args = shlex.split(example)
    return parse_params(tuple(args[i + 1] for i, a in enumerate(args) if a in ("-p", "--param")))


def cases(saved) -> list[dict[str, str]]:
    """The parameter values a saved query is tried with: its header example, and none when none is required."""
    runs = [example_values(saved.example)]
    if not any(p.required for p in saved.params):
        runs.append({})
    return runs


def assert_same_answers(saved, local, remote) -> None:
    """``saved`` answers the same on the ``local`` engine and the ``remote`` endpoint, for each of its :func:`cases`."""
    for values in cases(saved):
        bindings = saved.bindings(values)
        here, there = local.query(saved.text, bindings), remote.query(saved.text, bindings)
        assert there.form == here.form
        assert comparable(there, saved.text) == comparable(here, saved.text), (saved.name, values)
        if here.form == "SELECT":
            assert there.vars == here.vars and len(there.rows) == len(here.rows)


def list_columns(query: str) -> dict[str, str]:
    """Column name -> separator, for every column made by GROUP_CONCAT."""
    return {name: sep for sep, name in _LIST_COLUMN.findall(query)}


def comparable(result: Result, query: str) -> object:
    """``result.canonical()`` with the items of each GROUP_CONCAT column sorted."""
    if result.form != "SELECT":
        return result.canonical()
    lists = list_columns(query)
    rows = []
    for row in result.rows:
        out = {}
        for name, term in row.items():
            term = _norm(term)
            if name in lists and lists[name]:
                term = {**term, "value": lists[name].join(sorted(term["value"].split(lists[name])))}
            out[name] = term
        rows.append(json.dumps(out, sort_keys=True))
    return sorted(rows)
