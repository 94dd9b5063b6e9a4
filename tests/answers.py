"""Comparing a query's answers from a remote store and the local engine, as far as SPARQL fixes them.

The saved queries are written so that stores agree exactly, except for the order of the values inside a
``GROUP_CONCAT``, which SPARQL 1.1 leaves undefined: :func:`bench.answers.comparable` with ``strict=True``.
"""

from __future__ import annotations

from bench.answers import comparable, example_params


def cases(saved) -> list[dict[str, str]]:
    """The parameter values a saved query is tried with: its header example, and none when none is required."""
    runs = [example_params(saved.example)]
    if not any(p.required for p in saved.params):
        runs.append({})
    return runs


def assert_same_answers(saved, local, remote) -> None:
    """``saved`` answers the same on the ``local`` engine and the ``remote`` endpoint, for each of its :func:`cases`."""
    for values in cases(saved):
        bindings = saved.bindings(values)
        here, there = local.query(saved.text, bindings), remote.query(saved.text, bindings)
        assert there.form == here.form
        assert comparable(there, saved.text, strict=True) == comparable(here, saved.text, strict=True), \
            (saved.name, values)
        if here.form == "SELECT":
            assert there.vars == here.vars and len(there.rows) == len(here.rows)
