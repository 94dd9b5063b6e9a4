"""The HTTP server: routing, limits, error bodies, the access log and a clean shutdown.

Standard library only (``http.server.ThreadingHTTPServer``); queries run in the pooled worker processes of
:mod:`gfmdkg.serve.workers`, with separate capacity for pages and for ``/sparql`` and a per-client limit on each.
Nothing here writes to the graph: the only methods are GET, HEAD and POST (POST only for SPARQL queries), and the
only file served from disk is the style sheet, looked up in a fixed table (no path from the request ever reaches the
file system).

Browsers: on a loopback address only loopback host names are answered (a DNS-rebinding page cannot reach the
server under its own name); a request a browser marks as cross-site (``Origin``, ``Sec-Fetch-Site``) is refused
before any work unless its origin is allowed (:attr:`App.cors`: ``*`` for the project's public graph, none for
files given on the command line), so a web page cannot make the server run queries over private files.
"""

from __future__ import annotations

import ipaddress
import json
import sys
import time
import traceback
from dataclasses import replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO
from urllib.parse import parse_qsl, unquote, urlsplit

from gfmdkg.errors import GfmdkgError, QueryNotParsed, QueryRefused, QueryTimeout, QueryTooLarge
from gfmdkg.namespaces import PREFIXES
from gfmdkg.serve import (conneg, countrypage, describe, display, documents, editor, forms, home, i18n, linked,
                          listcsv, listing, pages, protocol, worldmap)
from gfmdkg.serve.runner import QueryService, QuerySyntaxError
from gfmdkg.serve.workers import Busy, ClientLimits, TooManyRequests
from gfmdkg.sparql.params import checked_values
from gfmdkg.sparql.prefixes import with_prefixes

MAX_BODY = 1024 * 1024
MAX_URL = 16 * 1024
_STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC = {"/static/style.css": (_STATIC_DIR / "style.css", "text/css"),
          "/static/icon.svg": (_STATIC_DIR / "icon.svg", "image/svg+xml"),
          "/favicon.ico": (_STATIC_DIR / "icon.svg", "image/svg+xml"),
          # the SPARQL editor and the query forms: CodeMirror 5 vendored from npm (static/vendor/codemirror/README.md)
          "/static/forms.css": (_STATIC_DIR / "forms.css", "text/css"),
          "/static/editor.js": (_STATIC_DIR / "editor.js", "text/javascript"),
          **{f"/static/vendor/codemirror/{name}": (_STATIC_DIR / "vendor" / "codemirror" / name, media)
             for name, media in (("codemirror.js", "text/javascript"), ("codemirror.css", "text/css"),
                                 ("sparql.js", "text/javascript"))}}
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
}
#: what a saved query's address answers with, by query form (``format=`` or Accept; the page first)
SAVED_OFFERS = {
    "SELECT": [conneg.HTML, "text/csv", "text/tab-separated-values", "application/sparql-results+json",
               "application/json", "application/sparql-results+xml", "application/xml"],
    "ASK": [conneg.HTML, "application/sparql-results+json", "application/json", "application/sparql-results+xml"],
    "CONSTRUCT": [conneg.HTML, "text/turtle", "application/ld+json", "application/n-triples"],
}
BODY_SECONDS = 2.0  # a request body must arrive within this, plus a second per 100 kB
MACHINE_PATHS = ("/sparql", "/sparql/")  # answers web pages of the allowed origins may read (CORS)


