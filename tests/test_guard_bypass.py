"""A regression corpus of attempts to make gfmdkg call out (issue #17): SERVICE, FROM / FROM NAMED and LOAD hidden
by codepoint escapes, comments, long strings, prefixed and relative IRIs, variables, nesting, parameters and protocol
fields. Every attempt goes through every path a user has: the CLI (both engines), the server (GET, form POST, raw
POST, with default-graph-uri / named-graph-uri) and a saved query's parameters, and through the engines with the
query guard switched off (the operating system's barrier alone). A local server counts the requests: zero on every
path.
"""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from gfmdkg.cli import cli
from gfmdkg.errors import GfmdkgError
from gfmdkg.project import Project
from tests.httprec import Answer, Recorder
from tests.serve_process import ServeProcess

TTL = b"@prefix ex: <http://e/> . ex:a ex:b ex:secret .\n"
SELECT_ALL = "SELECT * WHERE { ?s ?p ?o }"
HARMLESS = {"form-describe-iri"}  # attempts that are valid queries which name the address without calling it

# ways to write the keyword SERVICE and the opening of a string
SERVICE_SPELLINGS = ["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "\\U00000053ERVICE", "S\\u0045RVICE"]
# a quote (or backslash, newline, hash) written as an escape, so that token scanners and parsers disagree on where a
# string or comment ends; (opening, closing) around the SERVICE call
DISAGREEMENTS = [
    ('BIND("\\u0022" AS ?a)', 'BIND("""x""" AS ?b)'),
    ("BIND('\\u0027' AS ?a)", "BIND('''x''' AS ?b)"),
    ('BIND("\\U00000022" AS ?a)', 'BIND("""x""" AS ?b)'),
    ('BIND("\\u005C" AS ?a)', 'BIND("x" AS ?b)'),
    ('BIND("a\\u005C\\u0022" AS ?a)', 'BIND("x" AS ?b)'),
    ("# a comment \\u000A", ""),
    ("# a comment \\u000D", ""),
    ('BIND("\\u000A" AS ?a)', 'BIND("x" AS ?b)'),
    ("BIND(\"\\u0023\" AS ?a)", ""),
    ('BIND("""\\u0022\\u0022\\u0022""" AS ?a)', ""),
    ('BIND("\\\\u0022" AS ?a)', 'BIND("""x""" AS ?b)'),
    ("BIND('''\\u0027''' AS ?a)", "BIND('''x''' AS ?b)"),
]


def corpus(url: str, secret: Path) -> dict[str, str]:
    """At least 60 attempts, each naming ``url`` (or the secret file) as the place to reach."""
    svc = f"<{url}/sparql>"
    out: dict[str, str] = {}
    for i, word in enumerate(SERVICE_SPELLINGS):
        out[f"spelling-{i}"] = f"SELECT * WHERE {{ {word} {svc} {{ ?s ?p ?o }} }}"
    for i, (before, after) in enumerate(DISAGREEMENTS):
        out[f"disagreement-{i}"] = f"SELECT * WHERE {{ {before} SERVICE {svc} {{ ?s ?p ?o }} {after} }}"
        out[f"disagreement-ask-{i}"] = f"ASK {{ {before} SERVICE {svc} {{ ?s ?p ?o }} {after} }}"
    nests = {
        "silent": "SERVICE SILENT {svc} {{ ?s ?p ?o }}",
        "variable": "VALUES ?e {{ {svc} }} SERVICE ?e {{ ?s ?p ?o }}",
        "variable-bind": 'BIND(IRI("{url}/sparql") AS ?e) SERVICE ?e {{ ?s ?p ?o }}',
        "variable-silent": "VALUES ?e {{ {svc} }} SERVICE SILENT ?e {{ ?s ?p ?o }}",
        "optional": "?x ?y ?z OPTIONAL {{ SERVICE {svc} {{ ?s ?p ?o }} }}",
        "union": "{{ ?x ?y ?z }} UNION {{ SERVICE {svc} {{ ?s ?p ?o }} }}",
        "minus": "?x ?y ?z MINUS {{ SERVICE {svc} {{ ?x ?p ?o }} }}",
        "graph": "GRAPH ?g {{ SERVICE {svc} {{ ?s ?p ?o }} }}",
        "exists": "FILTER EXISTS {{ SERVICE {svc} {{ ?s ?p ?o }} }}",
        "not-exists": "FILTER NOT EXISTS {{ SERVICE {svc} {{ ?s ?p ?o }} }}",
        "bind-exists": "BIND(EXISTS {{ SERVICE {svc} {{ ?s ?p ?o }} }} AS ?b)",
        "subquery": "{{ SELECT ?s WHERE {{ SERVICE {svc} {{ ?s ?p ?o }} }} }}",
        "deep-subquery": "{{ SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE {svc} {{ ?s ?p ?o }} }} }} }} }}",
        "prefixed": "SERVICE hit:sparql {{ ?s ?p ?o }}",
        "relative": "SERVICE <sparql> {{ ?s ?p ?o }}",
        "nested-service": "SERVICE SILENT {svc} {{ SERVICE {svc} {{ ?s ?p ?o }} }}",
        "long-string": 'BIND("""x # not a comment""" AS ?a) SERVICE {svc} {{ ?s ?p ?o }}',
        "comment-brace": "# }} }} SERVICE\n SERVICE {svc} {{ ?s ?p ?o }}",
    }
    prologue = f"PREFIX hit: <{url}/>\nBASE <{url}/>\n"
    for name, body in nests.items():
        pattern = body.format(svc=svc, url=url)
        out[f"nest-{name}"] = f"{prologue}SELECT * WHERE {{ {pattern} }}"
    out["form-ask"] = f"ASK {{ SERVICE {svc} {{ ?s ?p ?o }} }}"
    out["form-construct"] = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE {svc} {{ ?s ?p ?o }} }}"
    out["form-construct-where"] = f"CONSTRUCT WHERE {{ SERVICE {svc} {{ ?s ?p ?o }} }}"
    out["form-describe"] = f"DESCRIBE ?s WHERE {{ SERVICE {svc} {{ ?s ?p ?o }} }}"
    out["form-describe-iri"] = f"DESCRIBE <{url}/thing>"  # valid and harmless: describes a local node, if any
    for clause in ("FROM", "FROM NAMED"):
        key = clause.lower().replace(" ", "-")
        out[f"{key}-http"] = f"SELECT * {clause} <{url}/data.ttl> WHERE {{ ?s ?p ?o }}"
        out[f"{key}-file"] = f"SELECT * {clause} <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}"
        out[f"{key}-escaped"] = f"SELECT * \\u0046ROM{clause[4:]} <{url}/data.ttl> WHERE {{ ?s ?p ?o }}"
        out[f"{key}-relative"] = f"BASE <{url}/>\nSELECT * {clause} <data.ttl> WHERE {{ ?s ?p ?o }}"
        out[f"{key}-ask"] = f"ASK {clause} <{url}/data.ttl> {{ ?s ?p ?o }}"
    out["load"] = f"LOAD <{url}/data.ttl>"
    out["load-silent-file"] = f"LOAD SILENT <{secret.as_uri()}> INTO GRAPH <http://e/g>"
    out["load-after-query"] = f"SELECT * WHERE {{ ?s ?p ?o }} ; LOAD <{url}/data.ttl>"
    out["insert-service"] = f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE {svc} {{ ?s ?p ?o }} }}"
    return out


