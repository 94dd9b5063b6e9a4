"""What the engine cannot do is said, not hidden: a query it cannot evaluate names the reason (not "stopped without
an answer"), and an index folder that is full or unwritable gives way to the in-memory graph with a one-line note."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

W3C = Path(__file__).resolve().parent.parent.parent / "shared" / "w3c-tests" / "sparql11-syntax-query"
EXPR_04 = W3C / "syntax-select-expr-04.rq"


def gfmdkg(project, *args: str, env: dict | None = None, preexec=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gfmdkg", "--project", str(project.root), *args],
                          capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})},
                          preexec_fn=preexec)


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_unsupported_custom_function_is_named(project, tmp_path, engine):
    if not EXPR_04.is_file():
        pytest.skip(f"needs ../shared/w3c-tests/sparql11-syntax-query/{EXPR_04.name}: the W3C SPARQL syntax tests")
    # the W3C query as written, and with values so that its function is called
    called = tmp_path / "called.rq"
    called.write_text(EXPR_04.read_text(encoding="utf-8").replace("{}", "{ VALUES (?x ?y) { (1 2) } }"),
                      encoding="utf-8")
    for query in (EXPR_04, called):
        done = gfmdkg(project, "query", str(query), "--engine", engine)
        assert "stopped without an answer" not in done.stderr and "Traceback" not in done.stderr
        if engine == "rdflib":  # rdflib leaves an unknown function's result unbound, as SPARQL's errors do
            assert done.returncode == 0 and "1 row" in done.stdout, done.stderr
        else:
            assert done.returncode == 2
            assert done.stderr.splitlines()[0] == ("gfmdkg: error: the evaluation failed: The custom function "
                                                   "<http://example/function> is not supported")


def _small_files() -> None:
    """In the child: no file may grow past 64 KiB (as on a full disk), and writing past it is an error."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_full_index_folder_falls_back_to_memory(project, tmp_path):
    cache = tmp_path / "cache"
    expected = gfmdkg(project, "query", "bibliography", "-f", "csv", env={"GFMDKG_CACHE": str(tmp_path / "ok")})
    assert expected.returncode == 0 and len(expected.stdout.splitlines()) > 5
    done = gfmdkg(project, "query", "bibliography", "-f", "csv", env={"GFMDKG_CACHE": str(cache)},
                  preexec=_small_files)
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected.stdout
    assert done.stderr.splitlines() == [
        f"gfmdkg: note: cannot use the index folder {cache} (file too large): working in memory instead (set "
        "GFMDKG_CACHE to a writable folder with free space to keep an index)"]
    assert not [p for p in cache.iterdir() if p.name.startswith(".tmp")]  # the half-built index is gone


def test_unwritable_index_folder_falls_back_to_memory(project, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    done = gfmdkg(project, "query", "bibliography", "-f", "csv", env={"GFMDKG_CACHE": str(blocker / "cache")})
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) > 5
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith(f"gfmdkg: note: cannot use the index folder {blocker / 'cache'} (not a directory)")
