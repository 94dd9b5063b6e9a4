"""``gfmdkg stats``: counts per class, per scheme, links, and how much of the graph is located in the sources."""

from __future__ import annotations

import json

import click

from gfmdkg.cli import get_project
from gfmdkg.commands.options import engine_option


@click.command("stats")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@engine_option
@click.pass_context
def command(ctx, fmt, engine):
    """Counts per class and scheme, links, Annex coverage, and the share of curated nodes with a locator.

    \b
    Example:
      gfmdkg stats
      gfmdkg stats -f json
    """
    from gfmdkg.stats import compute, to_text
    from gfmdkg.store import open_engine

    project = get_project(ctx)
    st = compute(open_engine(project, engine=engine))
    if fmt == "json":
        click.echo(json.dumps({"project": str(project.root), "origin": project.origin, **st.as_dict()}, indent=2))
    else:
        click.echo(f"project: {project.root} ({project.origin}{'' if project.writable else ', read-only'})\n"
                   + to_text(st), nl=False)