@pytest.fixture(scope="module")
def recorder():
    with Recorder(Answer(200, "application/sparql-results+json", b'{"head":{"vars":[]},"results":{"bindings":[]}}')
                  ) as rec:
        yield rec


@pytest.fixture(scope="module")
def secret(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("secret") / "secret.ttl"
    path.write_bytes(TTL)
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory, repo) -> Project:
    """A small project (the ontology, the saved queries and one data file): the rdflib engine loads it quickly."""
    root = tmp_path_factory.mktemp("tiny")
    for part in ("ontology", "queries"):
        shutil.copytree(repo / part, root / part)
    (root / "data").mkdir()
    shutil.copy(repo / "data" / "recommendations.ttl", root / "data")
    return Project(root)


def test_the_corpus_is_large_enough(recorder, secret):
    attempts = corpus(recorder.url, secret)
    assert len(attempts) >= 60
    assert all(recorder.url in q or secret.as_uri() in q for q in attempts.values())


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_cli_makes_no_request(recorder, secret, tiny, tmp_path, engine):
    before = len(recorder.hits)
    outcomes = {}
    for name, text in corpus(recorder.url, secret).items():
        path = tmp_path / f"{name}.rq"
        path.write_text(text + "\n", encoding="utf-8")
        res = CliRunner().invoke(cli, ["--project", str(tiny.root), "query", str(path), "--engine", engine,
                                       "-f", "json"])
        if res.exception is not None:
            assert isinstance(res.exception, (GfmdkgError, SystemExit)), (name, repr(res.exception))
        assert "secret" not in res.output, name
        outcomes[name] = res.exit_code
    assert recorder.hits[before:] == []
    assert {k for k, v in outcomes.items() if v == 0} == HARMLESS


def test_saved_query_parameters_make_no_request(recorder, tiny):
    payloads = [f'x" }} SERVICE <{recorder.url}/p> {{ ?s ?p ?o }} #', f"x' }} SERVICE <{recorder.url}/p> {{ }} #",
                f'x\\u0022 }} SERVICE <{recorder.url}/p> {{ ?s ?p ?o }} #', f"<{recorder.url}/p>",
                f'x\\" }} SERVICE <{recorder.url}/p> {{ }} #']
    before = len(recorder.hits)
    for value in payloads:
        for param in ("country=", "rec="):
            query = "practices-by-country" if param == "country=" else "practices-by-recommendation"
            res = CliRunner().invoke(cli, ["--project", str(tiny.root), "query", query, "-p", param + value])
            assert res.exception is None or isinstance(res.exception, (GfmdkgError, SystemExit)), repr(res.exception)
    assert recorder.hits[before:] == []


