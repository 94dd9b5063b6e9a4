"""``gfmdkg add``: check contributions and, only if they pass, write them into data/contrib/."""

from __future__ import annotations

import sys

import click

from gfmdkg.cli import get_project


@click.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Format of the check report when the check does not pass.")
@click.option("--base", "base_iri", metavar="IRI", default=None,
              help="Base IRI for relative IRIs in RDF files.")
@click.option("--contributor", metavar="NAME", default=None,
              help="Who contributes (a person or organisation); recorded with the contribution. Default: the "
              "template's 'contact'.")
@click.pass_context
def command(ctx, files, fmt, base_iri, contributor):
    """Add contributions (new practices) to the graph, after checking them.

    Runs `gfmdkg check` on FILES (the same inputs and report). Only if every file passes, each practice
    (each template row, or each RDF file) is written to data/contrib/<id>.ttl in the project's Turtle style:
    one file, one named graph. Countries the graph has no node for yet are generated as `gfmdkg curate
    countries` does and appended; no existing node is changed. Everything is written as one transaction: on any
    failure (a full disk, a read-only data/) nothing changes, and if the process is killed the project holds the
    old or the new state (the next command finishes a committed one); run the same command again to complete
    it. Concurrent runs wait for each other.

    Each contribution records its own provenance: who contributed it (--contributor, else the template's
    'contact'), when, from which file, the source as given, and the review status "submitted", which a
    curator changes with `gfmdkg review`. Its links are marked as stated by the contributor.

    Exit status as `gfmdkg check`: 0 added, 1 check failed (nothing written), 2 unreadable file or usage error.

    \b
    Examples:
      gfmdkg check my-practices.csv && gfmdkg add my-practices.csv
      gfmdkg add --contributor "Jane Doe (Nurses Association of Ghana)" my-practices.csv
      gfmdkg add my-practice.ttl
    """
    from pathlib import Path

    from gfmdkg.contrib.report import to_json, to_text
    from gfmdkg.contrib.provenance import UNNAMED, checked_name
    from gfmdkg.contrib.writer import add

    contributor = checked_name(contributor, "--contributor")
    project = get_project(ctx)
    project.require_writable()
    done = add(project, [Path(f) for f in files], base_iri=base_iri, contributor=contributor)
    if done.result.exit_code:
        click.echo(to_json(done.result) if fmt == "json" else to_text(done.result), nl=False)
        click.echo("nothing was added: fix the errors above and run the command again", err=True)
        sys.exit(done.result.exit_code)
    from gfmdkg.contrib.vocab import show as shorten

    total = 0
    for path, unit in done.files:
        nodes = sorted(unit.nodes)
        total += len(unit.quads)
        click.echo(f"added {project.relative(path)}: {len(nodes)} new node{'s' * (len(nodes) != 1)}, "
                   f"{len(unit.quads)} triples")
        for node in nodes:
            click.echo(f"  {shorten(node)}")
    for path in done.regenerated:
        click.echo(f"appended new nodes to {project.relative(path)} (new countries)")
    for name in sorted(set(done.result.contributors)):
        click.echo(f"contributed by {name}: submitted, not yet reviewed (a curator reviews it with `gfmdkg review`)")
    if UNNAMED in done.result.contributors:
        click.echo("note: no contributor was given (--contributor NAME, or the template's 'contact'); "
                   "recorded as an unnamed contributor", err=True)
    warnings = len(done.result.warnings)
    click.echo(f"{len(done.files)} file{'s' * (len(done.files) != 1)}, {total} triples added"
               + (f"; {warnings} warning{'s' * (warnings != 1)} (see `gfmdkg check`)" if warnings else ""))
