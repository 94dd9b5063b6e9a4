"""The SPARQL editor in the real Chromium (Debian's, tests/chromium.py), under the server's own Content Security
Policy: CodeMirror (vendored) highlights the query, choosing a saved query fills the editor, a query using the
project's prefixes undeclared shows its rows, a syntax error marks its line; no console error, no CSP violation,
no violation axe-core finds, nothing scrolling sideways at 320 px, in English, French and Spanish. Without
JavaScript the same page is a working plain form."""

from __future__ import annotations

# ruff: noqa: F811 - tests take the shared `server` fixture (one gfmdkg serve of the project) as an argument

import json
from pathlib import Path

import pytest

from tests.chromium import BROWSER_MARKS, CHROMIUM, FLAGS

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WIDTH = 320
#: records what the page's Content Security Policy refuses (run before the page's own scripts)
CSP_LISTENER = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
BROKEN = "SELECT ?practice WHERE {\n  ?practice a gfmd:Practice .\n  FILTER(?practice = )\n}\n"

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def browser(chromium):
    """JavaScript on, the server's CSP enforced (never bypassed)."""
    context = chromium.new_context(viewport={"width": WIDTH, "height": 700})
    yield context
    context.close()


@pytest.fixture(scope="module")
def no_script(chromium):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": WIDTH, "height": 700})
    yield context
    context.close()


class Watched:
    """A page with its console errors, uncaught exceptions and CSP violations recorded."""

    def __init__(self, context) -> None:
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.add_init_script(CSP_LISTENER)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector(".CodeMirror")

    def editor(self, method: str, *args):
        return self.page.evaluate(f"args => document.querySelector('.CodeMirror').CodeMirror.{method}(...args)",
                                  list(args))

    def clean(self, status: int = 200) -> None:
        """No console error (but the page's own ``status`` when it is an error), no exception, no CSP violation,
        nothing wider than the screen."""
        own = f"Failed to load resource: the server responded with a status of {status} "
        assert [e for e in self.errors if not e.startswith(own)] == []
        assert self.page.evaluate("window.__csp") == []
        assert self.page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    def axe(self) -> list[str]:
        """axe-core's violations, at 320 px and at 1280 px (run after :meth:`clean`: evaluated by the test, so
        the page's CSP does not apply to it)."""
        found = []
        for width in (WIDTH, 1280):
            self.page.set_viewport_size({"width": width, "height": 800})
            self.page.evaluate(AXE.read_text(encoding="utf-8"))
            found += self.page.evaluate("async () => (await axe.run(document)).violations.map(v => v.id + ': ' "
                                        "+ v.nodes.map(n => n.target.join(' ')).join(', '))")
        self.page.set_viewport_size({"width": WIDTH, "height": 700})
        return found

    def run(self) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name={"en": "Run query", "fr": "Exécuter la requête",
                                                  "es": "Ejecutar la consulta"}[self.lang()]).click()
        self.page.wait_for_selector(".CodeMirror")

    def lang(self) -> str:
        return self.page.locator("html").get_attribute("lang")


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_editor_highlights_and_runs_a_query_without_prefix_lines(server, browser, lang):
    """The first query uses gfmd: and dcterms: without declaring them: highlighted, run, 20 rows, and the answer's
    address (shown under it) gives the same table."""
    w = Watched(browser)
    w.open(f"{server.base}/sparql?lang={lang}")
    assert w.page.locator("textarea#query").is_hidden()  # the editor took its place
    assert "PREFIX" not in w.editor("getValue") and "gfmd:Practice" in w.editor("getValue")
    assert w.page.locator(".CodeMirror .cm-keyword", has_text="SELECT").count() == 1
    assert w.page.locator(".CodeMirror .cm-variable-2", has_text="?practice").count() >= 2
    w.clean()
    assert w.axe() == []
    w.run()
    assert w.page.locator("table.results tbody tr").count() == 20
    titles = w.page.locator("table.results tbody tr td:nth-child(2)").all_inner_texts()
    assert titles == sorted(titles, key=str) and all(titles)
    w.clean()
    assert w.axe() == []
    w.page.locator("#answer-h ~ p a").click()  # the answer's address
    w.page.wait_for_selector(".CodeMirror")
    assert w.page.locator("table.results tbody tr td:nth-child(2)").all_inner_texts() == titles
    w.clean()
    w.page.close()


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_choosing_an_example_fills_the_editor_and_runs(server, browser, catalogue, lang):
    w = Watched(browser)
    w.open(f"{server.base}/sparql?lang={lang}")
    examples = json.loads(w.page.locator("#examples-data").text_content())
    assert w.page.locator("#example-open").is_hidden()  # choosing is enough
    w.page.locator("#example").select_option("negative-and-mixed-evidence")
    text = w.editor("getValue")
    assert text == examples["negative-and-mixed-evidence"] and "#+" not in text
    summary = catalogue["negative-and-mixed-evidence"].summary  # the example opens with its plain summary
    assert text.startswith("# " + summary)
    assert w.page.locator(".CodeMirror .cm-comment").first.inner_text().startswith("# " + summary.split()[0])
    w.run()
    assert w.page.locator("table.results tbody tr").count() > 0
    assert w.editor("getValue").strip() == text.strip()  # the query stays in the editor, under its answer
    w.clean()
    w.page.close()


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_a_syntax_error_marks_its_line(server, browser, lang):
    """An error three lines down in a query that relies on the preloaded prefixes: the message names line 3 of
    the user's text (not of the text with the prefix lines added), the editor marks that line and puts the cursor
    there, and the excerpt under the message shows it."""
    w = Watched(browser)
    w.open(f"{server.base}/sparql?lang={lang}")
    w.editor("setValue", BROKEN)
    w.run()
    error = w.page.locator(".error[role=alert]")
    assert "line 3" in error.inner_text()
    assert error.get_attribute("data-line") == "3"
    assert w.page.locator(".CodeMirror .cm-error-line").count() == 1
    marked = w.page.locator(".CodeMirror-code > div").nth(2)
    assert "FILTER(?practice = )" in marked.inner_text() and "cm-error-line" in marked.inner_html()
    assert w.editor("getCursor")["line"] == 2
    assert "3 |   FILTER(?practice = )" in w.page.locator("pre.excerpt").inner_text()
    assert w.editor("getValue") == BROKEN
    w.clean(status=400)
    assert w.axe() == []
    w.page.close()


