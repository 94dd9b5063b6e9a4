"""Real servers for tests: an Oxigraph server process on 127.0.0.1 in a temporary folder.

``oxigraph`` comes from PyPI (the ``oxigraph`` package, pinned in the test extra); nothing is mocked.
"""

from __future__ import annotations

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


class OxigraphServer:
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

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

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
