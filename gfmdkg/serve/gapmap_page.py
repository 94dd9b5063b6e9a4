"""The gap map pages: the map with its filters (``/gapmap``, also on the home page) and the page of one cell
(``/gapmap/cell``), both made by gfmdkg.gapmap from the same item rows, so a cell lists exactly what it counts."""

from __future__ import annotations

from urllib.parse import urlencode

from gfmdkg import gapmap
from gfmdkg.errors import GfmdkgError
from gfmdkg.gapmap_items import FACETS_QUERY, FILTERS, ITEMS_QUERY, PARAMS, SOURCE_ONLY_ITEMS_QUERY
from gfmdkg.serve.display import href, param, shorten
from gfmdkg.serve.i18n import N_, _, sort_key
from gfmdkg.serve.runner import QueryService
from gfmdkg.sparql.catalogue import expand
from gfmdkg.store.base import Result

QUERIES = (gapmap.QUERY, ITEMS_QUERY, FACETS_QUERY)
SOURCE_ONLY_QUERIES = (gapmap.SOURCE_ONLY_QUERY, SOURCE_ONLY_ITEMS_QUERY, FACETS_QUERY)
FILTER_LABELS = {"source": N_("Source document"), "region": N_("Region"), "group": N_("Population group"),
                 "channel": N_("Channel")}
COUNT_LABELS = {"positive": N_("Positive findings"), "negative": N_("Negative findings"),
                "mixed": N_("Mixed findings"), "noEffect": N_("Findings of no effect")}


class BadRequest(GfmdkgError):
    """A parameter of a gap map page that does not fit (answered with 400)."""


def available(saved: dict) -> bool:
    """Whether the saved queries the map is made from are there."""
    return all(name in saved for name in QUERIES)


def load(service: QueryService, saved: dict, args: dict[str, str]):
    """The map for the page's parameters (filters, ``separate=1``, ``source_only=1``), the labels of every IRI in it,
    the facets' values and the recommendations' documents."""
    source_only = args.get("source_only") == "1"
    names = SOURCE_ONLY_QUERIES if source_only else QUERIES
    if not all(name in saved for name in names):
        raise BadRequest("this server has no source-only gap map", hint="open /gapmap without source_only")
    results, labels = service.select([(saved[name].text, {}) for name in names])
    axes, items, facets = (Result("SELECT", vars=list(dict.fromkeys(k for r in rows for k in r)), rows=rows)
                           for rows in results)
    try:
        gm = gapmap.build(axes, items, facets, merge=args.get("separate") != "1", values=args, source_only=source_only)
    except GfmdkgError as exc:
        raise BadRequest(exc.message, hint=exc.hint) from None
    sources = {r["source"]["value"] for r in results[0] if "source" in r}
    options = gapmap.Facets.from_result(facets).options | {"source": sources}
    return gapmap.relabel(gm, {c.iri: labels.get(c.iri, c.label) for c in gm.columns}), labels, options


