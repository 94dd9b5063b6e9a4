"""JSON-LD with our published ``@context`` (ontology/context.jsonld): compact, readable, deterministic, and shaped
for plain JSON consumers.

The writer does the compaction itself from the context's term definitions (no JSON-LD library at run time), and
only ever uses a term where the term's definition reproduces the exact RDF term. Shapes are stable: under a term
declared ``"@container": "@set"`` (every property term of our context) the value is always an array, under a
language map always ``{lang: [texts]}``, and ``type`` is always an array; node and link IRIs are written in full.
A value a term cannot carry exactly goes, alone, under the property's compact IRI key as an array of explicit value
objects (``"dcterms:title": [{"@id": "..."}]``), so nothing is lost and no key changes shape. The tests check the
output with pyld (an independent processor). The context is written inline, so reading it never needs a network.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from gfmdkg.errors import GfmdkgError

#: Where the context is published (w3id redirect to the repository copy); readers map it to the vendored file.
CONTEXT_IRI = "https://w3id.org/gfmdkg/context/v1.jsonld"
CONTEXT_FILE = "ontology/context.jsonld"

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_INTEGER = re.compile(r"-?(0|[1-9][0-9]{0,19})")


def load_context(root: Path) -> dict:
    """The inner ``@context`` object of the project's context file."""
    path = Path(root) / CONTEXT_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        ctx = doc["@context"]
        if not isinstance(ctx, dict):
            raise TypeError("@context is not an object")
        return ctx
    except FileNotFoundError:
        raise GfmdkgError(f"{path}: the JSON-LD context file is missing",
                          hint="restore ontology/context.jsonld from the repository") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise GfmdkgError(f"{path}: not a usable JSON-LD context ({exc})",
                          hint="the file must be a JSON object with an \"@context\" object") from None


def local_contexts(root: Path) -> dict[str, object]:
    """For :func:`gfmdkg.rdfio.parse_file`: our published context IRI mapped to the vendored copy."""
    return {CONTEXT_IRI: load_context(root)}


@dataclass(frozen=True)
class Term:
    """A term of the context that names a property: ``kind`` is id, lang, typed or plain."""

    name: str
    kind: str
    datatype: str | None = None
    multi: bool = False  # "@set" in its container: the value is always an array