def test_without_javascript_the_page_is_a_working_form(server, no_script, catalogue):
    page = no_script.new_page()
    page.goto(f"{server.base}/sparql")
    assert page.locator("textarea#query").is_visible()
    page.locator("#example").select_option("countries-ranked")
    page.get_by_role("button", name="Open in the editor").click()
    assert page.locator("textarea#query").input_value().startswith("# " + catalogue["countries-ranked"].summary)
    page.get_by_role("button", name="Run query").click()
    assert page.locator("table.results tbody tr").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    page.locator("textarea#query").fill(BROKEN)
    page.get_by_role("button", name="Run query").click()
    assert "line 3" in page.locator(".error").inner_text()
    page.close()


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_saved_query_form_in_the_browser(server, browser, lang):
    """A saved query's form: drop-downs of the graph's nodes, sent by GET; the answer's address is the page's."""
    w = Watched(browser)
    w.page.goto(f"{server.base}/queries/practices-by-organisation?lang={lang}")
    w.page.locator("#p-role").select_option("schema:funder")
    w.page.locator("#p-org").fill("orgid:iom")
    with w.page.expect_navigation():
        w.page.locator("form.params button[type=submit]").first.click()
    assert "org=orgid%3Aiom" in w.page.url and "role=schema%3Afunder" in w.page.url
    rows = w.page.locator("table.results tbody tr").count()
    assert rows > 0
    w.page.goto(w.page.url)  # the address, opened again (a bookmark)
    assert w.page.locator("table.results tbody tr").count() == rows
    assert w.page.locator("#p-role").input_value() == "schema:funder"
    assert w.errors == [] and w.page.evaluate("window.__csp") == []
    assert w.page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert w.axe() == []
    w.page.close()


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_every_saved_query_form_fits_and_passes_axe(server, browser, catalogue, lang):
    """Every saved query's form (long labels in drop-downs included) at 320 px, in each language; axe-core on
    each form (in English; the other languages share the markup)."""
    w = Watched(browser)
    wide, violations = {}, {}
    for name in (n for n in catalogue if not n.startswith("qc/")):
        w.page.goto(f"{server.base}/queries/{name}?lang={lang}")
        width = w.page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            wide[name] = width
        assert w.page.evaluate("window.__csp") == [], name
        if lang == "en" and (found := w.axe()):
            violations[name] = found
    assert not wide and not violations, (wide, violations)
    assert w.errors == []
    w.page.close()
