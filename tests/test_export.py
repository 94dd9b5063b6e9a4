"""RDF exports: every syntax round-trips (rdflib re-parses, isomorphic to the source graph), output is
byte-identical for the same input, JSON-LD agrees with an independent processor (pyld), RDF/XML refuses what it
cannot write, and every export carries the dataset description with counts that match the graph."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from gfmdkg.errors import GfmdkgError
from gfmdkg.namespaces import GRAPH, PREFIXES
from gfmdkg.project import Project
from gfmdkg.publish.dataset import DATASET, STATS_GRAPH, statistics
from gfmdkg.publish.jsonld import CONTEXT_IRI, load_context, local_contexts, to_jsonld
from gfmdkg.publish.rdf_export import SYNTAXES, export_quads, serialize, sorted_triples
from gfmdkg.rdfio import parse_bytes
from gfmdkg.store.loading import project_quads

RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld", "xml": "xml"}
VOID = rdflib.Namespace(PREFIXES["void"])
RDF_TYPE = rdflib.RDF.type


def gfmdkg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gfmdkg", *args], capture_output=True, cwd=cwd, timeout=120)


@pytest.fixture(scope="module")
def published(project) -> list[ox.Quad]:
    return export_quads(project_quads(project))


@pytest.fixture(scope="module")
def context(project) -> dict:
    return load_context(project.root)


def rdflib_files(project: Project) -> rdflib.Dataset:
    """The project's graph read by rdflib alone (independent of pyoxigraph), one named graph per file."""
    ds = rdflib.Dataset()
    for path in project.graph_files():
        ds.graph(rdflib.URIRef(project.graph_iri(path))).parse(data=path.read_bytes(), format="turtle")
    return ds


def to_rdflib(quads: list[ox.Quad]) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    ds.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nquads")
    return ds


def union(ds: rdflib.Dataset) -> rdflib.Graph:
    g = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


@pytest.fixture(scope="module")
def source(project, published) -> rdflib.Dataset:
    """What every export must hold: the files (read by rdflib) plus the computed statistics graph."""
    ds = rdflib_files(project)
    stats = [q for q in published if q.graph_name == ox.NamedNode(STATS_GRAPH)]
    ds.parse(data=ox.serialize(stats, format=ox.RdfFormat.N_QUADS), format="nquads")
    return ds


# ------------------------------------------------------------------ round trips
@pytest.mark.parametrize("syntax", sorted(SYNTAXES))
def test_round_trip_every_syntax(syntax, published, source, context):
    data = serialize(published, syntax, context=context)
    if syntax in ("nq", "trig"):
        back = rdflib.Dataset()
        back.parse(data=data, format=RDFLIB_FORMATS[syntax])
        graphs = {str(g.identifier) for g in back.graphs() if len(g)}
        assert graphs == {str(g.identifier) for g in source.graphs() if len(g)}
        for name in graphs:
            assert isomorphic(back.graph(rdflib.URIRef(name)), source.graph(rdflib.URIRef(name))), name
    else:
        back = rdflib.Graph()
        back.parse(data=data, format=RDFLIB_FORMATS[syntax])
        assert isomorphic(back, union(source))
    # pyoxigraph (the reader gfmdkg itself uses) gets the same triples back
    reread = {ox.Triple(q.subject, q.predicate, q.object)
              for q in parse_bytes(data, f"export.{syntax}", SYNTAXES[syntax], local_contexts={})}
    assert reread == set(sorted_triples(published))


def test_trig_keeps_one_named_graph_per_source_file(project, published):
    data = serialize(published, "trig")
    names = {q.graph_name.value for q in ox.parse(data, format=ox.RdfFormat.TRIG)}
    files = {project.graph_iri(p) for p in project.graph_files()}
    assert names == files | {STATS_GRAPH}
    assert GRAPH + "data/dataset" in names


def test_contribution_files_get_their_own_graph(project_copy):
    contrib = project_copy / "data" / "contrib"
    contrib.mkdir(parents=True, exist_ok=True)
    (contrib / "alice-2026.ttl").write_text(
        '<https://w3id.org/gfmdkg/id/practice/test-contribution> <http://www.w3.org/2000/01/rdf-schema#label> '
        '"Test contribution"@en .\n', encoding="utf-8")
    result = gfmdkg("--project", str(project_copy), "export", "-f", "nq")
    assert result.returncode == 0, result.stderr.decode()
    quads = list(ox.parse(result.stdout, format=ox.RdfFormat.N_QUADS))
    mine = [q for q in quads if q.subject.value.endswith("/test-contribution")]
    assert [q.graph_name.value for q in mine] == [GRAPH + "data/contrib/alice-2026"]


