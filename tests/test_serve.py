"""``gfmdkg serve`` as a real process: the SPARQL endpoint by raw HTTP and SPARQLWrapper, its limits and refusals,
linked data with content negotiation, and the HTML pages cross-checked against the endpoint's own answers."""

from __future__ import annotations

import csv
import http.client
import io
import json
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, urlencode, urlsplit

import pyoxigraph as ox
import pytest

from tests.serve_process import ServeProcess

EX = "http://example.org/"
TRIG = f"""@prefix ex: <{EX}> .
ex:a ex:p "1" .
ex:g1 {{ ex:b ex:p "2" . ex:b ex:q ex:a . }}
ex:g2 {{ ex:c ex:p "3"@en . }}
"""
GFMD = "https://w3id.org/gfmdkg/"
MIDA = GFMD + "id/practice/mida-ghana-health"
REC = GFMD + "id/recommendation/bp-diaspora-participation"
pytestmark = pytest.mark.server
PREFIXES = "PREFIX gfmd: <https://w3id.org/gfmdkg/def#> PREFIX dcterms: <http://purl.org/dc/terms/> "


# ------------------------------------------------------------------------------------------------ helpers
def request(server: ServeProcess, method: str, path: str, body: bytes | None = None,
            headers: dict | None = None) -> tuple[int, dict, bytes]:
    parts = urlsplit(server.base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def get(server, path, accept=None):
    return request(server, "GET", path, headers={"Accept": accept} if accept else {})


def query(server, sparql, accept="application/sparql-results+json", **params):
    return get(server, "/sparql?" + urlencode({"query": sparql, **params}, doseq=True), accept)


def select(server, sparql, **params) -> list[dict]:
    status, _, body = query(server, sparql, **params)
    assert status == 200, body
    return [{k: v["value"] for k, v in row.items()} for row in json.loads(body)["results"]["bindings"]]


class Recorder(BaseHTTPRequestHandler):
    """A local HTTP server that records every request: nothing the gfmdkg server does may reach it."""

    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.end_headers()
        self.wfile.write(b"<http://x/s> <http://x/p> <http://x/o> .")

    do_POST = do_GET

    def log_message(self, *args):
        pass


def triples(body: bytes, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)}


# ------------------------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A server over a small TriG dataset (default graph + two named graphs)."""
    path = tmp_path_factory.mktemp("serve") / "small.trig"
    path.write_text(TRIG, encoding="utf-8")
    server = ServeProcess(str(path), "--timeout", "5").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def gfmd(repo):
    """A server over the project's own graph (the default), with tight limits to test them."""
    server = ServeProcess("--timeout", "2", cwd=repo).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def recorder():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    Recorder.hits.clear()
    yield f"http://127.0.0.1:{srv.server_address[1]}/"
    srv.shutdown()
    srv.server_close()


# ------------------------------------------------------------------------------------------------ protocol
def test_select_default_graph_is_union(small):
    rows = select(small, f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s")
    assert [r["s"] for r in rows] == [EX + "a", EX + "b", EX + "c"]


def test_protocol_dataset_selects_local_graphs(small):
    q = f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s"
    assert select(small, q, **{"default-graph-uri": EX + "g1"}) == [{"s": EX + "b"}]
    assert select(small, q, **{"default-graph-uri": [EX + "g1", EX + "g2"]}) == [{"s": EX + "b"}, {"s": EX + "c"}]
    named = f"SELECT ?g ?s WHERE {{ GRAPH ?g {{ ?s <{EX}p> ?o }} }}"
    assert select(small, named, **{"named-graph-uri": EX + "g2"}) == [{"g": EX + "g2", "s": EX + "c"}]
    # a query's own FROM on a local graph works; the protocol's dataset overrides it
    assert select(small, f"SELECT ?s FROM <{EX}g2> WHERE {{ ?s <{EX}p> ?o }}") == [{"s": EX + "c"}]
    assert select(small, f"SELECT ?s FROM <{EX}g2> WHERE {{ ?s <{EX}p> ?o }}",
                  **{"default-graph-uri": EX + "g1"}) == [{"s": EX + "b"}]


def test_nothing_is_ever_fetched(small, recorder):
    # a graph that is not held locally is an empty graph: no fetch
    assert select(small, "SELECT * WHERE { ?s ?p ?o }", **{"default-graph-uri": recorder + "data.ttl"}) == []
    status, _, body = query(small, f"SELECT * FROM <{recorder}remote.ttl> WHERE {{ ?s ?p ?o }}")
    assert status == 403 and b"FROM <" + recorder.encode() + b"remote.ttl>" in body
    status, _, body = query(small, f"SELECT * WHERE {{ OPTIONAL {{ SERVICE <{recorder}sparql> {{ ?s ?p ?o }} }} }}")
    assert status == 403 and b"SERVICE" in body
    hidden = f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERV\\u0049CE <{recorder}x> {{}} }} }}"
    status, _, body = query(small, hidden)
    assert status == 403
    status, _, _ = request(small, "POST", "/sparql", f"LOAD <{recorder}data.ttl>".encode(),
                           {"Content-Type": "application/sparql-update"})
    assert status == 403
    assert Recorder.hits == []


