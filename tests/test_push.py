"""``gfmdkg push`` against a real Oxigraph server: push, read back, compare with the local graph (isomorphic),
re-push (one copy), the SPARQL Update fallback, a stopped server; and, against small real HTTP servers that answer
the way a failing store does, authentication failure, redirects, timeouts and partial loads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from gfmdkg.errors import GfmdkgError, RemoteError
from gfmdkg.namespaces import GRAPH
from gfmdkg.publish.push import TMP_GRAPHS, push
from gfmdkg.publish.rdf_export import export_quads
from gfmdkg.store.base import Result
from gfmdkg.store.loading import project_quads
from tests.httprec import Recorder
from tests.servers import oxigraph_server

pytestmark = pytest.mark.server
ENV_KEYS = ("GFMDKG_ENDPOINT_USER", "GFMDKG_ENDPOINT_PASSWORD")


def gfmdkg(*args: str, cwd, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ENV_KEYS}
    return subprocess.run([sys.executable, "-m", "gfmdkg", *args], capture_output=True, cwd=cwd, timeout=180,
                          env={**base, **(env or {})})


@pytest.fixture(autouse=True)
def _no_credentials(monkeypatch):
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)


@pytest.fixture(scope="module")
def local(project) -> list[ox.Quad]:
    """What push sends: the graph files plus the dataset statistics."""
    return export_quads(project_quads(project))


def remote_quads(server) -> list[ox.Quad]:
    req = urllib.request.Request(server.store_url, headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return list(ox.parse(resp.read(), format=ox.RdfFormat.N_QUADS))


def by_graph(quads: list[ox.Quad]) -> dict[str, rdflib.Graph]:
    ds = rdflib.Dataset()
    ds.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nquads")
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


def assert_same_dataset(remote: list[ox.Quad], local: list[ox.Quad]) -> None:
    r, lo = by_graph(remote), by_graph(local)
    assert sorted(r) == sorted(lo)
    for name in lo:
        assert isomorphic(r[name], lo[name]), name


# ------------------------------------------------------------------ Graph Store Protocol, real Oxigraph
def test_push_read_back_and_push_again(project, local, oxigraph):
    first = gfmdkg("push", "--endpoint", oxigraph.store_url, cwd=project.root)
    assert first.returncode == 0, first.stderr.decode()
    n_graphs = len({q.graph_name for q in local})
    assert first.stderr.decode().endswith(f"pushed {n_graphs} graphs ({len(local)} triples) to {oxigraph.store_url} "
                                          "via Graph Store Protocol (PUT); checked: read back and counted\n")
    remote = remote_quads(oxigraph)
    assert_same_dataset(remote, local)
    assert len(remote) == len(local)

    second = gfmdkg("push", "--endpoint", oxigraph.store_url, cwd=project.root)
    assert second.returncode == 0, second.stderr.decode()
    again = remote_quads(oxigraph)
    assert len(again) == len(local)  # still one copy
    assert set(again) == set(remote)


def test_saved_query_answers_the_same_remotely(project, oxigraph):
    assert gfmdkg("push", "--endpoint", oxigraph.store_url, cwd=project.root).returncode == 0
    here = gfmdkg("query", "practices-by-recommendation", "-f", "json", cwd=project.root)
    there = gfmdkg("query", "practices-by-recommendation", "-f", "json", "--endpoint", oxigraph.query_url,
                   cwd=project.root)
    assert here.returncode == 0 and there.returncode == 0, there.stderr.decode()
    local_rows = Result.from_json(json.loads(here.stdout))
    remote_rows = Result.from_json(json.loads(there.stdout))
    assert remote_rows.canonical() == local_rows.canonical()
    supports = sum(1 for q in project_quads(project) if q.predicate.value.endswith("#supports"))
    assert len(local_rows.rows) == supports


def test_push_into_one_named_graph(project, local, oxigraph):
    target = "https://example.org/graph/gfmdkg"
    result = gfmdkg("push", "--endpoint", oxigraph.store_url, "--graph", target, cwd=project.root)
    assert result.returncode == 0, result.stderr.decode()
    remote = remote_quads(oxigraph)
    assert {q.graph_name.value for q in remote} == {target}
    g_remote = by_graph(remote)[target]
    union = rdflib.Graph()
    union.parse(data=ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in local],
                                  format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert isomorphic(g_remote, union)


def test_push_replaces_only_our_graphs(project, local, oxigraph):
    other = ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"),
                    ox.Literal("someone else's data"), ox.NamedNode("https://example.org/their-graph"))
    req = urllib.request.Request(oxigraph.store_url, data=ox.serialize([other], format=ox.RdfFormat.N_QUADS),
                                 method="POST", headers={"Content-Type": "application/n-quads"})
    urllib.request.urlopen(req, timeout=30).close()
    push(local, endpoint=oxigraph.store_url, progress=False)
    remote = remote_quads(oxigraph)
    assert other in remote
    assert len(remote) == len(local) + 1


# ------------------------------------------------------------------ SPARQL Update fallback, real Oxigraph
def test_update_fallback_when_the_url_takes_no_graph_store_requests(project, local, oxigraph):
    for _ in range(2):  # pushing twice still leaves one copy
        result = gfmdkg("push", "--endpoint", oxigraph.query_url, "--update-endpoint", oxigraph.update_url,
                        "--batch-size", "2000", cwd=project.root)
        assert result.returncode == 0, result.stderr.decode()
        assert "via SPARQL 1.1 Update (INSERT DATA + MOVE)\n" in result.stderr.decode()
        assert "warning: what the store holds was not counted after the push: give --sparql-endpoint" in \
            result.stderr.decode()
        remote = remote_quads(oxigraph)
        assert len(remote) == len(local)
    assert_same_dataset(remote, local)
    assert not [q for q in remote if q.graph_name.value.startswith(TMP_GRAPHS)]


def test_update_only_protocol_with_small_batches(local, oxigraph):
    findings = [q for q in local if q.graph_name.value == GRAPH + "data/findings"]
    assert len(findings) > 900  # so that it takes several batches of 300
    report = push(findings, endpoint=oxigraph.update_url, protocol="update", batch_size=300, progress=False,
                  sparql_endpoint=oxigraph.query_url)
    assert (report.protocol, report.graphs, report.triples) == ("update", [GRAPH + "data/findings"], len(findings))
    assert (report.verified, report.warnings) == (f"counted by a query on {oxigraph.query_url}", [])
    assert_same_dataset(remote_quads(oxigraph), findings)


def test_query_url_on_another_host_is_not_contacted(local, oxigraph):
    """The push talks to the host it writes to only: a --sparql-endpoint elsewhere is named, not asked."""
    with Recorder() as elsewhere:
        url = elsewhere.url.replace("127.0.0.1", "localhost") + "/sparql"
        report = push(local, endpoint=oxigraph.store_url, sparql_endpoint=url, progress=False)
    assert elsewhere.hits == []
    assert report.verified == "read back and counted"
    assert report.warnings == [f"{url} is on another host than {oxigraph.store_url}, so it was not asked to count "
                               "the pushed graphs"]


def test_update_refuses_what_it_cannot_carry(oxigraph):
    g = ox.NamedNode("https://example.org/g")
    s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
    with pytest.raises(GfmdkgError, match="blank nodes"):
        push([ox.Quad(s, p, ox.BlankNode("b"), g)], endpoint=oxigraph.update_url, protocol="update", progress=False)
    with pytest.raises(GfmdkgError, match=r"literal containing '\\u'"):
        push([ox.Quad(s, p, ox.Literal("C:\\users\\x"), g)], endpoint=oxigraph.update_url, protocol="update",
             progress=False)
    # checked before anything is sent: a good graph first in line is not pushed either
    good = ox.Quad(s, p, ox.Literal("fine"), ox.NamedNode("https://example.org/a-first"))
    with pytest.raises(GfmdkgError, match="blank nodes"):
        push([good, ox.Quad(s, p, ox.BlankNode("b"), g)], endpoint=oxigraph.update_url, protocol="update",
             progress=False)
    assert remote_quads(oxigraph) == []
    # the Graph Store Protocol carries both
    push([ox.Quad(s, p, ox.Literal("C:\\users\\x"), g)], endpoint=oxigraph.store_url, progress=False)
    assert [q.object.value for q in remote_quads(oxigraph)] == ["C:\\users\\x"]


def test_auto_without_update_endpoint_explains(project, oxigraph):
    result = gfmdkg("push", "--endpoint", oxigraph.query_url, cwd=project.root)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert f"{oxigraph.query_url}: the server does not accept this request (HTTP 404)" in err
    assert "add --update-endpoint URL" in err and "Traceback" not in err


# ------------------------------------------------------------------ failures
def test_push_to_a_stopped_server(project, tmp_path):
    with oxigraph_server(tmp_path) as server:
        url = server.store_url
    result = gfmdkg("push", "--endpoint", url, cwd=project.root)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert err.startswith(f"gfmdkg: error: {url}: connection refused; no graph in the store was changed\n")
    assert "is the store running" in err and "Traceback" not in err


class Stub:
    """A real HTTP server on 127.0.0.1 whose answers a test scripts; it records every request."""

    def __init__(self, answer):
        self.answer, self.requests = answer, []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                stub.requests.append((self.command, self.path, dict(self.headers), body))
                code, headers, payload = stub.answer(len(stub.requests), self.command, self.path, body)
                try:
                    self.send_response(code)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

            do_GET = do_PUT = do_POST = _any

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def stub(answer):
    with Stub(answer) as s:
        yield s


def test_authentication_failure(project):
    with stub(lambda n, m, p, b: (401, {"WWW-Authenticate": 'Basic realm="x"'}, b"no")) as s:
        result = gfmdkg("push", "--endpoint", s.url + "/store", cwd=project.root,
                        env={"GFMDKG_ENDPOINT_USER": "alice", "GFMDKG_ENDPOINT_PASSWORD": "wrong"})
    assert result.returncode == 2
    err = result.stderr.decode()
    assert f"{s.url}/store: authentication failed (HTTP 401)" in err
    assert "what to do: check GFMDKG_ENDPOINT_USER / GFMDKG_ENDPOINT_PASSWORD" in err
    assert "wrong" not in err
    (m1, _, h1, _), (m2, _, h2, _) = s.requests  # nothing sent until asked, then Basic as asked; no third try
    assert (m1, m2) == ("PUT", "PUT") and "Authorization" not in h1
    assert h2["Authorization"] == "Basic YWxpY2U6d3Jvbmc="  # alice:wrong


def test_write_refused_for_the_account(local, monkeypatch):
    monkeypatch.setenv("GFMDKG_ENDPOINT_USER", "reader")
    monkeypatch.setenv("GFMDKG_ENDPOINT_PASSWORD", "pw")
    with stub(lambda n, m, p, b: (403, {}, b"read-only account")) as s:
        with pytest.raises(RemoteError) as info:
            push(local, endpoint=s.url + "/store", progress=False)
    assert str(info.value) == (f"{s.url}/store: the store refused the write (HTTP 403 Forbidden): read-only account; "
                               "no graph in the store was changed\n  what to do: the account in GFMDKG_ENDPOINT_USER "
                               "must be allowed to write to this store")


def test_digest_authentication_as_virtuoso_asks_for_it(monkeypatch):
    """Virtuoso's /sparql-graph-crud-auth answers with a Digest challenge; the retry carries Digest, and the next
    requests carry it up front (one round trip each)."""
    challenge = {"WWW-Authenticate": 'Digest realm="SPARQL", nonce="6e1df3ed", qop="auth", algorithm="MD5", '
                                     'opaque="5ebe2294"'}

    def answer(n, method, path, body):
        auth = stub_server.requests[-1][2].get("Authorization", "")
        if method == "GET":  # the read-back after the push
            return 200, {"Content-Type": "application/n-triples"}, ox.serialize([triple], format=ox.RdfFormat.N_TRIPLES)
        return (204, {}, b"") if auth.startswith("Digest ") else (401, challenge, b"")

    monkeypatch.setenv("GFMDKG_ENDPOINT_USER", "dba")
    monkeypatch.setenv("GFMDKG_ENDPOINT_PASSWORD", "secret")
    g = ox.NamedNode("https://example.org/g")
    quad = ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"), ox.Literal("o"), g)
    triple = ox.Triple(quad.subject, quad.predicate, quad.object)
    with stub(answer) as stub_server:
        report = push([quad], endpoint=stub_server.url + "/sparql-graph-crud-auth", progress=False)
    assert report.graphs == [g.value]
    first, second, third = (r[2].get("Authorization", "") for r in stub_server.requests)
    assert first == "" and second.startswith('Digest username="dba", realm="SPARQL"')
    assert third.startswith("Digest ") and 'nc=00000002' in third  # the GET that reads it back
    assert "secret" not in second + third


def test_redirects_are_not_followed_so_credentials_stay_put(local, monkeypatch):
    with stub(lambda n, m, p, b: (200, {}, b"")) as elsewhere, \
            stub(lambda n, m, p, b: (307, {"Location": elsewhere.url + "/store"}, b"")) as s:
        monkeypatch.setenv("GFMDKG_ENDPOINT_USER", "alice")
        monkeypatch.setenv("GFMDKG_ENDPOINT_PASSWORD", "secret")
        with pytest.raises(RemoteError, match=r"the server redirects \(HTTP 307\) to " + elsewhere.url):
            push(local, endpoint=s.url + "/store", progress=False)
    assert elsewhere.requests == []


@pytest.mark.parametrize("sleep, timeout, message", [
    (3, 1, r"no answer within 1 s"),  # one request too slow
    (0.5, 2, r"no answer within 2 s"),  # each request quick enough, all of them together not
], ids=["one-slow-request", "many-requests"])
def test_timeout_is_a_deadline_for_the_whole_push(local, sleep, timeout, message):
    def slow(n, m, p, b):
        time.sleep(sleep)
        return 204, {}, b""

    with stub(slow) as s:
        start = time.monotonic()
        with pytest.raises(RemoteError, match=message):
            push(local, endpoint=s.url + "/store", timeout=timeout, progress=False)
        # a missed deadline takes at least the slow answer (3 s) or all of them (about 15 s): room for a loaded machine
        assert time.monotonic() - start < timeout + 1.9


def test_a_web_page_with_200_is_not_success(project):
    """A login (or proxy) page answering 200 to the PUT: the push fails, naming what came back."""
    page = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>...</form></body></html>"
    with stub(lambda n, m, p, b: (200, {"Content-Type": "text/html; charset=utf-8"}, page)) as s:
        result = gfmdkg("push", "--endpoint", s.url + "/store", cwd=project.root)
    err = result.stderr.decode()
    assert result.returncode == 2 and "Traceback" not in err
    assert f"{s.url}/store: the answer is a web page (HTTP 200, text/html: '<!DOCTYPE html><html><head><title>Sign " \
           "in</title>" in err
    assert "nothing shows that the data was stored; no graph in the store was changed" in err
    assert len(s.requests) == 1


def test_a_store_that_drops_the_data_is_caught_by_the_read_back(local):
    """204 to every PUT, but the graph reads back empty: the count after the push says so."""
    def answer(n, method, path, body):
        if method == "GET":
            return 200, {"Content-Type": "application/n-triples"}, b""
        return 204, {}, b""

    findings = [q for q in local if q.graph_name.value == GRAPH + "data/findings"]
    with stub(answer) as s:
        with pytest.raises(RemoteError, match=rf"after the push the store holds 0 triples in <{GRAPH}data/findings>, "
                                              rf"not the {len(findings)} sent"):
            push(findings, endpoint=s.url + "/store", progress=False)


def test_store_without_union_default_graph_is_detected(project, tmp_path):
    """`oxigraph serve` without --union-default-graph: push warns, --endpoint says why it sees nothing, and
    --default-graph makes the data visible to queries without GRAPH."""
    with oxigraph_server(tmp_path, union_default_graph=False) as server:
        res = gfmdkg("push", "--endpoint", server.store_url, "--sparql-endpoint", server.query_url, cwd=project.root)
        err = res.stderr.decode()
        assert res.returncode == 0, err
        assert "checked: counted by a query on" in err
        assert (f"gfmdkg: warning: {server.query_url} does not see the pushed graphs in its default graph, so queries "
                "without GRAPH answer nothing there; start the store so that its default graph is the union of its "
                "named graphs (Oxigraph: oxigraph serve --union-default-graph), or push with --default-graph") in err

        for args in (["query", "practices-by-recommendation"], ["gapmap"]):
            res = gfmdkg(*args, "--endpoint", server.query_url, cwd=project.root)
            err = res.stderr.decode()
            assert res.returncode == 2 and "Traceback" not in err
            assert (f"the endpoint {server.query_url} answers from its default graph, which is empty, while its named "
                    "graphs hold data") in err and "--union-default-graph" in err

        res = gfmdkg("push", "--endpoint", server.store_url, "--sparql-endpoint", server.query_url,
                     "--default-graph", cwd=project.root)
        assert res.returncode == 0 and "warning" not in res.stderr.decode(), res.stderr.decode()
        here = gfmdkg("query", "practices-by-recommendation", "-f", "csv", cwd=project.root)
        there = gfmdkg("query", "practices-by-recommendation", "-f", "csv", "--endpoint", server.query_url,
                       cwd=project.root)
        assert there.returncode == 0 and there.stdout == here.stdout and len(here.stdout.splitlines()) > 10


def test_partial_load_is_reported(local):
    with stub(lambda n, m, p, b: (204, {}, b"") if n <= 3 else (500, {}, b"disk full")) as s:
        with pytest.raises(RemoteError) as info:
            push(local, endpoint=s.url + "/store", progress=False)
    graphs = sorted({q.graph_name.value for q in local})
    msg = str(info.value)
    assert f"{s.url}/store: the server answered HTTP 500: disk full" in msg
    assert f"partial load: 3 of {len(graphs)} graphs were replaced; <{graphs[3]}> and {len(graphs) - 4} more " \
           "were not" in msg
    assert "run the same push again: it is idempotent" in msg
    pushed = [urllib.parse.parse_qs(urllib.parse.urlsplit(p).query)["graph"][0] for _, p, _, _ in s.requests]
    assert pushed == graphs[:4]


def test_update_failure_leaves_the_target_untouched(local):
    """A batch fails: the temporary graph is dropped and no MOVE is ever sent, so the target keeps its old data."""
    def answer(n, m, p, body):
        return (500, {}, b"out of memory") if n == 3 else (204, {}, b"")

    one_graph = [q for q in local if q.graph_name.value == GRAPH + "data/findings"]
    with stub(answer) as s:
        with pytest.raises(RemoteError, match="the server answered HTTP 500: out of memory; no graph in the store"):
            push(one_graph, endpoint=s.url + "/update", protocol="update", batch_size=200, progress=False)
    updates = [urllib.parse.parse_qs(b.decode())["update"][0] for _, _, _, b in s.requests]
    assert updates[0].startswith(f"DROP SILENT GRAPH <{TMP_GRAPHS}")
    assert f";\nINSERT DATA {{ GRAPH <{TMP_GRAPHS}" in updates[0]
    assert updates[1].startswith(f"INSERT DATA {{ GRAPH <{TMP_GRAPHS}")
    assert updates[2].startswith(f"INSERT DATA {{ GRAPH <{TMP_GRAPHS}")
    assert updates[3] == updates[0].split(" ;")[0]  # the temporary graph dropped again
    assert len(updates) == 4 and not any("MOVE" in u for u in updates)


@pytest.mark.parametrize("args, env, message", [
    (["--endpoint", "http://alice:pw@127.0.0.1:1/store"], {}, "credentials are never taken from the command line"),
    (["--endpoint", "ftp://127.0.0.1/store"], {}, "--endpoint 'ftp://127.0.0.1/store' is not an http(s) URL"),
    (["--endpoint", "http://127.0.0.1:1/store"], {"GFMDKG_ENDPOINT_USER": "alice"},
     "only one of GFMDKG_ENDPOINT_USER and GFMDKG_ENDPOINT_PASSWORD is set"),
    (["--endpoint", "http://127.0.0.1:1/store", "--graph", "not an iri"], {}, "'not an iri' is not an absolute IRI"),
])
def test_refusals(project, args, env, message):
    result = gfmdkg("push", *args, cwd=project.root, env=env)
    assert result.returncode == 2
    assert message in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()