class Context:
    """The parts of a JSON-LD context that compaction needs: prefixes, property terms and class terms."""

    def __init__(self, ctx: dict) -> None:
        if "@language" in ctx or "@propagate" in ctx:
            raise GfmdkgError("the JSON-LD context sets a default @language, which this writer does not support",
                              hint="remove @language from ontology/context.jsonld")
        self.ctx = ctx
        self.prefixes: dict[str, str] = {}
        self.properties: dict[str, Term] = {}
        #: further terms of a property, each for the literals of one datatype (skos:notation typed by code system)
        self.typed_terms: dict[str, list[Term]] = {}
        self.classes: dict[str, str] = {}
        self.type_key, self.type_set = "@type", False
        simple: dict[str, str] = {}
        for key, value in ctx.items():
            if key.startswith("@"):
                continue
            if isinstance(value, str):
                if value == "@type":
                    self.type_key = key
                if value.startswith("@"):
                    continue
                simple[key] = value
            elif isinstance(value, dict) and value.get("@id") == "@type":
                self.type_key, self.type_set = key, "@set" in _container(value)
            elif isinstance(value, dict) and "@id" in value and not value["@id"].startswith("@"):
                self._add_property(key, value)
        for key, value in simple.items():
            if value.endswith(("/", "#")) and ("://" in value or value.startswith("urn:")):
                self.prefixes[key] = value
        for key, value in simple.items():
            if key not in self.prefixes:
                self.classes[self.expand(value)] = key

    def _add_property(self, key: str, definition: dict) -> None:
        iri = definition["@id"]
        container, dtype = _container(definition), definition.get("@type")
        multi = "@set" in container
        container.discard("@set")
        if container == {"@language"} and dtype is None:
            kind, datatype = "lang", None
        elif container or (isinstance(dtype, str) and dtype.startswith("@") and dtype != "@id"):
            return  # a definition this writer does not produce: the property falls back to a compact IRI
        elif dtype == "@id":
            kind, datatype = "id", None
        elif dtype is None:
            kind, datatype = "plain", None
        elif isinstance(dtype, str):
            kind, datatype = "typed", dtype
        else:
            return
        term = Term(key, kind, datatype, multi)
        if kind == "typed" and multi:
            self.typed_terms.setdefault(iri, []).append(term)
        else:
            self.properties[iri] = term

    def expand(self, value: str) -> str:
        prefix, sep, rest = value.partition(":")
        if sep and prefix in self.prefixes and not rest.startswith("//"):
            return self.prefixes[prefix] + rest
        return value

    def finish(self) -> None:
        """Expand the IRIs of property terms and typed datatypes once the prefixes are known."""
        def expanded(t: Term) -> Term:
            return Term(t.name, t.kind, t.datatype and self.expand(t.datatype), t.multi)

        typed = {self.expand(iri): [expanded(t) for t in terms] for iri, terms in self.typed_terms.items()}
        self.properties = {self.expand(iri): expanded(t) for iri, t in self.properties.items()}
        for iri, terms in typed.items():  # a property with only typed terms: the first is its main term
            if iri not in self.properties:
                self.properties[iri] = terms.pop(0)
        self.typed_terms = {iri: terms for iri, terms in typed.items() if terms}

    @cached_property
    def _by_length(self) -> list[tuple[str, str]]:
        return sorted(((ns, p) for p, ns in self.prefixes.items()), key=lambda x: (-len(x[0]), x[1]))

    def compact_iri(self, iri: str) -> str:
        """``prefix:local`` under the longest matching namespace, else the absolute IRI."""
        for ns, prefix in self._by_length:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{prefix}:{iri[len(ns):]}"
        return self.full_iri(iri)

    def full_iri(self, iri: str) -> str:
        """``iri`` as written in full; refused when a JSON-LD processor would read it as a compact IRI."""
        if iri.split(":", 1)[0] in self.ctx:
            raise GfmdkgError(f"the IRI <{iri}> starts with a term of the JSON-LD context and would be misread",
                              hint="rename that context term, or export in another syntax")
        return iri


def _container(definition: dict) -> set[str]:
    container = definition.get("@container")
    return set(container) if isinstance(container, list) else {container} if container else set()


def make_context(ctx: dict) -> Context:
    c = Context(ctx)
    c.finish()
    return c


def _node_id(term: ox.NamedNode | ox.BlankNode, ctx: Context) -> str:
    return ctx.full_iri(term.value) if isinstance(term, ox.NamedNode) else f"_:{term.value}"


