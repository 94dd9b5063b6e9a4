"""Run a piece of work under a deadline and a memory cap, in a forked child process that can be killed.

rdflib has no query timeout and pyoxigraph's queries run in native code that a Python signal cannot interrupt, so
the only bound that always holds is a process: the child inherits the loaded store (copy-on-write, a few ms),
computes, and sends back bytes; the parent kills it when the deadline passes.
"""

from __future__ import annotations

import os
import resource
import select
import signal
import struct
import sys
import time
from collections.abc import Callable

from gfmdkg.errors import GfmdkgError, QueryTimeout, QueryTooLarge

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
DEFAULT_MEMORY = 4 * 1024 * 1024 * 1024
_HEADER = struct.Struct("!cQ")


_PENDING: list[int] = []


def _reap() -> None:
    """Reap the children of earlier runs that have exited (without waiting for any)."""
    for pid in list(_PENDING):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done and pid in _PENDING:
            try:
                _PENDING.remove(pid)
            except ValueError:  # another thread reaped it first
                pass


def run_bounded(work: Callable[[], bytes], *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
                memory: int | None = DEFAULT_MEMORY, what: str = "query") -> bytes:
    """Run ``work()`` in a child process; return its bytes, or raise a clear error on timeout or size limits.

    Errors raised inside the child that are :class:`GfmdkgError` (or ``SyntaxError``/``ValueError``) are re-raised
    in the parent with their message.
    """
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        return work()
    _reap()
    rfd, wfd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # child
        import pickle
        os.close(rfd)
        code = 0
        try:
            if memory:
                resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            try:
                payload, kind = work(), b"o"
            except MemoryError:
                payload, kind = pickle.dumps(("memory", "")), b"e"
            except GfmdkgError as exc:
                payload, kind = pickle.dumps((type(exc).__name__, str(exc.message), exc.hint)), b"e"
            except (SyntaxError, ValueError, OSError, RecursionError, TypeError) as exc:
                payload, kind = pickle.dumps(("error", str(exc), None)), b"e"
            if len(payload) > max_bytes:
                payload, kind = pickle.dumps(("size", str(len(payload)), None)), b"e"
            with os.fdopen(wfd, "wb") as out:
                out.write(_HEADER.pack(kind, len(payload)))
                out.write(payload)
        except BaseException:  # noqa: BLE001 - the child must never return into the caller's stack
            code = 1
        finally:
            os._exit(code)
    os.close(wfd)
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    received = 0
    expected = None  # header + payload length, once the header is in
    try:
        while expected is None or received < expected:
            left = deadline - time.monotonic()
            if left <= 0:
                raise QueryTimeout(f"the {what} ran longer than its time limit of {timeout:g} s and was stopped",
                                   hint="make the query more selective, or raise --timeout")
            ready, _, _ = select.select([rfd], [], [], left)
            if not ready:
                continue
            chunk = os.read(rfd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            received += len(chunk)
            if expected is None and received >= _HEADER.size:
                expected = _HEADER.size + _HEADER.unpack_from(b"".join(chunks))[1]
            if received > max_bytes + _HEADER.size:
                raise QueryTooLarge(f"the {what}'s result is larger than the limit of {max_bytes} bytes",
                                    hint="add a LIMIT, or select fewer columns")
    finally:
        os.close(rfd)
        if expected is not None and received >= expected:
            # the child has sent everything and is exiting by itself: reap it later rather than wait here for the
            # kernel to tear down its copy of a large address space (tens of ms for a big store)
            _PENDING.append(pid)
        else:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
    data = b"".join(chunks)
    if len(data) < _HEADER.size or len(data) < _HEADER.size + _HEADER.unpack_from(data)[1]:
        raise GfmdkgError(f"the {what} stopped without an answer (it may have run out of memory: limit "
                          f"{(memory or 0) // 2**20} MB)", hint="make the query more selective")
    kind, length = _HEADER.unpack_from(data)
    payload = data[_HEADER.size:_HEADER.size + length]
    if kind == b"o":
        return payload
    import pickle
    name, message, *rest = pickle.loads(payload)  # noqa: S301 - our own child's bytes
    if name == "memory":
        raise QueryTooLarge(f"the {what} needed more memory than its limit of {(memory or 0) // 2**20} MB",
                            hint="make the query more selective")
    if name == "size":
        raise QueryTooLarge(f"the {what}'s result ({message} bytes) is larger than the limit of {max_bytes} bytes",
                            hint="add a LIMIT, or select fewer columns")
    import gfmdkg.errors as errors
    cls = getattr(errors, name, GfmdkgError)
    if not (isinstance(cls, type) and issubclass(cls, GfmdkgError)):
        cls = GfmdkgError
    err = GfmdkgError(message, hint=rest[0] if rest else None)
    err.__class__ = cls if cls.__init__ is GfmdkgError.__init__ else GfmdkgError
    raise err
