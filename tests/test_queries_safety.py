"""Local query safety: a query cannot reach the network or the file system (SERVICE, LOAD, FROM / FROM NAMED are
refused before any engine runs, proven with a local HTTP server that records every hit), and a query that runs past
--timeout is stopped with a clear message. Also the QC checks: none fires on the shipped graph, each fires on a
planted fault."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gfmdkg.cli import cli
from gfmdkg.errors import QueryRefused, QueryTimeout
from gfmdkg.project import Project
from gfmdkg.sparql.catalogue import load_catalogue
from gfmdkg.store import open_engine
from tests.httprec import Answer, Recorder

TTL = b"@prefix ex: <http://e/> . ex:a ex:b ex:c .\n"


def gfmdkg(*args: str, project=None) -> subprocess.CompletedProcess:
    exe = str(Path(sys.executable).with_name("gfmdkg"))
    cmd = [exe] + (["--project", str(project.root)] if project else []) + list(args)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=dict(os.environ))


def attacks(url: str, secret: Path) -> dict[str, str]:
    return {
        "service": f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "service-silent-in-optional":
            f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <{url}/s> {{ ?s ?q ?r }} }} }}",
        "service-in-subquery": f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }} }} }}",
        "service-in-exists": f"ASK {{ FILTER EXISTS {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }} }}",
        "service-escaped": f"SELECT * WHERE {{ \\u0053ERVICE <{url}/s> {{ ?s ?p ?o }} }}",
        "service-lowercase": f"select * where {{ service <{url}/s> {{ ?s ?p ?o }} }}",
        "from": f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
        "from-named": f"SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "from-file": f"SELECT * FROM <file://{secret}> WHERE {{ ?s ?p ?o }}",
        "load": f"LOAD <{url}/data.ttl>",
        "load-into": f"LOAD SILENT <file://{secret}> INTO GRAPH <http://e/g>",
        "insert-service": f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }}",
        "drop": "DROP ALL",
    }


@pytest.fixture(scope="module")
def recorder():
    with Recorder(Answer(200, "text/turtle", TTL)) as rec:
        yield rec


@pytest.fixture(scope="module")
def engines(project):
    return {name: open_engine(project, engine=name) for name in ("oxigraph", "rdflib")}


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_network_and_file_access_refused(recorder, engines, tmp_path, engine):
    secret = tmp_path / "secret.ttl"
    secret.write_bytes(TTL)
    for name, text in attacks(recorder.url, secret).items():
        with pytest.raises(QueryRefused) as info:
            engines[engine].query(text)
        message = str(info.value)
        assert "is refused" in message and "what to do:" in message, (name, message)
    assert recorder.hits == []


def test_attack_files_refused_by_the_query_command(recorder, project, tmp_path):
    secret = tmp_path / "secret.ttl"
    secret.write_bytes(TTL)
    for name, text in attacks(recorder.url, secret).items():
        q = tmp_path / f"{name}.rq"
        q.write_text(text + "\n")
        res = CliRunner().invoke(cli, ["--project", str(project.root), "query", str(q)])
        assert isinstance(res.exception, QueryRefused), (name, res.output, res.exception)
    assert recorder.hits == []


def test_refusal_through_the_real_cli(recorder, project, tmp_path):
    q = tmp_path / "svc.rq"
    q.write_text(f"PREFIX ex: <http://e/>\nSELECT * WHERE {{\n  SERVICE <{recorder.url}/sparql> {{ ?s ?p ?o }}\n}}\n")
    res = gfmdkg("query", str(q), project=project)
    assert res.returncode == 2
    assert "SERVICE (line 3) is refused: gfmdkg queries never call other endpoints" in res.stderr
    assert "run the query against that endpoint directly with --endpoint URL" in res.stderr
    q.write_text(f"SELECT * FROM <{recorder.url}/x.ttl> WHERE {{ ?s ?p ?o }}\n")
    res = gfmdkg("query", str(q), project=project)
    assert res.returncode == 2 and f"FROM <{recorder.url}/x.ttl> (line 1) is refused" in res.stderr
    assert "Traceback" not in res.stderr
    assert recorder.hits == []


def test_local_graph_names_are_allowed_in_from(project):
    engine = open_engine(project)
    graph = project.graph_iri(project.root / "data" / "recommendations.ttl")
    rows = engine.query(f"SELECT (COUNT(*) AS ?n) FROM <{graph}> "
                        "WHERE { ?r a <https://w3id.org/gfmdkg/def#Recommendation> }").rows
    import rdflib

    from tests.truth import GFMD  # an independent count, from the file itself
    g = rdflib.Graph().parse(data=(project.root / "data" / "recommendations.ttl").read_bytes(), format="turtle")
    assert int(rows[0]["n"]["value"]) == len(set(g.subjects(rdflib.RDF.type, GFMD.Recommendation)))


def test_timeout_stops_a_runaway_query(project, tmp_path):
    q = tmp_path / "cross.rq"
    q.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }\n")
    res = gfmdkg("query", str(q), "--timeout", "0.5", project=project)
    assert res.returncode == 2
    assert "ran longer than its time limit of 0.5 s and was stopped" in res.stderr
    assert "make the query more selective, or raise --timeout" in res.stderr


def test_timeout_in_process(project):
    engine = open_engine(project)
    with pytest.raises(QueryTimeout):
        engine.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=0.3)


# ---------------------------------------------------------------------------------------------- QC checks
QC_NAMES = sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "queries" / "qc").glob("*-violation.rq"))


@pytest.mark.parametrize("name", QC_NAMES)
def test_qc_check_passes_on_the_shipped_graph(name, project):
    saved = load_catalogue(project.query_files())[f"qc/{name}"]
    rows = open_engine(project).query(saved.text).rows
    assert rows == [], [{k: v["value"] for k, v in r.items()} for r in rows]


PREFIXES = """@prefix gfmd: <https://w3id.org/gfmdkg/def#> . @prefix org: <http://www.w3.org/ns/org#> .
@prefix bibo: <http://purl.org/ontology/bibo/> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix basis: <https://w3id.org/gfmdkg/vocab/link-basis/> .
@prefix rec: <https://w3id.org/gfmdkg/id/recommendation/> .
@prefix bp: <https://w3id.org/gfmdkg/id/document/gfmd2014-rt32-background-paper/> .
@prefix practice: <https://w3id.org/gfmdkg/id/practice/> . @prefix orgid: <https://w3id.org/gfmdkg/id/org/> .
@prefix source: <https://w3id.org/gfmdkg/id/source/> . @prefix tag: <https://w3id.org/gfmdkg/vocab/tag/> .
"""
PLANTED = {
    "orphan-organisation-violation": ("orgid:zz-lonely a org:Organization ; skos:prefLabel \"Lonely\"@en ; "
                                      "prov:wasDerivedFrom bp:p1 .", "https://w3id.org/gfmdkg/id/org/zz-lonely"),
    "uncited-work-violation": ("source:zz-never-2000 a bibo:Document ; dcterms:bibliographicCitation \"Never 2000\" ; "
                               "prov:wasDerivedFrom bp:p1 .", "https://w3id.org/gfmdkg/id/source/zz-never-2000"),
    "unlinked-recommendation-violation": ("rec:zz-alone a gfmd:Recommendation ; rdfs:label \"Alone\"@en ; "
                                          "prov:wasDerivedFrom bp:p1 .", "https://w3id.org/gfmdkg/id/recommendation/zz-alone"),
    "incomplete-qualified-link-violation": (
        "practice:mida-ghana-health gfmd:qualifiedSupport practice:mida-ghana-health\\#zz-link . "
        "practice:mida-ghana-health\\#zz-link a gfmd:SupportLink ; gfmd:target rec:bp-diaspora-participation ; "
        "gfmd:basis basis:curators-judgement .", "https://w3id.org/gfmdkg/id/practice/mida-ghana-health"),
    "missing-locator-violation": ("practice:zz-nowhere a gfmd:Practice ; dcterms:title \"Nowhere\"@en ; "
                                  "gfmd:partner orgid:iom .", "https://w3id.org/gfmdkg/id/practice/zz-nowhere"),
    "dangling-reference-violation": ("practice:mida-ghana-health gfmd:tag tag:zz-no-such-tag .",
                                     "https://w3id.org/gfmdkg/id/practice/mida-ghana-health"),
    "unqualified-support-violation": ("practice:mida-ghana-health gfmd:supports rec:zz-unqualified .",
                                      "https://w3id.org/gfmdkg/id/practice/mida-ghana-health"),
}


@pytest.fixture(scope="module")
def planted(tmp_path_factory, repo):
    """The shipped graph plus one file holding every planted fault (they do not overlap), in memory."""
    import shutil

    from gfmdkg.store.loading import project_quads
    from gfmdkg.store.oxigraph_engine import OxigraphEngine

    root = tmp_path_factory.mktemp("planted")
    for part in ("ontology", "data", "queries"):
        shutil.copytree(repo / part, root / part)
    body = "\n".join(turtle for turtle, _ in PLANTED.values())
    (root / "data" / "zz-planted.ttl").write_text(PREFIXES + body + "\n", encoding="utf-8")
    project = Project(root)
    return project, OxigraphEngine.in_memory(project_quads(project))


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_qc_check_finds_a_planted_fault(name, planted):
    project, engine = planted
    saved = load_catalogue(project.query_files())[f"qc/{name}"]
    result = engine.query(saved.text)
    # the first column is the node `gfmdkg validate` reports
    assert PLANTED[name][1] in {r[result.vars[0]]["value"] for r in result.rows if result.vars[0] in r}, result.rows