class HttpError(Exception):
    def __init__(self, status: int, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.hint = status, message, hint


def status_for(exc: GfmdkgError) -> int:
    """The HTTP status of a query error."""
    if isinstance(exc, (QuerySyntaxError, QueryNotParsed)):
        return 400
    if isinstance(exc, QueryRefused):
        return 403
    if isinstance(exc, TooManyRequests):
        return 429
    if isinstance(exc, (QueryTimeout, QueryTooLarge, Busy)):
        return 503
    return 500


class App:
    """Everything a request handler needs: the query service, the saved queries, the access log, the per-client
    limits (requests under way from one address: ``client_limit`` on ``/sparql``, ``page_client_limit`` on pages)
    and the origins whose pages may send requests and read answers (``cors``; default: ``*`` for the project's
    public graph, none for other data)."""

    def __init__(self, service: QueryService, *, saved_queries: dict | None = None,
                 log: TextIO | None = sys.stderr, client_limit: int = 2, page_client_limit: int = 8,
                 cors: tuple[str, ...] | None = None) -> None:
        self.service = service
        self.saved = saved_queries or {}
        self.log = log
        self.prefixes = PREFIXES if service.dataset.is_project else None
        self.sparql_clients = ClientLimits(client_limit, "queries")
        self.page_clients = ClientLimits(page_client_limit, "page requests")
        self.cors = frozenset(("*",) if service.dataset.is_project else ()) if cors is None else frozenset(cors)
        self.loopback_only = True  # set from the bound address by make_server

    def allows(self, origin: str) -> bool:
        return "*" in self.cors or origin in self.cors


def is_loopback_host(host: str) -> bool:
    """A Host header naming this machine: localhost, *.localhost or a loopback address (any port)."""
    name = host.rsplit("]", 1)[0].lstrip("[") if host.startswith("[") else host.rsplit(":", 1)[0]
    name = name.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class Handler(BaseHTTPRequestHandler):
    server_version = "gfmdkg"
    sys_version = ""
    protocol_version = "HTTP/1.0"
    timeout = 10  # seconds a client may take to send its request
    server: Server

    # ------------------------------------------------------------------ plumbing
    @property
    def app(self) -> App:
        return self.server.app

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        """Access log and http.server's own messages: one line each, control characters escaped."""
        if self.app.log is None:
            return
        line = format % args
        line = line.encode("unicode_escape", "backslashreplace").decode("ascii")
        try:
            self.app.log.write(f"{self.client_address[0]} - - [{self.log_date_time_string()}] {line}\n")
            self.app.log.flush()
        except (OSError, ValueError):
            pass

    def log_request(self, code="-", size="-") -> None:
        pass  # logged by _send with size and duration

    def _send(self, status: int, body: bytes, media: str, headers: dict[str, str] | None = None) -> None:
        if media == conneg.HTML:
            headers = {**(headers or {}), **getattr(self, "_lang_headers", {})}
        self.send_response(status)
        self.send_header("Content-Type", conneg.content_type(media))
        self.send_header("Content-Length", str(len(body)))
        cors = {}
        if self.app.cors and (self._path in MACHINE_PATHS or media in conneg.GRAPHS or media in conneg.JSONLD):
            origin = self.headers.get("Origin", "") if self.headers else ""
            if "*" in self.app.cors:
                cors = {"Access-Control-Allow-Origin": "*"}
            elif origin in self.app.cors:
                cors = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        for name, value in {**SECURITY_HEADERS, **cors, **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        elapsed = (time.monotonic() - self._started) * 1000
        self.log_message('"%s" %d %d %.0fms', self.requestline, status, len(body), elapsed)

    def _error(self, status: int, message: str, hint: str | None = None, *, html: bool = False) -> None:
        headers = {"Retry-After": "5"} if status == 503 else {"Retry-After": "1"} if status == 429 else {}
        if html:
            body = pages.render("error.html", status=status, reason=HTTPStatus(status).phrase, message=message,
                                hint=hint, path=self._path)
            self._send(status, body, conneg.HTML, headers)
        else:
            text = f"{status} {HTTPStatus(status).phrase}: {message}\n" + (f"what to do: {hint}\n" if hint else "")
            self._send(status, text.encode("utf-8"), "text/plain", headers)

    def _wants_html(self) -> bool:
        """A browser (Accept prefers HTML); clients that send no Accept get plain text errors."""
        accept = self.headers.get("Accept")
        return bool(accept) and conneg.negotiate(accept, ["text/plain", conneg.HTML]) == conneg.HTML

    # ------------------------------------------------------------------ methods
    def do_GET(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _not_allowed(self) -> None:
        self._started = time.monotonic()
        self._path = "/"
        self._send(405, b"405 Method Not Allowed: this server is read-only; use GET or POST (queries only)\n",
                   "text/plain", {"Allow": "GET, HEAD, POST"})

    do_PUT = do_DELETE = do_PATCH = do_TRACE = do_CONNECT = _not_allowed

    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming
        """CORS preflight for the SPARQL endpoint (a read-only, public answer); nothing else takes OPTIONS."""
        if urlsplit(self.path).path not in MACHINE_PATHS or not self.app.cors:
            return self._not_allowed()
        self._started = time.monotonic()
        self._path = urlsplit(self.path).path
        if not self.app.allows(self.headers.get("Origin", "")):
            return self._send(403, b"403 Forbidden: requests from this origin are not allowed\n", "text/plain")
        self._send(204, b"", "text/plain", {"Access-Control-Allow-Methods": "GET, POST",
                                            "Access-Control-Allow-Headers": "Accept, Content-Type",
                                            "Access-Control-Max-Age": "86400", "Allow": "GET, HEAD, POST, OPTIONS"})

    def _handle(self) -> None:
        self._started = time.monotonic()
        self._path = "/"
        i18n.use(i18n.DEFAULT)
        self._lang_headers = {}
        try:
            if len(self.path) > MAX_URL:
                raise HttpError(414, f"the URL is longer than {MAX_URL} characters", "send long queries by POST")
            parts = urlsplit(self.path)
            self._path = unquote(parts.path, errors="strict")
            query = self._language(parts.query)
            self._check_caller()
            self._route(self._path, query)
        except HttpError as exc:
            self._error(exc.status, exc.message, exc.hint, html=self._wants_html())
        except protocol.ProtocolError as exc:
            self._error(exc.status, exc.message)
        except GfmdkgError as exc:
            status = status_for(exc)
            if status == 500:
                self.log_message("error: %s", exc.message)
            message = exc.message if status != 500 else "the query could not be evaluated"
            self._error(status, message, exc.hint if status != 500 else None, html=self._wants_html())
        except UnicodeDecodeError:
            self._error(400, "the URL is not UTF-8 after percent-decoding")
        except TimeoutError:  # the client stopped sending: no traceback, a short answer and the connection closed
            self.close_connection = True
            self._error(408, "the request body did not arrive in time (shorter than its Content-Length?)")
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception:  # noqa: BLE001 - never show internals to a client
            traceback.print_exc(file=sys.stderr)
            self._error(500, "internal error (see the server log)", html=self._wants_html())

    def _language(self, query: str) -> str:
        """Set the page language (``?lang=``, cookie, Accept-Language); the query string without ``lang``."""
        chosen, query = i18n.split_query(query)
        i18n.use(i18n.negotiate(chosen, self.headers.get("Cookie"), self.headers.get("Accept-Language")),
                 self._path, query)
        self._lang_headers = i18n.response_headers(chosen, i18n.current())
        return query

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise HttpError(411, "chunked request bodies are not accepted", "send a Content-Length")
        length = self.headers.get("Content-Length")
        if length is None:
            raise HttpError(411, "a POST needs a Content-Length header")
        try:
            size = int(length)
        except ValueError:
            raise HttpError(400, "Content-Length is not a number") from None
        if size < 0 or size > MAX_BODY:
            raise HttpError(413, f"the request body is larger than the limit of {MAX_BODY} bytes")
        return self._read_body(size)

    def _read_body(self, size: int) -> bytes:
        """``size`` bytes of body within :data:`BODY_SECONDS` (plus a second per 100 kB), else TimeoutError;
        400 when the client closes its side first."""
        deadline = time.monotonic() + BODY_SECONDS + size / 100_000
        chunks: list[bytes] = []
        left = size
        try:
            while left:
                self.connection.settimeout(max(0.01, deadline - time.monotonic()))
                chunk = self.rfile.read1(min(left, 65536))
                if not chunk:
                    raise HttpError(400, f"the request body ended after {size - left} of its {size} bytes")
                chunks.append(chunk)
                left -= len(chunk)
                if left and time.monotonic() >= deadline:
                    raise TimeoutError
        finally:
            self.connection.settimeout(self.timeout)
        return b"".join(chunks)

    def _check_caller(self) -> None:
        """Refuse, before any work, a foreign Host on a loopback server (DNS rebinding) and a browser request
        marked cross-site from an origin that is not allowed (navigation by a link stays allowed)."""
        host = self.headers.get("Host")
        if self.app.loopback_only and host is not None and not is_loopback_host(host):
            raise HttpError(403, "this server answers only to localhost names",
                            "open it as http://127.0.0.1:PORT/ or http://localhost:PORT/")
        origin = self.headers.get("Origin")
        own = host is not None and origin in (f"http://{host}", f"https://{host}")
        cross = (origin is not None and origin != "null" and not own) or origin == "null" or (
            self.headers.get("Sec-Fetch-Site") == "cross-site" and self.headers.get("Sec-Fetch-Mode") != "navigate")
        if cross and not self.app.allows(origin or ""):
            raise HttpError(403, "requests from other web sites are not allowed here",
                            "open the page on this server, or start it with --cors ORIGIN")

    # ------------------------------------------------------------------ routing
    def _route(self, path: str, query: str) -> None:
        client = self.client_address[0]
        if path in MACHINE_PATHS:
            with self.app.sparql_clients.hold(client):
                return self._sparql(query)
        if self.command == "POST":
            raise HttpError(405, "only /sparql accepts POST")
        if path in STATIC:
            file, media = STATIC[path]
            return self._send(200, file.read_bytes(), media, {"Cache-Control": "max-age=3600"})
        with self.app.page_clients.hold(client):
            self._route_page(path, dict(parse_qsl(query, keep_blank_values=True, max_num_fields=50)))

    def _route_page(self, path: str, args: dict[str, str]) -> None:
        if path == "/":
            return self._page("home.html", **home.home(self.app.service, self.app.saved),
                              worldmap=worldmap.world_map(self.app.service))
        if path.lstrip("/") in listing.LISTS:
            return self._list(listing.LISTS[path.lstrip("/")], args)
        if path == "/queries":
            return self._page("queries.html", queries=list(self.app.saved.values()))
        if path.startswith("/queries/"):
            return self._saved(path[len("/queries/"):], args)
        iri = linked.iri_for_path(path)
        if iri is not None:
            return self._linked(iri, args.get("format"))
        raise HttpError(404, f"there is no page at {path[:200]}", "start from the home page at /")

    def _page(self, template: str, status: int = 200, **context) -> None:
        self._send(status, pages.render(template, path=self._path, **context), conneg.HTML)

    def _list(self, spec: listing.ListSpec, args: dict[str, str]) -> None:
        try:
            page = max(0, int(args.get("page", "1")) - 1)
        except ValueError:
            page = 0
        if args.get("format") == "csv":
            text = listcsv.to_csv(listing.listing(self.app.service, spec, args, page=None))
            return self._send(200, text.encode("utf-8"), "text/csv",
                              {**self._lang_headers,  # the names are in the page's language
                               "Content-Disposition": f'attachment; filename="{spec.name}.csv"'})
        shown = worldmap.world_map(self.app.service) if spec.name == "countries" and not page else None
        self._page("list.html", **listing.listing(self.app.service, spec, args, page), worldmap=shown)

    # ------------------------------------------------------------------ linked data
    def _linked(self, iri: str, format_name: str | None) -> None:
        media = conneg.negotiate(self.headers.get("Accept"), conneg.DOCUMENT_OFFERS, format_name)
        if media is None:
            raise HttpError(406, "none of the accepted media types can be produced",
                            "accept text/html, text/turtle, application/ld+json, application/json, "
                            "application/n-triples or application/rdf+xml (or add ?format=ttl)")
        vary = {"Vary": "Accept"}
        if media == conneg.HTML:
            if iri == linked.ONTOLOGY_IRI or iri == linked.BASE + "vocab/":
                return self._index_page(iri)
            res = describe.resource(self.app.service, iri)
            if res is None:
                raise HttpError(404, f"the graph has nothing about <{iri}>", "check the address, or search the lists")
            country = countrypage.country(self.app.service, res)
            if country:
                countrypage.without_listed(res)
            return self._send(200, pages.render("resource.html", path=self._path, r=res, country=country), media,
                              vary)
        body = documents.describe(self.app.service, iri, media, self.app.prefixes)
        if body is None:
            raise HttpError(404, f"the graph has nothing about <{iri}>")
        self._send(200, body, media, vary)

    def _index_page(self, iri: str) -> None:
        title = i18n._("Ontology") if iri == linked.ONTOLOGY_IRI else i18n._("Vocabularies (SKOS concept schemes)")
        items = describe.index(self.app.service, iri)
        self._send(200, pages.render("index.html", path=self._path, title=title, iri=iri, items=items),
                   conneg.HTML, {"Vary": "Accept"})

    # ------------------------------------------------------------------ saved queries
    def _saved(self, name: str, args: dict[str, str]) -> None:
        """A saved query's form (GET, so an answer has an address) and its answer: a table on the page, or, by
        ``format=`` or the Accept header, the answer itself as CSV, TSV, SPARQL JSON / XML (graphs: Turtle,
        JSON-LD, N-Triples)."""
        saved = self.app.saved.get(name)
        if saved is None:
            raise HttpError(404, f"no saved query named '{name[:100]}'", "the list is at /queries")
        media = self._saved_media(saved, args.pop("format", None))
        ran = bool(args.pop("run", "")) or any(args.values()) or not saved.params or media != conneg.HTML
        result = error = None
        if ran:
            try:
                values = checked_values(saved, {k: v for k, v in args.items() if v != ""}, self._rows)
                bindings = saved.bindings(values)
            except GfmdkgError as exc:
                if media != conneg.HTML:
                    raise HttpError(400, exc.message, exc.hint) from None
                error = str(exc)
            else:
                if media != conneg.HTML:
                    return self._saved_download(saved, bindings, media)
                rows, labels = self.app.service.select([(saved.text, bindings)])
                result = _table(rows[0], labels)
        self._page("query.html", q=saved, controls=forms.controls(self.app.service, saved, args),
                   downloads=forms.DOWNLOADS.get(saved.form, []), result=result, error=error)

    def _saved_media(self, saved, format_name: str | None) -> str:
        """The media type a saved query's answer is asked for in (text/html: the page)."""
        offers = SAVED_OFFERS.get(saved.form, SAVED_OFFERS["CONSTRUCT"])
        media = conneg.negotiate(self.headers.get("Accept"), offers, format_name)
        if media is None:
            names = [n for n, m in conneg.FORMAT_NAMES.items() if m in offers]
            raise HttpError(406, f"the answer of this {saved.form} query can be sent as: " + ", ".join(offers),
                            "add format=" + " or format=".join(names))
        return media

    def _rows(self, sparql: str, bindings: dict) -> list:
        """The rows of a trusted SELECT with bound values (parameter checks)."""
        return self.app.service.select([(sparql, bindings)], labels=False)[0][0]

    def _saved_download(self, saved, bindings, media: str) -> None:
        """The answer as the CLI writes it (``gfmdkg query NAME -f ...``): by the engine in the worker, CSV cells
        a spreadsheet would run neutralised."""
        import pyoxigraph as ox

        from gfmdkg.sparql.formats import format_result, safe_csv
        from gfmdkg.store.base import Result

        service = self.app.service
        if media in conneg.GRAPHS:
            fmt = conneg.GRAPHS[media]
            body = service.graph(saved.text, bindings, fmt, self.app.prefixes) or ox.serialize([], format=fmt)
        elif media == "text/tab-separated-values":  # TSV cells neutralised inside their quotes, as the CLI does
            doc = json.loads(service.results(saved.text, bindings, "application/sparql-results+json"))
            body = format_result(Result.from_json(doc), "tsv").encode("utf-8")
        else:
            body = service.results(saved.text, bindings, conneg.RESULTS[media].media_type)
            body = safe_csv(body) if media == "text/csv" else body
        ext = {"text/csv": "csv", "text/tab-separated-values": "tsv", "text/turtle": "ttl",
               "application/ld+json": "jsonld", "application/n-triples": "nt"}.get(media) or media[-4:].lstrip("+/")
        self._send(200, body, media, {"Content-Disposition": f'attachment; filename="{saved.name}.{ext}"',
                                      "Vary": "Accept"})

    # ------------------------------------------------------------------ SPARQL endpoint
    def _sparql(self, url_query: str) -> None:
        body = self._body() if self.command == "POST" else b""
        op = protocol.parse_request(self.command, url_query, self.headers.get("Content-Type"), body)
        accept = self.headers.get("Accept")
        if op.query is None:
            media = conneg.negotiate(accept, conneg.DOCUMENT_OFFERS[1:] + [conneg.HTML], op.format)
            if media == conneg.HTML or (media is not None and self._wants_html() and not op.format):
                return self._sparql_page(200, _example(self.app.saved, url_query))
            if media is None:
                raise HttpError(406, "the service description is available as Turtle, JSON-LD, N-Triples or "
                                "RDF/XML")
            return self._service_description(media)
        from gfmdkg.sparql.guard import query_form

        typed, prefixed = op.query, None
        if self._wants_html():  # the form: the project's prefixes for those the query uses undeclared
            try:
                prefixed = with_prefixes(typed)
            except GfmdkgError as exc:
                return self._sparql_page(400, typed, error=exc.message, hint=exc.hint)
            op = replace(op, query=prefixed.text)
        form = query_form(op.query)
        offers = {"SELECT": conneg.SELECT_OFFERS, "ASK": conneg.ASK_OFFERS}.get(form, conneg.GRAPH_OFFERS)
        media = conneg.negotiate(accept, offers, op.format)
        if media is None:
            raise HttpError(406, f"the answer to a {form} query can be sent as: " + ", ".join(offers))
        if media == conneg.HTML:
            try:
                return self._sparql_html(op, form, typed)
            except GfmdkgError as exc:  # show the form again, with the reason
                status = status_for(exc)
                message = exc.message if status != 500 else "the query could not be evaluated"
                message = prefixed.relocate(message) if prefixed else message
                return self._sparql_page(status, typed, error=message, hint=exc.hint if status != 500 else None)
        fmt = conneg.RESULTS.get(media) or conneg.GRAPHS[media]
        data = self.app.service.serialize(op.query, fmt, selection=op.selection, prefixes=self.app.prefixes,
                                          base_iri=self._endpoint())
        self._send(200, data, media, {"Vary": "Accept"})

    def _sparql_html(self, op: protocol.Operation, form: str, typed: str) -> None:
        """The answer on the form's page, below the query as the user ``typed`` it."""
        import pyoxigraph as ox

        if form in ("SELECT", "ASK"):
            data = json.loads(self.app.service.serialize(op.query, ox.QueryResultsFormat.JSON,
                                                         selection=op.selection, base_iri=self._endpoint()))
            if "boolean" in data:
                result = {"boolean": data["boolean"]}
            else:
                result = _table(data["results"]["bindings"], {}, data["head"].get("vars", []))
        else:
            data = self.app.service.serialize(op.query, ox.RdfFormat.TURTLE, selection=op.selection,
                                              prefixes=self.app.prefixes, base_iri=self._endpoint())
            result = {"text": data.decode("utf-8")}
        self._sparql_page(200, typed, result)

    def _sparql_page(self, status: int, query: str, result: dict | None = None, *, error: str | None = None,
                     hint: str | None = None) -> None:
        """The SPARQL page: the query as the user typed it, with its answer or its error (placed in the text), the
        saved queries as examples and the project's prefixes."""
        self._page("sparql.html", status, query=query, result=result, error=error, hint=hint,
                   place=editor.error_place(error, query) if error else None,
                   permalink=editor.permalink(query, MAX_URL) if result else None,
                   examples=(examples := editor.examples(self.app.saved)),
                   example_texts={e["name"]: e["text"] for e in examples}, prefixes=editor.prefixes())

    def _endpoint(self) -> str:
        """This endpoint's URL (the base IRI of queries), from a well-formed Host header or the bound address."""
        host = self.headers.get("Host") or ""
        if not host or len(host) > 255 or not all(c.isalnum() or c in ".-:[]" for c in host):
            address, port = self.server.server_address[:2]
            host = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
        return f"http://{host}/sparql"

    def _service_description(self, media: str) -> None:
        import pyoxigraph as ox

        dataset = self.app.service.dataset
        triples = protocol.service_description(self._endpoint(), dataset.local_graphs, dataset.label)
        body = ox.serialize(triples, format=conneg.GRAPHS[media],
                            **({"prefixes": {"sd": protocol.SD}} if media == "text/turtle" else {}))
        self._send(200, body, media, {"Vary": "Accept"})


def _table(rows: list[dict], labels: dict[str, str], names: list[str] | None = None) -> dict:
    """Rows of terms as a table of values for the templates."""
    names = names or list(dict.fromkeys(k for r in rows for k in r))
    return {"vars": names, "rows": [[display.value(r[n], labels) if n in r else None for n in names] for r in rows]}


def _example(saved: dict, url_query: str) -> str:
    """The text the SPARQL page starts with: the saved query named by ``?example=``, else a first query."""
    name = dict(parse_qsl(url_query, max_num_fields=200)).get("example", "")
    return editor.example_text(saved[name]) if name in saved else editor.FIRST_QUERY


class Server(ThreadingHTTPServer):
    """A threading HTTP server that finishes the requests under way when it is closed."""

    daemon_threads = False
    block_on_close = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], app: App) -> None:
        self.app = app
        super().__init__(address, Handler)


def make_server(app: App, host: str = "127.0.0.1", port: int = 8000) -> Server:
    """A bound server (port 0 picks a free port: read ``server.server_address``)."""
    from gfmdkg.safety import is_loopback

    app.loopback_only = is_loopback(host)
    if ":" in host:
        import socket

        class Server6(Server):
            address_family = socket.AF_INET6
        return Server6((host, port), app)
    return Server((host, port), app)
