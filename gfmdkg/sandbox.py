"""The operating system's barrier against network access, for the child processes that evaluate queries.

The query guard (:mod:`gfmdkg.sparql.guard`) refuses SERVICE on a parse; this is the second barrier, which does not
depend on it: a child that evaluates queries or validations (:mod:`gfmdkg.bounded`) first installs a seccomp filter
(through libseccomp, :mod:`pyseccomp`) under which creating any socket other than a local ``AF_UNIX`` one, and
setting up io_uring (which can open sockets without the ``socket`` system call), fails with ``EACCES``. The filter
is inherited by every thread and process the child starts and cannot be lifted. Native code (pyoxigraph's HTTP
client for SERVICE) is stopped as surely as Python code, which the audit hook of :mod:`gfmdkg.safety` never sees.

Where seccomp is not available (not Linux, no libseccomp), the child tries a new, empty network namespace
(``unshare(CLONE_NEWNET)``, which needs root); failing both, it runs with the query guard alone, which
:func:`prepare` (in the parent, before forking) says once on stderr. ``GFMDKG_REQUIRE_SANDBOX=1`` turns that into
an error for every query.
"""

from __future__ import annotations

import errno
import os
import sys

from gfmdkg.errors import GfmdkgError

REQUIRE_ENV = "GFMDKG_REQUIRE_SANDBOX"
CLONE_NEWNET = 0x40000000
_state: dict[str, bool] = {}


class SandboxUnavailable(GfmdkgError):
    """No operating-system barrier could be installed and ``GFMDKG_REQUIRE_SANDBOX`` asks for one."""


def _seccomp() -> None:
    import socket

    import pyseccomp as seccomp

    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    refuse = seccomp.ERRNO(errno.EACCES)
    rules.add_rule(refuse, "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
    rules.add_rule(refuse, "io_uring_setup")
    rules.load()


def _network_namespace() -> None:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def deny_network() -> str:
    """In a child about to evaluate untrusted queries: make opening a network connection impossible.

    Returns the mechanism in force (``seccomp``, ``network namespace``) or ``none`` with the reason.
    """
    failures = []
    for name, install in (("seccomp", _seccomp), ("network namespace", _network_namespace)):
        try:
            install()
            return name
        except (ImportError, OSError, RuntimeError, ValueError, AttributeError) as exc:
            failures.append(f"{name}: {exc}")
    reason = "; ".join(failures)
    if os.environ.get(REQUIRE_ENV) == "1":
        raise SandboxUnavailable(f"no operating-system network barrier is available here ({reason})",
                                 hint=f"install libseccomp (Debian: libseccomp2) or unset {REQUIRE_ENV}")
    return f"none ({reason})"


def prepare() -> None:
    """In the parent, before forking query children: load libseccomp once (children inherit it), and say once
    when no barrier can be expected here."""
    if _state:
        return
    try:
        import pyseccomp  # noqa: F401 - loaded here so that every child has it without paying for it
        _state["seccomp"] = True
    except (ImportError, OSError, RuntimeError, AttributeError) as exc:
        _state["seccomp"] = False
        if not sys.platform.startswith("linux") or os.geteuid() != 0:
            print(f"gfmdkg: note: queries run without the operating system's network barrier (seccomp: {exc}); "
                  "the query guard still refuses SERVICE and remote FROM", file=sys.stderr)
