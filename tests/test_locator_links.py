"""Locators link to the published document: on the pages of practices, findings, recommendations and locators, and
as ``foaf:page`` in a locator's RDF description, ``#page=N`` into a PDF (N = the locator's page, which is the PDF's
page as the text copies mark it); where a document's address is not known the pages say so, and nothing is
invented."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from gfmdkg.cli import cli
from gfmdkg.project import Project
from gfmdkg.store.loading import load_into
from tests.chromium import BROWSER_MARKS, chromium_page
from tests.serve_process import ServeProcess
from tests.shared import need
from tests.test_browser_layout import AXE, WIDTH

BASE = "https://w3id.org/gfmdkg/"
BP = BASE + "id/document/gfmd2014-rt32-background-paper"
RR = BASE + "id/document/gfmd2014-rt3-rapporteur-report"
PRACTICE = "/id/practice/mida-ghana-health"
REC_RR = "/id/recommendation/rr-diaspora-participation"
PDF_URL = "https://example.org/gfmd/bp-rt32.pdf"
HTML_URL = "https://example.org/gfmd/rapporteur-report"
NOT_KNOWN = "published address not known"
pytestmark = pytest.mark.server


def page(server: ServeProcess, path: str, accept: str = "text/html") -> str:
    req = urllib.request.Request(server.base + path, headers={"Accept": accept})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.read().decode("utf-8")


def source_links(html: str) -> list[tuple[str, str | None]]:
    """(locator page, its published link or None) for every locator in the page's "Source:" lines."""
    out = []
    for line in re.findall(r'<span class="loc">(.*?)</span>', html):
        for part in line.split("; "):
            loc = re.search(r'<a href="(/id/document/[^"]+)"', part)
            pub = re.search(r'<a href="(https?://[^"]+)" rel="nofollow noopener" class="ext">', part)
            if loc:
                out.append((loc.group(1), pub.group(1) if pub else None))
    return out


def pages_of(project_root: Path) -> dict[str, str]:
    """Local path of every locator -> its bibo:pageStart, read from the files."""
    store = ox.Store()
    load_into(store, Project(project_root))
    q = """SELECT ?loc ?page WHERE { ?loc a <http://purl.org/ontology/bibo/DocumentPart> ;
                                          <http://purl.org/ontology/bibo/pageStart> ?page }"""
    return {r["loc"].value.removeprefix(BASE[:-1]): r["page"].value
            for r in store.query(q, use_default_graph_as_union=True)}


@pytest.fixture(scope="module")
def shipped(repo):
    with ServeProcess(cwd=repo) as server:
        yield server


@pytest.fixture(scope="module")
def published(tmp_path_factory, repo):
    """A copy of the project in which the background paper has a PDF address and the rapporteur report a web page."""
    import shutil
    root = tmp_path_factory.mktemp("published") / "project"
    for part in ("ontology", "data", "queries"):
        shutil.copytree(repo / part, root / part)
    (root / "data" / "published.ttl").write_text(f"""@prefix schema: <https://schema.org/> .
<{BP}> schema:url <{PDF_URL}> ; schema:encodingFormat "application/pdf" .
<{RR}> schema:url <{HTML_URL}> .
""", encoding="utf-8")
    with ServeProcess(cwd=root) as server:
        yield server, root


def test_shipped_graph_invents_no_address(shipped, repo):
    html = page(shipped, PRACTICE)
    links = source_links(html)
    assert links and all(pub is None for _, pub in links)
    assert NOT_KNOWN in html
    assert "web address is not known" in page(shipped, "/id/document/gfmd2014-rt32-background-paper/p9")
    turtle = page(shipped, "/id/document/gfmd2014-rt32-background-paper/p9", "text/turtle")
    assert "foaf:page" not in turtle and "schema:url" not in turtle
    assert "adresse de publication inconnue" in page(shipped, PRACTICE + "?lang=fr")
    assert "dirección de publicación desconocida" in page(shipped, PRACTICE + "?lang=es")


