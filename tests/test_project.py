"""Where the graph lives: discovery order, explicit choice, the read-only packaged copy."""

from __future__ import annotations

import pytest

from gfmdkg.errors import GfmdkgError, ReadOnlyProject
from gfmdkg.project import Project, find_project


def test_found_from_a_subdirectory(project_copy, monkeypatch):
    monkeypatch.delenv("GFMDKG_PROJECT", raising=False)
    sub = project_copy / "data"
    assert find_project(cwd=sub).root == project_copy.resolve()


def test_explicit_and_environment(project_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("GFMDKG_PROJECT", str(project_copy))
    assert find_project(cwd=tmp_path).root == project_copy.resolve()
    monkeypatch.delenv("GFMDKG_PROJECT")
    assert find_project(project_copy, cwd=tmp_path).root == project_copy.resolve()


def test_explicit_non_project_is_a_clear_error(tmp_path):
    with pytest.raises(GfmdkgError, match="not a gfmdkg project directory"):
        find_project(tmp_path)


def test_fallback_is_read_only(tmp_path, monkeypatch):
    monkeypatch.delenv("GFMDKG_PROJECT", raising=False)
    p = find_project(cwd=tmp_path)
    assert p.origin in ("packaged", "checkout") and not p.writable
    said = "read-only copy packaged" if p.origin == "packaged" else "source checkout gfmdkg was installed from"
    with pytest.raises(ReadOnlyProject, match=said):
        p.require_writable()


def test_fingerprint_changes_with_any_file(project_copy):
    before = Project(project_copy).fingerprint()
    assert Project(project_copy).fingerprint() == before
    q = project_copy / "queries" / "practices-by-recommendation.rq"
    q.write_text(q.read_text() + "\n# changed\n")
    assert Project(project_copy).fingerprint() != before


def test_one_named_graph_per_file(project):
    iris = [project.graph_iri(p) for p in project.graph_files()]
    assert len(iris) == len(set(iris))
    assert "https://w3id.org/gfmdkg/graph/data/findings" in iris


def test_find_line_names_the_subject_line_not_the_blank_line_above(tmp_path):
    from gfmdkg.rdfio import find_line
    path = tmp_path / "a.ttl"
    path.write_text("@prefix ex: <https://example.org/> .\n\n\nex:a ex:p 1 .\n\n  <https://example.org/b> ex:p 2 .\n"
                    "ex:c ex:q ex:d .\n", encoding="utf-8")
    assert find_line(path, "https://example.org/a", {}) == 4
    assert find_line(path, "https://example.org/b", {}) == 6
    assert find_line(path, "https://example.org/d", {}) == 7  # only as an object: the fallback finds that line
    assert find_line(path, "https://example.org/zzz", {}) is None
