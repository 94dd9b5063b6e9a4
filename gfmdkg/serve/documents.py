"""The description of one IRI as an RDF document: JSON-LD (``application/ld+json`` and ``application/json``)
compacted with the published context, like the export; the other syntaxes as pyoxigraph writes them."""

from __future__ import annotations

import pyoxigraph as ox

from gfmdkg.publish.jsonld import to_jsonld
from gfmdkg.serve import conneg, linked
from gfmdkg.serve.runner import QueryService


def describe(service: QueryService, iri: str, media: str, prefixes: dict[str, str] | None) -> bytes | None:
    """``iri``'s description in ``media`` (one of :data:`conneg.DOCUMENT_OFFERS` but HTML); None when the graph
    says nothing about it."""
    query, bindings = linked.query_for(iri)
    if media not in conneg.JSONLD:
        return service.graph(query, bindings, conneg.GRAPHS[media], prefixes)
    ntriples = service.graph(query, bindings, ox.RdfFormat.N_TRIPLES)
    if ntriples is None:
        return None
    return to_jsonld(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES), service.dataset.context)
