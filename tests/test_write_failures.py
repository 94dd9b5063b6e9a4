"""A read-only data/ or a full disk during `add` or `curate countries`: one line (and a hint), exit 2, no traceback,
nothing half-written; new files get the umask's mode, rewritten curated files keep theirs.

The real cases run the CLI in a private mount namespace (``unshare -m``) on a read-only bind mount or a tiny
tmpfs (root is not stopped by chmod); where that is not allowed they skip, and the in-process cases (os.replace
failing with EROFS at the commit) still run."""

from __future__ import annotations

import errno
import hashlib
import os
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from gfmdkg.contrib import writer
from gfmdkg.errors import GfmdkgError
from gfmdkg.project import Project
from gfmdkg.transaction import JOURNAL

FIX = Path(__file__).parent / "fixtures" / "contrib"
NEW_COUNTRY = FIX / "practice.yaml"  # names Chile, which has no country node yet


def snapshot(project: Path) -> dict[str, str]:
    return {str(p.relative_to(project)): hashlib.sha256(p.read_bytes()).hexdigest()
            for part in ("data", "ontology") for p in sorted((project / part).rglob("*")) if p.is_file()}


def _namespaces_allowed() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=16k tmpfs /mnt"],
                           capture_output=True, timeout=30)
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(not _namespaces_allowed(),
                                  reason="needs `unshare -m` and mount (root in a mount namespace) for a real "
                                  "read-only or full file system")


def run_mounted(project: Path, setup: str, *args: str) -> subprocess.CompletedProcess:
    """``gfmdkg --project PROJECT ARGS`` in a private mount namespace prepared by the shell commands ``setup``."""
    command = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "gfmdkg", "--project", str(project), *args])
    return subprocess.run(["unshare", "-m", "sh", "-c", f"set -e; {setup}; exec {command}"], capture_output=True,
                          text=True, timeout=300, env=os.environ | {"PYTHONPATH": str(Path(__file__).parent.parent)})


def assert_one_line_error(done: subprocess.CompletedProcess, reason: str) -> None:
    assert done.returncode == 2, done.stdout[-2000:] + done.stderr
    lines = done.stderr.splitlines()
    assert lines[0].startswith("gfmdkg: error: cannot write ") and lines[0].endswith(f": {reason}; nothing was changed")
    assert len(lines) == 2 and lines[1].startswith("  what to do: ")
    assert "Traceback" not in done.stderr


def stale_countries(project: Path) -> None:
    """Make `curate countries` have something to write: drop the generated header line of data/countries.ttl."""
    path = project / "data" / "countries.ttl"
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")


@needs_mounts
def test_read_only_data_during_add_and_curate(project_copy):
    data = shlex.quote(str(project_copy / "data"))
    read_only = f"mount --bind {data} {data}; mount -o remount,bind,ro {data}"
    stale_countries(project_copy)
    before = snapshot(project_copy)
    assert_one_line_error(run_mounted(project_copy, read_only, "add", str(NEW_COUNTRY)),
                          "the file system is read-only")
    assert_one_line_error(run_mounted(project_copy, read_only, "curate", "countries"), "the file system is read-only")
    assert snapshot(project_copy) == before


@needs_mounts
def test_full_disk_during_add_and_curate(project_copy, tmp_path):
    data = project_copy / "data"
    stale_countries(project_copy)
    size = sum(p.stat().st_size for p in data.rglob("*") if p.is_file())
    spare = tmp_path / "spare"
    shutil.copytree(data, spare)
    # data/ on a tmpfs just big enough for what is there: the new files cannot fit
    full = (f"mount -t tmpfs -o size={size // 1024 + 48}k tmpfs {shlex.quote(str(data))}; "
            f"cp -a {shlex.quote(str(spare))}/. {shlex.quote(str(data))}/; "
            f"head -c 100000000 /dev/zero > {shlex.quote(str(data))}/.fill 2>/dev/null || true")
    before = snapshot(project_copy)
    assert_one_line_error(run_mounted(project_copy, full, "add", str(NEW_COUNTRY)), "no space is left on the device")
    assert_one_line_error(run_mounted(project_copy, full, "curate", "countries"), "no space is left on the device")
    assert snapshot(project_copy) == before


@pytest.mark.parametrize("fail_at", ["journal", "stage"])
def test_read_only_at_commit_leaves_nothing(project_copy, monkeypatch, fail_at):
    """In-process: the file system turns read-only when the journal (the commit point) or a staged file is
    renamed: the old state stands, no staged file, no journal."""
    before = snapshot(project_copy)
    real = os.replace

    def read_only(src, dst):
        if (fail_at == "journal") == str(dst).endswith(JOURNAL):
            raise OSError(errno.EROFS, "Read-only file system")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", read_only)
    if fail_at == "journal":
        with pytest.raises(GfmdkgError, match=r"^cannot write data/.gfmdkg-journal.json: the file system is "
                                              r"read-only; nothing was changed"):
            writer.add(Project(project_copy), [NEW_COUNTRY])
        assert snapshot(project_copy) == before
        return
    # the journal is written, the first rename fails: the change is recorded, and completed by the next command
    with pytest.raises(GfmdkgError, match=r"^cannot finish writing .*: the file system is read-only\n  what to "
                                          r"do: the change is recorded in data/.gfmdkg-journal.json"):
        writer.add(Project(project_copy), [NEW_COUNTRY])
    monkeypatch.setattr(os, "replace", real)
    from gfmdkg.project import find_project

    find_project(project_copy)
    after = snapshot(project_copy)
    assert "data/contrib/chilean-diaspora-health-volunteers.ttl" in after and after["data/countries.ttl"] != \
        before["data/countries.ttl"]
    assert not [p for p in project_copy.rglob(".gfmdkg-*")]


def test_new_files_get_the_umask_mode_and_curated_files_keep_theirs(project_copy):
    countries = project_copy / "data" / "countries.ttl"
    countries.chmod(0o640)
    done = subprocess.run(["sh", "-c", "umask 002; exec \"$@\"", "sh", sys.executable, "-m", "gfmdkg", "--project",
                           str(project_copy), "add", str(NEW_COUNTRY)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "appended new nodes to data/countries.ttl" in done.stdout
    assert stat.S_IMODE(countries.stat().st_mode) == 0o640
    new = project_copy / "data" / "contrib" / "chilean-diaspora-health-volunteers.ttl"
    assert stat.S_IMODE(new.stat().st_mode) == 0o664
