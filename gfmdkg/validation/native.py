"""A native SHACL engine: the shapes plan (:mod:`gfmdkg.validation.shapes_model`) evaluated on a pyoxigraph store
with one SPARQL query per constraint and property shape (focus nodes in bulk), giving pySHACL's results.

Semantics follow pySHACL with ``inference="none"``: SHACL instances through ``rdfs:subClassOf*`` in the data graph;
one result per value node for value constraints, one per focus node for counts, ``sh:hasValue`` and
``sh:uniqueLang`` (one per repeated language); ``sh:node`` results on the outer shape with the nested shape's
results as ``sh:detail`` (and, like every ``sh:ValidationResult`` of pySHACL's report graph, in the results list);
``sh:or`` without details. Constraints on literal values (datatype, pattern, lengths, ranges, languages) are decided
in Python with rdflib's literal semantics (:mod:`gfmdkg.validation.literals`).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from gfmdkg.validation import literals
from gfmdkg.validation.shapes_model import SH, Shape, ShapesModel, Unsupported, message

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
#: constraints decided in Python on the value nodes fetched once per shape
IN_PYTHON = {"datatype", "pattern", "minLength", "maxLength", "minInclusive", "maxInclusive", "languageIn",
             "uniqueLang"}
#: a nested focus set at most this large is passed as a VALUES block instead of a subquery
INLINE_MAX = 2000
NODE_KINDS = {"IRI": "!isIRI(?v)", "Literal": "!isLiteral(?v)", "BlankNode": "!isBlank(?v)",
              "BlankNodeOrIRI": "isLiteral(?v)", "BlankNodeOrLiteral": "isIRI(?v)", "IRIOrLiteral": "isBlank(?v)"}


@dataclass
class Result:
    """One result, with the nested results of an ``sh:node`` constraint as details."""

    focus: object
    shape: Shape
    component: str
    arg: object
    value: object = None
    details: list[Result] = field(default_factory=list)

    @property
    def message(self) -> str:
        """Computed when reported (members of sh:or are evaluated, never reported, and may have no message)."""
        return message(self.shape, self.component, self.arg)


class Focus:
    """A set of focus nodes as a SPARQL group pattern binding a given variable."""

    def __init__(self, build: Callable[[str], str], terms: list | None = None) -> None:
        self.build = build
        self.key = build("?f")
        self.terms = terms

    def __call__(self, var: str) -> str:
        return self.build(var)


_fresh = itertools.count()


def _var() -> str:
    return f"?_v{next(_fresh)}"


class Evaluator:
    """Evaluates a :class:`ShapesModel` on the union of a store's graphs."""

    def __init__(self, store: ox.Store, model: ShapesModel) -> None:
        self.store = store
        self.model = model
        self.memo: dict[tuple, list[Result]] = {}
        self.cache: dict[int, dict] = {}
        self.pre: dict[tuple, list[Result]] = {}
        self._supers: dict | None = None

    # ------------------------------------------------------------------ plumbing
    def select(self, sparql: str) -> list:
        return list(self.store.query(sparql, use_default_graph_as_union=True))

    def subclasses(self, cls: ox.NamedNode) -> list:
        """``cls`` and every class below it through rdfs:subClassOf* in the data graph."""
        if self._supers is None:
            self._supers = defaultdict(set)
            for q in self.store.quads_for_pattern(None, ox.NamedNode(SUBCLASS), None):
                self._supers[q.object].add(q.subject)
        out, todo = {cls}, [cls]
        while todo:
            for sub in self._supers.get(todo.pop(), ()):
                if sub not in out:
                    out.add(sub)
                    todo.append(sub)
        if any(isinstance(c, ox.BlankNode) for c in out):
            raise Unsupported("a blank-node class in an rdfs:subClassOf chain")
        return sorted(out, key=str)

    def instance_of(self, var: str, cls: ox.NamedNode) -> str:
        classes = self.subclasses(cls)
        if len(classes) == 1:
            return f"{var} <{RDF_TYPE}> {classes[0]} ."
        t = _var()
        return f"VALUES {t} {{ {' '.join(map(str, classes))} }} {var} <{RDF_TYPE}> {t} ."

    # ------------------------------------------------------------------ focus sets
    def target_focus(self, s: Shape, only: list[ox.NamedNode] | None = None) -> Focus:
        parts: list[Callable[[str], str]] = []
        for cls in s.targets.get("targetClass", []):
            parts.append(lambda v, cls=cls: self.instance_of(v, cls))
        for node in s.targets.get("targetNode", []):
            if isinstance(node, ox.BlankNode):
                raise Unsupported("sh:targetNode with a blank node")
            parts.append(lambda v, node=node: f"VALUES {v} {{ {node} }}")
        for p in s.targets.get("targetSubjectsOf", []):
            parts.append(lambda v, p=p: f"{v} {p} {_var()} .")
        for p in s.targets.get("targetObjectsOf", []):
            parts.append(lambda v, p=p: f"{_var()} {p} {v} .")
        if only is None and len(parts) == 1 and "targetClass" in s.targets and \
                len(self.subclasses(s.targets["targetClass"][0])) == 1:
            return Focus(parts[0])  # one rdf:type triple per node: no duplicates, no subquery
        restrict = f"VALUES ?_t {{ {' '.join(map(str, only))} }}" if only is not None else ""

        def build(v: str) -> str:
            union = " UNION ".join(f"{{ {part('?_t')} }}" for part in parts)
            return f"{{ SELECT DISTINCT (?_t AS {v}) WHERE {{ {restrict} {union} }} }}"
        return Focus(build)

    def values_pattern(self, s: Shape, focus: Focus, fv: str = "?f", vv: str = "?v") -> str:
        if s.is_property:
            return f"{focus(fv)} {fv} {s.path} {vv} ."
        return f"{focus(fv)} BIND({fv} AS {vv})"

    def value_focus(self, s: Shape, focus: Focus) -> Focus | None:
        """The value nodes of ``s`` on ``focus`` as a focus set (for sh:node, sh:or, sh:property); None if empty."""
        if not s.is_property:
            return focus
        f, v = _var(), _var()
        rows = self.select(f"SELECT DISTINCT {v} WHERE {{ {self.values_pattern(s, focus, f, v)} }}")
        nodes = [r[0] for r in rows]
        if not nodes:
            return None
        if len(nodes) <= INLINE_MAX and not any(isinstance(n, ox.BlankNode) for n in nodes):
            return _explicit(nodes)
        return Focus(lambda var: f"{{ SELECT DISTINCT ({v} AS {var}) WHERE {{ "
                                 f"{self.values_pattern(s, focus, f, v)} }} }}")

    # ------------------------------------------------------------------ evaluation
    def run(self, only: list[ox.NamedNode] | None = None) -> list[Result]:
        """Results of every targeted shape; shapes other shapes use (sh:node) first, so that their results on
        each node are computed once and reused."""
        used = {id(arg[1]) for s in self.model.shapes for name, arg in s.constraints if name == "node"}
        out: list[Result] = []
        for s in sorted(self.model.targeted, key=lambda s: id(s) not in used):
            found = self.validate(s, self.target_focus(s, only))
            out += found
        return out

    def nodes(self, focus: Focus) -> list:
        if focus.terms is None:
            focus.terms = [r[0] for r in self.select(f"SELECT DISTINCT ?f WHERE {{ {focus('?f')} }}")]
        return focus.terms

    def validate(self, s: Shape, focus: Focus) -> list[Result]:
        """Results of ``s`` on ``focus``; each node's results are kept and reused when asked again (by another
        target or a sh:node), except for a property shape with nested property shapes (results on other nodes)."""
        if s.is_property and s.properties:
            key = (id(s), focus.key)
            if key not in self.memo:
                self.memo[key] = self._validate(s, focus)
            return self.memo[key]
        nodes = self.nodes(focus)
        cache = self.cache.setdefault(id(s), {})
        missing = [n for n in nodes if n not in cache]
        if missing:
            sub = focus
            if len(missing) < len(nodes) and len(missing) <= INLINE_MAX and \
                    not any(isinstance(n, ox.BlankNode) for n in missing):
                sub = _explicit(missing)
            new = dict.fromkeys(missing, None)
            for n in missing:
                cache[n] = []
            for r in self._validate(s, sub):
                if r.focus in new:
                    cache[r.focus].append(r)
        return [r for n in nodes for r in cache[n]]

    def _validate(self, s: Shape, focus: Focus) -> list[Result]:
        out: list[Result] = []

        def add(f, name, arg, value=None, details=None):
            out.append(Result(f, s, name, arg, value, details or []))

        pre = self.pre.pop((id(s), focus.key), None)
        if pre is not None:
            out += pre
        vals = self.values_pattern(s, focus)
        for name, _ in s.constraints:
            if name in ("minCount", "maxCount", "uniqueLang") and not s.is_property:
                raise Unsupported(f"sh:{name} on a node shape")
        value_level = [(name, arg) for name, arg in s.constraints if name in VALUE_LEVEL and pre is None]
        if value_level:  # one query for every constraint on the value nodes, decided in Python
            conds = " || ".join(self._value_cond(name, arg) for name, arg in value_level)
            pairs = [(r[0], r[1]) for r in self.select(f"SELECT DISTINCT ?f ?v WHERE {{ {vals} FILTER({conds}) }}")]
            for name, arg in value_level:
                for f, v in self._check(name, arg, pairs):
                    add(f, name, arg, v)
        nested = None
        for name, arg in s.constraints:
            if pre is not None and _batched(name, arg):
                continue
            if name == "minCount":
                for (f,) in self._min_count(s, focus, arg) if arg > 0 else []:
                    add(f, name, arg)
            elif name == "maxCount":
                q = (f"SELECT ?f WHERE {{ {vals} }} GROUP BY ?f HAVING (COUNT(DISTINCT ?v) > {arg})")
                for r in self.select(q):
                    add(r[0], name, arg)
            elif name == "hasValue":
                for f in self._has_value(s, focus, arg):
                    add(f, name, arg)
        for name, arg in s.constraints:
            if name not in ("node", "or"):
                continue
            if nested is None:
                nested = self.value_focus(s, focus) or False
            if nested is False:
                break
            if name == "node":
                inner = _by_focus(self.validate(arg[1], nested))
                for f, v in self._pairs_with(s, focus, set(inner)):
                    add(f, name, arg, v, inner[v])
            else:
                failing = None
                for member in arg:
                    bad = set(_by_focus(self.validate(member, nested)))
                    failing = bad if failing is None else failing & bad
                for f, v in self._pairs_with(s, focus, failing or set()):
                    add(f, name, arg, v)
        if s.properties:
            if nested is None:
                nested = self.value_focus(s, focus) or False
            if nested is not False:
                self._batch(s.properties, nested)
                for p in s.properties:
                    out += self.validate(p, nested)
        return out

    def _batch(self, props: list[Shape], focus: Focus) -> None:
        """The simple constraints (counts, class, node kind, in, hasValue, literal checks) of several property
        shapes on one focus set in three queries, instead of one query each; kept for their :meth:`_validate`."""
        nodes = self.nodes(focus)
        props = [p for p in props if not p.properties and (id(p), focus.key) not in self.pre
                 and not any(n in self.cache.get(id(p), {}) for n in nodes)]
        if not nodes or not props:
            return
        found: dict[int, list[Result]] = {id(p): [] for p in props}
        branches = []
        for k, p in enumerate(props):
            conds = [self._value_cond(name, arg) for name, arg in p.constraints if name in VALUE_LEVEL]
            if conds:
                branches.append(f"{{ ?f {p.path} ?v BIND({k} AS ?k) FILTER({' || '.join(conds)}) }}")
        if branches:
            pairs: dict[int, list] = defaultdict(list)
            for r in self.select(f"SELECT DISTINCT ?k ?f ?v WHERE {{ {focus('?f')} {' UNION '.join(branches)} }}"):
                pairs[int(r[0].value)].append((r[1], r[2]))
            for k, p in enumerate(props):
                for name, arg in p.constraints:
                    if name in VALUE_LEVEL:
                        found[id(p)] += [Result(f, p, name, arg, v) for f, v in self._check(name, arg, pairs[k])]
        counts = [(p, name, arg) for p in props for name, arg in p.constraints
                  if _batched(name, arg) and name not in VALUE_LEVEL]
        # (index, path, value) rows per query: absent values (minCount 1 / hasValue), then too many (maxCount)
        queries = (
            ([(i, p.path, arg if name == "hasValue" else "UNDEF") for i, (p, name, arg) in enumerate(counts)
              if name != "maxCount"], "?x", "SELECT DISTINCT ?k ?f WHERE {{ {focus} {rows} "
                                            "FILTER NOT EXISTS {{ ?f ?p ?x }} }}"),
            ([(i, p.path, arg) for i, (p, name, arg) in enumerate(counts) if name == "maxCount"], "?m",
             "SELECT ?k ?f WHERE {{ {focus} {rows} ?f ?p ?v }} GROUP BY ?k ?f ?m HAVING (COUNT(DISTINCT ?v) > ?m)"))
        for items, var, template in queries:
            if not items:
                continue
            rows = f"VALUES (?k ?p {var}) {{ {' '.join(f'({i} {path} {x})' for i, path, x in items)} }}"
            for r in self.select(template.format(focus=focus("?f"), rows=rows)):
                p, name, arg = counts[int(r[0].value)]
                found[id(p)].append(Result(r[1], p, name, arg))
        for p in props:
            self.pre[(id(p), focus.key)] = found[id(p)]

    def _value_cond(self, name: str, arg) -> str:
        """A SPARQL condition true for every value that may fail the constraint (see :func:`_maybe_failing`)."""
        if name == "class":
            return f"NOT EXISTS {{ {self.instance_of('?v', arg)} }}"
        if name == "nodeKind":
            cond = NODE_KINDS.get(arg.value[len(SH):]) if isinstance(arg, ox.NamedNode) else None
            if cond is None:
                raise Unsupported(f"sh:nodeKind {arg}")
            return cond
        if name == "in":
            if all(isinstance(m, ox.NamedNode) or _plain(m) for m in arg):
                return f"!({' || '.join(f'sameTerm(?v, {m})' for m in arg) or 'false'})"
            return "true"
        return _maybe_failing(name, arg) or "true"

    def _check(self, name: str, arg, pairs: list) -> list:
        """The failing (focus, value) pairs among ``pairs``, decided in Python."""
        if name == "class":
            classes = set(self.subclasses(arg))
            return [(f, v) for f, v in pairs if isinstance(v, ox.Literal) or not any(
                q.object in classes for q in self.store.quads_for_pattern(v, ox.NamedNode(RDF_TYPE), None))]
        if name == "nodeKind":
            kinds = {"IRI": (ox.NamedNode,), "Literal": (ox.Literal,), "BlankNode": (ox.BlankNode,),
                     "BlankNodeOrIRI": (ox.BlankNode, ox.NamedNode), "BlankNodeOrLiteral": (ox.BlankNode, ox.Literal),
                     "IRIOrLiteral": (ox.NamedNode, ox.Literal)}[arg.value[len(SH):]]
            return [(f, v) for f, v in pairs if not isinstance(v, kinds)]
        if name == "in":
            if any(isinstance(m, ox.BlankNode) for m in arg):
                raise Unsupported("sh:in with a blank node")
            keys = {literals.key(m) for m in arg}
            return [(f, v) for f, v in pairs if literals.key(v) not in keys]
        return _python_check(name, arg, pairs)

    def _min_count(self, s: Shape, focus: Focus, n: int) -> list:
        if n == 1:
            return self.select(f"SELECT DISTINCT ?f WHERE {{ {focus('?f')} FILTER NOT EXISTS {{ ?f {s.path} ?v }} }}")
        return [(r[0],) for r in self.select(
            f"SELECT ?f WHERE {{ {focus('?f')} OPTIONAL {{ ?f {s.path} ?v }} }} "
            f"GROUP BY ?f HAVING (COUNT(DISTINCT ?v) < {n})")]

    def _has_value(self, s: Shape, focus: Focus, value) -> list:
        if isinstance(value, ox.NamedNode) or _plain(value):
            test = f"FILTER NOT EXISTS {{ ?f {s.path} {value} }}" if s.is_property else \
                f"FILTER(!sameTerm(?f, {value}))"
            return [r[0] for r in self.select(f"SELECT DISTINCT ?f WHERE {{ {focus('?f')} {test} }}")]
        if isinstance(value, ox.BlankNode):
            raise Unsupported("sh:hasValue with a blank node")
        want = literals.key(value)
        vals = self.values_pattern(s, focus, "?f", "?v")
        rows = self.select(f"SELECT DISTINCT ?f ?v WHERE {{ {focus('?f')} OPTIONAL {{ {vals} }} }}")
        ok = {r[0] for r in rows if r[1] is not None and literals.key(r[1]) == want}
        return sorted({r[0] for r in rows} - ok, key=str)

    def _pairs_with(self, s: Shape, focus: Focus, bad: set) -> list:
        """(focus, value) pairs of ``s`` whose value is in ``bad``."""
        if not bad:
            return []
        if not s.is_property:
            return [(v, v) for v in bad]
        if len(bad) <= INLINE_MAX and not any(isinstance(b, ox.BlankNode) for b in bad):
            restrict = f"VALUES ?v {{ {' '.join(sorted(map(str, bad)))} }}"
            return [(r[0], r[1]) for r in self.select(
                f"SELECT DISTINCT ?f ?v WHERE {{ {restrict} {self.values_pattern(s, focus)} }}")]
        return [(r[0], r[1]) for r in self.select(f"SELECT DISTINCT ?f ?v WHERE {{ {self.values_pattern(s, focus)} }}")
                if r[1] in bad]


