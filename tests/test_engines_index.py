"""The on-disk index: built once, reused while nothing changes, rebuilt when any ontology, data, shapes or query
file changes; fingerprints of unchanged files come from the stamp cache, not from re-reading them."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

import gfmdkg.store.stamps as stamps
from gfmdkg.project import Project
from gfmdkg.store.oxigraph_engine import OxigraphEngine

REPO = Path(__file__).resolve().parent.parent
ASK_NEW = "ASK { <https://w3id.org/gfmdkg/id/practice/bench-new> ?p ?o }"
NEW_PRACTICE = ('\n<https://w3id.org/gfmdkg/id/practice/bench-new> <http://purl.org/dc/terms/title> "New"@en .\n')


@pytest.fixture
def proj(tmp_path, monkeypatch) -> Project:
    """A small copy of the shipped project (ontology, queries, two data files), its files dated a minute ago (older
    than the stamp cache's racy window), with its own empty cache."""
    root = tmp_path / "project"
    for part in ("ontology", "queries"):
        shutil.copytree(REPO / part, root / part)
    (root / "data").mkdir()
    for name in ("events.ttl", "recommendations.ttl"):
        shutil.copy(REPO / "data" / name, root / "data" / name)
    age(root)
    monkeypatch.setenv("GFMDKG_CACHE", str(tmp_path / "cache"))
    return Project(root)


def age(root: Path, seconds: float = 60) -> None:
    past = time.time() - seconds
    for p in root.rglob("*"):
        if p.is_file():
            os.utime(p, (past, past))


@pytest.fixture
def builds(monkeypatch) -> list[str]:
    """Every index build, recorded."""
    seen: list[str] = []
    real = OxigraphEngine._build

    def spy(project, root, target, progress):
        seen.append(target.name)
        return real(project, root, target, progress)

    monkeypatch.setattr(OxigraphEngine, "_build", staticmethod(spy))
    return seen


def fresh(project: Project) -> Project:
    return Project(project.root)  # a new process would see a new Project (no in-memory fingerprint)


def indexes(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.iterdir() if p.is_dir() and p.name not in ("stamps", "memo"))


def test_built_once_then_reused(proj, builds):
    first = OxigraphEngine.from_project(proj)
    assert first.query(ASK_NEW).boolean is False
    del first
    for _ in range(2):
        OxigraphEngine.from_project(fresh(proj))
    assert len(builds) == 1
    assert indexes(Path(os.environ["GFMDKG_CACHE"])) == builds


def test_touch_without_change_does_not_rebuild(proj, builds):
    OxigraphEngine.from_project(proj)
    age(proj.root, 30)  # new mtimes, same bytes
    OxigraphEngine.from_project(fresh(proj))
    assert len(builds) == 1


@pytest.mark.parametrize("part", ["data", "ontology", "queries", "shapes"])
def test_any_change_rebuilds(proj, builds, part):
    OxigraphEngine.from_project(proj)
    fp = proj.fingerprint()
    target = {"data": next((proj.root / "data").glob("*.ttl")), "ontology": proj.root / "ontology" / "gfmd.ttl",
              "queries": next((proj.root / "queries").glob("*.rq")), "shapes": proj.shapes_file}[part]
    with open(target, "a", encoding="utf-8") as f:
        f.write(NEW_PRACTICE if part in ("data", "ontology") else "\n# changed\n")
    engine = OxigraphEngine.from_project(fresh(proj))
    assert fresh(proj).fingerprint() != fp
    assert len(builds) == 2
    assert engine.query(ASK_NEW).boolean is (part in ("data", "ontology"))


def test_new_and_removed_files_rebuild(proj, builds):
    OxigraphEngine.from_project(proj)
    extra = proj.root / "data" / "zz-contribution.ttl"
    extra.write_text(NEW_PRACTICE, encoding="utf-8")
    assert OxigraphEngine.from_project(fresh(proj)).query(ASK_NEW).boolean is True
    extra.unlink()
    assert OxigraphEngine.from_project(fresh(proj)).query(ASK_NEW).boolean is False
    assert len(builds) == 2  # back to the first content: its index is still there and is used


def test_unchanged_files_are_not_reread(proj, monkeypatch):
    hashed: list[Path] = []
    real = stamps._digest
    monkeypatch.setattr(stamps, "_digest", lambda p: hashed.append(p) or real(p))
    files = proj.graph_files() + [proj.shapes_file] + proj.query_files()
    fp = proj.fingerprint()
    assert sorted(hashed) == sorted(files)
    hashed.clear()
    assert fresh(proj).fingerprint() == fp
    assert hashed == []
    changed = proj.root / "data" / "events.ttl"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert fresh(proj).fingerprint() != fp
    assert hashed == [changed]


def test_recently_written_files_are_hashed_again(proj, monkeypatch):
    """A file written within the racy window could change again in the same clock tick: never trusted."""
    hashed: list[Path] = []
    real = stamps._digest
    monkeypatch.setattr(stamps, "_digest", lambda p: hashed.append(p) or real(p))
    recent = proj.root / "data" / "events.ttl"
    recent.write_text(recent.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    proj.fingerprint()
    hashed.clear()
    fresh(proj).fingerprint()
    assert hashed == [recent]


def test_corrupt_stamp_cache_is_ignored(proj):
    fp = proj.fingerprint()
    for f in (Path(os.environ["GFMDKG_CACHE"]) / "stamps").glob("*.json"):
        f.write_text("{not json")
    assert fresh(proj).fingerprint() == fp


def test_index_survives_pruning_of_other_folders(proj, builds):
    """Pruning old indexes leaves the stamp cache (and any folder that is not an index) alone."""
    cache = Path(os.environ["GFMDKG_CACHE"])
    keep = cache / "notes"
    keep.mkdir(parents=True)
    OxigraphEngine.from_project(proj)
    assert keep.is_dir() and (cache / "stamps").is_dir()
