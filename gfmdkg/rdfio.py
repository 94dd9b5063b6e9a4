"""Reading RDF files safely: bytes we read ourselves, size caps, no DTDs, no remote JSON-LD contexts,
and parse errors that name the file, line and column.

pyoxigraph is the parser: it is linear-time, strict (it passes the W3C Turtle suite) and rejects bad IRIs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from gfmdkg.errors import ParseError

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_JSON_DEPTH = 64

FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
FORMAT_NAMES: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS, "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "json-ld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML, "rdfxml": ox.RdfFormat.RDF_XML,
}
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def format_for(path: Path | str, name: str | None = None) -> ox.RdfFormat:
    """The RDF format for an explicit format name, else for the file's extension."""
    if name:
        try:
            return FORMAT_NAMES[name.lower()]
        except KeyError:
            raise ParseError(str(path), f"unknown RDF format '{name}'",
                             hint="use one of: " + ", ".join(sorted(FORMAT_NAMES))) from None
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ParseError(str(path), f"cannot tell the RDF syntax from the extension '{suffix or '(none)'}'",
                         hint="name the file .ttl, .nt, .nq, .trig, .jsonld or .rdf")
    return FORMATS[suffix]


def read_bytes(path: Path | str, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a file, refusing what is not a regular readable file or is larger than ``max_bytes``."""
    p = Path(path)
    try:
        if not p.is_file():
            raise ParseError(str(p), "no such file (or not a regular file)", hint="check the path")
        size = p.stat().st_size
        if size > max_bytes:
            raise ParseError(str(p), f"file is {size} bytes, over the limit of {max_bytes}",
                             hint="split the file, or raise the limit if you trust it")
        return p.read_bytes()
    except OSError as exc:
        raise ParseError(str(p), f"cannot read the file: {exc.strerror}",
                         hint="check the path and permissions") from None


def check_xml(data: bytes, path: str) -> None:
    """Refuse any DTD in RDF/XML: entity expansion ("billion laughs") and external entities stop here."""
    match = _DTD.search(data)
    if match:
        line = data.count(b"\n", 0, match.start()) + 1
        raise ParseError(path, "RDF/XML with a DTD or entity declaration is refused (entity expansion and "
                         "external entities are a denial-of-service and file-disclosure risk)", line=line,
                         hint="remove the <!DOCTYPE ...> block and write the values out in full")


def _depth(obj: object, limit: int) -> int:
    stack = [(obj, 1)]
    deepest = 0
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if d > limit:
            return d
        if isinstance(node, dict):
            stack.extend((v, d + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, d + 1) for v in node)
    return deepest


def check_jsonld(data: bytes, path: str, local_contexts: dict[str, object] | None = None) -> bytes:
    """Refuse remote or file contexts in JSON-LD; inline the vendored copy of contexts we publish ourselves."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ParseError(path, f"not UTF-8 text (byte {exc.start})", hint="save the file as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ParseError(path, f"not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise ParseError(path, "JSON nested too deeply", hint="flatten the document") from None
    if _depth(doc, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise ParseError(path, f"JSON nested deeper than {MAX_JSON_DEPTH} levels", hint="flatten the document")
    local_contexts = local_contexts or {}
    changed = False

    def fix(ctx: object) -> object:
        nonlocal changed
        if isinstance(ctx, str):
            if ctx in local_contexts:
                changed = True
                return local_contexts[ctx]
            raise ParseError(path, f"JSON-LD @context '{ctx}' would have to be fetched; remote and file contexts "
                             "are refused", hint="put the context inline in the document (an object, not a URL)")
        if isinstance(ctx, list):
            return [fix(c) for c in ctx]
        if isinstance(ctx, dict) and "@import" in ctx:
            raise ParseError(path, "JSON-LD @import in a context is refused", hint="inline the imported context")
        return ctx

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "@context" in node:
                node["@context"] = fix(node["@context"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    return json.dumps(doc).encode() if changed else data


def parse_bytes(data: bytes, path: str, fmt: ox.RdfFormat, *, graph: str | None = None,
                base_iri: str | None = None, local_contexts: dict[str, object] | None = None) -> list[ox.Quad]:
    """Parse ``data`` (from ``path``, for messages) into quads, optionally put into named graph ``graph``."""
    if fmt == ox.RdfFormat.RDF_XML:
        check_xml(data, path)
    elif fmt == ox.RdfFormat.JSON_LD:
        data = check_jsonld(data, path, local_contexts)
    binary = b"\x00" in data[:8192]  # a NUL may be valid inside a Turtle string: judge only if parsing fails
    try:
        parsed: Iterable = ox.parse(data, format=fmt, base_iri=base_iri)
        quads = list(parsed)
    except SyntaxError as exc:
        if binary:
            raise ParseError(path, "this is a binary file, not RDF text", hint="give a Turtle, N-Triples, TriG, "
                             "N-Quads, JSON-LD or RDF/XML file") from None
        detail = str(exc.msg if hasattr(exc, "msg") else exc)
        detail = re.sub(r"^Parser error (at|between) line \d+ (column \d+|between columns \d+ and \d+)"
                        r"( and line \d+ column \d+)?: ", "", detail)
        raise ParseError(path, detail, line=exc.lineno, column=exc.offset) from None
    except MemoryError:  # pyoxigraph's JSON-LD parser caps one token (a string) at 16 MiB
        raise ParseError(path, "a single value in the file is too large for the parser (its buffer holds 16 MiB)",
                         hint="shorten it: a description is a few sentences") from None
    except (ValueError, OSError) as exc:
        raise ParseError(path, str(exc)) from None
    if graph is None:
        return quads
    g = ox.NamedNode(graph)
    return [ox.Quad(q.subject, q.predicate, q.object, g) if isinstance(q.graph_name, ox.DefaultGraph) else q
            for q in quads]


def parse_file(path: Path | str, *, fmt: str | None = None, graph: str | None = None,
               base_iri: str | None = None, local_contexts: dict[str, object] | None = None,
               max_bytes: int = MAX_FILE_BYTES) -> list[ox.Quad]:
    """Read and parse one RDF file into quads (see :func:`parse_bytes`)."""
    return parse_bytes(read_bytes(path, max_bytes), str(path), format_for(path, fmt), graph=graph,
                       base_iri=base_iri, local_contexts=local_contexts)


_PREFIX_DECLARATION = re.compile(r"(?im)^\s*@?prefix\s+([A-Za-z][\w.-]*|):\s*<([^>]*)>")


def declared_prefixes(text: str) -> dict[str, str]:
    """The prefixes a Turtle text declares (@prefix or PREFIX)."""
    return dict(_PREFIX_DECLARATION.findall(text))


def subject_forms(iri: str, prefixes: dict[str, str]) -> list[str]:
    """How ``iri`` may be written in Turtle: in full, or as a prefixed name with any of ``prefixes``."""
    return [f"<{iri}>"] + [prefix + ":" + iri[len(ns):].replace("#", "\\#")
                           for prefix, ns in prefixes.items() if iri.startswith(ns)]


def find_line(path: Path | str, iri: str, prefixes: dict[str, str]) -> int | None:
    """The first line of a Turtle file that states ``iri`` as a subject (full or prefixed form), if found."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    forms = subject_forms(iri, {**prefixes, **declared_prefixes(text)})
    pattern = re.compile(r"^\s*(" + "|".join(re.escape(f) for f in forms) + r")(?=[\s;,.])", re.MULTILINE)
    m = pattern.search(text)
    if m is None:
        pattern = re.compile("(" + "|".join(re.escape(f) for f in forms) + r")(?=[\s;,.])")
        m = pattern.search(text)
    return text.count("\n", 0, m.start(1)) + 1 if m else None
