"""HTTP to one SPARQL store, for the two commands that talk to one (``push`` and ``--endpoint``), with httpx.

- One origin: the endpoint's host and port are the only ones allowed through the network guard
  (:func:`gfmdkg.safety.allow_host`); proxies from the environment are ignored.
- Authentication as the server asks: nothing is sent until the server answers 401; then HTTP Digest when it offers
  Digest (Virtuoso's ``-auth`` endpoints), else Basic; the scheme learnt is used up front for the next requests.
- Redirects: never followed with credentials (so they are never re-sent anywhere); without credentials only to the
  same origin.
- One deadline for the whole operation (:class:`Deadline`), not per socket read: a server that drips one byte at a
  time is cut off when the deadline passes (each request runs under ``asyncio.wait_for``).
- Answers are read with a size cap.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import Generator
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from gfmdkg.errors import GfmdkgError, QueryTimeout, QueryTooLarge, RemoteError
from gfmdkg.safety import NetworkDenied, allow_host

USER_ENV, PASSWORD_ENV = "GFMDKG_ENDPOINT_USER", "GFMDKG_ENDPOINT_PASSWORD"  # noqa: S105 - variable names
MAX_ANSWER = 256 * 1024 * 1024


class RemoteTimeout(RemoteError, QueryTimeout):
    """The deadline passed before the store answered."""


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str

    @classmethod
    def from_env(cls, user: str | None = None) -> Credentials | None:
        """``user`` (or ``$GFMDKG_ENDPOINT_USER``) with ``$GFMDKG_ENDPOINT_PASSWORD``; None when neither is set."""
        user = user or os.environ.get(USER_ENV)
        password = os.environ.get(PASSWORD_ENV)
        if not user and not password:
            return None
        if not user:
            raise GfmdkgError(f"{PASSWORD_ENV} is set but no user name",
                              hint=f"set {USER_ENV} (or --user), or unset {PASSWORD_ENV}")
        if not password:
            raise GfmdkgError(f"the user {user} is set but ${PASSWORD_ENV} is empty",
                              hint=f"export {PASSWORD_ENV}=... (the password is never taken on the command line)")
        return cls(user, password)


class Deadline:
    """A point in time by which a whole operation (every request of a push, or one query) must be done."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()


class AuthAsAsked(httpx.Auth):
    """Send no credentials until the server asks; then Digest if it offers it, else Basic; then keep that scheme."""

    requires_request_body = True  # the request is sent again after the challenge

    def __init__(self, credentials: Credentials) -> None:
        self._digest = httpx.DigestAuth(credentials.user, credentials.password)
        self._basic = httpx.BasicAuth(credentials.user, credentials.password)
        self.scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        if self.scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        response = yield request
        offered = [h.split(None, 1)[0].lower() for h in response.headers.get_list("www-authenticate") if h.strip()]
        if response.status_code != 401 or not offered:
            return
        if "digest" in offered:
            self.scheme = "digest"
            flow = self._digest.auth_flow(request)
            next(flow)  # the unauthenticated request: already sent, and answered by ``response``
            answer = yield flow.send(response)  # the same request with the Digest answer to the challenge
            try:
                flow.send(answer)
            except StopIteration:
                pass
        elif "basic" in offered:
            self.scheme = "basic"
            yield from self._basic.auth_flow(request)


@dataclass
class Reply:
    status: int
    content_type: str  # the media type only, lower case
    headers: httpx.Headers
    body: bytes

    def location(self) -> str:
        return self.headers.get("location", "?")

    def first_line(self, limit: int = 200) -> str:
        text = " ".join(self.body[:2000].decode("utf-8", "replace").split())
        return text[:limit]

    def looks_like_a_web_page(self) -> bool:
        start = self.body[:200].lstrip().lower()
        return bool(self.body.strip()) and (self.content_type in ("text/html", "application/xhtml+xml")
                                            or start.startswith((b"<!doctype html", b"<html")))


def origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or (443 if parts.scheme == "https" else 80)


class Client:
    """Requests to the store at ``url`` under one :class:`Deadline`; failures become one-line :class:`RemoteError`."""

    def __init__(self, url: str, *, credentials: Credentials | None, deadline: Deadline,
                 max_bytes: int = MAX_ANSWER) -> None:
        self.url, self.credentials, self.deadline, self.max_bytes = url, credentials, deadline, max_bytes
        self.auth = AuthAsAsked(credentials) if credentials else None
        allow_host(url)

    def send(self, method: str, *, params: dict | None = None, content: bytes | None = None,
             data: dict | None = None, headers: dict | None = None) -> Reply:
        """One request to the client's URL (after an authentication challenge, two); the answer whatever its
        status."""
        left = self.deadline.remaining()
        if left <= 0:
            raise self.timed_out()
        try:
            return asyncio.run(asyncio.wait_for(self._send(method, params, content, data, headers, left), left))
        except (asyncio.TimeoutError, httpx.TimeoutException):
            raise self.timed_out() from None
        except httpx.HTTPError as exc:
            raise self._cannot_connect(exc) from None

    def timed_out(self) -> RemoteTimeout:
        return RemoteTimeout(f"{self.url}: no answer within {self.deadline.seconds:g} s",
                            hint="raise --timeout, or check the server")

    async def _send(self, method, params, content, data, headers, left: float) -> Reply:
        async def same_origin_only(response: httpx.Response) -> None:
            if response.is_redirect:
                target = response.request.url.join(response.headers.get("location", ""))
                if origin(str(target)) != origin(self.url):
                    raise RemoteError(f"{self.url}: the server redirects (HTTP {response.status_code}) to "
                                      f"{target}, another address", hint="use the final URL directly; requests "
                                      "go only to the address given")

        async with httpx.AsyncClient(auth=self.auth, follow_redirects=self.credentials is None, trust_env=False,
                                     timeout=httpx.Timeout(left), max_redirects=5,
                                     event_hooks={"response": [same_origin_only]}) as client:
            async with client.stream(method, self.url, params=params, content=content, data=data,
                                     headers=headers) as response:
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise QueryTooLarge(f"{self.url}: the answer is larger than the limit of {self.max_bytes} "
                                            "bytes", hint="add a LIMIT, or select fewer columns")
                ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
                return Reply(response.status_code, ctype, response.headers, bytes(body))

    def _cannot_connect(self, exc: httpx.HTTPError) -> RemoteError:
        chain: list[BaseException] = []
        cause: BaseException | None = exc
        while cause is not None and cause not in chain:
            chain.append(cause)
            cause = cause.__cause__ or cause.__context__
        if denied := next((c for c in chain if isinstance(c, NetworkDenied)), None):
            return RemoteError(f"{self.url}: the request was sent elsewhere: {denied}",
                               hint="use the endpoint's final URL (redirects to other hosts are not followed)")
        if any(isinstance(c, ConnectionRefusedError) for c in chain):
            return RemoteError(f"{self.url}: connection refused",
                               hint="is the store running, and is the host and port right?")
        if any(isinstance(c, socket.gaierror) for c in chain):
            return RemoteError(f"{self.url}: unknown host", hint="check the host name in the URL")
        if isinstance(exc, httpx.TooManyRedirects):
            return RemoteError(f"{self.url}: too many redirects", hint="use the final URL directly")
        return RemoteError(f"{self.url}: the connection failed ({chain[-1] or type(exc).__name__})",
                           hint="check the URL and that the store is running and reachable")
