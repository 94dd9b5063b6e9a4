"""Every page type of ``gfmdkg serve`` in the real Chromium at a 320 px wide screen: nothing scrolls sideways
(WCAG 1.4.10 reflow), and axe-core (vendored in tests/vendor/axe-core, injected by the test, never served)
finds no violation. Chromium is Debian's (tests/browser_setup.sh); `playwright install` is never used."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest

from gfmdkg.serve.listing import LISTS
from tests.chromium import BROWSER_MARKS, chromium_page
from tests.serve_process import ServeProcess

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # axe-core 4.14.1
GFMD = "https://w3id.org/gfmdkg/"
WIDTH = 320
#: one resource page per kind: the one with the most statements about it (the likeliest to overflow)
KINDS = ["gfmd:Practice", "gfmd:Finding", "gfmd:Recommendation", "org:Organization", "schema:Country",
         "bibo:Report", "gfmd:KeyMessage", "skos:Concept", "skos:ConceptScheme"]
PREFIXES = ("PREFIX gfmd: <https://w3id.org/gfmdkg/def#> PREFIX org: <http://www.w3.org/ns/org#> "
            "PREFIX schema: <https://schema.org/> PREFIX bibo: <http://purl.org/ontology/bibo/> "
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> ")

pytestmark = BROWSER_MARKS



def richest(server: ServeProcess, kind: str) -> str:
    query = (PREFIXES + f"SELECT ?x (COUNT(*) AS ?n) WHERE {{ ?x a {kind} ; ?p ?o . "
             f'FILTER(STRSTARTS(STR(?x), "{GFMD}")) }} GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1')
    req = Request(server.base + "/sparql?" + urlencode({"query": query}),
                  headers={"Accept": "application/sparql-results+json"})
    with urlopen(req, timeout=60) as resp:
        rows = json.load(resp)["results"]["bindings"]
    assert rows, f"the graph has no {kind}"
    return "/" + rows[0]["x"]["value"].removeprefix(GFMD)


@pytest.fixture(scope="module")
def pages(server) -> list[str]:
    """A page of every type: home (with the gap map), the gap map (filtered too) and a cell, every list (filtered
    too), a resource of every kind,
    the ontology and vocabulary indexes, the saved queries (with a result), the SPARQL page (with a result) and
    an error page."""
    out = ["/", *(f"/{name}" for name in LISTS),
           "/findings?" + urlencode({"rec": "rec:bp-diaspora-participation", "domain": "od:education"}),
           "/practices?" + urlencode({"country": "country:GHA", "q": "health"}),
           *(richest(server, k) for k in KINDS), "/def", "/vocab/", "/queries", "/queries/evidence-gap-map",
           "/queries/evidence-gap-map?" + urlencode({"source": "doc:gfmd2014-rt32-background-paper"}),
           "/sparql", "/sparql?" + urlencode({"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20"}),
           "/gapmap", "/gapmap?" + urlencode({"region": "region:africa", "separate": "1", "source_only": "1"}),
           "/gapmap/cell?" + urlencode({"rec": "rec:bp-knowledge-of-remittance-models", "domain": "od:health"}),
           "/no-such-page"]
    return out


@pytest.fixture(scope="module")
def narrow_page(tmp_path_factory):
    with chromium_page(tmp_path_factory.mktemp("chromium-profile"), WIDTH, 640) as page:
        yield page


def test_axe_is_the_vendored_release():
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256
    assert (AXE.parent / "LICENSE").exists()


def in_language(path: str, lang: str) -> str:
    return path if lang == "en" else path + ("&" if "?" in path else "?") + "lang=" + lang


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_every_page_fits_320px(server, pages, narrow_page, lang):
    """document.documentElement.scrollWidth <= 320, in each language (French and Spanish run longer): wide
    content (tables, code) scrolls in its own box."""
    wide = {}
    for path in (in_language(p, lang) for p in pages):
        narrow_page.goto(server.base + path)
        width = narrow_page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            wide[path] = width
    assert not wide, f"pages wider than {WIDTH} px: {wide}"


def test_axe_finds_no_violation(server, pages, narrow_page):
    violations = {}
    for path in pages:
        for width in (WIDTH, 1280):
            narrow_page.set_viewport_size({"width": width, "height": 800})
            narrow_page.goto(server.base + path)
            narrow_page.add_script_tag(path=str(AXE))
            found = narrow_page.evaluate("async () => (await axe.run(document)).violations"
                                         ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))")
            if found:
                violations[f"{path} @ {width}px"] = found
    narrow_page.set_viewport_size({"width": WIDTH, "height": 640})
    assert not violations, json.dumps(violations, indent=1)[:4000]
