"""The storage interface every engine implements, and the engine-neutral query result."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from gfmdkg.bounded import DEFAULT_TIMEOUT
from gfmdkg.sparql.guard import check
from gfmdkg.sparql.terms import Term, from_oxigraph


@dataclass
class Result:
    """A query answer in SPARQL 1.1 Query Results JSON terms: rows for SELECT, a boolean for ASK, triples for
    CONSTRUCT/DESCRIBE."""

    form: str
    vars: list[str] = field(default_factory=list)
    rows: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)

    @classmethod
    def from_json(cls, doc: dict) -> Result:
        """Build from a SPARQL JSON results document (as remote endpoints and pyoxigraph write it)."""
        if "boolean" in doc:
            return cls("ASK", boolean=bool(doc["boolean"]))
        return cls("SELECT", vars=list(doc["head"].get("vars", [])), rows=list(doc["results"]["bindings"]))

    @classmethod
    def from_triples(cls, form: str, triples: Iterator) -> Result:
        return cls(form, triples=[(from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))
                                  for t in triples])

    def to_json(self) -> dict:
        """The SPARQL 1.1 Query Results JSON document (SELECT/ASK)."""
        if self.form == "ASK":
            return {"head": {}, "boolean": bool(self.boolean)}
        return {"head": {"vars": self.vars}, "results": {"bindings": self.rows}}

    def canonical(self) -> object:
        """An order-insensitive, engine-neutral form for comparing answers of two engines or endpoints."""
        if self.form == "ASK":
            return self.boolean
        if self.form in ("CONSTRUCT", "DESCRIBE"):
            return sorted(json.dumps(t, sort_keys=True) for t in self.triples)
        return sorted(json.dumps({k: _norm(v) for k, v in row.items()}, sort_keys=True) for row in self.rows)


def _norm(term: Term) -> Term:
    t = dict(term)
    if t.get("type") == "typed-literal":  # SPARQL 1.0-era JSON from some servers
        t["type"] = "literal"
    if t.get("datatype") == "http://www.w3.org/2001/XMLSchema#string":
        del t["datatype"]
    if t.get("type") == "bnode":
        t["value"] = "_"
    return t


class Engine(ABC):
    """A graph that can be queried, listed and exported."""

    name = "engine"
    local_graphs: set[str]

    @abstractmethod
    def _run(self, sparql: str, form: str, timeout: float, max_bytes: int) -> Result:
        """Execute a query the guard accepted (its exact text and its form)."""

    @abstractmethod
    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of the dataset (one named graph per source file)."""

    def query(self, sparql: str, bindings: dict[str, Term] | None = None, *, timeout: float = DEFAULT_TIMEOUT,
              max_bytes: int = 256 * 1024 * 1024) -> Result:
        """Run a read-only query over the union of all graphs, refusing SERVICE, LOAD, updates and remote FROM.

        Parameters are bound as a ``VALUES`` block first, and the guard checks the text that will run."""
        if bindings:  # as text, like every engine and endpoint (pyoxigraph's substitutions hide them from BOUND)
            from gfmdkg.store.values import inject_values
            sparql = inject_values(sparql, bindings)
        checked = check(sparql, allowed_graphs=self.local_graphs)
        return self._run(checked.text, checked.form, timeout, max_bytes)

    def __len__(self) -> int:
        return sum(1 for _ in self.quads())
