"""The pages in English, French and Spanish: every marked page string has both translations (extracted with
Babel from the templates and the page-building Python), the language is negotiated from ``?lang=``, the cookie
and ``Accept-Language``, and a real ``gfmdkg serve`` renders a page of every type in each language, with concept
labels in that language and curated English text marked ``lang="en"``."""

from __future__ import annotations

import http.client
import re
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest

from gfmdkg.serve import i18n
from gfmdkg.serve.messages import CATALOGUE
from tests.serve_process import ServeProcess

ROOT = Path(__file__).resolve().parent.parent
GFMD = "https://w3id.org/gfmdkg/"
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def extracted() -> dict[str, str]:
    """Every message id marked in the templates and the page-building Python -> where it was found."""
    from babel.messages.extract import extract_from_dir

    found: dict[str, str] = {}
    sources = [(ROOT / "gfmdkg" / "serve" / "templates", [("**.html", "jinja2.ext:babel_extract")],
                {"**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}}),
               (ROOT / "gfmdkg", [("serve/*.py", "python"), ("gapmap.py", "python")], {})]
    for directory, methods, options in sources:
        for filename, line, message, _comments, _context in extract_from_dir(
                str(directory), methods, options_map=options, keywords=KEYWORDS):
            for msg in message if isinstance(message, tuple) else (message,):
                if msg:
                    found.setdefault(msg, f"{filename}:{line}")
    return found


def test_every_page_string_has_french_and_spanish():
    found = extracted()
    assert len(found) > 150  # the extraction reached the templates and the Python
    missing = [f"{where}: {msg!r}" for msg, where in found.items()
               if not all(CATALOGUE.get(msg, {}).get(lang) for lang in ("fr", "es"))]
    assert not missing, "untranslated page strings:\n" + "\n".join(missing)
    for msg, where in found.items():
        for lang in ("fr", "es"):
            assert set(PLACEHOLDER.findall(CATALOGUE[msg][lang])) == set(PLACEHOLDER.findall(msg)), (where, lang)


def test_no_translation_hides_inside_an_f_string():
    """Babel cannot see ``_()`` inside an f-string's braces, so such a string would escape the check above."""
    for path in [*(ROOT / "gfmdkg" / "serve").glob("*.py"), ROOT / "gfmdkg" / "gapmap.py"]:
        for n, line in enumerate(path.read_text().splitlines(), 1):
            assert not re.search(r"""\bf["'].*\{[^}]*\b(_|N_|gettext|ngettext)\(""", line), f"{path.name}:{n}"


def test_catalogue_holds_only_strings_the_pages_use():
    unused = set(CATALOGUE) - set(extracted())
    assert not unused, f"translations of strings no page marks: {sorted(unused)}"


def test_templates_have_no_unmarked_english_sentences():
    """Text between tags in the templates is a Jinja expression, not bare English (bare words would not be
    translated); a few technical names (Turtle, JSON-LD, N-Triples, CSV ...) are the same in every language."""
    allowed = {"Turtle", "JSON", "LD", "Triples", "SPARQL", "XML", "CSV", "TSV", "gfmdkg"}
    for template in (ROOT / "gfmdkg" / "serve" / "templates").glob("*.html"):
        text = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}", " ", template.read_text(), flags=re.S)
        text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", text, flags=re.S)
        for chunk in re.findall(r">([^<]+)<", text):
            words = set(re.findall(r"[^\W\d_]{2,}", chunk)) - allowed
            assert not words, f"{template.name}: unmarked text {chunk.strip()!r}"


@pytest.mark.parametrize(("chosen", "cookie", "accept", "expected"), [
    (None, None, None, "en"),
    (None, None, "fr-CH, fr;q=0.9, en;q=0.8", "fr"),
    (None, None, "de-DE, es;q=0.5, en;q=0.4", "es"),
    (None, None, "en;q=0.2, es;q=0.9", "es"),
    (None, None, "de, it", "en"),
    (None, None, "fr;q=0", "en"),
    (None, "lang=es", "fr", "es"),
    (None, "lang=xx", "fr", "fr"),
    (None, "broken=\"; lang", "es", "es"),
    ("fr", "lang=es", "es", "fr"),
    ("de", None, "es", "es"),
])
def test_negotiation(chosen, cookie, accept, expected):
    assert i18n.negotiate(chosen, cookie, accept) == expected


def test_lists_sort_as_people_read_them():
    names = ["France", "Égypte", "Chine", "États-Unis", "Éthiopie", "Ghana"]
    assert sorted(names, key=i18n.sort_key) == ["Chine", "Égypte", "États-Unis", "Éthiopie", "France", "Ghana"]


@pytest.mark.parametrize(("lang", "shown"), [("en", "1,234,567.5"), ("fr", "1\u202f234\u202f567,5"),
                                             ("es", "1\u00a0234\u00a0567,5")])
def test_numbers_are_written_in_the_page_language(lang, shown):
    from gfmdkg.serve.display import value

    i18n.use(lang)
    try:
        term = {"type": "literal", "value": "1234567.5", "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}
        assert value(term, {}).text == shown
    finally:
        i18n.use("en")


def test_lang_parameter_is_taken_out_of_the_query_string():
    assert i18n.split_query("q=ghana&lang=fr&page=2") == ("fr", "q=ghana&page=2")
    assert i18n.split_query("q=ghana") == (None, "q=ghana")


# ------------------------------------------------------------------------------------------------ real server
def fetch(server: ServeProcess, path: str, headers: dict | None = None) -> tuple[int, dict, str]:
    parts = urlsplit(server.base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request("GET", path, headers={"Accept": "text/html", **(headers or {})})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read().decode("utf-8")
    finally:
        conn.close()


def first(server: ServeProcess, sparql: str) -> str:
    import json

    path = "/sparql?" + urlencode({"query": sparql})
    parts = urlsplit(server.base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
    rows = json.loads(conn.getresponse().read())["results"]["bindings"]
    conn.close()
    return rows[0]["x"]["value"]


def local(iri: str) -> str:
    return "/" + quote(iri[len(GFMD):], safe="/-._~:")



@pytest.fixture(scope="module")
def page_paths(server) -> dict[str, str]:
    """A page of every type."""
    p = "PREFIX gfmd: <https://w3id.org/gfmdkg/def#> PREFIX org: <http://www.w3.org/ns/org#> " \
        "PREFIX bibo: <http://purl.org/ontology/bibo/> "
    return {
        "home": "/", "list": "/practices", "countries": "/countries",
        "practice": local(GFMD + "id/practice/mida-ghana-health"),
        "finding": local(first(server, p + "SELECT ?x WHERE { ?x a gfmd:Finding } ORDER BY ?x LIMIT 1")),
        "recommendation": local(GFMD + "id/recommendation/bp-diaspora-participation"),
        "organisation": local(first(server, p + "SELECT ?x WHERE { ?x a org:Organization } ORDER BY ?x LIMIT 1")),
        "country": local(GFMD + "id/country/GHA"),
        "cited work": local(first(server, p + "SELECT ?x WHERE { ?x a bibo:Document "
                                               "FILTER NOT EXISTS { ?x a bibo:Report } } ORDER BY ?x LIMIT 1")),
        "concept": local(GFMD + "vocab/outcome-domain/health"),
        "vocabularies": "/vocab", "queries": "/queries", "query": "/queries/practices-by-country",
        "sparql": "/sparql",
    }


HEADINGS = {"en": "Practices", "fr": "Pratiques", "es": "Prácticas"}


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_every_page_type_in_each_language(server, page_paths, lang):
    # long English sentences of the interface that must not appear untranslated on a French or Spanish page
    english = [m for m, t in CATALOGUE.items() if len(m) > 24 and "%(" not in m and t["fr"] != m]
    for kind, path in page_paths.items():
        sep = "&" if "?" in path else "?"
        status, headers, html = fetch(server, f"{path}{sep}lang={lang}")
        assert status == 200, (kind, html[:300])
        assert f'<html lang="{lang}">' in html, kind
        assert headers["content-language"] == lang, kind
        assert f'>{HEADINGS[lang]}</a>' in html, kind  # the navigation
        assert f"{COOKIE_NAME}={lang};" in headers.get("set-cookie", ""), kind
        switch = re.findall(r'<a href="([^"]+)" lang="(\w\w)" hreflang', html)
        assert [code for _href, code in switch] == ["en", "fr", "es"], kind
        assert all(href.startswith(path.split("?")[0] + "?") for href, _ in switch), kind  # the same page
        if lang != "en":
            leftovers = [m for m in english if m in html]
            assert not leftovers, (kind, leftovers)


COOKIE_NAME = i18n.COOKIE


def test_concept_labels_follow_the_page_language(server, page_paths):
    _, _, fr = fetch(server, page_paths["practice"] + "?lang=fr")
    _, _, es = fetch(server, page_paths["practice"] + "?lang=es")
    assert ">Ghana</a>" in fr  # a country the practice concerns (CLDR's name)
    assert "Santé" in fr and "Salud" in es or "Données" in fr  # a concept label in the page language
    _, _, country = fetch(server, page_paths["country"] + "?lang=es")
    assert "<h1>Ghana</h1>" in country or '<h1 lang="en">Ghana</h1>' not in country
    _, _, domain = fetch(server, page_paths["concept"] + "?lang=fr")
    assert "<h1>Santé</h1>" in domain
    _, _, listing = fetch(server, "/findings?lang=es")
    assert ">Salud</span>" in listing  # a facet value


def test_curated_english_is_marked_inside_other_languages(server, page_paths):
    _, _, fr = fetch(server, page_paths["practice"] + "?lang=fr")
    assert re.search(r'<h1 lang="en">', fr)  # the practice's title is curated English
    assert re.search(r'<p class="lead" lang="en">', fr)  # its description
    _, _, en = fetch(server, page_paths["practice"] + "?lang=en")
    assert '<h1 lang="en">' not in en and '<p class="lead" lang="en">' not in en


def test_language_from_cookie_and_accept_language(server):
    _, _, html = fetch(server, "/practices", {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert '<html lang="es">' in html
    _, headers, html = fetch(server, "/practices", {"Cookie": "lang=fr", "Accept-Language": "es"})
    assert '<html lang="fr">' in html and "set-cookie" not in headers
    assert "Accept-Language" in headers["vary"] and "Cookie" in headers["vary"]
    _, _, html = fetch(server, "/practices?lang=zz", {"Accept-Language": "fr"})
    assert '<html lang="fr">' in html


def test_french_country_list_in_french_order(server):
    _, _, html = fetch(server, "/countries?lang=fr")
    names = re.findall(r'<td><h3><a href="/id/country/[^"]+"[^>]*>([^<]+)</a>', html)
    assert "Allemagne" in names and names == sorted(names, key=i18n.sort_key)


def test_filters_keep_working_with_a_language(server):
    _, _, plain = fetch(server, "/practices?country=country:GHA")
    _, _, french = fetch(server, "/practices?country=country:GHA&lang=fr")
    count = re.search(r'<h2 id="results-h">(\d+)', plain)
    assert count and re.search(rf'<h2 id="results-h">{count.group(1)} pratique', french)