def _level(weight: int, top: int) -> int:
    return 0 if weight == 0 else 1 + min(3, (3 * weight) // (top or 1))


def table(gm: gapmap.GapMap, labels) -> dict:
    """The map shaped for the templates: columns, rows with their cells (text, words, link, shade, tone)."""
    top = gapmap.top_weight(gm)
    rows = []
    for r in gm.rows:
        cells = []
        for c in gm.columns:
            cell = gm.cell(r, c)
            cells.append({"text": cell.shown(), "spoken": cell.spoken(), "gap": cell.gap,
                          "href": gapmap.cell_href(gm, r, c), "level": _level(cell.weight, top),
                          "tone": "" if cell.gap else cell.tone})
        also = [{"label": labels.get(m, shorten(m)), "href": href(m)} for m in r.members[1:]]
        rows.append({"label": r.label, "href": href(r.iri), "also": also, "cells": cells})
    return {"columns": [{"label": c.label, "href": href(c.iri)} for c in gm.columns], "rows": rows,
            "gaps": gm.gaps, "legend": _(gapmap.LEGEND), "merged": gm.merged, "count": len(gm.rows)}


def page(service: QueryService, saved: dict, args: dict[str, str]) -> dict:
    """The context of /gapmap: the map, the filter form and the merge toggle."""
    gm, labels, options = load(service, saved, args)
    chosen = gm.filters.chosen()
    form = []
    for name in PARAMS:
        values = options.get(FILTERS.get(name, name), set())
        choices = sorted(({"value": param(v), "label": labels.get(v, shorten(v)), "selected": chosen.get(name) == v}
                          for v in values), key=lambda o: sort_key(o["label"]))
        form.append({"name": name, "label": FILTER_LABELS[name], "choices": choices})
    params = {k: param(v) for k, v in chosen.items()}
    params |= {"source_only": "1"} if gm.source_only else {}
    toggle = params | ({} if not gm.merged else {"separate": "1"})
    return {"gapmap": table(gm, labels), "form": form, "chosen": params, "separate": not gm.merged,
            "source_only": gm.source_only, "source_only_note": gapmap.SOURCE_ONLY,
            "toggle": "/gapmap" + (f"?{urlencode(toggle)}" if toggle else ""),
            "filtered": bool(chosen)}


def cell(service: QueryService, saved: dict, args: dict[str, str]) -> dict:
    """The context of /gapmap/cell: exactly the practices and findings the map's cell counts, the descriptive
    findings apart."""
    gm, labels, _facets = load(service, saved, args)
    rec, domain = expand(args.get("rec", "").strip()), expand(args.get("domain", "").strip())
    row = next((r for r in gm.rows if r.iri == rec), None)
    column = next((c for c in gm.columns if c.iri == domain), None)
    if row is None or column is None:
        what = "recommendation" if row is None else "outcome domain"
        raise BadRequest(f"the gap map has no row or column for this {what}",
                         hint="open a cell from the map at /gapmap")
    found = gm.items[(row.iri, column.iri)]

    def entries(count: str) -> list[dict]:
        out = [{"label": labels.get(i.iri, shorten(i.iri)), "lang": labels.lang_of(i.iri), "href": href(i.iri)}
               for i in found if i.count == count]
        return sorted(out, key=lambda e: sort_key(e["label"]))

    counted = gm.cell(row, column)
    back = gapmap.link_params(gm)
    return {"row": {"label": row.label, "href": href(row.iri),
                    "members": [{"label": labels.get(m, shorten(m)), "href": href(m)} for m in row.members]},
            "column": {"label": column.label, "href": href(column.iri)},
            "spoken": counted.spoken(), "gap": counted.gap, "merged": gm.merged, "source_only": gm.source_only,
            "source_only_note": gapmap.SOURCE_ONLY,
            "practices": entries("practices"),
            "findings": [{"label": COUNT_LABELS[k], "tone": k, "items": entries(k)} for k in COUNT_LABELS],
            "descriptive": entries("descriptive"),
            "filters": [{"label": FILTER_LABELS[k], "value": labels.get(v, shorten(v))}
                        for k, v in gm.filters.chosen().items()],
            "back": "/gapmap" + (f"?{urlencode(back)}" if back else "")}


def practices_in_domain(args: dict[str, str]) -> str:
    """Where ``/practices?rec=R&domain=D`` goes: the cell of R's own row (restatements separate) in D, which lists
    the practices the gap map places there (a practice list filtered by domain alone has no such rule)."""
    rec, domain = args.get("rec", "").strip(), args.get("domain", "").strip()
    if not rec:
        raise BadRequest("practices are placed in an outcome domain only for a recommendation they support",
                         hint="add rec=..., or open a cell of the gap map at /gapmap")
    return "/gapmap/cell?" + urlencode({"rec": rec, "domain": domain, "separate": "1"})

