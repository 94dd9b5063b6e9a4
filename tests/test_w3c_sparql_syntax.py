"""The W3C SPARQL 1.1 query-syntax suites against the query guard and the engine behind it (issue #17).

A safety check must not refuse valid SPARQL: every positive syntax test that names no other endpoint or dataset
passes the guard and runs (or, where the engine itself cannot evaluate it, says why); every negative test is refused
with a message that gives its line and column; every federated (SERVICE) test is refused by the guard.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from gfmdkg.errors import GfmdkgError, QueryRefused
from gfmdkg.sparql.guard import check
from gfmdkg.store.oxigraph_engine import OxigraphEngine
from tests.shared import need, shared

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LOCATED = re.compile(r"line \d+, column \d+")
# positive tests that name a dataset the project does not hold: refused by design
NAMES_A_DATASET = {"syntax-construct-where-02.rq"}


def manifest(folder: str) -> list[tuple[str, str]]:
    """(kind, file name) of every syntax test in ``../shared/w3c-tests/FOLDER``; empty without ../shared."""
    path = shared("w3c-tests", folder, "manifest.ttl")
    if not path.is_file():
        return []
    store = ox.Store()
    store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    out = []
    for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None):
        kind = q.object.value.rsplit("#", 1)[-1]
        action = next(store.quads_for_pattern(q.subject, ox.NamedNode(MF + "action"), None), None)
        if action is not None and "Syntax" in kind:
            out.append((kind, Path(action.object.value).name))
    return sorted(out, key=lambda t: t[1])


QUERY = manifest("sparql11-syntax-query")
FED = manifest("sparql11-syntax-fed")


def text(folder: str, name: str) -> str:
    return need("w3c-tests", folder, name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def engine() -> OxigraphEngine:
    return OxigraphEngine(ox.Store())


def test_the_suites_are_there():
    need("w3c-tests", "sparql11-syntax-query", "manifest.ttl")
    assert sum("Positive" in k for k, _ in QUERY) == 63 and sum("Negative" in k for k, _ in QUERY) == 31
    assert len(FED) == 3


@pytest.mark.parametrize("name", [n for k, n in QUERY if "Positive" in k])
def test_positive_query_passes_the_guard_and_runs(name, engine):
    query = text("sparql11-syntax-query", name)
    if name in NAMES_A_DATASET:
        with pytest.raises(QueryRefused, match=r"FROM <[^>]+> \(line \d+\) is refused"):
            check(query, allowed_graphs=set())
        return
    check(query, allowed_graphs=set())
    try:
        engine.query(query, timeout=20)
    except GfmdkgError as exc:  # the engine's own limits: said plainly, never as a crash
        message = str(exc)
        assert "stopped without an answer" not in message and "Traceback" not in message, message
        assert "not supported" in message or LOCATED.search(message), message


@pytest.mark.parametrize("name", [n for k, n in QUERY if "Negative" in k])
def test_negative_query_is_refused_with_its_place(name, engine):
    with pytest.raises(GfmdkgError) as info:  # by the guard's parse, or else by the engine's stricter checks
        engine.query(text("sparql11-syntax-query", name), timeout=20)
    assert LOCATED.search(str(info.value)), str(info.value)


@pytest.mark.parametrize("name", [n for _, n in FED])
def test_federated_query_is_refused(name, engine):
    with pytest.raises(QueryRefused, match=r"SERVICE \(line \d+\) is refused"):
        engine.query(text("sparql11-syntax-fed", name), timeout=20)
