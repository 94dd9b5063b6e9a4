"""Locating validation results: the file and line of the triple that breaks the shape.

A result with a property and a value is located at the statement ``focus property value`` (in whichever file states
it); a result without a value (a missing property, a QC row) at the node's subject block in the file that declares
its type (``focus a C``), else in the first file describing it; a node described nowhere (a typo'd reference) at the
first statement that uses it as a value. Lines come from one pass over each Turtle file (:class:`TurtleLines`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gfmdkg.namespaces import PREFIXES
from gfmdkg.project import Project
from gfmdkg.rdfio import declared_prefixes, find_line, subject_forms
from gfmdkg.validation.report import ValidationResult

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_LITERAL_PREFIX = 40  # how much of a literal value is looked for in the text


class TurtleLines:
    """The subject blocks of one Turtle file as written by curators and ``gfmdkg add``: a statement starts at the
    beginning of a line with its subject, and its predicate-object list follows on indented lines."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        self.lines = text.split("\n")
        self.prefixes = {**PREFIXES, **declared_prefixes(text)}
        self.blocks: dict[str, list[tuple[int, int]]] = {}  # subject token -> [(first, last line index)]
        starts = [(n, line.split(None, 1)[0]) for n, line in enumerate(self.lines)
                  if line and not line[0].isspace() and line[0] != "#" and not _is_directive(line)]
        for (n, token), nxt in zip(starts, [s[0] for s in starts[1:]] + [len(self.lines)], strict=True):
            for key in {token, token.split(";")[0].split(",")[0].rstrip(".")}:
                self.blocks.setdefault(key, []).append((n, nxt - 1))

    def _blocks_of(self, iri: str) -> list[tuple[int, int]]:
        return sorted(b for form in subject_forms(iri, self.prefixes) for b in self.blocks.get(form, []))

    def subject_line(self, iri: str) -> int | None:
        """The first line stating ``iri`` as a subject (1-based)."""
        blocks = self._blocks_of(iri)
        return blocks[0][0] + 1 if blocks else find_line(self.path, iri, self.prefixes)

    def statement_line(self, subject: str, predicate: str | None, value: ox.Term | None) -> int | None:
        """The line of ``subject predicate value`` inside the subject's blocks: the value's line after the
        predicate's, else the predicate's line, else the block's first line."""
        blocks = self._blocks_of(subject)
        if not blocks:
            return self.subject_line(subject)
        pred = _token_pattern(["a"] if predicate == RDF_TYPE else [], predicate and self._forms(predicate))
        obj = self._value_pattern(value)
        fallback = None
        for first, last in blocks:
            for n in range(first, last + 1):
                at = self._predicate_at(pred, n, first) if pred else None
                if at is None:
                    continue
                fallback = fallback or n + 1
                if obj is None:
                    return n + 1
                for m in range(n, last + 1):  # the predicate's objects end with the line ending in ';' or '.'
                    if obj.search(self.lines[m], at if m == n else 0):
                        return m + 1
                    if self.lines[m].rstrip().endswith((";", ".")):
                        break
        return fallback or blocks[0][0] + 1

    def _predicate_at(self, pred: re.Pattern, n: int, first: int) -> int | None:
        """Where the predicate's objects start, when line ``n`` states the predicate (at the start of the
        predicate-object list, after the subject on a block's first line, or after a ';')."""
        line = self.lines[n]
        start = len(line.split(None, 1)[0]) if n == first else 0
        for m in pred.finditer(line, start):
            before = line[start:m.start()].rstrip()
            if not before or before.endswith(";"):
                return m.end()
        return None

    def reference_line(self, iri: str) -> int | None:
        """The first line using ``iri`` as a value (after a subject or predicate on that line)."""
        pattern = _token_pattern([], self._forms(iri))
        for n, line in enumerate(self.lines):
            if line.lstrip().startswith("#") or _is_directive(line):
                continue
            for m in pattern.finditer(line):
                if m.start() > 0:
                    return n + 1
        return None

    def _forms(self, iri: str) -> list[str]:
        return subject_forms(iri, self.prefixes)

    def _value_pattern(self, value: ox.Term | None) -> re.Pattern | None:
        if isinstance(value, ox.NamedNode):
            return _token_pattern([], self._forms(value.value))
        if isinstance(value, ox.Literal):
            text = value.value.split("\n", 1)[0]
            whole = len(text) <= _LITERAL_PREFIX
            text = text[:_LITERAL_PREFIX]
            escaped = text.replace("\\", "\\\\").replace('"', '\\"')
            return re.compile(r"(?<![\w.-])(" + "|".join(re.escape(t) for t in {text, escaped}) + ")"
                              + (r"(?![\w.])" if whole and text else ""))
        return None


