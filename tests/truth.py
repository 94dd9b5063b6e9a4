"""Expected answers computed straight from the curated Turtle files with rdflib and plain Python (no SPARQL), so the
saved queries are checked against the data by a second, independent route. Nothing here is hard-coded: the
answers follow the files as curators add to them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import rdflib
from rdflib import RDF, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS, SKOS

GFMD = rdflib.Namespace("https://w3id.org/gfmdkg/def#")
CITO = rdflib.Namespace("http://purl.org/spar/cito/")
BIBO = rdflib.Namespace("http://purl.org/ontology/bibo/")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
SCHEMA = rdflib.Namespace("https://schema.org/")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
ID = "https://w3id.org/gfmdkg/id/"
COUNTRY = ID + "country/"
OD = rdflib.Namespace("https://w3id.org/gfmdkg/vocab/outcome-domain/")
DIR = rdflib.Namespace("https://w3id.org/gfmdkg/vocab/effect-direction/")
TAG = rdflib.Namespace("https://w3id.org/gfmdkg/vocab/tag/")
BP_DOC = URIRef(ID + "document/gfmd2014-rt32-background-paper")
STATED = URIRef("https://w3id.org/gfmdkg/vocab/link-basis/stated-in-source")
QUALIFIER = {GFMD.supports: GFMD.qualifiedSupport, GFMD.isEvidenceFor: GFMD.qualifiedEvidence}
ROLES = (GFMD.partner, SCHEMA.funder, GFMD.implementedBy, GFMD.coordinatedBy, GFMD.accountableOrganisation,
         GFMD.extendingOrganisation)
#: the gap map's tag -> outcome domain rule (documented in queries/evidence-gap-map.rq)
TAG_DOMAINS = {TAG["migration-and-health"]: OD.health, TAG["migration-and-education"]: OD.education}


def load(root: Path) -> rdflib.Graph:
    g = rdflib.Graph()
    files = sorted((root / "data").glob("*.ttl")) + sorted((root / "ontology" / "vocab").glob("*.ttl"))
    for path in files:
        g.parse(data=path.read_bytes(), format="turtle")
    return g


@dataclass
class Truth:
    g: rdflib.Graph

    def s(self, p, o) -> set:
        return set(self.g.subjects(p, o))

    def o(self, s, p) -> set:
        return set(self.g.objects(s, p))

    # ------------------------------------------------------------------ kinds
    @cached_property
    def practices(self) -> set:
        return self.s(RDF.type, GFMD.Practice)

    @cached_property
    def findings(self) -> set:
        return self.s(RDF.type, GFMD.Finding)

    @cached_property
    def recommendations(self) -> set:
        return self.s(RDF.type, GFMD.Recommendation)

    @cached_property
    def works(self) -> set:
        return self.s(RDF.type, BIBO.Document) - self.s(RDF.type, BIBO.Report)

    @cached_property
    def domains(self) -> set:
        return {c for c in self.s(SKOS.inScheme, URIRef("https://w3id.org/gfmdkg/vocab/outcome-domains"))}

    # ------------------------------------------------------------------ links and what the source states
    def stated(self, node, prop, target) -> bool:
        """The link ``node prop target`` has a qualified node with basis 'stated in source'."""
        return any((q, GFMD.target, target) in self.g and (q, GFMD.basis, STATED) in self.g
                   for q in self.o(node, QUALIFIER[prop]))

    def supporters(self, rec, source_only: bool = False) -> set:
        return {p for p in self.s(GFMD.supports, rec) if not source_only or self.stated(p, GFMD.supports, rec)}

    def evidence(self, rec, source_only: bool = False) -> set:
        return {f for f in self.s(GFMD.isEvidenceFor, rec)
                if not source_only or self.stated(f, GFMD.isEvidenceFor, rec)}

    def curators_classified(self, practice, prop) -> set:
        """Concepts of ``practice prop ?c`` that a gfmd:Classification marks with a basis other than the source."""
        return {self.g.value(c, GFMD.target) for c in self.o(practice, GFMD.qualifiedClassification)
                if (c, GFMD.classificationProperty, prop) in self.g and (c, GFMD.basis, STATED) not in self.g}

    def concepts(self, practice, prop, source_only: bool = False) -> set:
        return self.o(practice, prop) - (self.curators_classified(practice, prop) if source_only else set())

    def citing(self, work) -> set:
        return self.s(CITO.citesAsEvidence, work)

    def places(self, node) -> set:
        return {c for c in self.o(node, DCTERMS.spatial) | self.o(node, GFMD.targetCountry)
                if str(c).startswith(COUNTRY)}

    def sub_units(self, org) -> set:
        """The organisation and every office below it (org:subOrganizationOf, transitively)."""
        out, todo = {org}, [org]
        while todo:
            for child in self.s(ORG.subOrganizationOf, todo.pop()):
                if child not in out:
                    out.add(child)
                    todo.append(child)
        return out

    def orgs_of(self, practice, roles=ROLES) -> set:
        return {o for r in roles for o in self.o(practice, r)}

    def practices_of(self, org, roles=ROLES) -> set:
        return {p for r in roles for p in self.s(r, org)}

    def year_span(self, practice) -> tuple[int, int | None] | None:
        for period in self.o(practice, DCTERMS.temporal):
            start = next(iter(self.o(period, DCAT.startDate)), None)
            if start is None:
                continue
            end = next(iter(self.o(period, DCAT.endDate)), None)
            return int(str(start)[:4]), int(str(end)[:4]) if end is not None else None
        return None

    def direction(self, finding):
        return next(iter(self.o(finding, GFMD.effectDirection)))

    # ------------------------------------------------------------------ the gap map, by its documented rule
    def practice_domains(self, practice, source_only: bool = False) -> set:
        tags = self.concepts(practice, GFMD.tag, source_only)
        return self.o(practice, GFMD.outcomeDomain) | {d for t, d in TAG_DOMAINS.items() if t in tags}

    def gap_cells(self, source_only: bool = False) -> dict:
        """(rec, domain) -> counts, as queries/evidence-gap-map.rq defines them (source_only: its parameter)."""
        cells: dict = defaultdict(lambda: defaultdict(int))
        for rec in self.recommendations:
            for d, items in self.gap_items(rec, source_only).items():
                for _item, key in items:
                    cells[(rec, d)][key] += 1
        return cells

    def gap_items(self, rec, source_only: bool = False) -> dict:
        """domain -> {(item, count name)} of one recommendation, by the documented rule of evidence-gap-map.rq."""
        out: dict = defaultdict(set)
        rec_domains = self.o(rec, GFMD.outcomeDomain)
        for p in self.supporters(rec, source_only):
            for d in (self.practice_domains(p, source_only) & rec_domains) or rec_domains:
                out[d].add((p, "practices"))
        for f in self.evidence(rec, source_only):
            key = {DIR.positive: "positive", DIR.negative: "negative", DIR.mixed: "mixed",
                   DIR["no-effect"]: "noEffect", DIR["not-applicable"]: "descriptive"}[self.direction(f)]
            for d in self.o(f, GFMD.outcomeDomain):
                out[d].add((f, key))
        return out

    def regions(self, node) -> set:
        """The regions of a practice or finding (its own and its countries' UN M49 regions) and every wider one."""
        countries = self.o(node, DCTERMS.spatial)
        start = self.o(node, GFMD.region) | {r for c in countries for r in self.o(c, GFMD.m49Region)}
        return {w for r in start for w in self.g.transitive_objects(r, SKOS.broader)}

    def label(self, node) -> str:
        return str(next(iter(self.o(node, RDFS.label)), ""))

    def locators(self, node) -> set:
        return self.o(node, PROV.wasDerivedFrom)
