"""The evidence gap map: recommendations (rows) x outcome domains (columns).

Each cell holds the number of practices supporting the recommendation in that domain and of findings by effect
direction; a cell with no practice and no finding with an effect is a gap. Rows and columns come from the saved query
``queries/evidence-gap-map.rq`` (which documents how practices and findings are placed in domains; columns in the
outcome-domain scheme's fixed order); the cells are counted from the items of ``evidence-gap-map-items``
(gfmdkg.gapmap_items), which also merges restatements and applies filters, so a cell opens exactly what it counts.
The map stays true as data are added and can be drawn from a remote endpoint as well. This module shapes and renders.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import asdict, dataclass, field, replace
from urllib.parse import urlencode

from gfmdkg.gapmap_items import Facets, Filters, Item, cell_items, groups, placements, value_of
from gfmdkg.namespaces import shorten
from gfmdkg.serve.display import href, param
from gfmdkg.serve.i18n import N_, _, current, ngettext
from gfmdkg.sparql.catalogue import expand
from gfmdkg.spreadsheet import csv_text
from gfmdkg.store.base import Result
from gfmdkg.termtable import clip, notes, panels

QUERY = "evidence-gap-map"
SOURCE_ONLY_QUERY = "evidence-gap-map-source-only"  # the same map from the sources' own statements only
FORMATS = ("table", "csv", "md", "json", "html", "png", "svg")
COUNTS = ("practices", "positive", "negative", "mixed", "noEffect", "descriptive")


@dataclass(frozen=True)
class Cell:
    practices: int = 0
    positive: int = 0
    negative: int = 0
    mixed: int = 0
    noEffect: int = 0  # noqa: N815 - the query's column name
    descriptive: int = 0

    @classmethod
    def of(cls, items: list[Item]) -> Cell:
        """The counts of a cell's items."""
        counts = {k: 0 for k in COUNTS}
        for item in items:
            counts[item.count] += 1
        return cls(**counts)

    @property
    def findings(self) -> int:
        """Findings with an effect (descriptive facts excluded)."""
        return self.positive + self.negative + self.mixed + self.noEffect

    @property
    def gap(self) -> bool:
        return self.practices == 0 and self.findings == 0

    @property
    def weight(self) -> int:
        return self.practices + self.findings

    @property
    def tone(self) -> str:
        """The findings' direction at a glance: positive or negative (only that way), mixed (both ways, or mixed
        findings), neutral (practices or no-effect findings only)."""
        if self.mixed or (self.positive and self.negative):
            return "mixed"
        return "positive" if self.positive else "negative" if self.negative else "neutral"

    def short(self) -> str:
        """Compact text: ``P3 +2 -1 ~1 o1`` (zero parts left out), or ``gap``."""
        if self.gap:
            return "gap"
        parts = [(self.practices, "P{}"), (self.positive, "+{}"), (self.negative, "-{}"), (self.mixed, "~{}"),
                 (self.noEffect, "o{}")]
        return " ".join(fmt.format(n) for n, fmt in parts if n)

    def shown(self) -> str:
        """:meth:`short` in the current language (``gap`` translated) for pages and images."""
        return _("gap") if self.gap else self.short()

    def spoken(self) -> str:
        """The cell in words, for screen readers and tooltips (in the page's language on the web pages)."""
        if self.gap:
            return _("gap: no supporting practice and no evidence")
        words = [(self.practices, N_("%(num)s supporting practice"), N_("%(num)s supporting practices")),
                 (self.positive, N_("%(num)s positive finding"), N_("%(num)s positive findings")),
                 (self.negative, N_("%(num)s negative finding"), N_("%(num)s negative findings")),
                 (self.mixed, N_("%(num)s mixed finding"), N_("%(num)s mixed findings")),
                 (self.noEffect, N_("%(num)s finding of no effect"), N_("%(num)s findings of no effect"))]
        return ", ".join(ngettext(one, many, n) % {"num": n} for n, one, many in words if n)


@dataclass(frozen=True)
class Axis:
    iri: str
    label: str
    group: str = ""  # rows: the document the recommendation comes from
    members: tuple[str, ...] = ()  # rows: the recommendations merged into this one (itself and its restatements)

    @property
    def short(self) -> str:
        return shorten(self.iri).split(":", 1)[-1]


@dataclass
class GapMap:
    rows: list[Axis]
    columns: list[Axis]
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    source_only: bool = False  # drawn from evidence-gap-map-source-only: what the sources state, no curators' choice
    items: dict[tuple[str, str], list[Item]] | None = None  # the items each cell counts (None: counts only)
    merged: bool = False  # restatements shown in the row of the measure they restate
    filters: Filters = field(default_factory=Filters)

    def cell(self, row: Axis, column: Axis) -> Cell:
        return self.cells.get((row.iri, column.iri), Cell())

    @property
    def gaps(self) -> int:
        return sum(self.cell(r, c).gap for r in self.rows for c in self.columns)


