"""The SHACL shapes as a plan for the native engine, read with pyoxigraph (no rdflib).

Only the part of SHACL Core the native engine implements is accepted; any other feature raises
:class:`Unsupported`, naming it, so that the caller falls back to pySHACL instead of giving another answer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"

#: constraint parameters the engine evaluates; each maps to its SHACL constraint component
COMPONENTS = {
    "class": "ClassConstraintComponent", "datatype": "DatatypeConstraintComponent",
    "nodeKind": "NodeKindConstraintComponent", "minCount": "MinCountConstraintComponent",
    "maxCount": "MaxCountConstraintComponent", "in": "InConstraintComponent",
    "hasValue": "HasValueConstraintComponent", "pattern": "PatternConstraintComponent",
    "minLength": "MinLengthConstraintComponent", "maxLength": "MaxLengthConstraintComponent",
    "minInclusive": "MinInclusiveConstraintComponent", "maxInclusive": "MaxInclusiveConstraintComponent",
    "languageIn": "LanguageInConstraintComponent", "uniqueLang": "UniqueLangConstraintComponent",
    "node": "NodeConstraintComponent", "or": "OrConstraintComponent",
}
TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")
#: sh: terms on a shape that carry no constraint
INERT = {"property", "path", "severity", "message", "name", "description", "order", "group", "declare", "prefixes",
         "defaultValue", *TARGETS}
#: rdflib's default prefixes (bind_namespaces="rdflib"), as pySHACL's default messages abbreviate shape IRIs
RDFLIB_PREFIXES = {
    "brick": "https://brickschema.org/schema/Brick#", "csvw": "http://www.w3.org/ns/csvw#",
    "dc": "http://purl.org/dc/elements/1.1/", "dcat": "http://www.w3.org/ns/dcat#",
    "dcmitype": "http://purl.org/dc/dcmitype/", "dcterms": "http://purl.org/dc/terms/",
    "dcam": "http://purl.org/dc/dcam/", "doap": "http://usefulinc.com/ns/doap#",
    "foaf": "http://xmlns.com/foaf/0.1/", "geo": "http://www.opengis.net/ont/geosparql#",
    "odrl": "http://www.w3.org/ns/odrl/2/", "org": "http://www.w3.org/ns/org#",
    "prof": "http://www.w3.org/ns/dx/prof/", "prov": "http://www.w3.org/ns/prov#",
    "qb": "http://purl.org/linked-data/cube#", "schema": "https://schema.org/", "sh": SH,
    "skos": "http://www.w3.org/2004/02/skos/core#", "sosa": "http://www.w3.org/ns/sosa/",
    "ssn": "http://www.w3.org/ns/ssn/", "time": "http://www.w3.org/2006/time#",
    "vann": "http://purl.org/vocab/vann/", "void": "http://rdfs.org/ns/void#",
    "wgs": "https://www.w3.org/2003/01/geo/wgs84_pos#", "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": RDF, "rdfs": RDFS, "xsd": "http://www.w3.org/2001/XMLSchema#",
    "xml": "http://www.w3.org/XML/1998/namespace",
}


class Unsupported(Exception):
    """A shape uses a SHACL feature the native engine does not implement."""


@dataclass
class Shape:
    """One shape: its node, path (property shapes), targets, constraints and how its results are reported."""

    node: ox.NamedNode | ox.BlankNode
    path: ox.NamedNode | None = None
    targets: dict[str, list] = field(default_factory=dict)
    constraints: list[tuple[str, object]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    severity: str = "Violation"
    messages: list[str] = field(default_factory=list)
    message_terms: list = field(default_factory=list)
    reported_as: ox.NamedNode | None = None

    @property
    def is_property(self) -> bool:
        return self.path is not None


@dataclass
class ShapesModel:
    shapes: list[Shape]

    @property
    def targeted(self) -> list[Shape]:
        return [s for s in self.shapes if s.targets]


def default_message(component: str, shape: Shape, arg) -> str:
    """pySHACL's generic message, for the components the engine reproduces it for."""
    if component == "node" and isinstance(arg, ox.NamedNode):
        return f"Value does not conform to Shape {_n3(arg.value)}. See details for more information."
    raise Unsupported(f"a shape without sh:message using sh:{component} (pySHACL's generic message)")


