"""Atomic writes: all or nothing, with the permissions a plain write would give."""

from __future__ import annotations

import os

import pytest

from gfmdkg.atomic import TMP_PREFIX, atomic_output, write_text_atomic


def test_new_file_gets_the_umask_mode_and_a_replaced_file_keeps_its_mode(tmp_path):
    old = os.umask(0o027)
    try:
        write_text_atomic(tmp_path / "new.txt", "a")
    finally:
        os.umask(old)
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o640
    (tmp_path / "new.txt").chmod(0o604)
    write_text_atomic(tmp_path / "new.txt", "b")
    assert (tmp_path / "new.txt").read_text() == "b"
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o604


def test_failure_midway_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.nt"
    target.write_bytes(b"old\n")
    with pytest.raises(RuntimeError), atomic_output(target) as out:
        out.write(b"half of the new")
        raise RuntimeError("stopped")
    assert target.read_bytes() == b"old\n"
    assert not list(tmp_path.glob(TMP_PREFIX + "*"))
