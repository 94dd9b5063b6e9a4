"""Running queries against a remote SPARQL 1.1 endpoint with SPARQLWrapper, as safely as the local engine.

- Parameters go into a ``VALUES`` block at the start of the outermost WHERE group, each term written by
  :func:`gfmdkg.sparql.terms.to_sparql` (escaped, IRIs checked), so no value can become query syntax.
- A timeout is always set; the answer is read with a size cap and checked to be SPARQL results (or RDF for
  CONSTRUCT/DESCRIBE) before use; every failure is a :class:`RemoteError` that says what happened and what to do.
- The password comes only from ``$GFMDKG_ENDPOINT_PASSWORD``; with credentials, redirects are not followed (so they
  are never re-sent to another origin); only the endpoint's own host is allowed through the network guard.
"""

from __future__ import annotations

import json
import math
import os
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from SPARQLWrapper import GET, JSON, POST, TURTLE, SPARQLWrapper

from gfmdkg.bounded import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT
from gfmdkg.errors import QueryTimeout, QueryTooLarge, RemoteError
from gfmdkg.safety import NetworkDenied, allow_host
from gfmdkg.sparql.guard import check, decode_escapes, tokens
from gfmdkg.sparql.terms import Term
from gfmdkg.store.base import Result
from gfmdkg.store.values import inject_values  # noqa: F401 - re-exported: shared by every engine

