"""Writing query answers: a terminal table, CSV, TSV, Markdown, SPARQL JSON; graph answers as RDF."""

from __future__ import annotations

import csv
import io
import json

from gfmdkg.namespaces import shorten
from gfmdkg.spreadsheet import neutralise
from gfmdkg.store.base import Result

TABULAR = ("table", "csv", "tsv", "json", "md")


def cell(term: dict | None, *, short: bool = True) -> str:
    """A term as a person reads it: prefixed IRIs, plain literal values."""
    if term is None:
        return ""
    if term["type"] == "uri":
        return shorten(term["value"]) if short else term["value"]
    if term["type"] == "bnode":
        return "_:" + term["value"]
    return term["value"]


def _tsv_term(term: dict | None) -> str:
    """SPARQL 1.1 TSV results encoding of a term."""
    if term is None:
        return ""
    if term["type"] == "uri":
        return f"<{term['value']}>"
    if term["type"] == "bnode":
        return "_:" + term["value"]
    value = neutralise(term["value"])  # a spreadsheet opening the TSV would run a formula (gfmdkg.spreadsheet)
    value = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    if "xml:lang" in term:
        return f'"{value}"@{term["xml:lang"]}'
    if "datatype" in term:
        return f'"{value}"^^<{term["datatype"]}>'
    return f'"{value}"'


def format_result(result: Result, fmt: str = "table", *, max_width: int = 60) -> str:
    """Render ``result`` in ``fmt``; graph results (CONSTRUCT/DESCRIBE) are always written as Turtle or JSON-LD."""
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        return format_graph(result, "jsonld" if fmt == "json" else "nt" if fmt in ("csv", "tsv") else "turtle")
    if fmt == "json":
        return json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n"
    if result.form == "ASK":
        return ("true" if result.boolean else "false") + "\n"
    rows = result.rows
    vars_ = result.vars
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(vars_)
        for r in rows:
            w.writerow([neutralise(cell(r.get(v), short=False)) for v in vars_])
        return buf.getvalue()
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in vars_)]
        lines += ["\t".join(_tsv_term(r.get(v)) for v in vars_) for r in rows]
        return "\n".join(lines) + "\n"
    table = [[cell(r.get(v)) for v in vars_] for r in rows]
    if fmt == "md":
        def esc(s: str) -> str:
            return s.replace("|", "\\|").replace("\n", " ")
        out = ["| " + " | ".join(vars_) + " |", "|" + "---|" * len(vars_)]
        out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in table]
        return "\n".join(out) + "\n"
    # table
    clipped = [[c.replace("\n", " ") if len(c) <= max_width else c[: max_width - 1].replace("\n", " ") + "…"
                for c in row] for row in table]
    widths = [max([len(v)] + [len(row[i]) for row in clipped]) for i, v in enumerate(vars_)]
    sep = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [sep, "| " + " | ".join(v.ljust(w) for v, w in zip(vars_, widths, strict=True)) + " |", sep]
    out += ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in clipped]
    out.append(sep)
    out.append(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
    return "\n".join(out) + "\n"


def format_graph(result: Result, fmt: str = "turtle") -> str:
    """Triples of a CONSTRUCT/DESCRIBE answer as Turtle (with our prefixes), N-Triples or JSON-LD."""
    import pyoxigraph as ox

    from gfmdkg.namespaces import PREFIXES
    from gfmdkg.sparql.terms import to_oxigraph

    triples = [ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in result.triples]
    triples.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    used = {t.value for triple in triples for t in triple if isinstance(t, ox.NamedNode)}
    used |= {t.datatype.value for triple in triples for t in triple if isinstance(t, ox.Literal)}
    kwargs = {"prefixes": {p: ns for p, ns in PREFIXES.items() if any(u.startswith(ns) for u in used)}} \
        if fmt == "turtle" else {}
    return ox.serialize(triples, format=rdf_format, **kwargs).decode("utf-8")
