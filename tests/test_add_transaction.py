"""``gfmdkg add`` is all or nothing: the real process killed (SIGKILL) at random moments of a 150-practice
contribution that brings new countries leaves the complete old or the complete new project, never a mix; the next
command completes a committed transaction; stale staged files are swept; the same ``add`` run again completes."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pycountry
import pytest

from gfmdkg.atomic import TMP_PREFIX
from gfmdkg.project import find_project
from gfmdkg.transaction import JOURNAL

KILLS = 40
ROWS = 150


def gfmdkg(project: Path, *args: str, **kw) -> list[str]:
    return [sys.executable, "-m", "gfmdkg", "--project", str(project), *args]


def state(project: Path, *, hidden: bool) -> dict[str, str]:
    """Every file of data/ and ontology/ with its hash (staged temporary files and the journal only if ``hidden``)."""
    return {str(p.relative_to(project)): hashlib.sha256(p.read_bytes()).hexdigest()
            for part in ("data", "ontology") for p in sorted((project / part).rglob("*"))
            if p.is_file() and (hidden or not p.name.startswith("."))}


def big_contribution(project: Path, path: Path) -> None:
    """ROWS practices, each in a country the graph has no node for yet."""
    known = (project / "data" / "countries.ttl").read_text(encoding="utf-8")
    new = [c for c in pycountry.countries if f"country:{c.alpha_3} a " not in known and c.alpha_3 != "ATA"]
    with path.open("w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(["title", "summary", "countries", "source", "status", "thematic areas"])
        for i in range(ROWS):
            c = new[i % len(new)]
            w.writerow([f"Transaction test practice number {i} in {c.name}",
                        f"A practice written to check that adding many practices at once is all or nothing ({i}).",
                        c.alpha_3, "background paper p. 10", "ongoing", "Diasporas"])


def first_staged_file(project: Path, proc: subprocess.Popen, limit: float) -> float | None:
    """Seconds until the writer stages its first file (None if it ended first)."""
    start = time.monotonic()
    contrib = project / "data" / "contrib"
    while time.monotonic() - start < limit and proc.poll() is None:
        if contrib.is_dir() and any(p.name.startswith(TMP_PREFIX) for p in contrib.iterdir()):
            return time.monotonic() - start
        time.sleep(0.0005)
    return None


@pytest.mark.slow
def test_add_survives_kill_9_at_random_points(project_copy, tmp_path, monkeypatch):
    # every run stamps its contributions with the same dcterms:created, so "the new state" is one set of bytes
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    contribution = tmp_path / "big.csv"
    big_contribution(project_copy, contribution)
    pristine = tmp_path / "pristine"
    shutil.copytree(project_copy, pristine)
    old = state(project_copy, hidden=True)
    # the reference run: the complete new state, which validates
    reference = tmp_path / "reference"
    shutil.copytree(pristine, reference)
    began = time.monotonic()
    done = subprocess.run(gfmdkg(reference, "add", str(contribution)), capture_output=True, text=True, timeout=300)
    total = time.monotonic() - began
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    assert f"{ROWS} files, " in done.stdout and "appended new nodes to data/countries.ttl" in done.stdout
    new = state(reference, hidden=True)
    assert len(new) == len(old) + ROWS and new["data/countries.ttl"] != old["data/countries.ttl"]
    checked = subprocess.run(gfmdkg(reference, "validate", "--no-qc"), capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stdout[-2000:]

    rng = random.Random(int(os.environ.get("GFMDKG_KILL_SEED", "17")))
    outcomes = {"old": 0, "new": 0}
    staged_seen = 0
    for n in range(KILLS):
        proc = subprocess.Popen(gfmdkg(project_copy, "add", str(contribution)), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        if n % 4 == 0:  # anywhere in the run: start-up, reading, checking, writing
            time.sleep(rng.uniform(0, total))
        else:  # while writing: from the first staged file to past the commit
            staged = first_staged_file(project_copy, proc, total * 3)
            if staged is not None:
                staged_seen += 1
                time.sleep(rng.uniform(0, max(0.05, total - staged)))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        find_project(project_copy)  # what every next command does first: completes a committed transaction
        assert not (project_copy / JOURNAL).exists()
        seen = state(project_copy, hidden=False)
        if seen == new:
            outcomes["new"] += 1
            shutil.rmtree(project_copy)
            shutil.copytree(pristine, project_copy)
            continue
        assert seen == {k: v for k, v in old.items() if not Path(k).name.startswith(".")}, (
            f"kill {n}: neither the old nor the new state: "
            f"{sorted(set(seen.items()) ^ set(old.items()))[:5]}")
        outcomes["old"] += 1
        if n % 8 == 0 or n == KILLS - 1:  # the same add run again completes, and sweeps what the kill left
            again = subprocess.run(gfmdkg(project_copy, "add", str(contribution)), capture_output=True, text=True,
                                   timeout=300)
            assert again.returncode == 0, again.stdout[-2000:] + again.stderr
            assert state(project_copy, hidden=True) == new
            shutil.rmtree(project_copy)
            shutil.copytree(pristine, project_copy)
    assert staged_seen >= KILLS // 2, "the kills did not reach the writing phase"
    assert outcomes["old"] and outcomes["new"], outcomes


def test_a_committed_transaction_is_completed_by_the_next_command(project_copy):
    """The journal written, the process gone before applying it: `validate` (any command) finishes the job."""
    from gfmdkg.transaction import Transaction

    target = project_copy / "data" / "contrib" / "x.ttl"
    countries = project_copy / "data" / "countries.ttl"
    before = countries.read_bytes()
    tx = Transaction(project_copy)
    tx.stage(target, b"")
    tx.stage(countries, before + b"\n# regenerated\n")
    staged = list(tx.staged)
    real = os.replace
    calls = []

    def dies_after_the_first_rename(src, dst):
        calls.append(dst)
        if len(calls) == 3:  # the journal's own rename, then one target: the process "dies" here
            raise KeyboardInterrupt
        return real(src, dst)

    os.replace = dies_after_the_first_rename
    try:
        with pytest.raises(KeyboardInterrupt):
            tx.commit()
    finally:
        os.replace = real
    assert (project_copy / JOURNAL).exists() and target.exists() and countries.read_bytes() == before
    assert staged[1][0].exists()
    done = subprocess.run(gfmdkg(project_copy, "validate", "--no-qc"), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    assert not (project_copy / JOURNAL).exists() and not staged[1][0].exists()
    assert countries.read_bytes() == before + b"\n# regenerated\n"


def test_a_planted_journal_moves_nothing(project_copy, tmp_path):
    """A journal in a checkout (a pull request could carry one) that names files outside the staging folders is
    refused with one line, and no file is moved."""
    outside = tmp_path / "victim.txt"
    outside.write_text("keep me", encoding="utf-8")
    (project_copy / "data" / ".gfmdkg-tmp-x").write_text("x", encoding="utf-8")
    before = state(project_copy, hidden=True)
    (project_copy / JOURNAL).write_text(json.dumps({"moves": [["data/.gfmdkg-tmp-x", "../victim.txt"]]}),
                                        encoding="utf-8")
    done = subprocess.run(gfmdkg(project_copy, "validate", "--no-qc"), capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"gfmdkg: error: {project_copy / JOURNAL}: names data/.gfmdkg-tmp-x -> "
                                  "../victim.txt, which no gfmdkg transaction writes\n"), done.stderr
    assert outside.read_text(encoding="utf-8") == "keep me"
    (project_copy / JOURNAL).unlink()
    assert state(project_copy, hidden=True) == before
