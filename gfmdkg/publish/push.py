"""Pushing the graph into a remote SPARQL 1.1 store.

Primary path, the SPARQL 1.1 Graph Store HTTP Protocol: one ``PUT ?graph=IRI`` per named graph (one per source
file, plus the dataset statistics), each replacing that graph whole in one request, so pushing twice leaves one
copy and a failed request leaves the old graph as it was. The whole dataset is not sent as one N-Quads request:
``POST /store`` only adds (not idempotent) and ``PUT /store`` would replace every graph in the store, ours or not.

Fallback, SPARQL 1.1 Update through SPARQLWrapper (stores without the Graph Store Protocol): per graph, batched
``INSERT DATA`` into a temporary graph, then one ``MOVE`` onto the target, so the target is replaced in a single
operation and is never left half-written.

Requests go only to the hosts given (:func:`gfmdkg.safety.allow_host`), never follow redirects (so credentials
cannot leak to another host), ignore proxy settings, and always have a timeout. Credentials come only from
``GFMDKG_ENDPOINT_USER`` / ``GFMDKG_ENDPOINT_PASSWORD``.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import socket
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

from gfmdkg.errors import GfmdkgError, RemoteError
from gfmdkg.namespaces import GRAPH, PREFIXES
from gfmdkg.publish.rdf_export import sorted_triples
from gfmdkg.sparql.terms import from_oxigraph, is_iri, to_sparql

USER_ENV, PASSWORD_ENV = "GFMDKG_ENDPOINT_USER", "GFMDKG_ENDPOINT_PASSWORD"
DEFAULT_TIMEOUT = 60.0
DEFAULT_BATCH = 5000
TMP_GRAPHS = GRAPH + "push-tmp/"
GSP_UNSUPPORTED = {404, 405, 415, 501}
_CODEPOINT_ESCAPE = re.compile(r"\\[uU]")


class GspUnsupported(RemoteError):
    """The URL does not take Graph Store Protocol requests (404/405/415/501)."""


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str

    @classmethod
    def from_env(cls) -> Credentials | None:
        user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
        if not user and not password:
            return None
        if not user or password is None:
            raise GfmdkgError(f"only one of {USER_ENV} and {PASSWORD_ENV} is set",
                              hint="set both (or neither, for an endpoint without authentication)")
        return cls(user, password)

    def header(self) -> str:
        return "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")


def check_endpoint(url: str, what: str = "--endpoint") -> str:
    """An http(s) URL without credentials in it; returns it unchanged."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or not is_iri(url):
        raise GfmdkgError(f"{what} '{url}' is not an http(s) URL",
                          hint="give the full URL, e.g. http://127.0.0.1:7878/store")
    if parts.username or parts.password:
        raise GfmdkgError(f"{what} has a user name or password in the URL; credentials are never taken from the "
                          "command line", hint=f"remove them from the URL and set {USER_ENV} and {PASSWORD_ENV}")
    return url


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        return None  # urllib then raises HTTPError with the 3xx code, handled in describe_error


def opener(url: str | None = None, credentials: Credentials | None = None) -> urllib.request.OpenerDirector:
    """urllib without redirects and without environment proxies; with credentials, HTTP Digest for ``url`` only
    (Virtuoso's -auth endpoints ask for Digest; Basic is sent up front by the callers)."""
    handlers: list = [_NoRedirect, urllib.request.ProxyHandler({})]
    if url and credentials:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, credentials.user, credentials.password)
        handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
    return urllib.request.build_opener(*handlers)


def describe_error(exc: BaseException, url: str, timeout: float, auth: bool) -> RemoteError:
    """A clear, user-facing error for a failed request to ``url``."""
    if isinstance(exc, urllib.error.HTTPError):
        code = exc.code
        body = ""
        try:
            body = exc.read(400).decode("utf-8", "replace").strip()
        except Exception:  # noqa: BLE001 - the body is only a detail
            body = ""
        detail = f": {body.splitlines()[0][:200]}" if body else ""
        if code == 401 or (code == 403 and not auth):
            return RemoteError(f"{url}: authentication failed (HTTP {code})",
                               hint=(f"check {USER_ENV} / {PASSWORD_ENV}" if auth
                                     else f"the store needs a login: set {USER_ENV} and {PASSWORD_ENV}"))
        if code == 403:
            return RemoteError(f"{url}: the store refused the write (HTTP 403 Forbidden){detail}",
                               hint=f"the account in {USER_ENV} must be allowed to write to this store")
        if 300 <= code < 400:
            return RemoteError(f"{url}: the server redirects (HTTP {code}) to {exc.headers.get('Location', '?')}",
                               hint="give that URL directly; redirects are not followed, so that credentials "
                               "never go to another address")
        if code in GSP_UNSUPPORTED:
            return GspUnsupported(f"{url}: the server does not accept this request (HTTP {code}){detail}",
                                  hint="check the endpoint URL (docs/PUBLISHING.md gives each store's URL forms) "
                                  "and that the store accepts writes (not started read-only)")
        if code == 413:
            return RemoteError(f"{url}: the request is too large for the server (HTTP 413)",
                               hint="lower --batch-size (SPARQL Update) or raise the server's request size limit")
        return RemoteError(f"{url}: the server answered HTTP {code}{detail}",
                           hint="see the server's log; nothing else was changed by this request")
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return RemoteError(f"{url}: no answer within {timeout:g} s", hint="raise --timeout, or check the server")
    if isinstance(reason, ConnectionRefusedError):
        return RemoteError(f"{url}: connection refused", hint="is the store running, and is the host and port right?")
    if isinstance(reason, socket.gaierror):
        return RemoteError(f"{url}: unknown host", hint="check the host name in the URL")
    return RemoteError(f"{url}: cannot connect ({reason})", hint="check the URL and that the store is running")


