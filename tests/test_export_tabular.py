"""CSV exports: fixed columns, one row per node with its full IRI, values that match the graph, the PfP form order,
and clear errors for wrong option combinations."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pyoxigraph as ox
import pytest

from gfmdkg.namespaces import PREFIXES
from gfmdkg.publish.tabular import SEP, TABLES, Index, table_rows, to_csv
from gfmdkg.store.loading import project_quads

HEADERS = {
    "practices": ["iri", "title", "description", "annex_entry", "annex_section", "country_as_given", "countries",
                  "country_iris", "regions", "target_countries", "partners_as_given", "partners", "partner_iris",
                  "funded_by", "implemented_by", "coordinated_by", "thematic_areas", "thematic_area_iris", "tags",
                  "tag_iris", "status", "start_date", "end_date", "timeframe_as_given", "web_links", "supports",
                  "gcm_objectives", "related_practices", "derived_from", "editorial_note", "source_as_given",
                  "contributed_by", "contributed_on", "review_status"],
    "findings": ["iri", "label", "description", "outcome_domains", "effect_direction", "channels",
                 "population_groups", "countries", "country_iris", "regions", "cites", "cited_as", "uncited",
                 "evidence_for", "derived_from", "editorial_note"],
    "sources": ["iri", "label", "bibliographic_citation", "authors", "date", "title", "web_links", "derived_from",
                "editorial_note"],
    "recommendations": ["iri", "label", "description", "number", "source_document", "proposed_at",
                        "outcome_domains", "restates", "gcm_objectives", "derived_from", "editorial_note"],
    "organisations": ["iri", "name", "other_names", "org_type", "sub_organization_of", "countries", "country_iris",
                      "derived_from", "editorial_note"],
    # the GFMD Platform for Partnerships contribution form, in its order, then our IRI
    "pfp": ["Title", "Summary", "Countries", "Partners", "Thematic areas", "Tags", "Source in the GFMD context",
            "Contact", "Web links", "Timeframe", "gfmdkg IRI"],
}
CLASSES = {"practices": "gfmd:Practice", "findings": "gfmd:Finding", "sources": "bibo:Document",
           "recommendations": "gfmd:Recommendation", "organisations": "org:Organization", "pfp": "gfmd:Practice"}


def iri(prefixed: str) -> str:
    p, local = prefixed.split(":", 1)
    return PREFIXES[p] + local


@pytest.fixture(scope="module")
def quads(project) -> list[ox.Quad]:
    return list(project_quads(project))


@pytest.fixture(scope="module")
def index(quads) -> Index:
    return Index(quads)


def read(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_tables_are_the_contract():
    assert {name: [c for c, _ in t.columns] for name, t in TABLES.items()} == HEADERS


@pytest.mark.parametrize("name", sorted(TABLES))
def test_one_row_per_node_with_its_iri(name, quads, index):
    data = to_csv(index, name)
    assert data.splitlines()[0].decode() == ",".join(HEADERS[name])
    rows = read(data)
    key = "gfmdkg IRI" if name == "pfp" else "iri"
    expected = sorted({q.subject.value for q in quads if q.predicate.value == iri("rdf:type")
                       and q.object.value == iri(CLASSES[name])})
    assert [r[key] for r in rows] == expected
    assert data.endswith(b"\r\n") and data == to_csv(Index(quads), name)  # deterministic


def test_practice_row_matches_the_graph(index):
    header, rows = table_rows(index, "practices")
    row = dict(zip(header, next(r for r in rows if r[0] == iri("practice:mida-ghana-health")), strict=True))
    node = ox.NamedNode(iri("practice:mida-ghana-health"))
    assert row["title"] == index.text(node, "dcterms:title")
    assert row["annex_entry"] == index.text(node, "gfmd:annexEntry")
    assert row["countries"].split(SEP) == sorted(
        o.value for c in index.objects(node, "dcterms:spatial") for o in index.objects(c, "skos:notation")
        if o.datatype.value.endswith("#string"))
    assert row["partner_iris"].split(SEP) == [o.value for o in index.objects(node, "gfmd:partner")]
    assert row["web_links"].split(SEP) == [o.value for o in index.objects(node, "foaf:page")]
    assert "GHA" in row["countries"].split(SEP)


def test_pfp_row_follows_the_form(index):
    header, rows = table_rows(index, "pfp")
    by_iri = {r[-1]: dict(zip(header, r, strict=True)) for r in rows}
    node = ox.NamedNode(iri("practice:mida-ghana-health"))
    row = by_iri[node.value]
    assert row["Title"] == index.text(node, "dcterms:title")
    assert row["Summary"] == index.text(node, "dcterms:description")
    assert row["Countries"].split(SEP) == sorted(index.label(c) for c in index.objects(node, "dcterms:spatial"))
    assert "Ghana" in row["Countries"].split(SEP)
    assert row["Contact"] == ""  # the GFMD documents give no contacts
    entry = index.text(node, "gfmd:annexEntry")
    assert row["Source in the GFMD context"].startswith(
        f"GFMD 2014 Roundtable 3.2 background paper, Annex entry {entry}, p")
    for r in by_iri.values():
        assert r["Title"] and r["Summary"], r["gfmdkg IRI"]


def test_timeframe_prefers_the_text_as_given(index):
    header, rows = table_rows(index, "pfp")
    for r in rows:
        row = dict(zip(header, r, strict=True))
        node = ox.NamedNode(row["gfmdkg IRI"])
        given = index.text(node, "gfmd:timeframeAsGiven")
        start = index.text(node, "dcterms:temporal/dcat:startDate")
        if given:
            assert row["Timeframe"] == given
        elif start:
            assert row["Timeframe"].startswith(start)
        else:
            assert row["Timeframe"] == "" or row["Timeframe"].startswith("until ")


def gfmdkg(*args, cwd):
    return subprocess.run([sys.executable, "-m", "gfmdkg", *args], capture_output=True, cwd=cwd, timeout=120)


def test_cli_writes_every_table_to_a_folder(project, index, tmp_path):
    out = tmp_path / "tables"
    result = gfmdkg("export", "-f", "csv", "-o", str(out), cwd=project.root)
    assert result.returncode == 0, result.stderr.decode()
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.csv" for n in TABLES)
    for name in TABLES:
        assert (out / f"{name}.csv").read_bytes() == to_csv(index, name)


def test_cli_one_table_to_stdout(project, index):
    result = gfmdkg("export", "-f", "csv", "--class", "pfp", cwd=project.root)
    assert result.returncode == 0
    assert result.stdout == to_csv(index, "pfp")


@pytest.mark.parametrize("args, message", [
    (["-f", "csv"], "-f csv without --class writes every table: give the folder with -o DIR"),
    (["-f", "turtle", "--class", "pfp"], "--class goes with -f csv"),
])
def test_cli_option_errors(project, args, message):
    result = gfmdkg("export", *args, cwd=project.root)
    assert result.returncode == 2
    assert message in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()


def test_cli_output_folder_that_is_a_file(project, tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    result = gfmdkg("export", "-f", "csv", "-o", str(target), cwd=project.root)
    assert result.returncode == 2
    assert f"{target}: exists and is not a folder" in result.stderr.decode()
