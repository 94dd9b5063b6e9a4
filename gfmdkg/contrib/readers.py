"""Reading the contributor template (CSV, one practice per row; YAML, one practice per item) into records.

Safe on any input: size caps, UTF-8 only (with a clear message otherwise), no YAML aliases, bounded nesting,
bounded cell sizes; every structural problem is a :class:`~gfmdkg.errors.ParseError` (exit 2) naming the file,
the line and what to do.
"""

from __future__ import annotations

import csv
import difflib
import io
from pathlib import Path

from gfmdkg.contrib.fields import BY_NAME, FIELDS, REQUIRED_COLUMNS, normalise_column
from gfmdkg.contrib.model import Record
from gfmdkg.errors import ParseError
from gfmdkg.rdfio import read_bytes

MAX_TEMPLATE_BYTES = 8 * 1024 * 1024
MAX_CELL_CHARS = 20_000
MAX_ROWS = 10_000
MAX_YAML_DEPTH = 8
MAX_YAML_EVENTS = 200_000
TEMPLATE_SUFFIXES = {".csv": "csv", ".yaml": "yaml", ".yml": "yaml"}


def decode(data: bytes, path: str) -> str:
    """UTF-8 text (a byte-order mark is allowed), or a ParseError that says how to save the file as UTF-8."""
    if b"\x00" in data[:8192]:
        raise ParseError(path, "this is a binary file, not a text template",
                         hint="save the spreadsheet as 'CSV UTF-8 (comma delimited)', or write the form as YAML text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ParseError(path, f"the file is not UTF-8 text (byte {data[exc.start]:#04x} cannot be read)", line=line,
                         hint="save it again as UTF-8: in Excel 'CSV UTF-8 (comma delimited)', in LibreOffice "
                         "tick 'Edit filter settings' and choose 'Unicode (UTF-8)'") from None


def _column_for(header: str) -> str | None:
    name = normalise_column(header)
    return name if name in BY_NAME else None


def _unknown_column_hint(header: str) -> str:
    close = difflib.get_close_matches(normalise_column(header), list(BY_NAME), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'? Rename the column"
    return "remove the column, or rename it to one of: " + ", ".join(f.name for f in FIELDS)


def _delimiter(first_line: str) -> str:
    """Comma, or semicolon for spreadsheets saved in locales that use it: whichever splits into known columns."""
    def known(sep: str) -> int:
        return sum(1 for h in first_line.split(sep) if _column_for(h.strip().strip('"')))
    return ";" if known(";") > known(",") else ","


def _check_cell(path: str, value: str, line: int, where: str) -> None:
    if len(value) > MAX_CELL_CHARS:
        raise ParseError(path, f"{where} holds {len(value)} characters, over the limit of {MAX_CELL_CHARS}", line=line,
                         hint="shorten the text (a summary is at most 4000 characters)")


def read_csv(path: str, data: bytes) -> list[Record]:
    """One record per non-empty row; the header must name template columns (the required ones at least)."""
    text = decode(data, path)
    if not text.strip():
        raise ParseError(path, "the file is empty", hint="start from `gfmdkg template --format csv` and fill one row "
                         "per practice")
    first = text.splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first), strict=True)
    old_limit = csv.field_size_limit(MAX_CELL_CHARS * 4)
    try:
        try:
            header = next(reader)
        except csv.Error as exc:
            raise ParseError(path, f"the header row cannot be read: {exc}", line=1,
                             hint="check the quotes in the first row") from None
        columns: list[str] = []
        for i, h in enumerate(header, start=1):
            name = _column_for(h)
            if name is None:
                if not h.strip():
                    raise ParseError(path, f"column {i} has no name in the header row", line=1,
                                     hint="give it a template name or delete the column")
                raise ParseError(path, f"'{h.strip()}' (column {i}) is not a column of the template", line=1,
                                 hint=_unknown_column_hint(h))
            if name in columns:
                raise ParseError(path, f"the column '{name}' appears twice in the header row", line=1,
                                 hint="keep one and delete the other")
            columns.append(name)
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise ParseError(path, "the header row lacks the column" + ("s " if len(missing) > 1 else " ") +
                             ", ".join(f"'{m}'" for m in missing), line=1,
                             hint="add the missing columns (see `gfmdkg template --format csv`)")
        records: list[Record] = []
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                if "field limit" in str(exc):
                    raise ParseError(path, f"row {line} has a cell over the limit of {MAX_CELL_CHARS} characters",
                                     line=line, hint="shorten the text (a summary is at most 4000 characters), "
                                     "or close the quote that was left open before it") from None
                raise ParseError(path, f"row {line} cannot be read: {exc}", line=line,
                                 hint="check the quotes in that row: a cell with a comma, quote or line break must "
                                 "be in double quotes, and a quote inside it doubled (\"\")") from None
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                more = len(row) > len(columns)
                raise ParseError(path, f"row {line} has {len(row)} cells but the header has {len(columns)} columns",
                                 line=line, hint="remove the extra cells (a comma in a text must be inside double "
                                 "quotes)" if more else "add the missing cells (empty cells need their commas)")
            if len(records) >= MAX_ROWS:
                raise ParseError(path, f"more than {MAX_ROWS} practices in one file", line=line,
                                 hint="split the file")
            values = {}
            for name, cell in zip(columns, row, strict=True):
                _check_cell(path, cell, line, f"row {line}, column '{name}'")
                if cell.strip():
                    values[name] = cell.strip()
            records.append(Record(file=path, kind="csv", row=line, line=line, values=values,
                                  lines={k: line for k in values}))
    finally:
        csv.field_size_limit(old_limit)
    if not records:
        raise ParseError(path, "the file has a header but no practice rows", line=2,
                         hint="fill one row per practice under the header")
    return records


# ---------------------------------------------------------------------------------------------------------- YAML
def _scan_yaml(text: str, path: str) -> None:
    """Refuse aliases (the 'billion laughs' bomb), deep nesting and huge documents before building anything."""
    import yaml

    depth = 0
    try:
        for n, event in enumerate(yaml.parse(text, Loader=yaml.SafeLoader)):
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.AliasEvent):
                raise ParseError(path, "YAML aliases (*name) are refused", line=line,
                                 hint="write each value out in full instead of referring to an anchor (&name)")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise ParseError(path, f"nested deeper than {MAX_YAML_DEPTH} levels", line=line,
                                     hint="the form is a list of practices, each a set of 'field: value' lines")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            if n > MAX_YAML_EVENTS:
                raise ParseError(path, "the YAML document is too large", line=line, hint="split the file")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ParseError(path, f"not valid YAML: {problem}", line=mark.line + 1 if mark else None,
                         column=mark.column + 1 if mark else None,
                         hint="check the indentation and quote values that contain ': ' or start with a special "
                         "character") from None


