"""Comparing a query's answers from two stores, as far as SPARQL fixes them.

SPARQL 1.1 leaves the order of the values inside a ``GROUP_CONCAT`` undefined (the saved queries feed it from an
ordered subquery, which most stores keep, but Virtuoso and Oxigraph do not always), so the items of such a column are
compared as a sorted list. Everything else is compared as :meth:`Result.canonical` does.
"""

from __future__ import annotations

import json
import re

from gfmdkg.store.base import Result, _norm

_LIST_COLUMN = re.compile(r'GROUP_CONCAT\b.*?separator\s*=\s*"([^"]*)".*?\bAS\s+\?(\w+)', re.I | re.S)


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
