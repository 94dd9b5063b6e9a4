"""Counts that describe the graph: nodes per class, concepts per scheme, links, and the located share of nodes."""

from __future__ import annotations

from dataclasses import dataclass, field

from gfmdkg.namespaces import shorten

PREFIX = """PREFIX gfmd: <https://w3id.org/gfmdkg/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
CLASSES = ["gfmd:Practice", "gfmd:Finding", "gfmd:Recommendation", "gfmd:KeyMessage", "gfmd:GuidingQuestion",
           "bibo:Document", "bibo:Report", "bibo:DocumentPart", "org:Organization", "schema:Country",
           "schema:Event", "gfmd:SupportLink", "gfmd:EvidenceLink", "gfmd:GcmMapping", "gfmd:QuantitativeValue"]
#: the curated classes whose every node must carry a locator (prov:wasDerivedFrom)
LOCATED = ["gfmd:Practice", "gfmd:Finding", "gfmd:Recommendation", "gfmd:KeyMessage", "gfmd:GuidingQuestion",
           "bibo:Document", "org:Organization", "schema:Country", "schema:Event"]
LINKS = ["gfmd:supports", "gfmd:isEvidenceFor", "cito:citesAsEvidence", "gfmd:gcmObjective", "gfmd:partner",
         "schema:funder", "gfmd:implementedBy", "gfmd:coordinatedBy", "gfmd:relatedPractice", "gfmd:restates",
         "dcterms:spatial", "gfmd:targetCountry", "gfmd:region"]


@dataclass
class Stats:
    triples: int = 0
    graphs: dict[str, int] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)
    schemes: dict[str, int] = field(default_factory=dict)
    links: dict[str, int] = field(default_factory=dict)
    located: dict[str, tuple[int, int]] = field(default_factory=dict)
    annex_entries: int = 0

    @property
    def located_share(self) -> float:
        total = sum(n for _, n in self.located.values())
        return 1.0 if total == 0 else sum(k for k, _ in self.located.values()) / total

    def as_dict(self) -> dict:
        return {"triples": self.triples, "graphs": self.graphs, "classes": self.classes, "schemes": self.schemes,
                "links": self.links, "annex_entries": self.annex_entries,
                "located": {c: {"located": k, "total": n} for c, (k, n) in self.located.items()},
                "located_share": round(self.located_share, 4)}


def _expand(curie: str) -> str:
    from gfmdkg.namespaces import PREFIXES
    p, _, local = curie.partition(":")
    return PREFIXES[p] + local


def compute(engine) -> Stats:
    """All counts, from a handful of grouped queries over the union graph."""
    from gfmdkg.namespaces import sparql_prologue

    st = Stats()
    q = engine.query
    st.triples = int(q("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"]["value"])
    for row in q("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g").rows:
        st.graphs[row["g"]["value"]] = int(row["n"]["value"])
    counts = {r["c"]["value"]: int(r["n"]["value"]) for r in q(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c").rows}
    st.classes = {c: counts.get(_expand(c), 0) for c in CLASSES}
    for row in q(PREFIX + "SELECT ?scheme (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c skos:inScheme ?scheme } "
                 "GROUP BY ?scheme ORDER BY ?scheme").rows:
        st.schemes[shorten(row["scheme"]["value"])] = int(row["n"]["value"])
    preds = {r["p"]["value"]: int(r["n"]["value"]) for r in q(
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p").rows}
    st.links = {p: preds.get(_expand(p), 0) for p in LINKS}
    located = {r["c"]["value"]: int(r["n"]["value"]) for r in q(PREFIX + sparql_prologue() + (
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c ; prov:wasDerivedFrom ?l . ?l a bibo:DocumentPart }"
        " GROUP BY ?c")).rows}
    st.located = {c: (located.get(_expand(c), 0), st.classes.get(c, 0)) for c in LOCATED}
    st.annex_entries = int(q(PREFIX + "SELECT (COUNT(DISTINCT ?n) AS ?k) WHERE { ?p a gfmd:Practice ; "
                             "gfmd:annexEntry ?n }").rows[0]["k"]["value"])
    return st


def to_text(st: Stats) -> str:
    out = [f"triples: {st.triples} in {len(st.graphs)} named graphs (one per file)", "", "nodes per class:"]
    out += [f"  {c:<26} {n:>6}" for c, n in st.classes.items()]
    out += [f"  Annex entries present      {st.annex_entries:>6} of 39", "", "concepts per scheme:"]
    out += [f"  {s:<26} {n:>6}" for s, n in st.schemes.items()]
    out += ["", "links:"] + [f"  {p:<26} {n:>6}" for p, n in st.links.items()]
    out += ["", "located nodes (prov:wasDerivedFrom a page, section or footnote):"]
    out += [f"  {c:<26} {k:>6} / {n:<6} {100 * k / n if n else 100:6.1f} %" for c, (k, n) in st.located.items()]
    out.append(f"  {'all':<26} {'':>6}   {'':<6} {100 * st.located_share:6.1f} %")
    return "\n".join(out) + "\n"
