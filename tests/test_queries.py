"""Every saved query runs on the shipped graph, and its answer equals the one computed independently from the curated
Turtle files (tests/truth.py: rdflib parsing and plain Python, no SPARQL)."""

from __future__ import annotations

import re
import shlex
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from gfmdkg.cli import cli
from gfmdkg.namespaces import PREFIXES
from gfmdkg.sparql.catalogue import PARAM_TYPES
from tests.truth import BIBO, BP_DOC, CITO, DIR, GFMD, ORG, ROLES, SCHEMA, STATED, Truth, load

U = URIRef
REGION = "https://w3id.org/gfmdkg/vocab/region/"


@pytest.fixture(scope="session")
def truth(repo) -> Truth:
    return Truth(load(repo))


@pytest.fixture(scope="session")
def run(engine, catalogue):
    """Run a saved query with parameters (prefixed names allowed); rows as dicts of plain values."""
    def go(name: str, **values: str) -> list[dict[str, str]]:
        saved = catalogue[name]
        result = engine.query(saved.text, saved.bindings(values))
        return [{k: v["value"] for k, v in row.items()} for row in result.rows]
    return go


def col(rows, name) -> set:
    return {r[name] for r in rows if name in r}


def strs(nodes) -> set:
    return {str(n) for n in nodes}


# ---------------------------------------------------------------------------------------------- the catalogue
def test_at_least_fifteen_documented_saved_queries(catalogue):
    saved = [q for q in catalogue.values() if not q.name.startswith("qc/")]
    assert len(saved) >= 15
    for q in saved:
        assert q.summary and q.tags and q.example.startswith(f"gfmdkg query {q.name}"), q.name
        for p in q.params:
            assert p.type in PARAM_TYPES and p.description, (q.name, p.name)
            assert f"?{p.name}" in q.text, (q.name, p.name)


#: developer words that have no place in a saved query's plain summary and description (they go under notes:)
JARGON = {
    "a prefixed name": r"\b(?:" + "|".join(map(re.escape, PREFIXES)) + r"):[\w-]",
    "a query variable": r"\?[A-Za-z_]",
    "an IRI": r"https?://|<[a-z]+:|\bIRIs?\b",
    "a camelCase identifier": r"\b[a-z]+[A-Z]\w*",
    "a snake_case identifier": r"\b[a-z]+_[a-z_]+\b",
    "code": r"`|\w=\w|\b(?:SELECT|CONSTRUCT|FILTER|OPTIONAL|SPARQL|VALUES|BIND)\b",
}


def test_saved_queries_speak_plainly(catalogue):
    """Summary and description are for a policy officer; the technical notes are kept apart under notes:."""
    for q in catalogue.values():
        if q.name.startswith("qc/"):
            continue
        assert q.description and q.notes, q.name
        for key, text in (("summary", q.summary), ("description", q.description)):
            for what, pattern in JARGON.items():
                found = re.search(pattern, text)
                assert not found, f"{q.name} {key}: {what} ({found and found.group(0)!r})"


def test_jargon_check_catches_developer_words():
    for text in ("Uses gfmd:outcomeDomain", "org1 < org2 by IRI", "bound to ?rec", "with source_only=true",
                 "see https://w3id.org/gfmdkg/", "a CONSTRUCT query", "the isEvidenceFor link"):
        assert any(re.search(p, text) for p in JARGON.values()), text
    assert not any(re.search(p, "Which practices support a recommendation, in which countries?")
                   for p in JARGON.values())


def test_readme_lists_every_query_with_an_example(repo, catalogue):
    readme = (repo / "queries" / "README.md").read_text(encoding="utf-8")
    for q in catalogue.values():
        assert f"`{q.name}`" in readme, q.name
        if not q.name.startswith("qc/"):
            assert q.example in readme, q.name


@pytest.mark.parametrize("name", sorted(p.stem for p in (Path(__file__).parent.parent / "queries").glob("*.rq")))
def test_header_example_runs(name, catalogue, project):
    """The example call of each header works as written (through the real CLI, in process)."""
    args = shlex.split(catalogue[name].example)[1:]
    res = CliRunner().invoke(cli, ["--project", str(project.root), *args, "-f", "csv"])
    assert res.exit_code == 0, res.output
    assert res.output.strip()


def test_queries_command_lists_every_saved_query(project, catalogue):
    res = CliRunner().invoke(cli, ["--project", str(project.root), "queries", "--qc"])
    assert res.exit_code == 0
    for name in catalogue:
        assert name in res.output


