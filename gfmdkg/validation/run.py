"""Running the SHACL shapes (the native engine, or pySHACL with our own shapes graph, never the data as shapes)
and the QC queries, and locating the results in the files."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from gfmdkg.project import Project
from gfmdkg.rdfio import parse_file
from gfmdkg.store.loading import load_into
from gfmdkg.store.rdflib_engine import rdflib_graph
from gfmdkg.validation.located import locate
from gfmdkg.validation.report import VIOLATION, Report, ValidationResult

SH = "http://www.w3.org/ns/shacl#"
#: QC checks scan the whole graph: a larger bound than interactive queries (about 30 s at 100k practices)
QC_TIMEOUT = 300.0


def shapes_graph(project: Project):
    """The project's shapes as an rdflib graph (parsed from bytes we read, never from a URL)."""
    return rdflib_graph(parse_file(project.shapes_file))


def _parent_shape(shapes, node):
    """The named shape a (possibly blank) property shape belongs to, for stable shape IDs in reports."""
    import rdflib

    seen = set()
    while isinstance(node, rdflib.BNode) and node not in seen:
        seen.add(node)
        parent = next(iter(shapes.subjects(None, node)), None)
        if parent is None:
            break
        node = parent
    return node


def shacl_results(data, shapes, focus_nodes: list[str] | None = None) -> tuple[list[ValidationResult], str]:
    """Validate ``data`` (rdflib Graph) against ``shapes`` (only ``focus_nodes`` when given); results plus the
    SHACL report as Turtle."""
    import pyshacl
    import rdflib

    _conforms, report_graph, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False, allow_warnings=True, meta_shacl=False,
        advanced=False, do_owl_imports=False,
        focus_nodes=[rdflib.URIRef(f) for f in focus_nodes] if focus_nodes else None)
    return report_results(report_graph, shapes), report_graph.serialize(format="turtle")


def report_results(report_graph, shapes) -> list[ValidationResult]:
    """The results of a pySHACL validation report (rdflib graph), each named by the shape it belongs to."""
    import rdflib

    sh = rdflib.Namespace(SH)
    results = []
    for res in report_graph.subjects(rdflib.RDF.type, sh.ValidationResult):
        def one(p, res=res):
            return report_graph.value(res, p)
        focus, path, value = one(sh.focusNode), one(sh.resultPath), one(sh.value)
        shape = one(sh.sourceShape)
        named = _parent_shape(shapes, shape)
        severity = str(one(sh.resultSeverity) or SH + "Violation").rsplit("#", 1)[-1]
        messages = sorted(str(m) for m in report_graph.objects(res, sh.resultMessage))
        results.append(ValidationResult(
            focus=str(focus), message=messages[0] if messages else "does not conform to the shape", severity=severity,
            path=str(path) if isinstance(path, rdflib.URIRef) else None,
            value=str(value) if value is not None else None,
            source_shape=str(named) if isinstance(named, rdflib.URIRef) else None,
            constraint=str(one(sh.sourceConstraintComponent) or "").rsplit("#", 1)[-1] or None))
    return results


def qc_results(project: Project, engine) -> list[ValidationResult]:
    """Rows of every queries/qc/*-violation.rq check, as violations (the first column is the offending node; columns
    ``property`` and ``target``, when the check has both, are the offending statement's property and value)."""
    from gfmdkg.sparql.catalogue import parse_saved_query

    out = []
    for path in project.query_files():
        if path.parent.name != "qc" or not path.stem.endswith("-violation"):
            continue
        saved = parse_saved_query(path)
        result = engine.query(saved.text, timeout=QC_TIMEOUT)
        statement = {"property", "target"} <= set(result.vars[1:])
        for row in result.rows:
            first = row.get(result.vars[0]) if result.vars else None
            stated = statement and all(v in row for v in ("property", "target"))
            detail = "; ".join(f"{v}={row[v]['value']}" for v in result.vars[1:]
                               if v in row and not (stated and v in ("property", "target")))
            out.append(ValidationResult(focus=first["value"] if first else "(no node)",
                                        message=f"{saved.summary}" + (f" ({detail})" if detail else ""),
                                        severity=VIOLATION, source_shape=f"qc:{path.stem}",
                                        path=row["property"]["value"] if stated else None,
                                        value=row["target"]["value"] if stated else None))
    return out


