"""schema.org JSON-LD of one node, for search engines (embedded in its HTML page).

A fixed, reviewed mapping from the graph's classes and properties to schema.org types and to properties that
schema.org defines for those types (the tests check every type and property, and each property's domain and range,
against the schema.org vocabulary). A node of a class the mapping does not know gets no schema.org description.
Values are the node's own statements only; linked nodes appear as ``{"@id", "name"}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from gfmdkg.namespaces import DEF, PREFIXES

SCHEMA_CONTEXT = "https://schema.org"
_P = PREFIXES
RDF_TYPE = _P["rdf"] + "type"

#: graph class -> schema.org type; the first class of a node found here wins (most specific first)
TYPES: dict[str, str] = {
    DEF + "Practice": "Project",
    DEF + "Finding": "Claim",
    DEF + "Recommendation": "CreativeWork",
    DEF + "KeyMessage": "CreativeWork",
    _P["org"] + "Organization": "Organization",
    _P["bibo"] + "Report": "Report",
    _P["bibo"] + "AcademicArticle": "ScholarlyArticle",
    _P["bibo"] + "Webpage": "WebPage",
    _P["bibo"] + "Slideshow": "PresentationDigitalDocument",
    _P["bibo"] + "Document": "CreativeWork",
    _P["bibo"] + "DocumentPart": "CreativeWork",
    _P["schema"] + "Country": "Country",
    _P["schema"] + "Place": "Place",
    _P["schema"] + "Event": "Event",
    _P["dcat"] + "Dataset": "Dataset",
}
CREATIVE_WORKS = {"CreativeWork", "Claim", "Report", "ScholarlyArticle", "WebPage", "PresentationDigitalDocument",
                  "Dataset"}
ORGANIZATIONS = {"Organization", "Project"}
PLACES = {"Country", "Place"}


@dataclass(frozen=True)
class Prop:
    """How one graph property becomes a schema.org property: ``kind`` text (literals, English preferred; only
    those typed ``datatype`` when given), date, url (IRIs as strings) or node (``{"@id", "name"}``, with
    ``node_type`` when the range needs one)."""

    name: str
    kind: str
    node_type: str | None = None
    datatype: str | None = None


_THING = {
    _P["dcterms"] + "description": Prop("description", "text"),
    _P["skos"] + "definition": Prop("description", "text"),
    _P["skos"] + "altLabel": Prop("alternateName", "text"),
    _P["dcterms"] + "alternative": Prop("alternateName", "text"),
    _P["schema"] + "alternateName": Prop("alternateName", "text"),
    _P["skos"] + "exactMatch": Prop("sameAs", "url"),
    _P["owl"] + "sameAs": Prop("sameAs", "url"),
}
_CREATIVE_WORK = {
    _P["prov"] + "wasDerivedFrom": Prop("isBasedOn", "node", "CreativeWork"),
    _P["dcterms"] + "spatial": Prop("spatialCoverage", "node", "Place"),
    DEF + "outcomeDomain": Prop("about", "node"),
    _P["dcterms"] + "creator": Prop("author", "node"),
    _P["dcterms"] + "publisher": Prop("publisher", "node"),
    _P["dcterms"] + "date": Prop("datePublished", "date"),
    _P["dcterms"] + "issued": Prop("datePublished", "date"),
    _P["dcterms"] + "modified": Prop("dateModified", "date"),
    _P["dcterms"] + "isPartOf": Prop("isPartOf", "node", "CreativeWork"),
    _P["dcterms"] + "license": Prop("license", "url"),
    _P["dcat"] + "keyword": Prop("keywords", "text"),
    _P["dcat"] + "version": Prop("version", "text"),
    DEF + "authorAsGiven": Prop("creditText", "text"),
    _P["foaf"] + "page": Prop("subjectOf", "node", "WebPage"),
}
#: schema.org type -> graph property -> schema.org property (on top of the Thing properties)
PROPERTIES: dict[str, dict[str, Prop]] = {
    "Claim": {**_CREATIVE_WORK, _P["cito"] + "citesAsEvidence": Prop("citation", "node", "CreativeWork"),
              _P["prov"] + "wasDerivedFrom": Prop("appearance", "node", "CreativeWork")},
    "Project": {_P["dcterms"] + "spatial": Prop("areaServed", "node", "Place"),
                _P["schema"] + "funder": Prop("funder", "node", "Organization"),
                _P["prov"] + "wasDerivedFrom": Prop("subjectOf", "node", "CreativeWork"),
                _P["foaf"] + "page": Prop("subjectOf", "node", "WebPage")},
    "Organization": {_P["org"] + "subOrganizationOf": Prop("parentOrganization", "node", "Organization"),
                     _P["foaf"] + "page": Prop("subjectOf", "node", "WebPage"),
                     _P["prov"] + "wasDerivedFrom": Prop("subjectOf", "node", "CreativeWork")},
    "Place": {_P["schema"] + "containedInPlace": Prop("containedInPlace", "node", "Place"),
              _P["skos"] + "notation": Prop("identifier", "text", datatype=_P["euvoc"] + "ISO_3166_1_ALPHA_2")},
    "Event": {_P["schema"] + "superEvent": Prop("superEvent", "node", "Event"),
              _P["schema"] + "location": Prop("location", "node", "Place")},
}
NAME_PREDICATES = (_P["dcterms"] + "title", _P["skos"] + "prefLabel", _P["schema"] + "name", _P["foaf"] + "name",
                   _P["rdfs"] + "label")


def schema_type(types: Iterable[str]) -> str | None:
    """The schema.org type of a node with these graph classes, or None."""
    found = set(types)
    return next((t for cls, t in TYPES.items() if cls in found), None)


def _properties(stype: str) -> dict[str, Prop]:
    if stype in CREATIVE_WORKS:
        table = PROPERTIES.get(stype, _CREATIVE_WORK)
    elif stype in ORGANIZATIONS:
        table = PROPERTIES.get(stype, PROPERTIES["Organization"])
    elif stype in PLACES:
        table = PROPERTIES["Place"]
    else:
        table = PROPERTIES.get(stype, {})
    return {**_THING, **table}


def _text(terms: list[Mapping]) -> list[str]:
    """Literal values, English (or untagged) ones when there are any."""
    literals = [t for t in terms if t["type"] == "literal"]
    english = [t for t in literals if t.get("xml:lang", "en").lower().startswith("en")]
    return sorted({t["value"] for t in english or literals})


def _one_or_many(values: list) -> object:
    return values[0] if len(values) == 1 else values


def describe(iri: str, statements: Iterable[tuple[str, Mapping]], labels: Mapping[str, str],
             name: str | None = None) -> dict | None:
    """The schema.org description of ``iri`` from its (predicate IRI, SPARQL JSON term) ``statements``; ``labels``
    name linked nodes; ``name`` overrides the name found in the statements. None when its class is not mapped."""
    by_pred: dict[str, list[Mapping]] = {}
    for pred, term in statements:
        by_pred.setdefault(pred, []).append(term)
    stype = schema_type(t["value"] for t in by_pred.get(RDF_TYPE, []) if t["type"] == "uri")
    if stype is None:
        return None
    out: dict[str, object] = {"@context": SCHEMA_CONTEXT, "@type": stype, "@id": iri, "url": iri}
    if not name:
        name = next((v[0] for p in NAME_PREDICATES if (v := _text(by_pred.get(p, [])))), None)
    if name:
        out["name"] = name
    collected: dict[str, list] = {}
    for pred, prop in _properties(stype).items():
        terms = [t for t in by_pred.get(pred, []) if prop.datatype in (None, t.get("datatype"))]
        if prop.kind in ("text", "date"):
            values: list = _text(terms)
        elif prop.kind == "url":
            values = sorted({t["value"] for t in terms if t["type"] == "uri"})
        else:
            values = [_node(t["value"], labels, prop.node_type) for t in sorted(
                (t for t in terms if t["type"] == "uri"), key=lambda t: t["value"])]
        collected.setdefault(prop.name, []).extend(v for v in values if v not in collected.get(prop.name, []))
    out.update((k, _one_or_many(v)) for k, v in sorted(collected.items()) if v)
    return out


def _node(iri: str, labels: Mapping[str, str], node_type: str | None) -> dict:
    node: dict[str, str] = {"@id": iri}
    if node_type:
        node["@type"] = node_type
    if node_type == "WebPage":
        node["url"] = iri
    if iri in labels:
        node["name"] = labels[iri]
    return node
