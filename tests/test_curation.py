"""The curated graph held to its sources: completeness, verbatim titles, own-words summaries, correct pages."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from gfmdkg.store import open_engine

from tests.shared import missing, need, shared

PAPER = shared("sources", "gfmd2014-rt3.2-background-paper.txt")
REPORT = shared("sources", "gfmd2014-rt3-rapporteur-report.txt")
NO_SOURCES = missing("sources", PAPER.name) or missing("sources", REPORT.name)
BP = "https://w3id.org/gfmdkg/id/document/gfmd2014-rt32-background-paper/"
PREFIXES = """PREFIX gfmd: <https://w3id.org/gfmdkg/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def norm(text: str) -> str:
    """Whitespace-folded text with typographic quotes and dashes unified, for verbatim comparisons."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace("–", "-")
    return re.sub(r"\s+", " ", text).strip()


def pages(path: Path) -> dict[int, str]:
    out: dict[int, list[str]] = {}
    current = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"=== page (\d+) ===", line)
        if m:
            current = int(m.group(1))
            continue
        out.setdefault(current, []).append(line)
    return {n: norm("\n".join(lines)) for n, lines in out.items()}


if NO_SOURCES is None:
    PAPER_PAGES = pages(PAPER)
    PAPER_TEXT = norm(PAPER.read_text(encoding="utf-8"))
    REPORT_TEXT = norm(REPORT.read_text(encoding="utf-8"))
    ALL_TEXT = norm(re.sub(r"=== page \d+ ===", " ", PAPER.read_text(encoding="utf-8") + REPORT.read_text("utf-8")))


@pytest.fixture
def sources() -> None:
    """The tests that compare the graph with the source texts need ../shared/sources."""
    need("sources", PAPER.name)
    need("sources", REPORT.name)


needs_sources = pytest.mark.usefixtures("sources")


@pytest.fixture(scope="module")
def engine(project):
    return open_engine(project)


def rows(engine, query: str) -> list[dict[str, str]]:
    result = engine.query(PREFIXES + query)
    return [{k: v["value"] for k, v in row.items()} for row in result.rows]


def test_all_39_annex_entries_once_in_three_sections(engine):
    got = rows(engine, "SELECT ?p ?n ?section WHERE { ?p a gfmd:Practice ; gfmd:annexEntry ?n ; "
                       "gfmd:annexSection ?section }")
    numbers = Counter(int(r["n"]) for r in got)
    assert sorted(numbers) == list(range(1, 40)) and set(numbers.values()) == {1}
    sections = {int(r["n"]): r["section"].rsplit("-", 1)[-1] for r in got}
    # the Annex's three sections: entries 1-12 answer question 1, 13-24 question 2, 25-39 are other examples
    assert {n for n, s in sections.items() if s == "1"} == set(range(1, 13))
    assert {n for n, s in sections.items() if s == "2"} == set(range(13, 25))
    assert {n for n, s in sections.items() if s == "3"} == set(range(25, 40))


def test_annex_sections_answer_their_guiding_questions(engine):
    got = rows(engine, "SELECT ?n ?q WHERE { ?p gfmd:annexEntry ?n OPTIONAL { ?p gfmd:answersQuestion ?q } }")
    by_entry = {int(r["n"]): r.get("q", "") for r in got}
    assert all(by_entry[n].endswith("retain-attract-back-skills") for n in range(1, 13))
    assert all(by_entry[n].endswith("assist-migrant-households") for n in range(13, 25))
    assert all(by_entry[n] == "" for n in range(25, 40))


@needs_sources
def test_annex_titles_are_verbatim_and_on_the_cited_page(engine):
    got = rows(engine, """SELECT ?p ?title ?supplied (GROUP_CONCAT(STR(?loc); separator=" ") AS ?locs) WHERE {
        ?p a gfmd:Practice ; gfmd:annexEntry ?n ; dcterms:title ?title ; prov:wasDerivedFrom ?loc .
        OPTIONAL { ?p gfmd:titleSuppliedByCurators ?supplied } } GROUP BY ?p ?title ?supplied""")
    assert len(got) == 39
    supplied = [r for r in got if r.get("supplied") == "true"]
    assert len(supplied) == 1, "exactly one Annex entry has no title in the source"
    for r in got:
        if r.get("supplied") == "true":
            continue
        title = norm(r["title"])
        assert title in ALL_TEXT or norm(title.replace(" ", "")) in ALL_TEXT.replace(" ", ""), title
        cited = [int(m) for m in re.findall(re.escape(BP) + r"p(\d+)", r["locs"])]
        assert cited, f"{r['p']} has no page locator"
        window = " ".join(PAPER_PAGES.get(n, "") + " " + PAPER_PAGES.get(n + 1, "") for n in cited)
        head = " ".join(title.split()[:4])
        assert head in window or head.replace(" ", "") in window.replace(" ", ""), (r["p"], cited, head)


@needs_sources
def test_as_given_fields_are_verbatim(engine):
    got = rows(engine, "SELECT ?p ?v WHERE { ?p gfmd:countryAsGiven|gfmd:partnersAsGiven|gfmd:timeframeAsGiven ?v }")
    assert len(got) > 60
    squeezed = ALL_TEXT.replace(" ", "")
    for r in got:
        value = norm(r["v"])
        # a label the curators put in front of a second field (e.g. "Funders: ...") is allowed
        value = re.sub(r"^(Funders?|Co-Funder\(s\)|Partner\(s\)[^:]*):\s*", "", value)
        assert value.replace(" ", "") in squeezed, (r["p"], value)


@needs_sources
def test_descriptions_are_our_own_words(engine):
    """No description or rationale repeats 9 or more consecutive words of the sources, names aside (titles and
    names of practices, organisations, places and works may be quoted verbatim)."""
    got = rows(engine, "SELECT ?s ?d WHERE { ?s dcterms:description|gfmd:rationale ?d }")
    name_query = ("SELECT DISTINCT ?n WHERE { ?x rdfs:label|skos:prefLabel|skos:altLabel|dcterms:title"
                  "|dcterms:bibliographicCitation ?n }")
    names = sorted({norm(r["n"]).lower() for r in rows(engine, name_query) if len(r["n"].split()) >= 2},
                   key=len, reverse=True)
    words = ALL_TEXT.lower().split()
    shingles = {" ".join(words[i:i + 9]) for i in range(len(words) - 8)}
    copied = []
    for r in got:
        text = norm(r["d"]).lower()
        for name in names:
            if name in text:
                text = text.replace(name, " ~ ")
        w = text.split()
        hits = [" ".join(w[i:i + 9]) for i in range(len(w) - 8) if " ".join(w[i:i + 9]) in shingles]
        if hits:
            copied.append((r["s"], hits[0]))
    assert copied == []


def test_every_cited_work_of_footnotes_1_to_21_is_cited_by_a_finding(engine):
    works = rows(engine, "SELECT ?w ?fn WHERE { ?w a bibo:Document ; prov:wasDerivedFrom ?fn . "
                         f"FILTER(STRSTARTS(STR(?fn), '{BP}fn')) }}")
    footnotes = {int(r["fn"].rsplit("fn", 1)[1]) for r in works}
    assert footnotes == set(range(1, 22)) - {22}
    uncited = rows(engine, "SELECT ?w WHERE { ?w a bibo:Document . FILTER NOT EXISTS { ?f cito:citesAsEvidence ?w } "
                           "FILTER NOT EXISTS { ?w a bibo:Report } }")
    assert uncited == []


def test_one_node_per_cited_work(engine):
    got = rows(engine, "SELECT ?c (COUNT(DISTINCT ?w) AS ?n) WHERE { ?w a bibo:Document ; "
                       "dcterms:bibliographicCitation ?c } GROUP BY ?c HAVING (COUNT(DISTINCT ?w) > 1)")
    assert got == []
    # works cited in several footnotes are one node with several locators
    multi = rows(engine, "SELECT ?w WHERE { ?w a bibo:Document ; prov:wasDerivedFrom ?a, ?b . "
                         f"FILTER(STRSTARTS(STR(?a), '{BP}fn') && STRSTARTS(STR(?b), '{BP}fn') && ?a != ?b) }}")
    assert {r["w"].rsplit("/", 1)[1] for r in multi} >= {"dendir-pozo-2006", "zourkaleini-et-al-2014"}


@needs_sources
def test_bibliographic_citations_are_as_the_paper_gives_them(engine):
    got = rows(engine, "SELECT ?c WHERE { ?w a bibo:Document ; dcterms:bibliographicCitation ?c }")
    for r in got:
        assert norm(r["c"]).replace(" ", "") in PAPER_TEXT.replace(" ", ""), r["c"]


def test_recommendations_six_measures_and_report(engine):
    got = rows(engine, "SELECT ?r ?n WHERE { ?r a gfmd:Recommendation ; dcterms:source ?d ; "
                       "gfmd:recommendationNumber ?n . FILTER(CONTAINS(STR(?d), 'background-paper')) }")
    assert sorted(int(r["n"]) for r in got) == [1, 2, 3, 4, 5, 6]
    restated = rows(engine, "SELECT ?a ?b WHERE { ?a gfmd:restates ?b }")
    assert {r["b"].rsplit("/", 1)[1] for r in restated} == {r["r"].rsplit("/", 1)[1] for r in got}


def test_events(engine):
    got = rows(engine, """PREFIX schema: <https://schema.org/>
        SELECT ?e ?start ?end WHERE { ?e a schema:Event OPTIONAL { ?e schema:startDate ?start }
        OPTIONAL { ?e schema:endDate ?end } }""")
    by = {r["e"].rsplit("/", 1)[1]: r for r in got}
    assert by["gfmd-2014"]["start"] == "2014-05-14" and by["gfmd-2014"]["end"] == "2014-05-16"
    chairs = rows(engine, """PREFIX schema: <https://schema.org/>
        SELECT ?e ?c WHERE { ?e gfmd:coChairCountry ?c }""")
    pairs = {(r["e"].rsplit("/", 1)[1], r["c"].rsplit("/", 1)[1]) for r in chairs}
    assert pairs == {("gfmd-2014-rt3-1", "ECU"), ("gfmd-2014-rt3-1", "GRC"),
                     ("gfmd-2014-rt3-2", "SLV"), ("gfmd-2014-rt3-2", "ARE")}


def test_every_curated_node_is_located(engine):
    got = rows(engine, """PREFIX org: <http://www.w3.org/ns/org#> PREFIX schema: <https://schema.org/>
        SELECT ?s WHERE { VALUES ?c { gfmd:Practice gfmd:Finding gfmd:Recommendation gfmd:KeyMessage
          gfmd:GuidingQuestion bibo:Document org:Organization schema:Country schema:Event }
          ?s a ?c FILTER NOT EXISTS { ?s prov:wasDerivedFrom ?l . ?l a bibo:DocumentPart } }""")
    assert got == []


@needs_sources
def test_every_footnote_locator_cites_a_footnote_on_its_page(engine):
    got = rows(engine, "SELECT ?fn ?page WHERE { ?fn gfmd:footnoteNumber ?n ; bibo:pageStart ?page }")
    assert len(got) == 22
    for r in got:
        n = int(r["fn"].rsplit("fn", 1)[1])
        page = PAPER_PAGES[int(r["page"])]
        assert re.search(rf"(^|\s){n}\s", page), (n, r["page"])


def test_uncited_findings_are_marked_and_quantities_structured(engine):
    marked = rows(engine, "SELECT ?f WHERE { ?f a gfmd:Finding ; gfmd:uncited true }")
    cited = rows(engine, "SELECT DISTINCT ?f WHERE { ?f a gfmd:Finding ; cito:citesAsEvidence ?w }")
    total = rows(engine, "SELECT ?f WHERE { ?f a gfmd:Finding }")
    assert len(marked) + len(cited) == len(total)
    q = rows(engine, """PREFIX schema: <https://schema.org/>
        SELECT ?v ?unit ?year WHERE { ?f gfmd:quantity ?q . ?q schema:value ?v ; schema:unitText ?unit
        OPTIONAL { ?q gfmd:referenceYear ?year } }""")
    values = {(float(r["v"]), r.get("year")) for r in q}
    assert (414e9, "2013") in values and (540e9, "2016") in values   # World Bank remittance figures (p1)
    assert any(v == 110000 for v, _ in values) and any(v == 56000 for v, _ in values)   # OECD figures (p3)
