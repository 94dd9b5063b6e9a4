"""The pure parts of ``gfmdkg serve``: content negotiation, SPARQL Protocol request parsing, IRI <-> path mapping."""

from __future__ import annotations

import pytest

from gfmdkg.serve import conneg, linked, protocol
from gfmdkg.serve.runner import Selection, has_dataset_clause, syntax_message


@pytest.mark.parametrize(("accept", "offers", "expected"), [
    (None, conneg.SELECT_OFFERS, "application/sparql-results+json"),
    ("", conneg.GRAPH_OFFERS, "text/turtle"),
    ("*/*", conneg.DOCUMENT_OFFERS, "text/html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", conneg.DOCUMENT_OFFERS, "text/html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", conneg.SELECT_OFFERS, "text/html"),
    ("application/sparql-results+xml;q=0.5, application/sparql-results+json", conneg.ASK_OFFERS,
     "application/sparql-results+json"),
    ("text/*;q=0.5, text/csv", conneg.SELECT_OFFERS, "text/csv"),
    ("application/ld+json, text/turtle;q=0.9", conneg.DOCUMENT_OFFERS, "application/ld+json"),
    ("text/turtle;q=0", conneg.GRAPH_OFFERS, None),
    ("image/png", conneg.SELECT_OFFERS, None),
    ("application/rdf+xml;q=0.9,*/*;q=0.1", conneg.GRAPH_OFFERS, "application/rdf+xml"),
    ("garbage, ;;, text/csv;q=abc", conneg.SELECT_OFFERS, None),
])
def test_negotiate(accept, offers, expected):
    assert conneg.negotiate(accept, offers) == expected


@pytest.mark.parametrize(("name", "offers", "expected"), [
    ("csv", conneg.SELECT_OFFERS, "text/csv"), ("json", conneg.SELECT_OFFERS, "application/sparql-results+json"),
    ("json", conneg.GRAPH_OFFERS, "application/ld+json"), ("xml", conneg.GRAPH_OFFERS, "application/rdf+xml"),
    ("ttl", conneg.DOCUMENT_OFFERS, "text/turtle"), ("nt", conneg.DOCUMENT_OFFERS, "application/n-triples"),
    ("csv", conneg.ASK_OFFERS, None), ("nonsense", conneg.DOCUMENT_OFFERS, None),
])
def test_format_names_override_accept(name, offers, expected):
    assert conneg.negotiate("text/html", offers, name) == expected


def test_parse_get_and_dataset():
    op = protocol.parse_request("GET", "query=ASK%7B%7D&default-graph-uri=http%3A%2F%2Fa%2F&named-graph-uri=http%3A"
                                "%2F%2Fb%2F&named-graph-uri=http%3A%2F%2Fc%2F", None, b"")
    assert op.query == "ASK{}" and op.selection == Selection(("http://a/",), ("http://b/", "http://c/"))
    assert protocol.parse_request("GET", "", None, b"").query is None  # service description


@pytest.mark.parametrize(("method", "url", "ctype", "body", "status"), [
    ("GET", "update=CLEAR%20ALL", None, b"", 403),
    ("POST", "", "application/sparql-update", b"CLEAR ALL", 403),
    ("POST", "", "application/x-www-form-urlencoded", b"update=CLEAR%20ALL", 403),
    ("POST", "using-graph-uri=http%3A%2F%2Fa%2F", "application/sparql-query", b"ASK {}", 403),
    ("GET", "query=ASK%7B%7D&query=ASK%7B%7D", None, b"", 400),
    ("POST", "query=ASK%7B%7D", "application/x-www-form-urlencoded", b"query=ASK%7B%7D", 400),
    ("POST", "", "text/plain", b"ASK {}", 415),
    ("POST", "", None, b"query=ASK%20%7B%7D", 415),
    ("POST", "", "application/sparql-query; charset=UTF-16", "ASK {}".encode("utf-16"), 415),
    ("POST", "", "application/sparql-query", b"ASK {\xff}", 400),
    ("POST", "", "application/x-www-form-urlencoded", b"query=%FF", 400),
    ("GET", "query=ASK%7B%7D&default-graph-uri=not%20an%20iri", None, b"", 400),
    ("DELETE", "", None, b"", 405),
    ("POST", "", "application/x-www-form-urlencoded", b"", 400),
])
def test_refusals(method, url, ctype, body, status):
    with pytest.raises(protocol.ProtocolError) as info:
        protocol.parse_request(method, url, ctype, body)
    assert info.value.status == status


def test_form_post_merges_url_dataset():
    op = protocol.parse_request("POST", "default-graph-uri=http%3A%2F%2Fa%2F", "application/x-www-form-urlencoded",
                                b"query=ASK%20%7B%7D")
    assert op.query == "ASK {}" and op.selection == Selection(("http://a/",), ())


def test_selection_kwargs():
    assert Selection().kwargs("SELECT * {}") == {"use_default_graph_as_union": True}
    assert Selection().kwargs("SELECT * FROM <http://a/> {}") == {}
    assert has_dataset_clause("SELECT * \\u0046ROM <http://a/> {}")
    assert not has_dataset_clause('SELECT * { ?s ?p "FROM" } # FROM')


def test_syntax_message_keeps_only_the_position():
    assert syntax_message(SyntaxError('error at 3:14: expected one of "$", "(", [_]')) == \
        "the query is not valid SPARQL: syntax error at line 3, column 14"
    assert syntax_message(SyntaxError("something else")) == "the query is not valid SPARQL: syntax error"


@pytest.mark.parametrize(("path", "iri"), [
    ("/id/practice/mida-ghana-health", "https://w3id.org/gfmdkg/id/practice/mida-ghana-health"),
    ("/vocab", "https://w3id.org/gfmdkg/vocab/"), ("/vocab/tags", "https://w3id.org/gfmdkg/vocab/tags"),
    ("/def", "https://w3id.org/gfmdkg/def"),
    ("/id/../etc/passwd", None), ("/id/./x", None), ("/static/style.css", None), ("/id/x>y", None),
    ("/id/a b", None), ("/definitely", None),
])
def test_iri_for_path(path, iri):
    assert linked.iri_for_path(path) == iri


@pytest.mark.parametrize(("iri", "href"), [
    ("https://w3id.org/gfmdkg/id/practice/x#period", "/id/practice/x#period"),
    ("https://w3id.org/gfmdkg/def#Practice", "/def#Practice"),
    ("https://w3id.org/gfmdkg/vocab/tag/migration-and-health", "/vocab/tag/migration-and-health"),
    ("https://w3id.org/gfmdkg/graph/data/findings", None), ("http://example.org/", None),
])
def test_local_href(iri, href):
    assert linked.local_href(iri) == href
