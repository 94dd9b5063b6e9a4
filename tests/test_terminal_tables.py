"""Terminal tables of `gfmdkg query` and `gfmdkg gapmap`: no line wider than the terminal ($COLUMNS), things named
by their labels rather than slugs, every gap-map count whole; `--wide` keeps cells whole on one line; CSV, JSON and
Markdown answers do not depend on the terminal."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from gfmdkg.cli import cli
from gfmdkg.gapmap import Cell

COUNTS = ("practices", "positive", "negative", "mixed", "noEffect", "descriptive")
REC = "rec:bp-diaspora-participation"


def run(project, columns: int, *args: str) -> str:
    res = CliRunner().invoke(cli, ["--project", str(project.root), *args], env={"COLUMNS": str(columns)})
    assert res.exit_code == 0, res.output
    return res.stdout_bytes.decode("utf-8")


def widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


def blocks(text: str) -> list[list[list[str]]]:
    """The table's rows as blocks of lines between rules, each line split into its cells."""
    out: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("+"):
            if current:
                out.append(current)
            current = []
        elif line.startswith("| "):
            current.append([c.strip() for c in line[2:-2].split(" | ")])
    return out


def joined(block: list[list[str]]) -> list[str]:
    """Each column's text of one table row, its wrapped lines joined again."""
    return [" ".join(line[i] for line in block if line[i]) for i in range(len(block[0]))]


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("name, args", [
    ("practices-by-recommendation", ()), ("evidence-for-recommendation", ("-p", f"rec={REC}")),
    ("co-partnership-network", ()), ("source-problems", ()), ("quantitative-facts", ()), ("bibliography", ())])
def test_query_table_fits_the_terminal(project, columns, name, args):
    table = run(project, columns, "query", name, *args)
    assert widest(table) <= columns, name
    assert run(project, columns, "query", name, *args, "--wide").count("\n") < table.count("\n")


@pytest.mark.parametrize("columns", [80, 120])
def test_query_table_names_things_by_label(project, columns):
    rows = json.loads(run(project, columns, "query", "practices-by-recommendation", "-p", f"rec={REC}", "-f",
                          "json"))["results"]["bindings"]
    table = run(project, columns, "query", "practices-by-recommendation", "-p", f"rec={REC}")
    assert "practice:" not in table and "rec:" not in table and "recLabel" not in table
    header, *body = blocks(table)
    assert joined(header)[:2] == ["rec", "practice"]
    titles = sorted(joined(b)[1] for b in body)
    assert len(titles) == len(rows)
    for shown, title in zip(titles, sorted(r["title"]["value"] for r in rows), strict=True):
        assert title.startswith(shown.rstrip("…")) and len(shown) >= min(len(title), 12), (shown, title)
    wide = run(project, columns, "query", "practices-by-recommendation", "-p", f"rec={REC}", "--wide")
    assert all(r["title"]["value"] in wide and r["recLabel"]["value"] in wide for r in rows)


@pytest.mark.parametrize("columns", [80, 120])
def test_gapmap_table_fits_with_labels_and_whole_counts(project, columns):
    doc = json.loads(run(project, columns, "gapmap", "-f", "json"))
    table = run(project, columns, "gapmap")
    assert widest(table) <= columns
    assert "bp-diaspora-participation" not in table
    shown: dict[str, dict[str, str]] = {}
    heads: list[str] = []
    for block in blocks(table):
        cells = joined(block)
        if cells[0] == "recommendation":
            heads = cells[1:]
            continue
        shown.setdefault(cells[0], {}).update(zip(heads, cells[1:], strict=True))
    labels = {c["label"] for c in doc["columns"]}
    assert len(shown) == len(doc["rows"])
    for row in doc["rows"]:
        name = max((n for n in shown if n == row["label"] or "…" in n and row["label"].startswith(
            n.split("…")[0].strip()) and row["label"].endswith(n.split("…")[1].strip())),
            key=lambda n: len(n.partition("…")[2]))  # "(RT 3.2 outcome)" kept at the end tells restatements apart
        assert len(name) >= 20
        expected = {c["label"]: Cell(**{k: row["cells"][c["iri"]][k] for k in COUNTS}).short() for c in doc["columns"]}
        assert shown[name] == expected and set(shown[name]) == labels


def test_machine_formats_do_not_depend_on_the_terminal(project):
    for args in (("query", "practices-by-recommendation", "-f", "csv"), ("query", "bibliography", "-f", "json"),
                 ("query", "bibliography", "-f", "md"), ("gapmap", "-f", "csv"), ("gapmap", "-f", "md")):
        assert run(project, 80, *args) == run(project, 250, *args), args
