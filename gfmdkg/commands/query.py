"""``gfmdkg query``: run a saved query or a query file, locally or against a remote endpoint."""

from __future__ import annotations

import click

from gfmdkg.cli import get_project
from gfmdkg.commands.options import endpoint_options, engine_option, params_option, parse_params, timeout_option


@click.command("query")
@click.argument("name")
@params_option
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "md"]), default="table",
              show_default=True, help="Output format (json = SPARQL 1.1 Query Results JSON; graph answers are "
              "written as Turtle, or JSON-LD with json).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file (atomically) instead of standard output.")
@timeout_option
@endpoint_options
@engine_option
@click.pass_context
def command(ctx, name, params, fmt, output, timeout, endpoint, method, user, engine):
    """Run the saved query NAME (see 'gfmdkg queries') or the query file NAME.rq.

    A query file may use the project's prefixes (gfmd:, rec:, practice:, country:, ...) without declaring them;
    errors name the file, line and column.

    Parameters are bound as RDF terms, never pasted into the query text. Queries may not use SERVICE, LOAD,
    updates or FROM remote graphs, and stop after --timeout seconds.

    \b
    Examples:
      gfmdkg query practices-by-recommendation
      gfmdkg query practices-by-recommendation -p rec=rec:bp-diaspora-participation -f csv
      gfmdkg query my-question.rq -f json
      gfmdkg query practices-by-country -p country=GHA --endpoint http://127.0.0.1:7878/query
    """
    from gfmdkg.sparql.catalogue import resolve
    from gfmdkg.sparql.formats import format_result
    from gfmdkg.sparql.messages import errors_located
    from gfmdkg.sparql.run import answerer, checked_bindings

    project = get_project(ctx)
    saved = resolve(name, project.query_files())
    answer = answerer(project, timeout=timeout, endpoint=endpoint, method=method, user=user, engine=engine)
    with errors_located(str(saved.path), saved.prefixed):
        result = answer(saved.text, checked_bindings(saved, parse_params(params), answer))
    text = format_result(result, fmt)
    if output:
        from gfmdkg.atomic import write_text_atomic
        write_text_atomic(output, text)
    else:
        click.echo(text, nl=False)
