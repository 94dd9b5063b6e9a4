"""``gfmdkg serve``: a read-only SPARQL endpoint and browsable linked-data pages over the graph."""

from __future__ import annotations

import click

from gfmdkg.cli import get_project


@click.command("serve")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("-g", "--graph", "graphs", multiple=True, metavar="IRI=FILE",
              help="Load FILE's triples into the named graph IRI (repeatable).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; give 0.0.0.0 (or a public address) to expose the server.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--timeout", type=click.FloatRange(min=0.1, max=300), default=10.0, show_default=True,
              help="Stop a query that runs longer than this many seconds.")
@click.option("--max-result-mb", type=click.FloatRange(min=0.01, max=4096), default=16.0, show_default=True,
              help="Refuse answers larger than this many megabytes.")
@click.option("--workers", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Worker processes answering /sparql queries (kept running, each bounded).")
@click.option("--page-workers", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Worker processes answering the pages' queries (separate from /sparql's).")
@click.option("--client-limit", type=click.IntRange(1, 64), default=2, show_default=True,
              help="/sparql requests one client address may have under way; more get 429 at once.")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Let web pages from ORIGIN (e.g. https://example.org, or '*') query the server and read its "
                   "answers (repeatable; 'none' for no origin). Default: '*' for the project's public graph, "
                   "none for FILES.")
@click.option("--access-log", type=click.Path(dir_okay=False, allow_dash=True), default="-", show_default=True,
              help="Append one line per request to this file ('-': standard error).")
@click.pass_context
def command(ctx, files, graphs, host, port, timeout, max_result_mb, workers, page_workers, client_limit, cors,
            access_log):
    """Serve the graph: a SPARQL 1.1 endpoint at /sparql and linked-data pages for people and machines.

    Without FILES, serves the gfmdkg graph; with FILES (Turtle, N-Triples, TriG, N-Quads, JSON-LD, RDF/XML),
    serves those instead: triples go into the default graph, TriG/N-Quads keep their named graphs. The default
    graph of a query is the union of all graphs, unless default-graph-uri / named-graph-uri say otherwise.

    Read-only: updates, SERVICE, LOAD and FROM graphs not held here are refused; every query stops after
    --timeout seconds and --max-result-mb megabytes. Pages and /sparql have their own worker processes, and one
    client address may have at most --client-limit /sparql requests under way, so heavy queries cannot starve the
    site. Stop with Ctrl-C.

    \b
    Examples:
      gfmdkg serve                              then open http://127.0.0.1:8000/
      gfmdkg serve --port 8080 data.trig
      gfmdkg serve -g http://example.org/g1=g1.nt -g http://example.org/g2=g2.nt
    """
    import re
    import signal
    import sys
    import threading
    from pathlib import Path

    from gfmdkg.errors import GfmdkgError
    from gfmdkg.safety import is_loopback
    from gfmdkg.serve import dataset as ds
    from gfmdkg.serve.app import App, make_server
    from gfmdkg.serve.runner import QueryService

    origins = None if not cors else tuple(o for o in cors if o.lower() != "none")
    for origin in origins or ():
        if origin != "*" and not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+", origin):
            raise click.UsageError(f"--cors '{origin}' is not an origin: give scheme://host[:port] (no path), "
                                   "'*' or 'none'")
    if files or graphs:
        data = ds.from_files([Path(f) for f in files], [ds.parse_graph_option(g) for g in graphs])
        saved = {}
    else:
        project = get_project(ctx)
        data = ds.from_project(project)
        from gfmdkg.sparql.catalogue import load_catalogue
        saved = load_catalogue([p for p in project.query_files() if p.parent.name != "qc"])
    service = QueryService(data, timeout=timeout, max_bytes=int(max_result_mb * 1024 * 1024), workers=workers,
                           page_workers=page_workers)
    from gfmdkg.sparql.guard import warm
    warm()  # the query workers are forked from this process: they inherit a ready grammar
    try:
        log = sys.stderr if access_log == "-" else open(access_log, "a", encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise GfmdkgError(f"{access_log}: cannot open the access log: {exc.strerror}",
                          hint="give a writable file to --access-log, or '-' for standard error") from None
    service.start()  # fork the workers now: this process has a single thread and no listening socket yet
    try:
        server = make_server(App(service, saved_queries=saved, log=log, client_limit=client_limit,
                                 page_client_limit=max(client_limit, 4 * page_workers), cors=origins), host, port)
    except OSError as exc:
        service.close()
        raise GfmdkgError(f"cannot listen on {host}:{port}: {exc.strerror}",
                          hint="choose another --port (or --port 0 for any free port)") from None
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    click.echo(f"gfmdkg serve: {data.label}, {data.size} quads, listening on http://{shown}:{bound_port}/ "
               f"(SPARQL at /sparql; Ctrl-C to stop)", err=True)
    click.echo(f"http://{shown}:{bound_port}/")
    sys.stdout.flush()
    if not is_loopback(host):
        click.echo(f"gfmdkg serve: warning: listening on {host}, reachable from other machines", err=True)

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="gfmdkg-serve")
    thread.start()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        service.close()
        for s, handler in old.items():
            signal.signal(s, handler)
        click.echo("gfmdkg serve: stopped", err=True)
        if log is not sys.stderr:
            log.close()
