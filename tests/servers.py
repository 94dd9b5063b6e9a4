"""Real servers for tests, each a process on 127.0.0.1 with free ports in a temporary folder, stopped afterwards:
Oxigraph (``oxigraph`` from PyPI, pinned in the test extra) and Virtuoso (Debian's ``virtuoso-opensource`` 7.2,
installed by tests/run.sh). Nothing is mocked.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"server at {url} did not answer within {timeout} s")


class ServerProcess:
    """A server process this test run started (``proc``), stopped by :meth:`stop`."""

    proc: subprocess.Popen | None = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


class OxigraphServer(ServerProcess):
    """A running ``oxigraph serve`` process: ``query_url``, ``update_url``, ``store_url``."""

    def __init__(self, location: Path, *, union_default_graph: bool = True, port: int | None = None) -> None:
        self.location = location
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.query_url = self.base + "/query"
        self.update_url = self.base + "/update"
        self.store_url = self.base + "/store"
        self.union = union_default_graph
        self.proc: subprocess.Popen | None = None

    def start(self) -> OxigraphServer:
        exe = shutil.which("oxigraph")
        if exe is None:
            raise RuntimeError("the oxigraph server is not installed: pip install 'oxigraph==0.5.13'")
        cmd = [exe, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}", "--timeout-s", "30"]
        if self.union:
            cmd.append("--union-default-graph")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_http(self.query_url + "?query=ASK%7B%7D")
        return self


    def load(self, path: Path, content_type: str = "application/n-quads") -> None:
        """POST a file to the Graph Store endpoint (test set-up only)."""
        req = urllib.request.Request(self.store_url, data=path.read_bytes(), method="POST",
                                     headers={"Content-Type": content_type})
        with urllib.request.urlopen(req, timeout=60) as resp:
            assert resp.status in (200, 201, 204), resp.status


@contextmanager
def oxigraph_server(tmp_path: Path, **kwargs):
    """Start an Oxigraph server in ``tmp_path``; stop it afterwards."""
    server = OxigraphServer(tmp_path / "oxigraph-store", **kwargs).start()
    try:
        yield server
    finally:
        server.stop()


VIRTUOSO = "virtuoso-t"
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
ServerThreads = 5
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def virtuoso_missing() -> str | None:
    """Why a Virtuoso server cannot be started here, or None."""
    if shutil.which(VIRTUOSO) is None:
        return "Debian's virtuoso-opensource is not installed (tests/run.sh installs it: sh tests/apt_install.sh " \
               "virtuoso-opensource:/usr/bin/virtuoso-t)"
    return None


class VirtuosoServer(ServerProcess):
    """A running ``virtuoso-t`` with its own virtuoso.ini and a new database (user dba, password dba):
    ``query_url`` (/sparql), ``store_url`` (/sparql-graph-crud-auth, HTTP Digest) and ``update_url`` (/sparql-auth)."""

    user, password = "dba", "dba"  # noqa: S105 - the fresh database's own account, bound to 127.0.0.1 only

    def __init__(self, location: Path) -> None:
        self.location = location
        self.http_port, self.sql_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.query_url = self.base + "/sparql"
        self.store_url = self.base + "/sparql-graph-crud-auth"
        self.update_url = self.base + "/sparql-auth"
        self.proc: subprocess.Popen | None = None

    def start(self) -> VirtuosoServer:
        reason = virtuoso_missing()
        if reason:
            raise RuntimeError(reason)
        self.location.mkdir(parents=True, exist_ok=True)
        ini = self.location / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(d=self.location, sql_port=self.sql_port, http_port=self.http_port))
        self.proc = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(ini)], cwd=self.location,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_http(self.query_url + "?query=ASK%7B%7D", timeout=60)
        except TimeoutError:
            self.stop()
            log = self.location / "virtuoso.log"
            raise RuntimeError("Virtuoso did not start: " + (log.read_text()[-2000:] if log.exists() else "")) \
                from None
        return self

    def credentials_env(self) -> dict[str, str]:
        return {"GFMDKG_ENDPOINT_USER": self.user, "GFMDKG_ENDPOINT_PASSWORD": self.password}


@contextmanager
def virtuoso_server(tmp_path: Path):
    """Start Virtuoso in ``tmp_path``; stop it afterwards. Skips the test where Virtuoso is not installed, except in
    CI (``CI=true``, or ``GFMDKG_REQUIRE_VIRTUOSO=1`` as .ci/run sets), where a missing Virtuoso is a failure."""
    reason = virtuoso_missing()
    if reason:
        import pytest
        if os.environ.get("CI", "").lower() in ("true", "1") or os.environ.get("GFMDKG_REQUIRE_VIRTUOSO") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    server = VirtuosoServer(tmp_path / "virtuoso").start()
    try:
        yield server
    finally:
        server.stop()
