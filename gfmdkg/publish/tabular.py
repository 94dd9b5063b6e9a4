"""Tabular exports for registries that take spreadsheets: one CSV per class, and a CSV in the order of the GFMD
Platform for Partnerships (PfP) contribution form.

Columns are fixed (listed in :data:`TABLES`; a new column is only ever appended), one row per node sorted by IRI,
several values in one cell sorted and joined with ``"; "``, IRIs written in full. Text cells prefer the English
literal. Output is deterministic: UTF-8, RFC 4180 quoting, CRLF line ends. Cells a spreadsheet would run as a
formula get a leading ``'`` (:mod:`gfmdkg.spreadsheet`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from gfmdkg.namespaces import PREFIXES
from gfmdkg.spreadsheet import csv_text

SEP = "; "
P = PREFIXES
XSD_STRING = ox.NamedNode(P["xsd"] + "string")


def _iri(prefixed: str) -> ox.NamedNode:
    prefix, local = prefixed.split(":", 1)
    return ox.NamedNode(P[prefix] + local)


class Index:
    """Subject -> predicate -> objects over the union graph, for reading nodes column by column."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.out: dict[ox.Term, dict[ox.NamedNode, set[ox.Term]]] = defaultdict(lambda: defaultdict(set))
        for q in quads:
            self.out[q.subject][q.predicate].add(q.object)

    def objects(self, node: ox.Term, path: str) -> list[ox.Term]:
        """Objects reached by a path of prefixed names separated by '/', sorted."""
        current = {node}
        for step in path.split("/"):
            p = _iri(step)
            current = {o for n in current for o in self.out.get(n, {}).get(p, ())}
        return sorted(current, key=lambda t: (type(t).__name__, str(t)))

    def instances(self, cls: str) -> list[ox.NamedNode]:
        rdf_type, c = _iri("rdf:type"), _iri(cls)
        return sorted((s for s, props in self.out.items() if c in props.get(rdf_type, ()) and
                       isinstance(s, ox.NamedNode)), key=lambda n: n.value)

    def text(self, node: ox.Term, path: str) -> str:
        """One literal of ``path``: English first, then untagged, then the first in order."""
        lits = [o for o in self.objects(node, path) if isinstance(o, ox.Literal)]
        for pick in (lambda o: o.language == "en", lambda o: not o.language, lambda o: True):
            for o in lits:
                if pick(o):
                    return o.value
        return ""

    def label(self, node: ox.Term) -> str:
        for path in ("skos:prefLabel", "rdfs:label", "dcterms:title", "skos:notation"):
            value = self.text(node, path)
            if value:
                return value
        return node.value if isinstance(node, ox.NamedNode) else ""


Cell = Callable[[Index, ox.NamedNode], str]


def iris(path: str) -> Cell:
    return lambda ix, n: SEP.join(o.value for o in ix.objects(n, path) if isinstance(o, ox.NamedNode))


def labels(path: str) -> Cell:
    return lambda ix, n: SEP.join(sorted(ix.label(o) for o in ix.objects(n, path) if isinstance(o, ox.NamedNode)))


def text(path: str) -> Cell:
    return lambda ix, n: ix.text(n, path)


def values(path: str) -> Cell:
    return lambda ix, n: SEP.join(sorted(o.value for o in ix.objects(n, path) if isinstance(o, ox.Literal)))


def codes(path: str) -> Cell:
    """The plain-string literals of ``path``: a country's alpha-3 code, not its typed alpha-2 and numeric codes."""
    return lambda ix, n: SEP.join(sorted(o.value for o in ix.objects(n, path)
                                         if isinstance(o, ox.Literal) and o.datatype == XSD_STRING))


def _iri_cell(ix: Index, n: ox.NamedNode) -> str:
    return n.value


def _timeframe(ix: Index, n: ox.NamedNode) -> str:
    given = ix.text(n, "gfmd:timeframeAsGiven")
    if given:
        return given
    start, end = ix.text(n, "dcterms:temporal/dcat:startDate"), ix.text(n, "dcterms:temporal/dcat:endDate")
    return f"{start} – {end}" if start and end else start or (f"until {end}" if end else "")


def _source_in_gfmd(ix: Index, n: ox.NamedNode) -> str:
    """Where the practice appears in the GFMD documents: document, Annex entry, pages."""
    parts = ix.objects(n, "prov:wasDerivedFrom")
    docs = sorted({ix.label(d) for p in parts for d in ix.objects(p, "dcterms:isPartOf")
                   if _iri("bibo:Report") in ix.out.get(d, {}).get(_iri("rdf:type"), ())})
    pages = sorted({int(v) for p in parts if not ix.objects(p, "bibo:pageEnd")
                    for v in (ix.text(p, "bibo:pageStart"),) if v.isdigit()})
    bits = [SEP.join(docs)] if docs else []
    entry = ix.text(n, "gfmd:annexEntry")
    if entry:
        bits.append(f"Annex entry {entry}")
    if pages:
        bits.append(("p. " if len(pages) == 1 else "pp. ") + ", ".join(map(str, pages)))
    return ", ".join(bits)


@dataclass(frozen=True)
class Table:
    """A CSV table: the class whose instances are its rows, and its columns in order."""

    cls: str
    columns: tuple[tuple[str, Cell], ...]


