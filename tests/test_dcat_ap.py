"""The catalogue record of ``gfmdkg export --all`` against the official DCAT-AP 3.0.0 SHACL shapes (pySHACL), and
its distributions against the files actually written (size, SHA-256, media type, EU file type)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF, SH

from gfmdkg.publish.catalog import CATALOG_FILE, FORMATS
from gfmdkg.publish.rdf_export import EXTENSIONS, SYNTAXES
from tests.shared import need

SHAPE_FILES = ("shapes.ttl", "shapes_recommended.ttl", "range.ttl", "mdr-vocabularies.shape.ttl")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DATASET = rdflib.URIRef("https://w3id.org/gfmdkg/id/dataset/gfmdkg")
PUBLISHER = rdflib.URIRef("https://w3id.org/gfmdkg/id/dataset/gfmdkg#publisher")
BASE = "https://example.org/gfmdkg/0.1.0/"


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


def test_record_passes_the_dcat_ap_shapes(record):
    import pyshacl

    shapes = rdflib.Graph()
    for name in SHAPE_FILES:
        shapes.parse(need("reference", "dcat-ap-3", name))
    _, report, _ = pyshacl.validate(record, shacl_graph=shapes, allow_warnings=False)
    top = [r for r in report.objects(None, SH.result)]  # sh:detail results belong to the one above them
    found = sorted((str(report.value(r, SH.resultSeverity)).rsplit("#")[-1], str(report.value(r, SH.focusNode)),
                    str(report.value(r, SH.resultPath)), str(report.value(r, SH.value))) for r in top)
    # The one warning left, on purpose: the MDR shapes want every publisher to be an EU corporate body (an IRI of
    # the corporate-body authority table). gfmdkg's publisher is not one, and saying so would be false.
    publisher_is_not_an_eu_body = [("Warning", str(node), str(DCTERMS.publisher), str(PUBLISHER))
                                   for node in ("https://w3id.org/gfmdkg/id/dataset/catalog", str(DATASET))]
    assert found == publisher_is_not_an_eu_body


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