# ------------------------------------------------------------------ determinism
@pytest.mark.parametrize("syntax", sorted(SYNTAXES))
def test_same_input_gives_byte_identical_output(syntax, project, context):
    first = serialize(export_quads(project_quads(project)), syntax, context=context)
    second = serialize(export_quads(project_quads(project)), syntax, context=context)
    assert first == second


def test_blank_nodes_are_labelled_the_same_on_every_run(project_copy):
    """Two separate processes, each parsing afresh (random blank node ids), write identical files."""
    contrib = project_copy / "data" / "contrib"
    contrib.mkdir(parents=True, exist_ok=True)
    (contrib / "with-bnodes.ttl").write_text(
        "@prefix ex: <https://example.org/> .\n"
        "ex:a ex:p [ ex:q \"one\" ; ex:r [ ex:q \"two\" ] ] .\nex:b ex:p [ ex:q \"three\" ] .\n", encoding="utf-8")
    outputs = {}
    for run, cache in (("first", "c1"), ("second", "c2")):  # separate caches: the index is rebuilt each time
        env_cache = project_copy.parent / cache
        result = subprocess.run([sys.executable, "-m", "gfmdkg", "--project", str(project_copy), "export", "-f",
                                 "trig"], capture_output=True, timeout=120,
                                env={**os.environ, "GFMDKG_CACHE": str(env_cache)})
        assert result.returncode == 0, result.stderr.decode()
        outputs[run] = result.stdout
    assert outputs["first"] == outputs["second"]
    assert outputs["first"].count(b"_:") == 6  # three blank nodes, each written as subject and as object


def test_cli_writes_the_same_bytes_atomically(project, published, tmp_path):
    out = tmp_path / "a.ttl"
    result = gfmdkg("export", "-f", "turtle", "-o", str(out), cwd=project.root)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr.decode() == f"wrote {out} ({out.stat().st_size} bytes)\n"
    assert out.read_bytes() == serialize(published, "turtle")
    assert not list(tmp_path.glob(".gfmdkg-tmp-*"))


# ------------------------------------------------------------------ JSON-LD
def test_jsonld_checked_by_pyld(published, source, context):
    from pyld import jsonld

    doc = json.loads(serialize(published, "jsonld", context=context))
    assert doc["@context"] == context
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    g = rdflib.Graph()
    g.parse(data=nquads, format="nt")
    assert isomorphic(g, union(source))
    expanded = jsonld.expand(doc)
    assert len(expanded) == len({q.subject for q in published})


def test_jsonld_uses_readable_keys(published, context):
    doc = json.loads(serialize(published, "jsonld", context=context))
    nodes = {n["id"]: n for n in doc["@graph"]}
    practices = [n for n in doc["@graph"] if n.get("type") == ["Practice"]]
    expected = {q.subject.value for q in published if q.predicate.value.endswith("#type")
                and q.object.value == PREFIXES["gfmd"] + "Practice"}
    assert len(practices) == len(expected)
    for node in practices:
        assert node["id"].startswith(PREFIXES["practice"])  # IRIs in full
        assert set(node["title"]) <= {"en", "fr", "es", "pt"}
        assert "dcterms:title" not in node and "http://purl.org/dc/terms/title" not in node
    mida = nodes[PREFIXES["practice"] + "mida-ghana-health"]
    assert mida["countryAsGiven"] == [next(q.object.value for q in published if q.subject.value.endswith(
        "/practice/mida-ghana-health") and q.predicate.value.endswith("#countryAsGiven"))]
    assert PREFIXES["country"] + "GHA" in mida["spatial"]
    assert nodes[DATASET]["type"] == [PREFIXES["void"] + "Dataset", "Dataset"]  # sorted by IRI; no term: in full
    assert nodes[DATASET]["license"] == ["https://creativecommons.org/licenses/by/4.0/"]


