"""The SPARQL 1.1 Protocol, read-only: turning an HTTP request into a query and its dataset, or a refusal.

Queries come by GET (``?query=``), by POST with ``application/x-www-form-urlencoded`` or with
``application/sparql-query``; ``default-graph-uri`` / ``named-graph-uri`` select local graphs (a graph that is not
held is simply empty: nothing is ever fetched). Update requests in any encoding are refused with 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox

from gfmdkg.serve.runner import Selection
from gfmdkg.sparql.terms import is_iri

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"


class ProtocolError(Exception):
    """A request the endpoint answers with an HTTP error status and a short plain-text reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Operation:
    """A query request: the query text (None: service description requested), its dataset and ?format=."""

    query: str | None
    selection: Selection
    format: str | None = None


READ_ONLY = ProtocolError(403, "this SPARQL endpoint is read-only: update requests are refused")


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"the {what} is not UTF-8 (invalid byte at position {exc.start})") from None


def _params(text: str, what: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=False, errors="strict", max_num_fields=200)
    except UnicodeDecodeError:
        raise ProtocolError(400, f"the {what} is not UTF-8 after percent-decoding") from None
    except ValueError:
        raise ProtocolError(400, f"the {what} has too many fields (limit 200)") from None


def _charset_ok(params: list[str]) -> bool:
    for p in params:
        name, _, value = p.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return False
    return True


def parse_request(method: str, url_query: str, content_type: str | None, body: bytes) -> Operation:
    """The operation an HTTP request to /sparql asks for (raises :class:`ProtocolError`)."""
    params = _params(url_query, "URL query string")
    query_text: list[str] = [v for k, v in params if k == "query"]
    if method == "POST":
        media, *ct_params = [p.strip() for p in (content_type or "").split(";")]
        media = media.lower()
        if media == UPDATE:
            raise READ_ONLY
        if media == FORM:
            body_params = _params(_decode(body, "request body"), "request body")
            params += body_params
            query_text += [v for k, v in body_params if k == "query"]
        elif media == QUERY:
            if not _charset_ok(ct_params):
                raise ProtocolError(415, "application/sparql-query must be sent as UTF-8")
            query_text.append(_decode(body, "query"))
        else:
            raise ProtocolError(415, "POST a query as application/x-www-form-urlencoded (query=...) or as "
                                "application/sparql-query" + (f", not {media}" if media else
                                                              " (the Content-Type header is missing)"))
    elif method not in ("GET", "HEAD"):
        raise ProtocolError(405, f"{method} is not allowed here: use GET or POST")
    if any(k in ("update", "using-graph-uri", "using-named-graph-uri") for k, _ in params):
        raise READ_ONLY
    if len(query_text) > 1:
        raise ProtocolError(400, f"the request carries {len(query_text)} queries: send exactly one")
    default = [v for k, v in params if k == "default-graph-uri"]
    named = [v for k, v in params if k == "named-graph-uri"]
    for iri in default + named:
        if not is_iri(iri):
            raise ProtocolError(400, f"default-graph-uri / named-graph-uri '{iri[:200]}' is not an absolute IRI")
    selection = Selection(tuple(default), tuple(named)) if default or named else Selection()
    formats = [v for k, v in params if k == "format"]
    if not query_text and method == "POST":
        raise ProtocolError(400, "the request has no query")
    return Operation(query_text[0] if query_text else None, selection, formats[0] if formats else None)


SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FORMATS_W3 = "http://www.w3.org/ns/formats/"


def service_description(endpoint: str, graphs: set[str], label: str) -> list[ox.Triple]:
    """A SPARQL 1.1 Service Description of this endpoint."""
    sd = {n: ox.NamedNode(SD + n) for n in (
        "Service", "endpoint", "supportedLanguage", "SPARQL11Query", "resultFormat", "feature",
        "UnionDefaultGraph", "defaultDataset", "Dataset", "defaultGraph", "Graph", "namedGraph", "NamedGraph",
        "name")}
    service = ox.NamedNode(endpoint)
    dataset = ox.NamedNode(endpoint + "#dataset")
    default = ox.NamedNode(endpoint + "#default-graph")
    triples = [
        ox.Triple(service, RDF_TYPE, sd["Service"]),
        ox.Triple(service, sd["endpoint"], service),
        ox.Triple(service, sd["supportedLanguage"], sd["SPARQL11Query"]),
        ox.Triple(service, sd["feature"], sd["UnionDefaultGraph"]),
        ox.Triple(service, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                  ox.Literal(f"gfmdkg read-only SPARQL endpoint: {label}", language="en")),
        ox.Triple(service, sd["defaultDataset"], dataset),
        ox.Triple(dataset, RDF_TYPE, sd["Dataset"]),
        ox.Triple(dataset, sd["defaultGraph"], default),
        ox.Triple(default, RDF_TYPE, sd["Graph"]),
    ]
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        triples.append(ox.Triple(service, sd["resultFormat"], ox.NamedNode(FORMATS_W3 + fmt)))
    for i, g in enumerate(sorted(graphs)):
        node = ox.NamedNode(f"{endpoint}#named-graph-{i + 1}")
        triples += [ox.Triple(dataset, sd["namedGraph"], node), ox.Triple(node, RDF_TYPE, sd["NamedGraph"]),
                    ox.Triple(node, sd["name"], ox.NamedNode(g))]
    return triples
