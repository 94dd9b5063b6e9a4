"""The catalogue record of ``gfmdkg export --all`` against the official DCAT-AP 3.0.0 SHACL shapes (pySHACL), and
its distributions against the files actually written (size, SHA-256, media type, EU file type)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF, SH, SKOS

from gfmdkg.publish.catalog import CATALOG_FILE, FORMATS
from gfmdkg.publish.rdf_export import EXTENSIONS, SYNTAXES
from tests.shared import need

SHAPE_FILES = ("shapes.ttl", "shapes_recommended.ttl", "range.ttl", "mdr-vocabularies.shape.ttl")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DATASET = rdflib.URIRef("https://w3id.org/gfmdkg/id/dataset/gfmdkg")
PUBLISHER = rdflib.URIRef("https://w3id.org/gfmdkg/id/dataset/gfmdkg#publisher")
BASE = "https://example.org/gfmdkg/0.1.0/"
CORPORATE_BODIES = "http://publications.europa.eu/resource/authority/corporate-body"


def export_all(folder: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gfmdkg", "export", "--all", "-o", str(folder), *extra],
                          capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def dump(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dump")
    done = export_all(folder, "--base-url", BASE)
    assert done.returncode == 0, done.stderr.decode()
    return folder


@pytest.fixture(scope="module")
def record(dump) -> rdflib.Graph:
    return rdflib.Graph().parse(dump / CATALOG_FILE)


@pytest.fixture(scope="module")
def dcat_ap_shapes() -> rdflib.Graph:
    shapes = rdflib.Graph()
    for name in SHAPE_FILES:
        shapes.parse(need("reference", "dcat-ap-3", name))
    return shapes


def dcat_ap_results(record: rdflib.Graph, shapes: rdflib.Graph) -> tuple[list[tuple], set[tuple]]:
    """The top-level results (severity, focus, path, value) and the paths and values their sh:detail results
    fail on."""
    import pyshacl

    _, report, _ = pyshacl.validate(record, shacl_graph=shapes, allow_warnings=False)
    top = list(report.objects(None, SH.result))  # sh:detail results belong to the one above them
    found = sorted((str(report.value(r, SH.resultSeverity)).rsplit("#")[-1], str(report.value(r, SH.focusNode)),
                    str(report.value(r, SH.resultPath)), str(report.value(r, SH.value))) for r in top)
    details = {(str(report.value(d, SH.focusNode)), str(report.value(d, SH.resultPath)),
                str(report.value(d, SH.sourceConstraintComponent)).rsplit("#")[-1])
               for r in top for d in report.objects(r, SH.detail)}
    return found, details


def test_record_passes_the_dcat_ap_shapes(record, dcat_ap_shapes):
    found, details = dcat_ap_results(record, dcat_ap_shapes)
    # The one warning left, on purpose (on the catalogue and on the dataset, the same constraint): the MDR shapes
    # want every publisher to be an EU corporate body (skos:inScheme the corporate-body authority table). The
    # shape offers no other route (its two sh:node are both required), and gfmdkg's publisher, its developers, is
    # not in that table: saying so, or naming some listed body as publisher, would be false.
    publisher_is_not_an_eu_body = [("Warning", str(node), str(DCTERMS.publisher), str(PUBLISHER))
                                   for node in ("https://w3id.org/gfmdkg/id/dataset/catalog", str(DATASET))]
    assert found == publisher_is_not_an_eu_body
    # what fails inside is only the corporate-body table; the publisher's type (ADMS publisher types) passes
    assert details == {(str(PUBLISHER), str(SKOS.inScheme), "HasValueConstraintComponent"),
                       (str(PUBLISHER), str(SKOS.inScheme), "MinCountConstraintComponent")}


def test_the_warning_goes_only_with_a_false_corporate_body_claim(record, dcat_ap_shapes):
    """The record would have no result at all if its publisher were in the EU corporate-body table: that one
    statement is all the warning asks for (and the one the record must not make)."""
    claimed = rdflib.Graph() + record
    claimed.add((PUBLISHER, SKOS.inScheme, rdflib.URIRef(CORPORATE_BODIES)))
    assert dcat_ap_results(claimed, dcat_ap_shapes) == ([], set())
    assert (PUBLISHER, SKOS.inScheme, rdflib.URIRef(CORPORATE_BODIES)) not in record


def test_a_distribution_per_syntax_matches_its_file(record, dump):
    dists = set(record.objects(DATASET, DCAT.distribution))
    assert len(dists) == len(SYNTAXES)
    seen = set()
    for dist in dists:
        url = str(record.value(dist, DCAT.downloadURL))
        assert url.startswith(BASE)
        path = dump / url[len(BASE):]
        data = path.read_bytes()
        syntax = next(s for s in SYNTAXES if path.name == f"gfmdkg.{EXTENSIONS[s]}")
        media, file_type, _ = FORMATS[syntax]
        seen.add(syntax)
        assert int(record.value(dist, DCAT.byteSize)) == len(data)
        checksum = record.value(dist, SPDX.checksum)
        assert str(record.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        assert str(record.value(dist, DCAT.mediaType)) == f"https://www.iana.org/assignments/media-types/{media}"
        assert str(record.value(dist, DCTERMS["format"])).endswith(f"/file-type/{file_type}")
        assert (DATASET, VOID.dataDump, rdflib.URIRef(url)) in record
    assert seen == set(SYNTAXES)


def test_record_describes_the_catalogue_and_coverage(record):
    catalog = rdflib.URIRef("https://w3id.org/gfmdkg/id/dataset/catalog")
    assert (catalog, RDF.type, DCAT.Catalog) in record
    assert (catalog, DCAT.dataset, DATASET) in record
    assert (DATASET, DCTERMS.language, rdflib.URIRef("http://publications.europa.eu/resource/authority/language/ENG")) \
        in record
    period = record.value(DATASET, DCTERMS.temporal)
    start, end = int(str(record.value(period, DCAT.startDate))), int(str(record.value(period, DCAT.endDate)))
    assert 1900 < start <= 2014 <= end
    assert record.value(record.value(DATASET, DCAT.contactPoint), RDF.type) is not None
    assert any(str(t).startswith("http://publications.europa.eu/resource/authority/data-theme/")
               for t in record.objects(DATASET, DCAT.theme))
    assert record.value(DATASET, rdflib.URIRef("http://rdfs.org/ns/void#triples")) is not None


def test_record_is_deterministic(dump, tmp_path):
    done = export_all(tmp_path, "--base-url", BASE)
    assert done.returncode == 0, done.stderr.decode()
    for path in sorted(dump.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_all_needs_a_folder():
    done = subprocess.run([sys.executable, "-m", "gfmdkg", "export", "--all"], capture_output=True, timeout=120)
    assert done.returncode == 2
    assert b"-o DIR" in done.stderr and b"Traceback" not in done.stderr