#: constraints on each value node, batched over several property shapes
VALUE_LEVEL = {"class", "nodeKind", "in"} | IN_PYTHON


def _batched(name: str, arg) -> bool:
    """Whether :meth:`Evaluator._batch` decides this constraint."""
    if name == "minCount":
        return arg == 1
    if name == "hasValue":
        return isinstance(arg, ox.NamedNode) or _plain(arg)
    return name in VALUE_LEVEL or name == "maxCount"


def _explicit(nodes: list) -> Focus:
    text = " ".join(sorted(map(str, nodes)))
    return Focus(lambda var: f"VALUES {var} {{ {text} }}", list(nodes))


def _plain(term) -> bool:
    """A literal whose term equality is rdflib's equality (a string, with or without a language)."""
    return isinstance(term, ox.Literal) and term.datatype.value in (literals.XSD_STRING, literals.RDF_LANGSTRING)


def _by_focus(results: list[Result]) -> dict:
    out: dict = defaultdict(list)
    for r in results:
        out[r.focus].append(r)
    return out


#: a pattern whose meaning is the same in SPARQL REGEX (Rust regex) and Python re
SIMPLE_PATTERN = re.compile(r"[\^$A-Za-z0-9:/?\[\]{}\-,.+*]*")
PLAIN = f"(isLiteral(?v) && (datatype(?v) = <{literals.XSD_STRING}> || lang(?v) != \"\"))"


