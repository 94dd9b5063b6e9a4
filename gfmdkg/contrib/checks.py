"""Checks of a contribution against the graph, beyond the SHACL shapes: IRI clashes, unknown references (with
"did you mean"), likely duplicates of existing practices, missing sources."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import NamedTuple

import pyoxigraph as ox

from gfmdkg.contrib.model import ERROR, WARNING, Problem
from gfmdkg.contrib.similarity import similarity
from gfmdkg.contrib.unit import Unit
from gfmdkg.contrib.vocab import PROPERTY_KINDS, RDF_TYPE, Vocabulary, local_name, normalise
from gfmdkg.contrib.vocab import show as shorten
from gfmdkg.namespaces import DEF, PREFIXES

TITLE = PREFIXES["dcterms"] + "title"
SPATIAL = PREFIXES["dcterms"] + "spatial"
DERIVED = PREFIXES["prov"] + "wasDerivedFrom"
PRACTICE = DEF + "Practice"
LOCATED_CLASSES = {PRACTICE, DEF + "Finding", DEF + "Recommendation", PREFIXES["org"] + "Organization"}
#: a title at least this alike (similarity score) in the same country or organisation: a warning
NEAR_TITLE = 0.85
#: the core titles at least this alike, with a shared country or organisation: an error
ERROR_TITLE = 0.97
ORG_PROPERTIES = {DEF + p for p in ("partner", "fundedBy", "implementedBy", "coordinatedBy", "accountableOrganisation",
                                    "extendingOrganisation", "beneficiaryOrganisation", "associatedOrganisation")} | {
    PREFIXES["schema"] + "funder"}  # gfmd:fundedBy is deprecated for schema:funder; both are read for a release


def _problem(unit: Unit, severity: str, message: str, hint: str, *, node: str | None, prop: str | None,
             value: str | None = None, suggestions: list[str] | None = None, check: str) -> Problem:
    return Problem(severity=severity, message=message, hint=hint, field=unit.field_for(node, prop) if node else None,
                   value=value, node=node, line=unit.line_for(node) if unit.kind == "rdf" else
                   (unit.record.lines.get(unit.field_for(node, prop) or "", unit.record.line) if unit.record else None),
                   suggestions=suggestions or [], check=check)


def check_clashes(units: list[Unit], vocab: Vocabulary, file_of_graph: Callable[[str], str]) -> None:
    """A contribution may only add nodes: an IRI already in the graph, or in two units, is an error."""
    owner: dict[str, Unit] = {}
    for unit in units:
        reported: set[str] = set()
        for node in sorted(unit.nodes):
            if node.split("#", 1)[0] in reported:  # the main node's clash covers its hash nodes
                continue
            if vocab.known(node) or (node in owner and owner[node] is not unit):
                reported.add(node)
            if vocab.known(node):
                graph = vocab.graph_of.get(node, "")
                where = file_of_graph(graph)
                hint = ("choose another id for the practice in 'id' (e.g. "
                        f"{local_name(node)}-2), or, if it is the same practice, do not add it again"
                        if unit.kind != "rdf" else "give the node a new IRI; a contribution can add nodes but not "
                        "change existing ones (ask a curator to edit the existing node)")
                unit.problems.append(_problem(unit, ERROR, f"{shorten(node)} already exists in the graph"
                                              + (f" ({where})" if where else ""), hint, node=node, prop=None,
                                              check="clash"))
            elif node in owner and owner[node] is not unit:
                unit.problems.append(_problem(unit, ERROR, f"{shorten(node)} is also stated by {owner[node].where()}",
                                              "give the two practices different ids (or titles)", node=node,
                                              prop=None, check="clash"))
            else:
                owner.setdefault(node, unit)


def check_references(units: list[Unit], vocab: Vocabulary) -> None:
    """In RDF contributions, every country, organisation, concept, recommendation and locator must exist."""
    contributed: dict[str, set[str]] = defaultdict(set)  # class IRI -> nodes typed so in the contribution
    for unit in units:
        for q in unit.quads:
            if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode):
                contributed[q.object.value].add(q.subject.value)
    all_nodes = set().union(*(u.nodes for u in units)) if units else set()
    for unit in units:
        if unit.kind != "rdf":
            continue
        for q in unit.quads:
            kind = PROPERTY_KINDS.get(q.predicate.value)
            if kind is None or not isinstance(q.object, ox.NamedNode):
                continue
            target = q.object.value
            if vocab.is_a(kind, target) or target in all_nodes:
                continue
            suggestions = [f"{label} ({shorten(iri)})" for iri, label in vocab.suggest(kind, target)]
            unit.problems.append(_problem(
                unit, ERROR, f"{shorten(target)} is not a known {kind}",
                f"use the IRI of an existing {kind}" + (" (see the suggestions)" if suggestions else "") +
                (", or state the new node in the same file" if kind in ("organisation", "locator") else ""),
                node=q.subject.value, prop=q.predicate.value, value=shorten(target), suggestions=suggestions,
                check="vocabulary"))


class PracticeKey(NamedTuple):
    """What the duplicate check compares: a practice's title, countries and organisations."""

    title: str
    countries: set[str]
    orgs: set[str]


