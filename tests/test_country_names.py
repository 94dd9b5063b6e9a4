"""`check` resolves country names as people write them (country_converter's name patterns): 42 common names, old
and new, short and official, none resolved to a wrong country, and no wrong "did you mean"."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from gfmdkg.contrib.pipeline import check
from gfmdkg.project import Project

COUNTRY = "https://w3id.org/gfmdkg/id/country/"
SPATIAL = "http://purl.org/dc/terms/spatial"
NAMES = {
    "Swaziland": "SWZ", "Eswatini": "SWZ", "Republic of Korea": "KOR", "South Korea": "KOR", "North Korea": "PRK",
    "DR Congo": "COD", "Democratic Republic of the Congo": "COD", "Republic of the Congo": "COG",
    "Côte d'Ivoire": "CIV", "Ivory Coast": "CIV", "UK": "GBR", "Great Britain": "GBR", "USA": "USA",
    "United States of America": "USA", "Viet Nam": "VNM", "Russia": "RUS", "Iran": "IRN", "Bolivia": "BOL",
    "Tanzania": "TZA", "Moldova": "MDA", "Lao PDR": "LAO", "Laos": "LAO", "Syria": "SYR", "Czechia": "CZE",
    "Czech Republic": "CZE", "Türkiye": "TUR", "Turkey": "TUR", "Cape Verde": "CPV", "Cabo Verde": "CPV",
    "Burma": "MMR", "Holland": "NLD", "The Netherlands": "NLD", "North Macedonia": "MKD", "Palestine": "PSE",
    "The Gambia": "GMB", "Niger": "NER", "Nigeria": "NGA", "Guinea": "GIN", "Guinea-Bissau": "GNB",
    "Dominica": "DMA", "Dominican Republic": "DOM", "Timor-Leste": "TLS",
}


def gfmdkg(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gfmdkg", "--project", str(project), *args], capture_output=True,
                          text=True, timeout=300)


def one_row(tmp_path: Path, countries: str) -> Path:
    f = tmp_path / "row.csv"
    f.write_text("title,summary,countries,source\nA practice somewhere,A summary long enough to be a summary for "
                 f"this test.,{countries},bp:p10\n", encoding="utf-8")
    return f


def test_42_common_country_names_resolve_to_the_right_country(project_copy, tmp_path):
    assert len(NAMES) == 42
    f = tmp_path / "names.csv"
    with f.open("w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(["id", "title", "summary", "countries", "source"])
        for n, name in enumerate(NAMES):
            w.writerow([f"country-name-{n}", f"Practice number {n} about a country name",
                        "A summary long enough to be a summary for this test.", name, "bp:p10"])
    result = check(Project(project_copy), [f], shapes=False)
    resolved = {}
    for unit, name in zip(result.units, NAMES, strict=True):
        places = [q.object.value for q in unit.quads if q.predicate.value == SPATIAL]
        resolved[name] = places[0][len(COUNTRY):] if len(places) == 1 else places
        assert not [p for p in unit.problems if p.field == "countries" and p.severity == "error"], name
    assert resolved == NAMES
    assert all(p.severity == "warning" for p in result.problems if p.field == "countries")  # only "new node"


def test_an_unknown_name_gets_no_wrong_country(project_copy, tmp_path):
    done = gfmdkg(project_copy, "check", str(one_row(tmp_path, "Atlantis; Swaziland")))
    assert done.returncode == 1
    assert "'Atlantis' is not a known country" in done.stdout
    assert "Switzerland" not in done.stdout and "Swaziland" not in done.stdout.split("'Atlantis'")[1].split("\n")[0]
    assert "Eswatini (country:SWZ) has no country node in the graph yet" in " ".join(done.stdout.split())


def test_every_country_check_accepts_can_be_added(project_copy, tmp_path):
    """A plain install adds what check accepts: the country nodes are built from the same tables."""
    done = gfmdkg(project_copy, "add", str(one_row(tmp_path, "Swaziland; Burma")))
    assert done.returncode == 0, done.stdout + done.stderr
    countries = (Path(project_copy) / "data" / "countries.ttl").read_text(encoding="utf-8")
    assert "country:SWZ a schema:Country" in countries and "country:MMR a schema:Country" in countries


def test_every_region_country_converter_can_give_has_french_and_spanish_names():
    """A contribution may name any country; its continent and UN region nodes need names in the three languages
    (the concept shape requires them), so every value country_converter can give must have one."""
    import country_converter as coco

    from gfmdkg.curation.countries import _region_names, slug
    data = coco.CountryConverter().data
    values = set(data["continent"].dropna()) | set(data["UNregion"].dropna())
    for value in values:
        names = _region_names(slug("Americas" if value == "America" else value))
        assert names.get("fr") and names.get("es"), value
