"""The query guard's own contract: decisions on the parse, the text to run, remembered verdicts."""

from __future__ import annotations

import pytest

from gfmdkg.errors import QueryNotParsed, QueryRefused
from gfmdkg.sparql import guard


def test_the_text_to_run_is_the_decoded_text():
    checked = guard.check('SELECT ?x WHERE { BIND("caf\\u00E9" AS ?x) }')
    assert checked.text == 'SELECT ?x WHERE { BIND("café" AS ?x) }' and checked.form == "SELECT"
    assert guard.check("ASK {}").form == "ASK"
    assert guard.check("CONSTRUCT WHERE { ?s ?p ?o }").form == "CONSTRUCT"


def test_accepted_verdicts_are_remembered_and_refusals_are_not(monkeypatch):
    calls = []
    real = guard._parse
    monkeypatch.setattr(guard, "_parse", lambda text: calls.append(text) or real(text))
    query = "SELECT * WHERE { ?s ?p 41 }"
    assert guard.check(query) == guard.check(query)
    assert len(calls) == 1
    assert guard.check(query, allowed_graphs={"http://e/g"}) is not None and len(calls) == 2  # other graphs, new key
    bad = "SELECT * WHERE { SERVICE <http://e/> { ?s ?p ?o } }"
    for _ in range(2):
        with pytest.raises(QueryRefused):
            guard.check(bad)
    assert len(calls) == 4


def test_remembered_verdicts_are_bounded(monkeypatch):
    monkeypatch.setattr(guard, "_ACCEPTED", {})
    monkeypatch.setattr(guard, "CACHED_QUERIES", 3)
    for i in range(5):
        guard.check(f"ASK {{ ?s ?p {i} }}")
    assert len(guard._ACCEPTED) == 3 and ("ASK { ?s ?p 4 }", None) in guard._ACCEPTED
    guard.check('ASK { ?s ?p "' + "x" * guard.CACHED_QUERY_CHARS + '" }')  # too long to keep
    assert len(guard._ACCEPTED) == 3


def test_not_a_query_is_a_parse_refusal_with_its_place():
    with pytest.raises(QueryNotParsed, match=r"line 2, column \d+"):
        guard.check("SELECT *\nWHERE { ?s ?p }")
    with pytest.raises(QueryRefused, match=r"INSERT \(line 1\) is refused: gfmdkg queries are read-only"):
        guard.check("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }")