def _value_object(term: ox.Term, ctx: Context) -> dict:
    """The explicit (expanded) JSON-LD form of an object term, IRIs in full."""
    if isinstance(term, (ox.NamedNode, ox.BlankNode)):
        return {"@id": _node_id(term, ctx)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD + "string":
        return {"@value": term.value}
    return {"@value": term.value, "@type": ctx.full_iri(term.datatype.value)}


def _native(term: ox.Term) -> object | None:
    """A JSON scalar that JSON-LD turns back into exactly this literal, or None."""
    if not isinstance(term, ox.Literal) or term.language:
        return None
    dt = term.datatype.value
    if dt == XSD + "string":
        return term.value
    if dt == XSD + "integer" and _INTEGER.fullmatch(term.value) and term.value != "-0":
        return int(term.value)
    if dt == XSD + "boolean" and term.value in ("true", "false"):
        return term.value == "true"
    return None


def _fits(term: Term, o: ox.Term) -> object | None:
    """The compact form of ``o`` under a (non-language) ``term``, or None when the term cannot carry it exactly."""
    if term.kind == "id":
        return o.value if isinstance(o, ox.NamedNode) else None
    if term.kind == "typed":
        ok = isinstance(o, ox.Literal) and not o.language and o.datatype.value == term.datatype
        return o.value if ok else None
    return _native(o)


def _with_term(term: Term, objects: list[ox.Term], ctx: Context) -> tuple[object | None, list[ox.Term]]:
    """The value of a property under its context term, and the objects the term cannot carry (they go under the
    compact IRI key). A term without ``@set`` takes a single value only."""
    if term.kind == "lang":
        by_lang: dict[str, list[str]] = defaultdict(list)
        rest = []
        for o in objects:
            if isinstance(o, ox.Literal) and (o.language or o.datatype.value == XSD + "string"):
                by_lang[o.language or "@none"].append(o.value)
            else:
                rest.append(o)
        if not term.multi and any(len(v) > 1 for v in by_lang.values()):
            return None, objects
        value = {lang: vals if term.multi else vals[0] for lang, vals in sorted(by_lang.items())}
        return value or None, rest
    fitted = [(o, _fits(term, o)) for o in objects]
    good = [v for _, v in fitted if v is not None]
    if not term.multi and len(good) != 1:
        return None, objects
    if term.kind == "id":
        good = [ctx.full_iri(v) for v in good]
    return (good if term.multi else good[0]) if good else None, [o for o, v in fitted if v is None]


def _sort_key(term: ox.Term) -> tuple:
    return (type(term).__name__, str(term))


def node_object(subject: ox.Term, triples: Iterable[ox.Triple], ctx: Context) -> dict:
    """The node object of ``subject`` from its ``triples`` (keys and values sorted)."""
    props: dict[ox.NamedNode, list[ox.Term]] = defaultdict(list)
    for t in triples:
        props[t.predicate].append(t.object)
    node: dict[str, object] = {"id": _node_id(subject, ctx)}
    types = sorted(props.pop(ox.NamedNode(RDF_TYPE), []), key=_sort_key)
    if types and all(isinstance(t, ox.NamedNode) for t in types):
        names = [ctx.classes.get(t.value) or ctx.full_iri(t.value) for t in types]
        node[ctx.type_key] = names if ctx.type_set or len(names) > 1 else names[0]
    elif types:
        props[ox.NamedNode(RDF_TYPE)] = types
    entries: dict[str, object] = {}
    for predicate, objects in props.items():
        objects = sorted(set(objects), key=_sort_key)
        for typed in ctx.typed_terms.get(predicate.value, ()):  # the literals of its datatype, under its term
            value, objects = _with_term(typed, objects, ctx)
            if value is not None:
                entries[typed.name] = value
        term = ctx.properties.get(predicate.value)
        value, rest = _with_term(term, objects, ctx) if term and objects else (None, objects)
        if value is not None:
            entries[term.name] = value
        if rest:  # always an array, so the key keeps one shape
            entries[ctx.compact_iri(predicate.value)] = [_value_object(o, ctx) for o in rest]
    node.update(sorted(entries.items()))
    return node


def by_subject(triples: Iterable[ox.Triple]) -> list[tuple[ox.Term, list[ox.Triple]]]:
    """``triples`` grouped by subject, subjects in the writer's order (blank nodes first, then IRIs)."""
    groups: dict[ox.Term, list[ox.Triple]] = defaultdict(list)
    for t in triples:
        groups[t.subject].append(t)
    return [(subject, groups[subject]) for subject in sorted(groups, key=_sort_key)]


def write_jsonld(groups: Iterable[tuple[ox.Term, Iterable[ox.Triple]]], context: dict, out) -> None:  # noqa: ANN001
    """Stream a JSON-LD document to the binary file ``out``: the context inline, then ``@graph`` with one node
    object per (subject, triples) group, in the order given; byte for byte what ``json.dumps(doc, indent=1)``
    writes, but holding one node at a time."""
    ctx = make_context(context)
    head = json.dumps({"@context": context, "@graph": []}, indent=1, ensure_ascii=False)
    out.write(head[:head.rindex("[]")].encode("utf-8"))
    first = True
    for subject, triples in groups:
        node = json.dumps(node_object(subject, triples, ctx), indent=1, ensure_ascii=False)
        out.write((("[\n  " if first else ",\n  ") + node.replace("\n", "\n  ")).encode("utf-8"))
        first = False
    out.write(b"[]\n}\n" if first else b"\n ]\n}\n")


def to_jsonld(triples: Iterable[ox.Triple], context: dict) -> bytes:
    """A JSON-LD document: the context inline, then ``@graph`` with one node object per subject."""
    import io
    buffer = io.BytesIO()
    write_jsonld(by_subject(triples), context, buffer)
    return buffer.getvalue()
