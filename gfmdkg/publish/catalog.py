"""The catalogue record harvesters read (DCAT-AP 3.0.0): the dataset description plus one ``dcat:Distribution``
per export file, with its download URL, IANA media type, EU file type, byte size and SHA-256 checksum.

A file cannot carry its own checksum, so the record is a separate file written *after* the exports it describes
(:func:`export_all`): the exports carry the description without distributions; ``catalog.ttl`` beside them
carries the full record. Everything in it is computed from the files and the graph, so the same graph and base
URL give a byte-identical record.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gfmdkg.namespaces import GRAPH, PREFIXES
from gfmdkg.publish.dataset import DATASET, STATS_GRAPH
from gfmdkg.publish.rdf_export import EXTENSIONS, SYNTAXES, lines_by_graph, serialize, write

#: Where the files are published unless ``--base-url`` says otherwise (w3id redirects it to the release files).
DEFAULT_BASE_URL = "https://w3id.org/gfmdkg/dump/"
CATALOG_FILE = "catalog.ttl"
DUMP_STEM = "gfmdkg"
TERMS_FILE = Path(__file__).with_name("catalog-terms.ttl")
DESCRIPTION_GRAPH = GRAPH + "data/dataset"

IANA = "https://www.iana.org/assignments/media-types/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
SPDX = "http://spdx.org/rdf/terms#"
DCAT, DCTERMS, VOID, XSD = PREFIXES["dcat"], PREFIXES["dcterms"], PREFIXES["void"], PREFIXES["xsd"]
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
DCATAP = "http://data.europa.eu/r5r/"
STABLE = "http://publications.europa.eu/resource/authority/planned-availability/STABLE"
#: the https spelling DCAT-AP 3.0.0's shapes require (catalog-terms.ttl says it is SPDX's sha256)
SHA256 = "https://spdx.org/rdf/terms#checksumAlgorithm_sha256"

#: export syntax -> (IANA media type, EU file-type code, name for people)
FORMATS: dict[str, tuple[str, str, str]] = {
    "turtle": ("text/turtle", "RDF_TURTLE", "Turtle"),
    "nt": ("application/n-triples", "RDF_N_TRIPLES", "N-Triples"),
    "nq": ("application/n-quads", "RDF_N_QUADS", "N-Quads (one named graph per source file)"),
    "trig": ("application/trig", "RDF_TRIG", "TriG (one named graph per source file)"),
    "jsonld": ("application/ld+json", "JSON_LD", "JSON-LD"),
    "xml": ("application/rdf+xml", "RDF_XML", "RDF/XML"),
}
#: the dated properties whose years make up the temporal coverage
_DATED = {f"<{DCAT}startDate>".encode(), f"<{DCAT}endDate>".encode(), f"<{PREFIXES['gfmd']}referenceYear>".encode()}
_YEAR = re.compile(rb'"(\d{4})')


@dataclass(frozen=True)
class DumpFile:
    """One written export: its syntax, where it is, its size and SHA-256."""

    syntax: str
    path: Path
    size: int
    sha256: str

    @classmethod
    def of(cls, syntax: str, path: Path) -> DumpFile:
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        return cls(syntax, path, path.stat().st_size, digest.hexdigest())


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _lit(value: str, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(value, language=lang)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


def distribution_triples(dumps: Iterable[DumpFile], base_url: str) -> list[ox.Triple]:
    """The dataset's distributions (and ``void:dataDump`` links) for the written files."""
    ds, rdf_type = _iri(DATASET), _iri(PREFIXES["rdf"] + "type")
    out: list[ox.Triple] = []
    for dump in dumps:
        media, file_type, name = FORMATS[dump.syntax]
        dist = _iri(f"{DATASET}/distribution/{dump.syntax}")
        url = _iri(base_url + dump.path.name)
        checksum = _iri(f"{dist.value}#sha256")
        out += [
            ox.Triple(ds, _iri(DCAT + "distribution"), dist),
            ox.Triple(ds, _iri(VOID + "dataDump"), url),
            ox.Triple(dist, rdf_type, _iri(DCAT + "Distribution")),
            ox.Triple(dist, _iri(DCTERMS + "title"), _lit(f"gfmdkg in {name}", lang="en")),
            ox.Triple(dist, _iri(DCTERMS + "description"),
                      _lit(f"The whole gfmdkg graph (ontology, schemes, data and this description) in {name}.",
                           lang="en")),
            ox.Triple(dist, _iri(DCAT + "accessURL"), url),
            ox.Triple(dist, _iri(DCAT + "downloadURL"), url),
            ox.Triple(dist, _iri(DCAT + "mediaType"), _iri(IANA + media)),
            ox.Triple(dist, _iri(DCTERMS + "format"), _iri(FILE_TYPE + file_type)),
            ox.Triple(dist, _iri(DCTERMS + "license"), _iri(LICENSE)),
            ox.Triple(dist, _iri(DCATAP + "availability"), _iri(STABLE)),
            ox.Triple(dist, _iri(DCAT + "byteSize"), _lit(str(dump.size), XSD + "decimal")),
            ox.Triple(dist, _iri(SPDX + "checksum"), checksum),
            ox.Triple(checksum, rdf_type, _iri(SPDX + "Checksum")),
            ox.Triple(checksum, _iri(SPDX + "algorithm"), _iri(SHA256)),
            ox.Triple(checksum, _iri(SPDX + "checksumValue"), _lit(dump.sha256, XSD + "hexBinary")),
        ]
    return out


