"""Binding query parameters as SPARQL text: a ``VALUES`` block at the start of the outermost WHERE group.

Shared by every engine and by remote endpoints, so a parameter means the same everywhere: it is joined with the
outermost group, visible to its FILTERs (unlike pyoxigraph's ``substitutions``, under which ``BOUND(?p)`` stays false),
and each term is written by :func:`gfmdkg.sparql.terms.to_sparql` (escaped, IRIs checked), so no value can become
query syntax.
"""

from __future__ import annotations

import re

from gfmdkg.errors import GfmdkgError
from gfmdkg.sparql.guard import decode_escapes, query_form, tokens
from gfmdkg.sparql.terms import Term, to_sparql

_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def inject_values(query: str, bindings: dict[str, Term] | None) -> str:
    """``query`` with a ``VALUES`` block for ``bindings`` at the start of its outermost WHERE group.

    Codepoint escapes are decoded first (as every SPARQL parser does before tokenising), so the group is found in
    the text the endpoint will actually parse. The guard then checks (and decodes once more) the whole text that
    runs, block included: a query whose decoding yields another escape (``\\u005Cu0022``) means something else
    after the second pass, but never something that was not checked.
    """
    if not bindings:
        return query
    for name in bindings:
        if not _VARNAME.match(name):
            raise GfmdkgError(f"'{name}' cannot be a query parameter name", hint="use letters, digits and _ only")
    text = decode_escapes(query)
    toks = tokens(text)
    form = query_form(text)
    start = next((i for i, t in enumerate(toks) if t.kind == "word" and t.text.upper() == form), None)
    if start is None:
        raise GfmdkgError("cannot find the query form (SELECT, CONSTRUCT, ASK or DESCRIBE) to bind parameters in")
    i = start + 1
    if form == "CONSTRUCT" and i < len(toks) and toks[i].text == "{":  # skip the template
        depth = 0
        while i < len(toks):
            depth += {"{": 1, "}": -1}.get(toks[i].text, 0) if toks[i].kind == "other" else 0
            i += 1
            if depth == 0:
                break
    brace = next((t for t in toks[i:] if t.kind == "other" and t.text == "{"), None)
    if brace is None:
        raise GfmdkgError("cannot find the WHERE group of the query to bind parameters in")
    names = list(bindings)
    block = ("\n  VALUES (" + " ".join("?" + n for n in names) + ") { ("
             + " ".join(to_sparql(bindings[n]) for n in names) + ") }\n")
    return text[:brace.pos + 1] + block + text[brace.pos + 1:]
