"""A page of every type in English, French and Spanish in the real Chromium (Debian's, as in
tests/test_browser_serve.py): the switch keeps the page, links within the site keep the language (the cookie),
and a screenshot per language goes to test-artifacts/."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.chromium import BROWSER_MARKS
from tests.test_browser_serve import browser_context, sparql  # noqa: F401 - fixtures

GFMD = "https://w3id.org/gfmdkg/"
NAV = {"en": ("Practices", "Saved queries"), "fr": ("Pratiques", "Requêtes enregistrées"),
       "es": ("Prácticas", "Consultas guardadas")}

pytestmark = BROWSER_MARKS


def _path(iri: str) -> str:
    return "/" + iri[len(GFMD):]


def page_types(server) -> dict[str, str]:  # noqa: F811 - the fixture, passed in
    one = {kind: sparql(server, f"SELECT ?x WHERE {{ ?x a {cls} }} ORDER BY ?x LIMIT 1")[0]["x"] for kind, cls in (
        ("finding", "gfmd:Finding"), ("organisation", "<http://www.w3.org/ns/org#Organization>"),
        ("cited work", "<http://purl.org/ontology/bibo/Document>"))}
    return {"home": "/", "list": "/practices", "practice": "/id/practice/mida-ghana-health",
            "finding": _path(one["finding"]), "recommendation": "/id/recommendation/bp-diaspora-participation",
            "organisation": _path(one["organisation"]), "country": "/id/country/GHA",
            "cited work": _path(one["cited work"]), "queries": "/queries",
            "query": "/queries/practices-by-country", "sparql": "/sparql"}


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_every_page_type_renders_in_each_language(server, browser_context, artifacts, lang):  # noqa: F811
    page = browser_context.new_page()
    for kind, path in page_types(server).items():
        response = page.goto(f"{server.base}{path}?lang={lang}")
        assert response.status == 200, kind
        assert page.locator("html").get_attribute("lang") == lang, kind
        assert page.locator("h1").count() == 1, kind
        nav = page.locator("header nav").first.inner_text()
        assert all(label in nav for label in NAV[lang]), (kind, nav)
        current = page.locator("nav.languages a[aria-current=true]")
        assert current.get_attribute("lang") == lang, kind
    page.goto(f"{server.base}/id/recommendation/bp-diaspora-participation?lang={lang}")
    page.screenshot(path=str(artifacts / f"i18n-recommendation-{lang}.png"), full_page=True)
    page.close()


def test_switch_keeps_the_page_and_links_keep_the_language(server, browser_context):  # noqa: F811
    page = browser_context.new_page()
    page.goto(f"{server.base}/practices?country=country:GHA&lang=en")
    page.locator("nav.languages a[lang=es]").click()
    assert urlsplit(page.url).path == "/practices" and "country=country%3AGHA" in page.url
    assert page.locator("html").get_attribute("lang") == "es"
    heading = page.locator("#results-h").inner_text()
    assert "prácticas" in heading or "práctica" in heading
    # a link within the site (no ?lang=) keeps Spanish: the choice is remembered
    page.locator("nav[aria-label='Navegación principal'] a", has_text="Hallazgos").click()
    assert urlsplit(page.url).path == "/findings" and "lang=" not in page.url
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Hallazgos"
    # the French concept labels of a facet, and English curated text marked as such
    page.goto(f"{server.base}/id/practice/mida-ghana-health?lang=fr")
    assert page.locator("h1").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Contributions des migrants et diaspora").count() >= 1
    page.goto(f"{server.base}/?lang=en")  # leave the profile in English for the other browser tests
    page.close()