def practice_titles(quads: Iterable[ox.Quad]) -> dict[str, PracticeKey]:
    """Practice IRI -> (title, countries, organisations), for the duplicate check."""
    titles: dict[str, str] = {}
    places: dict[str, set[str]] = defaultdict(set)
    orgs: dict[str, set[str]] = defaultdict(set)
    practices: set[str] = set()
    for q in quads:
        s = q.subject.value
        if q.predicate.value == RDF_TYPE and q.object.value == PRACTICE:
            practices.add(s)
        elif q.predicate.value == TITLE and isinstance(q.object, ox.Literal):
            titles.setdefault(s, q.object.value)
        elif q.predicate.value == SPATIAL and isinstance(q.object, ox.NamedNode):
            places[s].add(q.object.value)
        elif q.predicate.value in ORG_PROPERTIES and isinstance(q.object, ox.NamedNode):
            orgs[s].add(q.object.value)
    return {p: PracticeKey(titles[p], places[p], orgs[p]) for p in practices if p in titles}


def check_duplicates(units: list[Unit], existing: dict[str, PracticeKey]) -> None:
    """Likely duplicates of existing practices (docs/CONTRIBUTING.md): titles at least NEAR_TITLE alike
    (:mod:`gfmdkg.contrib.similarity`) in a shared country or organisation, or where either names no country, are
    a warning; the same core title (at least ERROR_TITLE alike) with a shared country or organisation is an
    error. The report names the existing practice and what the two share."""
    for unit in units:
        for iri, new in practice_titles(unit.quads).items():
            for other, old in existing.items():
                if other == iri:
                    continue
                shared = new.countries & old.countries
                shared_orgs = new.orgs & old.orgs
                if not (shared or shared_orgs or not new.countries or not old.countries):
                    continue
                score, core = similarity(new.title, old.title, NEAR_TITLE)
                if score < NEAR_TITLE:
                    continue
                exact = normalise(new.title) == normalise(old.title)
                error = core >= ERROR_TITLE and bool(shared or shared_orgs)
                context = ", ".join(part for part in (
                    _listing("same country" if len(shared) == 1 else "same countries", shared),
                    _listing("same organisation" if len(shared_orgs) == 1 else "same organisations", shared_orgs))
                    if part)
                alike = ("same title" if exact else "same title apart from brackets, years and common words"
                         if core >= ERROR_TITLE else f"{round(score * 100)} % alike title")
                unit.problems.append(_problem(
                    unit, ERROR if error else WARNING,
                    f"looks like a duplicate of {shorten(other)} “{old.title}” ({alike}"
                    + (", " + context if context else "") + ")",
                    "if it is the same practice, do not add it; if it is another one, make the title say what "
                    "sets it apart (place, years, partner)" if error else
                    "check that it is not the same practice; if it is another one, nothing to do",
                    node=iri, prop=TITLE, value=new.title, check="duplicate"))


def _listing(label: str, iris: set[str]) -> str:
    return f"{label}: {', '.join(sorted(shorten(i) for i in iris))}" if iris else ""


def check_sources(units: list[Unit]) -> None:
    """Every practice, finding, recommendation and organisation in an RDF contribution needs a locator."""
    for unit in units:
        if unit.kind != "rdf":
            continue
        typed: dict[str, str] = {}
        derived: set[str] = set()
        for q in unit.quads:
            if q.predicate.value == RDF_TYPE and q.object.value in LOCATED_CLASSES:
                typed.setdefault(q.subject.value, q.object.value)
            elif q.predicate.value == DERIVED:
                derived.add(q.subject.value)
        for node in sorted(set(typed) - derived):
            unit.problems.append(_problem(
                unit, ERROR, f"{shorten(node)} has no source (prov:wasDerivedFrom)",
                "add prov:wasDerivedFrom with a page of the GFMD documents (bp:p10, rr:p3) or a bibo:DocumentPart "
                "node for the document it comes from", node=node, prop=DERIVED, check="source"))


def check_blank_nodes(units: list[Unit]) -> None:
    """The graph has no blank nodes (docs/CURATION.md): auxiliary nodes get hash IRIs under their parent."""
    for unit in units:
        blanks = {t.value for q in unit.quads for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}
        if blanks:
            unit.problems.append(Problem(
                severity=ERROR, message=f"the file uses {len(blanks)} blank node{'s' * (len(blanks) != 1)} ([ ... ] "
                "or _:name)", hint="give each one an IRI under the node it belongs to, e.g. practice:x\\#period",
                check="blank-node"))