def temporal_triples(lines: Iterable[bytes]) -> list[ox.Triple]:
    """The temporal coverage: from the earliest to the latest year of any period or reference year in the graph
    (canonical N-Triples ``lines``); nothing when the graph has no dates."""
    years = sorted({int(m.group(1)) for line in lines if (parts := line.split(b" ", 2))[1] in _DATED
                    and (m := _YEAR.match(parts[2]))})
    if not years:
        return []
    ds, period = _iri(DATASET), _iri(DATASET + "#temporal")
    gyear = XSD + "gYear"
    return [ox.Triple(ds, _iri(DCTERMS + "temporal"), period),
            ox.Triple(period, _iri(PREFIXES["rdf"] + "type"), _iri(DCTERMS + "PeriodOfTime")),
            ox.Triple(period, _iri(DCAT + "startDate"), _lit(f"{years[0]:04d}", gyear)),
            ox.Triple(period, _iri(DCAT + "endDate"), _lit(f"{years[-1]:04d}", gyear))]


def record(published: Sequence[ox.Quad], dumps: Iterable[DumpFile], base_url: str = DEFAULT_BASE_URL) -> bytes:
    """The catalogue record (Turtle) for ``published`` (what the exports hold) written as ``dumps``: the static
    description (graph data/dataset), its statistics, the distributions, the temporal coverage and what the
    authority tables say about the external terms used."""
    lines = lines_by_graph(published)
    wanted = {f"<{DESCRIPTION_GRAPH}>", f"<{STATS_GRAPH}>"}
    described = [line for key in sorted(wanted & lines.keys()) for line in lines[key]]
    union = set().union(*lines.values()) if lines else set()
    triples = list(ox.parse(b"".join(described), format=ox.RdfFormat.N_TRIPLES))
    triples += ox.parse(TERMS_FILE.read_bytes(), format=ox.RdfFormat.TURTLE)
    triples += distribution_triples(dumps, base_url)
    triples += temporal_triples(union)
    return serialize([ox.Quad(t.subject, t.predicate, t.object) for t in triples], "turtle")


def export_all(published: Sequence[ox.Quad], folder: Path, *, context: dict,
               base_url: str = DEFAULT_BASE_URL) -> list[Path]:
    """Write ``published`` in every RDF syntax into ``folder`` (``gfmdkg.ttl``, ``gfmdkg.nt``, ...), then the
    catalogue record describing those files; each file atomically. Returns the paths written."""
    from gfmdkg.atomic import atomic_output

    dumps = []
    for syntax in SYNTAXES:
        path = folder / f"{DUMP_STEM}.{EXTENSIONS[syntax]}"
        with atomic_output(path) as out:
            write(published, syntax, out, context=context)
        dumps.append(DumpFile.of(syntax, path))
    catalog = folder / CATALOG_FILE
    with atomic_output(catalog) as out:
        out.write(record(published, dumps, base_url))
    return [d.path for d in dumps] + [catalog]
