"""Saved queries: ``queries/*.rq`` files with a YAML header in ``#+`` comment lines (grlc style).

Header keys: ``summary`` (one line) and ``description``, in plain language for the people the graph serves (no
prefixed names, variables or IRIs: tests/test_queries.py checks), ``notes`` (the technical notes: which properties,
which edge cases), ``tags`` (list), ``params`` (name -> ``type``, ``default``, ``description``, ``required``,
``kind``, ``match``, ``choices``), ``example`` (a command line). Parameter names are
the query's variables; values are bound as RDF terms, never pasted into the text. A parameter with a ``kind`` (what
its value names, e.g. ``recommendation``, ``country``) is checked against the graph before the query runs
(:mod:`gfmdkg.sparql.params`); ``match`` is the SPARQL pattern over ``?node`` its values must fit when the kind is
not one of the vocabulary kinds of :mod:`gfmdkg.contrib.vocab`; ``choices`` is a SPARQL pattern over ``?node``
listing the values a form offers for a parameter without a kind (suggestions only: they are not checked).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gfmdkg.errors import GfmdkgError
from gfmdkg.namespaces import PREFIXES
from gfmdkg.sparql.guard import query_form
from gfmdkg.sparql.prefixes import Prefixed, with_prefixes
from gfmdkg.sparql.terms import XSD, Term, literal, uri

PARAM_TYPES = ("iri", "string", "langstring", "integer", "decimal", "boolean", "year", "date")
_HEADER = re.compile(r"^#\+ ?(.*)$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str = "string"
    default: str | None = None
    description: str = ""
    required: bool = False
    kind: str | None = None
    match: str | None = None
    choices: str | None = None


@dataclass(frozen=True)
class SavedQuery:
    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    notes: str = ""  # technical notes, shown under the plain description
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    example: str = ""
    form: str = "SELECT"
    meta: dict = field(default_factory=dict, compare=False, hash=False)
    #: the project's prefixes put in front of the file's text (one line each), because it uses them undeclared
    added_prefixes: tuple[str, ...] = ()

    @property
    def prefixed(self) -> Prefixed:
        return Prefixed(self.text, self.added_prefixes)

    def bindings(self, values: dict[str, str]) -> dict[str, Term]:
        """RDF terms for the given string values (and defaults), checked against the declared types."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise GfmdkgError(f"query '{self.name}' has no parameter {', '.join(unknown)}",
                              hint=f"its parameters are: {', '.join(known) or '(none)'}")
        out: dict[str, Term] = {}
        for p in self.params:
            raw = values.get(p.name, p.default)
            if raw is None or raw == "":
                if p.required:
                    raise GfmdkgError(f"query '{self.name}' needs the parameter '{p.name}' ({p.description})",
                                      hint=f"add -p {p.name}=VALUE")
                continue
            out[p.name] = to_term(raw, p.type, p.name)
        return out


def expand(value: str) -> str:
    """A prefixed name (``rec:bp-diaspora-participation``) as a full IRI; other values unchanged."""
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return value


def to_term(raw: str, kind: str, name: str = "value") -> Term:
    """Turn a command-line string into a typed RDF term, with a clear error when it does not fit the type."""
    try:
        if kind == "iri":
            return uri(expand(raw.strip()))
        if kind == "string":
            return literal(raw)
        if kind == "langstring":
            return literal(raw, lang="en")
        if kind == "integer":
            return literal(str(int(raw)), XSD + "integer")
        if kind == "decimal":
            float(raw)
            return literal(raw.strip(), XSD + "decimal")
        if kind == "boolean":
            if raw.lower() not in ("true", "false"):
                raise ValueError(raw)
            return literal(raw.lower(), XSD + "boolean")
        if kind == "year":
            if not re.fullmatch(r"-?\d{4}", raw.strip()):
                raise ValueError(raw)
            return literal(raw.strip(), XSD + "gYear")
        if kind == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()):
                raise ValueError(raw)
            return literal(raw.strip(), XSD + "date")
    except ValueError:
        raise GfmdkgError(f"parameter '{name}': '{raw}' is not a valid {kind}",
                          hint=f"give a {kind} value, e.g. " + {"integer": "3", "decimal": "1.5", "boolean": "true",
                                                               "year": "2012", "date": "2014-05-14"}.get(kind, "...")
                          ) from None
    raise GfmdkgError(f"parameter '{name}' has unknown type '{kind}'", hint=f"use one of {', '.join(PARAM_TYPES)}")


