"""Pushing the graph into a remote SPARQL 1.1 store, and checking that the store took it.

Primary path, the SPARQL 1.1 Graph Store HTTP Protocol: one ``PUT ?graph=IRI`` per named graph (one per source
file, plus the dataset statistics), each replacing that graph whole in one request, so pushing twice leaves one
copy and a failed request leaves the old graph as it was. The whole dataset is not sent as one N-Quads request:
``POST /store`` only adds (not idempotent) and ``PUT /store`` would replace every graph in the store, ours or not.
Bodies are N-Triples: every store reads them the same way (Virtuoso keeps the backslash of ``\\#`` in Turtle
prefixed names).

Fallback, SPARQL 1.1 Update (stores without the Graph Store Protocol): per graph, batched ``INSERT DATA`` into a
temporary graph, then one ``MOVE`` onto the target, so the target is replaced in a single operation and is never
left half-written.

Accepted means: a 2xx status whose body is not a web page (a login or proxy page answers 200 too), then a count of
each graph's triples read back from the store (with ``sparql_endpoint``: one count query, which also shows whether
the store's default graph is the union of its named graphs; else a Graph Store ``GET`` of each graph).

HTTP goes through :mod:`gfmdkg.sparql.client`: only the hosts given, authentication as the server asks (Digest or
Basic), no redirects with credentials, one deadline (``timeout``) for the whole push. Credentials come only from
``GFMDKG_ENDPOINT_USER`` / ``GFMDKG_ENDPOINT_PASSWORD``.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pyoxigraph as ox

from gfmdkg.errors import GfmdkgError, RemoteError
from gfmdkg.namespaces import GRAPH
from gfmdkg.publish.rdf_export import sorted_triples
from gfmdkg.sparql.client import PASSWORD_ENV, USER_ENV, Client, Credentials, Deadline, Reply
from gfmdkg.sparql.terms import from_oxigraph, is_iri, to_sparql

__all__ = ["DEFAULT", "DEFAULT_BATCH", "DEFAULT_TIMEOUT", "PASSWORD_ENV", "TMP_GRAPHS", "USER_ENV", "push"]

DEFAULT_TIMEOUT = 300.0
DEFAULT_BATCH = 5000
DEFAULT = "DEFAULT"  # the target name of the store's default graph (never an IRI: those are absolute)
TMP_GRAPHS = GRAPH + "push-tmp/"
GSP_UNSUPPORTED = {404, 405, 415, 501}
NT = "application/n-triples"
_CODEPOINT_ESCAPE = re.compile(r"\\[uU]")


class GspUnsupported(RemoteError):
    """The URL does not take Graph Store Protocol requests (404/405/415/501)."""


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


def credentials_from_env() -> Credentials | None:
    try:
        return Credentials.from_env()
    except GfmdkgError:
        raise GfmdkgError(f"only one of {USER_ENV} and {PASSWORD_ENV} is set",
                          hint="set both (or neither, for an endpoint without authentication)") from None


def accepted(reply: Reply, url: str, auth: bool) -> Reply:
    """``reply`` if the store took the request: a 2xx that is not a web page; else the error that says why."""
    if 200 <= reply.status < 300 and not reply.looks_like_a_web_page():
        return reply
    if 200 <= reply.status < 300:
        raise RemoteError(f"{url}: the answer is a web page (HTTP {reply.status}, {reply.content_type}: "
                                  f"'{reply.first_line(80)}'), not a store's acknowledgement; nothing shows that the "
                                  "data was stored", hint="give the store's Graph Store Protocol or Update URL "
                                  "(docs/PUBLISHING.md), not a login, proxy or web page")
    code, detail = reply.status, (f": {reply.first_line()}" if reply.body.strip() else "")
    if code == 401 or (code == 403 and not auth):
        raise RemoteError(f"{url}: authentication failed (HTTP {code})",
                          hint=(f"check {USER_ENV} / {PASSWORD_ENV}" if auth
                                else f"the store needs a login: set {USER_ENV} and {PASSWORD_ENV}"))
    if code == 403:
        raise RemoteError(f"{url}: the store refused the write (HTTP 403 Forbidden){detail}",
                          hint=f"the account in {USER_ENV} must be allowed to write to this store")
    if 300 <= code < 400:
        raise RemoteError(f"{url}: the server redirects (HTTP {code}) to {reply.location()}",
                          hint="give that URL directly; redirects are not followed, so that credentials never go "
                          "to another address")
    if code in GSP_UNSUPPORTED:
        raise GspUnsupported(f"{url}: the server does not accept this request (HTTP {code}){detail}",
                             hint="check the endpoint URL (docs/PUBLISHING.md gives each store's URL forms) and "
                             "that the store accepts writes (not started read-only)")
    if code == 413:
        raise RemoteError(f"{url}: the request is too large for the server (HTTP 413)",
                          hint="lower --batch-size (SPARQL Update) or raise the server's request size limit")
    raise RemoteError(f"{url}: the server answered HTTP {code}{detail}",
                      hint="see the server's log; nothing else was changed by this request")


@dataclass
class PushReport:
    """What a push did: graphs replaced (in order), triples sent, and what reading back showed."""

    protocol: str
    graphs: list[str] = field(default_factory=list)
    triples: int = 0
    verified: str = ""  # how the store's counts were checked ("" when they could not be)
    warnings: list[str] = field(default_factory=list)


def graphs_to_push(quads: Iterable[ox.Quad], graph: str | None = None,
                   default_graph: bool = False) -> dict[str, list[ox.Triple]]:
    """Target graph IRI -> its triples, sorted: every named graph, or the union graph into ``graph``; with
    ``default_graph``, the union into the store's default graph (:data:`DEFAULT`) as well."""
    quads = list(quads)
    if graph:
        targets = {graph: sorted_triples(quads)}
    else:
        grouped: dict[str, list[ox.Quad]] = defaultdict(list)
        for q in quads:
            if not isinstance(q.graph_name, ox.NamedNode):
                raise GfmdkgError("the graph has triples outside any named graph", hint="give --graph IRI to push "
                                  "the whole graph into one named graph")
            grouped[q.graph_name.value].append(q)
        targets = {g: sorted_triples(grouped[g]) for g in sorted(grouped)}
    if default_graph:
        targets[DEFAULT] = sorted(set().union(*targets.values()), key=str)
    return targets


