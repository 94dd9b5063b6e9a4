"""The pages of ``gfmdkg serve`` in a real headless Chromium (Debian's, driven by playwright-python), with
JavaScript switched off: a person opens the home page, follows a facet, opens a practice, follows its
recommendation and sees its practices and evidence. Screenshots go to test-artifacts/.

Chromium comes from tests/browser_setup.sh (apt); `playwright install` is never used.
"""

from __future__ import annotations

import json
import re
import shutil
from urllib.parse import parse_qs, urlencode, urlsplit
from urllib.request import Request, urlopen

import pytest

from tests.chromium import BROWSER_MARKS, CHROMIUM, FLAGS
from tests.serve_process import ServeProcess

GFMD = "https://w3id.org/gfmdkg/"
REC = GFMD + "id/recommendation/bp-diaspora-participation"
GHANA = GFMD + "id/country/GHA"
PREFIXES = "PREFIX gfmd: <https://w3id.org/gfmdkg/def#> PREFIX dcterms: <http://purl.org/dc/terms/> " \
           "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "

pytestmark = BROWSER_MARKS



@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh user-data-dir
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=FLAGS, java_script_enabled=False,
            viewport={"width": 1280, "height": 900})
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


def sparql(server: ServeProcess, query: str) -> list[dict]:
    req = Request(server.base + "/sparql?" + urlencode({"query": PREFIXES + query}),
                  headers={"Accept": "application/sparql-results+json"})
    with urlopen(req, timeout=30) as resp:
        rows = json.load(resp)["results"]["bindings"]
    return [{k: v["value"] for k, v in r.items()} for r in rows]


def check_accessible(page) -> None:
    """Landmarks, one h1, labelled form fields, a language, no broken local links on the page."""
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("main").count() == 1 and page.locator("nav[aria-label=Main]").count() == 1
    assert page.locator("h1").count() == 1
    for field in page.locator("input:not([type=hidden]), select, textarea").all():
        field_id = field.get_attribute("id")
        assert field_id and page.locator(f"label[for='{field_id}']").count() == 1, field_id


