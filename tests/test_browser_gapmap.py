"""The gap map in the real Chromium (Debian's, as in tests/test_browser_serve.py), in English, French and Spanish: the
filter form submits by GET and keeps the columns, the merge toggle, and a click on a cell opens a page listing as
many practices and findings as the cell shows. Screenshots go to test-artifacts/. (Reflow at 320 px and axe-core:
tests/test_browser_layout.py, which covers /gapmap and a cell page.)"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.chromium import BROWSER_MARKS
from tests.test_browser_serve import browser_context  # noqa: F401 - fixtures

pytestmark = BROWSER_MARKS
WORDS = {"en": ("Filter the map", "Show the map"), "fr": ("Filtrer la carte", "Afficher la carte"),
         "es": ("Filtrar el mapa", "Mostrar el mapa")}


def shown(text: str) -> int:
    """Items a cell's text counts: ``P2 -2 ~1`` -> 5."""
    return sum(int(n) for n in re.findall(r"[P+\-~o](\d+)", text))


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_filter_toggle_and_cell_in_each_language(server, browser_context, artifacts, lang):  # noqa: F811
    page = browser_context.new_page()
    page.goto(f"{server.base}/gapmap?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    form, submit = WORDS[lang]
    assert page.locator("#gapmap-filter-h").inner_text() == form
    heads = page.locator("table.gapmap thead th").all_inner_texts()
    rows = page.locator("table.gapmap tbody tr").count()
    page.screenshot(path=str(artifacts / f"gapmap-{lang}.png"), full_page=True)

    page.select_option("#gm-region", "region:africa")
    page.check("#gm-separate")
    page.get_by_role("button", name=submit).click()
    query = dict(parse_qsl(urlsplit(page.url).query))
    assert urlsplit(page.url).path == "/gapmap" and query["region"] == "region:africa" and query["separate"] == "1"
    assert page.locator("table.gapmap thead th").all_inner_texts() == heads  # the columns never move
    assert page.locator("table.gapmap tbody tr").count() > rows  # restatements on rows of their own
    assert page.locator("#gm-region").input_value() == "region:africa"

    cell = page.locator("table.gapmap td a").first
    text = cell.locator("span[aria-hidden=true]").inner_text()
    cell.click()
    assert urlsplit(page.url).path == "/gapmap/cell"
    assert dict(parse_qsl(urlsplit(page.url).query))["region"] == "region:africa"
    assert page.locator("html").get_attribute("lang") == lang
    counted = page.locator("ul.cell-items:not([data-count=descriptive]) li").count()
    assert counted == shown(text) > 0
    page.screenshot(path=str(artifacts / f"gapmap-cell-{lang}.png"), full_page=True)
    page.goto(f"{server.base}/?lang=en")  # leave the profile in English for the other browser tests
    page.close()
