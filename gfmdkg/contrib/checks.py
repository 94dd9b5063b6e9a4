"""Checks of a contribution against the graph, beyond the SHACL shapes: IRI clashes, unknown references (with
"did you mean"), likely duplicates of existing practices, missing sources."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable, Iterable

import pyoxigraph as ox

from gfmdkg.contrib.model import ERROR, WARNING, Problem
from gfmdkg.contrib.unit import Unit
from gfmdkg.contrib.vocab import PROPERTY_KINDS, RDF_TYPE, Vocabulary, local_name, normalise
from gfmdkg.contrib.vocab import show as shorten
from gfmdkg.namespaces import DEF, PREFIXES

TITLE = PREFIXES["dcterms"] + "title"
SPATIAL = PREFIXES["dcterms"] + "spatial"
DERIVED = PREFIXES["prov"] + "wasDerivedFrom"
PRACTICE = DEF + "Practice"
LOCATED_CLASSES = {PRACTICE, DEF + "Finding", DEF + "Recommendation", PREFIXES["org"] + "Organization"}
NEAR_TITLE = 0.85


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


def practice_titles(quads: Iterable[ox.Quad]) -> dict[str, tuple[str, set[str]]]:
    """Practice IRI -> (title, countries), for the duplicate check."""
    titles: dict[str, str] = {}
    places: dict[str, set[str]] = defaultdict(set)
    practices: set[str] = set()
    for q in quads:
        s = q.subject.value
        if q.predicate.value == RDF_TYPE and q.object.value == PRACTICE:
            practices.add(s)
        elif q.predicate.value == TITLE and isinstance(q.object, ox.Literal):
            titles.setdefault(s, q.object.value)
        elif q.predicate.value == SPATIAL and isinstance(q.object, ox.NamedNode):
            places[s].add(q.object.value)
    return {p: (titles[p], places[p]) for p in practices if p in titles}


def check_duplicates(units: list[Unit], existing: dict[str, tuple[str, set[str]]]) -> None:
    """Same title and a shared country: an error; a near title (85 % alike) with a shared or no country: a warning."""
    keyed = [(iri, normalise(t), c, t) for iri, (t, c) in existing.items()]
    matcher = difflib.SequenceMatcher(None)
    for unit in units:
        for iri, (title, countries) in practice_titles(unit.quads).items():
            key = normalise(title)
            matcher.set_seq2(key)
            for other, other_key, other_countries, other_title in keyed:
                if other == iri:
                    continue
                shared = countries & other_countries
                same_place = bool(shared) or not countries or not other_countries
                if not same_place:
                    continue
                matcher.set_seq1(other_key)
                if key != other_key and (matcher.real_quick_ratio() < NEAR_TITLE or matcher.quick_ratio() < NEAR_TITLE):
                    continue
                ratio = 1.0 if key == other_key else matcher.ratio()
                if ratio < NEAR_TITLE:
                    continue
                exact = key == other_key and (bool(shared) or countries == other_countries)
                unit.problems.append(_problem(
                    unit, ERROR if exact else WARNING,
                    f"looks like a duplicate of {shorten(other)} “{other_title}”"
                    + (f" (same title, same country: {', '.join(sorted(shorten(c) for c in shared))})" if exact else
                       f" ({round(ratio * 100)} % alike title" + (", same country" if shared else "") + ")"),
                    "if it is the same practice, do not add it; if it is another one, make the title say what "
                    "sets it apart (place, years, partner)" if exact else
                    "check that it is not the same practice; if it is another one, nothing to do",
                    node=iri, prop=TITLE, value=title, check="duplicate"))


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
