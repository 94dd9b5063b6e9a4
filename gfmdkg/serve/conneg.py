"""Content negotiation: the media types the server writes, ``Accept`` header matching and ``?format=`` names."""

from __future__ import annotations

import pyoxigraph as ox

HTML = "text/html"
#: media type -> writer format, for SELECT/ASK answers
RESULTS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
#: media type -> writer format, for graphs (CONSTRUCT/DESCRIBE answers, linked-data descriptions)
GRAPHS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
#: ?format= names
FORMAT_NAMES: dict[str, str] = {
    "html": HTML, "json": "application/sparql-results+json", "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml", "srx": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "ttl": "text/turtle", "turtle": "text/turtle",
    "nt": "application/n-triples", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
    "json-ld": "application/ld+json", "rdf": "application/rdf+xml", "rdfxml": "application/rdf+xml",
}
#: ?format= names that mean an RDF syntax when the answer is a graph (as SPARQLWrapper sends them)
GRAPH_FORMAT_NAMES = {"json": "application/ld+json", "xml": "application/rdf+xml", "n3": "text/turtle"}
SELECT_OFFERS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                 "text/tab-separated-values", "application/json", "application/xml", HTML]
ASK_OFFERS = ["application/sparql-results+json", "application/sparql-results+xml", "application/json",
              "application/xml", HTML]
GRAPH_OFFERS = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
                "text/plain", HTML]
DOCUMENT_OFFERS = [HTML, "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml",
                   "application/json"]
#: media types of a description written as JSON-LD with the published context (gfmdkg.serve.documents)
JSONLD = ("application/ld+json", "application/json")


def parse_accept(header: str) -> list[tuple[str, float]]:
    """``Accept`` as (media range, q) pairs; malformed parts are skipped."""
    out = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for f in fields[1:]:
            name, _, value = f.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        out.append((media, q))
    return out


def _quality(accepted: list[tuple[str, float]], offer: str) -> tuple[float, int]:
    """q of the most specific range that matches ``offer`` (and that specificity)."""
    best = (-1.0, -1)
    kind = offer.split("/")[0]
    for media, q in accepted:
        if media == offer:
            spec = 2
        elif media == f"{kind}/*":
            spec = 1
        elif media == "*/*":
            spec = 0
        else:
            continue
        if spec > best[1]:
            best = (q, spec)
    return best


def negotiate(accept: str | None, offers: list[str], format_name: str | None = None) -> str | None:
    """The offer to answer with: ``?format=`` wins, then the client's preference, ties broken by our order.

    None when the client accepts none of the offers (answer 406).
    """
    if format_name:
        name = format_name.lower()
        media = (GRAPH_FORMAT_NAMES.get(name) if "text/turtle" in offers else None) or FORMAT_NAMES.get(name, name)
        return media if media in offers else None
    if not accept or not accept.strip():
        return offers[0]
    accepted = parse_accept(accept)
    scored = [(_quality(accepted, o), -i, o) for i, o in enumerate(offers)]
    (q, _spec), _, best = max(scored, key=lambda s: (s[0][0], s[1]))
    return best if q > 0 else None


def content_type(media: str) -> str:
    """The Content-Type header value for a media type we write (UTF-8 for every text format)."""
    if media in ("application/ld+json", "application/json", "application/sparql-results+json"):
        return media
    return f"{media}; charset=utf-8"