PASSWORD_ENV = "GFMDKG_ENDPOINT_PASSWORD"  # noqa: S105 - the name of the variable, not a password
_RDF_TYPES = {"text/turtle": "turtle", "application/turtle": "turtle", "application/x-turtle": "turtle",
              "application/n-triples": "nt", "text/plain": "nt"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Turn every redirect into an error, so credentials are never sent to a second URL."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102 - urllib hook
        raise urllib.error.HTTPError(req.full_url, code, f"redirect to {newurl} not followed", headers, fp)


class _Wrapper(SPARQLWrapper):
    """SPARQLWrapper that builds the request but lets us open it (no redirects with credentials, raw errors)."""

    opener: urllib.request.OpenerDirector

    def _query(self):
        return self.opener.open(self._createRequest(), timeout=self.timeout), self.returnFormat


def _from_graphs(text: str) -> set[str]:
    """IRIs named by FROM / FROM NAMED: on a remote endpoint these are the endpoint's own graphs."""
    toks = tokens(decode_escapes(text))
    return {t.text[1:-1] for t in toks if t.kind == "iri"}


class RemoteEndpoint:
    """A SPARQL 1.1 query endpoint: ``RemoteEndpoint(url, method=..., user=..., timeout=...).query(text, bindings)``."""

    def __init__(self, url: str, *, method: str = "GET", user: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RemoteError(f"'{url}' is not an http(s) endpoint URL",
                              hint="give the endpoint's full URL, e.g. http://127.0.0.1:7878/query")
        if parts.username or parts.password:
            raise RemoteError(f"the endpoint URL {parts.hostname} carries credentials",
                              hint=f"remove them from the URL; use --user NAME and set {PASSWORD_ENV}")
        if method.upper() not in (GET, POST):
            raise RemoteError(f"HTTP method '{method}' is not supported", hint="use GET or POST")
        self.url, self.method, self.user = url, method.upper(), user
        self.timeout, self.max_bytes = timeout, max_bytes
        self.password: str | None = None
        if user:
            self.password = os.environ.get(PASSWORD_ENV)
            if not self.password:
                raise RemoteError(f"--user {user} is set but ${PASSWORD_ENV} is empty",
                                  hint=f"export {PASSWORD_ENV}=... (the password is never taken on the command "
                                  "line)")

    # ------------------------------------------------------------------ request
    def _wrapper(self, text: str, form: str) -> _Wrapper:
        sw = _Wrapper(self.url)
        sw.setMethod(self.method)
        sw.setQuery(text)
        sw.queryType = form  # ours, from the tokens: SPARQLWrapper's regex takes words in comments ("add") for updates
        sw.setReturnFormat(JSON if form in ("SELECT", "ASK") else TURTLE)
        sw.setTimeout(max(1, math.ceil(self.timeout)))  # always: SPARQLWrapper has none by default
        handlers: list = []
        if self.user:
            sw.setCredentials(self.user, self.password)
            handlers.append(_NoRedirect())
        sw.opener = urllib.request.build_opener(*handlers)
        return sw

    def query(self, text: str, bindings: dict[str, Term] | None = None) -> Result:
        """Run ``text`` with ``bindings`` on the endpoint; the answer as an engine-neutral :class:`Result`."""
        # no SERVICE/LOAD/updates, remote or not; the guard checks (and we send) the text with its VALUES block
        checked = check(inject_values(text, bindings), allowed_graphs=_from_graphs(text))
        full, form = checked.text, checked.form
        allow_host(self.url)
        try:
            response, _ = self._wrapper(full, form)._query()
            with response:
                ctype = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
                body = response.read(self.max_bytes + 1)
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc) from None
        except TimeoutError:
            raise QueryTimeout(f"the endpoint {self.url} did not answer within {self.timeout:g} s",
                               hint="make the query more selective, raise --timeout, or check the server") from None
        except NetworkDenied as exc:
            raise RemoteError(f"the endpoint {self.url} sent the request elsewhere: {exc}",
                              hint="use the endpoint's final URL (redirects to other hosts are not followed)") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise QueryTimeout(f"the endpoint {self.url} did not answer within {self.timeout:g} s",
                                   hint="raise --timeout, or check the server") from None
            raise RemoteError(f"cannot reach the endpoint {self.url}: {getattr(reason, 'strerror', None) or reason}",
                              hint="check the URL and that the server is running and reachable") from None
        except (ConnectionError, OSError) as exc:
            raise RemoteError(f"the connection to {self.url} failed: {exc}",
                              hint="check that the server is running; try again") from None
        if len(body) > self.max_bytes:
            raise QueryTooLarge(f"the endpoint's answer is larger than the limit of {self.max_bytes} bytes",
                                hint="add a LIMIT, or select fewer columns")
        return self._parse(body, ctype, form)

    # ------------------------------------------------------------------ answers
    def _http_error(self, exc: urllib.error.HTTPError) -> RemoteError:
        if 300 <= exc.code < 400:
            where = exc.headers.get("Location", "?") if exc.headers else "?"
            return RemoteError(f"the endpoint {self.url} redirects (HTTP {exc.code}) to {where}; redirects are not "
                               "followed when credentials are set", hint="use the final URL as --endpoint")
        try:
            detail = exc.read(2000).decode("utf-8", "replace")
        except OSError:
            detail = ""
        detail = " ".join(detail.split())[:300]
        hint = {400: "the endpoint could not run the query: check it runs locally ('gfmdkg query NAME')",
                401: f"check --user and ${PASSWORD_ENV}", 403: f"check --user and ${PASSWORD_ENV}",
                404: "check the endpoint URL (it usually ends in /query or /sparql)",
                414: "the query is too long for GET: use --method POST"}.get(exc.code, "check the server, or try "
                                                                              "again later")
        return RemoteError(f"the endpoint {self.url} answered HTTP {exc.code} {exc.reason}"
                           + (f": {detail}" if detail else ""), hint=hint)

    def _not_results(self, ctype: str, body: bytes, why: str) -> RemoteError:
        start = " ".join(body[:80].decode("utf-8", "replace").split())
        return RemoteError(f"the answer of {self.url} is not SPARQL results ({why}; Content-Type: "
                           f"{ctype or 'none'}; it starts with '{start}')",
                           hint="check that the URL is the SPARQL query endpoint itself, not a web page")

    def _parse(self, body: bytes, ctype: str, form: str) -> Result:
        if form in ("SELECT", "ASK"):
            if "json" not in ctype:
                raise self._not_results(ctype, body, "expected application/sparql-results+json")
            try:
                doc = json.loads(body.decode("utf-8"))
                result = Result.from_json(doc)
                if not all(isinstance(t, dict) and "type" in t and "value" in t
                           for row in result.rows for t in row.values()):
                    raise ValueError("malformed binding")
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise self._not_results(ctype, body, f"not SPARQL JSON: {exc}") from None
            if (result.form == "ASK") != (form == "ASK"):
                raise self._not_results(ctype, body, f"a {result.form} answer to a {form} query")
            return result
        syntax = _RDF_TYPES.get(ctype)
        if syntax is None:
            raise self._not_results(ctype, body, "expected Turtle or N-Triples for a graph query")
        import pyoxigraph as ox
        try:
            fmt = ox.RdfFormat.TURTLE if syntax == "turtle" else ox.RdfFormat.N_TRIPLES
            return Result.from_triples(form, list(ox.parse(body, format=fmt)))
        except SyntaxError as exc:
            raise self._not_results(ctype, body, f"not valid {syntax}: {exc}") from None
