"""Writing query answers: a terminal table, CSV, TSV, Markdown, SPARQL JSON; graph answers as RDF."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import BinaryIO

from gfmdkg import termtable
from gfmdkg.namespaces import shorten
from gfmdkg.spreadsheet import csv_text, neutralise
from gfmdkg.store.base import Result

TABULAR = ("table", "csv", "tsv", "json", "md")
#: rows the table format shows at once; longer answers are paged (--offset / --limit)
TABLE_PAGE = 1000
#: a column holding the label of the IRI column just before it (``practice, title``; ``org1, name1``)
LABEL_NAME = re.compile(r"(?:label|title|name|citation)\d*|\w+(?:Label|Name|Title)\d*")


def safe_csv(data: bytes) -> bytes:
    """CSV written by an engine with :func:`gfmdkg.spreadsheet.neutralise` applied to every cell; a pass over the
    text that rewrites it only when some cell starts like a formula (rare in this graph), so the common case costs
    a scan."""
    if not re.search(rb'(?:^|[,\n])(?:[=+\-@\t]|"[=+\-@\t\r])', data):  # a CR in a cell is always quoted
        return data
    header, *rows = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    return csv_text(header, rows).encode("utf-8")


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


def labelled(vars_: list[str], rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    """The columns and cells a person reads: an IRI column whose label the query also returns (``recLabel`` for
    ``rec``; ``title`` right after ``practice``) shows that label under the IRI column's name, and the label column
    goes; other IRIs show as prefixed names."""
    label_of: dict[str, str] = {}
    for i, v in enumerate(vars_):
        named = [n for n in (v + "Label", v + "Name", v + "Title") if n in vars_]
        nxt = vars_[i + 1] if i + 1 < len(vars_) else None
        column = named[0] if named else nxt if nxt and LABEL_NAME.fullmatch(nxt) else None
        if column and column not in label_of and column not in label_of.values() and \
                any(r.get(v, {}).get("type") == "uri" for r in rows) and \
                all(r.get(column, {}).get("type", "literal") == "literal" for r in rows):
            label_of[v] = column
    head = [v for v in vars_ if v not in label_of.values()]
    body = [[cell(r.get(label_of[v])) or cell(r.get(v)) if v in label_of else _readable(r.get(v)) for v in head]
            for r in rows]
    return head, body


def _readable(term: dict | None) -> str:
    """A cell, with the IRIs in a literal's text (a list of practices) written as prefixed names."""
    text = cell(term)
    if term is None or term["type"] != "literal" or "://" not in text:
        return text
    return re.sub(r"https?://[^\s<>\"]+", lambda m: s if not (s := shorten(m[0])).startswith("<") else m[0], text)


def format_result(result: Result, fmt: str = "table", *, width: int | None = None, wide: bool = False) -> str:
    """Render ``result`` in ``fmt``; graph results (CONSTRUCT/DESCRIBE) are always written as Turtle or JSON-LD.
    The table fits ``width`` columns (default: the terminal's), or shows every cell whole when ``wide``."""
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        return format_graph(result, "jsonld" if fmt == "json" else "nt" if fmt in ("csv", "tsv") else "turtle")
    if fmt == "json":
        return json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n"
    if result.form == "ASK":
        return ("true" if result.boolean else "false") + "\n"
    rows = result.rows
    vars_ = result.vars
    if fmt == "csv":
        return csv_text(vars_, ([cell(r.get(v), short=False) for v in vars_] for r in rows))
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in vars_)]
        lines += ["\t".join(_tsv_term(r.get(v)) for v in vars_) for r in rows]
        return "\n".join(lines) + "\n"
    if fmt == "md":
        def esc(s: str) -> str:
            return s.replace("|", "\\|").replace("\n", " ")
        out = ["| " + " | ".join(vars_) + " |", "|" + "---|" * len(vars_)]
        out += ["| " + " | ".join(esc(cell(r.get(v))) for v in vars_) + " |" for r in rows]
        return "\n".join(out) + "\n"
    head, body = labelled(vars_, rows)
    total = result.total if result.total is not None else len(rows)
    footer = f"{total} row{'s' if total != 1 else ''}" + (
        f" (the first {len(rows)} shown: page with --limit/--offset, or -f csv for all)" if total > len(rows) else "")
    lines = termtable.grid(head, body, width=width, wide=wide) + termtable.notes([footer], width=width, wide=wide)
    return "\n".join(lines) + "\n"


def write_answer(engine, sparql: str, bindings: dict | None, fmt: str, out: BinaryIO, *, timeout: float,
                 wide: bool = False) -> None:
    """Write the answer of ``sparql`` on a local ``engine`` in ``fmt`` to ``out``: SELECT answers as the engine
    serialises them (JSON streamed as it arrives, CSV once its cells are checked by :func:`safe_csv`; nothing
    decoded here), the table one page of :data:`TABLE_PAGE` rows; other answers (and TSV, whose literals are
    neutralised inside their quotes) formatted here."""
    if fmt == "csv":
        data = engine.serialized(sparql, bindings, fmt=fmt, timeout=timeout)
        if data is not None:
            out.write(safe_csv(data))
            return
    elif fmt == "json":
        if engine.serialized(sparql, bindings, fmt=fmt, timeout=timeout, sink=out.write) is not None:
            if fmt == "json":
                out.write(b"\n")
            return
    if fmt == "table":
        result = engine.page(sparql, bindings, rows=TABLE_PAGE, timeout=timeout)
    else:
        result = engine.query(sparql, bindings, timeout=timeout)
    out.write(format_result(result, fmt, wide=wide).encode("utf-8"))


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
