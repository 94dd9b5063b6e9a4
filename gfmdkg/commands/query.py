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
              "written as Turtle, or JSON-LD with json). The table shows 1000 rows at a time.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Answer at most this many rows.")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
              help="Skip this many rows first (with --limit: one page of a long list).")
@click.option("--wide", is_flag=True, default=False,
              help="Table: every cell whole on one line, however wide (default: fit the terminal's width, $COLUMNS, "
              "wrapping long cells over up to three lines and cutting the rest with an ellipsis).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file (atomically) instead of standard output.")
@timeout_option
@endpoint_options
@engine_option
@click.pass_context
def command(ctx, name, params, fmt, limit, offset, wide, output, timeout, endpoint, method, user, engine):
    """Run the saved query NAME (see 'gfmdkg queries') or the query file NAME.rq.

    A query file may use the project's prefixes (gfmd:, rec:, practice:, country:, ...) without declaring them;
    errors name the file, line and column.

    The table fits the terminal (or $COLUMNS) and names things by their labels; --wide shows every cell whole.

    Parameters are bound as RDF terms, never pasted into the query text. Queries may not use SERVICE, LOAD,
    updates or FROM remote graphs, and stop after --timeout seconds.

    \b
    Examples:
      gfmdkg query practices-by-recommendation
      gfmdkg query practices-by-recommendation -p rec=rec:bp-diaspora-participation -f csv
      gfmdkg query practices-by-organisation --limit 50 --offset 100
      gfmdkg query my-question.rq -f json
      gfmdkg query practices-by-country -p country=GHA --endpoint http://127.0.0.1:7878/query
    """
    from contextlib import nullcontext

    from gfmdkg.sparql.catalogue import resolve
    from gfmdkg.sparql.formats import format_result, write_answer
    from gfmdkg.sparql.messages import errors_located
    from gfmdkg.sparql.paging import paged
    from gfmdkg.sparql.run import answerer, checked_bindings

    project = get_project(ctx)
    saved = resolve(name, project.query_files())
    local = None
    if not endpoint:
        from gfmdkg.store import open_engine
        local = open_engine(project, engine=engine)
    answer = answerer(project, timeout=timeout, endpoint=endpoint, method=method, user=user, local=local)
    text = paged(saved.text, limit, offset)
    if output:
        from gfmdkg.atomic import atomic_output
        target = atomic_output(output)  # the file appears only once the whole answer is written
    else:
        target = nullcontext(click.get_binary_stream("stdout"))
    with errors_located(str(saved.path), saved.prefixed):
        bindings = checked_bindings(saved, parse_params(params), answer)
        with target as out:
            if local is None:
                out.write(format_result(answer(text, bindings), fmt, wide=wide).encode("utf-8"))
            else:  # answers written by the engine itself (see write_answer)
                write_answer(local, text, bindings, fmt, out, timeout=timeout, wide=wide)
