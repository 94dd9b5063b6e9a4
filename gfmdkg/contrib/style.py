"""Turtle in the project's style (docs/CURATION.md): the standard prefix block, one node per paragraph (the main
node first, then its hash nodes), predicates in a fixed order, prefixed names with ``\\#`` for hash IRIs."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from gfmdkg.namespaces import PREFIXES

#: The prefixes of docs/CURATION.md, in its order.
CURATION_PREFIXES = ("gfmd", "practice", "finding", "rec", "msg", "source", "doc", "bp", "rr", "orgid", "country",
                     "event", "question", "gv", "ta", "tag", "od", "dir", "ch", "pg", "status", "basis", "vs", "otype",
                     "role", "gcm", "region", "review", "crole",
                     "dcterms", "dcat", "rdfs", "skos", "prov", "bibo", "cito", "org", "foaf",
                     "schema", "vcard", "xsd")
_ORDER = ["rdf:type", "dcterms:title", "rdfs:label", "skos:prefLabel", "dcterms:description", "gfmd:countryAsGiven",
          "dcterms:spatial", "gfmd:targetCountry", "gfmd:region", "gfmd:partnersAsGiven", "gfmd:partner",
          "schema:funder", "gfmd:implementedBy", "gfmd:coordinatedBy", "gfmd:thematicArea", "gfmd:tag",
          "gfmd:outcomeDomain",
          "gfmd:status", "dcterms:temporal", "gfmd:timeframeAsGiven", "gfmd:budget", "foaf:page", "gfmd:supports",
          "gfmd:qualifiedSupport", "gfmd:gcmObjective", "gfmd:qualifiedGcmMapping", "gfmd:relatedPractice",
          "gfmd:target", "gfmd:rationale", "gfmd:basis", "dcat:startDate", "dcat:endDate", "schema:value",
          "schema:currency", "gfmd:amountKind", "dcterms:isPartOf", "skos:editorialNote", "prov:wasDerivedFrom",
          "gfmd:sourceAsGiven", "dcterms:bibliographicCitation", "bibo:doi", "foaf:name", "vcard:fn", "vcard:hasEmail",
          "dcterms:contributor", "prov:wasAttributedTo", "dcterms:created", "dcterms:modified", "gfmd:contributedFrom",
          "dcat:contactPoint", "gfmd:reviewStatus", "prov:qualifiedAttribution", "prov:agent", "prov:hadRole",
          "gfmd:reviewDecision", "rdfs:comment"]
ORDER = {PREFIXES[p.split(":")[0]] + p.split(":")[1]: n for n, p in enumerate(_ORDER)}
_LOCAL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.\-#]*[A-Za-z0-9_\-#])?")


def prefix_block() -> str:
    return "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in CURATION_PREFIXES)


def term(t) -> str:
    """A term in Turtle: a prefixed name when one of the standard prefixes covers it, else N-Triples form."""
    if isinstance(t, ox.NamedNode):
        if t.value == PREFIXES["rdf"] + "type":
            return "a"
        best = max((p for p in CURATION_PREFIXES if t.value.startswith(PREFIXES[p])),
                   key=lambda p: len(PREFIXES[p]), default=None)
        if best is not None:
            local = t.value[len(PREFIXES[best]):]
            if local and _LOCAL.fullmatch(local):
                return f"{best}:{local.replace('#', chr(92) + '#')}"
        return f"<{t.value}>"
    integer = PREFIXES["xsd"] + "integer"
    if isinstance(t, ox.Literal) and t.datatype.value == integer and re.fullmatch(r"-?\d+", t.value):
        return t.value
    if isinstance(t, ox.Literal) and t.datatype.value not in (PREFIXES["xsd"] + "string",
                                                              PREFIXES["rdf"] + "langString"):
        return _string(t.value) + "^^" + term(t.datatype)
    return str(t)


def _string(value: str) -> str:
    return str(ox.Literal(value))


def _key(t) -> tuple:
    return (type(t).__name__, str(t))


def serialize(quads: Iterable[ox.Quad], main: str | None = None, header: str = "") -> str:
    """Triples of ``quads`` as project-style Turtle; ``main`` (and its hash nodes, in order) first."""
    by_subject: dict[str, dict[ox.NamedNode, list]] = defaultdict(lambda: defaultdict(list))
    subjects: dict[str, ox.NamedNode | ox.BlankNode] = {}
    for q in quads:
        key = str(q.subject)
        subjects[key] = q.subject
        if q.object not in by_subject[key][q.predicate]:
            by_subject[key][q.predicate].append(q.object)

    def subject_order(key: str) -> tuple:
        value = subjects[key].value
        base = value.split("#", 1)[0]
        return (base != main if main else False, base, "#" in value, value)

    out = [header.rstrip("\n") + "\n" if header else "", prefix_block()]
    for key in sorted(subjects, key=subject_order):
        preds = sorted(by_subject[key], key=lambda p: (ORDER.get(p.value, len(ORDER)), p.value))
        lines = []
        for p in preds:
            objects = by_subject[key][p]
            if p.value not in (PREFIXES["rdfs"] + "label", PREFIXES["dcterms"] + "title"):
                objects = sorted(objects, key=_key) if p.value != PREFIXES["rdf"] + "type" else objects
            lines.append(f"    {term(p)} " + ", ".join(term(o) for o in objects))
        out.append("\n" + term(subjects[key]) + " " + " ;\n".join(lines).lstrip() + " .\n")
    return "".join(out)
