"""`gfmdkg gapmap`: every output format carries the cells computed independently from the curated files
(tests/truth.py), the HTML page is self-contained and accessible, the map follows data as they are added, and the
remote map equals the local one."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from gfmdkg.cli import cli
from gfmdkg.gapmap import Cell, from_result, to_table
from gfmdkg.sparql.catalogue import expand
from rdflib import URIRef
from rdflib.namespace import DCTERMS, SKOS

from tests.truth import BP_DOC, GFMD, Truth, load

COUNTS = ("practices", "positive", "negative", "mixed", "noEffect", "descriptive")


@pytest.fixture(scope="module")
def truth(repo) -> Truth:
    return Truth(load(repo))


def gapmap(project_root, *args: str) -> str:
    res = CliRunner().invoke(cli, ["--project", str(project_root), "gapmap", *args])
    assert res.exit_code == 0, (res.output, res.exception)
    return res.output


def expected_cell(cells, rec, dom) -> dict:
    got = cells.get((rec, dom), {})
    return {k: got.get(k, 0) for k in COUNTS}


def test_json_cells_equal_the_curated_data(project, truth):
    doc = json.loads(gapmap(project.root, "-f", "json", "--separate"))
    assert {c["iri"] for c in doc["columns"]} == {str(d) for d in truth.domains}
    assert {r["iri"] for r in doc["rows"]} == {str(r) for r in truth.recommendations}
    gaps, cells = 0, truth.gap_cells()
    for row in doc["rows"]:
        for dom, cell in row["cells"].items():
            want = expected_cell(cells, URIRef(row["iri"]), URIRef(dom))
            assert {k: cell[k] for k in COUNTS} == want, (row["iri"], dom)
            effect = want["practices"] + want["positive"] + want["negative"] + want["mixed"] + want["noEffect"]
            assert cell["gap"] is (effect == 0)
            gaps += cell["gap"]
            items = truth.gap_items(URIRef(row["iri"])).get(URIRef(dom), set())
            assert {(i["iri"], i["count"]) for i in cell["items"]} == {(str(i), k) for i, k in items}
    assert doc["gaps"] == gaps


def test_restatements_merged_by_default(project, truth):
    """By default a background-paper measure and the report's restatements of it (gfmd:restates) are one row whose
    cells hold the union of their items, each once; --separate gives every recommendation its own row."""
    merged = json.loads(gapmap(project.root, "-f", "json"))
    separate = json.loads(gapmap(project.root, "-f", "json", "--separate"))
    restating = {s for s, _ in truth.g.subject_objects(GFMD.restates)}
    assert merged["merged"] is True and separate["merged"] is False and restating
    alone = [r["iri"] for r in separate["rows"] if URIRef(r["iri"]) not in restating]
    assert [r["iri"] for r in merged["rows"]] == alone
    assert len(merged["rows"]) == len(separate["rows"]) - len(restating)
    for row in merged["rows"]:
        rec = URIRef(row["iri"])
        members = {rec} | truth.s(GFMD.restates, rec)
        assert set(row["members"]) == {str(m) for m in members}
        for dom, cell in row["cells"].items():
            union = set().union(*(truth.gap_items(m).get(URIRef(dom), set()) for m in members))
            assert {(i["iri"], i["count"]) for i in cell["items"]} == {(str(i), k) for i, k in union}
            assert cell["practices"] == sum(k == "practices" for _, k in union)
    assert merged["gaps"] < separate["gaps"]
    assert "merged:" in gapmap(project.root) and "merged:" not in gapmap(project.root, "--separate")


def test_filters_keep_only_items_with_the_value(project, truth):
    """--region keeps items in the region (their countries' regions and wider ones count), --channel and --group
    items with that value; rows and columns stay as they are."""
    full = json.loads(gapmap(project.root, "-f", "json"))
    for option, value, values_of in (
            ("--region", "region:africa", truth.regions),
            ("--channel", "ch:social-remittances", lambda n: truth.o(n, GFMD.channel)),
            ("--group", "pg:women", lambda n: truth.o(n, GFMD.populationGroup))):
        iri = URIRef(expand(value))
        doc = json.loads(gapmap(project.root, "-f", "json", option, value))
        assert [c["iri"] for c in doc["columns"]] == [c["iri"] for c in full["columns"]]
        assert [r["iri"] for r in doc["rows"]] == [r["iri"] for r in full["rows"]]
        kept = 0
        for row, full_row in zip(doc["rows"], full["rows"], strict=True):
            for dom, cell in row["cells"].items():
                want = {(i["iri"], i["count"]) for i in full_row["cells"][dom]["items"]
                        if iri in values_of(URIRef(i["iri"]))}
                assert {(i["iri"], i["count"]) for i in cell["items"]} == want, (option, row["iri"], dom)
                kept += len(want)
        assert 0 < kept < sum(len(c["items"]) for r in full["rows"] for c in r["cells"].values()), option
    res = subprocess.run([sys.executable, "-m", "gfmdkg", "--project", str(project.root), "gapmap", "--region",
                          "region:atlantic"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "region 'region:atlantic' is not a region" in res.stderr, res.stderr
    assert "did you mean region:" in res.stderr and "Traceback" not in res.stderr


def test_source_document_keeps_its_recommendations(project, truth):
    doc = json.loads(gapmap(project.root, "-f", "json", "--recommendations", "rr"))
    rr = {str(r) for r in truth.recommendations if str(r).rsplit("/", 1)[-1].startswith("rr-")}
    assert {r["iri"] for r in doc["rows"]} == rr  # restatements stand alone when their measure is not shown


def test_source_only_map(project, truth):
    """--source-only counts only what the sources state; it says so on the map, and it has more gaps."""
    doc = json.loads(gapmap(project.root, "-f", "json", "--source-only", "--separate"))
    assert doc["sourceOnly"] is True
    cells = truth.gap_cells(source_only=True)
    for row in doc["rows"]:
        for dom, cell in row["cells"].items():
            assert {k: cell[k] for k in COUNTS} == expected_cell(cells, URIRef(row["iri"]), URIRef(dom)), row["iri"]
            items = truth.gap_items(URIRef(row["iri"]), source_only=True).get(URIRef(dom), set())
            assert {(i["iri"], i["count"]) for i in cell["items"]} == {(str(i), k) for i, k in items}
    assert doc["gaps"] > json.loads(gapmap(project.root, "-f", "json"))["gaps"]
    assert "source-only" in gapmap(project.root, "--source-only")


def test_background_paper_rows_only(project, truth):
    doc = json.loads(gapmap(project.root, "-f", "json", "--recommendations", "bp"))
    expected = truth.s(DCTERMS.source, BP_DOC) & truth.recommendations
    by_number = sorted(expected, key=lambda rec: int(truth.g.value(rec, GFMD.recommendationNumber)))
    assert [r["iri"] for r in doc["rows"]] == [str(rec) for rec in by_number]


def test_table_csv_md_agree_with_json(project):
    doc = json.loads(gapmap(project.root, "-f", "json"))
    table = gapmap(project.root, "--wide")  # one line per recommendation, named by its whole label
    assert f"{len(doc['rows'])} recommendations x {len(doc['columns'])} outcome domains, {doc['gaps']} gaps" in table
    for row in doc["rows"]:
        line = next(ln for ln in table.splitlines() if ln.startswith(f"| {row['label']} "))
        cells = [c.strip() for c in line.strip("|").split("|")[1:]]
        assert cells == [Cell(**{k: row["cells"][c["iri"]][k] for k in COUNTS}).short() for c in doc["columns"]]
    lines = list(csv.DictReader(io.StringIO(gapmap(project.root, "-f", "csv"))))
    assert len(lines) == len(doc["rows"]) * len(doc["columns"])
    by_row = {r["iri"]: r for r in doc["rows"]}
    for ln in lines:
        cell = by_row[ln["recommendation"]]["cells"][ln["domain"]]
        assert {k: int(ln[k]) for k in COUNTS} == {k: cell[k] for k in COUNTS}
        assert ln["gap"] == str(cell["gap"]).lower()
    md = gapmap(project.root, "-f", "md")
    assert md.count("**gap**") == doc["gaps"]
    assert len([ln for ln in md.splitlines() if ln.startswith("| ") and "`" in ln]) == len(doc["rows"])


def test_cell_texts():
    assert Cell().short() == "gap" and Cell().gap
    assert Cell(practices=3, positive=2, negative=1, mixed=1).short() == "P3 +2 -1 ~1"
    assert Cell(descriptive=4).gap and Cell(descriptive=4).short() == "gap"
    assert not Cell(noEffect=1).gap and Cell(noEffect=1).short() == "o1"
    assert Cell(practices=1, negative=2).spoken() == "1 supporting practice, 2 negative findings"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_self_contained_and_accessible(project, tmp_path):
    out = tmp_path / "gapmap.html"
    gapmap(project.root, "-f", "html", "-o", str(out), "--base", "")
    page = _Page()
    page.feed(out.read_text(encoding="utf-8"))
    doc = json.loads(gapmap(project.root, "-f", "json"))
    tags = [t for t, _ in page.tags]
    assert ("html", {"lang": "en"}) in page.tags and "caption" in tags and "title" in tags
    assert not {"script", "img", "link", "iframe", "object"} & set(tags)
    assert not any(k in ("src", "href") for _, a in page.tags for k in a)
    assert sum(1 for t, a in page.tags if t == "th" and a.get("scope") == "col") == len(doc["columns"]) + 1
    assert sum(1 for t, a in page.tags if t == "th" and a.get("scope") == "row") == len(doc["rows"])
    cells = [a for t, a in page.tags if t == "td"]
    assert len(cells) == len(doc["rows"]) * len(doc["columns"])
    assert sum(1 for a in cells if a.get("class") == "gap") == doc["gaps"]
    text = "".join(page.text)
    assert text.count("gap: no supporting practice and no evidence") == doc["gaps"]  # the screen-reader text
    assert all(a.get("title") for a in cells)
    for col in doc["columns"]:
        assert col["label"] in text


def test_html_links_by_default_to_the_local_server(project, tmp_path):
    """Without --base the page links to a `gfmdkg serve` on its default address: every non-gap cell to its cell page,
    every row and column to its page; a --base that is no http(s) address is a usage error."""
    out = tmp_path / "gapmap.html"
    gapmap(project.root, "-f", "html", "-o", str(out))
    page = _Page()
    page.feed(out.read_text(encoding="utf-8"))
    doc = json.loads(gapmap(project.root, "-f", "json"))
    links = [a["href"] for t, a in page.tags if t == "a"]
    assert all(u.startswith("http://127.0.0.1:8000/") for u in links)
    cells = [u for u in links if "/gapmap/cell?" in u]
    assert len(cells) == len(doc["rows"]) * len(doc["columns"]) - doc["gaps"]
    assert len(links) == len(cells) + len(doc["rows"]) + len(doc["columns"])
    res = CliRunner().invoke(cli, ["--project", str(project.root), "gapmap", "-f", "html", "--base", "file:///etc/"])
    assert "is not the address of a server" in str(res.exception)


def test_html_in_french_and_spanish(project, tmp_path):
    for lang, domain, words in (("fr", "Santé", "lacunes"), ("es", "Salud", "brechas")):
        out = tmp_path / f"gapmap-{lang}.html"
        gapmap(project.root, "-f", "html", "--lang", lang, "-o", str(out))
        page = _Page()
        page.feed(out.read_text(encoding="utf-8"))
        assert ("html", {"lang": lang}) in page.tags
        text = "".join(page.text)
        assert domain in text and words in text and "Evidence gap map" not in text
        assert all(a.get("lang") == "en" for t, a in page.tags if t == "span" and a.get("class") == "label")


def test_html_escapes_labels():
    from gfmdkg.gapmap import Axis, GapMap, to_html
    gm = GapMap([Axis("https://e/r", "<script>alert(1)</script> & co")], [Axis("https://e/d", 'Health "x"')])
    page = to_html(gm)
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_png(project, tmp_path):
    pytest.importorskip("PIL")
    out = tmp_path / "gapmap.png"
    gapmap(project.root, "-f", "png", "-o", str(out))
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image
    with Image.open(out) as img:
        doc = json.loads(gapmap(project.root, "-f", "json"))
        assert img.width > 200 and img.height > 26 * len(doc["rows"])


def test_png_without_pillow_is_a_clear_error(project, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)
    out = tmp_path / "x.png"
    res = CliRunner().invoke(cli, ["--project", str(project.root), "gapmap", "-f", "png", "-o", str(out)])
    assert "--format png needs Pillow" in str(res.exception) and "--format html" in str(res.exception)
    assert not (tmp_path / "x.png").exists()
    res = CliRunner().invoke(cli, ["--project", str(project.root), "gapmap", "-f", "png"])
    assert "add -o gapmap.png" in str(res.exception)


PRACTICE = """@prefix gfmd: <https://w3id.org/gfmdkg/def#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix practice: <https://w3id.org/gfmdkg/id/practice/> . @prefix rec: <https://w3id.org/gfmdkg/id/recommendation/> .
@prefix tag: <https://w3id.org/gfmdkg/vocab/tag/> . @prefix finding: <https://w3id.org/gfmdkg/id/finding/> .
@prefix od: <https://w3id.org/gfmdkg/vocab/outcome-domain/> .
@prefix dir: <https://w3id.org/gfmdkg/vocab/effect-direction/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
practice:zz-new a gfmd:Practice ; dcterms:title "New"@en ; gfmd:tag tag:migration-and-education ;
    gfmd:supports rec:bp-portable-benefits-temporary-return , rec:bp-diaspora-participation .
finding:zz-new a gfmd:Finding ; rdfs:label "New"@en ; gfmd:effectDirection dir:negative ;
    gfmd:outcomeDomain od:gender-equality ; gfmd:isEvidenceFor rec:bp-portable-benefits-temporary-return .
"""


def test_map_follows_added_data(project, project_copy):
    """A new practice and finding move exactly the cells the documented rule says."""
    before = json.loads(gapmap(project.root, "-f", "json"))
    (project_copy / "data" / "zz-new.ttl").write_text(PRACTICE, encoding="utf-8")
    after = json.loads(gapmap(project_copy, "-f", "json"))
    od = "https://w3id.org/gfmdkg/vocab/outcome-domain/"
    rec = "https://w3id.org/gfmdkg/id/recommendation/"
    changed = {}
    for r0, r1 in zip(before["rows"], after["rows"], strict=True):
        for dom in r0["cells"]:
            c0, c1 = r0["cells"][dom], r1["cells"][dom]
            diff = {k: c1[k] - c0[k] for k in COUNTS if c1[k] != c0[k]}
            if diff:
                changed[(r0["iri"], dom)] = diff
    # portable benefits has only the human-resources domain: the education tag is not among them, so the practice
    # counts in the recommendation's domain; diaspora participation has education: narrowed to it
    assert changed == {
        (rec + "bp-portable-benefits-temporary-return", od + "human-resources-and-skills"): {"practices": 1},
        (rec + "bp-diaspora-participation", od + "education"): {"practices": 1},
        (rec + "bp-portable-benefits-temporary-return", od + "gender-equality"): {"negative": 1},
    }


@pytest.mark.server
def test_remote_gapmap_equals_local(project, tmp_path):
    from tests.servers import oxigraph_server
    nq = tmp_path / "g.nq"
    assert CliRunner().invoke(cli, ["--project", str(project.root), "export", "-f", "nq", "-o", str(nq)]).exit_code == 0
    with oxigraph_server(tmp_path) as server:
        server.load(nq)
        for fmt in ("json", "csv", "table"):
            assert gapmap(project.root, "-f", fmt, "--endpoint", server.query_url) == gapmap(project.root, "-f", fmt)


def test_empty_endpoint_is_a_clear_error(project, oxigraph):
    res = CliRunner().invoke(cli, ["--project", str(project.root), "gapmap", "--endpoint", oxigraph.query_url])
    assert "holds no recommendations" in str(res.exception) and "gfmdkg export -f nq" in str(res.exception)


def test_columns_in_the_schemes_order_whatever_the_filter(project, truth):
    """Every outcome domain, always, in the order of its skos:notation in the scheme; filters never move them."""
    from gfmdkg.sparql.run import run_saved
    gm = from_result(run_saved(project, "evidence-gap-map"))
    scheme = sorted(truth.domains, key=lambda d: int(truth.g.value(d, SKOS.notation)))
    assert [c.iri for c in gm.columns] == [str(d) for d in scheme]
    assert to_table(gm, wide=True).count("\n") == len(gm.rows) + 6
    for args in ((), ("--separate",), ("--region", "region:asia"), ("--channel", "ch:social-remittances"),
                 ("--recommendations", "rr")):
        doc = json.loads(gapmap(project.root, "-f", "json", *args))
        assert [c["iri"] for c in doc["columns"]] == [str(d) for d in scheme], args
    assert shutil.which("gfmdkg")


def test_svg_is_well_formed_and_carries_every_cell(project, tmp_path):
    """`-f svg`: valid XML, one group per cell with its words as <title>, gaps hatched, and no links without
    --base (with it: tests/test_gapmap_pages.py follows them on a running server)."""
    import xml.etree.ElementTree as ET
    out = tmp_path / "gapmap.svg"
    gapmap(project.root, "-f", "svg", "-o", str(out), "--base", "")
    doc = json.loads(gapmap(project.root, "-f", "json"))
    root = ET.parse(out).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == ns + "svg" and root.get("role") == "img"
    cells = [g for g in root.iter(ns + "g") if g.find(ns + "title") is not None]
    assert len(cells) == len(doc["rows"]) * len(doc["columns"])
    assert sum(1 for g in cells if g.find(ns + "rect").get("fill") == "url(#gap)") == doc["gaps"]
    texts = [g.find(ns + "text").text for g in cells]
    for row in doc["rows"]:
        for col in doc["columns"]:
            want = Cell(**{k: row["cells"][col["iri"]][k] for k in COUNTS}).short()
            assert want == texts.pop(0)
    assert not list(root.iter(ns + "a"))


STATED_PRACTICES = """@prefix gfmd: <https://w3id.org/gfmdkg/def#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix practice: <https://w3id.org/gfmdkg/id/practice/> . @prefix rec: <https://w3id.org/gfmdkg/id/recommendation/> .
@prefix tag: <https://w3id.org/gfmdkg/vocab/tag/> . @prefix basis: <https://w3id.org/gfmdkg/vocab/link-basis/> .
practice:zz-tagged a gfmd:Practice ; dcterms:title "Tagged"@en ; gfmd:tag tag:migration-and-health ;
    gfmd:supports rec:bp-diaspora-participation ; gfmd:qualifiedSupport practice:zz-tagged\\#s .
practice:zz-tagged\\#s a gfmd:SupportLink ; gfmd:target rec:bp-diaspora-participation ;
    gfmd:basis basis:stated-in-source .
practice:zz-untagged a gfmd:Practice ; dcterms:title "Untagged"@en ;
    gfmd:supports rec:bp-diaspora-participation ; gfmd:qualifiedSupport practice:zz-untagged\\#s .
practice:zz-untagged\\#s a gfmd:SupportLink ; gfmd:target rec:bp-diaspora-participation ;
    gfmd:basis basis:stated-in-source .
"""


def test_source_only_places_a_practice_without_own_domain_beside_one_with(project, project_copy):
    """Of two practices the source links to one measure, one tagged health and one untagged: the untagged one counts
    in every domain of the measure even though the other has a domain of its own (a MINUS that shared only the
    recommendation dropped it)."""
    before = json.loads(gapmap(project.root, "-f", "json", "--source-only", "--separate"))
    (project_copy / "data" / "zz-stated.ttl").write_text(STATED_PRACTICES, encoding="utf-8")
    after = json.loads(gapmap(project_copy, "-f", "json", "--source-only", "--separate"))
    od = "https://w3id.org/gfmdkg/vocab/outcome-domain/"
    row = next(i for i, r in enumerate(after["rows"]) if r["iri"].endswith("/bp-diaspora-participation"))
    grew = {dom: after["rows"][row]["cells"][dom]["practices"] - before["rows"][row]["cells"][dom]["practices"]
            for dom in after["rows"][row]["cells"]}
    assert grew == {d: {od + "health": 2, od + "education": 1}.get(d, 0) for d in grew}
