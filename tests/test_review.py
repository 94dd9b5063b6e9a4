"""``gfmdkg review``: contributions awaiting review are listed (command and saved query); a curator's decision is
recorded with who, when and why, in the contribution's own file only; curated nodes cannot be reviewed."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gfmdkg.namespaces import PREFIXES
from gfmdkg.rdfio import parse_file

FIX = Path(__file__).parent / "fixtures" / "contrib"
P = PREFIXES
NURSES = P["practice"] + "diaspora-nurses-mentoring"


def run(project: Path, *args: str, epoch: str = "1764892800") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gfmdkg", "--project", str(project), *args], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "SOURCE_DATE_EPOCH": epoch})


def objects(quads, s: str, p: str) -> set[str]:
    return {q.object.value for q in quads if q.subject.value == s and q.predicate.value == p}


def curated_hashes(project: Path) -> dict[str, str]:
    return {str(p.relative_to(project)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(project.rglob("*.ttl")) if "contrib" not in p.parts}


def awaiting(project: Path) -> list[str]:
    done = run(project, "query", "contributions-awaiting-review", "-f", "json")
    assert done.returncode == 0, done.stderr
    return [b["node"]["value"] for b in json.loads(done.stdout)["results"]["bindings"]]


def test_accept_records_reviewer_time_and_note_and_leaves_the_rest(project_copy):
    assert run(project_copy, "add", "--contributor", "Jane Doe", str(FIX / "nurses.csv")).returncode == 0
    listed = run(project_copy, "review", "--list")
    assert listed.returncode == 0
    assert listed.stdout.split("\t")[:4] == ["practice:diaspora-nurses-mentoring", "submitted",
                                             "Diaspora nurses mentoring programme", "Jane Doe"]
    assert listed.stderr.strip() == "1 contribution awaiting review"
    assert awaiting(project_copy) == [NURSES]
    path = project_copy / "data" / "contrib" / "diaspora-nurses-mentoring.ttl"
    before = set(parse_file(path))
    curated = curated_hashes(project_copy)
    done = run(project_copy, "review", "practice:diaspora-nurses-mentoring", "--accept", "--reviewer", "A. Curator",
               "--note", "Checked against the association's report.", epoch="1764979200")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ("practice:diaspora-nurses-mentoring: accepted by A. Curator (review 1, recorded in "
                                   "data/contrib/diaspora-nurses-mentoring.ttl)")
    quads = list(parse_file(path))
    assert objects(quads, NURSES, P["gfmd"] + "reviewStatus") == {P["review"] + "accepted"}
    assert objects(quads, NURSES, P["dcterms"] + "modified") == {"2025-12-06T00:00:00Z"}
    assert objects(quads, NURSES, P["dcterms"] + "created") == {"2025-12-05T00:00:00Z"}  # unchanged
    review = NURSES + "#review-1"
    assert objects(quads, NURSES, P["prov"] + "qualifiedAttribution") == {NURSES + "#submission", review}
    assert objects(quads, review, P["prov"] + "hadRole") == {P["crole"] + "reviewer"}
    assert objects(quads, review, P["gfmd"] + "reviewDecision") == {P["review"] + "accepted"}
    assert objects(quads, review, P["rdfs"] + "comment") == {"Checked against the association's report."}
    assert objects(quads, review, P["dcterms"] + "created") == {"2025-12-06T00:00:00Z"}
    assert objects(quads, NURSES + "#reviewer-1", P["foaf"] + "name") == {"A. Curator"}
    # the contributor's statements are untouched: only the status and the modification time were replaced
    replaced = {P["gfmd"] + "reviewStatus", P["dcterms"] + "modified"}
    assert {q for q in before if q.predicate.value not in replaced} <= set(quads)
    assert curated_hashes(project_copy) == curated
    assert run(project_copy, "validate").returncode == 0
    assert awaiting(project_copy) == []
    assert run(project_copy, "review", "--list").stderr.strip() == "0 contributions awaiting review"
    assert run(project_copy, "review", "--list", "--all").stdout.split("\t")[1] == "accepted"
    # a later decision is one more review; the status is the latest
    again = run(project_copy, "review", "diaspora-nurses-mentoring", "--reject", "--reviewer", "B. Curator")
    assert again.returncode == 0 and "rejected by B. Curator (review 2," in again.stdout
    quads = list(parse_file(path))
    assert objects(quads, NURSES, P["gfmd"] + "reviewStatus") == {P["review"] + "rejected"}
    assert len(objects(quads, NURSES, P["prov"] + "qualifiedAttribution")) == 3


def test_unknown_or_curated_ids_and_missing_reviewer_are_usage_errors(project_copy):
    assert run(project_copy, "add", "--contributor", "Jane Doe", str(FIX / "nurses.csv")).returncode == 0
    curated = curated_hashes(project_copy)
    typo = run(project_copy, "review", "diaspora-nurses", "--accept", "--reviewer", "A. Curator")
    assert typo.returncode == 2
    assert typo.stderr.startswith("gfmdkg: error: 'diaspora-nurses' is not a contribution in data/contrib/ (did you "
                                  "mean: practice:diaspora-nurses-mentoring?)")
    mida = run(project_copy, "review", "practice:mida-ghana-health", "--reject", "--reviewer", "A. Curator")
    assert mida.returncode == 2 and "curated nodes are not reviewed" in mida.stderr
    no_reviewer = run(project_copy, "review", "diaspora-nurses-mentoring", "--accept")
    assert no_reviewer.returncode == 2 and "--reviewer NAME" in no_reviewer.stderr
    assert "Traceback" not in typo.stderr + mida.stderr + no_reviewer.stderr
    assert curated_hashes(project_copy) == curated
    assert awaiting(project_copy) == [NURSES]


def test_review_refuses_the_read_only_packaged_graph(project_copy):
    from gfmdkg.contrib.review import review
    from gfmdkg.errors import ReadOnlyProject
    from gfmdkg.project import Project

    assert run(project_copy, "add", str(FIX / "nurses.csv")).returncode == 0
    with pytest.raises(ReadOnlyProject):
        review(Project(project_copy, writable=False, origin="packaged"), "diaspora-nurses-mentoring", "accept", "X")
    assert awaiting(project_copy) == [NURSES]
