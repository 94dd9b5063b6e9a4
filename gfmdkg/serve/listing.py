"""List pages: practices, findings, recommendations, ... with facets and text search (values bound as terms)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from gfmdkg.serve import columns as cols
from gfmdkg.serve.contribution import SAID
from gfmdkg.serve.display import PROLOGUE, href, param, shorten
from gfmdkg.serve.i18n import LANGUAGES, N_, current, sort_key
from gfmdkg.serve.runner import QueryService
from gfmdkg.sparql.catalogue import expand
from gfmdkg.sparql.terms import Term, is_iri, literal, uri
from gfmdkg.namespaces import ID

PAGE_SIZE = 100
MAX_SEARCH = 200
TEXT_PREDICATES = "dcterms:title|rdfs:label|skos:prefLabel|skos:altLabel|dcterms:description|" \
                  "dcterms:bibliographicCitation|gfmd:countryAsGiven|gfmd:partnersAsGiven"


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    path: str


@dataclass(frozen=True)
class ListSpec:
    """A list page: its members (a graph pattern on ?item), facets and a one-line introduction."""

    name: str
    title: str
    members: str
    intro: str
    facets: tuple[Facet, ...] = ()
    one: str = ""  # "%(num)s practice": the count heading, singular and plural (message ids)
    many: str = ""


ORG_PATH = "gfmd:partner|schema:funder|gfmd:implementedBy|gfmd:coordinatedBy"
LISTS: dict[str, ListSpec] = {s.name: s for s in (
    ListSpec("practices", N_("Practices"), "?item a gfmd:Practice .",
             N_("Policies, programmes and projects from the GFMD 2014 background paper and its Annex."),
             (Facet("country", N_("Country"), "dcterms:spatial"),
              Facet("area", N_("Thematic area"), "gfmd:thematicArea"), Facet("tag", N_("Tag"), "gfmd:tag"),
              Facet("gcm", N_("GCM objective"), "gfmd:gcmObjective"),
              Facet("rec", N_("Recommendation"), "gfmd:supports"), Facet("org", N_("Organisation"), ORG_PATH)),
             N_("%(num)s practice"), N_("%(num)s practices")),
    ListSpec("findings", N_("Findings"), "?item a gfmd:Finding .",
             N_("Evidence statements: what was observed, in which direction, where, and which works say so."),
             (Facet("domain", N_("Outcome domain"), "gfmd:outcomeDomain"),
              Facet("direction", N_("Effect direction"), "gfmd:effectDirection"),
              Facet("rec", N_("Recommendation"), "gfmd:isEvidenceFor"),
              Facet("country", N_("Country"), "dcterms:spatial"), Facet("channel", N_("Channel"), "gfmd:channel"),
              Facet("source", N_("Cited work"), "cito:citesAsEvidence")),
             N_("%(num)s finding"), N_("%(num)s findings")),
    ListSpec("recommendations", N_("Recommendations"), "?item a gfmd:Recommendation .",
             N_("Measures recommended by the background paper and the rapporteur report."),
             (Facet("domain", N_("Outcome domain"), "gfmd:outcomeDomain"),
              Facet("gcm", N_("GCM objective"), "gfmd:gcmObjective"),
              Facet("document", N_("Document"), "dcterms:source")),
             N_("%(num)s recommendation"), N_("%(num)s recommendations")),
    ListSpec("organisations", N_("Organisations"), "?item a org:Organization .",
             N_("Partners, funders and implementers named in the documents."),
             (Facet("type", N_("Organisation type"), "org:classification"),
              Facet("country", N_("Country"), "dcterms:spatial")),
             N_("%(num)s organisation"), N_("%(num)s organisations")),
    ListSpec("countries", N_("Countries"),
             "{ ?item a schema:Country } UNION { ?x dcterms:spatial ?item . FILTER(STRSTARTS(STR(?item), \""
             + ID + "country/\")) }",
             N_("Countries that practices, findings and organisations concern."), (),
             N_("%(num)s country"), N_("%(num)s countries")),
    ListSpec("sources", N_("Cited works"), "?item a bibo:Document . FILTER NOT EXISTS { ?item a bibo:Report }",
             N_("The works the background paper cites as evidence (its footnotes)."), (),
             N_("%(num)s cited work"), N_("%(num)s cited works")),
    ListSpec("messages", N_("Key messages"), "?item a gfmd:KeyMessage .",
             N_("Discussion points and conclusions recorded for the roundtable sessions."), (),
             N_("%(num)s key message"), N_("%(num)s key messages")),
)}

#: origin=curated|contributed: a contributed node has a review status (docs/CONTRIBUTING.md); fixed text, no input
ORIGINS = {"contributed": "FILTER EXISTS { ?item gfmd:reviewStatus ?origin_status }",
           "curated": "FILTER NOT EXISTS { ?item gfmd:reviewStatus ?origin_status }"}


def label_optionals(lang: str) -> str:
    """Label patterns for ?item: its title, else its prefLabel in ``lang`` (one of i18n.LANGUAGES, never user
    text), else in English, else any, else its rdfs:label; and its review status (contributions)."""
    assert lang in LANGUAGES
    return f"""
  OPTIONAL {{ ?item gfmd:reviewStatus ?review }}
  OPTIONAL {{ ?item dcterms:title ?t1 }}
  OPTIONAL {{ ?item skos:prefLabel ?t2 FILTER(LANG(?t2) = "{lang}") }}
  OPTIONAL {{ ?item skos:prefLabel ?t3 FILTER(LANG(?t3) IN ("en", "")) }}
  OPTIONAL {{ ?item skos:prefLabel ?t4 }}
  OPTIONAL {{ ?item rdfs:label ?t5 }}
  OPTIONAL {{ ?item dcterms:description ?d }}
