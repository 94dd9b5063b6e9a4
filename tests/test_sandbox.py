"""The operating system's network barrier (gfmdkg.sandbox) in the children that evaluate queries."""

from __future__ import annotations

import socket

import pytest

from gfmdkg import sandbox
from gfmdkg.bounded import run_bounded
from gfmdkg.errors import GfmdkgError


def _try_sockets() -> bytes:
    out = []
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.socket(family, socket.SOCK_STREAM).close()
            out.append("opened")
        except OSError as exc:
            out.append(f"refused:{exc.errno}")
    a, b = socket.socketpair()  # local AF_UNIX pairs stay allowed (nothing leaves the machine through them)
    a.close()
    b.close()
    return ",".join(out).encode()


def test_a_bounded_child_cannot_open_network_sockets():
    import errno
    assert run_bounded(_try_sockets) == f"refused:{errno.EACCES},refused:{errno.EACCES}".encode()
    socket.socket(socket.AF_INET).close()  # the parent is untouched


def test_seccomp_is_the_mechanism_here():
    assert run_bounded(lambda: sandbox.deny_network().encode()) == b"seccomp"


def test_without_any_mechanism_a_required_barrier_is_an_error(monkeypatch):
    def broken() -> None:
        raise OSError("not here")
    monkeypatch.setattr(sandbox, "_seccomp", broken)
    monkeypatch.setattr(sandbox, "_network_namespace", broken)
    monkeypatch.delenv(sandbox.REQUIRE_ENV, raising=False)
    assert run_bounded(_try_sockets).startswith(b"opened")  # the guard alone, as the note says
    monkeypatch.setenv(sandbox.REQUIRE_ENV, "1")
    with pytest.raises(GfmdkgError, match="no operating-system network barrier"):
        run_bounded(_try_sockets)