@dataclass
class PushReport:
    """What a push did: graphs replaced (in order) and triples sent."""

    protocol: str
    graphs: list[str] = field(default_factory=list)
    triples: int = 0


def graphs_to_push(quads: Iterable[ox.Quad], graph: str | None = None) -> dict[str, list[ox.Triple]]:
    """Target graph IRI -> its triples, sorted: every named graph, or the union graph into ``graph``."""
    quads = list(quads)
    if graph:
        return {graph: sorted_triples(quads)}
    grouped: dict[str, list[ox.Quad]] = defaultdict(list)
    for q in quads:
        if not isinstance(q.graph_name, ox.NamedNode):
            raise GfmdkgError("the graph has triples outside any named graph", hint="give --graph IRI to push the "
                              "whole graph into one named graph")
        grouped[q.graph_name.value].append(q)
    return {g: sorted_triples(grouped[g]) for g in sorted(grouped)}


class GraphStore:
    """A Graph Store HTTP Protocol endpoint (indirect graph identification, ``?graph=IRI``)."""

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT, credentials: Credentials | None = None):
        self.url, self.timeout, self.credentials = url, timeout, credentials
        self._opener = opener(url, credentials)

    def graph_url(self, graph: str) -> str:
        return self.url + ("&" if "?" in self.url else "?") + urlencode({"graph": graph})

    def request(self, method: str, graph: str, data: bytes | None = None,
                content_type: str = "text/turtle", accept: str | None = None) -> bytes:
        headers = {"Content-Type": content_type} if data is not None else {}
        if accept:
            headers["Accept"] = accept
        if self.credentials:
            headers["Authorization"] = self.credentials.header()
        req = urllib.request.Request(self.graph_url(graph), data=data, method=method, headers=headers)
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                return resp.read()
        except (urllib.error.URLError, OSError) as exc:
            raise describe_error(exc, self.url, self.timeout, self.credentials is not None) from None

    def replace(self, graph: str, triples: list[ox.Triple]) -> None:
        """PUT: the graph's content becomes exactly ``triples`` (one request, replaced whole or not at all)."""
        self.request("PUT", graph, ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))

    def get(self, graph: str) -> list[ox.Triple]:
        data = self.request("GET", graph, accept="application/n-triples")
        return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]


def _sparql_wrapper_class():
    from SPARQLWrapper import SPARQLWrapper

    class NoRedirectWrapper(SPARQLWrapper):
        """SPARQLWrapper sending through :func:`opener` (no redirects, no proxies), so errors reach us as is."""

        _opener = opener()

        def _query(self):  # noqa: ANN202
            return self._opener.open(self._createRequest(), timeout=self.timeout), self.returnFormat

    return NoRedirectWrapper


