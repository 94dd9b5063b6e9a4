"""The W3C SPARQL 1.1 Protocol tests (../shared/w3c-tests/sparql11-protocol/manifest.ttl) against a real
``gfmdkg serve`` process, with the data loaded as each test's ``ut:graphData`` describes (one server per distinct
set of graphs). Query tests must pass as written; update tests must be refused (403) and change nothing."""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS

from tests.serve_process import ServeProcess
from tests.shared import need

SUITE = need("w3c-tests", "sparql11-protocol", "manifest.ttl", module=True).parent
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest.ttl"

pytestmark = [pytest.mark.server]


def _manifest() -> tuple[Graph, list[URIRef]]:
    g = Graph()
    g.parse(SUITE / "manifest.ttl", format="turtle", publicID=BASE)
    head = g.value(URIRef(BASE), MF.entries)
    return g, list(Collection(g, head))


def _tests() -> list[dict]:
    if not (SUITE / "manifest.ttl").is_file():
        return []
    g, entries = _manifest()
    out = []
    for entry in entries:
        graphs = sorted((str(g.value(d, RDFS.label)), Path(urlsplit(str(g.value(d, UT.graph))).path).name)
                        for d in g.objects(entry, UT.graphData))
        requests = []
        action = g.value(entry, MF.action)
        for req in Collection(g, g.value(action, HT.requests)):
            body = g.value(req, HT.body)
            headers = {str(g.value(h, HT.fieldName)): str(g.value(h, HT.fieldValue))
                       for h in (Collection(g, g.value(req, HT.headers)) if g.value(req, HT.headers) else [])}
            resp = g.value(req, HT.resp)
            requests.append({
                "method": str(g.value(req, HT.methodName)), "path": str(g.value(req, HT.absolutePath)),
                "headers": headers,
                "body": None if body is None else str(g.value(body, CNT.chars)).encode(
                    str(g.value(body, CNT.characterEncoding) or "UTF-8")),
                "status": {str(s).rsplit("#StatusCode", 1)[-1] for s in g.objects(resp, MF.expectedStatus)},
                "boolean": None if g.value(resp, MF.expectedBoolean) is None
                else g.value(resp, MF.expectedBoolean).toPython(),
                "format": None if g.value(resp, MF.expectedFormat) is None else str(g.value(resp, MF.expectedFormat)),
            })
        name = str(entry).rsplit("#", 1)[-1]
        out.append({"name": name, "graphs": tuple(graphs), "requests": requests})
    return out


TESTS = _tests()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """One ``gfmdkg serve`` per distinct set of graphs: ``-g LABEL=FILE`` for each ut:graphData."""
    started: dict[tuple, ServeProcess] = {}

    def get(graphs: tuple) -> ServeProcess:
        if graphs not in started:
            args = [a for label, file in graphs for a in ("-g", f"{label}={SUITE / file}")]
            if not args:  # no graph data: an empty dataset (an empty N-Triples file)
                empty = tmp_path_factory.mktemp("w3c") / "empty.nt"
                empty.write_bytes(b"")
                args = [str(empty)]
            started[graphs] = ServeProcess(*args).start()
        return started[graphs]

    yield get
    for server in started.values():
        assert server.stop() == 0


def _send(server: ServeProcess, req: dict) -> tuple[int, str, bytes]:
    parts = urlsplit(server.base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(req["method"], req["path"], body=req["body"], headers=req["headers"])
        resp = conn.getresponse()
        return resp.status, resp.getheader("Content-Type", ""), resp.read()
    finally:
        conn.close()


def _boolean(content_type: str, body: bytes) -> bool:
    if "json" in content_type:
        return json.loads(body)["boolean"]
    if "xml" in content_type:
        import xml.etree.ElementTree as ET
        node = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
        return node.text.strip() == "true"
    raise AssertionError(f"an ASK answer came as {content_type}")


FORMATS = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"),
    "RDF": ("text/turtle", "application/rdf+xml", "application/n-triples"),
}


def _is_update(test: dict) -> bool:
    return "update" in test["name"]


def test_manifest_read():
    assert len(TESTS) == 34
    assert sum(map(_is_update, TESTS)) == 14
    assert {t["graphs"] for t in TESTS} == {(), tuple(sorted(
        (f"http://kasei.us/2009/09/sparql/data/data{i}.rdf", f"data{i}.nt") for i in (1, 2))), tuple(sorted(
        (f"http://kasei.us/2009/09/sparql/data/data{i}.rdf", f"data{i}.nt") for i in (1, 2, 3)))}


@pytest.mark.parametrize("test", [t for t in TESTS if not _is_update(t)],
                         ids=lambda t: t["name"])
def test_query_protocol(test, servers):
    server = servers(test["graphs"])
    for req in test["requests"]:
        status, ctype, body = _send(server, req)
        expected = req["status"]
        assert f"{status // 100}xx" in expected, (test["name"], status, body[:300])
        if req["format"]:
            assert ctype.split(";")[0].strip() in FORMATS[req["format"]], (test["name"], ctype)
        if req["boolean"] is not None:
            assert _boolean(ctype, body) is req["boolean"], test["name"]


@pytest.mark.parametrize("test", [t for t in TESTS if _is_update(t)],
                         ids=lambda t: t["name"])
def test_update_refused(test, servers):
    """The first request of each update test is an update: refused (4xx; 403 for a well-formed one). Later
    requests check what the update would have written: it must not be there."""
    server = servers(test["graphs"])
    first, *later = test["requests"]
    status, _, body = _send(server, first)
    assert 400 <= status < 500, (test["name"], status)
    if test["name"].startswith("update_"):
        assert status == 403 and b"read-only" in body
    for req in later:
        status, ctype, body = _send(server, req)
        assert status == 200
        if req["boolean"] is not None:
            assert _boolean(ctype, body) is False  # nothing was written