def shacl_on_store(project: Project, store: ox.Store, *, engine: str = "native",
                   focus_nodes: list[str] | None = None) -> tuple[list[ValidationResult], str]:
    """SHACL results on ``store`` (union of its graphs): the native engine, or pySHACL when asked for or when the
    shapes use a feature the native engine does not implement (said on stderr)."""
    if engine == "native":
        from gfmdkg.validation.native import Evaluator
        from gfmdkg.validation.native_report import flatten, report_turtle
        from gfmdkg.validation.shapes_model import Unsupported, load
        try:
            evaluator = Evaluator(store, load(parse_file(project.shapes_file)))
            found = evaluator.run([ox.NamedNode(f) for f in focus_nodes] if focus_nodes else None)
            return flatten(found), report_turtle(found)
        except Unsupported as exc:
            import sys
            print(f"gfmdkg: the native SHACL engine does not support {exc} (in {project.relative(project.shapes_file)}"
                  "): validating with pySHACL instead", file=sys.stderr)
    return shacl_results(rdflib_graph(iter(store)), shapes_graph(project), focus_nodes)


def count_subjects(store: ox.Store) -> int:
    """How many distinct IRIs are subjects (the nodes checked)."""
    rows = store.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }",
                       use_default_graph_as_union=True)
    return int(next(iter(rows))[0].value)


def validate(project: Project, extra_files: list[Path] | None = None,
             extra_quads: list[ox.Quad] | None = None, *, qc: bool = True,
             focus_nodes: list[str] | None = None, shacl_engine: str = "native") -> Report:
    """Validate the project's graph, plus ``extra_files`` / ``extra_quads`` (a contribution) together with it.

    The graph (with extra files or quads) is loaded into an in-memory store; the QC queries run in a child process
    beside the SHACL shapes. ``focus_nodes`` restricts the SHACL run to those nodes (a contribution's own nodes),
    the rest of the graph serving as context. ``shacl_engine`` is ``native`` (default) or ``pyshacl`` (the
    reference). Parse errors raise :class:`gfmdkg.errors.ParseError` (exit 2); SHACL and QC problems are in the
    report.
    """
    from gfmdkg.store.oxigraph_engine import OxigraphEngine

    extra: list[ox.Quad] = []
    for path in extra_files or []:
        extra += parse_file(path, graph=extra_graph_iri(path))
    extra += extra_quads or []
    # in memory, also for the project alone: at 10k practices loading the files (1.1 s) and querying in memory
    # beat opening the on-disk index (20 ms) and querying it (SHACL 2.7x, QC 4.7x slower; see the report of #8)
    store = ox.Store()
    load_into(store, project)
    store.bulk_extend(extra)
    engine = OxigraphEngine(store)
    qc_done = _start_qc(project, engine) if qc else None
    results, turtle = shacl_on_store(project, store, engine=shacl_engine, focus_nodes=focus_nodes)
    if qc_done is not None:
        results += qc_done()
    return Report(results=locate(results, store, project, extra_files), shacl_turtle=turtle,
                  checked_nodes=count_subjects(store))


def _start_qc(project: Project, engine):
    """Start the QC queries in a child process (beside the SHACL run); the returned function collects them."""
    import json

    from gfmdkg.bounded import start_bounded

    def work() -> bytes:
        return json.dumps([r.__dict__ for r in qc_results(project, engine)]).encode()
    pending = start_bounded(work, timeout=QC_TIMEOUT * 2, what="QC checks")
    return lambda: [ValidationResult(**d) for d in json.loads(pending())]


def extra_graph_iri(path: Path | str) -> str:
    """The named graph of a file validated together with the project (not part of it)."""
    return Path(path).resolve().as_uri()
