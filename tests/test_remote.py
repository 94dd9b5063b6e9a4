"""Remote mode: the saved queries on a real Oxigraph server (loaded with `gfmdkg export -f nq`) give exactly the local
answers; parameters cannot escape into syntax; a down, failing, slow, redirecting or non-SPARQL endpoint gives a
clear error and exit code 2; credentials come from the environment and never follow a redirect."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gfmdkg.cli import cli
from gfmdkg.errors import GfmdkgError, QueryRefused, QueryTimeout, RemoteError
from gfmdkg.sparql.remote import PASSWORD_ENV, RemoteEndpoint, inject_values
from gfmdkg.sparql.terms import literal, uri
from bench.answers import example_params
from tests.answers import assert_same_answers
from tests.httprec import Answer, Recorder
from tests.servers import free_port, oxigraph_server

pytestmark = pytest.mark.server
QUERIES = Path(__file__).resolve().parent.parent / "queries"
NAMES = sorted(p.stem for p in QUERIES.glob("*.rq")) + sorted(f"qc/{p.stem}" for p in (QUERIES / "qc").glob("*.rq"))
PAYLOADS = ['x" } ; DROP ALL ; #', "x' } ; DROP ALL ; #", 'a"b', "back\\slash", "trailing\\", 'esc\\"} #',
            "new\nline", "cr\r\nlf", "tab\there", "a>b <c>", "\\u0022", "\\\\u0022", '"""', "'''", "\u2028line",
            "ctrl\x01\x7f", "} UNION { ?s ?p ?o }", "é中文🙂"]


@pytest.fixture(scope="module")
def server(tmp_path_factory, project):
    """A real Oxigraph server loaded with the output of `gfmdkg export -f nq`."""
    tmp = tmp_path_factory.mktemp("remote")
    nq = tmp / "graph.nq"
    res = CliRunner().invoke(cli, ["--project", str(project.root), "export", "-f", "nq", "-o", str(nq)])
    assert res.exit_code == 0, res.output
    with oxigraph_server(tmp) as srv:
        srv.load(nq)
        yield srv


def triple_count(server) -> int:
    ep = RemoteEndpoint(server.query_url)
    return int(ep.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0]["n"]["value"])


def gfmdkg(*args: str, env: dict | None = None, project=None) -> subprocess.CompletedProcess:
    """The real console script in a subprocess (network guard installed, exit codes as users see them)."""
    exe = str(Path(sys.executable).with_name("gfmdkg"))
    cmd = [exe] + (["--project", str(project.root)] if project else []) + list(args)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})})


# ---------------------------------------------------------------------------------------------- same answers
@pytest.mark.parametrize("name", NAMES)
def test_every_saved_query_remote_equals_local(name, server, engine, catalogue):
    assert_same_answers(catalogue[name], engine, RemoteEndpoint(server.query_url))


@pytest.mark.parametrize("name", ["practices-by-country", "evidence-gap-map", "practice-profile"])
def test_post_equals_get(name, server, catalogue):
    saved = catalogue[name]
    bindings = saved.bindings(example_params(saved.example))
    get = RemoteEndpoint(server.query_url, method="GET").query(saved.text, bindings)
    post = RemoteEndpoint(server.query_url, method="POST").query(saved.text, bindings)
    assert get.canonical() == post.canonical()
    assert get.rows or get.triples


def test_cli_remote_output_equals_local(server, project):
    args = ["query", "practices-by-country", "-p", "country=Ghana", "-f", "csv"]
    here = gfmdkg(*args, project=project)
    there = gfmdkg(*args, "--endpoint", server.query_url, project=project)
    assert here.returncode == there.returncode == 0, there.stderr
    assert here.stdout == there.stdout
    assert len(here.stdout.splitlines()) > 1


