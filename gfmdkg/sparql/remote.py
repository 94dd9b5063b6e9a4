"""Running queries against a remote SPARQL 1.1 endpoint, as safely as the local engine (HTTP: :mod:`.client`).

- Parameters go into a ``VALUES`` block at the start of the outermost WHERE group, each term written by
  :func:`gfmdkg.sparql.terms.to_sparql` (escaped, IRIs checked), so no value can become query syntax.
- ``timeout`` is a deadline for the whole exchange; the answer is read with a size cap and checked to be SPARQL
  results (or RDF for CONSTRUCT/DESCRIBE) before use; every failure is a :class:`RemoteError` that says what happened
  and what to do.
- Answers are brought to the SPARQL 1.1 results format's standard terms (Virtuoso's ``"typed-literal"`` becomes
  ``"literal"``; an ``xsd:boolean`` written ``1``/``0`` becomes ``true``/``false``), so they equal the local ones.
- An empty answer from a store whose default graph is empty while its named graphs hold data (``oxigraph serve``
  without ``--union-default-graph``) is an error that says so, not a silent "0 rows".
- The password comes only from ``$GFMDKG_ENDPOINT_PASSWORD``; with credentials, redirects are not followed (so they
  are never re-sent to another origin); only the endpoint's own host is allowed through the network guard.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlsplit

from gfmdkg.bounded import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT
from gfmdkg.errors import RemoteError
from gfmdkg.sparql.client import PASSWORD_ENV, Client, Credentials, Deadline, Reply
from gfmdkg.sparql.guard import check, decode_escapes, tokens
from gfmdkg.sparql.terms import Term
from gfmdkg.store.base import Result
from gfmdkg.store.values import inject_values  # noqa: F401 - re-exported: shared by every engine

__all__ = ["PASSWORD_ENV", "RemoteEndpoint", "inject_values", "standard_term"]

XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_RDF_TYPES = {"text/turtle": "turtle", "application/turtle": "turtle", "application/x-turtle": "turtle",
              "application/n-triples": "nt", "text/plain": "nt", "text/ntriples": "nt"}
_RESULTS, _GRAPH = "application/sparql-results+json", "application/n-triples, text/turtle;q=0.8"
ACCEPT = {"SELECT": _RESULTS, "ASK": _RESULTS, "CONSTRUCT": _GRAPH, "DESCRIBE": _GRAPH}
UNION_HINT = ("start the store so that its default graph is the union of its named graphs (Oxigraph: oxigraph serve "
              "--union-default-graph), or push with --default-graph as well (docs/PUBLISHING.md)")


def _from_graphs(text: str) -> set[str]:
    """IRIs named by FROM / FROM NAMED: on a remote endpoint these are the endpoint's own graphs."""
    toks = tokens(decode_escapes(text))
    return {t.text[1:-1] for t in toks if t.kind == "iri"}


def standard_term(term: Term) -> Term:
    """A results-format term in the standard's words: ``literal`` not ``typed-literal``, canonical booleans."""
    if term.get("type") == "typed-literal":
        term = {**term, "type": "literal"}
    if term.get("datatype") == XSD_BOOLEAN and term.get("value") in ("1", "0"):
        term = {**term, "value": "true" if term["value"] == "1" else "false"}
    return term


MAX_GET_QUERY = 6000  # URL-encoded characters


