"""The home page: counts of what the graph holds and the evidence gap map."""

from __future__ import annotations

from gfmdkg.namespaces import ID
from gfmdkg.publish import schemaorg
from gfmdkg.publish.dataset import DATASET
from gfmdkg.serve import gapmap_page
from gfmdkg.serve.display import PROLOGUE, shorten, value
from gfmdkg.serve.i18n import N_, sort_key
from gfmdkg.serve.runner import QueryService
from gfmdkg.sparql.terms import uri


Q_COUNTS = PROLOGUE + """SELECT ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {
  VALUES ?kind { gfmd:Practice gfmd:Finding gfmd:Recommendation bibo:Document org:Organization gfmd:KeyMessage }
  ?x a ?kind .
} GROUP BY ?kind"""
Q_COUNTRIES = PROLOGUE + """SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
  { ?c a schema:Country } UNION { ?x dcterms:spatial ?c . FILTER(STRSTARTS(STR(?c), \"""" + ID + """country/\")) }
}"""
Q_GAP = PROLOGUE + """SELECT ?rec ?domain (COUNT(DISTINCT ?f) AS ?n) WHERE {
  ?rec a gfmd:Recommendation .
  ?f gfmd:isEvidenceFor ?rec ; gfmd:outcomeDomain ?domain .
} GROUP BY ?rec ?domain"""
Q_REC_PRACTICES = PROLOGUE + """SELECT ?rec ?num (COUNT(DISTINCT ?p) AS ?practices) WHERE {
  ?rec a gfmd:Recommendation .
  OPTIONAL { ?rec gfmd:recommendationNumber ?num }
  OPTIONAL { ?p gfmd:supports ?rec }
} GROUP BY ?rec ?num"""
Q_DATASET = PROLOGUE + "SELECT ?p ?o WHERE { ?this ?p ?o }"
COUNT_KINDS = [("Practice", "practices", N_("Practices")), ("Finding", "findings", N_("Findings")),
               ("Recommendation", "recommendations", N_("Recommendations")),
               ("Organization", "organisations", N_("Organisations")), ("Document", "sources", N_("Cited works")),
               ("KeyMessage", "messages", N_("Key messages"))]


def home(service: QueryService, saved: dict | None = None) -> dict:
    """Counts and the gap map of the home page (the /gapmap page's default map, else, without its saved queries, a
    simple recommendation x domain table)."""
    gap_query = gapmap_page.available(saved or {})
    extra = [] if gap_query else [(Q_GAP, {}), (Q_REC_PRACTICES, {})]
    results, labels = service.select([(Q_DATASET, {"this": uri(DATASET)}), (Q_COUNTS, {}), (Q_COUNTRIES, {})]
                                     + extra)
    described = schemaorg.describe(DATASET, [(r["p"]["value"], r["o"]) for r in results.pop(0)], labels)
    counts_by = {r["kind"]["value"].rsplit("/", 1)[-1].rsplit("#", 1)[-1]: int(r["n"]["value"]) for r in results[0]}
    counts = [{"label": label, "href": "/" + page, "n": counts_by.get(kind, 0)} for kind, page, label in COUNT_KINDS]
    counts.insert(4, {"label": N_("Countries"), "href": "/countries", "n": int(results[1][0]["n"]["value"])})
    if gap_query:
        gm, map_labels, _options = gapmap_page.load(service, saved or {}, {})
        return {"counts": counts, "gapmap": gapmap_page.table(gm, map_labels), "schemaorg": described}
    cells = {(r["rec"]["value"], r["domain"]["value"]): int(r["n"]["value"]) for r in results[2]}
    domains = sorted({d for _, d in cells}, key=lambda d: sort_key(labels.get(d, d)))
    recs = sorted(results[3], key=lambda r: (r["rec"]["value"].rsplit("/", 1)[-1][:3],
                                             int(r["num"]["value"]) if "num" in r else 999,
                                             labels.get(r["rec"]["value"], "").lower()))
    rows = []
    for r in recs:
        rec = r["rec"]["value"]
        rows.append({"rec": value(r["rec"], labels), "iri": rec, "practices": int(r["practices"]["value"]),
                     "cells": [{"domain": d, "n": cells.get((rec, d), 0)} for d in domains]})
    return {"counts": counts, "domains": [{"iri": d, "label": labels.get(d, shorten(d))} for d in domains],
            "rows": rows, "gapmap": None, "schemaorg": described}
