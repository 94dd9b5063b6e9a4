"""List pages: practices, findings, recommendations, ... with facets and text search (values bound as terms)."""

from __future__ import annotations

from dataclasses import dataclass

from gfmdkg.serve.display import PROLOGUE, href, param, shorten
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


ORG_PATH = "gfmd:partner|schema:funder|gfmd:implementedBy|gfmd:coordinatedBy"
LISTS: dict[str, ListSpec] = {s.name: s for s in (
    ListSpec("practices", "Practices", "?item a gfmd:Practice .",
             "Policies, programmes and projects from the GFMD 2014 background paper and its Annex.",
             (Facet("country", "Country", "dcterms:spatial"), Facet("area", "Thematic area", "gfmd:thematicArea"),
              Facet("tag", "Tag", "gfmd:tag"), Facet("gcm", "GCM objective", "gfmd:gcmObjective"),
              Facet("rec", "Recommendation", "gfmd:supports"), Facet("org", "Organisation", ORG_PATH))),
    ListSpec("findings", "Findings", "?item a gfmd:Finding .",
             "Evidence statements: what was observed, in which direction, where, and which works say so.",
             (Facet("domain", "Outcome domain", "gfmd:outcomeDomain"),
              Facet("direction", "Effect direction", "gfmd:effectDirection"),
              Facet("rec", "Recommendation", "gfmd:isEvidenceFor"), Facet("country", "Country", "dcterms:spatial"),
              Facet("channel", "Channel", "gfmd:channel"), Facet("source", "Cited work", "cito:citesAsEvidence"))),
    ListSpec("recommendations", "Recommendations", "?item a gfmd:Recommendation .",
             "Measures recommended by the background paper and the rapporteur report.",
             (Facet("domain", "Outcome domain", "gfmd:outcomeDomain"),
              Facet("gcm", "GCM objective", "gfmd:gcmObjective"), Facet("document", "Document", "dcterms:source"))),
    ListSpec("organisations", "Organisations", "?item a org:Organization .",
             "Partners, funders and implementers named in the documents.",
             (Facet("type", "Organisation type", "org:classification"),
              Facet("country", "Country", "dcterms:spatial"))),
    ListSpec("countries", "Countries",
             "{ ?item a schema:Country } UNION { ?x dcterms:spatial ?item . FILTER(STRSTARTS(STR(?item), \""
             + ID + "country/\")) }",
             "Countries that practices, findings and organisations concern."),
    ListSpec("sources", "Cited works", "?item a bibo:Document . FILTER NOT EXISTS { ?item a bibo:Report }",
             "The works the background paper cites as evidence (its footnotes)."),
    ListSpec("messages", "Key messages", "?item a gfmd:KeyMessage .",
             "Discussion points and conclusions recorded for the roundtable sessions."),
)}

LABEL_OPTIONALS = """
  OPTIONAL { ?item dcterms:title ?t1 }
  OPTIONAL { ?item skos:prefLabel ?t2 }
  OPTIONAL { ?item rdfs:label ?t3 }
  OPTIONAL { ?item dcterms:description ?d }
"""
SEARCH = f"FILTER EXISTS {{ ?item {TEXT_PREDICATES} ?text . FILTER(CONTAINS(LCASE(STR(?text)), LCASE(STR(?q)))) }}"


def _facet_var(f: Facet) -> str:
    return "?f_" + f.name


def _where(spec: ListSpec, chosen: dict[str, Term], search: bool) -> str:
    lines = [spec.members]
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


def listing(service: QueryService, spec: ListSpec, args: dict[str, str], page: int = 0) -> dict:
    """Rows, facet counts and the total of a list page for the chosen facet values and search text."""
    chosen: dict[str, Term] = {}
    for f in spec.facets:
        value = expand(args.get(f.name, "").strip())
        if value and is_iri(value):
            chosen[f.name] = uri(value)
    text = args.get("q", "").strip()[:MAX_SEARCH]
    bindings = {_facet_var(f)[1:]: chosen[f.name] for f in spec.facets if f.name in chosen}
    if text:
        bindings["q"] = literal(text)
    where = _where(spec, chosen, bool(text))
    bound = _bound_vars(spec, chosen, bool(text))
    items = (f"{PROLOGUE}SELECT ?item (SAMPLE(COALESCE(?t1, ?t2, ?t3)) AS ?label) (SAMPLE(?d) AS ?description) "
             f"{bound} WHERE {{\n  {where}\n{LABEL_OPTIONALS}}} GROUP BY ?item {bound} "
             f"ORDER BY LCASE(STR(?label)) ?item LIMIT {PAGE_SIZE} OFFSET {max(0, page) * PAGE_SIZE}")
    queries = [(items, bindings), (_total_query(where, bound), bindings)]
    if spec.facets:
        queries.append((_counts_query(spec, where, bound), bindings))
    results, labels = service.select(queries)
    rows = [{"iri": r["item"]["value"], "href": href(r["item"]["value"]),
             "label": r.get("label", {}).get("value") or labels.get(r["item"]["value"]) or
             shorten(r["item"]["value"]), "description": r.get("description", {}).get("value", "")}
            for r in results[0] if r["item"]["type"] == "uri"]
    total_n = int(results[1][0]["n"]["value"]) if results[1] else 0
    counts: dict[str, list[tuple[str, int]]] = {f.name: [] for f in spec.facets}
    for c in results[2] if spec.facets else []:
        if c["value"]["type"] == "uri":
            counts[c["facet"]["value"]].append((c["value"]["value"], int(c["n"]["value"])))
    facets = []
    for f in spec.facets:
        picked = chosen.get(f.name, {}).get("value")
        values = [{"iri": v, "param": param(v), "label": labels.get(v, shorten(v)), "count": n, "selected": v == picked}
                  for v, n in counts[f.name]]
        values.sort(key=lambda v: (not v["selected"], -v["count"], v["label"].lower()))
        facets.append({"name": f.name, "label": f.label, "values": values, "chosen": picked,
                       "chosen_label": labels.get(picked or "", "")})
    return {"spec": spec, "rows": rows, "facets": facets, "total": total_n, "q": text, "page": page,
            "pages": (total_n + PAGE_SIZE - 1) // PAGE_SIZE,
            "chosen": {k: param(v["value"]) for k, v in chosen.items()}}

