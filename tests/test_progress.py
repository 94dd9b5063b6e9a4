"""Progress bars: drawn on a terminal (a real pseudo-terminal here), never into a pipe or a file."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from tests.conftest import REPO


def _run(args: list[str], cache, *, tty: bool) -> tuple[int, str, str]:
    """Run the CLI with a fresh index cache; stderr on a pseudo-terminal when ``tty``."""
    env = dict(os.environ, GFMDKG_CACHE=str(cache), COLUMNS="80")
    cmd = [sys.executable, "-m", "gfmdkg", "--project", str(REPO), *args]
    if not tty:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        return proc.returncode, proc.stdout, proc.stderr
    master, slave = pty.openpty()
    out_file = cache.parent / f"{cache.name}.out"
    with open(out_file, "wb") as out_fh:  # a file, not a pipe: nothing blocks while the terminal is read
        proc = subprocess.Popen(cmd, env=env, stdout=out_fh, stderr=slave)
    os.close(slave)
    err = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal is closed once the process has exited
            break
        if not chunk:
            break
        err += chunk
    proc.wait(timeout=300)
    os.close(master)
    return proc.returncode, out_file.read_text(), err.decode(errors="replace")


def test_index_build_shows_progress_on_a_terminal(tmp_path):
    code, out, err = _run(["query", "source-problems", "-f", "csv"], tmp_path / "cache1", tty=True)
    assert code == 0, err
    assert "indexing" in err and "100%" in err
    assert out.startswith("type,node,label,note,locators\n")  # the answer itself is on stdout, untouched


def test_no_progress_into_a_pipe(tmp_path):
    code, out, err = _run(["query", "source-problems", "-f", "csv"], tmp_path / "cache2", tty=False)
    assert code == 0, err
    assert "indexing" not in err and err == ""
    assert out.startswith("type,node,label,note,locators\n")
