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


def address_space() -> int:
    """This process's virtual size: a child inherits it, so its memory cap is this plus the work's allowance."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 4 * 1024 ** 3


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


def _answer(work: Callable[[], bytes], max_bytes: int) -> tuple[bytes, bool]:
    """In a child: run ``work()`` and frame its bytes, or the error it raised; and whether the child must exit."""
    import pickle
    fatal = False
    try:
        payload, kind = work(), b"o"
    except MemoryError:
        payload, kind, fatal = pickle.dumps(("memory", "")), b"e", True
    except GfmdkgError as exc:
        payload, kind = pickle.dumps((type(exc).__name__, str(exc.message), exc.hint)), b"e"
    except (SyntaxError, ValueError, OSError, RecursionError, TypeError) as exc:
        payload, kind = pickle.dumps(("error", str(exc), None)), b"e"
    except Exception as exc:  # noqa: BLE001 - any other error of the engine (e.g. an unsupported function): say it
        payload, kind = pickle.dumps(("error", f"the evaluation failed: {exc or type(exc).__name__}",
                                      "change the query to avoid what the message names")), b"e"
    if len(payload) > max_bytes:
        payload, kind = pickle.dumps(("size", str(len(payload)), None)), b"e"
    return _HEADER.pack(kind, len(payload)) + payload, fatal


def _receive(rfd: int, deadline: float, timeout: float, max_bytes: int, what: str) -> tuple[bytes, bool]:
    """In the parent: read one framed answer by ``deadline``; the bytes, and whether the frame is complete (else
    the child stopped or must be stopped). Raises on the deadline and on the size limit."""
    chunks: list[bytes] = []
    received = 0
    expected = None  # header + payload length, once the header is in
    while expected is None or received < expected:
        left = deadline - time.monotonic()
        if left <= 0:
            raise QueryTimeout(f"the {what} ran longer than its time limit of {timeout:g} s and was stopped",
                               hint="make the query more selective, or raise --timeout")
        if not _readable(rfd, left):
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
    return b"".join(chunks), expected is not None and received >= expected


def _readable(fd: int, seconds: float) -> bool:
    """Whether ``fd`` has data (or end of input) within ``seconds``: poll(), which unlike select() works for any
    descriptor number (a long-lived process can hold more than 1024)."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    return bool(poller.poll(max(0, int(seconds * 1000)) or 1))


def _decode(data: bytes, *, memory: int | None, max_bytes: int, what: str) -> bytes:
    """The payload of a framed answer, or the error it carries raised as a clear :class:`GfmdkgError`."""
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


def _confine(memory: int | None) -> None:
    """In a child, before it runs any work: the memory cap, and no network (:mod:`gfmdkg.sandbox`)."""
    from gfmdkg.sandbox import deny_network
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    deny_network()


def _raiser(exc: Exception) -> Callable[[bytes], bytes]:
    def handler(_request: bytes) -> bytes:
        raise exc
    return handler


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _fork() -> int:
    from gfmdkg.sandbox import prepare
    prepare()
    sys.stdout.flush()
    sys.stderr.flush()
    return os.fork()


def start_bounded(work: Callable[[], bytes], *, timeout: float = DEFAULT_TIMEOUT,
                  max_bytes: int = DEFAULT_MAX_BYTES, memory: int | None = DEFAULT_MEMORY,
                  what: str = "query") -> Callable[[], bytes]:
    """Fork a child running ``work()`` now; the returned function waits for its bytes (or raises its error), so the
    parent can do other work meanwhile. The deadline counts from now."""
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        data = work()
        return lambda: data
    _reap()
    deadline = time.monotonic() + timeout
    rfd, wfd = os.pipe()
    pid = _fork()
    if pid == 0:  # child
        os.close(rfd)
        code = 0
        try:
            _write_all(wfd, _answer(lambda: _confine(memory) or work(), max_bytes)[0])
        except BaseException:  # noqa: BLE001 - the child must never return into the caller's stack
            code = 1
        finally:
            os._exit(code)
    os.close(wfd)

    def finish() -> bytes:
        complete = False
        try:
            data, complete = _receive(rfd, deadline, timeout, max_bytes, what)
        finally:
            os.close(rfd)
            if complete:
                # the child has sent everything and is exiting by itself: reap it later rather than wait here for
                # the kernel to tear down its copy of a large address space (tens of ms for a big store)
                _PENDING.append(pid)
            else:
                _kill(pid)
        return _decode(data, memory=memory, max_bytes=max_bytes, what=what)
    return finish