def test_post_encodings(small):
    q = f"ASK {{ <{EX}a> <{EX}p> \"1\" }}"
    status, headers, body = request(small, "POST", "/sparql", urlencode({"query": q}).encode(),
                                    {"Content-Type": "application/x-www-form-urlencoded",
                                     "Accept": "application/sparql-results+json"})
    assert (status, json.loads(body)) == (200, {"head": {}, "boolean": True})
    status, headers, body = request(small, "POST", "/sparql", q.encode(),
                                    {"Content-Type": "application/sparql-query; charset=UTF-8",
                                     "Accept": "application/sparql-results+xml"})
    assert status == 200 and headers["content-type"].startswith("application/sparql-results+xml")
    assert b"<boolean>true</boolean>" in body


@pytest.mark.parametrize(("accept", "media", "expected"), [
    ("text/csv", "text/csv", b"s,o\r\nhttp://example.org/a,1\r\nhttp://example.org/b,2\r\nhttp://example.org/c,3\r\n"),
    ("text/tab-separated-values", "text/tab-separated-values",
     b'?s\t?o\n<http://example.org/a>\t"1"\n<http://example.org/b>\t"2"\n<http://example.org/c>\t"3"@en\n'),
])
def test_tabular_formats(small, accept, media, expected):
    status, headers, body = query(small, f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s", accept)
    assert status == 200 and headers["content-type"].split(";")[0] == media
    assert body == expected
    assert headers["vary"] == "Accept"


def test_format_parameter_and_406(small):
    status, headers, _ = query(small, "SELECT * WHERE {}", accept="text/csv", format="json")
    assert status == 200 and headers["content-type"] == "application/sparql-results+json"
    status, _, body = query(small, "ASK {}", accept="text/csv")
    assert status == 406 and b"application/sparql-results+json" in body


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD), ("application/rdf+xml", ox.RdfFormat.RDF_XML),
])
def test_construct_formats(small, accept, fmt):
    status, headers, body = query(small, f"CONSTRUCT {{ ?s <{EX}r> ?o }} WHERE {{ ?s <{EX}p> ?o }}", accept)
    assert status == 200 and headers["content-type"].split(";")[0] == accept
    found = {(t.subject.value, t.object.value) for t in ox.parse(body, format=fmt)}
    assert found == {(EX + "a", "1"), (EX + "b", "2"), (EX + "c", "3")}


def test_updates_refused_and_nothing_changes(small):
    update = f"INSERT DATA {{ <{EX}z> <{EX}p> \"9\" }}"
    for body, ctype in [(update.encode(), "application/sparql-update"),
                        (urlencode({"update": update}).encode(), "application/x-www-form-urlencoded"),
                        (urlencode({"query": update}).encode(), "application/x-www-form-urlencoded")]:
        status, _, text = request(small, "POST", "/sparql", body, {"Content-Type": ctype})
        assert status == 403 and b"read-only" in text
    status, _, _ = get(small, "/sparql?" + urlencode({"update": "CLEAR ALL"}))
    assert status == 403
    assert select(small, f"SELECT ?o WHERE {{ <{EX}z> ?p ?o }}") == []
    assert len(select(small, "SELECT * WHERE { ?s ?p ?o }")) == 4