def _is_directive(line: str) -> bool:
    return line.startswith("@") or line[:6].upper() in ("PREFIX", "BASE ") or line[:5].upper() == "BASE "


def _token_pattern(words: list[str], forms: list[str] | None) -> re.Pattern | None:
    """A pattern matching any of ``words`` or ``forms`` as a whole Turtle token."""
    alternatives = [re.escape(w) for w in words + (forms or [])]
    if not alternatives:
        return None
    return re.compile(r"(?<![\w:<>\\-])(" + "|".join(alternatives) + r")(?![\w:\\-])")


@dataclass
class _Where:
    graph: str | None
    statement: tuple[str, str | None, ox.Term | None] | None = None  # (subject, predicate, value) to find
    reference: bool = False  # the focus only appears as a value


def locate(results: list[ValidationResult], store: ox.Store, project: Project,
           extra_files: list[Path] | None = None) -> list[ValidationResult]:
    """Fill in each result's label, file and line (see the module's docstring); the store is asked about the
    result nodes only, and each file is read at most once."""
    extra = [Path(p) for p in extra_files or []]
    files = dict(zip([project.graph_iri(p) for p in project.graph_files()] + [p.resolve().as_uri() for p in extra],
                     project.graph_files() + extra, strict=True))
    order = {g: i for i, g in enumerate(files)}
    texts: dict[Path, TurtleLines] = {}

    def rank(q: ox.Quad) -> tuple[int, str]:
        g = q.graph_name
        return (order.get(g.value, len(order)), g.value) if isinstance(g, ox.NamedNode) else (-1, "")

    def first(quads) -> ox.Quad | None:
        return min((q for q in quads if isinstance(q.graph_name, ox.NamedNode)), key=rank, default=None)

    def where(r: ValidationResult) -> _Where:
        try:
            node = ox.NamedNode(r.focus)
        except ValueError:
            return _Where(None)
        if r.path and r.value is not None:
            stated = first(q for q in store.quads_for_pattern(node, ox.NamedNode(r.path), None)
                           if _same_value(q.object, r.value))
            if stated is not None:
                return _Where(stated.graph_name.value, (r.focus, r.path, stated.object))
        home = first(store.quads_for_pattern(node, ox.NamedNode(RDF_TYPE), None)) or first(
            store.quads_for_pattern(node, None, None))
        if home is not None:
            return _Where(home.graph_name.value, (r.focus, r.path, None) if r.path else None)
        used = first(store.quads_for_pattern(None, None, node))
        return _Where(used.graph_name.value, reference=True) if used is not None else _Where(None)

    def label(iri: str) -> str | None:
        try:
            quads = store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(RDFS_LABEL), None)
        except ValueError:
            return None
        found = sorted((rank(q), q.object.value) for q in quads if isinstance(q.object, ox.Literal))
        return found[0][1] if found else None

    out = []
    for r in results:
        w = where(r)
        if w.graph is None and "#" in r.focus:  # a fragment node described nowhere: its document node
            w = where(ValidationResult(focus=r.focus.split("#", 1)[0], message=""))
        path = files.get(w.graph) if w.graph else None
        line = None
        if path is not None:
            lines = texts.setdefault(path, TurtleLines(path))
            if w.reference:
                line = lines.reference_line(r.focus)
            elif w.statement is not None:
                line = lines.statement_line(*w.statement)
            else:
                line = lines.subject_line(r.focus)
        out.append(ValidationResult(**{**r.__dict__, "file": project.relative(path) if path is not None else None,
                                       "line": line, "label": label(r.focus) or label(r.focus.split("#", 1)[0])}))
    return out


def _same_value(term: ox.Term, value: str) -> bool:
    return isinstance(term, ox.NamedNode | ox.Literal) and term.value == value
