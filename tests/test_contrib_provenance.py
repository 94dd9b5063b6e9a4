"""A contribution carries its own provenance, distinct from curation (issue 12, item 4): who, when, from which
file, the source as given, the contact and the review status, in the export and on its page; its links are the
contributor's; and `gfmdkg add` never changes a curated node (checked with git on a real copy of the project)."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from gfmdkg.contrib.pipeline import check
from gfmdkg.errors import ReadOnlyProject
from gfmdkg.namespaces import PREFIXES
from gfmdkg.project import Project
from gfmdkg.rdfio import parse_file
from tests.serve_process import ServeProcess

FIX = Path(__file__).parent / "fixtures" / "contrib"
P = PREFIXES
NURSES = P["practice"] + "diaspora-nurses-mentoring"
EPOCH = "1764892800"  # 2025-12-05T00:00:00Z
WHEN = "2025-12-05T00:00:00Z"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def run(project: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gfmdkg", "--project", str(project), *args], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})})


def objects(quads, s: str, p: str) -> set[str]:
    return {q.object.value for q in quads if q.subject.value == s and q.predicate.value == p}


def test_add_with_contributor_records_who_when_where_and_status_in_the_export(project_copy, tmp_path):
    done = run(project_copy, "add", "--contributor", "Nurses Association of Ghana", str(FIX / "nurses.csv"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert ("contributed by Nurses Association of Ghana: submitted, not yet reviewed (a curator reviews it with "
            "`gfmdkg review`)") in done.stdout.splitlines()
    out = tmp_path / "graph.nq"
    assert run(project_copy, "export", "-f", "nq", "-o", str(out)).returncode == 0
    quads = list(parse_file(out))
    graph = {q.graph_name.value for q in quads if q.subject.value == NURSES}
    assert graph == {"https://w3id.org/gfmdkg/graph/data/contrib/diaspora-nurses-mentoring"}
    agent = NURSES + "#contributor"
    assert objects(quads, NURSES, P["prov"] + "wasAttributedTo") == {agent}
    assert objects(quads, NURSES, P["dcterms"] + "contributor") == {agent}
    assert objects(quads, agent, P["foaf"] + "name") == {"Nurses Association of Ghana"}
    assert P["prov"] + "Agent" in objects(quads, agent, P["rdf"] + "type")
    assert objects(quads, NURSES, P["dcterms"] + "created") == {WHEN}
    assert objects(quads, NURSES, P["gfmd"] + "contributedFrom") == {"nurses.csv, row 2"}
    assert objects(quads, NURSES, P["gfmd"] + "sourceAsGiven") == {"background paper p. 10"}
    assert objects(quads, NURSES, P["gfmd"] + "reviewStatus") == {P["review"] + "submitted"}
    submission = NURSES + "#submission"
    assert objects(quads, NURSES, P["prov"] + "qualifiedAttribution") == {submission}
    assert objects(quads, submission, P["prov"] + "agent") == {agent}
    assert objects(quads, submission, P["prov"] + "hadRole") == {P["crole"] + "contributor"}
    assert objects(quads, submission, P["dcterms"] + "created") == {WHEN}
    # the template's contact is kept, as a vCard contact point
    (card,) = objects(quads, NURSES, P["dcat"] + "contactPoint")
    assert objects(quads, card, P["vcard"] + "fn") == {"Jane Doe <jane@example.org>"}
    assert objects(quads, card, P["vcard"] + "hasEmail") == {"mailto:jane@example.org"}
    # its link is the contributor's statement, attributed to the contributor, never the curators' judgement
    (link,) = objects(quads, NURSES, P["gfmd"] + "qualifiedSupport")
    assert objects(quads, link, P["gfmd"] + "basis") == {P["basis"] + "stated-by-contributor"}
    assert objects(quads, link, P["prov"] + "wasAttributedTo") == {agent}
    contributed = {q for q in quads if "/data/contrib/" in q.graph_name.value}
    assert P["basis"] + "curators-judgement" not in {q.object.value for q in contributed}
    valid = run(project_copy, "validate", "-f", "json")
    assert valid.returncode == 0, valid.stdout


def test_the_page_says_who_contributed_and_that_it_is_not_yet_reviewed(project_copy):
    assert run(project_copy, "add", "--contributor", "Nurses Association of Ghana",
               str(FIX / "nurses.csv")).returncode == 0
    with ServeProcess(env={"GFMDKG_PROJECT": str(project_copy)}) as server:
        with urllib.request.urlopen(server.base + "/id/practice/diaspora-nurses-mentoring", timeout=30) as resp:
            page = resp.read().decode()
        assert ("Contributed by Nurses Association of Ghana on 2025-12-05, not yet reviewed. Its statements are the "
                "contributor's, not the curators'.") in page
        assert "Stated by the contributor" in page
        with urllib.request.urlopen(server.base + "/id/practice/mida-ghana-health", timeout=30) as resp:
            assert 'class="contribution"' not in resp.read().decode()  # a curated practice has no such line
        with urllib.request.urlopen(server.base + "/practices?origin=contributed", timeout=30) as resp:
            contributed = resp.read().decode()
        assert 'id="results-h">1 practice' in contributed
        assert "Diaspora nurses mentoring programme</a> <span class=\"badge\">contributed, not yet reviewed" \
            in contributed
        with urllib.request.urlopen(server.base + "/practices?origin=curated", timeout=30) as resp:
            curated = resp.read().decode()
        assert "Diaspora nurses mentoring programme" not in curated and 'class="badge"' not in curated


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}, timeout=60).stdout


def _by_subject(path: Path) -> dict[str, set]:
    out: dict[str, set] = {}
    for q in parse_file(path):
        out.setdefault(q.subject.value, set()).add((q.predicate.value, str(q.object)))
    return out


def test_git_diff_after_add_touches_no_curated_node(project_copy, tmp_path):
    """Moldova has a curated node (its locators are curated pages); the contribution cites rr:p3 for Moldova and
    names Chile, which has no node yet. The diff adds Chile's node and the contribution, and changes nothing else."""
    _git(project_copy, "init", "-q")
    _git(project_copy, "add", "-A")
    _git(project_copy, "commit", "-q", "-m", "curated")
    before = {p: _by_subject(p) for p in project_copy.glob("*/**/*.ttl")}
    mda = P["country"] + "MDA"
    assert P["rr"] + "p3" not in {o for p, o in before[project_copy / "data" / "countries.ttl"][mda]}
    f = tmp_path / "mda.csv"
    f.write_text("title,summary,countries,source,supports recommendations,support rationale,contact\n"
                 "Moldovan diaspora doctors in Chile,\"Moldovan doctors living in Chile return for short teaching "
                 "assignments to hospitals in Moldova.\",Moldova; Chile,rapporteur report p. 3,"
                 "rec:bp-diaspora-participation,Diaspora doctors add teaching capacity.,Ion <ion@example.org>\n",
                 encoding="utf-8")
    done = run(project_copy, "add", str(f))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "appended new nodes to data/countries.ttl (new countries)" in done.stdout
    assert "regions.ttl" not in done.stdout  # Chile's region exists: the file is not touched, nor reported
    status = sorted(_git(project_copy, "status", "--porcelain", "--untracked-files=all").splitlines())
    assert status == [" M data/countries.ttl", "?? data/contrib/moldovan-diaspora-doctors-chile.ttl"]
    diff = _git(project_copy, "diff", "-U0", "--", "data", "ontology", "queries")
    removed = [line for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    assert removed == []
    after = _by_subject(project_copy / "data" / "countries.ttl")
    old = before[project_copy / "data" / "countries.ttl"]
    assert {s: after[s] for s in old} == old  # every curated node exactly as it was
    assert set(after) - set(old) == {P["country"] + "CHL"}
    assert not any(p == P["prov"] + "wasDerivedFrom" for p, _o in after[P["country"] + "CHL"])


def test_source_forms_doi_citation_web_address_and_page(project, tmp_path):
    f = tmp_path / "sources.csv"
    f.write_text(
        "id,title,summary,countries,source\n"
        "doi-source,A practice with a DOI,A summary long enough to be a summary.,Ghana,doi:10.1234/abc.5\n"
        "cited-source,A practice with a citation,A summary long enough to be a summary.,Ghana,"
        "World Bank (2016). Migration and Remittances Factbook.\n"
        "web-source,A practice with a web page,A summary long enough to be a summary.,Ghana,https://example.org/x\n"
        "typo-source,A practice with a typo,A summary long enough to be a summary.,Ghana,backgrond paper p 10\n",
        encoding="utf-8")
    units = {u.slug: u for u in check(project, [f], shapes=True).units}
    doi = units["doi-source"].quads
    work = P["practice"] + "doi-source#work"
    assert objects(doi, P["practice"] + "doi-source", P["prov"] + "wasDerivedFrom") == {
        P["practice"] + "doi-source#source"}
    assert objects(doi, P["practice"] + "doi-source#source", P["dcterms"] + "isPartOf") == {work}
    assert objects(doi, work, P["rdf"] + "type") == {P["bibo"] + "Document"}
    assert objects(doi, work, P["bibo"] + "doi") == {"10.1234/abc.5"}
    assert objects(doi, work, P["foaf"] + "page") == {"https://doi.org/10.1234/abc.5"}
    assert objects(doi, work, P["dcterms"] + "bibliographicCitation") == {"doi:10.1234/abc.5"}
    cited = units["cited-source"].quads
    assert objects(cited, P["practice"] + "cited-source#work", P["dcterms"] + "bibliographicCitation") == {
        "World Bank (2016). Migration and Remittances Factbook."}
    assert objects(cited, P["practice"] + "cited-source", P["gfmd"] + "sourceAsGiven") == {
        "World Bank (2016). Migration and Remittances Factbook."}
    assert objects(units["web-source"].quads, P["practice"] + "web-source#source", P["dcterms"] + "isPartOf") == {
        "https://example.org/x"}
    for slug in ("doi-source", "cited-source", "web-source"):
        assert [p.message for p in units[slug].problems if p.severity == "error"] == [], slug
    (typo,) = [p for p in units["typo-source"].problems if p.field == "source"]
    assert typo.severity == "error" and typo.message.startswith("'backgrond paper p 10' is neither a page")


def test_an_rdf_contribution_cannot_attribute_or_accept_itself_nor_use_the_curators_basis(project, tmp_path):
    head = "".join(line + "\n" for line in (FIX / "practice.ttl").read_text(encoding="utf-8").splitlines()
                   if line.startswith("@prefix"))
    f = tmp_path / "self-accepted.ttl"
    f.write_text(head + """@prefix basis: <https://w3id.org/gfmdkg/vocab/link-basis/> .
@prefix rec: <https://w3id.org/gfmdkg/id/recommendation/> .
practice:self-accepted a gfmd:Practice ;
    dcterms:title "Self-accepted nurse tutors"@en ; rdfs:label "Self-accepted nurse tutors"@en ;
    dcterms:description "Nurse tutors from Ghana spend a term at partner schools abroad and back."@en ;
    dcterms:spatial country:GHA ; gfmd:thematicArea ta:diasporas ;
    gfmd:supports rec:bp-diaspora-participation ; gfmd:qualifiedSupport practice:self-accepted\\#s ;
    gfmd:reviewStatus <https://w3id.org/gfmdkg/vocab/review-status/accepted> ;
    prov:wasDerivedFrom bp:p10 .
practice:self-accepted\\#s a gfmd:SupportLink ; gfmd:target rec:bp-diaspora-participation ;
    gfmd:rationale "The curators would surely agree with this."@en ; gfmd:basis basis:curators-judgement .
""", encoding="utf-8")
    result = check(project, [f], shapes=True)
    errors = {(p.check, p.field) for p in result.errors}
    assert ("provenance", "gfmd:reviewStatus") in errors
    assert ("shapes", "gfmd:qualifiedSupport") in errors  # gfmdsh:ContributionSupport
    assert result.exit_code == 1


def test_unnamed_contributor_is_recorded_as_such_and_said(project_copy, tmp_path):
    f = tmp_path / "anon.csv"
    f.write_text("title,summary,countries,source\nAnonymous practice here,A summary long enough to be a summary.,"
                 "Ghana,bp:p10\n", encoding="utf-8")
    done = run(project_copy, "add", str(f))
    assert done.returncode == 0, done.stderr
    assert "recorded as an unnamed contributor" in done.stderr
    quads = list(parse_file(project_copy / "data" / "contrib" / "anonymous-practice-here.ttl"))
    agent = P["practice"] + "anonymous-practice-here#contributor"
    assert objects(quads, agent, P["foaf"] + "name") == {"an unnamed contributor"}


@pytest.mark.parametrize("name", ["", "x" * 201, "two\nlines"])
def test_a_bad_contributor_name_is_a_usage_error(project_copy, name):
    done = run(project_copy, "add", "--contributor", name, str(FIX / "nurses.csv"))
    assert done.returncode == 2
    assert done.stderr.startswith("gfmdkg: error: --contributor needs a name of 1 to 200 characters")
    assert not (project_copy / "data" / "contrib").exists()


def test_an_editable_checkout_is_not_called_the_packaged_copy(project_copy):
    with pytest.raises(ReadOnlyProject) as info:
        Project(project_copy, writable=False, origin="checkout").require_writable()
    assert "source checkout gfmdkg was installed from" in info.value.message
    assert "packaged" not in info.value.message and f"--project {project_copy}" in info.value.hint
    with pytest.raises(ReadOnlyProject) as info:
        Project(project_copy, writable=False, origin="packaged").require_writable()
    assert "read-only copy packaged with gfmdkg" in info.value.message


def test_check_records_the_same_contributor_add_will(project):
    result = check(project, [FIX / "nurses.csv"], contributor="Ghana Nurses")
    agent = NURSES + "#contributor"
    assert objects(result.units[0].quads, agent, P["foaf"] + "name") == {"Ghana Nurses"}
    assert result.contributors == ["Ghana Nurses"] and result.exit_code == 0
    assert ox.NamedNode(NURSES) in {q.subject for q in result.units[0].quads}


def test_a_new_region_is_appended_and_reported_and_curate_keeps_contributions_out_of_locators(project_copy,
                                                                                             tmp_path):
    """Samoa's region (Polynesia) is not in the graph yet: regions.ttl changes, and says so; no existing region
    or country changes. `gfmdkg curate countries` afterwards never gives a country a contribution's page."""
    regions = project_copy / "ontology" / "vocab" / "regions.ttl"
    old_regions = _by_subject(regions)
    f = tmp_path / "samoa.csv"
    f.write_text("title,summary,countries,source\nSamoan seasonal workers savings scheme,\"Samoan seasonal workers "
                 "in New Zealand save part of their wages in a scheme run with their home villages.\",Samoa; "
                 "Moldova,rapporteur report p. 3\n", encoding="utf-8")
    done = run(project_copy, "add", "--contributor", "Pacific Workers Network", str(f))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "appended new nodes to ontology/vocab/regions.ttl (new countries)" in done.stdout.splitlines()
    new_regions = _by_subject(regions)
    assert {s: new_regions[s] for s in old_regions} == old_regions
    assert set(new_regions) - set(old_regions) == {P["region"] + "polynesia"}
    assert run(project_copy, "validate", "--no-qc").returncode == 0
    assert run(project_copy, "curate", "countries").returncode == 0
    countries = _by_subject(project_copy / "data" / "countries.ttl")
    derived = P["prov"] + "wasDerivedFrom"
    assert not any(p == derived for p, _o in countries[P["country"] + "WSM"])
    assert (derived, f"<{P['rr']}p3>") not in countries[P["country"] + "MDA"]


def test_contributing_add_example_is_real_output(project_copy, tmp_path):
    """docs/CONTRIBUTING.md shows `gfmdkg add --contributor ...` on its filled-in example: that is what it prints."""
    import re
    import shlex

    text = (Path(__file__).resolve().parent.parent / "docs" / "CONTRIBUTING.md").read_text(encoding="utf-8")
    example = re.search(r"## A filled-in example.*?```csv\n(.*?)```", text, re.S).group(1)
    command, *expected = re.search(r"## What `gfmdkg add` does.*?```text\n(.*?)```", text, re.S).group(1).splitlines()
    (tmp_path / "my-practices.csv").write_text(example, encoding="utf-8")
    args = shlex.split(command.removeprefix("$ gfmdkg "))
    done = subprocess.run([sys.executable, "-m", "gfmdkg", "--project", str(project_copy), *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == expected


def test_saved_queries_listing_practices_tell_curated_from_contributed(project_copy):
    import json

    assert run(project_copy, "add", "--contributor", "Jane Doe", str(FIX / "nurses.csv")).returncode == 0
    for name, param in [("practices-by-recommendation", "rec=rec:bp-diaspora-participation"),
                        ("practices-by-tag", "tag=tag:migration-and-health"),
                        ("practices-by-thematic-area", "area=ta:diasporas"), ("practices-by-organisation",
                                                                              "org=orgid:iom"),
                        ("practices-active-in-year", "year=2016")]:
        done = run(project_copy, "query", name, "-p", param, "-f", "json")
        assert done.returncode == 0, (name, done.stderr)
        origins = {b["practice"]["value"]: b["origin"]["value"] for b in json.loads(done.stdout)["results"]["bindings"]}
        assert origins.pop(NURSES) == "contributed, submitted", name
        assert origins and set(origins.values()) == {"curated"}, name
