"""Validating a contribution with its neighbourhood instead of the whole graph.

The shapes and QC checks of a contributed node look only at the node, its hash-IRI children, the nodes it
references (their types, schemes, labels: one hop), the statements of what those reference (a second hop, for
``sh:node``/``sh:class`` on a referenced node's values), the ``rdfs:subClassOf`` chains of every type met, and the
existing statements that point at a contributed node (orphan/uncited checks). A contributed IRI the graph already
has (a clash) brings its existing statements along. That small graph, taken from the on-disk index by
subject/object look-ups, is validated with the SHACL library (or pySHACL) and the QC queries, and only
results about the contributed nodes are kept: the same results as validating the whole graph, at a cost
independent of its size.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from gfmdkg.project import Project
from gfmdkg.validation.report import Report, ValidationResult

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SUBCLASS = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")


def _iris(quads: Iterable[ox.Quad]) -> set[str]:
    return {t.value for q in quads for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}


def neighbourhood(store: ox.Store, quads: list[ox.Quad], hops: int = 2) -> list[ox.Quad]:
    """The existing statements the checks of ``quads``' subjects need (see the module docstring)."""
    own = {q.subject for q in quads if isinstance(q.subject, ox.NamedNode)}
    out: set[ox.Quad] = set()
    for node in own:
        out.update(store.quads_for_pattern(node, None, None))
        out.update(store.quads_for_pattern(None, None, node))
    described = set(own)
    frontier = _iris(list(out) + list(quads))
    for _ in range(hops):
        todo = sorted(frontier - {n.value for n in described})
        found: set[ox.Quad] = set()
        for iri in todo:
            node = ox.NamedNode(iri)
            described.add(node)
            found.update(store.quads_for_pattern(node, None, None))
        out |= found
        frontier = _iris(found)
    types = {q.object for q in out | set(quads) if q.predicate == RDF_TYPE and isinstance(q.object, ox.NamedNode)}
    seen: set[ox.NamedNode] = set()
    while types:
        cls = types.pop()
        if cls in seen:
            continue
        seen.add(cls)
        for q in store.quads_for_pattern(cls, SUBCLASS, None):
            out.add(q)
            if isinstance(q.object, ox.NamedNode):
                types.add(q.object)
    return sorted(out, key=str)


def validate_neighbourhood(project: Project, store: ox.Store, extra_quads: list[ox.Quad], *,
                           qc: bool = True, shacl_engine: str = "shacl") -> Report:
    """Shapes and QC checks of ``extra_quads``' subjects (a contribution), with their neighbourhood from ``store``
    (the project's index); only results about those subjects are reported."""
    from gfmdkg.store.oxigraph_engine import OxigraphEngine
    from gfmdkg.validation.run import locate, qc_results, shacl_on_store

    own = {q.subject.value for q in extra_quads if isinstance(q.subject, ox.NamedNode)}
    engine = OxigraphEngine.in_memory(neighbourhood(store, extra_quads) + list(extra_quads))
    results, turtle = shacl_on_store(project, engine.store, engine=shacl_engine)
    if qc:
        results += qc_results(project, engine)
    kept: list[ValidationResult] = [r for r in results if r.focus in own]
    return Report(results=locate(kept, engine.store, project), shacl_turtle=turtle, checked_nodes=len(own))