def _header(path: Path, lines: list[str]) -> object:
    """The YAML header of a saved query, parsed once: remembered by its text in the cache (PyYAML costs more to
    import than a saved query takes to run)."""
    from gfmdkg.store import memo

    text = "\n".join(lines)
    digest = memo.key("saved-query header, PyYAML safe_load", text)
    cached = memo.get("headers", digest)
    if isinstance(cached, dict) and cached.get("header") == text:
        return cached["meta"]
    import yaml
    try:
        meta = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise GfmdkgError(f"{path}: the '#+' header is not valid YAML: {exc}", hint="fix the header lines") from None
    try:
        memo.put("headers", digest, {"header": text, "meta": meta})
    except (TypeError, ValueError):  # a value JSON cannot hold (a date): parse it again next time
        pass
    return meta


def parse_saved_query(path: Path, text: str | None = None) -> SavedQuery:
    """Read one ``.rq`` file and its header (``text``: its content, when already read)."""
    text = path.read_text(encoding="utf-8") if text is None else text
    header_lines = []
    for line in text.splitlines():
        m = _HEADER.match(line)
        if m:
            header_lines.append(m.group(1))
        elif line.strip() and not line.startswith("#"):
            break
    meta = _header(path, header_lines)
    if not isinstance(meta, dict) or not meta.get("summary"):
        raise GfmdkgError(f"{path}: saved query without a '#+ summary:' header line",
                          hint="start the file with '#+ summary: what the query answers'")
    params = []
    for name, spec in (meta.get("params") or {}).items():
        spec = spec or {}
        if spec.get("type", "string") not in PARAM_TYPES:
            raise GfmdkgError(f"{path}: parameter '{name}' has unknown type '{spec.get('type')}'",
                              hint=f"use one of {', '.join(PARAM_TYPES)}")
        default, kind, match, choices = (spec.get(k) for k in ("default", "kind", "match", "choices"))
        params.append(Param(str(name), spec.get("type", "string"), None if default is None else str(default),
                            str(spec.get("description", "")), bool(spec.get("required", False)),
                            None if kind is None else str(kind), None if match is None else str(match),
                            None if choices is None else str(choices)))
    return _with_prefixes(SavedQuery(
        name=path.stem if path.parent.name != "qc" else f"qc/{path.stem}", path=path, text=text,
        summary=str(meta["summary"]).strip(), description=str(meta.get("description", "")).strip(),
        notes=str(meta.get("notes", "")).strip(),
        tags=tuple(str(t) for t in meta.get("tags") or ()), params=tuple(params),
        example=str(meta.get("example", "")), meta=meta))


def _with_prefixes(query: SavedQuery) -> SavedQuery:
    """``query`` with the project's prefixes it uses undeclared put in front, and its form."""
    from dataclasses import replace

    prefixed = with_prefixes(query.text, str(query.path))
    return replace(query, text=prefixed.text, added_prefixes=prefixed.added, form=query_form(prefixed.text))


def load_catalogue(query_files: list[Path]) -> dict[str, SavedQuery]:
    """Every saved query of the project, by name (QC checks as ``qc/NAME``)."""
    return {q.name: q for q in (parse_saved_query(p) for p in query_files)}


def read_query_file(path: Path) -> SavedQuery:
    """A query file given by path: a saved query when it has a header, else an ad-hoc one."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise GfmdkgError(f"{path}: not UTF-8 text (byte {exc.start})", hint="save the query as UTF-8") from None
    except OSError as exc:
        raise GfmdkgError(f"{path}: cannot read the query file: {exc.strerror}",
                          hint="check the path and permissions") from None
    try:
        return parse_saved_query(path, text)
    except GfmdkgError:
        return _with_prefixes(SavedQuery(path.stem, path, text, summary="(ad-hoc query file)"))


def resolve(name_or_file: str, query_files: list[Path]) -> SavedQuery:
    """A saved query by name, or a query file given by path."""
    catalogue = {p.stem if p.parent.name != "qc" else f"qc/{p.stem}": p for p in query_files}
    if name_or_file in catalogue:
        return parse_saved_query(catalogue[name_or_file])
    path = Path(name_or_file)
    if path.is_file():
        return read_query_file(path)
    if path.exists():
        raise GfmdkgError(f"{name_or_file}: not a query file (a folder?)",
                          hint="give a .rq file or a saved query's name")
    if path.suffix or "/" in name_or_file or "\\" in name_or_file:
        raise GfmdkgError(f"{name_or_file}: no such query file",
                          hint="check the path; 'gfmdkg queries' lists the saved queries, which run by name")
    import difflib
    close = difflib.get_close_matches(name_or_file, list(catalogue), n=3)
    raise GfmdkgError(f"no saved query named '{name_or_file}'",
                      hint=(f"did you mean {', '.join(close)}? " if close else "")
                      + "'gfmdkg queries' lists them; a query file is given by its path (e.g. my-question.rq)")