def run_bounded(work: Callable[[], bytes], *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
                memory: int | None = DEFAULT_MEMORY, what: str = "query") -> bytes:
    """Run ``work()`` in a child process; return its bytes, or raise a clear error on timeout or size limits.

    Errors raised inside the child that are :class:`GfmdkgError` (or ``SyntaxError``/``ValueError``) are re-raised
    in the parent with their message.
    """
    return start_bounded(work, timeout=timeout, max_bytes=max_bytes, memory=memory, what=what)()


_REQUEST = struct.Struct("!QQ")  # max_bytes, request length


class Worker:
    """A forked child that answers requests one at a time, reused from one request to the next.

    The same bounds as :func:`run_bounded` (a deadline per request, a result-size limit, an address-space cap),
    without a fork per request: forking a process that holds a large store costs 10-30 ms at 1k-10k practices,
    more than a selective query itself. The child is forked at the first request, so it sees the state of the
    process at that moment (a store must not change afterwards); it is killed when a request runs out of time or
    over its size limit, and a new one is forked at the next request. It exits when the parent closes the pipe.
    """

    def __init__(self, handler: Callable[[bytes], bytes], *, memory: int | None = DEFAULT_MEMORY,
                 what: str = "query") -> None:
        import threading
        self.handler = handler
        self.memory = memory
        self.what = what
        self._lock = threading.Lock()
        self._child: tuple[int, int, int] | None = None  # pid, request fd, answer fd

    def _start(self) -> tuple[int, int, int]:
        req_r, req_w = os.pipe()
        ans_r, ans_w = os.pipe()
        pid = _fork()
        if pid == 0:  # child
            os.close(req_w)
            os.close(ans_r)
            code = 0
            try:
                try:
                    _confine(self.memory)
                except GfmdkgError as exc:  # no barrier where one is required: answer every request with it
                    self.handler = _raiser(exc)
                self._serve(req_r, ans_w)
            except BaseException:  # noqa: BLE001 - the child must never return into the caller's stack
                code = 1
            finally:
                os._exit(code)
        os.close(req_r)
        os.close(ans_w)
        return pid, req_w, ans_r

    def _serve(self, req_r: int, ans_w: int) -> None:
        """The child's loop: read a request, answer it; stop at end of input or after running out of memory."""
        with os.fdopen(req_r, "rb") as requests:
            while True:
                head = requests.read(_REQUEST.size)
                if len(head) < _REQUEST.size:
                    return
                max_bytes, length = _REQUEST.unpack(head)
                request = requests.read(length)
                frame, fatal = _answer(lambda request=request: self.handler(request), max_bytes)
                _write_all(ans_w, frame)
                if fatal:
                    return

    def call(self, request: bytes, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
        """The handler's answer to ``request``, or a clear error (time, size, memory, or the handler's own)."""
        if not hasattr(os, "fork"):  # pragma: no cover - Windows
            return self.handler(request)
        with self._lock:
            deadline = time.monotonic() + timeout
            for attempt in (1, 2):
                if self._child is None:
                    _reap()
                    self._child = self._start()
                pid, req_w, ans_r = self._child
                try:
                    _write_all(req_w, _REQUEST.pack(max_bytes, len(request)) + request)
                except BrokenPipeError:  # the child has exited (after a memory error): fork a new one
                    self.close()
                    if attempt == 2:
                        raise GfmdkgError(f"the {self.what} could not be started", hint="try again") from None
                    continue
                break
            complete = False
            try:
                data, complete = _receive(ans_r, deadline, timeout, max_bytes, self.what)
            finally:
                if not complete:
                    self.close()
            try:
                return _decode(data, memory=self.memory, max_bytes=max_bytes, what=self.what)
            except QueryTooLarge:  # after a memory error the child exits: do not send it the next request
                self.close()
                raise

    def close(self, *, wait: bool = True) -> None:
        """Stop the child (a new one is forked at the next request); ``wait`` for it to be gone."""
        if self._child is not None:
            pid, req_w, ans_r = self._child
            self._child = None
            for fd in (req_w, ans_r):
                try:
                    os.close(fd)
                except OSError:
                    pass
            if wait:
                _kill(pid)
            else:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                _PENDING.append(pid)

    def __del__(self) -> None:
        try:
            self.close(wait=False)
        except Exception:  # noqa: BLE001, S110 - interpreter shutdown
            pass
