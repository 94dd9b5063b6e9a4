"""SHACL through the ``shacl`` library (a Rust SHACL Core engine on PyPI): gfmdkg's default engine.

On shapes within its reach its report has pySHACL's top-level ``sh:result`` set: the same focus node, path, value,
source shape (the named shape a constraint belongs to), constraint component, severity and message for each result
(``tests/test_validation_library.py`` proves it on every fixture and on synthetic catalogues; ``bench/`` on 1k-100k
practices). pySHACL stays the reference, and the engine for shapes using a feature listed by :func:`lacks`.

The library reads the graph as N-Quads text (the union of the named graphs is validated, each triple once), never
follows ``owl:imports`` and reads no file or URL itself. It runs in a bounded child process (deadline, memory cap).
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from gfmdkg.validation.report import ValidationResult

SH = "http://www.w3.org/ns/shacl#"
#: predicates of SHACL features outside SHACL Core (SPARQL, rules, JavaScript): pySHACL validates such shapes
BEYOND_CORE = {f"{SH}{p}": name for p, name in (
    ("sparql", "SPARQL-based constraints (sh:sparql)"), ("target", "SPARQL-based targets (sh:target)"),
    ("rule", "SHACL rules (sh:rule)"), ("parameter", "custom constraint components (sh:parameter)"),
    ("validator", "custom constraint components (sh:validator)"),
    ("nodeValidator", "custom constraint components (sh:nodeValidator)"),
    ("propertyValidator", "custom constraint components (sh:propertyValidator)"),
    ("js", "SHACL-JS (sh:js)"), ("jsFunctionName", "SHACL-JS (sh:jsFunctionName)"))}
#: parameters of the SHACL Core constraint components: a shape with one of them can produce a result
CONSTRAINTS = {SH + p for p in (
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive", "maxExclusive",
    "maxInclusive", "minLength", "maxLength", "pattern", "languageIn", "uniqueLang", "equals", "disjoint", "lessThan",
    "lessThanOrEquals", "not", "and", "or", "xone", "node", "qualifiedValueShape", "closed", "hasValue", "in")}
TARGETS = {SH + p for p in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def lacks(shapes: list[ox.Quad]) -> str | None:
    """The first feature of ``shapes`` for which this engine's report would not be pySHACL's, or None.

    Beyond SHACL Core (SPARQL constraints and targets, rules, custom components, SHACL-JS): not claimed by the library
    nor checked here. A constraint without ``sh:message`` on a shape that reports top-level results: the library and
    pySHACL word their default messages differently.
    """
    for q in shapes:
        if q.predicate.value in BEYOND_CORE:
            return BEYOND_CORE[q.predicate.value]
    by_subject: dict[ox.Term, set[str]] = {}
    children: dict[ox.Term, list[ox.Term]] = {}
    for q in shapes:
        by_subject.setdefault(q.subject, set()).add(q.predicate.value)
        if q.predicate.value == SH + "property":
            children.setdefault(q.subject, []).append(q.object)
    classes = {q.subject for q in shapes if q.predicate.value == RDF_TYPE and q.object.value in
               (SH + "NodeShape", SH + "PropertyShape")}
    todo = [s for s, preds in by_subject.items() if preds & TARGETS or s in classes]
    seen: set[ox.Term] = set()
    while todo:
        shape = todo.pop()
        if shape in seen:
            continue
        seen.add(shape)
        preds = by_subject.get(shape, set())
        if preds & CONSTRAINTS and SH + "message" not in preds:
            name = shape.value if isinstance(shape, ox.NamedNode) else "a blank-node shape"
            which = ", ".join(sorted(p[len(SH):] for p in preds & CONSTRAINTS))
            return f"constraints without sh:message (on {name}: {which})"
        todo += children.get(shape, [])
    return None


def _plain(term: str | None) -> str | None:
    """An N-Triples IRI or blank node as the report's text (as pySHACL's): the IRI, or the blank node's label."""
    if term is None:
        return None
    return term[1:-1] if term.startswith("<") and term.endswith(">") else term.removeprefix("_:")


def _result(r) -> ValidationResult:
    """One of the library's results as gfmdkg's :class:`ValidationResult`, named as pySHACL's would be."""
    path = r.path if r.path and r.path.startswith("<") and r.path.endswith(">") and " " not in r.path else None
    shape = r.root_shape if r.root_shape and r.root_shape.startswith("<") else None
    return ValidationResult(
        focus=_plain(r.focus_node), message=sorted(r.messages)[0] if r.messages else "does not conform to the shape",
        severity=r.severity, path=_plain(path), source_shape=_plain(shape), constraint=r.component,
        value=_plain(r.value) if r.value is not None and r.value.startswith(("<", "_:")) else r.value_plain)


def validate_store(store: ox.Store, shapes_text: str) -> tuple[list[ValidationResult], str]:
    """The library's results on ``store`` (union of its graphs) against ``shapes_text`` (Turtle), and its report as
    Turtle."""
    import shacl

    data = ox.serialize(store, format=ox.RdfFormat.N_QUADS).decode("utf-8")
    report = shacl.Shapes.from_text(shapes_text, format="turtle", base="urn:gfmdkg:shapes").validate_text(
        data, format="nquads", base="urn:gfmdkg:data", allow_warnings=True)
    return [_result(r) for r in report.results], report.turtle


def validate_bounded(store: ox.Store, shapes_text: str, *, timeout: float,
                     memory: int) -> tuple[list[ValidationResult], str]:
    """:func:`validate_store` in a child process stopped at ``timeout`` seconds or ``memory`` bytes of address
    space (:mod:`gfmdkg.bounded`)."""
    from gfmdkg.bounded import run_bounded

    def work() -> bytes:
        results, turtle = validate_store(store, shapes_text)
        return json.dumps({"results": [r.__dict__ for r in results], "turtle": turtle}).encode()
    doc = json.loads(run_bounded(work, timeout=timeout, memory=memory, max_bytes=2**31, what="SHACL validation"))
    return [ValidationResult(**d) for d in doc["results"]], doc["turtle"]