# ---------------------------------------------------------------------------------------------- injection
def test_values_block_goes_into_the_outermost_where_group():
    q = ('PREFIX x: <http://e/>\n# a { in a comment\n'
         'SELECT ?v (CONCAT("{", ?v) AS ?w) WHERE { { SELECT ?s { ?s ?p ?o } } }')
    out = inject_values(q, {"v": literal("a")})
    assert out.index('VALUES (?v) { ("a") }') == out.index("WHERE {") + len("WHERE {") + 3
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    out = inject_values(construct, {"s": uri("http://e/s")})
    assert out.startswith("CONSTRUCT { ?s ?p ?o } WHERE {\n  VALUES (?s) { (<http://e/s>) }")
    assert inject_values("ASK {}", {"b": literal("1", "http://www.w3.org/2001/XMLSchema#integer")}) == (
        'ASK {\n  VALUES (?b) { ("1"^^<http://www.w3.org/2001/XMLSchema#integer>) }\n}')
    # a brace written as a codepoint escape is found where the endpoint's parser will see it
    assert "VALUES" in inject_values("SELECT ?v WHERE \\u007B }", {"v": literal("a")}).split("{", 1)[1]
    with pytest.raises(GfmdkgError, match="cannot be a query parameter name"):
        inject_values("SELECT * {}", {"a b": literal("x")})


@pytest.mark.parametrize("value", PAYLOADS)
def test_payload_stays_data_locally_and_remotely(value, server, engine):
    query = "SELECT ?v (STRLEN(?v) AS ?n) ?l WHERE { BIND(LANG(?v) AS ?l) }"
    for term in (literal(value), literal(value, lang="en")):
        here = engine.query(query, {"v": term})
        there = RemoteEndpoint(server.query_url, method="POST").query(query, {"v": term})
        assert here.rows[0]["v"]["value"] == value
        assert there.rows[0]["v"]["value"] == value
        assert there.canonical() == here.canonical()


def test_payloads_in_saved_queries_match_nothing_and_change_nothing(server, engine, catalogue, project):
    before = triple_count(server)
    for name, param in [("practices-by-country", "country"), ("quantitative-facts", "unit")]:
        saved = catalogue[name]
        for value in PAYLOADS:
            bindings = saved.bindings({param: value})
            assert RemoteEndpoint(server.query_url).query(saved.text, bindings).rows == []
            assert engine.query(saved.text, bindings).rows == []
    assert triple_count(server) == before
    res = gfmdkg("query", "quantitative-facts", "-p", 'unit=x" } ; DROP ALL ; #', "--endpoint", server.query_url,
                 project=project)
    assert res.returncode == 0 and "0 rows" in res.stdout
    res = gfmdkg("query", "practices-by-country", "-p", 'country=x" } ; DROP ALL ; #', "--endpoint", server.query_url,
                 project=project)  # checked against the endpoint's countries first: no such country
    assert res.returncode == 2 and "there is no country" in res.stderr
    assert triple_count(server) == before


@pytest.mark.parametrize("bad", ['http://e/x> } ; DROP ALL ; #', "http://e/a b", 'http://e/"q', "http://e/\\u003E",
                                 "not an iri", "http://e/{x}"])
def test_iri_parameters_are_checked(bad, server, project):
    res = gfmdkg("query", "practices-by-recommendation", "-p", f"rec={bad}", "--endpoint", server.query_url,
                 project=project)
    assert res.returncode == 2
    assert "there is no recommendation" in res.stderr and "Traceback" not in res.stderr


# ---------------------------------------------------------------------------------------------- failures
def _fails(args, project, env=None) -> str:
    res = gfmdkg(*args, project=project, env=env)
    assert res.returncode == 2, (res.returncode, res.stdout, res.stderr)
    assert "Traceback" not in res.stderr
    return res.stderr


def test_endpoint_down(project):
    url = f"http://127.0.0.1:{free_port()}/query"
    err = _fails(["query", "bibliography", "--endpoint", url], project)
    assert f"{url}: connection refused" in err and "is the store running" in err