def _n3(iri: str) -> str:
    best = max((ns for ns in RDFLIB_PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return f"<{iri}>"
    local = iri[len(best):]
    prefix = next(p for p, ns in RDFLIB_PREFIXES.items() if ns == best)
    if not local or not all(c.isalnum() or c in "_-." for c in local) or local[0] in "-.":
        return f"<{iri}>"
    return f"{prefix}:{local}"


def load(quads: list[ox.Quad]) -> ShapesModel:
    """The plan of the shapes in ``quads`` (a shapes graph); :class:`Unsupported` names what cannot be planned."""
    out: dict = defaultdict(list)
    parents: dict = {}
    for q in quads:
        out[q.subject].append((q.predicate.value, q.object))
        parents.setdefault(q.object, q.subject)
    shapes: dict = {}

    def objects(node, name: str) -> list:
        return [o for p, o in out.get(node, ()) if p == SH + name]

    def rdf_list(head) -> list:
        items, seen = [], set()
        while head != ox.NamedNode(RDF + "nil"):
            if head in seen:
                raise Unsupported("a cyclic RDF list in the shapes")
            seen.add(head)
            first = [o for p, o in out.get(head, ()) if p == RDF + "first"]
            rest = [o for p, o in out.get(head, ()) if p == RDF + "rest"]
            if len(first) != 1 or len(rest) != 1:
                raise Unsupported("a malformed RDF list in the shapes")
            items.append(first[0])
            head = rest[0]
        return items

    def named_parent(node):
        seen = set()
        while isinstance(node, ox.BlankNode) and node not in seen:
            seen.add(node)
            if node not in parents:
                break
            node = parents[node]
        return node if isinstance(node, ox.NamedNode) else None

    def shape(node, stack: tuple = ()) -> Shape:
        if node in stack:
            raise Unsupported("recursive shapes")
        if node in shapes:
            return shapes[node]
        s = Shape(node=node, reported_as=node if isinstance(node, ox.NamedNode) else named_parent(node))
        shapes[node] = s
        types = {o.value for p, o in out.get(node, ()) if p == RDF + "type"}
        if types & {RDFS + "Class", OWL_CLASS}:
            raise Unsupported("implicit class targets (a shape that is also a class)")
        for pred, obj in out.get(node, ()):
            if not pred.startswith(SH) or pred == SH + "deactivated" and obj.value == "false":
                continue
            name = pred[len(SH):]
            if name not in INERT and name not in COMPONENTS:
                raise Unsupported(f"sh:{name}")
        paths = objects(node, "path")
        if len(paths) > 1 or paths and not isinstance(paths[0], ox.NamedNode):
            raise Unsupported("property paths other than a single predicate")
        s.path = paths[0] if paths else None
        for t in TARGETS:
            if objects(node, t):
                s.targets[t] = objects(node, t)
        severities = objects(node, "severity")
        if len(severities) > 1:
            raise Unsupported("several sh:severity values on one shape")
        if severities:
            s.severity = severities[0].value.rsplit("#", 1)[-1]
        s.message_terms = objects(node, "message")
        s.messages = sorted(m.value for m in s.message_terms)
        for name in COMPONENTS:
            for arg in objects(node, name):
                if name in ("minCount", "maxCount", "minLength", "maxLength"):
                    arg = int(arg.value)
                elif name in ("in", "languageIn"):
                    arg = rdf_list(arg)
                elif name == "or":
                    arg = [shape(m, stack + (node,)) for m in rdf_list(arg)]
                elif name == "node":
                    arg = (arg, shape(arg, stack + (node,)))
                elif name == "pattern":
                    if objects(node, "flags"):
                        raise Unsupported("sh:flags")
                    arg = arg.value
                elif name == "uniqueLang":
                    if arg.value != "true":
                        continue
                elif name in ("minInclusive", "maxInclusive") and not isinstance(arg, ox.Literal):
                    raise Unsupported(f"sh:{name} with a non-literal bound")
                elif name == "datatype" and not isinstance(arg, ox.NamedNode):
                    raise Unsupported("sh:datatype with a non-IRI value")
                s.constraints.append((name, arg))
        for p in objects(node, "property"):
            ps = shape(p, stack + (node,))
            if not ps.is_property:
                raise Unsupported("sh:property pointing to a shape without sh:path")
            s.properties.append(ps)
        return s

    candidates = set()
    for subj, props in out.items():
        for pred, obj in props:
            if pred == RDF + "type" and obj.value in (SH + "NodeShape", SH + "PropertyShape"):
                candidates.add(subj)
            elif pred in {SH + t for t in TARGETS} | {SH + "path"}:
                candidates.add(subj)
    for node in sorted(candidates, key=str):
        if objects(node, "deactivated") and objects(node, "deactivated")[0].value == "true":
            raise Unsupported("sh:deactivated")
        shape(node)
    for s in shapes.values():
        if s.targets.get("targetClass") and any(not isinstance(c, ox.NamedNode) for c in s.targets["targetClass"]):
            raise Unsupported("sh:targetClass with a non-IRI value")
    _check_messages([s for s in shapes.values() if s.targets])
    return ShapesModel(shapes=list(shapes.values()))


def _check_messages(todo: list[Shape]) -> None:
    """Every shape whose results are reported (targeted, or reached by sh:property / sh:node, not only as a
    member of sh:or) has a message for each of its constraints: its sh:message, or a generic one we reproduce."""
    seen: set = set()
    while todo:
        s = todo.pop()
        if s.node in seen:
            continue
        seen.add(s.node)
        todo.extend(s.properties)
        for name, arg in s.constraints:
            if name == "node":
                todo.append(arg[1])
            if not s.messages:
                message(s, name, arg)


def message(shape: Shape, name: str, arg) -> str:
    """The message of a result of ``shape``'s constraint ``name``: the first sh:message, else pySHACL's default."""
    return shape.messages[0] if shape.messages else default_message(name, shape, arg[0] if name == "node" else arg)