def from_result(result: Result, *, source_only: bool = False) -> GapMap:
    """Shape the rows of the evidence-gap-map query into a map, rows and columns in the query's order (columns:
    the outcome-domain scheme's, whatever the cells hold). ``source_only`` says that they come from
    evidence-gap-map-source-only (the map says so)."""
    rows: dict[str, Axis] = {}
    columns: dict[str, Axis] = {}
    cells: dict[tuple[str, str], Cell] = {}
    for r in result.rows:
        rec, dom = value_of(r, "rec"), value_of(r, "domain")
        group = shorten(value_of(r, "source")) if "source" in r else ""
        rows.setdefault(rec, Axis(rec, value_of(r, "recLabel"), group))
        columns.setdefault(dom, Axis(dom, value_of(r, "domainLabel")))
        cells[(rec, dom)] = Cell(**{k: int(float(value_of(r, k) or 0)) for k in COUNTS})
    return GapMap(list(rows.values()), list(columns.values()), cells, source_only)


def with_items(gm: GapMap, cells: dict[tuple[str, str], set[Item]], facets: Facets, *, merge: bool = True,
               filters: Filters | None = None) -> GapMap:
    """The map of ``gm``'s rows and columns with every cell counted from its items (gapmap_items.placements):
    restatements in the row of the measure they restate when ``merge``, only items kept by ``filters``."""
    filters = filters or Filters()
    by_iri = {r.iri: r for r in gm.rows if not filters.source or r.group == shorten(filters.source)}
    rows_of = groups(list(by_iri), facets.restates if merge else {})
    rows = [replace(by_iri[rec], members=tuple(members),
                    group=" + ".join(dict.fromkeys(by_iri[m].group for m in members)))
            for rec, members in rows_of.items()]
    items = {(r.iri, c.iri): cell_items(cells, list(r.members), c.iri, facets, filters)
             for r in rows for c in gm.columns}
    counts = {key: Cell.of(found) for key, found in items.items() if found}
    return GapMap(rows, gm.columns, counts, gm.source_only, items, merge, filters)


def build(axes: Result, items: Result, facets: Result, *, merge: bool = True,
          values: dict[str, str] | None = None, source_only: bool = False) -> GapMap:
    """The map from the answers of evidence-gap-map (rows, columns), evidence-gap-map-items and -facets (with
    ``source_only``: of evidence-gap-map-source-only and its items), restatements merged when ``merge`` and the
    filters of ``values`` (parameter -> value, see Filters.parse)."""
    gm = from_result(axes, source_only=source_only)
    found = Facets.from_result(facets)
    sources = {expand(r.group) for r in gm.rows}
    filters = Filters.parse(values or {}, found, sources)
    return with_items(gm, placements(items), found, merge=merge, filters=filters)


def link_params(gm: GapMap) -> dict[str, str]:
    """The URL parameters that give the served page this map: its filters, ``separate=1`` when rows are not merged,
    ``source_only=1`` for the map of what the sources state."""
    return ({name: param(iri) for name, iri in gm.filters.chosen().items()} | ({} if gm.merged else {"separate": "1"})
            | ({"source_only": "1"} if gm.source_only else {}))


def cell_href(gm: GapMap, row: Axis, column: Axis, base: str = "/") -> str | None:
    """Where the cell's link goes (the served page listing exactly its items), or None for a gap or a map without
    items."""
    if gm.items is None or gm.cell(row, column).gap:
        return None
    query = {"rec": param(row.iri), "domain": param(column.iri)} | link_params(gm)
    return f"{base}gapmap/cell?{urlencode(query)}"


def page_href(iri: str, base: str = "/") -> str:
    """The served page of a gfmdkg IRI under ``base``."""
    local = href(iri)
    return base + local.lstrip("/") if local.startswith("/") else local


# ---------------------------------------------------------------------------------------------------- renderers
LEGEND = N_("P = supporting practices, + positive, - negative, ~ mixed, o no-effect findings; "
            "gap = no practice and no finding with an effect")
SOURCE_ONLY = N_("source-only: counts only links the sources themselves state and tags they give, not the curators' "
                 "choices")
MERGED = N_("merged: each background-paper measure with the rapporteur report's restatements of it (gfmd:restates)")
TONES = {"positive": "#1a7f37", "negative": "#b42318", "mixed": "#9a6700", "neutral": "#6b7280"}


def merges(gm: GapMap) -> bool:
    """Whether some row of the map holds a measure with its restatements."""
    return any(len(r.members) > 1 for r in gm.rows)


