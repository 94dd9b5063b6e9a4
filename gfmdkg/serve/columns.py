"""The columns of the list pages beyond the name, and sorting by them: ``?sort=NAME&order=asc|desc``.

Only the names in :data:`COLUMNS` (and ``label``) are accepted; each maps to fixed query text, so no request value
ever reaches a query as syntax. Counts are computed in a subquery per column (no cross product with the labels).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from gfmdkg.serve.i18n import LANGUAGES, N_, current, sparql_sort_key

ORG_PATH = "gfmd:partner|schema:funder|gfmd:implementedBy|gfmd:coordinatedBy"
DCAT_START = "<http://www.w3.org/ns/dcat#startDate>"


@dataclass(frozen=True)
class Column:
    """A column: ``pattern`` binds ``?v`` for ``?item`` (``{lang}``: the page language); ``count`` columns count
    the distinct values, the others show one value (ordered as text when ``text``)."""

    name: str
    heading: str
    pattern: str
    count: bool = True
    text: bool = False
    first: str = "desc"  # the order of a first click on its header: the largest counts first

    def var(self) -> str:
        return "?col_" + self.name.replace("-", "_")


LABEL = Column("label", N_("Name"), "", count=False, text=True, first="asc")
PRACTICES_SPATIAL = Column("practices", N_("Practices"), "?v a gfmd:Practice ; dcterms:spatial ?item")
COLUMNS: dict[str, tuple[Column, ...]] = {
    "practices": (Column("countries", N_("Countries"), "?item dcterms:spatial ?v . ?v a schema:Country"),
                  Column("start", N_("Start"), f"?item dcterms:temporal/{DCAT_START} ?v", count=False, first="asc")),
    "findings": (Column("direction", N_("Effect direction"), '?item gfmd:effectDirection/skos:prefLabel ?v '
                        'FILTER(LANG(?v) = "{lang}")', count=False, text=True, first="asc"),
                 Column("works", N_("Cited works"), "?item cito:citesAsEvidence ?v")),
    "recommendations": (Column("practices", N_("Practices"), "?v gfmd:supports ?item"),
                        Column("findings", N_("Findings"), "?v gfmd:isEvidenceFor ?item")),
    "organisations": (Column("practices", N_("Practices"), f"?v {ORG_PATH} ?item"),),
    "countries": (PRACTICES_SPATIAL,
                  Column("findings", N_("Findings"), "?v a gfmd:Finding ; dcterms:spatial ?item")),
    "sources": (Column("findings", N_("Findings"), "?v cito:citesAsEvidence ?item"),),
}


def columns(list_name: str) -> tuple[Column, ...]:
    return COLUMNS.get(list_name, ())


def sorting(list_name: str, args: dict[str, str]) -> tuple[Column, str]:
    """The column to sort by and the order, from ``sort`` and ``order`` (anything else: the name, ascending)."""
    by = {c.name: c for c in (LABEL, *columns(list_name))}
    column = by.get(args.get("sort", ""), LABEL)
    order = args.get("order", "")
    return column, order if order in ("asc", "desc") else column.first


def projection(list_name: str) -> str:
    """The SELECT terms of the columns (after GROUP BY ?item): counts (0 when none) and single values."""
    return " ".join(f"(COALESCE(SAMPLE({c.var()}), 0) AS {c.var()}_out)" if c.count
                    else f"(SAMPLE({c.var()}) AS {c.var()}_out)" for c in columns(list_name))


def patterns(list_name: str) -> str:
    """The graph patterns that bind the columns for each ?item."""
    lang = current()
    assert lang in LANGUAGES
    out = []
    for c in columns(list_name):
        pattern = c.pattern.replace("{lang}", lang)
        if c.count:
            out.append(f"OPTIONAL {{ SELECT ?item (COUNT(DISTINCT ?v) AS {c.var()}) WHERE {{ {pattern} }} "
                       "GROUP BY ?item }")
        else:
            out.append(f"OPTIONAL {{ {pattern.replace('?v', c.var())} }}")
    return "\n  ".join(out)


def order_by(column: Column, order: str) -> str:
    """The ORDER BY clause: fixed text for a whitelisted column, then the IRI for a stable order."""
    expr = sparql_sort_key("?label") if column is LABEL else (
        sparql_sort_key(column.var() + "_out") if column.text else column.var() + "_out")
    return f"ORDER BY {'DESC' if order == 'desc' else 'ASC'}({expr}) ?item"


def cell(row: dict, column: Column) -> str:
    """A column's value in one result row, as text."""
    return row.get(column.var()[1:] + "_out", {}).get("value", "")


def headers(list_name: str, column: Column, order: str, params: dict[str, str], base: str) -> list[dict]:
    """The column headers: heading, link that sorts by it (the other order when it is the current one) and
    ``aria-sort``."""
    out = []
    for c in (LABEL, *columns(list_name)):
        current_one = c.name == column.name
        next_order = ("desc" if order == "asc" else "asc") if current_one else c.first
        query = {k: v for k, v in params.items() if k not in ("sort", "order", "page")}
        query.update(sort=c.name, order=next_order)
        out.append({"name": c.name, "heading": c.heading, "href": f"{base}?{urlencode(query)}",
                    "sort": ("ascending" if order == "asc" else "descending") if current_one else None,
                    "number": c.count})
    return out