# ---------------------------------------------------------------------------------------------- recommendations
def test_practices_by_recommendation(run, truth):
    for rec in truth.recommendations:
        rows = run("practices-by-recommendation", rec=str(rec))
        assert col(rows, "practice") == strs(truth.supporters(rec)), rec
    pairs = {(r["rec"], r["practice"]) for r in run("practices-by-recommendation")}
    assert pairs == {(str(o), str(s)) for s, o in truth.g.subject_objects(GFMD.supports)}


def test_recommendations_with_practices(run, truth):
    rows = run("recommendations-with-practices")
    assert col(rows, "rec") == strs(truth.recommendations)
    for r in rows:
        rec = U(r["rec"])
        assert int(r["practices"]) == len(truth.supporters(rec)), rec
        assert int(r["findings"]) == len(truth.evidence(rec)), rec
        titles = r.get("practiceTitles", "")
        assert {t for t in titles.split(" | ") if t} == {str(truth.g.value(p, DCTERMS.title))
                                                          for p in truth.supporters(rec)}
    bp = run("recommendations-with-practices", source="doc:gfmd2014-rt32-background-paper")
    assert col(bp, "rec") == strs(truth.s(DCTERMS.source, BP_DOC) & truth.recommendations)
    assert [int(r["number"]) for r in bp] == sorted(int(r["number"]) for r in bp)


def test_evidence_for_recommendation_direct_and_via_practices(run, truth):
    for rec in truth.recommendations:
        rows = run("evidence-for-recommendation", rec=str(rec))
        direct = {r["finding"] for r in rows if r["route"] == "direct"}
        via = {(r["viaPractice"], r["finding"]) for r in rows if r["route"] == "via practice"}
        assert direct == strs(truth.evidence(rec)), rec
        assert via == {(str(p), str(f)) for p in truth.supporters(rec) for f in truth.s(GFMD.aboutPractice, p)}
        for r in rows:
            cited = {str(truth.g.value(w, DCTERMS.bibliographicCitation))
                     for w in truth.o(U(r["finding"]), CITO.citesAsEvidence)}
            assert {c for c in r["citedWorks"].split("; ") if c} == cited, r["finding"]
    assert any(r["route"] == "via practice" for r in run("evidence-for-recommendation")) == bool(
        any(truth.s(GFMD.aboutPractice, p) for rec in truth.recommendations for p in truth.supporters(rec)))


def test_recommendation_gaps(run, truth):
    rows = run("recommendation-gaps")
    expected = {}
    for rec in truth.recommendations:
        p, f = len(truth.supporters(rec)), len(truth.evidence(rec))
        if p == 0 or f == 0:
            expected[str(rec)] = ("no practice and no evidence" if p == f == 0 else
                                  "no supporting practice" if p == 0 else "no evidence")
    assert {r["rec"]: r["gap"] for r in rows} == expected


