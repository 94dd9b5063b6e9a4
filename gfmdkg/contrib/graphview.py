"""What ``check`` needs from the existing graph, fetched by targeted look-ups in the project's index (never the
whole graph in Python): the referable vocabulary, which contributed IRIs already exist, and the practices a
contributed practice could duplicate."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from gfmdkg.contrib.checks import ORG_PROPERTIES, PracticeKey
from gfmdkg.contrib.vocab import IN_SCHEME, KINDS, LABELS, RDF_TYPE, Vocabulary
from gfmdkg.namespaces import DEF, PREFIXES

PRACTICE = DEF + "Practice"
TITLE = PREFIXES["dcterms"] + "title"
SPATIAL = PREFIXES["dcterms"] + "spatial"


class _Members(dict):
    """Members by kind; the practices (the bulk of a large graph) are listed only if asked for."""

    def __init__(self, store: ox.Store, *args) -> None:
        super().__init__(*args)
        self.store = store

    def __missing__(self, kind: str) -> set[str]:
        if kind != "practice":
            raise KeyError(kind)
        pattern = (None, ox.NamedNode(RDF_TYPE), ox.NamedNode(PRACTICE))
        self[kind] = {q.subject.value for q in self.store.quads_for_pattern(*pattern)}
        return self[kind]

    def get(self, kind, default=None):
        return self[kind] if kind in self or kind == "practice" else default


class StoreVocabulary(Vocabulary):
    """The vocabulary read from the project's index: members by kind at once, labels per kind on first use."""

    def __init__(self, store: ox.Store) -> None:
        super().__init__([])
        self.store = store
        members = _Members(store)
        for kind, (how, iri) in KINDS.items():
            if kind != "practice":
                pattern = (None, ox.NamedNode(RDF_TYPE if how == "type" else IN_SCHEME), ox.NamedNode(iri))
                members[kind] = {q.subject.value for q in store.quads_for_pattern(*pattern)
                                 if isinstance(q.subject, ox.NamedNode)}
        members["region"] |= {q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(DEF + "region"), None)
                              if isinstance(q.object, ox.NamedNode)}
        self.members = members

    def is_a(self, kind: str, iri: str) -> bool:
        if kind == "practice" and kind not in self.members:
            return any(self.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(RDF_TYPE), ox.NamedNode(PRACTICE)))
        return super().is_a(kind, iri)

    def labels_of(self, iris: set[str]) -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = {}
        for iri in iris:
            out[iri] = [(q.predicate.value, q.object.value) for q in
                        self.store.quads_for_pattern(ox.NamedNode(iri), None, None)
                        if q.predicate.value in LABELS and isinstance(q.object, ox.Literal)]
        return out


def mark_existing(vocab: Vocabulary, store: ox.Store, nodes: Iterable[str]) -> None:
    """Record which of ``nodes`` the graph already states, and in which file (the one typing it, if any)."""
    for iri in nodes:
        stated = list(store.quads_for_pattern(ox.NamedNode(iri), None, None))
        if not stated:
            continue
        vocab.subjects.add(iri)
        graphs = sorted(q.graph_name.value for q in stated if isinstance(q.graph_name, ox.NamedNode))
        typed = sorted(q.graph_name.value for q in stated if isinstance(q.graph_name, ox.NamedNode)
                       and q.predicate.value == RDF_TYPE)
        if graphs:
            vocab.graph_of[iri] = (typed or graphs)[0]


_NO_PLACE = "SELECT ?p WHERE {{ ?p a <{practice}> MINUS {{ ?p <{spatial}> ?c FILTER(isIRI(?c)) }} }}"


def _objects(store: ox.Store, node: ox.NamedNode, props) -> set[str]:
    return {q.object.value for p in props for q in store.quads_for_pattern(node, ox.NamedNode(p), None)
            if isinstance(q.object, ox.NamedNode)}


def _practice(store: ox.Store, node: ox.NamedNode) -> PracticeKey | None:
    """(title, countries, organisations) of an existing practice with a title, else None (as
    ``checks.practice_titles``)."""
    if not any(store.quads_for_pattern(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(PRACTICE))):
        return None
    titles = [q.object.value for q in store.quads_for_pattern(node, ox.NamedNode(TITLE), None)
              if isinstance(q.object, ox.Literal)]
    return PracticeKey(min(titles), _objects(store, node, [SPATIAL]), _objects(store, node, ORG_PROPERTIES)) \
        if titles else None


def candidate_practices(store: ox.Store, contributed: dict[str, PracticeKey]) -> dict[str, PracticeKey]:
    """Existing practices that a contributed practice could duplicate: those sharing one of its countries or
    organisations and those with no country (all of them when a contributed practice has no country)."""
    if not contributed:
        return {}
    if any(not key.countries for key in contributed.values()):
        nodes = {q.subject for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(PRACTICE))}
    else:
        countries = sorted({c for key in contributed.values() for c in key.countries})
        nodes = {q.subject for c in countries for q in store.quads_for_pattern(None, ox.NamedNode(SPATIAL),
                                                                             ox.NamedNode(c))}
        orgs = sorted({o for key in contributed.values() for o in key.orgs})
        nodes |= {q.subject for o in orgs for p in ORG_PROPERTIES
                  for q in store.quads_for_pattern(None, ox.NamedNode(p), ox.NamedNode(o))}
        query = _NO_PLACE.format(practice=PRACTICE, spatial=SPATIAL)
        nodes |= {row["p"] for row in store.query(query, use_default_graph_as_union=True)}
    found = {n.value: _practice(store, n) for n in nodes if isinstance(n, ox.NamedNode)}
    return {iri: key for iri, key in found.items() if key is not None}
