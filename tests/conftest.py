"""Shared fixtures: the repository's project, isolated caches, a real Oxigraph server."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.serve_process import ServeProcess
from tests.servers import oxigraph_server

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    """Each test session gets its own on-disk index folder (never the user's ~/.cache)."""
    cache = tmp_path_factory.mktemp("gfmdkg-cache")
    old = os.environ.get("GFMDKG_CACHE")
    os.environ["GFMDKG_CACHE"] = str(cache)
    yield cache
    if old is None:
        os.environ.pop("GFMDKG_CACHE", None)
    else:
        os.environ["GFMDKG_CACHE"] = old


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def project():
    from gfmdkg.project import Project
    return Project(REPO)


@pytest.fixture(scope="session")
def engine(project):
    """The project's graph in its on-disk index (the engine the CLI uses), shared by the whole session."""
    from gfmdkg.store.oxigraph_engine import OxigraphEngine
    return OxigraphEngine.from_project(project)


@pytest.fixture(scope="session")
def catalogue(project):
    """The project's saved queries by name."""
    from gfmdkg.sparql.catalogue import load_catalogue
    return load_catalogue(project.query_files())


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A writable copy of the repository's project (ontology/, data/, queries/) in a temp folder."""
    dest = tmp_path / "project"
    for part in ("ontology", "data", "queries"):
        shutil.copytree(REPO / part, dest / part)
    return dest


@pytest.fixture
def oxigraph(tmp_path):
    """A real, empty Oxigraph server on 127.0.0.1 (union default graph)."""
    with oxigraph_server(tmp_path) as server:
        yield server


@pytest.fixture(scope="module")
def server(repo):
    """A real ``gfmdkg serve`` of the repository's graph on a free loopback port, one per test module (a module that
    needs other options or another store defines its own)."""
    with ServeProcess(cwd=repo) as srv:
        yield srv


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
