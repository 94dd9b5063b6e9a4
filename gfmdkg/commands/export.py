"""``gfmdkg export``: the merged graph in a standard RDF syntax."""

from __future__ import annotations

import sys

import click

from gfmdkg.cli import get_project
from gfmdkg.commands.options import engine_option
from gfmdkg.publish.rdf_export import SYNTAXES


@click.command("export")
@click.option("-f", "--format", "syntax", type=click.Choice(sorted(SYNTAXES)), default="turtle", show_default=True,
              help="RDF syntax; nq and trig keep one named graph per source file.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file (atomically); default standard output.")
@engine_option
@click.pass_context
def command(ctx, syntax, output, engine):
    """Export the whole graph (ontology, schemes and data) in one RDF syntax.

    The output is deterministic: the same graph gives byte-identical files, so exports diff cleanly.

    \b
    Examples:
      gfmdkg export -f turtle -o gfmdkg.ttl
      gfmdkg export -f trig -o gfmdkg.trig
      gfmdkg export -f nt | wc -l
    """
    from gfmdkg.publish.rdf_export import serialize
    from gfmdkg.store import open_engine

    project = get_project(ctx)
    data = serialize(open_engine(project, engine=engine).quads(), syntax)
    if output:
        from gfmdkg.atomic import write_bytes_atomic
        write_bytes_atomic(output, data)
        click.echo(f"wrote {output} ({len(data)} bytes)", err=True)
    else:
        sys.stdout.buffer.write(data)
