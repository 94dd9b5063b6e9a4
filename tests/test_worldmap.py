"""Sortable lists and their CSV download against a real ``gfmdkg serve`` (sorting orders the rows as the graph's
counts say, the CSV holds exactly the filtered list), and the world map's bundled geometry. What a person sees of
the maps is tested in the real Chromium: tests/test_browser_worldmap.py."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest

from gfmdkg.serve import i18n
from gfmdkg.serve.geo import build
from tests.serve_process import ServeProcess

GFMD = "https://w3id.org/gfmdkg/"
COUNTRY = GFMD + "id/country/"
PREFIXES = ("PREFIX gfmd: <https://w3id.org/gfmdkg/def#> PREFIX dcterms: <http://purl.org/dc/terms/> "
            "PREFIX schema: <https://schema.org/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "PREFIX org: <http://www.w3.org/ns/org#> ")
PER_COUNTRY = PREFIXES + """SELECT ?c (COUNT(DISTINCT ?p) AS ?n) WHERE {
  ?c a schema:Country . ?p a gfmd:Practice ; dcterms:spatial ?c } GROUP BY ?c"""
LANGS = ["en", "fr", "es"]



def sparql(server: ServeProcess, query: str) -> list[dict[str, str]]:
    req = Request(server.base + "/sparql?" + urlencode({"query": query}),
                  headers={"Accept": "application/sparql-results+json"})
    with urlopen(req, timeout=60) as resp:
        return [{k: v["value"] for k, v in r.items()} for r in json.load(resp)["results"]["bindings"]]


def get(server: ServeProcess, path: str) -> tuple[str, str]:
    with urlopen(Request(server.base + path, headers={"Accept": "text/html"}), timeout=60) as resp:
        return resp.headers.get("Content-Type", ""), resp.read().decode("utf-8")


def practices_per_country(server) -> dict[str, int]:
    return {r["c"]: int(r["n"]) for r in sparql(server, PER_COUNTRY)}


def labels(server, lang: str) -> dict[str, str]:
    rows = sparql(server, PREFIXES + f'SELECT ?c ?l WHERE {{ ?c a schema:Country ; skos:prefLabel ?l '
                                     f'FILTER(LANG(?l) = "{lang}") }}')
    return {r["c"]: r["l"] for r in rows}


# ------------------------------------------------------------------------------------------------ the bundle
def test_every_country_of_the_graph_has_a_shape(repo):
    """The bundled geometry covers every country node (ISO alpha-3 keys; Kosovo as the graph's XKX) and says
    where it comes from."""
    import re

    bundle = json.loads((repo / "gfmdkg" / "serve" / "geo" / "countries.json").read_text(encoding="utf-8"))
    codes = set(re.findall(r"^country:(\w+) a schema:Country", (repo / "data" / "countries.ttl").read_text(),
                           re.M))
    assert len(codes) >= 50 and not codes - set(bundle["countries"])
    assert "public domain" in bundle["source"]["licence"] and "Natural Earth" in bundle["source"]["name"]
    for shape in bundle["countries"].values():
        assert shape["d"].startswith("M") and shape["d"].endswith("z")


def test_build_decodes_topojson_arcs():
    """Delta-encoded, quantized arcs; a negative index is the arc reversed; the ring is closed once."""
    topo = {"transform": {"scale": [1, 1], "translate": [0, 0]},
            "arcs": [[[0, 0], [10, 0], [0, 10]], [[10, 10], [-10, 0]]]}
    arcs = build.decoded_arcs(topo)
    assert arcs == [[(0, 0), (10, 0), (10, 10)], [(10, 10), (0, 10)]]
    assert build.ring(arcs, [0, 1]) == [(0, 0), (10, 0), (10, 10), (0, 10)]
    assert build.ring(arcs, [~1]) == [(0, 10), (10, 10)]
    assert build.equal_earth(0, 0) == (0.0, 0.0)
    assert build.unwrapped([(179, 0), (-179, 1)]) == [(179, 0), (180.0, 1)]


# ------------------------------------------------------------------------------------------------ HTTP
def test_sorting_by_each_column(server):
    """``?sort=&order=`` orders the rows (the graph's counts, by SPARQL); aria-sort names the sorted column; an
    unknown column or order falls back to the name, ascending (no request text reaches the query)."""
    import re

    counts = practices_per_country(server)
    _, html = get(server, "/countries?" + urlencode({"sort": "practices", "order": "desc"}))
    rows = re.findall(r'<td><h3><a href="/id/country/(\w+)"[^>]*>.*?</td>\s*<td class="num">(\d+)</td>', html, re.S)
    shown = [(COUNTRY + code, int(n)) for code, n in rows]
    assert [n for _, n in shown] == sorted((n for _, n in shown), reverse=True)
    assert {c: n for c, n in shown if n} == counts
    assert re.search(r'<th scope="col" aria-sort="descending" class="num"><a [^>]*>Practices', html)
    _, html = get(server, "/countries?" + urlencode({"sort": "practices", "order": "asc"}))
    ascending = re.findall(r'<td class="num">(\d+)</td>\s*<td', html)
    assert [int(n) for n in ascending] == sorted(int(n) for n in ascending)

    for lang in LANGS:
        _, html = get(server, f"/practices?lang={lang}")
        names = [m for m in re.findall(r'<td><h3><a href="[^"]+"[^>]*>([^<]+)</a>', html)]
        assert names == sorted(names, key=i18n.sort_key) and len(names) > 10
        assert re.search(r'<th scope="col" aria-sort="ascending"><a href="/practices\?sort=label&amp;order=desc">',
                         html)
        _, html = get(server, f"/practices?sort=label&order=desc&lang={lang}")
        assert re.findall(r'<td><h3><a href="[^"]+"[^>]*>([^<]+)</a>', html) == names[::-1]
    for bad, expected in (({"sort": '?label) } DROP ALL #', "order": "desc"}, names[::-1]),
                          ({"sort": "label", "order": "DESC) ?x"}, names)):
        _, html = get(server, f"/practices?lang={lang}&" + urlencode(bad))
        assert re.findall(r'<td><h3><a href="[^"]+"[^>]*>([^<]+)</a>', html) == expected


def csv_rows(server, path: str) -> list[dict[str, str]]:
    with urlopen(Request(server.base + path), timeout=60) as resp:
        assert resp.headers["Content-Type"].startswith("text/csv")
        assert "attachment" in resp.headers["Content-Disposition"]
        return list(csv.DictReader(io.StringIO(resp.read().decode("utf-8"))))


def listed_iris(server, path: str) -> list[str]:
    """Every row of a list page, following its pages."""
    import re

    iris, page = [], 1
    while True:
        _, html = get(server, path + ("&" if "?" in path else "?") + f"page={page}")
        found = re.findall(r'<td><h3><a href="/([^"]+)"', html)
        iris += [GFMD + i for i in found]
        if f'page={page + 1}"' not in html.replace("&amp;", "&"):
            return iris
        page += 1


@pytest.mark.parametrize("query", [
    {"country": "country:GHA"},
    {"country": "country:SLV", "q": "diaspora", "sort": "countries", "order": "desc"},
    {"rec": "rec:bp-diaspora-participation", "sort": "start"},
    {},
])
def test_csv_is_exactly_the_filtered_list(server, query):
    """The "Download CSV" link of a list page gives its rows, all of them, in its order: the organisations list has
    more than one page of rows."""
    path = "/practices" + ("?" + urlencode(query) if query else "")
    _, html = get(server, path)
    link = html.split('<p class="download"><a href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    rows = csv_rows(server, link)
    assert [r["iri"] for r in rows] == listed_iris(server, path)
    assert rows and all(r["label"] for r in rows)
    if "country" in query:
        expected = sparql(server, PREFIXES + f"SELECT ?p WHERE {{ ?p a gfmd:Practice ; dcterms:spatial "
                                             f"<{COUNTRY}{query['country'][8:]}> }}")
        assert {r["iri"] for r in rows} <= {r["p"] for r in expected}
        if "q" not in query:
            assert {r["iri"] for r in rows} == {r["p"] for r in expected}


def test_csv_of_a_list_longer_than_a_page(server):
    organisations = {r["o"] for r in sparql(server, PREFIXES + "SELECT ?o WHERE { ?o a org:Organization }")}
    assert len(organisations) > 100
    rows = csv_rows(server, "/organisations?format=csv&sort=practices&order=desc")
    assert [r["iri"] for r in rows] == listed_iris(server, "/organisations?sort=practices&order=desc")
    assert {r["iri"] for r in rows} == organisations
    practices = [int(r["practices"]) for r in rows]
    assert practices == sorted(practices, reverse=True) and practices[0] > 0


def test_csv_cells_are_neutralised():
    """A label or description a spreadsheet would run as a formula is written with a leading quote."""
    from gfmdkg.serve.listcsv import to_csv
    from gfmdkg.serve.listing import LISTS

    listed = {"spec": LISTS["organisations"], "rows": [
        {"iri": GFMD + "id/organisation/x", "label": '=HYPERLINK("http://127.0.0.1:9/","x")', "lang": "en",
         "cells": ["-3"], "description": "@SUM(1+1)", "review": None}]}
    [row] = list(csv.DictReader(io.StringIO(to_csv(listed))))
    assert row["label"].startswith("'=") and row["description"] == "'@SUM(1+1)" and row["practices"] == "-3"


def test_csv_names_are_in_the_page_language(server):
    french = {r["c"]: r["l"] for r in sparql(server, PREFIXES + 'SELECT ?c ?l WHERE { ?c a schema:Country ; '
                                                                'skos:prefLabel ?l FILTER(LANG(?l) = "fr") }')}
    rows = csv_rows(server, "/countries?format=csv&lang=fr")
    assert {r["iri"]: r["label"] for r in rows} == french and {r["label_lang"] for r in rows} == {"fr"}
    assert [r["label"] for r in rows] == sorted((r["label"] for r in rows), key=i18n.sort_key)


pytestmark = pytest.mark.server
