"""A unit of contribution: what one output file (one named graph) will hold, with the problems found in it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from gfmdkg.contrib.convert import Converted
from gfmdkg.contrib.model import ERROR, Problem, Record
from gfmdkg.contrib.vocab import show as shorten


MAX_LOCATED = 200  # nodes whose line is looked up (each look-up reads the file)


@dataclass
class Unit:
    """One practice from a template row, or one RDF file; ``slug`` names its file data/contrib/<slug>.ttl."""

    source: str
    kind: str  # csv, yaml, rdf
    slug: str
    quads: list[ox.Quad]
    problems: list[Problem] = field(default_factory=list)
    record: Record | None = None
    converted: Converted | None = None
    iri: str | None = None
    lines: dict[str, int | None] = field(default_factory=dict)  # RDF: node IRI -> line (found on demand)

    @property
    def nodes(self) -> set[str]:
        """The IRIs this unit states things about."""
        return {q.subject.value for q in self.quads if isinstance(q.subject, ox.NamedNode)}

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    def has_problem(self, node: str | None, field_name: str | None) -> bool:
        """True when an error already covers this node and field (so a shape result would only repeat it)."""
        return any(p.severity == ERROR and p.field == field_name and (node is None or p.node in (None, node))
                   for p in self.problems)

    def field_for(self, node: str, prop: str | None) -> str | None:
        """The contributor's name for a property of a node: the template column, or the prefixed property."""
        if self.converted is not None:
            return self.converted.field_of(node, prop)
        return shorten(prop) if prop else None

    def line_for(self, node: str | None) -> int | None:
        if self.record is not None and self.record.kind != "rdf":
            return None
        if node is None:
            return None
        return self._line(node) or self._line(node.split("#", 1)[0])

    def _line(self, node: str) -> int | None:
        if node not in self.lines and len(self.lines) < MAX_LOCATED:
            from gfmdkg.namespaces import PREFIXES
            from gfmdkg.rdfio import find_line

            self.lines[node] = find_line(self.source, node, PREFIXES)
        return self.lines.get(node)

    def where(self) -> str:
        if self.record is not None:
            return self.record.where
        return self.source