_COUNTRIES = (("countries", codes("dcterms:spatial/skos:notation")), ("country_iris", iris("dcterms:spatial")),
              ("regions", iris("gfmd:region")))
_DERIVED = ("derived_from", iris("prov:wasDerivedFrom"))
_NOTE = ("editorial_note", text("skos:editorialNote"))

TABLES: dict[str, Table] = {
    "practices": Table("gfmd:Practice", (
        ("iri", _iri_cell), ("title", text("dcterms:title")), ("description", text("dcterms:description")),
        ("annex_entry", text("gfmd:annexEntry")), ("annex_section", iris("gfmd:annexSection")),
        ("country_as_given", text("gfmd:countryAsGiven")), *_COUNTRIES,
        ("target_countries", codes("gfmd:targetCountry/skos:notation")),
        ("partners_as_given", text("gfmd:partnersAsGiven")), ("partners", labels("gfmd:partner")),
        ("partner_iris", iris("gfmd:partner")), ("funded_by", iris("schema:funder")),
        ("implemented_by", iris("gfmd:implementedBy")), ("coordinated_by", iris("gfmd:coordinatedBy")),
        ("thematic_areas", labels("gfmd:thematicArea")), ("thematic_area_iris", iris("gfmd:thematicArea")),
        ("tags", labels("gfmd:tag")), ("tag_iris", iris("gfmd:tag")), ("status", iris("gfmd:status")),
        ("start_date", text("dcterms:temporal/dcat:startDate")), ("end_date", text("dcterms:temporal/dcat:endDate")),
        ("timeframe_as_given", text("gfmd:timeframeAsGiven")), ("web_links", iris("foaf:page")),
        ("supports", iris("gfmd:supports")), ("gcm_objectives", iris("gfmd:gcmObjective")),
        ("related_practices", iris("gfmd:relatedPractice")), _DERIVED, _NOTE,
        ("source_as_given", text("gfmd:sourceAsGiven")), ("contributed_by", values("dcterms:contributor/foaf:name")),
        ("contributed_on", text("dcterms:created")), ("review_status", iris("gfmd:reviewStatus")))),
    "findings": Table("gfmd:Finding", (
        ("iri", _iri_cell), ("label", text("rdfs:label")), ("description", text("dcterms:description")),
        ("outcome_domains", iris("gfmd:outcomeDomain")), ("effect_direction", iris("gfmd:effectDirection")),
        ("channels", iris("gfmd:channel")), ("population_groups", iris("gfmd:populationGroup")), *_COUNTRIES,
        ("cites", iris("cito:citesAsEvidence")),
        ("cited_as", values("cito:citesAsEvidence/dcterms:bibliographicCitation")),
        ("uncited", text("gfmd:uncited")), ("evidence_for", iris("gfmd:isEvidenceFor")), _DERIVED, _NOTE)),
    "sources": Table("bibo:Document", (
        ("iri", _iri_cell), ("label", text("rdfs:label")),
        ("bibliographic_citation", text("dcterms:bibliographicCitation")), ("authors", values("gfmd:authorAsGiven")),
        ("date", text("dcterms:date")), ("title", text("dcterms:title")), ("web_links", iris("foaf:page")),
        _DERIVED, _NOTE)),
    "recommendations": Table("gfmd:Recommendation", (
        ("iri", _iri_cell), ("label", text("rdfs:label")), ("description", text("dcterms:description")),
        ("number", text("gfmd:recommendationNumber")), ("source_document", iris("dcterms:source")),
        ("proposed_at", iris("gfmd:proposedAt")), ("outcome_domains", iris("gfmd:outcomeDomain")),
        ("restates", iris("gfmd:restates")), ("gcm_objectives", iris("gfmd:gcmObjective")), _DERIVED, _NOTE)),
    "organisations": Table("org:Organization", (
        ("iri", _iri_cell), ("name", text("skos:prefLabel")), ("other_names", values("skos:altLabel")),
        ("org_type", iris("org:classification")), ("sub_organization_of", iris("org:subOrganizationOf")),
        ("countries", codes("dcterms:spatial/skos:notation")), ("country_iris", iris("dcterms:spatial")),
        _DERIVED, _NOTE)),
    # The GFMD Platform for Partnerships contribution form, field by field in its order; the IRI comes last.
    "pfp": Table("gfmd:Practice", (
        ("Title", text("dcterms:title")), ("Summary", text("dcterms:description")),
        ("Countries", labels("dcterms:spatial")), ("Partners", labels("gfmd:partner")),
        ("Thematic areas", labels("gfmd:thematicArea")), ("Tags", labels("gfmd:tag")),
        ("Source in the GFMD context", _source_in_gfmd), ("Contact", text("dcat:contactPoint/vcard:fn")),
        ("Web links", iris("foaf:page")), ("Timeframe", _timeframe), ("gfmdkg IRI", _iri_cell))),
}


def table_rows(index: Index, name: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of table ``name``."""
    table = TABLES[name]
    header = [col for col, _ in table.columns]
    rows = [[cell(index, node) for _, cell in table.columns] for node in index.instances(table.cls)]
    return header, rows


def to_csv(index: Index, name: str) -> bytes:
    header, rows = table_rows(index, name)
    return csv_text(header, rows).encode("utf-8")
