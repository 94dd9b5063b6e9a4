"""RDF terms as SPARQL 1.1 Query Results JSON dicts, and their safe conversion to engine terms and query text.

One term model for every engine and for remote endpoints: ``{"type": "uri"|"literal"|"bnode", "value": ...,
"datatype": ..., "xml:lang": ...}``.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from gfmdkg.errors import GfmdkgError

Term = dict[str, str]
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# RFC 3987 IRI: no spaces, controls, or the characters Turtle/SPARQL forbid inside <...>.
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\\x7f-\x9f]*$")
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def is_iri(value: str) -> bool:
    """True for an absolute IRI that can be written as ``<...>`` in Turtle and SPARQL."""
    return bool(_IRI.match(value))


def uri(value: str) -> Term:
    if not is_iri(value):
        raise GfmdkgError(f"'{value}' is not an absolute IRI", hint="give a full IRI such as https://w3id.org/gfmdkg/id/country/GHA")
    return {"type": "uri", "value": value}


def literal(value: str, datatype: str | None = None, lang: str | None = None) -> Term:
    term: Term = {"type": "literal", "value": value}
    if lang:
        if not _LANG.match(lang):
            raise GfmdkgError(f"'{lang}' is not a language tag", hint="use a tag such as en or fr")
        term["xml:lang"] = lang.lower()
    elif datatype and datatype != XSD_STRING:
        term["datatype"] = uri(datatype)["value"]
    return term


def to_oxigraph(term: Term) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """An engine term for local binding (pyoxigraph substitutions)."""
    kind = term["type"]
    if kind == "uri":
        return ox.NamedNode(term["value"])
    if kind == "bnode":
        return ox.BlankNode(term["value"])
    if "xml:lang" in term:
        return ox.Literal(term["value"], language=term["xml:lang"])
    if "datatype" in term:
        return ox.Literal(term["value"], datatype=ox.NamedNode(term["datatype"]))
    return ox.Literal(term["value"])


def from_oxigraph(node: object) -> Term:
    """The JSON-results form of a pyoxigraph term."""
    if isinstance(node, ox.NamedNode):
        return {"type": "uri", "value": node.value}
    if isinstance(node, ox.BlankNode):
        return {"type": "bnode", "value": node.value}
    if isinstance(node, ox.Literal):
        if node.language:
            return {"type": "literal", "value": node.value, "xml:lang": node.language}
        dt = node.datatype.value
        return {"type": "literal", "value": node.value} if dt == XSD_STRING else {
            "type": "literal", "value": node.value, "datatype": dt}
    raise TypeError(f"unsupported term {node!r}")


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escape_string(value: str) -> str:
    out = []
    for i, ch in enumerate(value):
        if ch in "uU" and i and value[i - 1] == "\\":  # not a codepoint escape after decoding: \\ then \u0075
            out.append(f"\\u{ord(ch):04X}")
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ch in "\x7f\u2028\u2029":
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def to_sparql(term: Term) -> str:
    """The term in SPARQL syntax, escaped so that no value can end the term early (for remote endpoints).

    SPARQL decodes codepoint escapes over the whole query before parsing (section 19.2), so a backslash in a value
    is written ``\\\\`` and a ``u`` right after it as ``\\u0075``: ``\\u0022`` in a value stays six characters of
    data, for a parser that decodes first (the guard, Jena) and one that decodes only in strings (Oxigraph).
    """
    kind = term["type"]
    if kind == "uri":
        return "<" + uri(term["value"])["value"] + ">"
    if kind == "bnode":
        raise GfmdkgError("blank nodes cannot be passed as query parameters", hint="use the node's IRI")
    text = '"' + _escape_string(term["value"]) + '"'
    if "xml:lang" in term:
        return text + "@" + literal("", lang=term["xml:lang"])["xml:lang"]
    if "datatype" in term:
        return text + "^^<" + uri(term["datatype"])["value"] + ">"
    return text
