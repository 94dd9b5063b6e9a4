"""The wheel carries ontology/, data/ and queries/: an installed gfmdkg works outside any checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(repo)],
                   check=True, timeout=600)
    [whl] = list(out.glob("gfmdkg-*.whl"))
    return whl


def test_wheel_contains_the_graph(wheel, repo):
    names = set(zipfile.ZipFile(wheel).namelist())
    for part in ("ontology/gfmd.ttl", "ontology/shapes.ttl", "data/findings.ttl",
                 "queries/practices-by-recommendation.rq"):
        assert f"gfmdkg/_graph/{part}" in names, part
    shipped = {n.split("_graph/", 1)[1] for n in names if "/_graph/data/" in n and n.endswith(".ttl")}
    assert shipped == {str(p.relative_to(repo)) for p in (repo / "data").rglob("*.ttl")}


def test_wheel_contains_the_pages_scripts(wheel, repo):
    """The SPARQL editor's scripts and styles (CodeMirror, vendored) and their licence are served from the
    installed package: they must be in the wheel, byte for byte."""
    archive = zipfile.ZipFile(wheel)
    static = repo / "gfmdkg" / "serve" / "static"
    for path in ["editor.js", "forms.css", *(f"vendor/codemirror/{n}" for n in
                 ("codemirror.js", "codemirror.css", "sparql.js", "LICENSE", "README.md"))]:
        assert archive.read(f"gfmdkg/serve/static/{path}") == (static / path).read_bytes(), path


def test_wheel_carries_the_world_maps_geometry(wheel, repo):
    """The bundled Natural Earth geometry of the world map (gfmdkg/serve/geo/), byte for byte: pages never fetch
    map data."""
    name = "gfmdkg/serve/geo/countries.json"
    data = zipfile.ZipFile(wheel).read(name)
    assert data == (repo / name).read_bytes() and json.loads(data)["countries"]["GHA"]["d"]


@pytest.fixture(scope="module")
def bare_venv(wheel, tmp_path_factory):
    """A new virtual environment with nothing but the wheel and its declared dependencies (from the package index):
    no system site packages, no editable install, no PYTHONPATH. What a user's ``pip install .`` gets."""
    venv = tmp_path_factory.mktemp("bare") / "venv"
    base = getattr(sys, "_base_executable", sys.executable)  # from inside a venv too: a venv of the interpreter
    subprocess.run([base, "-m", "venv", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    proc = subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
                          capture_output=True, text=True, timeout=1200, env=_clean_env())
    assert proc.returncode == 0, proc.stderr[-3000:]
    return venv


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if k not in ("GFMDKG_PROJECT", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")}


def _run(venv, args: list[str], cwd) -> subprocess.CompletedProcess:
    return subprocess.run([str(venv / "bin" / "gfmdkg"), *args], cwd=cwd, env=_clean_env(), capture_output=True,
                          text=True, timeout=600)


def test_bare_venv_has_nothing_from_the_checkout(bare_venv, repo, tmp_path):
    proc = subprocess.run([str(bare_venv / "bin" / "python"), "-c", "import gfmdkg, sys; print(gfmdkg.__file__); "
                           "print(any('site-packages' in p and str(sys.base_prefix) in p for p in sys.path))"],
                          cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, timeout=60)
    where, system_site = proc.stdout.split()
    assert str(bare_venv) in where and str(repo) not in where
    assert system_site == "False"


def test_readme_quickstart_in_a_bare_venv_outside_the_checkout(bare_venv, repo, tmp_path):
    """The README's first command, as written there, after ``pip install``: validate, stats, gapmap."""
    readme = (repo / "README.md").read_text(encoding="utf-8")
    line = next(s for s in readme.splitlines() if s.startswith("python3 -m pip install . &&"))
    steps = [part.strip().split() for part in line.split("&&")[1:]]
    assert [s[:2] for s in steps] == [["gfmdkg", "validate"], ["gfmdkg", "stats"], ["gfmdkg", "gapmap"]]
    for step in steps:
        proc = _run(bare_venv, step[1:], tmp_path)
        assert proc.returncode == 0, (step, proc.stdout[-2000:], proc.stderr[-2000:])
        assert "Traceback" not in proc.stderr
    doc = json.loads(_run(bare_venv, ["stats", "-f", "json"], tmp_path).stdout)
    assert doc["origin"] == "packaged" and str(bare_venv) in doc["project"]
    assert doc["annex_entries"] == 39


def test_every_subcommand_help_in_a_bare_venv(bare_venv, tmp_path):
    top = _run(bare_venv, ["--help"], tmp_path)
    assert top.returncode == 0, top.stderr
    commands = [line.split()[0] for line in top.stdout.split("Commands:", 1)[1].splitlines() if line.strip()]
    assert {"validate", "query", "export", "serve", "add", "check"} <= set(commands)
    for name in commands:
        proc = _run(bare_venv, [name, "--help"], tmp_path)
        assert proc.returncode == 0 and "Usage:" in proc.stdout, (name, proc.stderr[-2000:])


def test_packaged_graph_is_read_only(bare_venv, tmp_path):
    proc = _run(bare_venv, ["validate", "--no-qc"], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    contribution = tmp_path / "c.csv"
    template = _run(bare_venv, ["template", "-f", "csv"], tmp_path)
    assert template.returncode == 0, template.stderr
    contribution.write_text(template.stdout, encoding="utf-8")
    proc = _run(bare_venv, ["add", str(contribution)], tmp_path)
    assert proc.returncode == 2 and "read-only" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_a_plain_install_adds_every_country_check_accepts(bare_venv, repo, tmp_path):
    """Issue #12: `check` accepted a new country and `add` then failed for lack of the curation libraries."""
    import shutil

    project = tmp_path / "project"
    for part in ("ontology", "data", "queries"):
        shutil.copytree(repo / part, project / part)
    contribution = tmp_path / "new-country.csv"
    contribution.write_text("title,summary,countries,source,thematic areas\nA practice in a renamed country,A summary "
                            "long enough to be a summary for this test.,Swaziland,bp:p10,Diasporas\n", encoding="utf-8")
    for command in ("check", "add"):
        proc = _run(bare_venv, ["--project", str(project), command, str(contribution)], tmp_path)
        assert proc.returncode == 0, (command, proc.stdout[-2000:], proc.stderr[-2000:])
    assert "country:SWZ a schema:Country" in (project / "data" / "countries.ttl").read_text(encoding="utf-8")
