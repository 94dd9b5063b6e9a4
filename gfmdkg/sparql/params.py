"""Query parameters checked against the graph before a saved query runs.

A parameter whose header declares a ``kind`` names a node of the graph: its value must be one (an IRI or prefixed
name of that kind, or, as in ``gfmdkg check``, a label or code that names exactly one). An unknown value is an
error with the closest nodes of that kind as suggestions, instead of an answer with no rows. The nodes of a kind
are those fitting the header's ``match`` pattern over ``?node``, else the kind's definition in
:data:`gfmdkg.contrib.vocab.KINDS`. The look-ups are ordinary bound SELECT queries, so the same check runs on the
local graph, on a remote endpoint and in the server.
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox

from gfmdkg.errors import GfmdkgError
from gfmdkg.namespaces import sparql_prologue
from gfmdkg.sparql.catalogue import Param, SavedQuery
from gfmdkg.sparql.terms import Term, is_iri, uri

#: runs a SELECT query with bound values and returns its rows
Rows = Callable[[str, dict[str, Term]], list[dict[str, Term]]]
MAX_SUGGESTIONS = 3


def pattern(query: SavedQuery, param: Param) -> str:
    """The SPARQL group pattern over ``?node`` that the parameter's values must fit."""
    from gfmdkg.contrib.vocab import IN_SCHEME, KINDS, RDF_TYPE

    if param.match:
        return param.match
    if param.kind not in KINDS:
        raise GfmdkgError(f"{query.path}: parameter '{param.name}' has kind '{param.kind}', which is not one of "
                          f"{', '.join(KINDS)}", hint="give one of those kinds, or a 'match' pattern over ?node")
    how, iri = KINDS[param.kind]
    return f"?node <{RDF_TYPE if how == 'type' else IN_SCHEME}> <{iri}>"


def checked_values(query: SavedQuery, values: dict[str, str], rows: Rows) -> dict[str, str]:
    """``values`` with every parameter that has a kind resolved to the node it names: an IRI parameter gets the
    node's IRI, a string parameter the node's code (the last segment of its IRI, e.g. a country's alpha-3 code).

    Raises :class:`GfmdkgError` (exit 2) naming the parameter, the value and the closest nodes of its kind.
    """
    out = dict(values)
    for param in query.params:
        raw = (values.get(param.name) or "").strip()
        if not raw or not param.kind:
            continue
        out[param.name] = _resolve(query, param, raw, rows)
    return out


def _resolve(query: SavedQuery, param: Param, raw: str, rows: Rows) -> str:
    from gfmdkg.contrib.vocab import expand, local_name

    where = pattern(query, param)
    iri = expand(raw)
    if param.type == "iri" and iri and is_iri(iri) and rows(
            f"{sparql_prologue()}SELECT ?node WHERE {{ {where} }} LIMIT 1", {"node": uri(iri)}):
        return raw
    kind_key = param.kind or param.name
    vocab = _vocabulary(kind_key, where, rows)
    found = vocab.resolve(kind_key, raw)
    if found.iri is not None:
        return found.iri if param.type == "iri" else local_name(found.iri)
    from gfmdkg.namespaces import shorten

    named = [f"{shorten(i)} ({label})" if shorten(i) != label else label for i, label in found.suggestions]
    kind = param.kind or "node"
    problem = found.note or f"there is no {kind} '{raw}' in the graph"
    raise GfmdkgError(f"query '{query.name}', parameter '{param.name}': {problem}",
                      hint=("did you mean " + " or ".join(named[:MAX_SUGGESTIONS]) + "?") if named else
                      f"no {kind} of the graph has a close name or id: check the value (a prefixed name such as "
                      f"{shorten(min(vocab.members[kind_key]))}, or a name)" if vocab.members[kind_key] else
                      f"the graph has no {kind} at all")


def _vocabulary(key: str, where: str, rows: Rows):
    """The nodes fitting ``where`` with their labels and codes, as a :class:`Vocabulary` of one kind ``key``."""
    from gfmdkg.contrib.vocab import LABELS, Vocabulary

    labels = ", ".join(f"<{p}>" for p in sorted(LABELS))
    found = rows(f"{sparql_prologue()}SELECT ?node ?p ?label WHERE {{ {where} "
                 f"OPTIONAL {{ ?node ?p ?label FILTER(?p IN ({labels}) && isLiteral(?label)) }} }}", {})
    nodes = {r["node"]["value"] for r in found if r.get("node", {}).get("type") == "uri"}
    quads = [ox.Quad(ox.NamedNode(r["node"]["value"]), ox.NamedNode(r["p"]["value"]), ox.Literal(r["label"]["value"]))
             for r in found if "p" in r and "label" in r and r["node"]["value"] in nodes]
    vocab = Vocabulary(quads)
    vocab.members[key] = nodes
    return vocab
