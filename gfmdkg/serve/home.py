"""The home page: counts of what the graph holds and the evidence gap map."""

from __future__ import annotations

from urllib.parse import urlencode

from gfmdkg.namespaces import ID
from gfmdkg.publish import schemaorg
from gfmdkg.publish.dataset import DATASET
from gfmdkg.serve.display import PROLOGUE, href, param, shorten, value
from gfmdkg.serve.i18n import N_, _, sort_key
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


def _gap_map_query(saved: dict):
    """The saved query behind gfmdkg.gapmap, when both are there."""
    try:
        from gfmdkg import gapmap
    except ImportError:
        return None
    return saved.get(gapmap.QUERY)


def _gap_map(rows: list[dict], labels: dict[str, str]) -> dict:
    """The evidence gap map of gfmdkg.gapmap, shaped for the home page."""
    from gfmdkg import gapmap
    from gfmdkg.store.base import Result

    names = list(dict.fromkeys(k for r in rows for k in r))
    gm = gapmap.from_result(Result("SELECT", vars=names, rows=rows))
    out = []
    for r in gm.rows:
        cells = []
        for c in gm.columns:
            cell = gm.cell(r, c)
            link = (f"/findings?{urlencode({'rec': param(r.iri), 'domain': param(c.iri)})}"
                    if cell.findings or cell.descriptive
                    else f"/practices?{urlencode({'rec': param(r.iri)})}" if cell.practices else None)
            cells.append({"text": _("gap") if cell.gap else cell.short(), "spoken": cell.spoken(), "gap": cell.gap,
                          "href": link, "weight": cell.weight})
        out.append({"label": r.label, "href": href(r.iri), "cells": cells})
    top = max((c["weight"] for r in out for c in r["cells"]), default=0) or 1
    for r in out:
        for c in r["cells"]:
            c["level"] = 0 if c["gap"] else 1 + min(3, (3 * c["weight"]) // top)
    return {"columns": [{"label": labels.get(c.iri, c.label), "href": href(c.iri)} for c in gm.columns],
            "rows": out, "gaps": gm.gaps, "legend": _(gapmap.LEGEND)}


def home(service: QueryService, saved: dict | None = None) -> dict:
    """Counts and the gap map of the home page (gfmdkg.gapmap's, else a simple recommendation x domain table)."""
    gap_query = _gap_map_query(saved or {})
    extra = [(gap_query.text, {})] if gap_query else [(Q_GAP, {}), (Q_REC_PRACTICES, {})]
    results, labels = service.select([(Q_DATASET, {"this": uri(DATASET)}), (Q_COUNTS, {}), (Q_COUNTRIES, {})]
                                     + extra)
    described = schemaorg.describe(DATASET, [(r["p"]["value"], r["o"]) for r in results.pop(0)], labels)
    counts_by = {r["kind"]["value"].rsplit("/", 1)[-1].rsplit("#", 1)[-1]: int(r["n"]["value"]) for r in results[0]}
    counts = [{"label": label, "href": "/" + page, "n": counts_by.get(kind, 0)} for kind, page, label in COUNT_KINDS]
    counts.insert(4, {"label": N_("Countries"), "href": "/countries", "n": int(results[1][0]["n"]["value"])})
    if gap_query:
        return {"counts": counts, "gapmap": _gap_map(results[2], labels), "schemaorg": described}
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
