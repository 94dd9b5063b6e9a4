"""Against a real Virtuoso 7.2 (Debian's virtuoso-opensource, started by tests/servers.py in a temporary folder on
127.0.0.1): ``gfmdkg push`` with HTTP Digest into its Graph Store endpoint and through SPARQL Update, the data read
back intact (N-Triples bodies: no ``\\#`` damage), and every saved query, with every parameter case the Oxigraph
test uses, answering exactly as the local graph does (``--endpoint``, and ``gapmap --endpoint``)."""

from __future__ import annotations

import os
import subprocess
import sys

import pyoxigraph as ox
import pytest

from gfmdkg.publish.rdf_export import export_quads
from gfmdkg.sparql.remote import RemoteEndpoint
from gfmdkg.store.loading import project_quads
from gfmdkg.store.base import Result
from tests.answers import assert_same_answers
from tests.servers import virtuoso_server
from tests.test_remote import NAMES

pytestmark = pytest.mark.server
ENV_KEYS = ("GFMDKG_ENDPOINT_USER", "GFMDKG_ENDPOINT_PASSWORD")


def gfmdkg(*args: str, cwd, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ENV_KEYS}
    return subprocess.run([sys.executable, "-m", "gfmdkg", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=180, env={**base, **(env or {})})


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, project):
    """One Virtuoso for the module, loaded by `gfmdkg push` (Graph Store Protocol, HTTP Digest)."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        res = gfmdkg("push", "--endpoint", server.store_url, "--sparql-endpoint", server.query_url,
                     cwd=project.root, env=server.credentials_env())
        assert res.returncode == 0, res.stderr
        assert f"checked: counted by a query on {server.query_url}" in res.stderr
        assert "warning" not in res.stderr  # Virtuoso's default graph is the union of its graphs
        yield server


def held(server, graph: str) -> list[str]:
    """A graph as Virtuoso holds it (read with CONSTRUCT through its query endpoint), in canonical form."""
    return RemoteEndpoint(server.query_url, method="POST").query(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").canonical()


def test_push_keeps_every_triple_intact(virtuoso, project):
    """Every pushed graph reads back equal, including the ``finding:x\\#evidence`` names Turtle damaged."""
    sent: dict[str, list] = {}
    for q in export_quads(project_quads(project), sparql_endpoint=virtuoso.query_url):
        sent.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
    assert any("#" in t.subject.value.rsplit("/", 1)[-1] for ts in sent.values() for t in ts
               if isinstance(t.subject, ox.NamedNode)), "the graph should have IRIs with '#' in the last segment"
    for graph, triples in sent.items():
        assert held(virtuoso, graph) == Result.from_triples("CONSTRUCT", triples).canonical(), graph


@pytest.mark.parametrize("name", NAMES)
def test_every_saved_query_virtuoso_equals_local(name, virtuoso, engine, catalogue):
    assert_same_answers(catalogue[name], engine, RemoteEndpoint(virtuoso.query_url, method="POST"))


def test_cli_json_has_only_standard_terms(virtuoso, project):
    """`-f json` from Virtuoso: "literal", never its "typed-literal"; booleans true/false, not 1/0."""
    res = gfmdkg("query", "practices-by-country", "-p", "country=MDA", "-f", "json", "--endpoint",
                 virtuoso.query_url, cwd=project.root)
    assert res.returncode == 0, res.stderr
    assert '"typed-literal"' not in res.stdout and '"literal"' in res.stdout
    here = gfmdkg("query", "practices-by-country", "-p", "country=MDA", "-f", "csv", cwd=project.root)
    there = gfmdkg("query", "practices-by-country", "-p", "country=MDA", "-f", "csv", "--endpoint",
                   virtuoso.query_url, cwd=project.root)
    assert there.stdout == here.stdout and ",true" in here.stdout


def test_gapmap_from_virtuoso_equals_local(virtuoso, project):
    here = gfmdkg("gapmap", "-f", "csv", cwd=project.root)
    there = gfmdkg("gapmap", "-f", "csv", "--endpoint", virtuoso.query_url, cwd=project.root)
    assert here.returncode == there.returncode == 0, there.stderr
    assert there.stdout == here.stdout and len(here.stdout.splitlines()) > 10


def test_update_protocol_with_digest_and_push_again(virtuoso, project):
    """SPARQL Update on /sparql-auth (Digest): pushing again replaces, the counts still match."""
    res = gfmdkg("push", "--endpoint", virtuoso.update_url, "--protocol", "update", "--batch-size", "2000",
                 "--sparql-endpoint", virtuoso.query_url, cwd=project.root, env=virtuoso.credentials_env())
    assert res.returncode == 0, res.stderr
    assert "via SPARQL 1.1 Update (INSERT DATA + MOVE); checked: counted by a query" in res.stderr
    tmp = RemoteEndpoint(virtuoso.query_url).query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "
        "'https://w3id.org/gfmdkg/graph/push-tmp/')) }")
    assert tmp.rows[0]["n"]["value"] == "0"


def test_wrong_password_is_refused_by_digest(virtuoso, project):
    res = gfmdkg("push", "--endpoint", virtuoso.store_url, cwd=project.root,
                 env={"GFMDKG_ENDPOINT_USER": "dba", "GFMDKG_ENDPOINT_PASSWORD": "wrong"})
    assert res.returncode == 2
    assert f"{virtuoso.store_url}: authentication failed (HTTP 401)" in res.stderr
    assert "no graph in the store was changed" in res.stderr and "Traceback" not in res.stderr


def test_query_with_digest_login_and_ask(virtuoso, project, tmp_path):
    """`--user` against Virtuoso's /sparql-auth (HTTP Digest, as it asks), and an ASK answered as a boolean (Virtuoso
    7.2 writes a one-column __ASK_RETVAL table)."""
    env = {"GFMDKG_ENDPOINT_PASSWORD": virtuoso.password}
    here = gfmdkg("query", "bibliography", "-f", "csv", cwd=project.root)
    there = gfmdkg("query", "bibliography", "-f", "csv", "--endpoint", virtuoso.base + "/sparql-auth", "--user",
                   virtuoso.user, cwd=project.root, env=env)
    assert there.returncode == 0, there.stderr
    assert sorted(there.stdout.splitlines()) == sorted(here.stdout.splitlines()) and len(here.stdout) > 1000
    wrong = gfmdkg("query", "bibliography", "--endpoint", virtuoso.base + "/sparql-auth", "--user", virtuoso.user,
                   cwd=project.root, env={"GFMDKG_ENDPOINT_PASSWORD": "wrong"})
    assert wrong.returncode == 2 and "answered HTTP 401" in wrong.stderr and "Traceback" not in wrong.stderr
    for text in ("ASK { ?p a <https://w3id.org/gfmdkg/def#Practice> }", "ASK { ?p a <https://example.org/Nothing> }"):
        ask = tmp_path / "ask.rq"
        ask.write_text(text + "\n")
        here = gfmdkg("query", str(ask), "-f", "json", cwd=project.root)
        there = gfmdkg("query", str(ask), "-f", "json", "--endpoint", virtuoso.query_url, cwd=project.root)
        assert there.returncode == 0, there.stderr
        assert there.stdout == here.stdout and '"boolean"' in here.stdout