class GraphStore:
    """A Graph Store HTTP Protocol endpoint (indirect graph identification, ``?graph=IRI`` or ``?default``)."""

    def __init__(self, url: str, client: Client):
        self.url, self.client = url, client

    def _send(self, method: str, graph: str, body: bytes | None = None, accept: str | None = None) -> Reply:
        params = {"default": ""} if graph == DEFAULT else {"graph": graph}
        headers = {"Content-Type": NT} if body is not None else {}
        if accept:
            headers["Accept"] = accept
        reply = self.client.send(method, params=params, content=body, headers=headers)
        return accepted(reply, self.url, self.client.credentials is not None)

    def replace(self, graph: str, triples: list[ox.Triple]) -> None:
        """PUT: the graph's content becomes exactly ``triples`` (one request, replaced whole or not at all)."""
        self._send("PUT", graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))

    def get(self, graph: str) -> list[ox.Triple]:
        reply = self._send("GET", graph, accept=f"{NT}, text/turtle;q=0.5")
        fmt = ox.RdfFormat.TURTLE if "turtle" in reply.content_type else ox.RdfFormat.N_TRIPLES
        try:
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(reply.body, format=fmt)]
        except SyntaxError as exc:
            raise RemoteError(f"{self.url}: reading <{graph}> back gave no RDF ({reply.content_type}): {exc}",
                              hint="check that the URL is the store's Graph Store Protocol URL") from None


class UpdateEndpoint:
    """A SPARQL 1.1 Update endpoint (form-encoded ``update=`` POSTs)."""

    def __init__(self, url: str, client: Client, batch_size: int = DEFAULT_BATCH):
        self.url, self.client, self.batch_size = url, client, batch_size

    def update(self, text: str) -> None:
        reply = self.client.send("POST", data={"update": text},
                                 headers={"Accept": "application/sparql-results+json, text/plain;q=0.5"})
        accepted(reply, self.url, self.client.credentials is not None)

    @staticmethod
    def check(graph: str, triples: list[ox.Triple]) -> None:
        """Refuse what SPARQL Update text cannot carry faithfully across requests and servers."""
        for t in triples:
            if any(isinstance(x, ox.BlankNode) for x in (t.subject, t.object)):
                raise GfmdkgError(f"graph <{graph}> has blank nodes, which SPARQL Update batches cannot keep "
                                  "together", hint="use the Graph Store Protocol endpoint, or give the node an IRI")
            if isinstance(t.object, ox.Literal) and _CODEPOINT_ESCAPE.search(t.object.value):
                raise GfmdkgError(f"<{t.subject.value}> has a literal containing '\\u' or '\\U', which some "
                                  "servers decode as a SPARQL escape", hint="use the Graph Store Protocol endpoint")

    def replace(self, graph: str, triples: list[ox.Triple], progress: Callable[[int], None]) -> None:
        """Batched INSERT DATA into a temporary graph, then MOVE it onto ``graph`` in one operation (the MOVE goes
        with the last batch; a graph that fits in one batch is replaced by a single request). Call :meth:`check`
        first."""
        target = "DEFAULT" if graph == DEFAULT else f"GRAPH <{graph}>"
        if not triples:
            self.update(f"DROP SILENT {target}" if graph != DEFAULT else "CLEAR SILENT DEFAULT")
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
                    ops.append(f"MOVE GRAPH {tmp} TO {target}")
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
         batch_size: int = DEFAULT_BATCH, progress: bool = True, sparql_endpoint: str | None = None,
         default_graph: bool = False) -> PushReport:
    """Replace each named graph (or ``graph``) in the remote store, then check what the store holds; see the
    module docstring. ``timeout`` is the deadline for all of it."""
    from gfmdkg.progress import progress_bar

    credentials = credentials_from_env()
    deadline = Deadline(timeout)
    targets = graphs_to_push(quads, graph, default_graph)
    total = sum(len(t) for t in targets.values())
    report = PushReport("gsp" if protocol in ("auto", "gsp") else "update")
    store = GraphStore(endpoint, Client(endpoint, credentials=credentials, deadline=deadline)) \
        if report.protocol == "gsp" else None
    updater = None
    if report.protocol == "update" or (protocol == "auto" and update_endpoint):
        url = update_endpoint or endpoint
        updater = UpdateEndpoint(url, Client(url, credentials=credentials, deadline=deadline), batch_size)
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
    from gfmdkg.publish.push_check import verify
    verify(report, targets, written_to=store.url if report.protocol == "gsp" else updater.url,
           store=store if report.protocol == "gsp" else None, sparql_endpoint=sparql_endpoint,
           credentials=credentials, deadline=deadline)
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