def test_error_bodies_are_generic(small):
    status, headers, body = query(small, "SELECT * WHERE { ?s ?p }\nFILTER(")
    assert status == 400 and headers["content-type"].startswith("text/plain")
    assert body.decode() == ("400 Bad Request: the query is not valid SPARQL 1.1: it stops parsing at line 1, column "
                             "18, at '?s ?p }'\nwhat to do: correct the query at that place (a SPARQL 1.1 query: "
                             "SELECT, CONSTRUCT, ASK or DESCRIBE)\n")


def test_request_limits(small):
    import socket
    parts = urlsplit(small.base)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:  # refused before the body
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 2000000\r\n\r\nASK {}")
        answer = b"".join(iter(lambda: sock.recv(4096), b""))
    assert answer.startswith(b"HTTP/1.0 413") and b"1048576 bytes" in answer
    status, _, _ = get(small, "/sparql?query=" + "x" * 20000)
    assert status == 414
    status, _, body = request(small, "POST", "/sparql", b"ASK {}", {"Content-Type": "text/plain"})
    assert status == 415
    status, _, _ = request(small, "POST", "/sparql", "ASK {}".encode("utf-16"),
                           {"Content-Type": "application/sparql-query; charset=UTF-16"})
    assert status == 415
    status, _, _ = request(small, "POST", "/sparql", b"\xff\xfeA", {"Content-Type": "application/sparql-query"})
    assert status == 400
    for method in ("PUT", "DELETE", "PATCH"):
        status, headers, _ = request(small, method, "/sparql", b"")
        assert status == 405 and headers["allow"] == "GET, HEAD, POST"
    status, _, _ = get(small, "/sparql?query=ASK{}&query=ASK{}")
    assert status == 400


def test_no_path_traversal(small):
    for path in ("/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/id/../../etc/passwd",
                 "/static/style.css/../../pyproject.toml", "/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd"):
        status, _, body = get(small, path)
        assert status == 404, path
        assert b"root:" not in body and b"[project]" not in body


def test_service_description(small):
    status, headers, body = get(small, "/sparql", "text/turtle")
    assert status == 200
    g = triples(body, ox.RdfFormat.TURTLE)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = small.base + "/sparql"
    assert ox.Triple(ox.NamedNode(endpoint), ox.NamedNode(sd + "supportedLanguage"),
                     ox.NamedNode(sd + "SPARQL11Query")) in g
    names = {t.object.value for t in g if t.predicate.value == sd + "name"}
    assert names == {EX + "g1", EX + "g2"}


