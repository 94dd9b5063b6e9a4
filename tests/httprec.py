"""A tiny real HTTP server for tests that records every request and answers as told (status, type, body, delay,
redirect): used to prove that nothing was fetched, and to play a broken or slow SPARQL endpoint."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Hit:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Answer:
    status: int = 200
    content_type: str = "text/html"
    body: bytes = b"<html><body>hello</body></html>"
    delay: float = 0.0
    location: str | None = None


@dataclass
class Recorder:
    """``with Recorder(Answer(...)) as rec: ... rec.url ... rec.hits``"""

    answer: Answer = field(default_factory=Answer)
    hits: list[Hit] = field(default_factory=list)

    def __enter__(self) -> Recorder:
        rec = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                rec.hits.append(Hit(self.command, self.path, dict(self.headers), self.rfile.read(length)))
                a = rec.answer
                if a.delay:
                    time.sleep(a.delay)
                try:
                    self.send_response(a.status)
                    if a.location:
                        self.send_header("Location", a.location)
                    self.send_header("Content-Type", a.content_type)
                    self.send_header("Content-Length", str(len(a.body)))
                    self.end_headers()
                    self.wfile.write(a.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = _serve

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
