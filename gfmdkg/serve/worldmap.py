"""The world map of practices per country: inline SVG drawn server-side from the bundled Natural Earth geometry
(``geo/countries.json``, built by :mod:`gfmdkg.serve.geo.build`; no tile server, no script, no network).

Each country is shaded by the number of practices whose ``dcterms:spatial`` is that country (the count the
``/practices?country=`` filter shows); each country with practices is a link named "Country: N practices", and the
same numbers are given in a table beside the map, so colour is never the only cue. Country names are the graph's
labels in the page's language.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from gfmdkg.serve.display import PROLOGUE, href, param, shorten
from gfmdkg.serve.i18n import N_, Labels, _, sort_key
from gfmdkg.serve.runner import QueryService

GEOMETRY = Path(__file__).resolve().parent / "geo" / "countries.json"
#: lower bounds of the shading levels 1..5 (a count of practices); 0 is "none"
LEVELS = (1, 2, 3, 5, 9)
SOURCE = N_("Map drawn from Natural Earth (public domain): countries at 1:110m, small states at 1:50m.")
MARKER = 8.0  # countries smaller than this (view-box units) get a dot, so that they can be seen and clicked

#: per country its alpha-3 code (the plain notation: alpha-2 and numeric are typed) and its practices
Q_PER_COUNTRY = PROLOGUE + """SELECT ?country ?code (COUNT(DISTINCT ?practice) AS ?n) WHERE {
  ?country a schema:Country .
  OPTIONAL { ?country skos:notation ?code FILTER(DATATYPE(?code) = <http://www.w3.org/2001/XMLSchema#string>) }
  OPTIONAL { ?practice a gfmd:Practice ; dcterms:spatial ?country }
} GROUP BY ?country ?code"""


@lru_cache(maxsize=1)
def geometry() -> dict:
    """The bundled geometry: view box, source note, and each country's path, centre and size by alpha-3 code."""
    return json.loads(GEOMETRY.read_text(encoding="utf-8"))


def level(n: int) -> int:
    """The shading level of a count: 0 for none, else 1..5."""
    return sum(1 for bound in LEVELS if n >= bound)


def legend() -> list[dict]:
    """The levels as ranges of counts: 1, 2, 3-4, 5-8, 9 or more."""
    out = []
    for i, low in enumerate(LEVELS):
        high = LEVELS[i + 1] - 1 if i + 1 < len(LEVELS) else None
        text = (str(low) if high == low else f"{low}–{high}" if high else _("%(n)s or more") % {"n": low})
        out.append({"level": i + 1, "text": text})
    return out


def code_of(row: dict) -> str:
    """A country's alpha-3 code: its skos:notation, else the last segment of its IRI."""
    return row["code"]["value"] if "code" in row else row["country"]["value"].rsplit("/", 1)[-1]


def counts(rows: list[dict]) -> dict[str, tuple[str, int]]:
    """IRI -> (alpha-3 code, practices) from the rows of :data:`Q_PER_COUNTRY`."""
    return {r["country"]["value"]: (code_of(r), int(r["n"]["value"])) for r in rows}


def draw(numbers: dict[str, tuple[str, int]], labels: Labels, *, this: str | None = None,
         label: str = N_("%(country)s: %(n)s practices"), one: str = N_("%(country)s: 1 practice"),
         link=None) -> dict:
    """The map for the template: countries with a number are links (``link(iri)``, default the practices list
    filtered by the country), shaded by level; ``this`` (a country page) is marked. Also the table's rows and the
    countries that have a number but no shape."""
    geo = geometry()["countries"]
    link = link or (lambda iri: "/practices?" + urlencode({"country": param(iri)}))
    shapes, rows, unmapped, drawn = [], [], [], set()
    for iri, (code, n) in numbers.items():
        name = labels.get(iri) or shorten(iri)
        if not n and iri != this:
            continue
        text = (_(one) if n == 1 else _(label)) % {"country": name, "n": n}
        row = {"iri": iri, "name": name, "lang": labels.lang_of(iri), "n": n, "href": link(iri),
               "page": href(iri), "label": text}
        rows.append(row)
        shape = geo.get(code)
        if shape is None:
            unmapped.append(row)
            continue
        drawn.add(code)
        small = shape["size"] < MARKER
        shapes.append({**row, "d": shape["d"], "level": level(n), "this": iri == this,
                       "marker": shape["c"] if small else None})
    rows.sort(key=lambda r: (-r["n"], sort_key(r["name"])))
    shapes.sort(key=lambda s: (s["this"], s["marker"] is not None))  # this country and the dots on top
    box = geometry()["viewBox"]
    return {"viewbox": " ".join(map(str, box)), "land": "".join(s["d"] for c, s in geo.items() if c not in drawn),
            "shapes": shapes, "rows": rows, "unmapped": unmapped, "legend": legend(),
            "source": SOURCE}


def world_map(service: QueryService) -> dict | None:
    """The map of practices per country (home page and country list); None when no country has a practice."""
    results, labels = service.select([(Q_PER_COUNTRY, {})])
    drawn = draw(counts(results[0]), labels)
    return drawn if drawn["rows"] else None