# ---------------------------------------------------------------------------------------------- sources
def test_bibliography_counts(run, truth):
    rows = run("bibliography")
    assert {r["work"]: int(r["citedBy"]) for r in rows} == {str(w): len(truth.citing(w)) for w in truth.works}
    counts = [int(r["citedBy"]) for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_findings_citing_work(run, truth):
    for work in truth.works:
        assert col(run("findings-citing-work", work=str(work)), "finding") == strs(truth.citing(work)), work
    assert len(run("findings-citing-work")) == len(set(truth.g.subject_objects(CITO.citesAsEvidence)))


def test_source_problems(run, truth):
    rows = run("source-problems")
    expected = {(str(s), str(n)) for s, n in truth.g.subject_objects(SKOS.editorialNote) if truth.o(s, RDF.type)}
    assert {(r["node"], r["note"]) for r in rows} == expected
    practices = run("source-problems", type="gfmd:Practice")
    assert {r["node"] for r in practices} == {s for s, _ in expected if U(s) in truth.practices}


# ---------------------------------------------------------------------------------------------- practices
def test_practices_by_country_code_and_name(run, truth):
    countries = sorted(truth.s(RDF.type, SCHEMA.Country))
    assert countries
    for i, country in enumerate(countries):
        code = next(str(n) for n in truth.g.objects(country, SKOS.notation)
                    if n.datatype in (None, XSD.string))  # alpha-3, not the typed codes
        expected = strs(p for p in truth.practices if country in truth.places(p))
        assert col(run("practices-by-country", country=code), "practice") == expected, code
        if i % 10:
            continue  # every code; names and spellings for a sample (each run is a forked query)
        assert col(run("practices-by-country", country=code.lower()), "practice") == expected, code
        name = str(truth.g.value(country, SKOS.prefLabel))
        assert col(run("practices-by-country", country=name.upper()), "practice") == expected, name
        for alt in truth.o(country, SKOS.altLabel):
            assert col(run("practices-by-country", country=str(alt)), "practice") == expected, alt
    everything = {(r["practice"], r["place"]) for r in run("practices-by-country")}
    assert everything == {(str(p), str(c)) for p in truth.practices for c in truth.places(p)}
    assert run("practices-by-country", country="Atlantis") == []


@pytest.mark.parametrize("query, prop, param", [
    ("practices-by-thematic-area", GFMD.thematicArea, "area"),
    ("practices-by-tag", GFMD.tag, "tag"),
    ("practices-by-gcm-objective", GFMD.gcmObjective, "objective"),
])
def test_practices_by_concept(run, truth, query, prop, param):
    used = {o for p in truth.practices for o in truth.o(p, prop)}
    assert used
    for concept in used:
        rows = run(query, **{param: str(concept)})
        assert col(rows, "practice") == strs(p for p in truth.practices if (p, prop, concept) in truth.g), concept
    assert len(run(query)) == sum(len(truth.o(p, prop)) for p in truth.practices)


@pytest.mark.parametrize("query, prop, param", [
    ("practices-by-thematic-area", GFMD.thematicArea, "area"),
    ("practices-by-tag", GFMD.tag, "tag"),
])
def test_practices_by_concept_source_only(run, truth, query, prop, param):
    """source_only=true leaves out exactly the classifications a gfmd:Classification marks as the curators'."""
    curated = {(str(c), str(p)) for p in truth.practices for c in truth.curators_classified(p, prop)}
    assert curated, "the policy-part practices carry thematic areas and tags the curators chose"
    rows = run(query, source_only="true")
    assert {(r[param], r["practice"]) for r in rows} == {
        (str(c), str(p)) for p in truth.practices for c in truth.concepts(p, prop, source_only=True)}
    everything = run(query)
    assert {(r[param], r["practice"]) for r in everything if r.get("basis", str(STATED)) != str(STATED)} == curated
    assert run(query, source_only="false") == everything


def test_links_source_only(run, truth):
    """source_only=true keeps only the links whose basis is 'stated in source'."""
    pairs = {(r["rec"], r["practice"]) for r in run("practices-by-recommendation", source_only="true")}
    assert pairs == {(str(rec), str(p)) for rec in truth.recommendations for p in truth.supporters(rec, True)}
    rows = run("evidence-for-recommendation", source_only="true")
    assert {r["route"] for r in rows} <= {"direct"}
    assert {(r["rec"], r["finding"]) for r in rows} == {
        (str(rec), str(f)) for rec in truth.recommendations for f in truth.evidence(rec, True)}
    stated = sum(len(truth.evidence(rec, True)) for rec in truth.recommendations)
    assert 0 < stated < sum(len(truth.evidence(rec)) for rec in truth.recommendations)


def test_gcm_mapping_rationales(run, truth):
    for r in run("practices-by-gcm-objective"):
        links = [q for q in truth.o(U(r["practice"]), GFMD.qualifiedGcmMapping)
                 if (q, GFMD.target, U(r["objective"])) in truth.g]
        assert r["rationale"] in {str(truth.g.value(q, GFMD.rationale)) for q in links}


def test_practices_by_organisation_and_role(run, truth):
    orgs = truth.s(RDF.type, ORG.Organization)
    for org in orgs:
        units = truth.sub_units(org)
        expected = {p for u in units for p in truth.practices_of(u)}
        assert col(run("practices-by-organisation", org=str(org)), "practice") == strs(expected), org
    iom = U("https://w3id.org/gfmdkg/id/org/iom")
    for role in ROLES:
        rows = run("practices-by-organisation", org="orgid:iom", role=str(role))
        assert col(rows, "practice") == strs(p for u in truth.sub_units(iom) for p in truth.practices_of(u, (role,)))
    assert run("practices-by-organisation", org="orgid:iom", role="rdfs:label") == []


def test_organisations_practices_counts(run, truth):
    rows = run("organisations-practices")
    orgs = {o for p in truth.practices for o in truth.orgs_of(p)}
    assert col(rows, "org") == strs(orgs)
    for r in rows:
        org = U(r["org"])
        assert int(r["practices"]) == len(truth.practices_of(org))
        assert int(r["funds"]) == len(truth.practices_of(org, (SCHEMA.funder,)))
        assert int(r["partners"]) == len(truth.practices_of(org, (GFMD.partner,)))
        assert int(r["implements"]) == len(truth.practices_of(org, (GFMD.implementedBy,)))
        assert int(r["coordinates"]) == len(truth.practices_of(org, (GFMD.coordinatedBy,)))


def _edges(truth) -> Counter:
    edges: Counter = Counter()
    for p in truth.g.subjects(RDF.type, GFMD.Practice):
        orgs = sorted(str(o) for o in truth.orgs_of(p))
        edges.update((a, b) for i, a in enumerate(orgs) for b in orgs[i + 1:])
    return edges


def test_co_partnership_network(run, truth):
    edges = _edges(truth)
    rows = run("co-partnership-network")
    assert {(r["org1"], r["org2"]): int(r["weight"]) for r in rows} == dict(edges)
    for r in rows:
        shared = {p for p in truth.practices
                  if {U(r["org1"]), U(r["org2"])} <= truth.orgs_of(p)}
        assert r["practices"].split() == sorted(str(p) for p in shared)


def test_organisation_partners(run, truth):
    edges = _edges(truth)
    for org in sorted({o for p in truth.practices for o in truth.orgs_of(p)})[:40]:
        rows = run("organisation-partners", org=str(org))
        expected = {(b if a == str(org) else a): w for (a, b), w in edges.items() if str(org) in (a, b)}
        assert {r["partner"]: int(r["weight"]) for r in rows} == expected, org
        weights = [int(r["weight"]) for r in rows]
        assert weights == sorted(weights, reverse=True)


def test_countries_ranked(run, truth):
    practices: Counter = Counter(c for p in truth.practices for c in truth.places(p))
    findings: Counter = Counter(c for f in truth.findings for c in truth.places(f)
                                if (f, DCTERMS.spatial, c) in truth.g)
    rows = run("countries-ranked")
    assert {r["place"]: (int(r["practices"]), int(r["findings"])) for r in rows} == {
        str(c): (practices[c], findings[c]) for c in set(practices) | set(findings)}
    totals = [int(r["practices"]) + int(r["findings"]) for r in rows]
    assert totals == sorted(totals, reverse=True)


@pytest.mark.parametrize("year", ["2002", "2008", "2012", "2014"])
def test_practices_active_in_year(run, truth, year):
    y = int(year)
    expected = set()
    for p in truth.practices:
        span = truth.year_span(p)
        if span and span[0] <= y and (span[1] is None or span[1] >= y):
            expected.add(str(p))
    assert col(run("practices-active-in-year", year=year), "practice") == expected


def test_practices_active_default_year_is_2014(run):
    assert run("practices-active-in-year") == run("practices-active-in-year", year="2014")


# ---------------------------------------------------------------------------------------------- evidence, numbers
def test_negative_and_mixed_evidence(run, truth):
    neg, mixed = truth.s(GFMD.effectDirection, DIR.negative), truth.s(GFMD.effectDirection, DIR.mixed)
    assert col(run("negative-and-mixed-evidence"), "finding") == strs(neg | mixed)
    assert col(run("negative-and-mixed-evidence", direction="dir:mixed"), "finding") == strs(mixed)
    assert col(run("negative-and-mixed-evidence", direction="dir:negative"), "finding") == strs(neg)
    assert run("negative-and-mixed-evidence", direction="dir:positive") == []


def test_quantitative_facts(run, truth):
    from tests.truth import SCHEMA
    quantities = set(truth.g.subject_objects(GFMD.quantity))
    budgets = set(truth.g.subject_objects(GFMD.budget))
    rows = run("quantitative-facts")
    assert Counter(r["kind"] for r in rows) == Counter({"quantity": len(quantities), "budget": len(budgets)})
    usd = {(s, q) for s, q in quantities | budgets
           if "USD" in {str(v) for v in truth.o(q, SCHEMA.unitText) | truth.o(q, GFMD.currency)
                        | truth.o(q, SCHEMA.currency)}}
    assert len(run("quantitative-facts", unit="USD")) == len(usd)
    for r in rows:
        q = next(q for s, q in quantities | budgets if str(s) == r["subject"]
                 and str(truth.g.value(q, SCHEMA.value)) == r["value"])
        assert q is not None


def test_practice_profile_holds_the_practice_and_its_parts(engine, catalogue, truth):
    saved = catalogue["practice-profile"]
    for practice in sorted(truth.practices)[:5]:
        result = engine.query(saved.text, saved.bindings({"practice": str(practice)}))
        triples = {(s["value"], p["value"], o["value"]) for s, p, o in result.triples}
        own = {(str(practice), str(p), str(o)) for p, o in truth.g.predicate_objects(practice)}
        assert own <= triples
        for period in truth.o(practice, DCTERMS.temporal):
            assert {(str(period), str(p), str(o)) for p, o in truth.g.predicate_objects(period)} <= triples
        for country in truth.places(practice):
            assert (str(country), "http://www.w3.org/2000/01/rdf-schema#label", truth.label(country)) in triples


def test_profile_needs_its_practice(project):
    res = CliRunner().invoke(cli, ["--project", str(project.root), "query", "practice-profile"])
    assert res.exit_code != 0 and "needs the parameter 'practice'" in str(res.exception or res.output)


@pytest.mark.parametrize("source_only", [False, True])
def test_evidence_gap_map_query_matches_rule(run, truth, source_only):
    cells = truth.gap_cells(source_only)
    rows = run("evidence-gap-map-source-only" if source_only else "evidence-gap-map")
    assert len(rows) == len(truth.recommendations) * len(truth.domains)
    for r in rows:
        want = cells.get((U(r["rec"]), U(r["domain"])), {})
        got = {k: int(r[k]) for k in ("practices", "positive", "negative", "mixed", "noEffect", "descriptive")}
        assert got == {k: want.get(k, 0) for k in got}, (r["rec"], r["domain"])
        effect = got["practices"] + got["positive"] + got["negative"] + got["mixed"] + got["noEffect"]
        assert r["gap"] == ("true" if effect == 0 else "false")


@pytest.mark.parametrize("source_only", [False, True])
def test_evidence_gap_map_items_match_rule(run, truth, source_only):
    """One row per (recommendation, domain, item): the items whose counts evidence-gap-map (-source-only) gives."""
    rows = run("evidence-gap-map-source-only-items" if source_only else "evidence-gap-map-items")
    got = {(r["rec"], r["domain"], r["item"], r["kind"], r.get("direction", "")) for r in rows}
    want = set()
    for rec in truth.recommendations:
        for dom, items in truth.gap_items(rec, source_only).items():
            for item, count in items:
                want.add((str(rec), str(dom), str(item), "practice" if count == "practices" else "finding",
                          "" if count == "practices" else str(truth.direction(item))))
    assert got == want


def test_evidence_gap_map_facets(run, truth):
    rows = run("evidence-gap-map-facets")
    got = {(r["node"], r["facet"], r["value"]) for r in rows}
    items = truth.practices | truth.findings
    direct = {(str(n), "region", str(v)) for n in items for v in truth.o(n, GFMD.region)
              | {r for c in truth.o(n, DCTERMS.spatial) for r in truth.o(c, GFMD.m49Region)}}
    assert {r for r in got if r[1] == "region"} == direct
    for facet, prop in (("group", GFMD.populationGroup), ("channel", GFMD.channel)):
        assert {r for r in got if r[1] == facet} == {(str(n), facet, str(v)) for n in items for v in truth.o(n, prop)}
    assert {(r[0], r[2]) for r in got if r[1] == "restates"} == strs_pairs(truth.g.subject_objects(GFMD.restates))
    assert {(r[0], r[2]) for r in got if r[1] == "broader"} == strs_pairs(
        (s, o) for s, o in truth.g.subject_objects(SKOS.broader) if str(s).startswith(REGION))


def strs_pairs(pairs) -> set:
    return {(str(s), str(o)) for s, o in pairs}


def test_every_bibliography_row_is_a_work(run, truth):
    assert col(run("bibliography"), "work") == strs(truth.works)
    assert not strs(truth.s(RDF.type, BIBO.Report)) & col(run("bibliography"), "work")


def test_multi_valued_parameters_rejected_cleanly(project):
    res = CliRunner().invoke(cli, ["--project", str(project.root), "query", "practices-by-tag", "-p", "nope=1"])
    assert res.exit_code != 0
    assert "has no parameter nope" in str(res.exception)


def test_all_queries_together_are_fast(engine, catalogue):
    """Selective-first shapes: the whole catalogue (defaults) answers in well under the default timeout each."""
    import time
    for q in catalogue.values():
        if any(p.required for p in q.params):
            continue
        t0 = time.monotonic()
        engine.query(q.text, q.bindings({}), timeout=5)
        assert time.monotonic() - t0 < 2.0, q.name


def _by_rec(rows) -> dict:
    out = defaultdict(set)
    for r in rows:
        out[r["rec"]].add(r["practice"])
    return out
