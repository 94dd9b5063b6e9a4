"""The server's capacity pieces: pooled reused workers (gfmdkg.serve.workers), the per-client limit, and a request
body that never fully arrives (408, no traceback)."""

from __future__ import annotations

import os
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest

from gfmdkg.errors import QueryTimeout
from gfmdkg.serve.workers import PING, Busy, ClientLimits, TooManyRequests, WorkerPool
from tests.serve_process import ServeProcess


def handler(request: bytes) -> bytes:
    """In a worker: ``sleep SECONDS`` sleeps; anything else answers with the worker's pid."""
    if request.startswith(b"sleep "):
        time.sleep(float(request.split()[1]))
    return b"" if request == PING else str(os.getpid()).encode()


@pytest.fixture
def pool():
    p = WorkerPool(handler, 2, memory=None, what="test", wait=0.5)
    p.start(timeout=10)
    yield p
    p.close()


def test_workers_are_reused_processes(pool):
    pids = {pool.call(b"pid", timeout=5, max_bytes=100) for _ in range(10)}
    assert len(pids) == 1 and os.getpid() not in {int(p) for p in pids}  # warm worker first, not a fork each


def test_pool_runs_its_size_at_once_then_says_busy(pool):
    answers: list[bytes] = []
    threads = [threading.Thread(target=lambda: answers.append(pool.call(b"sleep 1.5", timeout=5, max_bytes=100)))
               for _ in range(2)]
    started = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(0.2)
    with pytest.raises(Busy, match="all 2 test workers are in use"):
        pool.call(b"pid", timeout=5, max_bytes=100)
    for t in threads:
        t.join()
    assert len(set(answers)) == 2 and time.monotonic() - started < 2.9  # two processes, side by side


def test_a_timed_out_worker_is_replaced(pool):
    with pytest.raises(QueryTimeout):
        pool.call(b"sleep 10", timeout=0.5, max_bytes=100)
    pids = {pool.call(b"pid", timeout=5, max_bytes=100) for _ in range(4)}
    assert all(int(p) != os.getpid() for p in pids)


def test_client_limit_is_per_address():
    limits = ClientLimits(2, "queries")
    with limits.hold("127.0.0.2"), limits.hold("127.0.0.2"):
        with pytest.raises(TooManyRequests, match="already has 2 queries under way"):
            with limits.hold("127.0.0.2"):
                pass
        with limits.hold("127.0.0.3"):
            pass
    with limits.hold("127.0.0.2"), limits.hold("127.0.0.2"):  # released again
        pass
    assert limits._count == {}


@pytest.mark.server
def test_short_body_gets_408_without_traceback(tmp_path):
    data = tmp_path / "d.nt"
    data.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    server = ServeProcess(str(data)).start()
    try:
        parts = urlsplit(server.base)
        head = (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 100\r\n\r\nASK {")
        with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
            started = time.monotonic()
            sock.sendall(head)  # and then nothing: the body stays 95 bytes short
            answer = b"".join(iter(lambda: sock.recv(4096), b""))
            took = time.monotonic() - started
        assert answer.startswith(b"HTTP/1.0 408") and took < 5, (answer, took)
        assert b"did not arrive in time" in answer
        with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
            started = time.monotonic()
            sock.sendall(head)
            sock.shutdown(socket.SHUT_WR)  # the client says it is done: answered at once
            answer = b"".join(iter(lambda: sock.recv(4096), b""))
        assert answer.startswith(b"HTTP/1.0 400") and b"ended after 5 of its 100 bytes" in answer
        assert time.monotonic() - started < 2
        with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
            sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            assert b"".join(iter(lambda: sock.recv(4096), b"")).startswith(b"HTTP/1.0 200")
    finally:
        server.stop()
    assert b"Traceback" not in server.log and b'"POST /sparql HTTP/1.1" 408' in server.log