"""

SEARCH = f"FILTER EXISTS {{ ?item {TEXT_PREDICATES} ?text . FILTER(CONTAINS(LCASE(STR(?text)), LCASE(STR(?q)))) }}"


def _facet_var(f: Facet) -> str:
    return "?f_" + f.name


def _where(spec: ListSpec, chosen: dict[str, Term], search: bool, origin: str | None = None) -> str:
    lines = [spec.members] + ([ORIGINS[origin]] if origin in ORIGINS else [])
    lines += [f"?item {f.path} {_facet_var(f)} ." for f in spec.facets if f.name in chosen]
    if search:
        lines.append(SEARCH)
    return "\n  ".join(lines)


def _bound_vars(spec: ListSpec, chosen: dict[str, Term], search: bool) -> str:
    names = [_facet_var(f) for f in spec.facets if f.name in chosen] + (["?q"] if search else [])
    return " ".join(names)


def _counts_query(spec: ListSpec, where: str, bound: str) -> str:
    """One query for every facet's value counts: the matching items are found once (a subquery), then joined
    with each facet's property (one UNION branch per facet)."""
    branches = [f'{{ ?item {f.path} ?value . BIND("{f.name}" AS ?facet) }}' for f in spec.facets]
    return (f"{PROLOGUE}SELECT ?facet ?value (COUNT(DISTINCT ?item) AS ?n) {bound} WHERE {{\n"
            f"  {{ SELECT DISTINCT ?item {bound} WHERE {{\n  {where}\n  }} }}\n  "
            + "\n  UNION ".join(branches) + f"\n}} GROUP BY ?facet ?value {bound}")


def _total_query(where: str, bound: str) -> str:
    if not bound:
        return f"{PROLOGUE}SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {{\n  {where}\n}}"
    return f"{PROLOGUE}SELECT (COUNT(DISTINCT ?item) AS ?n) {bound} WHERE {{\n  {where}\n}} GROUP BY {bound}"


