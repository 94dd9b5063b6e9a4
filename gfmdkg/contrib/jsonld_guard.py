"""What a JSON-LD processor would silently drop: ``@id`` values that are not IRIs and keys that no context
defines. pyoxigraph (like the JSON-LD algorithms) drops them without a word; a contribution must not lose
data that way, so each becomes an error naming its place in the document."""

from __future__ import annotations

import json
import re

from gfmdkg.contrib.model import ERROR, Problem

_BAD_IRI = re.compile(r"[\s<>\"{}|^`\\]")
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _terms(doc: object) -> set[str]:
    """Every term and prefix defined by any inline @context of the document."""
    found: set[str] = set()
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ctx = node.get("@context")
            for c in ctx if isinstance(ctx, list) else [ctx]:
                if isinstance(c, dict):
                    found |= {k for k in c if not k.startswith("@")}
                    if "@vocab" in c:  # every key expands: none is dropped
                        found.add("@vocab")
            stack.extend(v for k, v in node.items() if k != "@context")
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _dropped(key: str, terms: set[str]) -> bool:
    """True for a key that expands to no IRI: not a keyword, term, compact IRI, or absolute IRI."""
    if "@vocab" in terms or key.startswith("@") or key in terms:
        return False
    return not _ABSOLUTE.match(key) and key.split(":", 1)[0] not in terms


def _relative(value: str, terms: set[str]) -> bool:
    """True for an @id that is a relative IRI (no scheme, not a blank node, not a compact IRI)."""
    return not value.startswith("_:") and not _ABSOLUTE.match(value) and value.split(":", 1)[0] not in terms


def _line(text: str, value: str) -> int | None:
    at = text.find(json.dumps(value))
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def longest_string(data: bytes) -> tuple[int, int | None]:
    """The length of the longest string (key or value) in a JSON document, and its line ((0, None) if none or
    not JSON: the parser reports that)."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        return 0, None
    longest = ""
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str) and len(node) > len(longest):
            longest = node
    if not longest:
        return 0, None
    at = data.find(json.dumps(longest[:40], ensure_ascii=False)[:-1].encode())
    return len(longest), (data.count(b"\n", 0, at) + 1 if at >= 0 else None)


def check_jsonld(data: bytes, *, base_given: bool = False) -> list[Problem]:
    """Problems for dropped ids and undefined keys (the document has already parsed as JSON-LD); without a base
    IRI a relative @id is dropped too."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):  # already reported by the parser
        return []
    terms = _terms(doc)
    problems: list[Problem] = []
    stack: list[tuple[object, str]] = [(doc, "$")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, list):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key == "@context":
                continue
            place = f"{where}.{key}"
            if key == "@id" and isinstance(value, str) and _BAD_IRI.search(value):
                problems.append(Problem(severity=ERROR, message=f"'{value}' (at {place}) is not a valid IRI: a "
                                        "JSON-LD processor drops the node without a word", field="@id", value=value,
                                        hint="remove spaces and the characters < > \" { } | ^ ` \\ from the IRI",
                                        check="syntax"))
            elif key == "@id" and isinstance(value, str) and not base_given and _relative(value, terms):
                problems.append(Problem(severity=ERROR, message=f"'{value}' (at {place}) is a relative IRI: a "
                                        "contribution must use full IRIs", field="@id", value=value,
                                        line=_line(data.decode("utf-8", "replace"), value),
                                        hint="write the full IRI (https://...), or give --base IRI to resolve "
                                        "relative IRIs against it", check="syntax"))
            elif _dropped(key, terms):
                problems.append(Problem(severity=ERROR, message=f"the key '{key}' (at {place}) is not defined in "
                                        "the @context: a JSON-LD processor drops it without a word", field=key,
                                        hint="define it in the @context, or write the full property IRI",
                                        check="syntax"))
            stack.append((value, place))
    return problems