def test_sparqlwrapper_client(small):
    from SPARQLWrapper import CSV, GET, JSON, POST, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(small.base + "/sparql")
    client.setTimeout(10)
    client.setQuery(f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s")
    client.setReturnFormat(JSON)
    for method in (GET, POST):
        client.setMethod(method)
        rows = client.queryAndConvert()["results"]["bindings"]
        assert [r["s"]["value"] for r in rows] == [EX + "a", EX + "b", EX + "c"]
    client.setReturnFormat(CSV)
    assert list(csv.reader(io.StringIO(client.queryAndConvert().decode()))) == [
        ["s"], [EX + "a"], [EX + "b"], [EX + "c"]]
    client.setQuery(f"ASK {{ <{EX}b> <{EX}q> <{EX}a> }}")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True
    client.setQuery(f"CONSTRUCT WHERE {{ <{EX}b> ?p ?o }}")
    client.setReturnFormat(TURTLE)
    graph = client.queryAndConvert()
    assert len(list(ox.parse(graph, format=ox.RdfFormat.TURTLE))) == 2
    client.setQuery(f"DESCRIBE <{EX}c>")
    client.setReturnFormat(JSON)  # SPARQLWrapper asks for RDF/XML-or-JSON-LD: a graph comes back
    assert len(client.queryAndConvert()) == 1


def test_sparqlwrapper_update_refused(small):
    import urllib.error

    from SPARQLWrapper import POST, SPARQLWrapper

    client = SPARQLWrapper(small.base + "/sparql")
    client.setTimeout(10)
    client.setMethod(POST)
    client.setQuery(f"INSERT DATA {{ <{EX}z> <{EX}p> 1 }}")
    with pytest.raises(urllib.error.HTTPError) as info:
        client.query()
    assert info.value.code == 403 and b"read-only" in info.value.read()


# ------------------------------------------------------------------------------------------------ limits
def test_timeout_states_the_limit(gfmd):
    status, headers, body = query(gfmd, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert status == 503 and headers["retry-after"] == "5"
    assert b"time limit of 2 s" in body


def test_result_size_limit(repo):
    with ServeProcess("--max-result-mb", "0.01", cwd=repo) as server:
        status, _, body = query(server, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 503 and b"limit of 10485 bytes" in body
        assert query(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 3")[0] == 200


# ------------------------------------------------------------------------------------------------ linked data
def test_linked_data_turtle(gfmd):
    status, headers, body = get(gfmd, "/id/practice/mida-ghana-health", "text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle") and headers["vary"] == "Accept"
    found = triples(body, ox.RdfFormat.TURTLE)
    title = ox.Triple(ox.NamedNode(MIDA), ox.NamedNode("http://purl.org/dc/terms/title"),
                      ox.Literal("MIDA Ghana Health Project", language="en"))
    assert title in found
    own = select(gfmd, f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ <{MIDA}> ?p ?o }}")[0]["n"]
    assert len({t.predicate for t in found if t.subject.value == MIDA}) == int(own)
    assert MIDA + "#period" in {t.subject.value for t in found}  # hash-IRI children come along
    incoming = select(gfmd, f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{MIDA}> }}")
    assert {(r["s"], r["p"]) for r in incoming} == {(t.subject.value, t.predicate.value) for t in found
                                                    if t.object == ox.NamedNode(MIDA)}


@pytest.mark.parametrize(("how", "fmt"), [
    ({"accept": "application/ld+json"}, ox.RdfFormat.JSON_LD),
    ({"accept": "application/n-triples"}, ox.RdfFormat.N_TRIPLES),
    ({"suffix": "?format=nt", "accept": "text/html"}, ox.RdfFormat.N_TRIPLES),
    ({"suffix": "?format=jsonld"}, ox.RdfFormat.JSON_LD),
    ({"accept": "application/rdf+xml"}, ox.RdfFormat.RDF_XML),
])
def test_linked_data_formats(gfmd, how, fmt):
    status, _, body = get(gfmd, "/id/practice/mida-ghana-health" + how.get("suffix", ""), how.get("accept"))
    assert status == 200
    assert ox.Triple(ox.NamedNode(MIDA), ox.NamedNode("http://purl.org/dc/terms/title"),
                     ox.Literal("MIDA Ghana Health Project", language="en")) in triples(body, fmt)


def test_linked_data_html_and_404(gfmd):
    status, headers, body = get(gfmd, "/id/practice/mida-ghana-health", "text/html,*/*;q=0.8")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>MIDA Ghana Health Project</h1>" in body.decode()
    for path in ("/id/practice/no-such-practice", "/id/practice/no-such-practice?format=ttl", "/nothing-here"):
        assert get(gfmd, path, "text/turtle")[0] == 404
    status, _, body = get(gfmd, "/id/practice/x%3E%20%7D", "text/html")
    assert status == 404


def test_ontology_and_vocabularies(gfmd):
    owl_class = ox.Triple(ox.NamedNode(GFMD + "def#Practice"),
                          ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                          ox.NamedNode("http://www.w3.org/2002/07/owl#Class"))
    status, _, body = get(gfmd, "/def", "text/turtle")
    assert status == 200 and owl_class in triples(body, ox.RdfFormat.TURTLE)
    status, _, body = get(gfmd, "/vocab", "text/turtle")
    schemes = {t.subject.value for t in ox.parse(body, format=ox.RdfFormat.TURTLE)}
    expected = {r["s"] for r in select(gfmd, "SELECT ?s WHERE { ?s a <http://www.w3.org/2004/02/skos/core#"
                                             f"ConceptScheme> FILTER(STRSTARTS(STR(?s), \"{GFMD}vocab/\")) }}")}
    assert status == 200 and schemes == expected and GFMD + "vocab/tags" in schemes
    status, _, body = get(gfmd, "/vocab/tag/migration-and-health", "text/html")
    assert status == 200 and "<h1>Migration and health</h1>" in body.decode()
    status, _, body = get(gfmd, "/def", "text/html")
    assert status == 200 and 'id="Practice"' in body.decode()


# ------------------------------------------------------------------------------------------------ pages
def _count(server, pattern: str) -> int:
    return int(select(server, PREFIXES + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")[0]["n"])


def test_home_page_counts(gfmd):
    status, _, body = get(gfmd, "/", "text/html")
    html = body.decode()
    assert status == 200
    n = _count(gfmd, "?x a gfmd:Practice")
    assert f'<span class="n">{n}</span> <span class="what">Practices</span>' in html
    n = _count(gfmd, "?x a gfmd:Finding")
    assert f'<span class="n">{n}</span> <span class="what">Findings</span>' in html
    assert "Gap map" in html and '<table class="gapmap">' in html


def test_list_page_facets_and_search(gfmd):
    ghana = GFMD + "id/country/GHA"
    status, _, body = get(gfmd, "/practices?" + urlencode({"country": ghana}), "text/html")
    html = body.decode()
    titles = select(gfmd, PREFIXES + f"SELECT DISTINCT ?t WHERE {{ ?x a gfmd:Practice ; dcterms:spatial <{ghana}> ; "
                                     "dcterms:title ?t }")
    assert status == 200 and f"{len(titles)} practices" in html
    for row in titles:
        assert f">{row['t']}</a></h3>" in html.replace("&#39;", "'").replace("&amp;", "&")
    # the search text is a bound value: an injection attempt finds nothing and breaks nothing
    for q in ('") } ; DROP ALL ; #', "\\u0022) } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #"):
        status, _, body = get(gfmd, "/practices?" + urlencode({"q": q}), "text/html")
        assert status == 200 and "0 practices" in body.decode()
    status, _, body = get(gfmd, "/practices?" + urlencode({"q": "MIDA GHANA health"}), "text/html")
    assert status == 200 and "MIDA Ghana Health Project" in body.decode()
    status, _, body = get(gfmd, "/practices?" + urlencode({"country": "not an iri>"}), "text/html")
    assert status == 200  # an invalid facet value is ignored


def test_recommendation_page_links_both_ways(gfmd):
    status, _, body = get(gfmd, "/id/recommendation/bp-diaspora-participation", "text/html")
    html = body.decode().replace("&#39;", "'").replace("&amp;", "&")
    assert status == 200
    supporters = select(gfmd, PREFIXES + f"SELECT DISTINCT ?x WHERE {{ ?x gfmd:supports <{REC}> }}")
    findings = select(gfmd, PREFIXES + f"SELECT DISTINCT ?x WHERE {{ ?x gfmd:isEvidenceFor <{REC}> }}")
    assert f"Practices that support it ({len(supporters)})" in html
    assert f"Evidence behind it ({len(findings)} findings)" in html
    for row in supporters + findings:
        assert 'href="' + row["x"].replace(GFMD, "/") + '"' in html
    assert "Direction:" in html and "Basis:" in html and "Source:" in html


def test_pages_mark_the_curators_choices(gfmd):
    """A practice page marks the thematic areas and tags the curators chose, and lists each classification with
    its basis; a finding page marks the properties that are always the curators' coding."""
    chosen = select(gfmd, PREFIXES + """SELECT ?c ?label WHERE {
        <https://w3id.org/gfmdkg/id/practice/mida> gfmd:qualifiedClassification ?k .
        ?k gfmd:target ?c ; gfmd:basis <https://w3id.org/gfmdkg/vocab/link-basis/curators-judgement> .
        ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?label FILTER(LANG(?label) = "en") }""")
    assert chosen
    status, _, body = get(gfmd, "/id/practice/mida", "text/html")
    html = body.decode().replace("&#39;", "'").replace("&amp;", "&")
    assert status == 200 and "Classifications and statuses: whose choice" in html
    for row in chosen:
        assert row["label"] + " (curators' choice)" in html
    status, _, body = get(gfmd, "/id/practice/mida-ghana-health", "text/html")
    html = body.decode().replace("&#39;", "'").replace("&amp;", "&")
    assert status == 200 and "(curators' choice)" not in html.split("Classifications and statuses")[0]
    status, _, body = get(gfmd, "/id/finding/remittances-birth-weight-mex-lka", "text/html")
    html = body.decode().replace("&#39;", "'").replace("&amp;", "&")
    assert "Effect direction (curators' coding)" in html


def test_saved_queries_page(gfmd, project):
    status, _, body = get(gfmd, "/queries", "text/html")
    html = body.decode()
    names = sorted(p.stem for p in project.query_files() if p.parent.name != "qc")
    assert status == 200 and all(f'href="/queries/{n}"' in html for n in names)
    rows = select(gfmd, PREFIXES + f"SELECT ?x WHERE {{ ?x gfmd:supports <{REC}> ; gfmd:qualifiedSupport ?l . "
                                   f"?l gfmd:target <{REC}> }}")
    path = "/queries/practices-by-recommendation?" + urlencode({"rec": "rec:bp-diaspora-participation"})
    status, _, body = get(gfmd, path, "text/html")
    assert status == 200 and f"Answer ({len(rows)} rows)" in body.decode()
    status, headers, body = get(gfmd, path + "&format=csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert len(list(csv.reader(io.StringIO(body.decode())))) == len(rows) + 1
    status, _, body = get(gfmd, "/queries/practices-by-recommendation?rec=" + quote("not an iri"), "text/html")
    assert status == 200 and "there is no recommendation &#39;not an iri&#39; in the graph" in body.decode()


# ------------------------------------------------------------------------------------------------ process
def test_starts_fast_logs_and_stops_cleanly(tmp_path, repo):
    log = tmp_path / "access.log"
    server = ServeProcess("--access-log", str(log), cwd=repo).start()
    try:
        assert server.startup_seconds < 10
        assert get(server, "/sparql?query=ASK%7B%7D", "application/sparql-results+json")[0] == 200
        import socket
        parts = urlsplit(server.base)
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
            sock.sendall(b"GET /missing\rInjected-line HTTP/1.0\r\n\r\n")
            assert sock.recv(100).startswith(b"HTTP/1.0 400")
    finally:
        code = server.stop(signal.SIGINT)
    assert code == 0
    text = log.read_text()
    assert '"GET /sparql?query=ASK%7B%7D HTTP/1.1" 200 ' in text
    assert "\rInjected" not in text and "Bad request syntax ('GET /missing\\\\rInjected-line HTTP/1.0')" in text
    assert b"gfmdkg serve: stopped" in server.log


def test_sigterm_finishes_the_request_under_way(repo):
    import time
    with ServeProcess("--timeout", "2", cwd=repo) as server:
        result = {}

        def slow():
            result["answer"] = query(server, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")

        worker = threading.Thread(target=slow)
        worker.start()
        time.sleep(0.5)
        started = time.monotonic()
        assert server.stop(signal.SIGTERM) == 0
        assert time.monotonic() - started < 10
        worker.join(10)
        status, _, body = result["answer"]
        assert status == 503 and b"time limit of 2 s" in body  # answered, not dropped


def test_binds_loopback_by_default(small):
    assert urlsplit(small.base).hostname == "127.0.0.1"


def test_bad_arguments(tmp_path):
    import subprocess
    import sys
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://x/a> <http://x/b> .\n")
    proc = subprocess.run([sys.executable, "-m", "gfmdkg", "serve", str(bad)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2 and "bad.ttl:1:" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "gfmdkg", "serve", "-g", "nonsense", str(bad)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "IRI=FILE" in proc.stderr
    good = tmp_path / "good.nt"
    good.write_text("<http://x/a> <http://x/b> <http://x/c> .\n")
    proc = subprocess.run([sys.executable, "-m", "gfmdkg", "serve", "--access-log", str(tmp_path / "no" / "log"),
                           str(good)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "cannot open the access log" in proc.stderr
    with ServeProcess(str(good)) as first:
        port = str(urlsplit(first.base).port)
        proc = subprocess.run([sys.executable, "-m", "gfmdkg", "serve", "--port", port, str(good)],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in proc.stderr
        assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(("kind", "pattern"), [
    ("practice-organisation", "?a a gfmd:Practice ; gfmd:partner ?b"),
    ("finding-cited work", "?a a gfmd:Finding ; <http://purl.org/spar/cito/citesAsEvidence> ?b"),
    ("practice-country", "?a a gfmd:Practice ; dcterms:spatial ?b . ?b a <https://schema.org/Country>"),
    ("practice-concept", "?a a gfmd:Practice ; gfmd:tag ?b"),
    ("practice-locator", "?a a gfmd:Practice ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?b"),
])
def test_entity_pages_link_both_ways(gfmd, kind, pattern):
    """Every kind of page links to what it points at, and the page of that thing links back."""
    few = "{ SELECT ?b WHERE { ?x ?p ?b } GROUP BY ?b HAVING (COUNT(?x) <= 50) }"  # pages that list every link
    rows = select(gfmd, PREFIXES + f"SELECT ?a ?b WHERE {{ {few} {pattern} }} ORDER BY ?a ?b LIMIT 1")
    assert rows, kind
    a, b = rows[0]["a"], rows[0]["b"]
    for source, target in ((a, b), (b, a)):
        status, _, body = get(gfmd, source.replace(GFMD, "/"), "text/html")
        assert status == 200, source
        assert f'href="{target.replace(GFMD, "/")}"' in body.decode(), (kind, source, target)


def test_cors_for_machine_answers_only(gfmd):
    """The project's graph is public: any web page may read /sparql answers and RDF documents, not HTML pages."""
    status, headers, _ = query(gfmd, "ASK {}")
    assert status == 200 and headers["access-control-allow-origin"] == "*"
    status, headers, _ = request(gfmd, "OPTIONS", "/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert status == 204 and headers["access-control-allow-methods"] == "GET, POST"
    assert request(gfmd, "OPTIONS", "/")[0] == 405
    for media in ("text/turtle", "application/ld+json", "application/json"):  # RDF documents, as JSON-LD too
        status, headers, _ = get(gfmd, "/id/practice/mida-ghana-health", media)
        assert status == 200 and headers["access-control-allow-origin"] == "*", media
    status, headers, _ = get(gfmd, "/id/practice/mida-ghana-health", "text/html")
    assert status == 200 and "access-control-allow-origin" not in headers


def test_files_answer_no_other_web_site(small):
    """Files given on the command line may be private: a page of another site can neither read answers nor make
    the server run a query (by fetch, form POST or a no-cors request); its own pages and links still work."""
    status, headers, _ = query(small, "ASK {}")
    assert status == 200 and "access-control-allow-origin" not in headers
    assert request(small, "OPTIONS", "/sparql", headers={"Origin": "https://evil.example"})[0] == 405
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"},
                    {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}):
        status, _, body = request(small, "POST", "/sparql", b"query=ASK%7B%7D", {**form, **headers})
        assert status == 403 and b"other web sites" in body, headers
        assert request(small, "GET", "/sparql?query=ASK%7B%7D", headers=headers)[0] == 403
    own = {"Origin": small.base, "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors"}
    assert request(small, "POST", "/sparql", b"query=ASK%7B%7D", {**form, **own})[0] == 200
    link = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Accept": "text/html"}
    assert request(small, "GET", "/sparql?query=ASK%7B%7D", headers=link)[0] == 200


def test_cors_option_names_the_origins(tmp_path):
    path = tmp_path / "small.trig"
    path.write_text(TRIG, encoding="utf-8")
    with ServeProcess(str(path), "--cors", "https://example.org") as server:
        status, headers, _ = request(server, "GET", "/sparql?query=ASK%7B%7D",
                                     headers={"Origin": "https://example.org"})
        assert status == 200 and headers["access-control-allow-origin"] == "https://example.org"
        assert request(server, "GET", "/sparql?query=ASK%7B%7D", headers={"Origin": "https://evil.example"})[0] == 403


def test_loopback_server_answers_only_localhost_names(small):
    """DNS rebinding: a name that resolves to 127.0.0.1 but is not a localhost name gets nothing."""
    port = urlsplit(small.base).port
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.nip.io"):
        status, _, body = request(small, "GET", "/sparql?query=ASK%7B%7D", headers={"Host": host})
        assert status == 403 and b"localhost names" in body
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", "127.0.0.2", "app.localhost"):
        assert request(small, "GET", "/sparql?query=ASK%7B%7D", headers={"Host": host})[0] == 200, host
