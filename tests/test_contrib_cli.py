"""The contributor's journey through the real CLI: template, check, fix, add, query, diff; and add's safety."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gfmdkg.contrib import writer
from gfmdkg.errors import GfmdkgError, ReadOnlyProject
from gfmdkg.project import Project

FIX = Path(__file__).parent / "fixtures" / "contrib"


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gfmdkg", "--project", str(project), *args], capture_output=True,
                          text=True, timeout=300)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) with its content hash."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()} | {
            str(p.relative_to(folder)) + "/": "" for p in folder.rglob("*") if p.is_dir()}


def test_contributor_journey(project_copy, tmp_path):
    template = run(project_copy, "template", "--format", "csv")
    assert template.returncode == 0
    header = next(csv.reader(io.StringIO(template.stdout)))
    assert header[:4] == ["id", "title", "summary", "countries"] and "contact" in header
    # a first attempt with the usual mistakes
    row = {"title": "Kenyan diaspora teachers programme", "summary": "Teachers.", "countries": "Kenia",
           "thematic areas": "Diaspora", "tags": "education", "source": "",
           "supports recommendations": "Stronger health and education systems",
           "support rationale": "Diaspora teachers add capacity to Kenyan schools."}
    f = tmp_path / "mine.csv"

    def write(values):
        with f.open("w", newline="", encoding="utf-8") as out:
            w = csv.DictWriter(out, fieldnames=header)
            w.writeheader()
            w.writerow(values)

    write(row)
    first = run(project_copy, "check", str(f))
    assert first.returncode == 1
    lines = first.stdout.splitlines()
    assert lines[0] == f"{f}, row 2: “Kenyan diaspora teachers programme” -> practice:kenyan-diaspora-teachers"
    assert "  error   column 'countries': 'Kenia' is not a known country" in lines
    assert any("did you mean: Kenya (country:KEN)" in line for line in lines)
    assert any("did you mean: Migration and education (tag:migration-and-education)?" in line for line in lines)
    assert lines[-1].startswith("does not pass: 1 record checked, 5 errors, 0 warnings. Nothing was changed.")
    report = json.loads(run(project_copy, "check", "-f", "json", str(f)).stdout)
    assert sorted(p["field"] for p in report["records"][0]["problems"]) == [
        "countries", "source", "summary", "supports recommendations", "tags"]
    # fixed as the messages say
    row |= {"summary": "Kenyan teachers living abroad return for a school year to teach in rural secondary schools.",
            "countries": "Kenya", "tags": "Migration and education", "source": "background paper p. 12",
            "supports recommendations": "rec:bp-strengthen-health-education-systems"}
    write(row)
    before = snapshot(project_copy / "data")
    second = run(project_copy, "check", str(f))
    assert second.returncode == 0, second.stdout
    assert snapshot(project_copy / "data") == before
    added = run(project_copy, "add", "--contributor", "Kenyan Teachers Abroad", str(f))
    assert added.returncode == 0, added.stdout + added.stderr
    assert added.stdout.splitlines() == [
        "added data/contrib/kenyan-diaspora-teachers.ttl: 4 new nodes, 31 triples",
        "  practice:kenyan-diaspora-teachers",
        "  practice:kenyan-diaspora-teachers#contributor",
        "  practice:kenyan-diaspora-teachers#submission",
        "  practice:kenyan-diaspora-teachers#supports-bp-strengthen-health-education-systems",
        "appended new nodes to data/countries.ttl (new countries)",  # Eastern Africa exists: regions.ttl unchanged
        "contributed by Kenyan Teachers Abroad: submitted, not yet reviewed (a curator reviews it with "
        "`gfmdkg review`)",
        "1 file, 31 triples added; 1 warning (see `gfmdkg check`)"]
    written = (project_copy / "data" / "contrib" / "kenyan-diaspora-teachers.ttl").read_text(encoding="utf-8")
    assert "practice:kenyan-diaspora-teachers a gfmd:Practice ;\n    dcterms:title " in written
    assert "practice:kenyan-diaspora-teachers\\#supports-bp-strengthen-health-education-systems a gfmd:SupportLink" \
        in written
    query = run(project_copy, "query", "practices-by-recommendation", "-p",
                "rec=rec:bp-strengthen-health-education-systems", "-f", "json")
    assert query.returncode == 0, query.stderr
    practices = [b["practice"]["value"] for b in json.loads(query.stdout)["results"]["bindings"]]
    assert "https://w3id.org/gfmdkg/id/practice/kenyan-diaspora-teachers" in practices
    diff = run(project_copy, "diff", str(FIX.parent.parent.parent / "data"))
    assert diff.returncode == 0, diff.stderr
    # the practice, its link, contributor and submission; Kenya (names in en, fr, es) without the contribution's page
    assert diff.stdout.splitlines()[-1] == "5 nodes changed: 43 statements added, 0 removed"
    assert "country:KEN (new node)" in diff.stdout.splitlines()
    assert "practice:kenyan-diaspora-teachers (new node)" in diff.stdout.splitlines()
    again = run(project_copy, "add", "-f", "json", str(f))
    assert again.returncode == 1
    assert [p["message"] for p in json.loads(again.stdout)["records"][0]["problems"]] == [
        "practice:kenyan-diaspora-teachers already exists in the graph (data/contrib/kenyan-diaspora-teachers.ttl)"]


def test_add_yaml_generates_the_missing_country(project_copy):
    done = run(project_copy, "add", str(FIX / "practice.yaml"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "appended new nodes to data/countries.ttl (new countries)" in done.stdout
    assert "country:CHL a schema:Country" in (project_copy / "data" / "countries.ttl").read_text(encoding="utf-8")
    assert run(project_copy, "validate", "--no-qc", "-f", "json").stdout.count("chilean-diaspora-health") == 0


def test_add_refuses_a_failing_check_and_leaves_data_alone(project_copy):
    before = snapshot(project_copy / "data")
    done = run(project_copy, "add", str(FIX / "nurses-with-mistakes.csv"))
    assert done.returncode == 1
    assert done.stderr.strip() == "nothing was added: fix the errors above and run the command again"
    assert snapshot(project_copy / "data") == before


def test_failure_while_writing_rolls_everything_back(project_copy, tmp_path, monkeypatch):
    f = tmp_path / "two.csv"
    f.write_text("title,summary,countries,source\n"
                 "First new practice,A summary long enough to be a summary.,Ghana,bp:p10\n"
                 "Second new practice,A summary long enough to be a summary.,Togo,bp:p11\n", encoding="utf-8")
    before = snapshot(project_copy / "data")
    calls = []
    real_write = os.write

    def failing_write(fd, data):  # a disk that fills up while the second file of the project is written
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(project_copy)):
            calls.append(len(data))
            if len(calls) == 2:
                raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", failing_write)
    with pytest.raises(GfmdkgError, match=r"^cannot write data/contrib/.*: no space is left on the device; nothing "
                                          r"was changed\n  what to do: "):
        writer.add(Project(project_copy), [f])
    assert len(calls) == 2
    assert snapshot(project_copy / "data") == before


def test_concurrent_adds_are_serialised(project_copy):
    procs = [subprocess.Popen([sys.executable, "-m", "gfmdkg", "--project", str(project_copy), "add",
                               str(FIX / "practice.ttl")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    codes = sorted(p.wait(timeout=300) for p in procs)
    assert codes == [0, 1]
    assert sorted(p.name for p in (project_copy / "data" / "contrib").iterdir()) == ["ghana-nurse-tutors.ttl"]


def test_add_refuses_the_read_only_packaged_graph(project_copy):
    with pytest.raises(ReadOnlyProject):
        writer.add(Project(project_copy, writable=False, origin="packaged"), [FIX / "practice.ttl"])
    assert not (project_copy / "data" / "contrib").exists()


def test_bad_input_through_the_cli_exits_2_without_traceback(project_copy):
    for name in ("billion-laughs.rdf", "yaml-bomb.yaml", "extra-cells.csv"):
        done = run(project_copy, "check", str(FIX / name))
        assert done.returncode == 2
        assert done.stderr.startswith(f"gfmdkg: error: {FIX / name}:")
        assert "what to do:" in done.stderr and "Traceback" not in done.stderr


def test_template_yaml_example_passes_check(project_copy, tmp_path):
    f = tmp_path / "example.yaml"
    f.write_text(run(project_copy, "template", "--format", "yaml", "--example").stdout, encoding="utf-8")
    done = run(project_copy, "check", str(f))
    assert done.returncode == 0, done.stdout
    listing = run(project_copy, "template", "--list", "thematic-areas").stdout.splitlines()
    assert "ta:diasporas\tDiasporas" in listing


def test_diff_between_files_and_git_revisions(tmp_path, repo):
    old, new = tmp_path / "old.ttl", tmp_path / "new.ttl"
    old.write_text("<http://e/a> <http://e/p> \"1\" .\n<http://e/a> <http://e/q> _:x .\n_:x <http://e/r> \"k\" .\n")
    new.write_text("<http://e/a> <http://e/p> \"2\" .\n<http://e/a> <http://e/q> _:y .\n_:y <http://e/r> \"k\" .\n")
    done = run(repo, "diff", str(old), str(new))
    assert done.stdout.splitlines() == ["<http://e/a>", '  - <http://e/p> "1"', '  + <http://e/p> "2"',
                                        "1 node changed: 1 statement added, 1 removed"]
    same = run(repo, "diff", "HEAD", "HEAD")
    assert same.stdout == "0 nodes changed: 0 statements added, 0 removed\n"
    bad = run(repo, "diff", "no-such-rev")
    assert bad.returncode == 2
    assert "'no-such-rev' is neither an existing file or folder nor a git revision" in bad.stderr


def test_diff_between_two_git_revisions_of_data(tmp_path):
    """A throw-away repository in tmp_path (the project's own repository is only read, never written)."""
    root = tmp_path / "proj"
    for part in ("ontology", "data", "queries"):
        (root / part).mkdir(parents=True)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

    def git(*args):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env, timeout=60)

    git("init", "-q")
    (root / "data" / "a.ttl").write_text('<https://e.org/x> <https://e.org/p> "old" .\n', encoding="utf-8")
    git("add", "data")
    git("commit", "-q", "-m", "one")
    (root / "data" / "a.ttl").write_text('<https://e.org/x> <https://e.org/p> "new" .\n', encoding="utf-8")
    (root / "data" / "b.ttl").write_text('<https://e.org/y> <https://e.org/p> "b" .\n', encoding="utf-8")
    git("add", "data")
    git("commit", "-q", "-m", "two")
    done = run(root, "diff", "HEAD~1", "HEAD")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "<https://e.org/x>", '  - <https://e.org/p> "old"', '  + <https://e.org/p> "new"',
        "<https://e.org/y> (new node)", '  + <https://e.org/p> "b"',
        "2 nodes changed: 2 statements added, 1 removed"]
    as_json = json.loads(run(root, "diff", "HEAD~1", "-f", "json").stdout)
    assert (as_json["added"], as_json["removed"]) == (2, 1)
