"""Validation results are located at the triple that breaks the shape, not at the first file naming the node.

The practices below are also described in data/links-report.ttl (loaded before the practice files), which is
where every result used to point.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gfmdkg.project import Project
from gfmdkg.validation import validate

P = "https://w3id.org/gfmdkg/id/practice/"
ACP, TRQN, MDA = P + "acp-observatory-south-south-remittances", P + "trqn", \
    P + "promotion-recognition-skills-qualifications-moldova"
#: (file, text to replace, replacement, the broken line's text once replaced)
BREAKAGES = {
    "bad-tag": ("data/practices-annex-2.ttl", "tag:data-and-research, tag:local-development ;",
                "tag:data-and-research, tag:no-such-tag ;", "tag:data-and-research, tag:no-such-tag ;"),
    "bad-status": ("data/practices-annex-2.ttl", "    gfmd:status status:ongoing ;\n    dcterms:temporal practice:trqn",
                   "    gfmd:status status:bogus ;\n    dcterms:temporal practice:trqn", "gfmd:status status:bogus"),
    "bad-annex-entry": ("data/practices-annex-1.ttl", "    gfmd:annexEntry 2 ;", "    gfmd:annexEntry 45 ;",
                        "gfmd:annexEntry 45"),
    "page-as-text": ("data/practices-annex-1.ttl",
                     "    foaf:page <http://scoreboard.mfa.gov.md/search/&state=&theme=&partners=&df=&dt=&adv=&/> ;",
                     '    foaf:page "scoreboard" ;', 'foaf:page "scoreboard"'),
    "supports-non-recommendation": (
        "data/links-report.ttl",
        "practice:acp-observatory-south-south-remittances\n    gfmd:supports rec:rr-knowledge-of-remittance-models ;",
        "practice:acp-observatory-south-south-remittances\n    gfmd:supports rec:rr-no-such-recommendation ;",
        "gfmd:supports rec:rr-no-such-recommendation"),
}
#: the title removed: located at the node's block in the file declaring its type
MISSING_TITLE = ("data/practices-annex-2.ttl", "    dcterms:title \"Policy-oriented research on the impact of "
                 "South-South remittances on development, African and Caribbean and Pacific (ACP) Observatory on "
                 "Migration\"@en ;\n", "")


def line_of(path: Path, text: str) -> int:
    body = path.read_text(encoding="utf-8")
    assert body.count(text) == 1, text
    return body[:body.index(text)].count("\n") + 1


@pytest.fixture
def broken(project_copy) -> Path:
    for file, old, new, *_ in [*BREAKAGES.values(), MISSING_TITLE]:
        path = project_copy / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new), encoding="utf-8")
    return project_copy


def test_each_result_points_at_the_offending_triple(broken):
    report = validate(Project(broken), qc=False)
    got = {(r.focus, r.path.rsplit("/", 1)[-1].rsplit("#", 1)[-1], r.value): (r.file, r.line)
           for r in report.violations if r.path}
    where = {name: (file, line_of(broken / file, marker)) for name, (file, _old, _new, marker) in BREAKAGES.items()}
    assert got[(ACP, "tag", P.replace("id/practice", "vocab/tag") + "no-such-tag")] == where["bad-tag"]
    assert got[(TRQN, "status", "https://w3id.org/gfmdkg/vocab/practice-status/bogus")] == where["bad-status"]
    assert got[(MDA, "annexEntry", "45")] == where["bad-annex-entry"]
    assert got[(MDA, "page", "scoreboard")] == where["page-as-text"]
    assert got[(ACP, "supports", "https://w3id.org/gfmdkg/id/recommendation/rr-no-such-recommendation")] == \
        where["supports-non-recommendation"]
    acp_block = line_of(broken / MISSING_TITLE[0], "practice:acp-observatory-south-south-remittances a gfmd:Practice")
    assert got[(ACP, "title", None)] == (MISSING_TITLE[0], acp_block)
    # the undefined tag itself is described nowhere: SHACL reports it at the practice (above; pySHACL and the
    # shacl library agree), the dangling-reference QC check at the statement using it (test below)
    assert not [r for r in report.violations if r.focus.endswith("/no-such-tag")]
    assert [r.path for r in report.violations if r.file == "data/links-report.ttl"] == \
        ["https://w3id.org/gfmdkg/def#supports"]


def test_report_text_leads_each_problem_with_its_location(broken):
    proc = subprocess.run([sys.executable, "-m", "gfmdkg", "--project", str(broken), "validate"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    annex = line_of(broken / "data/practices-annex-1.ttl", "gfmd:annexEntry 45 ;")
    assert f"  data/practices-annex-1.ttl:{annex}: violation gfmd:annexEntry (value: 45): " in proc.stdout
    as_json = subprocess.run([sys.executable, "-m", "gfmdkg", "--project", str(broken), "validate", "-f", "json",
                              "--no-qc"], capture_output=True, text=True, timeout=300)
    files = {(r["focus"], r["path"]): r["file"] for r in json.loads(as_json.stdout)["results"]}
    assert files[(TRQN, "https://w3id.org/gfmdkg/def#status")] == "data/practices-annex-2.ttl"


def test_qc_rows_with_a_statement_point_at_it(broken):
    """The dangling-reference check names the property and the undefined target: located at that statement."""
    report = validate(Project(broken))
    dangling = {(r.focus, r.value): (r.file, r.line) for r in report.violations
                if r.source_shape == "qc:dangling-reference-violation"}
    for name, focus, value in [("supports-non-recommendation", ACP, "https://w3id.org/gfmdkg/id/recommendation/"
                                "rr-no-such-recommendation"),
                               ("bad-tag", ACP, "https://w3id.org/gfmdkg/vocab/tag/no-such-tag"),
                               ("bad-status", TRQN, "https://w3id.org/gfmdkg/vocab/practice-status/bogus")]:
        file, _old, _new, marker = BREAKAGES[name]
        assert dangling[(focus, value)] == (file, line_of(broken / file, marker)), name
