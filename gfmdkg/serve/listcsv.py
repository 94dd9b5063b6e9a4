"""A list page as CSV: every row of the filtered, sorted list (not only the page shown), cells neutralised against
spreadsheet formulas (:mod:`gfmdkg.spreadsheet`)."""

from __future__ import annotations

from gfmdkg.serve import columns as cols
from gfmdkg.spreadsheet import csv_text


def to_csv(listed: dict) -> str:
    """CSV text (RFC 4180, CRLF) of :func:`gfmdkg.serve.listing.listing` run with ``page=None``: the IRI, the
    name, its language, the list's columns, the description and, for contributions, the review status."""
    extra = [c.name for c in cols.columns(listed["spec"].name)]
    return csv_text(["iri", "label", "label_lang", *extra, "description", "review_status"],
                    ([r["iri"], r["label"], r["lang"] or "", *r["cells"], r["description"], r["review"] or ""]
                     for r in listed["rows"]))
