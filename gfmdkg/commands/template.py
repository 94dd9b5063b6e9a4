"""``gfmdkg template``: the contributor template (CSV or YAML), empty or as a filled-in example."""

from __future__ import annotations

import click

from gfmdkg.cli import get_project
from gfmdkg.contrib.template import LISTS


@click.command("template")
@click.option("-f", "--format", "fmt", type=click.Choice(["csv", "yaml"]), default="csv", show_default=True,
              help="csv: one practice per row (for spreadsheets); yaml: one practice per item (for a text editor).")
@click.option("--example", is_flag=True, help="Fill in one example practice instead of leaving the fields empty.")
@click.option("--list", "list_kind", type=click.Choice(sorted(LISTS)), default=None,
              help="Instead of the template, list the values the graph knows for one field.")
@click.pass_context
def command(ctx, fmt, example, list_kind):
    """Print the template for contributing practices (see docs/CONTRIBUTING.md).

    The fields follow the GFMD Platform for Partnerships form: title, summary, countries, partners, thematic
    areas, tags, source, contact, plus web links, start and end, status, budget and the recommendations the
    practice supports. Several values in one cell are separated by ';'.

    \b
    Examples:
      gfmdkg template --format csv > my-practices.csv
      gfmdkg template --format yaml --example
      gfmdkg template --list thematic-areas
    """
    if list_kind:
        from gfmdkg.contrib.graphview import StoreVocabulary
        from gfmdkg.namespaces import shorten
        from gfmdkg.store import open_engine

        vocab = StoreVocabulary(open_engine(get_project(ctx)).store)
        for iri, label in vocab.choices(LISTS[list_kind]):
            click.echo(f"{shorten(iri)}\t{label}")
        return
    from gfmdkg.contrib.template import csv_template, yaml_template

    click.echo(csv_template(example) if fmt == "csv" else yaml_template(example), nl=False)