@pytest.mark.server
def test_server_makes_no_request(recorder, secret, tiny):
    attempts = corpus(recorder.url, secret)
    before = len(recorder.hits)
    statuses: dict[str, list[int]] = {}
    with ServeProcess(env={"GFMDKG_PROJECT": str(tiny.root)}, cwd=tiny.root) as server:
        for name, text in attempts.items():
            codes = []
            graphs = [("default-graph-uri", f"{recorder.url}/g"), ("named-graph-uri", f"{recorder.url}/n")]
            for fields in ([("query", text)], [("query", text), *graphs]):
                encoded = urllib.parse.urlencode(fields)
                codes.append(_status(urllib.request.Request(f"{server.base}/sparql?{encoded}")))
                codes.append(_status(urllib.request.Request(
                    f"{server.base}/sparql", data=encoded.encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})))
            codes.append(_status(urllib.request.Request(
                f"{server.base}/sparql", data=text.encode(), headers={"Content-Type": "application/sparql-query"})))
            codes.append(_status(urllib.request.Request(
                f"{server.base}/sparql", data=text.encode(), headers={"Content-Type": "application/sparql-update"})))
            statuses[name] = codes
        # protocol dataset fields naming the recorder, on an innocent query: graphs are local names, never fetched
        fields = [("query", SELECT_ALL), ("default-graph-uri", f"{recorder.url}/g"),
                  ("named-graph-uri", f"{recorder.url}/n")]
        assert _status(urllib.request.Request(f"{server.base}/sparql?{urllib.parse.urlencode(fields)}")) == 200
    assert recorder.hits[before:] == []
    assert all(400 <= c < 500 for name, codes in statuses.items() if name not in HARMLESS for c in codes), statuses


def _status(request: urllib.request.Request) -> int:
    request.add_header("Accept", "application/sparql-results+json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
            assert b"secret" not in body
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_barrier_alone_stops_every_attempt(recorder, secret, tiny, engine, monkeypatch):
    """With the query guard switched off, the engines run every attempt in a child that cannot open a socket."""
    from gfmdkg.store import base, open_engine

    monkeypatch.setattr(base, "checked_text", lambda query, allowed_graphs=None: query)  # no guard at all
    store = open_engine(tiny, engine=engine)
    before = len(recorder.hits)
    answered = []
    for name, text in corpus(recorder.url, secret).items():
        try:
            result = store.query(text, timeout=20)
        except GfmdkgError:
            continue
        assert "secret" not in json.dumps(result.to_json() if result.form != "CONSTRUCT" else result.triples), name
        answered.append(name)
    assert recorder.hits[before:] == []
    # queries the engine can run (SERVICE SILENT swallows the refused connection) prove the barrier held, not that
    # they failed to parse: at least the SILENT ones reached the point of calling out
    assert any("silent" in name for name in answered) or engine == "rdflib", answered


def test_control_without_either_barrier_the_corpus_does_call_out(recorder, secret, tiny, monkeypatch):
    """The control experiment: with the guard and the OS barrier both off, the same corpus reaches the recorder, so
    the zero counts above are the barriers' doing."""
    from gfmdkg import sandbox
    from gfmdkg.store import base, open_engine

    monkeypatch.setattr(base, "checked_text", lambda query, allowed_graphs=None: query)
    monkeypatch.setattr(sandbox, "deny_network", lambda: "none (switched off by the test)")
    store = open_engine(tiny, engine="oxigraph")
    before = len(recorder.hits)
    for text in corpus(recorder.url, secret).values():
        try:
            store.query(text, timeout=20)
        except GfmdkgError:
            pass
    assert len(recorder.hits) - before >= 20


@pytest.mark.server
def test_a_slow_parse_neither_blocks_the_server_nor_outlives_its_deadline(tiny):
    """The guard parses in the bounded child: a query that takes the grammar seconds is stopped at the deadline,
    and light requests are answered meanwhile."""
    import threading
    import time

    slow = "SELECT * WHERE { " + " UNION ".join(f"{{ ?s ?p {i} }}" for i in range(4000)) + " }"
    outcome: dict[str, float] = {}
    with ServeProcess("--timeout", "2", env={"GFMDKG_PROJECT": str(tiny.root)}, cwd=tiny.root) as server:
        def heavy() -> None:  # from another loopback address: the server's per-client limit counts addresses
            import http.client
            parts = urllib.parse.urlsplit(server.base)
            started = time.monotonic()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60, source_address=("127.0.0.2", 0))
            conn.request("POST", "/sparql", body=slow.encode(), headers={
                "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
            outcome["status"] = conn.getresponse().status
            conn.close()
            outcome["seconds"] = time.monotonic() - started
        thread = threading.Thread(target=heavy)
        thread.start()
        time.sleep(0.3)
        light = []
        for _ in range(5):
            started = time.monotonic()
            assert _status(urllib.request.Request(f"{server.base}/sparql?query=ASK%7B%7D")) == 200
            light.append(time.monotonic() - started)
        thread.join(60)
    assert outcome["status"] == 503 and outcome["seconds"] < 10, outcome
    assert max(light) < 1.5, light
