"""The server binds query values as the engines do (a VALUES block), so BOUND() sees them."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from gfmdkg.serve.dataset import Dataset, from_project
from gfmdkg.serve.runner import QueryService, bind
from gfmdkg.sparql.catalogue import load_catalogue
from gfmdkg.store import open_engine

EX = "http://example.org/"
TTL = f"""
<{EX}r1> <{EX}by> <{EX}a> , <{EX}b> , <{EX}c> .
<{EX}r2> <{EX}by> <{EX}d> , <{EX}e> .
"""


@pytest.fixture(scope="module")
def service() -> QueryService:
    store = ox.Store()
    store.load(TTL.encode(), format=ox.RdfFormat.TURTLE)
    return QueryService(Dataset(store, "test"), timeout=10)


def iri(value: str) -> dict[str, str]:
    return {"type": "uri", "value": value}


def test_bound_sees_a_bound_value(service):
    query = f"SELECT ?x WHERE {{ ?r <{EX}by> ?x FILTER(!BOUND(?r) || ?r = <{EX}r2>) }} ORDER BY ?x"
    rows, _ = service.select([(query, {"r": iri(EX + "r2")})], labels=False)
    assert [r["x"]["value"] for r in rows[0]] == [EX + "d", EX + "e"]


def test_a_value_narrows_a_subquery_that_projects_it(service):
    query = f"SELECT ?r ?x WHERE {{ {{ SELECT ?r ?x WHERE {{ ?r <{EX}by> ?x }} ORDER BY ?x LIMIT 2 }} }}"
    rows, _ = service.select([(query, {"r": iri(EX + "r2")})], labels=False)
    assert [r["x"]["value"] for r in rows[0]] == [EX + "d", EX + "e"]


def test_bind_leaves_subqueries_that_do_not_project_it():
    query = "SELECT ?r WHERE { ?r ?p ?o { SELECT ?o WHERE { ?s ?q ?o } } }"
    assert bind(query, {"r": iri(EX + "r1")}).count("VALUES") == 1
    assert bind("SELECT * WHERE { { SELECT * WHERE { ?r ?p ?o } } }", {"r": iri(EX + "r1")}).count("VALUES") == 2


def test_saved_query_answers_as_on_the_command_line(project):
    """quantitative-facts -p unit=USD: the same rows from the server as from the engine (not every row)."""
    saved = load_catalogue(project.query_files())["quantitative-facts"]
    bindings = saved.bindings({"unit": "USD"})
    engine_rows = open_engine(project).query(saved.text, bindings).rows
    service = QueryService(from_project(project, memory=True), timeout=30)
    served, _ = service.select([(saved.text, bindings)], labels=False)
    everything, _ = service.select([(saved.text, {})], labels=False)
    assert served[0] == engine_rows
    assert len(served[0]) < len(everything[0])
    assert {r["currency"]["value"] for r in served[0] if "currency" in r} == {"USD"}