class RemoteEndpoint:
    """A SPARQL 1.1 query endpoint: ``RemoteEndpoint(url, method=..., user=..., timeout=...).query(text, bindings)``."""

    def __init__(self, url: str, *, method: str = "GET", user: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
                 deadline: Deadline | None = None) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RemoteError(f"'{url}' is not an http(s) endpoint URL",
                              hint="give the endpoint's full URL, e.g. http://127.0.0.1:7878/query")
        if parts.username or parts.password:
            raise RemoteError(f"the endpoint URL {parts.hostname} carries credentials",
                              hint=f"remove them from the URL; use --user NAME and set {PASSWORD_ENV}")
        if method.upper() not in ("GET", "POST"):
            raise RemoteError(f"HTTP method '{method}' is not supported", hint="use GET or POST")
        self.url, self.method, self.user = url, method.upper(), user
        self.timeout, self.max_bytes, self.deadline = timeout, max_bytes, deadline  # deadline: shared with a push
        self.credentials = Credentials.from_env(user) if user else None

    def query(self, text: str, bindings: dict[str, Term] | None = None, *, explain_empty: bool = True) -> Result:
        """Run ``text`` with ``bindings`` on the endpoint; the answer as an engine-neutral :class:`Result`. An empty
        answer is checked for a store that does not query the union of its named graphs (``explain_empty``)."""
        # no SERVICE/LOAD/updates, remote or not; the guard checks (and we send) the text with its VALUES block
        checked = check(inject_values(text, bindings), allowed_graphs=_from_graphs(text))
        full, form = checked.text, checked.form
        client = Client(self.url, credentials=self.credentials, deadline=self.deadline or Deadline(self.timeout),
                        max_bytes=self.max_bytes)
        result = self._parse(self._ask(client, full, form), form)
        if explain_empty and not (result.rows or result.boolean or result.triples):
            self._check_union(client)
        return result

    def _ask(self, client: Client, text: str, form: str) -> Reply:
        headers = {"Accept": ACCEPT[form]}
        # a query whose URL would pass the 8 KB request line many servers accept goes as a POST form (the same
        # SPARQL protocol operation), rather than failing with 414 or 400
        if self.method == "GET" and len(quote(text, safe="")) <= MAX_GET_QUERY:
            reply = client.send("GET", params={"query": text}, headers=headers)
        else:
            reply = client.send("POST", data={"query": text}, headers=headers)
        if reply.status >= 300:
            raise self._http_error(reply)
        return reply

    def _check_union(self, client: Client) -> None:
        """An empty default graph beside named graphs with data: every query without GRAPH answers nothing."""
        def ask(text: str) -> bool:
            return bool(self._parse(self._ask(client, text, "ASK"), "ASK").boolean)

        try:
            misses_named = not ask("ASK { ?s ?p ?o }") and ask("ASK { GRAPH ?g { ?s ?p ?o } }")
        except RemoteError:  # the probe itself cannot tell (an endpoint without GRAPH support, ...): keep the answer
            return
        if misses_named:
            raise RemoteError(f"the endpoint {self.url} answers from its default graph, which is empty, while its "
                              "named graphs hold data: queries without GRAPH see nothing there", hint=UNION_HINT)

    # ------------------------------------------------------------------ answers
    def _http_error(self, reply: Reply) -> RemoteError:
        if 300 <= reply.status < 400:
            return RemoteError(f"the endpoint {self.url} redirects (HTTP {reply.status}) to {reply.location()}; "
                               "redirects are not followed when credentials are set",
                               hint="use the final URL as --endpoint")
        detail = reply.first_line(300)
        hint = {400: "the endpoint could not run the query: check it runs locally ('gfmdkg query NAME')",
                401: f"check --user and ${PASSWORD_ENV}", 403: f"check --user and ${PASSWORD_ENV}",
                404: "check the endpoint URL (it usually ends in /query or /sparql)",
                414: "the query is too long for GET: use --method POST"}.get(reply.status, "check the server, or "
                                                                                 "try again later")
        return RemoteError(f"the endpoint {self.url} answered HTTP {reply.status}" + (f": {detail}" if detail else ""),
                           hint=hint)

    def _not_results(self, reply: Reply, why: str) -> RemoteError:
        start = " ".join(reply.body[:80].decode("utf-8", "replace").split())
        return RemoteError(f"the answer of {self.url} is not SPARQL results ({why}; Content-Type: "
                           f"{reply.content_type or 'none'}; it starts with '{start}')",
                           hint="check that the URL is the SPARQL query endpoint itself, not a web page")

    def _parse(self, reply: Reply, form: str) -> Result:
        if form in ("SELECT", "ASK"):
            if "json" not in reply.content_type:
                raise self._not_results(reply, "expected application/sparql-results+json")
            try:
                result = Result.from_json(json.loads(reply.body.decode("utf-8")))
                if not all(isinstance(t, dict) and "type" in t and "value" in t
                           for row in result.rows for t in row.values()):
                    raise ValueError("malformed binding")
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise self._not_results(reply, f"not SPARQL JSON: {exc}") from None
            if form == "ASK" and result.vars == ["__ASK_RETVAL"] and len(result.rows) <= 1:  # Virtuoso 7.2's ASK
                value = result.rows[0].get("__ASK_RETVAL", {}).get("value") if result.rows else "0"
                result = Result("ASK", boolean=value in ("1", "true"))
            if (result.form == "ASK") != (form == "ASK"):
                raise self._not_results(reply, f"a {result.form} answer to a {form} query")
            result.rows = [{k: standard_term(t) for k, t in row.items()} for row in result.rows]
            return result
        syntax = _RDF_TYPES.get(reply.content_type)
        if syntax is None:
            raise self._not_results(reply, "expected Turtle or N-Triples for a graph query")
        import pyoxigraph as ox
        try:
            fmt = ox.RdfFormat.TURTLE if syntax == "turtle" else ox.RdfFormat.N_TRIPLES
            return Result.from_triples(form, list(ox.parse(reply.body, format=fmt)))
        except SyntaxError as exc:
            raise self._not_results(reply, f"not valid {syntax}: {exc}") from None