def _legend(gm: GapMap) -> str:
    return "\n".join((LEGEND, *((SOURCE_ONLY,) if gm.source_only else ()), *((MERGED,) if merges(gm) else ())))


def _footer(gm: GapMap) -> str:
    chosen = ", ".join(f"{k} {param(v)}" for k, v in gm.filters.chosen().items())
    return (f"{len(gm.rows)} recommendations x {len(gm.columns)} outcome domains, {gm.gaps} gaps"
            + (f" (filtered: {chosen})" if chosen else ""))


def _short_label(label: str, width: int) -> str:
    """``label`` cut to ``width`` characters, keeping a closing parenthesis that tells rows apart ("(RT 3.2
    outcome)")."""
    if len(label) <= width:
        return label
    m = re.fullmatch(r"(.*?)\s*(\([^()]*\))", label)
    if m and len(m[2]) < width // 2:
        return clip(m[1], width - len(m[2]) - 1) + " " + m[2]
    return clip(label, width)


def to_table(gm: GapMap, *, width: int | None = None, wide: bool = False, label_width: int = 60) -> str:
    """The map as a terminal table that fits ``width`` columns (default: the terminal's: as many outcome domains
    side by side as fit, the others in a second table below), rows named by their recommendation's label (cut to
    ``label_width`` characters unless ``wide``)."""
    head = ["recommendation"] + [c.label for c in gm.columns]
    body = [[r.label if wide else _short_label(r.label or r.short, label_width)]
            + [gm.cell(r, c).short() for c in gm.columns] for r in gm.rows]
    lines = panels(head, body, width=width, wide=wide)
    lines += notes([*_legend(gm).split("\n"), _footer(gm)], width=width, wide=wide)
    return "\n".join(lines) + "\n"


def to_csv(gm: GapMap) -> str:
    """One line per cell (tidy data): easy to pivot in a spreadsheet or load in R / pandas."""
    return csv_text(["recommendation", "recommendationLabel", "source", "domain", "domainLabel", *COUNTS, "gap"],
                    ([r.iri, r.label, r.group, c.iri, c.label, *(getattr(gm.cell(r, c), k) for k in COUNTS),
                      str(gm.cell(r, c).gap).lower()] for r in gm.rows for c in gm.columns))


def to_markdown(gm: GapMap) -> str:
    def esc(s: str) -> str:
        return s.replace("|", "\\|")
    out = ["| recommendation | " + " | ".join(esc(c.label) for c in gm.columns) + " |",
           "|---|" + "---|" * len(gm.columns)]
    for r in gm.rows:
        cells = [("**gap**" if gm.cell(r, c).gap else gm.cell(r, c).short()) for c in gm.columns]
        out.append(f"| {esc(r.label)} (`{r.short}`) | " + " | ".join(cells) + " |")
    return "\n".join(out) + f"\n\n{_legend(gm)}.\n"


def _cell_json(gm: GapMap, row: Axis, column: Axis) -> dict:
    cell = gm.cell(row, column)
    out = {**asdict(cell), "gap": cell.gap}
    if gm.items is not None:
        out["items"] = [{"iri": i.iri, "kind": i.kind, "count": i.count} for i in gm.items[(row.iri, column.iri)]]
    return out


