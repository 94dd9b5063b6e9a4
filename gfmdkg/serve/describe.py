"""The page of one resource: its properties, qualified links (rationale and basis), details from its hash-IRI
children, the links pointing at it, its source locators; for a recommendation, its supporting practices and the
evidence behind it."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from gfmdkg.namespaces import DEF, PREFIXES
from gfmdkg.publish import schemaorg
from gfmdkg.serve.contribution import Q_CONTRIBUTION, contribution
from gfmdkg.serve.display import PROLOGUE, RDF_TYPE, Value, href, param, shorten, value
from gfmdkg.serve.i18n import N_, _, current, sort_key
from gfmdkg.serve.linked import query_for
from gfmdkg.serve.published import Q_LINKS, links, located
from gfmdkg.serve.runner import QueryService
from gfmdkg.sparql.terms import uri

DESCRIPTION = PREFIXES["dcterms"] + "description"
DERIVED = PREFIXES["prov"] + "wasDerivedFrom"
SCHEMA_URL = PREFIXES["schema"] + "url"
TITLE_PREDICATES = {PREFIXES["dcterms"] + "title", PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "prefLabel"}
#: qualified-link property -> (heading, the plain property it qualifies)
QUALIFIED = {
    DEF + "qualifiedSupport": (N_("Supports these recommendations"), DEF + "supports"),
    DEF + "qualifiedEvidence": (N_("Evidence for these recommendations"), DEF + "isEvidenceFor"),
    DEF + "qualifiedGcmMapping": (N_("Global Compact for Migration objectives"), DEF + "gcmObjective"),
    DEF + "qualifiedClassification": (N_("Classifications and statuses: whose choice"),
                                      DEF + "qualifiedClassification"),
}
STATED = "https://w3id.org/gfmdkg/vocab/link-basis/stated-in-source"
CURATORS = "https://w3id.org/gfmdkg/vocab/link-basis/curators-judgement"
CHOICE, CODING = N_("(curators' choice)"), N_("(curators' coding)")
INVERSE = {
    DEF + "supports": N_("Practices that support it"),
    DEF + "isEvidenceFor": N_("Findings that are evidence for it"),
    PREFIXES["dcterms"] + "spatial": N_("Practices, findings and organisations about this place"),
    DEF + "targetCountry": N_("Practices meant to benefit this country"),
    DEF + "partner": N_("Practices with this partner"),
    PREFIXES["schema"] + "funder": N_("Practices it funds"),
    DEF + "implementedBy": N_("Practices it implements"),
    DEF + "coordinatedBy": N_("Practices it coordinates"),
    DEF + "thematicArea": N_("Practices in this thematic area"),
    DEF + "tag": N_("Practices with this tag"),
    DEF + "gcmObjective": N_("Practices and recommendations mapped to it"),
    PREFIXES["cito"] + "citesAsEvidence": N_("Findings that cite this work"),
    DERIVED: N_("Statements taken from here"),
    PREFIXES["dcterms"] + "isPartOf": N_("Parts"),
    PREFIXES["skos"] + "inScheme": N_("Concepts in this scheme"),
    PREFIXES["skos"] + "topConceptOf": N_("Top concepts"),
    PREFIXES["org"] + "subOrganizationOf": N_("Sub-organisations"),
    DEF + "relatedPractice": N_("Related practices"),
    DEF + "restates": N_("Restated by"),
    DEF + "outcomeDomain": N_("Findings and recommendations in this outcome domain"),
    DEF + "effectDirection": N_("Findings with this effect direction"),
    DEF + "channel": N_("Findings about this channel"),
    DEF + "populationGroup": N_("Findings about this group"),
    PREFIXES["org"] + "classification": N_("Organisations of this type"),
    DEF + "answersQuestion": N_("Practices answering this question"),
    DEF + "annexSection": N_("Annex entries in this section"),
    DEF + "session": N_("Key messages of this session"),
    DEF + "proposedAt": N_("Recommendations proposed here"),
    PREFIXES["schema"] + "superEvent": N_("Sessions"),
    RDF_TYPE: N_("Instances"),
    PREFIXES["dcterms"] + "source": N_("Recommendations from this document"),
    PREFIXES["dcterms"] + "publisher": N_("Publications"),
    DEF + "preparedFor": N_("Documents prepared for it"),
    DEF + "aboutPractice": N_("Findings about this practice"),
    PREFIXES["void"] + "exampleResource": N_("Given as an example by"),
}
NAMES = {  # friendly names of reused properties the graph does not label itself
    PREFIXES["dcterms"] + "created": N_("Created"), PREFIXES["dcterms"] + "modified": N_("Modified"),
    PREFIXES["dcterms"] + "contributor": N_("Contributor"), PREFIXES["prov"] + "wasAttributedTo": N_("Attributed to"),
    PREFIXES["prov"] + "qualifiedAttribution": N_("Attribution"), PREFIXES["prov"] + "agent": N_("Agent"),
    PREFIXES["prov"] + "hadRole": N_("Role"), PREFIXES["dcat"] + "contactPoint": N_("Contact point"),
    PREFIXES["foaf"] + "name": N_("Name"), PREFIXES["vcard"] + "fn": N_("Contact as given"),
    PREFIXES["vcard"] + "hasEmail": N_("E-mail"), PREFIXES["bibo"] + "doi": N_("DOI"),
    PREFIXES["dcterms"] + "spatial": N_("Countries"), PREFIXES["dcterms"] + "temporal": N_("Period"),
    PREFIXES["foaf"] + "page": N_("Web links"), PREFIXES["skos"] + "editorialNote": N_("Editorial note"),
    PREFIXES["skos"] + "altLabel": N_("Also called"), PREFIXES["skos"] + "definition": N_("Definition"),
    PREFIXES["skos"] + "inScheme": N_("In scheme"), PREFIXES["skos"] + "notation": N_("Code"),
    PREFIXES["skos"] + "exactMatch": N_("Same as"), PREFIXES["skos"] + "closeMatch": N_("Close match"),
    PREFIXES["skos"] + "broader": N_("Broader"), PREFIXES["skos"] + "narrower": N_("Narrower"),
    PREFIXES["skos"] + "topConceptOf": N_("Top concept of"), PREFIXES["skos"] + "hasTopConcept": N_("Top concepts"),
    PREFIXES["cito"] + "citesAsEvidence": N_("Cited works"), PREFIXES["dcterms"] + "source": N_("Document"),
    PREFIXES["dcterms"] + "bibliographicCitation": N_("Citation"), PREFIXES["dcterms"] + "date": N_("Date"),
    PREFIXES["dcterms"] + "isPartOf": N_("Part of"), PREFIXES["dcterms"] + "issued": N_("Issued"),
    PREFIXES["dcterms"] + "publisher": N_("Publisher"), PREFIXES["dcterms"] + "license": N_("Licence"),
    PREFIXES["org"] + "subOrganizationOf": N_("Part of organisation"), PREFIXES["bibo"] + "pageStart": N_("Page"),
    PREFIXES["bibo"] + "numPages": N_("Pages"), PREFIXES["schema"] + "value": N_("Value"),
    PREFIXES["schema"] + "currency": N_("Currency"), PREFIXES["schema"] + "unitText": N_("Unit"),
    PREFIXES["schema"] + "superEvent": N_("Part of event"), PREFIXES["schema"] + "startDate": N_("Start"),
    PREFIXES["schema"] + "endDate": N_("End"), PREFIXES["schema"] + "location": N_("Location"),
    "http://www.w3.org/ns/dcat#startDate": N_("Start"), "http://www.w3.org/ns/dcat#endDate": N_("End"),
    PREFIXES["rdfs"] + "comment": N_("Comment"), PREFIXES["rdfs"] + "seeAlso": N_("See also"),
    PREFIXES["rdfs"] + "subClassOf": N_("Subclass of"), PREFIXES["rdfs"] + "subPropertyOf": N_("Subproperty of"),
    PREFIXES["rdfs"] + "domain": N_("Domain"), PREFIXES["rdfs"] + "range": N_("Range"),
    PREFIXES["owl"] + "versionInfo": N_("Version"), PREFIXES["owl"] + "versionIRI": N_("Version IRI"),
    PREFIXES["gfmd"] + "authorAsGiven": N_("Authors (as given)"),
    PREFIXES["org"] + "classification": N_("Organisation type"), PREFIXES["schema"] + "funder": N_("Funded by"),
    PREFIXES["dcterms"] + "isReferencedBy": N_("Mentioned in"),
    SCHEMA_URL: N_("Published at"), PREFIXES["schema"] + "encodingFormat": N_("File format"),
}
HIDDEN = (TITLE_PREDICATES | {RDF_TYPE, DESCRIPTION, DERIVED} | {plain for _, plain in QUALIFIED.values()}
          | set(QUALIFIED))

Q_OUT = PROLOGUE + "SELECT ?this ?p ?o WHERE { ?this ?p ?o }"
Q_CHILDREN = PROLOGUE + """SELECT ?this ?link ?c ?p ?o WHERE {
  ?this ?link ?c . FILTER(isIRI(?c) && STRSTARTS(STR(?c), CONCAT(STR(?this), "#")))
  ?c ?p ?o
}"""
Q_IN = PROLOGUE + """SELECT ?this ?s ?p WHERE {
  ?s ?p ?this . FILTER(!CONTAINS(STR(?s), "#") || STRSTARTS(STR(?s), \"""" + DEF + """\"))
} LIMIT 3000"""
CARDS = 100  # supporting practices and findings shown on a page (the first by IRI); the rest are a link away
# NB: a bound variable (?this) reaches into a subquery only when the subquery projects it.
Q_SUPPORTERS = PROLOGUE + """SELECT ?this ?practice ?rationale ?basis ?loc WHERE {
  { SELECT DISTINCT ?this ?practice WHERE { ?practice gfmd:supports ?this } ORDER BY ?practice LIMIT CARDS }
  OPTIONAL { ?practice gfmd:qualifiedSupport ?l . ?l gfmd:target ?this .
             OPTIONAL { ?l gfmd:rationale ?rationale } OPTIONAL { ?l gfmd:basis ?basis } }
  OPTIONAL { ?practice prov:wasDerivedFrom ?loc }
}""".replace("CARDS", str(CARDS))
Q_EVIDENCE = PROLOGUE + """SELECT ?this ?finding ?direction ?domain ?rationale ?basis ?work ?loc ?uncited WHERE {
  { SELECT DISTINCT ?this ?finding WHERE { ?finding gfmd:isEvidenceFor ?this } ORDER BY ?finding LIMIT CARDS }
  OPTIONAL { ?finding gfmd:effectDirection ?direction }
  OPTIONAL { ?finding gfmd:outcomeDomain ?domain }
  OPTIONAL { ?finding gfmd:qualifiedEvidence ?l . ?l gfmd:target ?this .
             OPTIONAL { ?l gfmd:rationale ?rationale } OPTIONAL { ?l gfmd:basis ?basis } }
  OPTIONAL { ?finding cito:citesAsEvidence ?work }
  OPTIONAL { ?finding prov:wasDerivedFrom ?loc }
  OPTIONAL { ?finding gfmd:uncited ?uncited }
}""".replace("CARDS", str(CARDS))
# the properties of this node whose every statement is the curators' coding (gfmd:statementBasis in the ontology)
Q_CODED = PROLOGUE + f"SELECT DISTINCT ?this ?p WHERE {{ ?this ?p ?o . ?p gfmd:statementBasis <{CURATORS}> }}"
Q_LINK_COUNTS = PROLOGUE + """SELECT ?this ?kind ?direction (COUNT(DISTINCT ?x) AS ?n) WHERE {
  { ?x gfmd:supports ?this . BIND("practices" AS ?kind) }
  UNION { ?x gfmd:isEvidenceFor ?this . BIND("findings" AS ?kind) OPTIONAL { ?x gfmd:effectDirection ?direction } }
} GROUP BY ?this ?kind ?direction"""



@dataclass
class Resource:
    iri: str
    title: str
    types: list[Value] = field(default_factory=list)
    description: str = ""
    properties: list[tuple[str, list[Value]]] = field(default_factory=list)
    qualified: list[dict] = field(default_factory=list)
    details: list[dict] = field(default_factory=list)
    locators: list[Value] = field(default_factory=list)
    incoming: list[dict] = field(default_factory=list)
    supporters: list[dict] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    supporters_total: int = 0
    evidence_total: int = 0
    evidence_summary: str = ""  # '4 positive, 1 negative, 5 not applicable'
    title_lang: str | None = None
    description_lang: str | None = None
    is_recommendation: bool = False
    contribution: dict | None = None  # who contributed it and its review (serve/contribution.py); None: curated
    schemaorg: dict | None = None  # schema.org JSON-LD embedded in the page (gfmdkg.publish.schemaorg)
    #: a locator's or GFMD document's own place in the published document: {"link": address or None}; None for
    #: other nodes
    publication: dict | None = None



class Name(str):
    """A property name as shown, with the language of the label it comes from (None: the page's language)."""

    lang: str | None = None


def _prop_name(iri: str, labels: dict[str, str]) -> Name:
    text = _(NAMES[iri]) if iri in NAMES else labels.get(iri) or shorten(iri)
    name = Name(text[:1].upper() + text[1:])
    if iri not in NAMES and hasattr(labels, "lang_of"):
        name.lang = labels.lang_of(iri)
    return name


def _inverse_name(pred: str, labels: dict[str, str]) -> str:
    if pred in INVERSE:
        return _(INVERSE[pred])
    return _("Linked as ‘%(name)s’ from") % {"name": _prop_name(pred, labels).lower()}


FIRST = (N_("Start"), N_("End"))


def _group(pairs: list[tuple[str, Value]], labels: dict[str, str], inverse: bool = False):
    """Values grouped by property name (inverse names for incoming links), names in reading order."""
    grouped: dict[str, dict[str, Value]] = defaultdict(dict)
    for pred, v in pairs:
        grouped[pred][(v.href or "") + "\0" + v.text] = v
    out = []
    for pred, values in grouped.items():
        name = _inverse_name(pred, labels) if inverse else _prop_name(pred, labels)
        out.append((name, sorted(values.values(), key=lambda v: v.sort_key)))
    first = [_(f) for f in FIRST]
    out.sort(key=lambda kv: (first.index(kv[0]) if kv[0] in first else len(first), sort_key(kv[0])))
    return out


def _pick_title(rows: list[dict], labels: dict[str, str], iri: str) -> tuple[str, str | None]:
    """The title and its language: the page's language first, then English."""
    lang = current()
    for pred in (PREFIXES["dcterms"] + "title", PREFIXES["skos"] + "prefLabel", PREFIXES["rdfs"] + "label"):
        values = [r["o"] for r in rows if r["p"]["value"] == pred and r["o"]["type"] == "literal"]
        if values:
            values.sort(key=lambda t: (t.get("xml:lang") != lang, t.get("xml:lang") not in ("en", None), t["value"]))
            return values[0]["value"], values[0].get("xml:lang")
    return labels.get(iri) or shorten(iri), None


def resource(service: QueryService, iri: str) -> Resource | None:
    """Everything the page of ``iri`` shows, or None when the graph says nothing about it."""
    this = {"this": uri(iri)}
    results, labels = service.select([(Q_OUT, this), (Q_CHILDREN, this), (Q_IN, this), (Q_SUPPORTERS, this),
                                      (Q_EVIDENCE, this), (Q_LINK_COUNTS, this), (Q_CONTRIBUTION, this),
                                      (Q_CODED, this), (Q_LINKS, {})])
    out, children, incoming, supporters, evidence, link_counts, contributed, coded, published_rows = results
    if not out and not incoming:
        return None
    title, title_lang = _pick_title(out, labels, iri)
    res = Resource(iri, title, title_lang=title_lang)
    res.contribution = contribution(contributed)
    res.schemaorg = schemaorg.describe(iri, [(r["p"]["value"], r["o"]) for r in out], labels, name=res.title)
    res.types = sorted({r["o"]["value"]: value(r["o"], labels) for r in out if r["p"]["value"] == RDF_TYPE}
                       .values(), key=lambda v: v.sort_key)
    res.is_recommendation = any(t["o"]["value"] == DEF + "Recommendation" for t in out if t["p"]["value"] == RDF_TYPE)
    descriptions = [r["o"] for r in out if r["p"]["value"] == DESCRIPTION]
    descriptions.sort(key=lambda t: t.get("xml:lang") not in ("en", None))
    res.description = descriptions[0]["value"] if descriptions else ""
    res.description_lang = descriptions[0].get("xml:lang") if descriptions else None
    published = links(published_rows)
    res.locators = located(sorted({r["o"]["value"]: value(r["o"], labels) for r in out
                                   if r["p"]["value"] == DERIVED}.values(), key=lambda v: _locator_order(v)),
                           published)
    res.publication = _publication(iri, out, published)
    child_iris = {r["c"]["value"] for r in children}
    chosen = _curators_choices(children)
    res.properties = _coded(_group([(r["p"]["value"], _marked(r, labels, chosen)) for r in out
                                    if r["p"]["value"] not in HIDDEN and r["o"]["value"] not in child_iris], labels),
                            {_prop_name(r["p"]["value"], labels) for r in coded})
    res.qualified, res.details = _children(children, labels)
    res.incoming = _incoming(iri, incoming, labels)
    res.supporters = _supporters(supporters, labels)
    res.evidence = _evidence(evidence, labels)
    for entry in res.supporters + res.evidence:
        entry["loc"] = located(entry["loc"], published)
    by_direction: dict[str, int] = defaultdict(int)
    for r in link_counts:
        n = int(r["n"]["value"])
        if r["kind"]["value"] == "practices":
            res.supporters_total += n
        else:
            res.evidence_total += n
            d = r.get("direction")
            by_direction[value(d, labels).text.lower() if d else _("direction not given")] += n
    ordered = sorted(by_direction.items(), key=lambda kv: (-kv[1], kv[0]))
    res.evidence_summary = ", ".join(f"{n} {d}" for d, n in ordered)
    if res.supporters:
        res.incoming = [g for g in res.incoming if g["name"] != _(INVERSE[DEF + "supports"])]
    if res.evidence:
        res.incoming = [g for g in res.incoming if g["name"] != _(INVERSE[DEF + "isEvidenceFor"])]
    return res


#: incoming property -> the list page and facet that show all of its subjects
FACET_OF = {
    PREFIXES["dcterms"] + "spatial": ("practices", "country"), DEF + "tag": ("practices", "tag"),
    DEF + "thematicArea": ("practices", "area"), DEF + "gcmObjective": ("practices", "gcm"),
    DEF + "supports": ("practices", "rec"), DEF + "partner": ("practices", "org"),
    DEF + "outcomeDomain": ("findings", "domain"), DEF + "effectDirection": ("findings", "direction"),
    DEF + "channel": ("findings", "channel"), PREFIXES["cito"] + "citesAsEvidence": ("findings", "source"),
    DEF + "isEvidenceFor": ("findings", "rec"), PREFIXES["org"] + "classification": ("organisations", "type"),
}
SHOWN = 60


def _incoming(iri: str, rows: list[dict], labels: dict[str, str]) -> list[dict]:
    """Links pointing at ``iri``, grouped; long groups cut to the first ones, with a link to the full list."""
    by_pred: dict[str, str] = {}
    groups = []
    for r in rows:
        by_pred.setdefault(_inverse_name(r["p"]["value"], labels), r["p"]["value"])
    for name, values in _group([(r["p"]["value"], value(r["s"], labels)) for r in rows], labels, inverse=True):
        pred = by_pred.get(name)
        more = None
        if len(values) > SHOWN and pred in FACET_OF:
            page, facet = FACET_OF[pred]
            more = f"/{page}?{urlencode({facet: param(iri)})}"
        groups.append({"name": name, "values": values[:SHOWN], "total": len(values), "more": more})
    return groups


def _curators_choices(children: list[dict]) -> set[tuple[str, str]]:
    """(property, concept) of the statements a gfmd:Classification child marks with a basis other than the source."""
    nodes: dict[str, dict[str, str]] = defaultdict(dict)
    for r in children:
        if r["link"]["value"] == DEF + "qualifiedClassification":
            nodes[r["c"]["value"]][r["p"]["value"]] = r["o"]["value"]
    return {(n.get(DEF + "classificationProperty", ""), n.get(DEF + "target", "")) for n in nodes.values()
            if n.get(DEF + "basis", STATED) != STATED}


def _coded(groups: list, names: set[str]) -> list:
    """Property groups, the names of those that are always the curators' coding marked so."""
    out = []
    for name, values in groups:
        if name in names:
            marked = Name(name + " " + _(CODING))
            marked.lang = getattr(name, "lang", None)
            name = marked
        out.append((name, values))
    return out


def _marked(row: dict, labels: dict[str, str], chosen: set[tuple[str, str]]) -> Value:
    """The value of one statement, marked when the curators chose it."""
    v = value(row["o"], labels)
    if (row["p"]["value"], row["o"]["value"]) in chosen:
        v.text += " " + _(CHOICE)
    return v


def _publication(iri: str, out: list[dict], published: dict[str, str]) -> dict | None:
    """Where a locator or a GFMD document (a bibo:Report) is published, for its own page; None for other nodes."""
    types = {r["o"]["value"] for r in out if r["p"]["value"] == RDF_TYPE}
    if PREFIXES["bibo"] + "DocumentPart" in types:
        return {"link": published.get(href(iri))}
    if PREFIXES["bibo"] + "Report" in types:
        return {"link": next((r["o"]["value"] for r in out if r["p"]["value"] == SCHEMA_URL), None)}
    return None


def _locator_order(v: Value) -> tuple:
    nums = [int(n) for n in re.findall(r"\d+", v.text)]
    return (v.text.split(",")[0], "fn" in (v.href or "") or "footnote" in v.text.lower(), nums, v.text)


def _children(rows: list[dict], labels: dict[str, str]) -> tuple[list[dict], list[dict]]:
    """Hash-IRI children: qualified links (target, rationale, basis) by kind, and other details."""
    nodes: dict[str, dict] = {}
    for r in rows:
        node = nodes.setdefault(r["c"]["value"], {"link": r["link"]["value"], "props": defaultdict(list)})
        node["props"][r["p"]["value"]].append(r["o"])
    qualified: dict[str, list[dict]] = defaultdict(list)
    details = []
    for child, node in sorted(nodes.items()):
        props = node["props"]
        anchor = child.partition("#")[2]
        if node["link"] in QUALIFIED and DEF + "target" in props:
            first = {p: value(v[0], labels) for p, v in props.items() if v}
            qualified[node["link"]].append({
                "anchor": anchor, "target": first[DEF + "target"],
                "rationale": first.get(DEF + "rationale"), "basis": first.get(DEF + "basis")})
        else:
            items = _group([(p, value(t, labels)) for p, vals in props.items() for t in vals if p != RDF_TYPE],
                           labels)
            details.append({"anchor": anchor, "heading": _prop_name(node["link"], labels), "items": items})
    order = list(QUALIFIED)
    groups = [{"heading": _(QUALIFIED[link][0]), "links": sorted(links, key=lambda x: x["target"].sort_key)}
              for link, links in sorted(qualified.items(), key=lambda kv: order.index(kv[0]))]
    return groups, details


def _merge(rows: list[dict], key: str, labels: dict[str, str], multi: tuple[str, ...]) -> list[dict]:
    merged: dict[str, dict] = {}
    for r in rows:
        if key not in r:
            continue
        entry = merged.setdefault(r[key]["value"], {"item": value(r[key], labels), **{m: {} for m in multi}})
        for name, term in r.items():
            if name in multi:
                entry[name][term["value"]] = value(term, labels)
            elif name not in (key, "this") and name not in entry:
                entry[name] = value(term, labels)
    out = []
    for entry in merged.values():
        for m in multi:
            order = _locator_order if m == "loc" else (lambda v: v.sort_key)
            entry[m] = sorted(entry[m].values(), key=order)
        out.append(entry)
    return sorted(out, key=lambda e: e["item"].sort_key)


def _supporters(rows: list[dict], labels: dict[str, str]) -> list[dict]:
    return _merge(rows, "practice", labels, ("loc",))


def _evidence(rows: list[dict], labels: dict[str, str]) -> list[dict]:
    return _merge(rows, "finding", labels, ("work", "loc", "domain"))



# --------------------------------------------------------------------------- ontology and vocabulary indexes

KINDS = {  # headings of the ontology and vocabulary index pages
    PREFIXES["owl"] + "Class": N_("Classes"), PREFIXES["owl"] + "ObjectProperty": N_("Relations (object properties)"),
    PREFIXES["owl"] + "DatatypeProperty": N_("Attributes (datatype properties)"),
    PREFIXES["owl"] + "AnnotationProperty": N_("Annotation properties"), PREFIXES["rdf"] + "Property": N_("Properties"),
    PREFIXES["skos"] + "ConceptScheme": N_("Concept schemes"),
}


def index(service: QueryService, iri: str) -> list[dict]:
    """The terms of the ontology (``/def``) or the concept schemes (``/vocab``), by kind, with their comments."""
    rows, labels = service.select([query_for(iri)])
    subjects: dict[str, dict] = {}
    for r in rows[0]:
        subjects.setdefault(r["s"]["value"], {}).setdefault(r["p"]["value"], []).append(r["o"]["value"])
    items = []
    for s, props in subjects.items():
        if s == iri:
            continue
        comment = (props.get(PREFIXES["rdfs"] + "comment") or props.get(PREFIXES["skos"] + "definition") or [""])[0]
        kinds = sorted(_(KINDS[t]) if t in KINDS else shorten(t) for t in props.get(RDF_TYPE, []))
        items.append({"iri": s, "href": href(s), "anchor": s.partition("#")[2], "label": labels.get(s, shorten(s)),
                      "lang": labels.lang_of(s) if hasattr(labels, "lang_of") else None,
                      "comment": comment, "kind": ", ".join(kinds)})
    items.sort(key=lambda i: (i["kind"], sort_key(i["label"])))
    return items