def test_endpoint_answers_http_errors(server, project, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x (1 AS ?x) WHERE { ?x ?p ?z }\n")  # parses; the server refuses the rebinding of ?x
    err = _fails(["query", str(bad), "--endpoint", server.query_url], project)
    assert "answered HTTP 400" in err
    err = _fails(["query", "bibliography", "--endpoint", server.base + "/nowhere"], project)
    assert "answered HTTP 404" in err and "check the endpoint URL" in err
    with Recorder(Answer(status=500, content_type="text/plain", body=b"internal trouble")) as rec:
        err = _fails(["query", "bibliography", "--endpoint", rec.url + "/sparql"], project)
    assert "answered HTTP 500" in err and "internal trouble" in err


@pytest.mark.parametrize("answer, why", [
    (Answer(200, "text/html", b"<!DOCTYPE html><html><body>Welcome</body></html>"), "expected application/sparql"),
    (Answer(200, "application/sparql-results+json", b"{not json"), "not SPARQL JSON"),
    (Answer(200, "application/json", b'{"hello": "world"}'), "not SPARQL JSON"),
    (Answer(200, "application/sparql-results+json", b'{"boolean": true}'), "a ASK answer to a SELECT query"),
    (Answer(200, "application/sparql-results+json",
            b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": 5}]}}'), "not SPARQL JSON"),
])
def test_endpoint_answers_something_else(answer, why, project):
    with Recorder(answer) as rec:
        err = _fails(["query", "bibliography", "--endpoint", rec.url + "/sparql"], project)
    assert "is not SPARQL results" in err and why in err
    assert "check that the URL is the SPARQL query endpoint itself" in err


def test_graph_query_answered_with_html(project, tmp_path):
    construct = tmp_path / "graph.rq"  # no parameter: the parameter check would ask the endpoint a SELECT first
    construct.write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    with Recorder(Answer(200, "text/html", b"<html></html>")) as rec:
        err = _fails(["query", str(construct), "--endpoint", rec.url], project)
    assert "expected Turtle or N-Triples" in err
    with Recorder(Answer(200, "text/html", b"<html></html>")) as rec:
        err = _fails(["query", "practice-profile", "-p", "practice=practice:mida-ghana-health", "--endpoint",
                      rec.url], project)
    assert "is not SPARQL results" in err


def test_slow_endpoint_times_out(project):
    with Recorder(Answer(200, "application/sparql-results+json", b"{}", delay=3)) as rec:
        err = _fails(["query", "bibliography", "--endpoint", rec.url, "--timeout", "1"], project)
    assert f"{rec.url}: no answer within 1 s" in err and "raise --timeout" in err


class Drip:
    """A real TCP server that answers one byte at a time, every ``every`` seconds, forever (slowloris in reverse):
    from the status line on (``headers=True``) or after complete headers."""

    def __init__(self, every: float, headers: bool) -> None:
        import socket
        import threading
        self.every, self.headers, self.stop = every, headers, threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        import threading
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 100000\r\n\r\n"
        with conn:
            try:
                conn.recv(65536)
                if not self.headers:
                    conn.sendall(head)
                for byte in (head if self.headers else b"{" + b" " * 99999):
                    if self.stop.wait(self.every):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.mark.parametrize("headers", [False, True], ids=["dripping-body", "dripping-headers"])
def test_timeout_is_a_deadline_for_a_dripping_server(project, headers):
    """Each byte comes well within any per-read timeout; --timeout still ends the whole exchange on time."""
    import time
    drip = Drip(every=0.7, headers=headers)
    try:
        start = time.monotonic()
        with pytest.raises(QueryTimeout, match=f"{drip.url}: no answer within 2 s"):
            RemoteEndpoint(drip.url, timeout=2).query("SELECT * WHERE { ?s ?p ?o }")
        took = time.monotonic() - start
        err = _fails(["query", "bibliography", "--endpoint", drip.url, "--timeout", "2"], project)  # the CLI too
    finally:
        drip.close()
    assert f"{drip.url}: no answer within 2 s" in err and "raise --timeout" in err
    assert 1.9 < took < 3, took  # per-read timeouts would run on for 70 s


def test_bad_endpoint_urls(project):
    assert "is not an http(s) endpoint URL" in _fails(["query", "bibliography", "--endpoint", "file:///etc/passwd"],
                                                      project)
    assert "carries credentials" in _fails(["query", "bibliography", "--endpoint", "http://u:pw@127.0.0.1:1/q"],
                                           project)


def test_remote_query_refuses_service(project, tmp_path):
    with Recorder() as target, Recorder(Answer(200, "application/sparql-results+json",
                                               b'{"head":{"vars":[]},"results":{"bindings":[]}}')) as endpoint:
        q = tmp_path / "svc.rq"
        q.write_text(f"SELECT * WHERE {{ SERVICE <{target.url}/sparql> {{ ?s ?p ?o }} }}\n")
        err = _fails(["query", str(q), "--endpoint", endpoint.url], project)
        assert "SERVICE (line 1) is refused" in err
        assert endpoint.hits == [] and target.hits == []


# ---------------------------------------------------------------------------------------------- credentials
OK_JSON = b'{"head":{"vars":["work"]},"results":{"bindings":[]}}'


def test_credentials_from_environment_sent_when_asked(project):
    """No credentials until the server asks (401 with a Basic challenge); then Basic, password from the env."""
    from tests.test_push import stub

    def answer(n, method, path, body):
        if "Authorization" not in s.requests[-1][2]:
            return 401, {"WWW-Authenticate": 'Basic realm="sparql"'}, b""
        return 200, {"Content-Type": "application/sparql-results+json"}, OK_JSON.replace(b"[]", b'[{"work": '
                                                                                             b'{"type": "uri", "value": "http://e/w"}}]')

    with stub(answer) as s:
        res = gfmdkg("query", "bibliography", "--endpoint", s.url, "--user", "ana", "--method", "POST",
                     project=project, env={PASSWORD_ENV: "s3cret:x"})
        assert res.returncode == 0, res.stderr
    (m1, _, h1, b1), (m2, _, h2, b2) = s.requests
    assert (m1, m2) == ("POST", "POST") and "Authorization" not in h1
    assert h2["Authorization"] == "Basic " + base64.b64encode(b"ana:s3cret:x").decode()
    assert b1 == b2 and b"query=" in b2 and b"PREFIX" in b2


def test_user_without_password_is_refused(project):
    env = {k: v for k, v in os.environ.items() if k != PASSWORD_ENV}
    env[PASSWORD_ENV] = ""
    with Recorder() as rec:
        err = _fails(["query", "bibliography", "--endpoint", rec.url, "--user", "ana"], project, env=env)
    assert f"${PASSWORD_ENV} is empty" in err
    assert rec.hits == []


def test_no_redirect_with_credentials(project):
    with Recorder(Answer(200, "application/sparql-results+json", OK_JSON)) as other, \
            Recorder(Answer(302, "text/plain", b"", location=None)) as first:
        first.answer.location = other.url + "/steal"
        err = _fails(["query", "bibliography", "--endpoint", first.url, "--user", "ana"], project,
                     env={PASSWORD_ENV: "pw"})
        assert "redirects (HTTP 302)" in err and "use the final URL" in err
        assert len(first.hits) == 1 and "Authorization" not in first.hits[0].headers  # not asked: never sent
        assert other.hits == []


def test_redirect_to_another_host_is_blocked_by_the_network_guard(project):
    """Without credentials redirects are followed, but only to the endpoint's own origin."""
    with Recorder(Answer(200, "application/sparql-results+json", OK_JSON)) as other, \
            Recorder(Answer(302, "text/plain", b"")) as first:
        first.answer.location = other.url + "/elsewhere"
        err = _fails(["query", "bibliography", "--endpoint", first.url], project)
        assert f"the server redirects (HTTP 302) to {other.url}/elsewhere, another address" in err
        assert other.hits == []


def test_redirect_followed_on_same_host(server, project):
    """The guard allows exactly the endpoint's host and port, so a same-origin redirect works."""
    with Recorder(Answer(200, "application/sparql-results+json", OK_JSON)) as rec:
        ep = RemoteEndpoint(rec.url + "/q")
        assert ep.query("SELECT ?work WHERE {}").vars == ["work"]


def test_remote_errors_are_user_errors():
    for exc in (RemoteError, QueryTimeout, QueryRefused):
        assert issubclass(exc, GfmdkgError) and exc("x").exit_code == 2


def test_result_json_round_trip(server, catalogue):
    saved = catalogue["bibliography"]
    result = RemoteEndpoint(server.query_url).query(saved.text)
    assert json.loads(json.dumps(result.to_json()))["head"]["vars"] == ["work", "citation", "date", "citedBy"]
