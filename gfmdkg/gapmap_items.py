"""What the evidence gap map's cells hold: the practices and findings of each cell, and the counts made from them.

The saved query ``evidence-gap-map-items`` places every practice and finding in its (recommendation, outcome domain)
cells by the rules of ``evidence-gap-map``; ``evidence-gap-map-facets`` gives what the filters and merged rows need.
Everything else is done here, in Python, from those rows: counting, filtering (region, population group, channel)
and merging a background-paper measure with the rapporteur report's restatements of it (``gfmd:restates``). The map
and the page a cell opens are both made from the same :class:`Item` sets, so a cell opens exactly what it counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from gfmdkg.errors import GfmdkgError
from gfmdkg.namespaces import VOCAB, shorten
from gfmdkg.store.base import Result

ITEMS_QUERY = "evidence-gap-map-items"
SOURCE_ONLY_ITEMS_QUERY = "evidence-gap-map-source-only-items"  # the items of evidence-gap-map-source-only
FACETS_QUERY = "evidence-gap-map-facets"
DIRECTIONS = {VOCAB + "effect-direction/" + k: v for k, v in (
    ("positive", "positive"), ("negative", "negative"), ("mixed", "mixed"), ("no-effect", "noEffect"),
    ("not-applicable", "descriptive"))}
#: the item filters: URL / CLI parameter -> facet name in evidence-gap-map-facets
FILTERS = {"region": "region", "group": "group", "channel": "channel"}
#: every filter's parameter in URL order; ``source`` (the recommendations' document) filters rows, not items
PARAMS = ("source", *FILTERS)
NOUNS = {"source": "source document", "region": "region", "group": "population group", "channel": "channel"}


@dataclass(frozen=True, order=True)
class Item:
    """One practice or finding in a cell; ``count`` is the cell's count it adds to (practices, positive, ...)."""

    kind: str  # "practice" | "finding"
    iri: str
    count: str

    @property
    def with_effect(self) -> bool:
        """A practice or a finding with an effect direction: what fills a cell (descriptive findings do not)."""
        return self.count != "descriptive"


def value_of(row: dict, name: str) -> str:
    """The lexical value of a result row's column, or "" when it is unbound."""
    term = row.get(name)
    return term["value"] if term else ""


def placements(result: Result) -> dict[tuple[str, str], set[Item]]:
    """(recommendation, domain) -> its items, from the rows of evidence-gap-map-items."""
    cells: dict[tuple[str, str], set[Item]] = defaultdict(set)
    for r in result.rows:
        kind = value_of(r, "kind")
        count = "practices" if kind == "practice" else DIRECTIONS.get(value_of(r, "direction"))
        if count:
            cells[(value_of(r, "rec"), value_of(r, "domain"))].add(Item(kind, value_of(r, "item"), count))
    return dict(cells)


@dataclass
class Facets:
    """Per item its regions (with every wider region), population groups and channels; per recommendation the one
    it restates."""

    values: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    restates: dict[str, str] = field(default_factory=dict)
    options: dict[str, set[str]] = field(default_factory=dict)  # facet -> every value some item has

    @classmethod
    def from_result(cls, result: Result) -> Facets:
        broader: dict[str, set[str]] = defaultdict(set)
        values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        restates: dict[str, str] = {}
        for r in result.rows:
            node, facet, value = value_of(r, "node"), value_of(r, "facet"), value_of(r, "value")
            if facet == "broader":
                broader[node].add(value)
            elif facet == "restates":
                restates[node] = value
            else:
                values[node][facet].add(value)
        options: dict[str, set[str]] = defaultdict(set)
        for facets in values.values():
            for facet, vals in facets.items():
                options[facet] |= vals
            regions = facets.get("region")
            if regions:
                facets["region"] = _closure(regions, broader)
        options["region"] = _closure(options["region"], broader)
        return cls({k: dict(v) for k, v in values.items()}, restates, dict(options))


def _closure(start: set[str], broader: dict[str, set[str]]) -> set[str]:
    """``start`` with every region wider than one of them."""
    seen, todo = set(start), list(start)
    while todo:
        for wider in broader.get(todo.pop(), ()):
            if wider not in seen:
                seen.add(wider)
                todo.append(wider)
    return seen


@dataclass(frozen=True)
class Filters:
    """Chosen values (full IRIs): ``source`` keeps the recommendations of one document (rows); region, group and
    channel keep the items that have that value (a region includes the regions and countries within it)."""

    source: str = ""
    region: str = ""
    group: str = ""
    channel: str = ""

    def chosen(self) -> dict[str, str]:
        """The chosen filters, parameter -> IRI, in :data:`PARAMS` order."""
        return {name: getattr(self, name) for name in PARAMS if getattr(self, name)}

    def keeps(self, item: Item, facets: Facets) -> bool:
        mine = facets.values.get(item.iri, {})
        return all(value in mine.get(FILTERS[name], ()) for name, value in self.chosen().items() if name in FILTERS)

    @classmethod
    def parse(cls, values: dict[str, str], facets: Facets, sources: set[str]) -> Filters:
        """Filters from parameters (prefixed names or IRIs; empty: not chosen), each checked against the values the
        graph has; an unknown value is an error naming the parameter, with the closest known values."""
        from difflib import get_close_matches

        from gfmdkg.sparql.catalogue import expand

        chosen = {}
        for name in PARAMS:
            raw = (values.get(name) or "").strip()
            if not raw:
                continue
            known = sources if name == "source" else facets.options.get(FILTERS[name], set())
            iri = expand(raw)
            if iri not in known:
                close = get_close_matches(raw, sorted(shorten(k) for k in known), n=3, cutoff=0.4)
                raise GfmdkgError(f"{name} '{raw[:100]}' is not a {NOUNS[name]} of any "
                                  f"{'recommendation' if name == 'source' else 'practice or finding'} in the graph",
                                  hint=("did you mean " + ", ".join(close) + "?") if close
                                  else f"known values: {', '.join(sorted(shorten(k) for k in known)[:8])}")
            chosen[name] = iri
        return cls(**chosen)


def groups(recs: list[str], restates: dict[str, str]) -> dict[str, list[str]]:
    """Rows when restatements are merged: the first of ``recs`` each chain leads to -> its members in ``recs``
    order (a restatement whose measure is not among ``recs`` stands alone)."""
    present = set(recs)

    def root(rec: str) -> str:
        seen = {rec}
        while restates.get(rec) in present and restates[rec] not in seen:
            rec = restates[rec]
            seen.add(rec)
        return rec

    out: dict[str, list[str]] = {}
    for rec in sorted(recs, key=lambda r: (root(r) != r, recs.index(r))):
        out.setdefault(root(rec), []).append(rec)
    return {rec: out[rec] for rec in recs if rec in out}


def cell_items(cells: dict[tuple[str, str], set[Item]], members: list[str], domain: str, facets: Facets,
               filters: Filters) -> list[Item]:
    """The items of one cell: of every member recommendation in ``domain``, kept by ``filters``, each once."""
    found = set().union(*(cells.get((rec, domain), set()) for rec in members))
    return sorted(item for item in found if filters.keeps(item, facets))
