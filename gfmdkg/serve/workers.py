"""Capacity for the server: pools of reused, bounded worker processes, and a per-client limit.

A :class:`WorkerPool` is a fixed set of :class:`gfmdkg.bounded.Worker` children (each forked once, killed and
re-forked only when a request runs out of time, size or memory), so a query costs a pipe round trip instead of a
fork. The server keeps two pools, one for its pages and one for ad-hoc ``/sparql`` queries, so heavy queries cannot
take the capacity pages need; :class:`ClientLimits` caps how many requests one client address has under way, so
one client cannot take all of a pool either.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from gfmdkg.bounded import Worker
from gfmdkg.errors import GfmdkgError


class Busy(GfmdkgError):
    """Every worker of a pool stayed in use for longer than a request may wait (HTTP 503)."""


class TooManyRequests(GfmdkgError):
    """One client already has as many requests under way as it may (HTTP 429)."""


PING = b""


class WorkerPool:
    """``size`` reused worker children answering ``handler(request) -> bytes`` with the bounds of
    :class:`gfmdkg.bounded.Worker`; a request waits at most ``wait`` seconds for an idle one."""

    def __init__(self, handler: Callable[[bytes], bytes], size: int, *, memory: int | None, what: str,
                 wait: float) -> None:
        self.size = size
        self.what = what
        self.wait = wait
        self._workers = [Worker(handler, memory=memory, what=what) for _ in range(size)]
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()  # the most recently used first: warm caches
        for worker in self._workers:
            self._idle.put(worker)

    def start(self, timeout: float) -> None:
        """Fork every child now (``handler`` answers :data:`PING`), while the caller has a single thread."""
        for worker in self._workers:
            worker.call(PING, timeout=timeout, max_bytes=64)

    def call(self, request: bytes, *, timeout: float, max_bytes: int) -> bytes:
        try:
            worker = self._idle.get(timeout=self.wait)
        except queue.Empty:
            raise Busy(f"the server is busy: all {self.size} {self.what} workers are in use",
                       hint="try again in a few seconds") from None
        try:
            return worker.call(request, timeout=timeout, max_bytes=max_bytes)
        finally:
            self._idle.put(worker)

    def close(self) -> None:
        for worker in self._workers:
            worker.close()


class ClientLimits:
    """At most ``limit`` requests under way per client address; one more is refused at once."""

    def __init__(self, limit: int, what: str) -> None:
        self.limit = limit
        self.what = what
        self._count: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def hold(self, client: str) -> Iterator[None]:
        with self._lock:
            if self._count.get(client, 0) >= self.limit:
                raise TooManyRequests(f"this client already has {self.limit} {self.what} under way",
                                      hint="wait for an answer before sending the next request")
            self._count[client] = self._count.get(client, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                left = self._count[client] - 1
                if left:
                    self._count[client] = left
                else:
                    del self._count[client]
