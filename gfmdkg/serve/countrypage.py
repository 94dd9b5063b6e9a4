"""What a country's page adds: a map with the country marked and the countries its practices share, and tables
of its practices, findings and organisations (everything whose ``dcterms:spatial`` is the country)."""

from __future__ import annotations

from urllib.parse import urlencode

from gfmdkg.namespaces import PREFIXES
from gfmdkg.serve import listing, worldmap
from gfmdkg.serve.describe import INVERSE, Resource
from gfmdkg.serve.display import PROLOGUE, href, param, value
from gfmdkg.serve.i18n import N_, _, ngettext
from gfmdkg.serve.runner import QueryService
from gfmdkg.sparql.terms import uri

COUNTRY = PREFIXES["schema"] + "Country"
SPATIAL = PREFIXES["dcterms"] + "spatial"
#: codes are the plain skos:notation (alpha-3), not the typed alpha-2 and numeric ones
Q_SHARED = PROLOGUE + """SELECT ?country ?code (COUNT(DISTINCT ?practice) AS ?n) WHERE {
  ?practice a gfmd:Practice ; dcterms:spatial ?this, ?country .
  ?country a schema:Country .
  OPTIONAL { ?country skos:notation ?code FILTER(DATATYPE(?code) = <http://www.w3.org/2001/XMLSchema#string>) }
} GROUP BY ?country ?code"""
Q_CODE = PROLOGUE + """SELECT ?this ?code WHERE {
  ?this skos:notation ?code FILTER(DATATYPE(?code) = <http://www.w3.org/2001/XMLSchema#string>)
}"""
#: (name, class, the second column's pattern on ?item and ?other, its heading, the list page that filters them)
TABLES = (
    ("practices", "gfmd:Practice", "?item dcterms:spatial ?other . ?other a schema:Country . FILTER(?other != ?this)",
     N_("Other countries"), N_("Practices"), "practices"),
    ("findings", "gfmd:Finding", "?item gfmd:effectDirection ?other", N_("Effect direction"), N_("Findings"),
     "findings"),
    ("organisations", "org:Organization", "?item org:classification ?other", N_("Organisation type"),
     N_("Organisations"), "organisations"),
)
SHARED_MANY, SHARED_ONE = N_("%(country)s: %(n)s practices in common"), N_("%(country)s: 1 practice in common")
OWN = N_("%(country)s: %(counts)s")


def _table_query(cls: str, pattern: str) -> str:
    return (PROLOGUE + f"SELECT ?this ?item ?other WHERE {{\n  ?item a {cls} ; dcterms:spatial ?this .\n"
            f"  OPTIONAL {{ {pattern} }}\n}}")


def country(service: QueryService, res: Resource) -> dict | None:
    """The map and tables of a country's page; None when ``res`` is not a country."""
    if not any(t.href == COUNTRY for t in res.types):
        return None
    this = {"this": uri(res.iri)}
    results, labels = service.select([(Q_SHARED, this), (Q_CODE, this)]
                                     + [(_table_query(cls, pattern), this) for _n, cls, pattern, *_r in TABLES])
    shared, code, *tables = results
    numbers = worldmap.counts(shared)
    own_code = code[0]["code"]["value"] if code else res.iri.rsplit("/", 1)[-1]
    numbers.setdefault(res.iri, (own_code, 0))
    out = []
    for (name, _cls, _pattern, heading, title, page), rows in zip(TABLES, tables, strict=True):
        items: dict[str, dict] = {}
        for r in rows:
            entry = items.setdefault(r["item"]["value"], {"item": value(r["item"], labels), "others": {}})
            if "other" in r:
                entry["others"][r["other"]["value"]] = value(r["other"], labels)
        entries = sorted(items.values(), key=lambda e: e["item"].sort_key)
        for e in entries:
            e["others"] = sorted(e["others"].values(), key=lambda v: v.sort_key)
        out.append({"name": name, "title": title, "heading": heading, "rows": entries,
                    "more": f"/{page}?{urlencode({'country': param(res.iri)})}"})
    n = {t["name"]: len(t["rows"]) for t in out}
    spec = listing.LISTS
    drawn = worldmap.draw(numbers, labels, this=res.iri, label=SHARED_MANY, one=SHARED_ONE, link=href)
    own = _(OWN) % {"country": res.title, "counts": ", ".join(
        ngettext(spec[name].one, spec[name].many, n[name]) % {"num": n[name]} for name in n)}
    for item in drawn["shapes"] + drawn["rows"]:
        if item["iri"] == res.iri:
            item.update(label=own, href=out[0]["more"])
    drawn["rows"] = [r for r in drawn["rows"] if r["iri"] != res.iri]
    return {"map": drawn, "tables": out, "summary": own}


def without_listed(res: Resource) -> None:
    """Drop from the "linked from" groups the one the country's tables show."""
    res.incoming = [g for g in res.incoming if g["name"] != _(INVERSE[SPATIAL])]
