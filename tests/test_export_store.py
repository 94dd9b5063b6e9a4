"""The fast export path (files parsed in worker processes, each file's part cached by content hash) writes the same
bytes as the plain path from Python quads, whatever the file order, the number of workers or the cache; its counts
equal a plain recount; a failed export leaves the old output file as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from gfmdkg.errors import GfmdkgError
from gfmdkg.namespaces import GRAPH, ID, PREFIXES
from gfmdkg.project import Project
from gfmdkg.atomic import atomic_output
from gfmdkg.publish.canonical import cache_folder, export_project
from gfmdkg.publish.dataset import DATASET, STATS_GRAPH
from gfmdkg.publish.jsonld import load_context
from gfmdkg.publish.rdf_export import Published, export_quads, serialize
from gfmdkg.store.loading import project_quads

VOID = PREFIXES["void"]


@pytest.fixture
def own_cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("GFMDKG_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / "export"


@pytest.fixture(scope="module")
def plain(project):
    return export_quads(project_quads(project))


@pytest.mark.parametrize("syntax", ["nt", "nq", "trig", "turtle", "jsonld", "xml"])
def test_fast_path_gives_the_same_bytes(project, plain, syntax):
    context = load_context(project.root) if syntax == "jsonld" else None
    fast = export_project(project, workers=2, cache=False)
    assert isinstance(fast, Published)
    assert serialize(fast, syntax, context=context) == serialize(plain, syntax, context=context)


def test_file_order_workers_and_cache_do_not_matter(project, plain, own_cache):
    expected = serialize(plain, "nq")
    files = project.graph_files()
    assert serialize(export_project(project, files=files[::-1], workers=1, cache=False), "nq") == expected
    assert serialize(export_project(project, workers=3), "nq") == expected  # fills the cache
    assert len(list(own_cache.iterdir())) == len(files)
    assert serialize(export_project(project, files=files[::-1], workers=2), "nq") == expected  # read from it


def test_damaged_cache_entry_is_made_again(project, plain, own_cache):
    export_project(project, workers=1)
    entries = sorted(own_cache.iterdir())
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # cut short
    entries[1].write_bytes(b"not json\n")
    assert serialize(export_project(project, workers=2), "nt") == serialize(plain, "nt")
    assert sorted(own_cache.iterdir()) == entries  # made again under the same names
    assert entries[0].stat().st_size > 100 and not entries[1].read_bytes().startswith(b"not json")


def test_unused_cache_entries_are_pruned(project, own_cache):
    export_project(project, workers=1)
    stale = own_cache / ("0" * 40)
    stale.write_bytes(b"old")
    os.utime(stale, (1, 1))
    used = sorted(own_cache.iterdir())[-1]
    os.utime(used, (1, 1))  # old, but used again now: kept
    export_project(project, workers=1)
    assert not stale.exists() and used.exists()
    assert cache_folder() == own_cache


TINY_A = """@prefix ex: <https://example.org/> .
@prefix id: <https://w3id.org/gfmdkg/id/thing/> .
id:a a ex:C ; ex:p "x", "y"@en ; ex:q id:b .
id:b a ex:C, ex:D .
ex:outside ex:p "x" .
"""
TINY_B = """@prefix ex: <https://example.org/> .
@prefix id: <https://w3id.org/gfmdkg/id/thing/> .
id:a a ex:C ; ex:p "x" .
id:c a ex:D ; ex:q id:a .
"""


@pytest.fixture
def tiny(tmp_path) -> Project:
    root = tmp_path / "tiny"
    for part in ("ontology", "data", "queries"):
        (root / part).mkdir(parents=True)
    (root / "data" / "a.ttl").write_text(TINY_A, encoding="utf-8")
    (root / "data" / "b.ttl").write_text(TINY_B, encoding="utf-8")
    return Project(root)


def _description(published) -> dict[tuple[str, str], str]:
    """The statistics graph as {(subject, void term): object}; the many-valued void:subset and void:classPartition
    as {(object, "subset" / "classPartition"): subject}."""
    out = {}
    for q in published:
        if q.graph_name == ox.NamedNode(STATS_GRAPH):
            term = q.predicate.value.removeprefix(VOID)
            key = (q.object.value, term) if term in ("subset", "classPartition") else (q.subject.value, term)
            out[key] = q.subject.value if term in ("subset", "classPartition") else q.object.value
    return out


def test_counts_of_a_tiny_project_are_known(tiny, own_cache):
    # a.ttl: 7 triples, b.ttl: 4; two are in both (id:a a ex:C ; ex:p "x"): 9 distinct triples
    d = _description(export_project(tiny, workers=2))
    part = DATASET + "#class-iri-"
    assert {k: v for k, v in d.items() if k[0] == DATASET} == {
        (DATASET, "triples"): "9", (DATASET, "entities"): "3", (DATASET, "classes"): "2",
        (DATASET, "properties"): "3", (DATASET, "distinctSubjects"): "4", (DATASET, "distinctObjects"): "6"}
    members = {d[(p, "class")]: d[(p, "entities")] for (p, k) in d if p.startswith(part) and k == "class"}
    assert members == {"https://example.org/C": "2", "https://example.org/D": "2"}
    subsets = {g: d[(g, "triples")] for (g, k) in d if k == "subset"}
    assert subsets == {GRAPH + "data/a": "7", GRAPH + "data/b": "4"}


RECOUNT = {  # the plain SPARQL recount, over the union of the named graphs
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
    "distinctSubjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
    "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }",
    "distinctObjects": "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }",
    "entities": f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ID}")) }}',
    "classes": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) }",
}


def test_counts_equal_a_plain_recount(project_copy, own_cache):
    # a contribution repeating triples of other files and typing a node in a second file
    (project_copy / "data" / "contrib").mkdir(parents=True, exist_ok=True)
    (project_copy / "data" / "contrib" / "repeat.ttl").write_text(
        "@prefix gfmd: <https://w3id.org/gfmdkg/def#> .\n@prefix practice: <https://w3id.org/gfmdkg/id/practice/> .\n"
        "practice:mida-ghana-health a gfmd:Practice, gfmd:Extra .\n", encoding="utf-8")
    project = Project(project_copy)
    d = _description(export_project(project, workers=2))
    store = ox.Store()
    store.bulk_extend(project_quads(project))
    for name, sparql in RECOUNT.items():
        (row,) = store.query(sparql, use_default_graph_as_union=True)
        assert d[(DATASET, name)] == row["n"].value, name
    for row in store.query("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
                           use_default_graph_as_union=True):
        part = next(s for (s, k), v in d.items() if k == "class" and v == row["c"].value)
        assert d[(part, "entities")] == row["n"].value
    for row in store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
        assert d[(row["g"].value, "triples")] == row["n"].value


def test_blank_nodes_are_canonical_on_the_fast_path(tiny, own_cache):
    (tiny.root / "data" / "c.ttl").write_text('<https://example.org/s> <https://example.org/p> [ '
                                              '<https://example.org/q> "v" ] .\n', encoding="utf-8")
    first = serialize(export_project(tiny, workers=2), "nq")
    second = serialize(export_project(tiny, workers=1, cache=False), "nq")  # parsed again: other random labels
    assert first == second
    assert b'_:c14n0 <https://example.org/q> "v" <https://w3id.org/gfmdkg/graph/data/c> .\n' in first


def test_a_bad_file_is_named_from_a_worker(tiny, own_cache):
    (tiny.root / "data" / "bad.ttl").write_text("<https://example.org/s> <https://example.org/p> .\n")
    with pytest.raises(GfmdkgError, match=r"bad\.ttl:1:"):
        export_project(tiny, workers=2)
    result = subprocess.run([sys.executable, "-m", "gfmdkg", "--project", str(tiny.root), "export", "-f", "nt"],
                            capture_output=True, timeout=120)
    assert result.returncode == 2
    assert "bad.ttl:1:" in result.stderr.decode() and "Traceback" not in result.stderr.decode()


def test_failed_export_leaves_the_old_file(project_copy, tmp_path):
    out = tmp_path / "graph.rdf"
    out.write_bytes(b"old")
    (project_copy / "data" / "numeric.ttl").write_text("<https://example.org/s> <https://example.org/2014> \"x\" .\n")
    result = subprocess.run([sys.executable, "-m", "gfmdkg", "--project", str(project_copy), "export", "-f", "xml",
                             "-o", str(out)], capture_output=True, timeout=120)
    assert result.returncode == 2, result.stderr.decode()
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.rdf", "project"]


def test_atomic_output_keeps_the_old_file_when_writing_fails(tmp_path):
    out = tmp_path / "x.nt"
    out.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_output(out) as f:
        f.write(b"partial" * 1000000)
        raise RuntimeError("killed half way")
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.nt"]
    with atomic_output(out) as f:
        f.write(b"new")
    assert out.read_bytes() == b"new"
