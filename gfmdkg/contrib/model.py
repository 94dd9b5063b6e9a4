"""What the importers produce and the checks report: records (one practice, or one RDF file) and problems."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

ERROR, WARNING = "error", "warning"


@dataclass
class Record:
    """One contributed practice as the contributor wrote it, and where: a CSV row, a YAML item, or an RDF file.

    ``values`` maps a template field name to its raw text; ``lines`` maps a field name to its line in the file.
    """

    file: str
    kind: str  # "csv", "yaml" or "rdf"
    row: int | None = None  # CSV: the spreadsheet row number (the header is row 1); YAML: the item number
    line: int | None = None
    values: dict[str, str] = dataclasses.field(default_factory=dict)
    lines: dict[str, int] = dataclasses.field(default_factory=dict)

    @property
    def where(self) -> str:
        """The record's place in the contributor's terms."""
        if self.kind == "csv":
            return f"{self.file}, row {self.row}"
        if self.kind == "yaml":
            return f"{self.file}, practice {self.row}" + (f" (line {self.line})" if self.line else "")
        return self.file

    def label(self) -> str:
        title = self.values.get("title", "").strip()
        return title if len(title) <= 70 else title[:67] + "..."


@dataclass
class Problem:
    """One thing to fix (error) or to look at (warning), located in the contributor's terms."""

    severity: str
    message: str
    hint: str = ""
    field: str | None = None  # template field (CSV column / YAML key) or RDF property (prefixed name)
    value: str | None = None
    line: int | None = None
    node: str | None = None  # the IRI concerned, for RDF contributions and shape results
    suggestions: list[str] = dataclasses.field(default_factory=list)
    check: str = ""  # which check found it: syntax, template, vocabulary, clash, duplicate, source, shapes

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "", [])}
