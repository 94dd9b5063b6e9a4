"""The native engine's results as the project's :class:`ValidationResult` list and as a SHACL validation report."""

from __future__ import annotations

import pyoxigraph as ox

from gfmdkg.validation import literals
from gfmdkg.validation.native import RDF_TYPE, Result
from gfmdkg.validation.report import ValidationResult
from gfmdkg.validation.shapes_model import COMPONENTS, SH


def flatten(results: list[Result]) -> list[ValidationResult]:
    """Every result and, depth first, its details: what pySHACL's report graph holds as sh:ValidationResult."""
    out: list[ValidationResult] = []
    todo = list(reversed(results))
    while todo:
        r = todo.pop()
        s = r.shape
        out.append(ValidationResult(
            focus=literals.lexical(r.focus), message=r.message, severity=s.severity,
            path=s.path.value if s.path is not None else None,
            value=literals.lexical(r.value) if r.value is not None else None,
            source_shape=s.reported_as.value if s.reported_as is not None else None,
            constraint=_component(r.component)))
        todo.extend(reversed(r.details))
    return out


def _component(name: str) -> str:
    return COMPONENTS[name]


def report_turtle(results: list[Result]) -> str:
    """The SHACL validation report (sh:ValidationReport, sh:conforms, sh:result, sh:detail) as Turtle."""
    def sh(name: str) -> ox.NamedNode:
        return ox.NamedNode(SH + name)
    triples: list[ox.Triple] = []
    report = ox.BlankNode()
    conforms = not any(r.shape.severity == "Violation" for r in results)
    triples += [ox.Triple(report, ox.NamedNode(RDF_TYPE), sh("ValidationReport")),
                ox.Triple(report, sh("conforms"), ox.Literal(str(conforms).lower(),
                                                             datatype=ox.NamedNode(literals.XSD + "boolean")))]

    def emit(r: Result, parent, link: str) -> None:
        node = ox.BlankNode()
        triples.append(ox.Triple(parent, sh(link), node))
        triples.append(ox.Triple(node, ox.NamedNode(RDF_TYPE), sh("ValidationResult")))
        triples.append(ox.Triple(node, sh("focusNode"), r.focus))
        if r.shape.path is not None:
            triples.append(ox.Triple(node, sh("resultPath"), r.shape.path))
        if r.value is not None:
            triples.append(ox.Triple(node, sh("value"), r.value))
        triples.append(ox.Triple(node, sh("sourceShape"), r.shape.node))
        triples.append(ox.Triple(node, sh("sourceConstraintComponent"), sh(_component(r.component))))
        triples.append(ox.Triple(node, sh("resultSeverity"), sh(r.shape.severity)))
        for m in r.shape.message_terms or [ox.Literal(r.message)]:
            triples.append(ox.Triple(node, sh("resultMessage"), m))
        for d in r.details:
            emit(d, node, "detail")
    for r in results:
        emit(r, report, "result")
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                        prefixes={"sh": SH, "xsd": literals.XSD}).decode("utf-8")