def listing(service: QueryService, spec: ListSpec, args: dict[str, str], page: int | None = 0) -> dict:
    """Rows, facet counts and the total of a list page for the chosen facet values and search text, sorted as
    asked (:mod:`gfmdkg.serve.columns`); ``page=None``: every row (the CSV download)."""
    chosen: dict[str, Term] = {}
    for f in spec.facets:
        value = expand(args.get(f.name, "").strip())
        if value and is_iri(value):
            chosen[f.name] = uri(value)
    text = args.get("q", "").strip()[:MAX_SEARCH]
    bindings = {_facet_var(f)[1:]: chosen[f.name] for f in spec.facets if f.name in chosen}
    if text:
        bindings["q"] = literal(text)
    origin = args.get("origin", "").strip()
    origin = origin if origin in ORIGINS else None
    where = _where(spec, chosen, bool(text), origin)
    bound = _bound_vars(spec, chosen, bool(text))
    column, order = cols.sorting(spec.name, args)
    window = "" if page is None else f" LIMIT {PAGE_SIZE} OFFSET {max(0, page) * PAGE_SIZE}"
    items = (f"{PROLOGUE}SELECT ?item (SAMPLE(COALESCE(?t1, ?t2, ?t3, ?t4, ?t5)) AS ?label) "
             f"(SAMPLE(LANG(COALESCE(?t1, ?t2, ?t3, ?t4, ?t5))) AS ?labelLang) "
             f"(SAMPLE(?d) AS ?description) (SAMPLE(?review) AS ?status) {cols.projection(spec.name)} {bound} "
             f"WHERE {{\n  {where}\n{label_optionals(current())}  {cols.patterns(spec.name)}\n}} "
             f"GROUP BY ?item {bound} {cols.order_by(column, order)}{window}")
    queries = [(items, bindings), (_total_query(where, bound), bindings)]
    facet_counts = bool(spec.facets) and page is not None  # the CSV needs no facets
    if facet_counts:
        queries.append((_counts_query(spec, where, bound), bindings))
    results, labels = service.select(queries)
    rows = [{"iri": r["item"]["value"], "href": href(r["item"]["value"]),
             "label": r.get("label", {}).get("value") or labels.get(r["item"]["value"]) or shorten(r["item"]["value"]),
             "lang": r.get("labelLang", {}).get("value") or labels.lang_of(r["item"]["value"]),
             "description": r.get("description", {}).get("value", ""),
             "review": SAID.get(r.get("status", {}).get("value", "")),
             "cells": [cols.cell(r, c) for c in cols.columns(spec.name)]}
            for r in results[0] if r["item"]["type"] == "uri"]
    total_n = int(results[1][0]["n"]["value"]) if results[1] else 0
    counts: dict[str, list[tuple[str, int]]] = {f.name: [] for f in spec.facets}
    for c in results[2] if facet_counts else []:
        if c["value"]["type"] == "uri":
            counts[c["facet"]["value"]].append((c["value"]["value"], int(c["n"]["value"])))
    facets = []
    for f in spec.facets:
        picked = chosen.get(f.name, {}).get("value")
        values = [{"iri": v, "param": param(v), "label": labels.get(v, shorten(v)), "lang": labels.lang_of(v),
                   "count": n, "selected": v == picked} for v, n in counts[f.name]]
        values.sort(key=lambda v: (not v["selected"], -v["count"], sort_key(v["label"])))
        facets.append({"name": f.name, "label": f.label, "values": values, "chosen": picked,
                       "chosen_label": labels.get(picked or "", "")})
    kept = {k: param(v["value"]) for k, v in chosen.items()} | ({"origin": origin} if origin else {})
    sort = {} if column is cols.LABEL and order == "asc" else {"sort": column.name, "order": order}
    here = kept | ({"q": text} if text else {})
    return {"spec": spec, "rows": rows, "facets": facets, "total": total_n, "q": text, "page": page or 0,
            "pages": (total_n + PAGE_SIZE - 1) // PAGE_SIZE, "chosen": kept, "origin": origin, "sorting": sort,
            "headers": cols.headers(spec.name, column, order, here, "/" + spec.name),
            "csv": f"/{spec.name}?{urlencode(here | sort | {'format': 'csv'})}"}