class UpdateEndpoint:
    """A SPARQL 1.1 Update endpoint, driven through SPARQLWrapper."""

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT, credentials: Credentials | None = None,
                 batch_size: int = DEFAULT_BATCH):
        from SPARQLWrapper import BASIC, POST, URLENCODED

        self.url, self.timeout, self.credentials, self.batch_size = url, timeout, credentials, batch_size
        self.wrapper = _sparql_wrapper_class()(url, updateEndpoint=url)
        self.wrapper._opener = opener(url, credentials)
        self.wrapper.setMethod(POST)
        self.wrapper.setRequestMethod(URLENCODED)
        self.wrapper.setTimeout(int(max(1, timeout)))
        if credentials:
            self.wrapper.setHTTPAuth(BASIC)
            self.wrapper.setCredentials(credentials.user, credentials.password)

    def update(self, text: str) -> None:
        self.wrapper.setQuery(text)
        try:
            self.wrapper.query().response.read()
        except (urllib.error.URLError, OSError) as exc:
            raise describe_error(exc, self.url, self.timeout, self.credentials is not None) from None

    @staticmethod
    def check(graph: str, triples: list[ox.Triple]) -> None:
        """Refuse what SPARQL Update text cannot carry faithfully across requests and servers."""
        for t in triples:
            if any(isinstance(x, ox.BlankNode) for x in (t.subject, t.object)):
                raise GfmdkgError(f"graph <{graph}> has blank nodes, which SPARQL Update batches cannot keep "
                                  "together", hint="use the Graph Store Protocol endpoint, or give the node an IRI")
            if isinstance(t.object, ox.Literal) and _CODEPOINT_ESCAPE.search(t.object.value):
                raise GfmdkgError(f"<{t.subject.value}> has a literal containing '\\u' or '\\U', which some servers "
                                  "decode as a SPARQL escape", hint="use the Graph Store Protocol endpoint")

    def replace(self, graph: str, triples: list[ox.Triple], progress: Callable[[int], None]) -> None:
        """Batched INSERT DATA into a temporary graph, then MOVE it onto ``graph`` in one operation (the MOVE goes
        with the last batch; a graph that fits in one batch is replaced by a single request). Call :meth:`check`
        first."""
        target = f"<{graph}>"
        if not triples:
            self.update(f"DROP SILENT GRAPH {target}")
            return
        tmp = f"<{TMP_GRAPHS}{hashlib.sha256(graph.encode()).hexdigest()[:24]}>"
        starts = range(0, len(triples), self.batch_size)
        try:
            for start in starts:
                batch = triples[start:start + self.batch_size]
                body = "\n".join(" ".join(to_sparql(from_oxigraph(x)) for x in (t.subject, t.predicate, t.object))
                                 + " ." for t in batch)
                ops = [f"DROP SILENT GRAPH {tmp}"] if start == 0 else []  # a leftover of an interrupted push
                ops.append(f"INSERT DATA {{ GRAPH {tmp} {{\n{body}\n}} }}")
                if start == starts[-1]:
                    ops.append(f"MOVE GRAPH {tmp} TO GRAPH {target}")
                self.update(" ;\n".join(ops))
                progress(len(batch))
        except RemoteError:
            try:
                self.update(f"DROP SILENT GRAPH {tmp}")
            except RemoteError:
                pass
            raise


def push(quads: Iterable[ox.Quad], *, endpoint: str | None, update_endpoint: str | None = None,
         protocol: str = "auto", graph: str | None = None, timeout: float = DEFAULT_TIMEOUT,
         batch_size: int = DEFAULT_BATCH, progress: bool = True) -> PushReport:
    """Replace each named graph (or ``graph``) in the remote store; see the module docstring."""
    from gfmdkg.progress import progress_bar
    from gfmdkg.safety import allow_host

    credentials = Credentials.from_env()
    for url in (endpoint, update_endpoint):
        if url:
            allow_host(url)
    targets = graphs_to_push(quads, graph)
    total = sum(len(t) for t in targets.values())
    report = PushReport("gsp" if protocol in ("auto", "gsp") else "update")
    store = GraphStore(endpoint, timeout=timeout, credentials=credentials) if report.protocol == "gsp" else None
    updater = None
    if report.protocol == "update" or (protocol == "auto" and update_endpoint):
        updater = UpdateEndpoint(update_endpoint or endpoint, timeout=timeout, credentials=credentials,
                                 batch_size=batch_size)
    if report.protocol == "update":
        for name, triples in targets.items():  # refuse before anything is sent, not part-way
            UpdateEndpoint.check(name, triples)
    with progress_bar(total, "pushing", enabled=progress) as bar:
        for name, triples in targets.items():
            try:
                if report.protocol == "gsp":
                    try:
                        store.replace(name, triples)
                        bar.update(len(triples))
                    except GspUnsupported as exc:
                        if report.graphs or updater is None:
                            raise _with_fallback_hint(exc, protocol) from None
                        for other, its_triples in targets.items():
                            UpdateEndpoint.check(other, its_triples)
                        report.protocol = "update"
                if report.protocol == "update":
                    updater.replace(name, triples, bar.update)
            except RemoteError as exc:
                raise _partial(exc, report, name, targets) from None
            report.graphs.append(name)
            report.triples += len(triples)
    return report


def _with_fallback_hint(exc: RemoteError, protocol: str) -> RemoteError:
    if protocol == "auto":
        exc.hint = ("give the Graph Store Protocol URL (Oxigraph: http://HOST:7878/store; Fuseki: .../DATASET/data), "
                    "or add --update-endpoint URL to use SPARQL 1.1 Update instead (docs/PUBLISHING.md)")
    return exc


def _partial(exc: RemoteError, report: PushReport, failed: str, targets: dict) -> RemoteError:
    """Say what was and was not loaded when a push stops part-way."""
    if not report.graphs:
        exc.message += "; no graph in the store was changed"
        return exc
    left = len(targets) - len(report.graphs)
    exc.message += (f"\n  partial load: {len(report.graphs)} of {len(targets)} graphs were replaced; <{failed}> "
                    f"and {left - 1} more were not (each graph is replaced whole, none is half-written)")
    exc.hint = (exc.hint + "; " if exc.hint else "") + "run the same push again: it is idempotent"
    return exc