def to_json(gm: GapMap) -> str:
    doc = {
        "columns": [{"iri": c.iri, "label": c.label} for c in gm.columns],
        "rows": [{"iri": r.iri, "label": r.label, "source": r.group, "members": list(r.members or (r.iri,)),
                  "cells": {c.iri: _cell_json(gm, r, c) for c in gm.columns}}
                 for r in gm.rows],
        "gaps": gm.gaps,
        "sourceOnly": gm.source_only,
        "merged": gm.merged,
        "filters": gm.filters.chosen(),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _shade(weight: int, top: int) -> tuple[str, str]:
    """Background and text colour for a cell: white to dark blue by weight, text contrast kept above 4.5:1."""
    if weight == 0 or top == 0:
        return "#ffffff", "#000000"
    t = 0.15 + 0.85 * weight / top
    r, g, b = (round(255 + (v - 255) * t) for v in (8, 48, 107))  # towards #08306b
    lum = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
    return f"#{r:02x}{g:02x}{b:02x}", "#000000" if lum > 0.5 else "#ffffff"


def top_weight(gm: GapMap) -> int:
    return max((gm.cell(r, c).weight for r in gm.rows for c in gm.columns), default=0)


def relabel(gm: GapMap, labels: dict[str, str]) -> GapMap:
    """The same map with the column labels of ``labels`` (e.g. outcome domains in another language)."""
    columns = [replace(c, label=labels.get(c.iri, c.label)) for c in gm.columns]
    return replace(gm, columns=columns)


def title_of(gm: GapMap) -> str:
    return _("Evidence gap map (source-only)") if gm.source_only else _("Evidence gap map")


def to_html(gm: GapMap, *, title: str | None = None, base: str | None = None) -> str:
    """A self-contained page (no scripts, no external files): a heat-map table readable by screen readers, in the
    current language of gfmdkg.serve.i18n (English unless ``gfmdkg gapmap --lang`` chose another). With ``base``
    (the address of a ``gfmdkg serve``), rows, columns and cells link to its pages: a cell to the page listing
    exactly the practices and findings it counts."""
    e = html.escape
    lang = current()
    title = title or title_of(gm)
    rec_lang = ' lang="en"' if lang != "en" else ""  # recommendation labels are curated English
    top = top_weight(gm)

    def link(text: str, url: str | None) -> str:
        return f'<a href="{e(url)}">{text}</a>' if url and base is not None else text

    head = "".join(f'<th scope="col">{link(e(c.label), page_href(c.iri, base or "/"))}</th>' for c in gm.columns)
    body = []
    for r in gm.rows:
        tds = []
        for c in gm.columns:
            cell = gm.cell(r, c)
            bg, fg = _shade(cell.weight, top)
            cls = ' class="gap"' if cell.gap else f' class="tone-{cell.tone}"'
            inner = f'<span aria-hidden="true">{e(cell.shown())}</span><span class="sr">{e(cell.spoken())}</span>'
            url = cell_href(gm, r, c, base) if base is not None else None
            tds.append(f'<td{cls} style="background:{bg};color:{fg}" title="{e(cell.spoken())}">'
                       f'{link(inner, url)}</td>')
        label = link(e(r.label), page_href(r.iri, base or "/"))
        body.append(f'<tr><th scope="row"><span class="label"{rec_lang}>{label}</span> '
                    f'<code>{e(r.short)}</code></th>{"".join(tds)}</tr>')
    recommendation = _("Recommendation")
    legend = " ".join((_(LEGEND) + ".", *((_(SOURCE_ONLY) + ".",) if gm.source_only else ()),
                       *((_(MERGED) + ".",) if merges(gm) else ()),
                       _("Darker cells hold more practices and findings; the bar on a cell's left shows the "
                         "findings' direction (green positive, red negative, amber mixed or both, grey none), "
                         "which the signs also give."),
                       _("Computed by the saved query %(query)s of gfmdkg.") % {
                           "query": SOURCE_ONLY_QUERY if gm.source_only else QUERY}))
    caption = _("%(title)s: %(rows)s recommendations by %(columns)s outcome domains, %(gaps)s gaps") % {
        "title": title, "rows": len(gm.rows), "columns": len(gm.columns), "gaps": gm.gaps}
    tones = "\n".join(f"td.tone-{k} {{ box-shadow: inset 6px 0 0 {v}; }}" for k, v in TONES.items())
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #111; background: #fff; }}
table {{ border-collapse: collapse; font-size: 0.9rem; }}
caption {{ text-align: left; font-size: 1.2rem; font-weight: bold; margin-bottom: 0.5rem; }}
th, td {{ border: 1px solid #777; padding: 0.35rem 0.5rem; }}
thead th {{ background: #eee; vertical-align: bottom; }}
th[scope=row] {{ text-align: left; font-weight: normal; max-width: 28rem; background: #fafafa; }}
th[scope=row] code {{ display: block; color: #444; font-size: 0.75rem; }}
td {{ text-align: center; min-width: 5.5rem; white-space: nowrap; }}
td a {{ color: inherit; }}
{tones}
td.gap {{ background-image: repeating-linear-gradient(45deg, #fff 0 6px, #e6e6e6 6px 12px) !important;
          color: #6b0000 !important; font-weight: bold; }}
.sr {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }}
.legend {{ margin-top: 1rem; max-width: 60rem; }}
</style>
</head>
<body>
<main>
<table>
<caption>{e(caption)}</caption>
<thead><tr><th scope="col">{e(recommendation)}</th>{head}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
</table>
<p class="legend">{e(legend)}</p>
</main>
</body>
</html>
"""


def render(gm: GapMap, fmt: str, *, base: str | None = None, wide: bool = False) -> str | bytes:
    """The map in ``fmt`` (text formats as str, png as bytes); html and svg link to the pages under ``base``;
    ``wide``: the table with whole labels, unfitted."""
    if fmt == "table":
        return to_table(gm, wide=wide)
    if fmt == "png":
        from gfmdkg.gapmap_png import to_png
        return to_png(gm)
    if fmt == "svg":
        from gfmdkg.gapmap_svg import to_svg
        return to_svg(gm, base=base)
    if fmt == "html":
        return to_html(gm, base=base)
    return {"table": to_table, "csv": to_csv, "md": to_markdown, "json": to_json}[fmt](gm)