def _scalar_text(node, path: str, key: str) -> str:
    import yaml

    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        value = node.value
    elif isinstance(node, yaml.SequenceNode) and all(isinstance(i, yaml.ScalarNode) for i in node.value):
        if not BY_NAME[key].multi:
            raise ParseError(path, f"'{key}' takes one value, not a list", line=line, hint="give a single value")
        value = "; ".join(i.value for i in node.value if i.value.strip())
    else:
        raise ParseError(path, f"'{key}' must be text or a list of texts", line=line,
                         hint="write 'field: value' or a list of '- value' lines")
    _check_cell(path, value, line, f"'{key}'")
    return value.strip()


def read_yaml(path: str, data: bytes) -> list[Record]:
    """One record per practice: the document is one practice (a mapping), a list of them, or {practices: [...]}."""
    import yaml

    text = decode(data, path)
    if not text.strip():
        raise ParseError(path, "the file is empty", hint="start from `gfmdkg template --format yaml`")
    _scan_yaml(text, path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:  # e.g. several documents in one file
        mark = getattr(exc, "problem_mark", None)
        raise ParseError(path, f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                         line=mark.line + 1 if mark else None, hint="keep one YAML document per file") from None
    if root is None:
        raise ParseError(path, "the file holds no practice", hint="start from `gfmdkg template --format yaml`")
    if isinstance(root, yaml.MappingNode) and any(k.value == "practices" for k, _ in root.value
                                                  if isinstance(k, yaml.ScalarNode)):
        if len(root.value) != 1:
            raise ParseError(path, "next to 'practices:' the file may hold nothing else", line=1,
                             hint="move the other fields into the practices")
        root = root.value[0][1]
    items = [root] if isinstance(root, yaml.MappingNode) else (
        root.value if isinstance(root, yaml.SequenceNode) else None)
    if not items:
        raise ParseError(path, "expected one practice ('field: value' lines) or a list of practices",
                         line=root.start_mark.line + 1, hint="start from `gfmdkg template --format yaml`")
    records = []
    for n, item in enumerate(items, start=1):
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            raise ParseError(path, f"practice {n} is not a set of 'field: value' lines", line=line,
                             hint="start from `gfmdkg template --format yaml`")
        values: dict[str, str] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in item.value:
            key_line = key_node.start_mark.line + 1
            key = _column_for(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                raise ParseError(path, f"'{getattr(key_node, 'value', '?')}' is not a field of the form", line=key_line,
                                 hint=_unknown_column_hint(str(getattr(key_node, "value", ""))))
            if key in values or key in lines:
                raise ParseError(path, f"the field '{key}' appears twice in practice {n}", line=key_line,
                                 hint="keep one of them")
            value = _scalar_text(value_node, path, key)
            lines[key] = key_line
            if value and value not in ("~", "null"):
                values[key] = value
        records.append(Record(file=path, kind="yaml", row=n, line=line, values=values, lines=lines))
    return records


def template_kind(path: str | Path) -> str | None:
    """'csv' or 'yaml' for template files, None for RDF files."""
    return TEMPLATE_SUFFIXES.get(Path(path).suffix.lower())


def read_template(path: str | Path) -> list[Record]:
    """The records of a CSV or YAML template file."""
    kind = template_kind(path)
    data = read_bytes(path, MAX_TEMPLATE_BYTES)
    return read_csv(str(path), data) if kind == "csv" else read_yaml(str(path), data)
