"""Deny-by-default network access for the whole process (a ``sys.addaudithook``).

Nothing a query, file or contribution contains may make gfmdkg open a connection. Commands that must reach a host
(``push``, ``query --endpoint``) allow exactly that host with :func:`allow_host`; the local server allows nothing
outbound. Audit hooks cannot be removed, so the allow-list is the only switch.
"""

from __future__ import annotations

import ipaddress
import sys
from urllib.parse import urlsplit

_allowed: set[tuple[str, int | None]] = set()
_installed = False


class NetworkDenied(PermissionError):
    """Raised when code tries to connect to a host that the running command did not allow."""


def allow_host(url: str) -> None:
    """Allow connections to the host (and port) of ``url`` for the rest of this process."""
    parts = urlsplit(url)
    if parts.hostname:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        _allowed.add((parts.hostname.lower(), port))
        try:  # the socket sees resolved addresses: allow the literal address forms too
            import socket
            for info in socket.getaddrinfo(parts.hostname, port):
                _allowed.add((str(info[4][0]).lower(), port))
        except OSError:
            pass


def _is_allowed(host: object, port: object) -> bool:
    if not isinstance(host, str):
        return True  # AF_UNIX paths and the like are not network access
    host = host.lower().strip("[]")
    return (host, port) in _allowed


def _hook(event: str, args: tuple) -> None:
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and len(address) >= 2 and not _is_allowed(address[0], address[1]):
            raise NetworkDenied(f"gfmdkg: network access to {address[0]}:{address[1]} is not allowed here")
    elif event == "urllib.Request":
        parts = urlsplit(args[0])
        if parts.scheme in ("file", "ftp") or (parts.scheme in ("http", "https") and not _is_allowed(
                parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))):
            raise NetworkDenied(f"gfmdkg: fetching {args[0]} is not allowed here")


def install_network_guard() -> None:
    """Install the audit hook once per process."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"
