"""A real ``gfmdkg serve`` process for tests: started on a free port, stopped with SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


class ServeProcess:
    """``gfmdkg serve ARGS --port 0``; ``base`` is its URL once started."""

    def __init__(self, *args: str, cwd: Path | None = None, env: dict | None = None) -> None:
        self.args = list(args)
        self.cwd = cwd
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen | None = None
        self.base = ""
        self.log = b""
        self.startup_seconds = 0.0

    def start(self, timeout: float = 60.0) -> ServeProcess:
        started = time.monotonic()
        cmd = [sys.executable, "-m", "gfmdkg", "serve", "--port", "0", *self.args]
        import tempfile
        self._err = tempfile.TemporaryFile()  # the access log: a file, so a long test never fills a pipe
        self.proc = subprocess.Popen(cmd, cwd=self.cwd, env=self.env, stdout=subprocess.PIPE, stderr=self._err)
        line = self.proc.stdout.readline().decode().strip()  # the first line of stdout is the URL
        if not line.startswith("http://"):
            self.proc.kill()
            self.proc.wait(timeout=10)
            self._err.seek(0)
            raise RuntimeError(f"gfmdkg serve did not start: {line!r} {self._err.read().decode()}")
        self.base = line.rstrip("/")
        deadline = started + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/static/style.css", timeout=2):
                    break
            except OSError:
                time.sleep(0.05)
        self.startup_seconds = time.monotonic() - started
        return self

    def stop(self, sig: int = signal.SIGTERM) -> int:
        """Stop with ``sig``; return the exit code (the access log is kept in ``self.log``)."""
        if self.proc is None:
            return 0
        self.proc.send_signal(sig)
        try:
            self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
        self._err.seek(0)
        self.log = self._err.read()
        self._err.close()
        code = self.proc.returncode
        self.proc = None
        return code

    def __enter__(self) -> ServeProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
