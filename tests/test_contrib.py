"""Contributions: reading the template, conversion to the model, the checks beyond the shapes, and the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gfmdkg.contrib.convert import parse_amount, slugify
from gfmdkg.contrib.pipeline import check
from gfmdkg.contrib.readers import read_csv, read_yaml
from gfmdkg.contrib.report import to_json, to_text
from gfmdkg.errors import ParseError

FIX = Path(__file__).parent / "fixtures" / "contrib"


def _problems(result, row=0):
    return sorted((p.field or "", p.check, p.severity) for p in result.units[row].problems)


def test_valid_csv_passes_with_the_model_of_curation_md(project):
    result = check(project, [FIX / "nurses.csv"], shapes=True)
    assert result.exit_code == 0 and result.shapes_checked
    unit = result.units[0]
    assert unit.iri == "https://w3id.org/gfmdkg/id/practice/diaspora-nurses-mentoring"
    assert unit.problems == []
    assert len(unit.quads) == 52  # 32 for the practice, 20 for its provenance (tests/test_contrib_provenance.py)
    assert sorted(unit.nodes) == [unit.iri, unit.iri + "#budget", unit.iri + "#contact", unit.iri + "#contributor",
                                  unit.iri + "#period", unit.iri + "#submission",
                                  unit.iri + "#supports-bp-diaspora-participation"]
    assert to_text(result).splitlines()[0] == (f"{FIX / 'nurses.csv'}, row 2: “Diaspora nurses mentoring programme” "
                                               "-> practice:diaspora-nurses-mentoring: OK")


def test_mistakes_are_reported_per_row_and_column_with_suggestions(project):
    result = check(project, [FIX / "nurses-with-mistakes.csv"])
    assert result.exit_code == 1
    assert _problems(result, 0) == [
        ("budget", "template", "error"), ("countries", "vocabulary", "error"), ("end", "template", "error"),
        ("partners", "vocabulary", "warning"), ("source", "source", "error"), ("status", "vocabulary", "error"),
        ("summary", "template", "error"), ("support rationale", "template", "error"),
        ("supports recommendations", "vocabulary", "error"), ("tags", "vocabulary", "error"),
        ("thematic areas", "vocabulary", "error"), ("web links", "template", "error")]
    by_field = {p.field: p for p in result.units[0].problems}
    assert by_field["thematic areas"].message == "'Diaspora engagment' is not a known thematic area"
    assert by_field["thematic areas"].suggestions == ["Diasporas (ta:diasporas)"]
    assert by_field["countries"].suggestions[0] == "Ghana (country:GHA)"
    assert by_field["tags"].suggestions == ["Migration and health (tag:migration-and-health)"]
    assert by_field["supports recommendations"].suggestions[0] == (
        "Involve diaspora and returnees in origin-country development (rec:bp-diaspora-participation)")
    assert by_field["status"].hint == "use one of: Completed, Ongoing, Planned, Unknown"
    assert [p.message for p in result.units[1].problems] == [
        "practice:mida-ghana-health already exists in the graph (data/practices-annex-1.ttl)"]
    text = to_text(result)
    assert f"{FIX / 'nurses-with-mistakes.csv'}, row 3: “MIDA Ghana Health Project”" in text
    assert "  error   column 'thematic areas': 'Diaspora engagment' is not a known thematic area" in text
    assert "did you mean: Diasporas (ta:diasporas)?" in text
    report = json.loads(to_json(result))
    assert (report["passes"], report["errors"], report["warnings"]) == (False, 12, 1)
    assert [r["row"] for r in report["records"]] == [2, 3]


def test_yaml_form_with_a_country_not_yet_in_the_graph(project):
    result = check(project, [FIX / "practice.yaml"], shapes=True)
    assert result.exit_code == 0
    (p,) = result.units[0].problems
    assert (p.severity, p.field, p.line) == ("warning", "countries", 6)
    assert p.message == "Chile (country:CHL) has no country node in the graph yet"
    assert result.units[0].converted.missing_countries == {"CHL": "Chile"}


def test_turtle_contribution_problems_name_node_line_and_suggestion(project):
    result = check(project, [FIX / "practice-mistakes.ttl"])
    got = sorted((p.line, p.field or "", p.check, p.message) for p in result.units[0].problems)
    assert got == [
        (9, "gfmd:partner", "vocabulary", "orgid:iomm is not a known organisation"),
        (9, "gfmd:thematicArea", "vocabulary", "ta:diaspora is not a known thematic area"),
        (9, "prov:wasDerivedFrom", "source", "practice:ghana-nurse-tutors has no source (prov:wasDerivedFrom)"),
        (17, "", "clash", "practice:mida-ghana-health already exists in the graph (data/practices-annex-1.ttl)"),
        (17, "prov:wasDerivedFrom", "source", "practice:mida-ghana-health has no source (prov:wasDerivedFrom)")]
    partner = next(p for p in result.units[0].problems if p.field == "gfmd:partner")
    assert partner.suggestions == ["International Organization for Migration (orgid:iom)"]


@pytest.mark.parametrize("name", ["practice.ttl", "practice.jsonld"])
def test_valid_rdf_contributions_pass(project, name):
    result = check(project, [FIX / name], shapes=True)
    assert [p.message for p in result.problems] == []
    assert result.exit_code == 0


def test_near_duplicate_title_in_same_country_is_a_warning(project, tmp_path):
    f = tmp_path / "dup.csv"
    f.write_text("id,title,summary,countries,source\nmida-ghana-health-copy,MIDA Ghana Health Projects,"
                 "A summary long enough to be a summary.,Ghana,bp:p10\n", encoding="utf-8")
    result = check(project, [f], shapes=False)
    (p,) = result.units[0].problems
    assert (p.severity, p.check, p.field) == ("warning", "duplicate", "title")
    assert p.message.startswith("looks like a duplicate of practice:mida-ghana-health “MIDA Ghana Health Project” (")
    f.write_text("id,title,summary,countries,source\nmida-ghana-health-copy,MIDA Ghana Health Project,"
                 "A summary long enough to be a summary.,Ghana,bp:p10\n", encoding="utf-8")
    (p,) = check(project, [f], shapes=False).units[0].problems
    assert (p.severity, p.check) == ("error", "duplicate")
    assert p.message.endswith("(same title, same country: country:GHA)")


def test_two_rows_with_the_same_id_clash(project, tmp_path):
    f = tmp_path / "two.csv"
    row = "A new practice,A summary long enough to be a summary.,Ghana,bp:p10\n"
    f.write_text("title,summary,countries,source\n" + row + row, encoding="utf-8")
    result = check(project, [f], shapes=False)
    assert result.units[0].problems == []
    assert [p.message for p in result.units[1].problems] == [
        f"practice:new-practice is also stated by {f}, row 2"]


def test_blank_nodes_are_refused(project, tmp_path):
    f = tmp_path / "b.ttl"
    f.write_text("<https://w3id.org/gfmdkg/id/practice/b> <http://purl.org/dc/terms/temporal> [ "
                 "<http://www.w3.org/ns/dcat#startDate> \"2012\" ] .\n", encoding="utf-8")
    result = check(project, [f], shapes=False)
    assert [p.message for p in result.problems if p.check == "blank-node"] == [
        "the file uses 1 blank node ([ ... ] or _:name)"]


def test_syntax_only_reads_without_the_graph():
    result = check(None, [FIX / "nurses.csv", FIX / "practice.ttl"], syntax_only=True)
    assert result.exit_code == 0
    assert to_text(result).splitlines() == [f"{FIX / 'nurses.csv'}: syntax OK ({FIX / 'nurses.csv'}, row 2)",
                                            f"{FIX / 'practice.ttl'}: syntax OK (8 triples)"]


# ------------------------------------------------------------------------------------------ bad input: exit 2
BAD = [
    ("billion-laughs.rdf", 2, "RDF/XML with a DTD or entity declaration is refused"),
    ("external-entity.rdf", 2, "RDF/XML with a DTD or entity declaration is refused"),
    ("yaml-bomb.yaml", 2, "YAML aliases (*name) are refused"),
    ("missing-column.csv", 1, "the header row lacks the column 'countries'"),
    ("extra-cells.csv", 2, "row 2 has 5 cells but the header has 4 columns"),
    ("misspelt-column.csv", 1, "'summry' (column 2) is not a column of the template"),
    ("remote-context.jsonld", None, "JSON-LD @context 'https://schema.org/' would have to be fetched"),
]


@pytest.mark.parametrize("name,line,message", BAD, ids=[b[0] for b in BAD])
def test_bad_fixtures_are_refused_with_file_and_line(name, line, message):
    with pytest.raises(ParseError) as info:
        check(None, [FIX / name])
    assert info.value.line == line
    assert info.value.detail.startswith(message)
    assert str(info.value).startswith(f"{FIX / name}" + (f":{line}" if line else "") + ": ")


GENERATED = {
    "empty.csv": (b"", "the file is empty"),
    "empty.ttl": (b"", "the file holds no statements: nothing to check or add"),
    "binary.ttl": (bytes(range(256)) * 8, "this is a binary file, not RDF text"),
    "binary.csv": (b"\x00\x01\x02title", "this is a binary file, not a text template"),
    "latin1.csv": ("title,summary,countries,source\nCafé,x,Ghana,bp:p10\n".encode("latin-1"),
                   "the file is not UTF-8 text (byte 0xe9 cannot be read)"),
    "huge-cell.csv": (b"title,summary,countries,source\nA," + b"y" * 300_000 + b",Ghana,bp:p10\n",
                      "row 2 has a cell over the limit of 20000 characters"),
    "deep.yaml": (b"title: " + b"[" * 5000 + b"]" * 5000, "nested deeper than 8 levels"),
    "deep.jsonld": (b"[" * 5000 + b"]" * 5000, "JSON nested too deeply"),
    "too-many.ttl": (b"<http://a> <http://b> " + b"[ <http://p> " * 6_000 + b"<http://c>" + b" ]" * 6_000 + b" .",
                     "the file holds 6001 statements, over the limit of 5000 for one contribution"),
    "header-only.csv": (b"title,summary,countries,source\n", "the file has a header but no practice rows"),
    "bad-quote.csv": (b'title,summary,countries,source\n"A,b,c,d\n', "row 2 cannot be read"),
    "not-a-list.yaml": (b"just a sentence", "expected one practice ('field: value' lines) or a list of practices"),
    "two-docs.yaml": (b"title: a\n---\ntitle: b\n", "not valid YAML"),
    "unknown-key.yaml": (b"titel: a\n", "'titel' is not a field of the form"),
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_bad_input_gets_a_clear_parse_error(project, tmp_path, name):
    data, message = GENERATED[name]
    f = tmp_path / name
    f.write_bytes(data)
    with pytest.raises(ParseError) as info:
        check(project, [f], shapes=False)
    assert info.value.detail.startswith(message), info.value.detail
    assert info.value.path == str(f)


def test_csv_reader_details():
    records = read_csv("x.csv", "\ufeffTitle;Summary;Countries;Source;Thematic_Areas\n"
                       "A;B;Ghana, Togo;bp:p10;Diasporas\n\n".encode())
    assert [(r.row, r.values) for r in records] == [(2, {"title": "A", "summary": "B", "countries": "Ghana, Togo",
                                                         "source": "bp:p10", "thematic areas": "Diasporas"})]


def test_yaml_reader_keeps_text_and_lines():
    records = read_yaml("x.yaml", b"practices:\n  - title: A\n    start: 2015\n    status: no\n    tags: [a, b]\n")
    assert records[0].values == {"title": "A", "start": "2015", "status": "no", "tags": "a; b"}
    assert records[0].lines == {"title": 2, "start": 3, "status": 4, "tags": 5}


@pytest.mark.parametrize("text,expected", [
    ("1300000 EUR", ("1300000", "EUR")), ("USD 250,000", ("250000", "USD")), ("€1.3 million", ("1300000", "EUR")),
    ("250000 pounds", ("250000", "GBP")), ("12.50 CHF", ("12.5", "CHF")), ("lots", None), ("100 EUR USD", None)])
def test_parse_amount(text, expected):
    assert parse_amount(text) == expected


def test_slugify():
    assert slugify("MIDA Ghana Health Project") == "mida-ghana-health"
    assert slugify("PAISD, Programme d’appui aux initiatives de solidarité pour le développement") == \
        "paisd-dappui-aux-initiatives-de-solidarite"


# ------------------------------------------------------------------------------ docs/CONTRIBUTING.md stays true
DOC = Path(__file__).resolve().parent.parent / "docs" / "CONTRIBUTING.md"


def _block(lang: str, after: str) -> str:
    import re

    text = DOC.read_text(encoding="utf-8")
    return re.search(re.escape(after) + r".*?```" + lang + r"\n(.*?)```", text, re.S).group(1)


def test_contributing_field_table_matches_the_template():
    from gfmdkg.contrib.fields import FIELDS

    rows = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    expected = [f"| `{f.name}` | {'yes' if f.required else ''} | {'yes' if f.multi else ''} | {f.help} | {f.example} |"
                for f in FIELDS]
    assert rows == expected


def test_contributing_examples_pass_check(project, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764892800")  # both checks record the same time
    csv_file, yaml_file = tmp_path / "my-practices.csv", tmp_path / "my-practices.yaml"
    csv_file.write_text(_block("csv", "## A filled-in example"), encoding="utf-8")
    yaml_file.write_text(_block("yaml", "## A filled-in example"), encoding="utf-8")
    result = check(project, [csv_file], shapes=True)
    assert result.exit_code == 0 and [p.field for p in result.problems] == ["partners"]
    yaml_result = check(project, [yaml_file], shapes=False)
    def same(unit):  # the same statements, but for the file each came from
        return sorted(str(q) for q in unit.quads if not q.predicate.value.endswith("#contributedFrom"))

    assert same(result.units[0]) == same(yaml_result.units[0])


def test_contributing_report_example_is_real_output(project, monkeypatch):
    monkeypatch.chdir(FIX)
    expected = _block("text", "exit status 1):")
    assert to_text(check(project, [Path("first-try.csv")])) == expected


def test_a_contribution_too_large_for_one_check_is_refused(project, tmp_path):
    from gfmdkg.errors import GfmdkgError

    f = tmp_path / "many.csv"
    f.write_text("title,summary,countries,source\n" + "".join(
        f"Practice {i},A summary long enough to be a summary.,Ghana,bp:p10\n" for i in range(800)), encoding="utf-8")
    with pytest.raises(GfmdkgError) as info:
        check(project, [f])
    assert info.value.message == "the contribution makes 6400 statements, over the limit of 5000 for one check"
