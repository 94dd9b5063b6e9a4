"""Deprecated gfmd terms in an RDF contribution, written as the standard terms that replace them.

The old terms stay readable for one release: ``check`` and ``add`` rewrite each statement with its replacement
(the same object for the strict equivalents; ISO codes as typed ``skos:notation``; a contact as a
``dcat:contactPoint`` vCard) and warn once per node and term, so that what is added uses only the new terms.
``gfmd:contributedBy`` is not mapped: who contributed is recorded by ``add`` (see :mod:`provenance`).
"""

from __future__ import annotations

import pyoxigraph as ox

from gfmdkg.contrib.model import WARNING, Problem
from gfmdkg.contrib.provenance import contact_quads
from gfmdkg.contrib.unit import Unit
from gfmdkg.contrib.vocab import show as shorten
from gfmdkg.namespaces import DEF, PREFIXES

#: deprecated property -> the standard property with the same meaning
EQUIVALENT = {DEF + "orgType": PREFIXES["org"] + "classification",
              DEF + "mentionedIn": PREFIXES["dcterms"] + "isReferencedBy",
              DEF + "currency": PREFIXES["schema"] + "currency",
              DEF + "fundedBy": PREFIXES["schema"] + "funder"}
#: deprecated code property -> the datatype of the skos:notation that replaces it
NOTATION = {DEF + "iso3166Alpha2": PREFIXES["euvoc"] + "ISO_3166_1_ALPHA_2",
            DEF + "iso3166Numeric": DEF + "ISO3166Numeric"}
CONTACT = DEF + "contact"
SKOS_NOTATION = ox.NamedNode(PREFIXES["skos"] + "notation")


def _replacement(q: ox.Quad) -> tuple[list[ox.Quad], str] | None:
    """The statements that replace ``q`` and how to say it, or None when ``q`` uses no mapped deprecated term."""
    p = q.predicate.value
    if p in EQUIVALENT:
        return [ox.Quad(q.subject, ox.NamedNode(EQUIVALENT[p]), q.object)], shorten(EQUIVALENT[p])
    if not isinstance(q.object, ox.Literal) or not isinstance(q.subject, ox.NamedNode):
        return None
    if p in NOTATION:
        typed = ox.Literal(q.object.value, datatype=ox.NamedNode(NOTATION[p]))
        return [ox.Quad(q.subject, SKOS_NOTATION, typed)], f"skos:notation typed {shorten(NOTATION[p])}"
    if p == CONTACT:
        return contact_quads(q.subject, q.object.value), "dcat:contactPoint (a vCard)"
    return None


def replace_deprecated(unit: Unit) -> None:
    """Rewrite ``unit``'s statements that use a deprecated term with their replacements; one warning per node and
    term naming what was written instead."""
    out: list[ox.Quad] = []
    seen: set[ox.Quad] = set()
    warned: set[tuple[str, str]] = set()
    for q in unit.quads:
        replaced = _replacement(q)
        new, written = ([q], "") if replaced is None else replaced
        for n in new:
            if n not in seen:
                seen.add(n)
                out.append(n)
        if replaced is None:
            continue
        key = (q.subject.value, q.predicate.value)
        if key not in warned:
            warned.add(key)
            unit.problems.append(Problem(
                severity=WARNING, node=q.subject.value, field=shorten(q.predicate.value),
                line=unit.line_for(q.subject.value), check="deprecated",
                message=f"{shorten(q.predicate.value)} is deprecated: added as {written}",
                hint=f"write {written} instead; the old term is read for one more release only"))
    unit.quads = out