def test_browse_from_home_to_recommendation_and_evidence(server, browser_context, artifacts):
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    # 1. the home page: a heading, the counts, the gap map
    page.goto(server.base + "/")
    check_accessible(page)
    assert page.locator("h1").inner_text() == "Migration and development: evidence, practices and recommendations"
    n_practices = len(sparql(server, "SELECT DISTINCT ?p WHERE { ?p a gfmd:Practice }"))
    practices_count = page.locator("ul.counts a[href='/practices']")
    assert practices_count.inner_text().split() == [str(n_practices), "Practices"]
    assert page.locator("table.gapmap").is_visible()
    page.screenshot(path=str(artifacts / "serve-home.png"), full_page=True)

    # 2. the practices list, then the Country facet "Ghana"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Practices").click()
    assert page.locator("h1").inner_text() == "Practices"
    check_accessible(page)
    page.locator("#facet-country + ul, #facet-country ~ details ul").get_by_role("link", name="Ghana",
                                                                                exact=True).first.click()
    assert parse_qs(urlsplit(page.url).query) == {"country": ["country:GHA"]}
    titles = sorted(r["t"] for r in sparql(server, f"SELECT DISTINCT ?t WHERE {{ ?p a gfmd:Practice ; "
                                                   f"dcterms:spatial <{GHANA}> ; dcterms:title ?t }}"))
    assert page.locator("#results-h").inner_text().startswith(f"{len(titles)} practices")
    shown = sorted(page.locator("table.items h3").all_inner_texts())
    assert shown == titles
    assert page.locator(".facet li.selected").first.inner_text().startswith("Ghana")
    page.screenshot(path=str(artifacts / "serve-practices-ghana.png"))

    # 3. a practice: its title, the recommendations it supports with rationale and basis, its sources
    page.get_by_role("link", name="MIDA Ghana Health Project", exact=True).click()
    check_accessible(page)
    assert page.locator("h1").inner_text() == "MIDA Ghana Health Project"
    assert page.get_by_role("heading", name="Supports these recommendations").is_visible()
    assert "Source:" in page.locator(".source-line").inner_text()
    assert re.search(r"Background paper RT 3\.2, p\. \d+", page.locator(".source-line").inner_text())
    page.screenshot(path=str(artifacts / "serve-practice.png"), full_page=True)

    # 4. follow its recommendation: the practices that support it and the evidence behind it
    rec_label = sparql(server, f"SELECT ?l WHERE {{ <{REC}> rdfs:label ?l }}")[0]["l"]
    page.get_by_role("link", name=rec_label, exact=True).first.click()
    check_accessible(page)
    assert page.locator("h1").inner_text() == rec_label
    supporters = sparql(server, f"SELECT DISTINCT ?p WHERE {{ ?p gfmd:supports <{REC}> }}")
    findings = sparql(server, f"SELECT DISTINCT ?f WHERE {{ ?f gfmd:isEvidenceFor <{REC}> }}")
    assert page.locator("#supporters-h").inner_text() == f"Practices that support it ({len(supporters)})"
    assert page.locator("#evidence-h").inner_text() == f"Evidence behind it ({len(findings)} findings)"
    evidence = page.locator("section[aria-labelledby=evidence-h] ul.cards > li")
    assert evidence.count() == len(findings)
    directions = set(page.locator("section[aria-labelledby=evidence-h] .dir").all_inner_texts())
    expected = {r["l"] for r in sparql(server, f"SELECT DISTINCT ?l WHERE {{ ?f gfmd:isEvidenceFor <{REC}> ; "
                                               "gfmd:effectDirection ?d . ?d <http://www.w3.org/2004/02/skos/core#"
                                               "prefLabel> ?l FILTER(LANG(?l) = 'en') }")}
    assert directions == expected and "Positive" in directions
    works = sparql(server, f"SELECT DISTINCT ?w WHERE {{ ?f gfmd:isEvidenceFor <{REC}> ; "
                           "<http://purl.org/spar/cito/citesAsEvidence> ?w }")
    cited = page.locator("section[aria-labelledby=evidence-h]").inner_text()
    assert cited.count("Cited works:") >= 1 and len(works) >= 1
    assert page.locator("section[aria-labelledby=supporters-h]").get_by_role(
        "link", name="MIDA Ghana Health Project", exact=True).is_visible()
    page.screenshot(path=str(artifacts / "serve-recommendation.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts / "serve-recommendation-top.png"))

    # 5. the saved-query page: a form without JavaScript
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Saved queries").click()
    check_accessible(page)
    page.locator("a[href='/queries/practices-by-recommendation']").click()
    page.get_by_label("Recommendation").select_option("rec:bp-diaspora-participation")  # a drop-down of the graph's
    page.get_by_role("button", name="Run").click()
    rows = sparql(server, f"SELECT ?p WHERE {{ ?p gfmd:supports <{REC}> ; gfmd:qualifiedSupport ?l . "
                          f"?l gfmd:target <{REC}> }}")
    assert page.locator("#answer-h").inner_text() == f"Answer ({len(rows)} rows)"
    assert errors == []


def test_schema_org_script_is_json_as_chromium_parses_it(server, browser_context):
    """The page's schema.org script, as Chromium's HTML parser delimits it, is one JSON document about the node."""
    page = browser_context.new_page()
    page.goto(server.base + "/id/practice/mida-ghana-health")
    scripts = page.locator('script[type="application/ld+json"]')
    assert scripts.count() == 1
    data = json.loads(scripts.text_content())
    assert data["@type"] == "Project" and data["@id"] == GFMD + "id/practice/mida-ghana-health"
    assert page.locator("h1").text_content() == data["name"]
    page.close()
