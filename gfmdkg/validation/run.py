"""Running the SHACL shapes (pySHACL, with our own shapes graph, never the data as shapes) and the QC queries."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from gfmdkg.namespaces import PREFIXES
from gfmdkg.project import Project
from gfmdkg.rdfio import find_line, parse_file
from gfmdkg.store.loading import project_quads
from gfmdkg.store.rdflib_engine import rdflib_graph
from gfmdkg.validation.report import VIOLATION, Report, ValidationResult

SH = "http://www.w3.org/ns/shacl#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
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

    sh = rdflib.Namespace(SH)
    _conforms, report_graph, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False, allow_warnings=True, meta_shacl=False,
        advanced=False, do_owl_imports=False,
        focus_nodes=[rdflib.URIRef(f) for f in focus_nodes] if focus_nodes else None)
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
    return results, report_graph.serialize(format="turtle")


def qc_results(project: Project, engine) -> list[ValidationResult]:
    """Rows of every queries/qc/*-violation.rq check, as violations (the first column is the offending node)."""
    from gfmdkg.sparql.catalogue import parse_saved_query

    out = []
    for path in project.query_files():
        if path.parent.name != "qc" or not path.stem.endswith("-violation"):
            continue
        saved = parse_saved_query(path)
        result = engine.query(saved.text, timeout=QC_TIMEOUT)
        for row in result.rows:
            first = row.get(result.vars[0]) if result.vars else None
            detail = "; ".join(f"{v}={row[v]['value']}" for v in result.vars[1:] if v in row)
            out.append(ValidationResult(focus=first["value"] if first else "(no node)",
                                        message=f"{saved.summary}" + (f" ({detail})" if detail else ""),
                                        severity=VIOLATION, source_shape=f"qc:{path.stem}"))
    return out


def locate(results: list[ValidationResult], quads: list[ox.Quad], project: Project,
           extra_files: list[Path] | None = None) -> list[ValidationResult]:
    """Fill in each result's label, file and line from the quads (which named graph = which file states it)."""
    files: dict[str, Path] = {project.graph_iri(p): p for p in project.graph_files()}
    files.update({extra_graph_iri(p): Path(p) for p in extra_files or []})
    stated_in: dict[str, str] = {}
    labels: dict[str, str] = {}
    for q in quads:
        s = q.subject.value if isinstance(q.subject, ox.NamedNode) else None
        if s is None:
            continue
        if isinstance(q.graph_name, ox.NamedNode):
            stated_in.setdefault(s, q.graph_name.value)
        if q.predicate.value == RDFS_LABEL and isinstance(q.object, ox.Literal):
            labels.setdefault(s, q.object.value)
    out = []
    line_cache: dict[tuple[str, str], int | None] = {}
    for r in results:
        graph = stated_in.get(r.focus)
        if graph is None and "#" in r.focus:
            graph = stated_in.get(r.focus.split("#", 1)[0])
        path = files.get(graph) if graph else None
        line = None
        if path is not None:
            key = (str(path), r.focus)
            if key not in line_cache:
                line_cache[key] = find_line(path, r.focus, PREFIXES)
            line = line_cache[key]
        rel = project.relative(path) if path is not None else None
        out.append(ValidationResult(**{**r.__dict__, "file": rel, "line": line,
                                       "label": labels.get(r.focus) or labels.get(r.focus.split("#", 1)[0])}))
    return out


def validate(project: Project, extra_files: list[Path] | None = None,
             extra_quads: list[ox.Quad] | None = None, *, qc: bool = True,
             focus_nodes: list[str] | None = None) -> Report:
    """Validate the project's graph, plus ``extra_files`` / ``extra_quads`` (a contribution) together with it.

    ``focus_nodes`` restricts the SHACL run to those nodes (a contribution's own nodes), the rest of the graph
    serving as context. Parse errors raise :class:`gfmdkg.errors.ParseError` (exit 2); SHACL and QC problems are
    in the report.
    """
    quads = list(project_quads(project))
    for path in extra_files or []:
        quads += parse_file(path, graph=extra_graph_iri(path))
    quads += extra_quads or []
    data = rdflib_graph(quads)
    results, turtle = shacl_results(data, shapes_graph(project), focus_nodes)
    if qc:
        from gfmdkg.store.oxigraph_engine import OxigraphEngine
        engine = OxigraphEngine.in_memory(quads) if (extra_files or extra_quads) else None
        if engine is None:
            from gfmdkg.store import open_engine
            engine = open_engine(project)
        results += qc_results(project, engine)
    subjects = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
    return Report(results=locate(results, quads, project, extra_files), shacl_turtle=turtle,
                  checked_nodes=len(subjects))


def extra_graph_iri(path: Path | str) -> str:
    """The named graph of a file validated together with the project (not part of it)."""
    return Path(path).resolve().as_uri()