def test_locators_link_to_their_pdf_page(published):
    server, root = published
    pages = pages_of(root)
    seen = 0
    for path in (PRACTICE, REC_RR, "/id/recommendation/bp-diaspora-participation",
                 "/id/finding/remittance-flows-developing-countries"):
        html = page(server, path)
        for loc, pub in source_links(html):
            if loc.startswith("/id/document/gfmd2014-rt32-background-paper/"):
                assert pub == f"{PDF_URL}#page={pages[loc]}", (path, loc)
                seen += 1
            else:  # the rapporteur report is a web page: its address, no page fragment
                assert pub == HTML_URL, (path, loc)
        assert NOT_KNOWN not in html
    assert seen >= 5
    assert f'href="{PDF_URL}#page=9"' in page(server, "/id/document/gfmd2014-rt32-background-paper/p9")


def test_locator_description_carries_the_link_as_data(published):
    server, _ = published
    body = page(server, "/id/document/gfmd2014-rt32-background-paper/fn3", "application/n-triples")
    triples = {(t.subject.value, t.predicate.value, t.object.value)
               for t in ox.parse(body.encode(), format=ox.RdfFormat.N_TRIPLES)}
    fn3 = BP + "/fn3"
    assert (fn3, "http://xmlns.com/foaf/0.1/page", f"{PDF_URL}#page=3") in triples
    assert not any(p == "http://xmlns.com/foaf/0.1/page" for s, p, _ in triples if s != fn3)
    jsonld = page(server, "/id/document/gfmd2014-rt3-rapporteur-report/p2", "application/ld+json")
    assert f'"{HTML_URL}"' in jsonld
    # a practice's own description is unchanged: its foaf:page are its own web links
    practice = page(server, PRACTICE, "application/n-triples")
    assert PDF_URL not in practice


def test_address_must_be_one_http_iri(project_copy):
    (project_copy / "data" / "published.ttl").write_text(f"""@prefix schema: <https://schema.org/> .
<{BP}> schema:url "www.gfmd.org/bp.pdf" .
""", encoding="utf-8")
    res = CliRunner().invoke(cli, ["--project", str(project_copy), "validate"])
    assert res.exit_code == 1
    assert "published address of a GFMD document (schema:url" in res.output


def test_page_numbers_are_the_pdf_pages(repo):
    """The locators' pages are the PDF's pages: the text copies mark each PDF page once (no separate printed
    numbering), and every page a locator names exists in its document."""
    pages = pages_of(repo)
    for doc, text in (("gfmd2014-rt32-background-paper", "gfmd2014-rt3.2-background-paper.txt"),
                      ("gfmd2014-rt3-rapporteur-report", "gfmd2014-rt3-rapporteur-report.txt")):
        markers = [int(n) for n in re.findall(r"^=== page (\d+) ===$",
                                              need("sources", text).read_text(encoding="utf-8"), re.M)]
        assert markers == list(range(1, len(markers) + 1))
        named = {int(p) for loc, p in pages.items() if loc.startswith(f"/id/document/{doc}/")}
        assert named and max(named) <= len(markers), doc


def test_links_in_the_browser(published, tmp_path):
    """In Chromium, in three languages: the published-document links are there, axe finds no violation and the
    pages fit 320 px."""
    server, _ = published
    with chromium_page(tmp_path / "profile", WIDTH, 800) as browser:
        _check_pages(server, browser)


for _mark in BROWSER_MARKS:  # browser, server, and a skip with its reason when Chromium is absent
    test_links_in_the_browser = _mark(test_links_in_the_browser)


def _check_pages(server: ServeProcess, browser) -> None:
    problems = {}
    for path in (PRACTICE, REC_RR, "/id/document/gfmd2014-rt32-background-paper/p9"):
        for lang in ("en", "fr", "es"):
            browser.set_viewport_size({"width": WIDTH, "height": 800})
            browser.goto(f"{server.base}{path}?lang={lang}")
            hrefs = browser.eval_on_selector_all("a.ext", "links => links.map(a => a.href)")
            assert any(h.startswith(PDF_URL + "#page=") for h in hrefs), (path, lang)
            if browser.evaluate("document.documentElement.scrollWidth") > WIDTH:
                problems[f"{path} {lang}"] = "wider than 320 px"
            browser.add_script_tag(path=str(AXE))
            found = browser.evaluate("async () => (await axe.run(document)).violations.map(v => v.id)")
            if found:
                problems[f"{path} {lang} axe"] = found
    assert not problems, problems
