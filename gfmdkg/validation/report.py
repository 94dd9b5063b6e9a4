"""The validation report: results grouped by node, each located in the file (and line) that states it."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from gfmdkg.namespaces import shorten

VIOLATION, WARNING, INFO = "Violation", "Warning", "Info"


@dataclass(frozen=True)
class ValidationResult:
    """One problem: the node, the property, the offending value, the message, the shape, and where it is stated."""

    focus: str
    message: str
    severity: str = VIOLATION
    path: str | None = None
    value: str | None = None
    source_shape: str | None = None
    constraint: str | None = None
    label: str | None = None
    file: str | None = None
    line: int | None = None

    def key(self) -> tuple:
        """What identifies a result when comparing reports of two validators."""
        return (self.focus, self.path or "", self.source_shape or "", self.severity)

    def full_key(self) -> tuple:
        """Everything a SHACL result says, for comparing two engines' reports exactly."""
        return (self.focus, self.path, self.value, self.source_shape, self.constraint, self.severity, self.message)


@dataclass
class Report:
    """All results of one validation, plus the SHACL report graph as Turtle when one was produced."""

    results: list[ValidationResult] = field(default_factory=list)
    shacl_turtle: str = ""
    checked_nodes: int = 0

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == VIOLATION]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity != VIOLATION]

    @property
    def conforms(self) -> bool:
        return not self.violations

    @property
    def exit_code(self) -> int:
        return 0 if self.conforms else 1

    def by_node(self) -> dict[str, list[ValidationResult]]:
        groups: dict[str, list[ValidationResult]] = defaultdict(list)
        for r in sorted(self.results, key=lambda r: (r.file or "~", r.line or 0, r.focus, r.path or "", r.message)):
            groups[r.focus].append(r)
        return groups

    def to_text(self) -> str:
        """A human-readable report, grouped by node (label and IRI), each problem led by the file:line of the
        statement that breaks the shape (or of the node's description, for a missing property)."""
        out = []
        for focus, results in self.by_node().items():
            first = results[0]
            out.append((f"{first.label} " if first.label else "") + f"<{focus}>")
            for r in results:
                where = f"{r.file}:{r.line}" if r.file and r.line else (r.file or "(not in a file)")
                prop = f" {shorten(r.path)}" if r.path else ""
                value = f" (value: {_short(r.value)})" if r.value else ""
                shape = r.source_shape or ""
                shape = f" [{shape if shape.startswith('qc:') else shorten(shape)}]" if shape else ""
                out.append(f"  {where}: {r.severity.lower()}{prop}{value}: {r.message}{shape}")
        n_v, n_w = len(self.violations), len(self.warnings)
        verdict = "conforms" if self.conforms else "does not conform"
        out.append(f"{verdict}: {n_v} violation{'s' * (n_v != 1)}, {n_w} warning{'s' * (n_w != 1)}"
                   f" ({self.checked_nodes} nodes checked)")
        return "\n".join(out) + "\n"

    def to_json(self) -> str:
        return json.dumps({"conforms": self.conforms, "violations": len(self.violations),
                           "warnings": len(self.warnings), "checked_nodes": self.checked_nodes,
                           "results": [asdict(r) for r in self.results]}, indent=2, ensure_ascii=False) + "\n"


def _short(value: str) -> str:
    if value.startswith(("http://", "https://")):
        return shorten(value)
    return value if len(value) <= 80 else value[:77] + "..."
