"""Literal semantics as pySHACL (through rdflib) sees them: lexical forms, well-typedness, equality, order.

The common, canonical cases (plain and language-tagged strings, canonical integers, decimals, booleans, dates,
years) are decided here without rdflib; anything else (a non-canonical or ill-typed lexical form, an unusual
datatype) is handed to rdflib itself, imported only then, so that the answer is always rdflib's.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDFS_LITERAL = "http://www.w3.org/2000/01/rdf-schema#Literal"
RDFS_DATATYPE = "http://www.w3.org/2000/01/rdf-schema#Datatype"
XSD_STRING = XSD + "string"

#: lexical forms rdflib keeps unchanged and parses to the expected Python type (checked against rdflib in tests)
CANONICAL = {
    XSD + "integer": re.compile(r"0|-?[1-9][0-9]*"),
    XSD + "decimal": re.compile(r"0|-?[1-9][0-9]*|-?(0|[1-9][0-9]*)\.[0-9]+"),
    XSD + "boolean": re.compile(r"true|false"),
    XSD + "gYear": re.compile(r"[1-9][0-9]{3}"),
    XSD + "gYearMonth": re.compile(r"[1-9][0-9]{3}-(0[1-9]|1[0-2])"),
    XSD + "date": re.compile(r"[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"),
}
NUMERIC = {XSD + "integer", XSD + "decimal"}


def _canonical(lit: ox.Literal) -> bool:
    dt = lit.datatype.value
    if dt in (XSD_STRING, RDF_LANGSTRING):
        return True
    rx = CANONICAL.get(dt)
    if rx is None or not rx.fullmatch(lit.value):
        return False
    if dt == XSD + "date":
        try:
            _dt.date.fromisoformat(lit.value)
        except ValueError:
            return False
    return True


@lru_cache(maxsize=4096)
def _rdflib(lit: ox.Literal):
    """The rdflib literal, without the warnings and logged tracebacks rdflib writes for ill-typed forms."""
    import logging
    import warnings

    from gfmdkg.store.rdflib_engine import ox_to_rdflib
    log = logging.getLogger("rdflib.term")
    level, log.level = log.level, logging.CRITICAL
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ox_to_rdflib(lit)
    finally:
        log.level = level


def lexical(term) -> str:
    """``str()`` of the term as rdflib gives it (rdflib normalises e.g. ``"007"^^xsd:integer`` to ``7``)."""
    if isinstance(term, ox.Literal) and not _canonical(term):
        return str(_rdflib(term))
    return term.value


def string_of(term) -> str:
    """The string pySHACL's string-based constraints (pattern, lengths) test."""
    if isinstance(term, ox.Literal) and not _canonical(term):
        lit = _rdflib(term)
        if lit.value is not None and lit.datatype in (None, RDF_LANGSTRING, XSD_STRING):
            return str(lit.value)
        return str(lit)
    return term.value


def has_datatype(term, rule: str) -> bool:
    """pySHACL's sh:datatype test (ill-typed literals do not conform)."""
    if not isinstance(term, ox.Literal):
        return False
    dt = term.datatype.value
    if rule == RDFS_LITERAL:
        return True
    if term.language:
        return rule == RDF_LANGSTRING
    if dt == rule:
        if _canonical(term):
            return True
        return _rdflib_datatype_check(term, rule)
    return rule == RDFS_DATATYPE and dt != XSD_STRING


def _rdflib_datatype_check(term: ox.Literal, rule: str) -> bool:
    import rdflib
    from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent

    lit = _rdflib(term)
    if getattr(lit, "ill_typed", None) is True:
        return False
    return DatatypeConstraintComponent._assert_actual_datatype(None, lit, rdflib.URIRef(rule))


def key(term) -> tuple:
    """A key equal for terms rdflib considers equal (``in``, ``hasValue``)."""
    if isinstance(term, ox.Literal):
        dt = None if term.language or term.datatype.value == XSD_STRING else term.datatype.value
        return ("L", lexical(term), dt, term.language)
    return (type(term).__name__, term.value)


def compare(term, bound: ox.Literal) -> int | None:
    """Sign of ``term - bound`` as pySHACL's range constraints see it; None when not comparable (a failure)."""
    if (isinstance(term, ox.Literal) and term.datatype.value in NUMERIC and bound.datatype.value in NUMERIC
            and _canonical(term) and _canonical(bound)):
        from decimal import Decimal
        a, b = Decimal(term.value), Decimal(bound.value)
        return (a > b) - (a < b)
    if not isinstance(term, ox.Literal):
        return None
    return _rdflib_compare(term, bound)


def _rdflib_compare(term: ox.Literal, bound: ox.Literal) -> int | None:
    from pyshacl.rdfutil.compare import compare_literal

    v, m = _rdflib(term), _rdflib(bound)
    if isinstance(v.value, str) != isinstance(m.value, str):
        return None
    try:
        return compare_literal(v, m)
    except (TypeError, NotImplementedError):
        return None
