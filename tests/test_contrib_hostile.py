"""Hostile values in contributions, through the real CLI: only web IRIs (mailto: for contacts), no relative IRI
resolved against the contributor's path, hard size limits; refused with the line, nothing written, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gfmdkg.contrib.values import MAX_LITERAL_CHARS

FIX = Path(__file__).parent / "fixtures" / "contrib"
TTL = (FIX / "practice.ttl").read_text(encoding="utf-8")


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gfmdkg", "--project", str(project), *args], capture_output=True,
                          text=True, timeout=300)


def practice(tmp_path: Path, name: str, extra: str = "", description: str | None = None) -> Path:
    """The fixture practice under a new IRI, with ``extra`` statements (its last line) and another description."""
    text = TTL.replace("ghana-nurse-tutors", f"ghana-nurse-tutors-{name}")
    text = "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n" + text
    if description is not None:
        text = text.replace('"Nurse tutors from Ghana spend a term at partner schools abroad and bring teaching '
                            'methods home."', json.dumps(description))
    if extra:
        text = text.replace("prov:wasDerivedFrom bp:p10 .", f"prov:wasDerivedFrom bp:p10 ;\n    {extra} .")
    path = tmp_path / f"{name}.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def extra_line(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("iri", ["javascript:alert(1)", "data:text/html,alert(1)", "file:///etc/passwd",
                                 "ftp://example.org/x", "mailto:someone@example.org", "urn:x-evil:1"])
def test_only_web_iris_are_published(project_copy, tmp_path, iri):
    f = practice(tmp_path, "bad-link", f"foaf:page <{iri}>")
    for command in ("check", "add"):
        done = run(project_copy, command, str(f))
        assert done.returncode == 1, done.stdout + done.stderr
        report = " ".join(done.stdout.split())
        assert f"error line {extra_line(f)} foaf:page: <{iri}> is a " in report
        assert "a contribution may only use web IRIs (http:// or https://)" in report
    assert not (project_copy / "data" / "contrib").exists()


def test_mailto_is_accepted_for_a_contact_and_web_links_pass(project_copy, tmp_path):
    f = practice(tmp_path, "contact", "foaf:page <https://example.org/nurses> ;\n"
                 "    <http://www.w3.org/2006/vcard/ns#hasEmail> <mailto:jane@example.org>")
    done = run(project_copy, "check", str(f))
    assert "IRI" not in done.stdout, done.stdout


def test_a_relative_iri_is_an_error_naming_the_line_never_a_file_iri(project_copy, tmp_path):
    f = practice(tmp_path, "relative", "foaf:page <other/page.html>")
    for command in ("check", "add"):
        done = run(project_copy, command, str(f))
        assert done.returncode == 2
        assert done.stderr.startswith(f"gfmdkg: error: {f}:{extra_line(f)}:"), done.stderr
        assert "a relative IRI: a contribution must use full IRIs" in done.stderr and "Traceback" not in done.stderr
    assert not (project_copy / "data" / "contrib").exists()
    added = run(project_copy, "add", "--base", "https://example.org/base/", str(f))  # a base given: resolved
    assert added.returncode == 0, added.stdout + added.stderr
    written = (project_copy / "data" / "contrib" / "ghana-nurse-tutors-relative.ttl").read_text(encoding="utf-8")
    assert "<https://example.org/base/other/page.html>" in written and "file:" not in written


def test_a_relative_jsonld_id_is_an_error_naming_the_line(project_copy, tmp_path):
    doc = json.loads((FIX / "practice.jsonld").read_text(encoding="utf-8"))
    doc["@id"] = "practice/relative-one"
    f = tmp_path / "relative.jsonld"
    f.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    done = run(project_copy, "add", str(f))
    assert done.returncode in (1, 2) and "Traceback" not in done.stderr
    line = next(n for n, text in enumerate(f.read_text().splitlines(), 1) if '"@id": "practice/relative' in text)
    said = done.stdout + done.stderr
    assert (f"line {line}" in said or f"{f}:{line}:" in said) and "is a relative IRI" in said, said
    assert not (project_copy / "data" / "contrib").exists()


def test_a_10_mb_description_is_refused_with_the_limit(project_copy, tmp_path):
    f = practice(tmp_path, "huge", description="x" * 10_000_000)
    done = run(project_copy, "add", str(f))
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr
    assert (f"is 10,000,000 characters long, over the limit of {MAX_LITERAL_CHARS:,}" in
            " ".join(done.stdout.split()))
    assert len(done.stdout) < 5000  # the value is not echoed
    assert not (project_copy / "data" / "contrib").exists()


def test_a_10_mb_jsonld_string_is_a_clean_error(project_copy, tmp_path):
    doc = json.loads((FIX / "practice.jsonld").read_text(encoding="utf-8"))
    doc["description"] = "y" * 10_000_000
    f = tmp_path / "huge.jsonld"
    f.write_text(json.dumps(doc), encoding="utf-8")
    for command in ("check", "add"):
        done = run(project_copy, command, str(f))
        assert done.returncode == 2
        assert done.stderr.startswith(f"gfmdkg: error: {f}:1: a string of 10,000,000 characters, over the limit of "
                                      f"{MAX_LITERAL_CHARS:,} for one value\n"), done.stderr
        assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert not (project_copy / "data" / "contrib").exists()


def test_the_parser_buffer_limit_is_a_clean_error(tmp_path):
    """Past the contribution checks (any JSON-LD file the tools read): pyoxigraph's MemoryError is a ParseError."""
    from gfmdkg.errors import ParseError
    from gfmdkg.rdfio import parse_file

    f = tmp_path / "huge.jsonld"
    f.write_text(json.dumps({"@id": "https://example.org/x", "https://example.org/p": "z" * 20_000_000}))
    with pytest.raises(ParseError, match="too large for the parser"):
        parse_file(f, max_bytes=64 * 1024 * 1024)