def test_jsonld_context_file_is_the_published_context(project):
    doc = json.loads((project.root / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"]["@version"] == 1.1
    assert local_contexts(project.root) == {CONTEXT_IRI: doc["@context"]}


def test_jsonld_referring_to_the_published_context_reads_without_network(project):
    data = json.dumps({"@context": CONTEXT_IRI, "id": "practice:x", "type": "Practice", "title": {"en": "X"},
                       "partner": ["orgid:iom"]}).encode()
    quads = parse_bytes(data, "x.jsonld", ox.RdfFormat.JSON_LD, local_contexts=local_contexts(project.root))
    got = {(q.predicate.value, str(q.object)) for q in quads}
    assert got == {(PREFIXES["rdf"] + "type", f"<{PREFIXES['gfmd']}Practice>"),
                   (PREFIXES["dcterms"] + "title", '"X"@en'),
                   (PREFIXES["gfmd"] + "partner", f"<{PREFIXES['orgid']}iom>")}


EDGE_CASES = """
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix gfmd: <https://w3id.org/gfmdkg/def#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
<https://w3id.org/gfmdkg/id/practice/edge> a gfmd:Practice, ex:Thing ;
    rdfs:label "plain", "English"@en, "Français"@fr, "tagged\\nwith newline"@en-gb ;
    dcterms:title <https://example.org/not-a-literal> ;
    gfmd:annexEntry 7, "07"^^xsd:integer, "-0"^^xsd:integer, 123456789012345678901234 ;
    gfmd:uncited true, "1"^^xsd:boolean ;
    schema:value "1.50"^^xsd:decimal, "2"^^xsd:integer ;
    dcterms:date "2014"^^xsd:gYear, "2014-05-14"^^xsd:date ;
    gfmd:partner <https://w3id.org/gfmdkg/id/org/iom>, "IOM as text", _:b1 ;
    ex:unmapped "x"^^ex:custom, <urn:isbn:123> ;
    gfmd:countryAsGiven "quote \\" and back\\\\slash", 42 .
_:b1 rdfs:label "a blank node" .
"""


def test_jsonld_writer_edge_cases_agree_with_two_processors(context):
    from pyld import jsonld

    quads = parse_bytes(EDGE_CASES.encode(), "edge.ttl", ox.RdfFormat.TURTLE)
    triples = sorted_triples(quads)
    doc = json.loads(to_jsonld(triples, context))
    source = rdflib.Graph()
    source.parse(data=EDGE_CASES, format="turtle")
    by_pyld = rdflib.Graph()
    by_pyld.parse(data=jsonld.to_rdf(doc, {"format": "application/n-quads"}), format="nt")
    assert isomorphic(by_pyld, source)
    by_ox = rdflib.Graph()
    by_ox.parse(data=ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in parse_bytes(
        json.dumps(doc).encode(), "edge.jsonld", ox.RdfFormat.JSON_LD)], format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert isomorphic(by_ox, source)
    # rdflib normalises literals ("07" -> "7"); compare the exact lexical forms too, blank nodes aside
    exact = {str(t) for t in triples if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object,
                                                                                                    ox.BlankNode)}
    from_pyld = {str(ox.Triple(q.subject, q.predicate, q.object)) for q in ox.parse(
        jsonld.to_rdf(doc, {"format": "application/n-quads"}).encode(), format=ox.RdfFormat.N_QUADS)
        if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}
    assert from_pyld == exact
    node = next(n for n in doc["@graph"] if n["id"] == PREFIXES["practice"] + "edge")
    assert node["type"] == ["https://example.org/Thing", "Practice"]
    assert node["label"] == {"@none": ["plain"], "en": ["English"], "en-gb": ["tagged\nwith newline"],
                             "fr": ["Français"]}
    assert node["annexEntry"] == [7] and node["uncited"] == [True] and node["value"] == ["1.50"]
    # what a term cannot carry goes, alone, under the compact IRI key, always as an array of value objects
    assert node["gfmd:annexEntry"] == [
        {"@value": "-0", "@type": PREFIXES["xsd"] + "integer"}, {"@value": "07", "@type": PREFIXES["xsd"] + "integer"},
        {"@value": "123456789012345678901234", "@type": PREFIXES["xsd"] + "integer"}]
    assert node["dcterms:title"] == [{"@id": "https://example.org/not-a-literal"}]  # not a language map: no term
    assert node["partner"] == ["https://w3id.org/gfmdkg/id/org/iom"]


# ------------------------------------------------------------------ RDF/XML
def test_rdfxml_refuses_predicates_it_cannot_write():
    s = ox.NamedNode("https://example.org/s")
    for bad in ("https://example.org/1", "https://example.org/p/", "https://example.org/p#"):
        with pytest.raises(GfmdkgError, match="RDF/XML cannot write the predicate <" + bad):
            serialize([ox.Quad(s, ox.NamedNode(bad), ox.Literal("x"), ox.NamedNode("https://example.org/g"))], "xml")
    # a well-formed one still works, and rdflib (a strict XML reader) reads it back
    good = serialize([ox.Quad(s, ox.NamedNode("https://example.org/ns/p1"), ox.Literal("x"))], "xml")
    g = rdflib.Graph()
    g.parse(data=good, format="xml")
    assert len(g) == 1


def test_rdfxml_refusal_from_the_cli_is_a_clear_error(project_copy):
    contrib = project_copy / "data" / "contrib"
    contrib.mkdir(parents=True, exist_ok=True)
    (contrib / "numeric-predicate.ttl").write_text("<https://example.org/s> <https://example.org/2014> \"x\" .\n")
    result = gfmdkg("--project", str(project_copy), "export", "-f", "xml")
    assert result.returncode == 2
    err = result.stderr.decode()
    assert "RDF/XML cannot write the predicate <https://example.org/2014>" in err
    assert "Traceback" not in err
    assert gfmdkg("--project", str(project_copy), "export", "-f", "turtle").returncode == 0


# ------------------------------------------------------------------ dataset description
def test_description_counts_match_the_graph(project, published):
    files = rdflib_files(project)
    u = union(files)
    stats = union(to_rdflib([q for q in published if q.graph_name == ox.NamedNode(STATS_GRAPH)]))
    ds = rdflib.URIRef(DATASET)

    def count(s, p) -> int:
        return int(stats.value(s, p))

    assert count(ds, VOID.triples) == len(u)
    assert count(ds, VOID.distinctSubjects) == len(set(u.subjects()))
    assert count(ds, VOID.distinctObjects) == len(set(u.objects()))
    assert count(ds, VOID.properties) == len(set(u.predicates()))
    assert count(ds, VOID.classes) == len(set(u.objects(None, RDF_TYPE)))
    assert count(ds, VOID.entities) == len({s for s in u.subjects() if str(s).startswith(
        "https://w3id.org/gfmdkg/id/")})
    partitions = {stats.value(p, VOID["class"]): count(p, VOID.entities)
                  for p in stats.objects(ds, VOID.classPartition)}
    for cls in ("gfmd:Practice", "gfmd:Finding", "gfmd:Recommendation", "bibo:Document", "org:Organization"):
        iri = rdflib.URIRef(PREFIXES[cls.split(":")[0]] + cls.split(":")[1])
        assert partitions[iri] == len(set(u.subjects(RDF_TYPE, iri))), cls
    subsets = {str(g): count(g, VOID.triples) for g in stats.objects(ds, VOID.subset)}
    assert subsets == {str(g.identifier): len(g) for g in files.graphs() if len(g)}


def test_description_static_part_and_examples(project, published):
    u = union(rdflib_files(project))
    ds = rdflib.URIRef(DATASET)
    dcterms = rdflib.Namespace(PREFIXES["dcterms"])
    assert (ds, dcterms.license, rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")) in u
    # the source documents are prov:wasDerivedFrom (DCAT-AP keeps dcterms:source of a dataset for datasets)
    assert not set(u.objects(ds, dcterms.source))
    assert set(u.objects(ds, rdflib.URIRef(PREFIXES["prov"] + "wasDerivedFrom"))) == {
        rdflib.URIRef(PREFIXES["doc"] + "gfmd2014-rt32-background-paper"),
        rdflib.URIRef(PREFIXES["doc"] + "gfmd2014-rt3-rapporteur-report")}
    examples = list(u.objects(ds, VOID.exampleResource))
    assert len(examples) == 6
    for ex in examples:  # every example resource is described in the graph
        assert (ex, RDF_TYPE, None) in u, ex


def test_sparql_endpoint_is_named_when_given(published):
    quads = statistics(published[:10], sparql_endpoint="http://127.0.0.1:7878/query")
    assert ox.Quad(ox.NamedNode(DATASET), ox.NamedNode(PREFIXES["void"] + "sparqlEndpoint"),
                   ox.NamedNode("http://127.0.0.1:7878/query"), ox.NamedNode(STATS_GRAPH)) in quads


@pytest.mark.parametrize("syntax", sorted(SYNTAXES))
def test_every_export_from_the_cli_has_the_description(syntax, project):
    from click.testing import CliRunner

    from gfmdkg.cli import cli

    result = CliRunner().invoke(cli, ["--project", str(project.root), "export", "-f", syntax, "--sparql-endpoint",
                                      "https://example.org/sparql"])
    assert result.exit_code == 0, result.output
    quads = parse_bytes(result.stdout_bytes, f"x.{syntax}", SYNTAXES[syntax],
                        local_contexts=local_contexts(project.root))
    triples = {(q.subject.value, q.predicate.value, q.object.value) for q in quads}
    assert (DATASET, PREFIXES["void"] + "sparqlEndpoint", "https://example.org/sparql") in triples
    assert (DATASET, PREFIXES["rdf"] + "type", PREFIXES["dcat"] + "Dataset") in triples
    assert any(s == DATASET and p == PREFIXES["void"] + "triples" for s, p, _ in triples)


def test_bad_sparql_endpoint_is_refused(project):
    result = gfmdkg("export", "--sparql-endpoint", "not an iri", cwd=project.root)
    assert result.returncode == 2
    assert "'not an iri' is not an absolute IRI" in result.stderr.decode()
