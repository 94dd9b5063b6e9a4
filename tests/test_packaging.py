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


def test_installed_wheel_uses_packaged_graph_read_only(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
                   check=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if k not in ("GFMDKG_PROJECT", "PYTHONPATH")}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    exe = str(venv / "bin" / "gfmdkg")
    proc = subprocess.run([exe, "stats", "-f", "json"], cwd=elsewhere, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["origin"] == "packaged" and str(venv) in doc["project"]
    assert doc["annex_entries"] == 39
    proc = subprocess.run([exe, "validate", "--no-qc"], cwd=elsewhere, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
