"""The naive baseline: an rdflib Dataset and rdflib's SPARQL engine, as a newcomer would write it.

Kept to check that the fast engine gives the same answers, and as the benchmark's point of comparison.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import rdflib
import rdflib.plugins.sparql
from rdflib.term import BNode, Literal, URIRef

from gfmdkg.bounded import run_bounded
from gfmdkg.project import Project
from gfmdkg.sparql.terms import Term, XSD_STRING
from gfmdkg.store.base import Engine, Result
from gfmdkg.store.loading import project_quads

rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # never fetch FROM graphs (SECURITY-NOTES)


def ox_to_rdflib(node: object):
    """A pyoxigraph term as an rdflib term."""
    if isinstance(node, ox.NamedNode):
        return URIRef(node.value)
    if isinstance(node, ox.BlankNode):
        return BNode(node.value)
    if isinstance(node, ox.Literal):
        if node.language:
            return Literal(node.value, lang=node.language)
        dt = node.datatype.value
        return Literal(node.value, datatype=None if dt == XSD_STRING else URIRef(dt))
    raise TypeError(node)


def rdflib_graph(quads) -> rdflib.Graph:
    """The triples of pyoxigraph ``quads`` as one rdflib Graph (named graphs merged), e.g. for pySHACL."""
    g = rdflib.Graph()
    for q in quads:
        g.add((ox_to_rdflib(q.subject), ox_to_rdflib(q.predicate), ox_to_rdflib(q.object)))
    return g


def rdflib_to_term(node) -> Term:
    if isinstance(node, URIRef):
        return {"type": "uri", "value": str(node)}
    if isinstance(node, BNode):
        return {"type": "bnode", "value": str(node)}
    term: Term = {"type": "literal", "value": str(node)}
    if node.language:
        term["xml:lang"] = node.language
    elif node.datatype is not None and str(node.datatype) != XSD_STRING:
        term["datatype"] = str(node.datatype)
    return term


def term_to_rdflib(term: Term):
    if term["type"] == "uri":
        return URIRef(term["value"])
    if term["type"] == "bnode":
        return BNode(term["value"])
    return Literal(term["value"], lang=term.get("xml:lang"),
                   datatype=URIRef(term["datatype"]) if "datatype" in term else None)


class RdflibEngine(Engine):
    """rdflib Dataset with the default graph as the union of the named graphs."""

    name = "rdflib"

    def __init__(self, dataset: rdflib.Dataset) -> None:
        self.dataset = dataset
        self.local_graphs = {str(g.identifier) for g in dataset.graphs() if isinstance(g.identifier, URIRef)}

    @classmethod
    def from_quads(cls, quads) -> RdflibEngine:
        ds = rdflib.Dataset(default_union=True)
        for q in quads:
            g = ds.graph(URIRef(q.graph_name.value)) if isinstance(q.graph_name, ox.NamedNode) else ds.default_graph
            g.add((ox_to_rdflib(q.subject), ox_to_rdflib(q.predicate), ox_to_rdflib(q.object)))
        return cls(ds)

    @classmethod
    def from_project(cls, project: Project) -> RdflibEngine:
        return cls.from_quads(project_quads(project))

    def quads(self) -> Iterator[ox.Quad]:
        from gfmdkg.sparql.terms import to_oxigraph
        for s, p, o, g in self.dataset.quads((None, None, None, None)):
            graph = ox.NamedNode(str(g)) if isinstance(g, URIRef) else ox.DefaultGraph()
            yield ox.Quad(*(to_oxigraph(rdflib_to_term(t)) for t in (s, p, o)), graph)

    def _run(self, sparql: str, form: str, timeout: float, max_bytes: int) -> Result:

        def work() -> bytes:
            res = self.dataset.query(sparql)
            if form in ("CONSTRUCT", "DESCRIBE"):
                return res.serialize(format="nt")
            return res.serialize(format="json")

        data = run_bounded(work, timeout=timeout, max_bytes=max_bytes)
        if form in ("CONSTRUCT", "DESCRIBE"):
            return Result.from_triples(form, ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        import json
        return Result.from_json(json.loads(data))
