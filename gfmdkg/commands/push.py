"""``gfmdkg push``: load the graph into a remote SPARQL 1.1 store (Graph Store Protocol, or SPARQL Update)."""

from __future__ import annotations

import click

from gfmdkg.cli import get_project
from gfmdkg.commands.options import engine_option
from gfmdkg.publish.push import DEFAULT_BATCH, DEFAULT_TIMEOUT, PASSWORD_ENV, USER_ENV


@click.command("push")
@click.option("--endpoint", metavar="URL", required=True,
              help="The store's Graph Store Protocol URL (Oxigraph: http://HOST:7878/store); with --protocol "
              "update, its SPARQL Update URL.")
@click.option("--graph", metavar="IRI", default=None,
              help="Put the whole graph into this one named graph. Default: one named graph per source file.")
@click.option("--update-endpoint", metavar="URL", default=None,
              help="SPARQL 1.1 Update URL to fall back to when the store does not take Graph Store Protocol "
              "requests (Oxigraph: http://HOST:7878/update).")
@click.option("--protocol", type=click.Choice(["auto", "gsp", "update"]), default="auto", show_default=True,
              help="auto: Graph Store Protocol, falling back to --update-endpoint; gsp or update: only that one.")
@click.option("--timeout", type=click.FloatRange(min=1), default=DEFAULT_TIMEOUT, show_default=True,
              help="Deadline in seconds for the whole push: every request and the check afterwards.")
@click.option("--batch-size", type=click.IntRange(min=1), default=DEFAULT_BATCH, show_default=True,
              help="Triples per INSERT DATA request (SPARQL Update only).")
@click.option("--sparql-endpoint", metavar="URL", default=None,
              help="The store's query URL: named (void:sparqlEndpoint) in the pushed dataset description, and used "
              "after the push to count each graph and to check that queries without GRAPH see the data.")
@click.option("--default-graph", "default_graph", is_flag=True, default=False,
              help="Also put the whole graph into the store's default graph, for stores whose default graph is not "
              "the union of their named graphs (oxigraph serve without --union-default-graph).")
@engine_option
@click.pass_context
def command(ctx, endpoint, graph, update_endpoint, protocol, timeout, batch_size, sparql_endpoint, default_graph,
            engine):
    """Load the graph into a remote SPARQL 1.1 store, replacing the graphs it pushed before.

    Each named graph (one per source file, plus the dataset statistics) is replaced whole with an HTTP PUT, so
    pushing twice leaves one copy. Stores without the Graph Store Protocol are written with SPARQL Update:
    batched INSERT DATA into a temporary graph, then MOVE onto the target.

    Afterwards the store's counts are checked: with --sparql-endpoint by a count query (which also shows
    whether queries without GRAPH see the data), else by reading each graph back.

    Credentials are read from the environment only: GFMDKG_ENDPOINT_USER and GFMDKG_ENDPOINT_PASSWORD
    (HTTP Digest or Basic, as the server asks). Redirects are not followed. The URL forms of Oxigraph,
    Fuseki, GraphDB and Virtuoso are in docs/PUBLISHING.md.

    \b
    Examples:
      gfmdkg push --endpoint http://127.0.0.1:7878/store
      gfmdkg push --endpoint http://127.0.0.1:3030/gfmd/data --update-endpoint http://127.0.0.1:3030/gfmd/update
      gfmdkg push --endpoint http://127.0.0.1:7878/update --protocol update
      gfmdkg push --endpoint http://127.0.0.1:7878/store --graph https://example.org/graph/gfmdkg
      GFMDKG_ENDPOINT_USER=dba GFMDKG_ENDPOINT_PASSWORD=... gfmdkg push \\
          --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth --sparql-endpoint http://127.0.0.1:8890/sparql
    """
    import os
    from urllib.parse import urlsplit

    from gfmdkg.publish.push import check_endpoint, push
    from gfmdkg.publish.rdf_export import export_quads
    from gfmdkg.safety import is_loopback
    from gfmdkg.sparql.terms import uri
    from gfmdkg.store import open_engine

    check_endpoint(endpoint)
    if update_endpoint:
        check_endpoint(update_endpoint, "--update-endpoint")
    if update_endpoint and protocol == "gsp":
        raise click.BadParameter("--update-endpoint is not used with --protocol gsp", param_hint="--protocol")
    if sparql_endpoint:
        check_endpoint(sparql_endpoint, "--sparql-endpoint")
    if graph:
        uri(graph)
    for url in (endpoint, update_endpoint):
        parts = urlsplit(url or "")
        if url and os.environ.get(USER_ENV) and parts.scheme == "http" and not is_loopback(parts.hostname or ""):
            click.echo(f"gfmdkg: warning: {USER_ENV}/{PASSWORD_ENV} are sent in clear over http:// to "
                       f"{parts.hostname}; prefer https://", err=True)
    project = get_project(ctx)
    if engine == "rdflib":  # the naive baseline, kept for comparison
        quads = export_quads(open_engine(project, engine=engine).quads(), sparql_endpoint=sparql_endpoint)
    else:  # what `gfmdkg export` writes, straight from the files (faster than reading the index)
        from gfmdkg.publish.canonical import export_project
        quads = export_project(project, sparql_endpoint=sparql_endpoint)
    report = push(quads, endpoint=endpoint, update_endpoint=update_endpoint, protocol=protocol, graph=graph,
                  timeout=timeout, batch_size=batch_size, sparql_endpoint=sparql_endpoint,
                  default_graph=default_graph)
    how = "Graph Store Protocol (PUT)" if report.protocol == "gsp" else "SPARQL 1.1 Update (INSERT DATA + MOVE)"
    click.echo(f"pushed {len(report.graphs)} graph{'s' if len(report.graphs) != 1 else ''} ({report.triples} "
               f"triples) to {update_endpoint if report.protocol == 'update' and update_endpoint else endpoint} "
               f"via {how}" + (f"; checked: {report.verified}" if report.verified else ""), err=True)
    for warning in report.warnings:
        click.echo(f"gfmdkg: warning: {warning}", err=True)
