"""Saved queries show their plain description first and their technical notes under it: in `gfmdkg queries` (fitted
to the terminal) and on the query pages of `gfmdkg serve` (in a "Technical notes" disclosure, in three languages)."""

from __future__ import annotations

import html
import json
import urllib.request

import pytest
from click.testing import CliRunner

from gfmdkg.cli import cli
from tests.serve_process import ServeProcess


def test_listing_puts_the_plain_text_first(project, catalogue):
    res = CliRunner().invoke(cli, ["--project", str(project.root), "queries"], env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    flat = " ".join(res.output.split())
    for q in catalogue.values():
        if q.name.startswith("qc/"):
            continue
        description, notes = " ".join(q.description.split()), " ".join(q.notes.split())
        assert flat.index(description) < flat.index("technical notes: " + notes), q.name
    assert max(len(line) for line in res.output.splitlines()) <= 80
    listed = json.loads(CliRunner().invoke(cli, ["--project", str(project.root), "queries", "-f", "json"]).output)
    assert all(q["description"] and q["notes"] for q in listed)


@pytest.mark.server
def test_query_pages_show_notes_under_the_description(repo, catalogue):
    q = catalogue["co-partnership-network"]
    with ServeProcess(cwd=repo) as server:
        for lang, heading in (("en", "Technical notes"), ("fr", "Notes techniques"), ("es", "Notas técnicas")):
            for path in ("/queries", f"/queries/{q.name}"):
                with urllib.request.urlopen(f"{server.base}{path}?lang={lang}", timeout=30) as resp:
                    page = html.unescape(resp.read().decode("utf-8"))
                flat = " ".join(page.split())
                at = flat.index(" ".join(q.description.split()))
                assert at < flat.index(f"<summary>{heading}</summary>", at) < flat.index(" ".join(q.notes.split()))
