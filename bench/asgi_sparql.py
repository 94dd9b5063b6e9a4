"""The work of ``gfmdkg serve``'s ``/sparql`` (GET) on Starlette and Uvicorn, to compare the HTTP stacks.

``python -m bench.asgi_sparql PROJECT PORT`` serves only ``GET /sparql?query=`` with the same pieces as the real
server (the SPARQL protocol rules, the guard, content negotiation, the pooled bounded workers, the security
headers), so that ``bench.serve_load --asgi`` measures how much of the time is the standard library's
``http.server``. Bench only: not a supported server (no pages, no POST, no access log).
"""

from __future__ import annotations

import sys
from pathlib import Path


def app(project: Path):
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response
    from starlette.routing import Route

    from gfmdkg.errors import GfmdkgError
    from gfmdkg.project import Project
    from gfmdkg.serve import conneg, protocol
    from gfmdkg.serve.app import SECURITY_HEADERS, status_for
    from gfmdkg.serve.dataset import from_project
    from gfmdkg.serve.runner import QueryService
    from gfmdkg.sparql.guard import query_form, warm

    service = QueryService(from_project(Project(project)), timeout=10.0)
    warm()  # as gfmdkg serve does: the workers inherit a ready grammar
    service.start()

    async def sparql(request):
        try:
            op = protocol.parse_request("GET", request.url.query, None, b"")
            form = query_form(op.query)
            offers = {"SELECT": conneg.SELECT_OFFERS, "ASK": conneg.ASK_OFFERS}.get(form, conneg.GRAPH_OFFERS)
            media = conneg.negotiate(request.headers.get("accept"), offers, op.format)
            fmt = conneg.RESULTS.get(media) or conneg.GRAPHS[media]
            data = await run_in_threadpool(service.serialize, op.query, fmt, selection=op.selection)
            return Response(data, 200, {**SECURITY_HEADERS, "Vary": "Accept"}, conneg.content_type(media))
        except GfmdkgError as exc:
            return Response(exc.message, status_for(exc), SECURITY_HEADERS, "text/plain")

    return Starlette(routes=[Route("/sparql", sparql)])


def main(argv: list[str]) -> int:
    import uvicorn
    uvicorn.run(app(Path(argv[0])), host="127.0.0.1", port=int(argv[1]), http="httptools", access_log=False,
                log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
