"""The world map and the country pages' map in the real Chromium (tests/chromium.py), in English, French and
Spanish: the map's numbers are the graph's (counted here by SPARQL), it renders, its links work, it scales to a
320 px screen and axe-core finds no violation."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.chromium import BROWSER_MARKS, chromium_page
from tests.test_worldmap import COUNTRY, GFMD, LANGS, PREFIXES, labels, practices_per_country, sparql

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
pytestmark = BROWSER_MARKS



def country_of(href: str) -> str:
    """The country IRI a map link filters by (``/practices?country=country:GHA``)."""
    return COUNTRY + parse_qs(urlsplit(href).query)["country"][0].removeprefix("country:")


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    with chromium_page(tmp_path_factory.mktemp("chromium-profile"), 1280, 900) as page:
        yield page


def map_links(page) -> dict[str, str]:
    """The map's country links as the browser has them: href -> accessible name."""
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('figure.worldmap svg a')]
        .map(a => [a.getAttribute('href'), a.getAttribute('aria-label')]))""")


def table_numbers(page, table: str) -> dict[str, int]:
    return page.evaluate(f"""() => Object.fromEntries([...document.querySelectorAll('#{table} tbody tr')]
        .map(tr => [tr.querySelector('td a').getAttribute('href'), parseInt(tr.querySelector('td').textContent)]))""")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", ["/", "/countries"])
def test_world_map_numbers_are_the_graphs(server, browser_page, path, lang):
    """Home and country list in each language: a drawn SVG whose every link is a country with practices, named
    "<country in the page language>: N practices", N counted here by SPARQL; the table beside it says the same."""
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server.base + path + f"?lang={lang}")
    box = page.locator("figure.worldmap svg").bounding_box()
    assert box and box["width"] > 600 and box["height"] > 250
    counts, names = practices_per_country(server), labels(server, lang)
    links = map_links(page)
    assert {country_of(h) for h in links} == set(counts)
    word = {"en": "practice", "fr": "pratique", "es": "práctica"}[lang]
    for href, name in links.items():
        country = country_of(href)
        n = counts[country]
        sep = " : " if lang == "fr" else ": "
        assert name == f"{names[country]}{sep}{n} {word}{'s' if n > 1 else ''}", (href, name)
    assert {country_of(h): n for h, n in table_numbers(page, "world-table").items()} == counts
    # a country's shape is painted where the browser draws it: the largest one has a real size
    biggest = max(links, key=lambda h: counts[country_of(h)])
    shape = page.locator(f'figure.worldmap svg a[href="{biggest}"]').bounding_box()
    assert shape and shape["width"] > 2 and shape["height"] > 2


def test_a_click_on_the_map_opens_the_countrys_practices(server, browser_page):
    page = browser_page
    page.goto(server.base + "/?lang=en")
    ghana = GFMD + "id/country/GHA"
    n = practices_per_country(server)[ghana]
    page.locator('figure.worldmap svg a[aria-label^="Ghana:"]').click()
    assert parse_qs(urlsplit(page.url).query) == {"country": ["country:GHA"]}
    assert page.locator("#results-h").inner_text().startswith(f"{n} practices")


@pytest.mark.parametrize("lang", LANGS)
def test_country_page_map_and_tables(server, browser_page, lang):
    """Ghana's page: the country marked on the map with its counts, the countries its practices share shaded with
    the number in common, and tables of exactly its practices, findings and organisations."""
    ghana = GFMD + "id/country/GHA"
    page = browser_page
    page.goto(server.base + f"/id/country/GHA?lang={lang}")
    own = {kind: {r["x"] for r in sparql(server, PREFIXES + f"SELECT ?x WHERE {{ ?x a {cls} ; dcterms:spatial "
                                                              f"<{ghana}> }}")}
           for kind, cls in (("practices", "gfmd:Practice"), ("findings", "gfmd:Finding"),
                             ("organisations", "org:Organization"))}
    marked = page.locator("figure.worldmap svg a.wm-this")
    assert marked.count() == 1
    label = marked.get_attribute("aria-label")
    assert all(str(len(v)) in label for v in own.values()) and label.startswith("Ghana")
    shared = {r["c"]: int(r["n"]) for r in sparql(server, PREFIXES + f"""SELECT ?c (COUNT(DISTINCT ?p) AS ?n) WHERE {{
        ?p a gfmd:Practice ; dcterms:spatial <{ghana}>, ?c . ?c a schema:Country FILTER(?c != <{ghana}>) }}
        GROUP BY ?c""")}
    others = {h: n for h, n in map_links(page).items() if not h.startswith("/practices")}
    assert {GFMD + h.lstrip("/") for h in others} == set(shared)
    assert {GFMD + h.lstrip("/"): n for h, n in table_numbers(page, "country-table").items()} == shared
    for kind, iris in own.items():
        hrefs = page.evaluate(f"""() => [...document.querySelectorAll(
            '#country-{kind}-h ~ .table-wrap tbody th a')].map(a => a.getAttribute('href'))""")
        assert {GFMD + h.lstrip("/") for h in hrefs} == iris, kind


@pytest.mark.parametrize("lang", LANGS)
def test_maps_and_sorted_lists_fit_320px_without_axe_violations(server, browser_page, lang):
    """The map scales down with the screen; no page scrolls sideways at 320 px; axe-core finds no violation, with
    the map's table opened too."""
    page = browser_page
    paths = ["/", "/countries", "/id/country/GHA", "/id/country/SLV", "/id/country/AGO",
             "/countries?sort=practices&order=desc",
             "/practices?sort=countries&order=desc", "/findings?sort=direction", "/recommendations?sort=findings"]
    wide, violations = {}, {}
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            page.goto(server.base + path + ("&" if "?" in path else "?") + f"lang={lang}")
            for details in page.locator("details.wm-numbers").all():
                details.evaluate("d => d.open = true")
            if width == 320:
                svg = page.locator("figure.worldmap svg")
                if svg.count():
                    assert svg.bounding_box()["width"] <= 320
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > 320:
                    wide[path] = scroll
            page.add_script_tag(path=str(AXE))
            found = page.evaluate("async () => (await axe.run(document)).violations"
                                  ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))")
            if found:
                violations[f"{path} @ {width}"] = found
    assert not wide, wide
    assert not violations, json.dumps(violations, indent=1)[:4000]