def _maybe_failing(name: str, arg) -> str | None:
    """A SPARQL condition true for every value that may fail the constraint (the rest surely pass); the rows it
    keeps are decided in Python. None when every value must be looked at in Python."""
    if name in ("minLength", "maxLength"):
        op = ">=" if name == "minLength" else "<="
        return f"!({PLAIN} && STRLEN(?v) {op} {arg})"
    if name == "pattern" and SIMPLE_PATTERN.fullmatch(arg):
        return f"!((isIRI(?v) || {PLAIN}) && REGEX(STR(?v), {ox.Literal(arg)}))"
    if name == "datatype" and arg.value == literals.XSD_STRING:
        return f"!(isLiteral(?v) && datatype(?v) = {arg})"
    if name == "datatype" and arg.value in literals.CANONICAL and arg.value != literals.XSD + "date":
        rx = ox.Literal(f"^({literals.CANONICAL[arg.value].pattern})$")
        return f"!(isLiteral(?v) && datatype(?v) = {arg} && REGEX(STR(?v), {rx}))"
    if name == "uniqueLang":
        return "(isLiteral(?v) && lang(?v) != \"\")"
    return None


def _python_check(name: str, arg, pairs: list) -> list:
    """Failing (focus, value) pairs of a constraint decided in Python (rdflib's literal semantics)."""
    if name == "uniqueLang":
        langs: dict = defaultdict(lambda: defaultdict(int))
        for f, v in pairs:
            if isinstance(v, ox.Literal) and v.language:
                langs[f][v.language.lower()] += 1
        return [(f, None) for f, by in langs.items() for n in by.values() if n > 1]
    test = _tester(name, arg)
    return [(f, v) for f, v in pairs if not test(v)]


def _tester(name: str, arg) -> Callable[[object], bool]:
    if name == "datatype":
        return lambda v: literals.has_datatype(v, arg.value)
    if name == "pattern":
        rx = re.compile(arg)
        return lambda v: not isinstance(v, ox.BlankNode) and rx.search(literals.string_of(v)) is not None
    if name == "minLength":
        return lambda v: arg == 0 or not isinstance(v, ox.BlankNode) and len(literals.string_of(v)) >= arg
    if name == "maxLength":
        return lambda v: not isinstance(v, ox.BlankNode) and len(literals.string_of(v)) <= arg
    if name in ("minInclusive", "maxInclusive"):
        sign = 1 if name == "minInclusive" else -1

        def in_range(v) -> bool:
            c = literals.compare(v, arg)
            return c is not None and c * sign >= 0
        return in_range
    if name == "languageIn":
        wanted = {str(m.value).lower() for m in arg}

        def lang_ok(v) -> bool:
            lang = v.language if isinstance(v, ox.Literal) else None
            if not lang:
                return False
            return "*" in wanted or lang.lower() in wanted or lang.split("-")[0].lower() in wanted
        return lang_ok
    raise Unsupported(f"sh:{name}")  # pragma: no cover
