"""``gfmdkg check``: check contribution files with the graph, without changing anything."""

from __future__ import annotations

import sys

import click

from gfmdkg.cli import get_project


@click.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for tools.")
@click.option("--syntax-only", is_flag=True,
              help="Only read the files (any RDF syntax, or the CSV/YAML template); no checks against the graph.")
@click.option("--no-shapes", is_flag=True, help="Skip the SHACL shapes (the other checks still run).")
@click.option("--base", "base_iri", metavar="IRI", default=None,
              help="Base IRI for relative IRIs in RDF files (default: the file's own file:// URI).")
@click.option("--contributor", metavar="NAME", default=None,
              help="Who contributes, as `gfmdkg add --contributor` will record it (checked with the rest).")
@click.pass_context
def command(ctx, files, fmt, syntax_only, no_shapes, base_iri, contributor):
    """Check contributions (new practices) before adding them, without changing anything.

    FILES are the contributor template (.csv, one practice per row; .yaml/.yml, one practice per item; see
    `gfmdkg template`) or RDF (.ttl, .jsonld, .nt, .nq, .trig, .rdf). Each is read safely, converted to the
    graph's model and checked together with the graph: the SHACL shapes, IRIs that already exist, unknown
    countries, organisations, thematic areas, tags and recommendations (with "did you mean" suggestions),
    likely duplicates of existing practices (a title 85 % alike in a shared country or organisation: a
    warning naming the existing practice; the same name apart from brackets, years and common words, 97 %,
    with a shared country or organisation: an error), and a missing source.

    The report is grouped per practice, in your terms (CSV row and column, YAML field and line, RDF file,
    node and line), each problem with what to do.

    An RDF file is checked as data: the shapes of whatever classes it contains apply, so a file with no
    practice (for example a test file of the W3C Turtle suite) passes when it is well-formed. Use
    --syntax-only to read files without the graph (fast; any RDF, no vocabulary checks).

    Exit status: 0 passes (warnings allowed), 1 errors to fix, 2 unreadable file or usage error (the message
    names the file and line).

    \b
    Examples:
      gfmdkg template --format csv > my-practices.csv    (fill it in, then)
      gfmdkg check my-practices.csv
      gfmdkg check my-practice.ttl -f json
      gfmdkg check --syntax-only data.ttl
    """
    from pathlib import Path

    from gfmdkg.contrib.pipeline import check
    from gfmdkg.contrib.provenance import checked_name
    from gfmdkg.contrib.report import to_json, to_text

    paths = [Path(f) for f in files]
    contributor = checked_name(contributor, "--contributor")
    project = None if syntax_only else get_project(ctx)
    result = check(project, paths, syntax_only=syntax_only, shapes=not no_shapes, base_iri=base_iri,
                   contributor=contributor)
    click.echo(to_json(result) if fmt == "json" else to_text(result), nl=False)
    sys.exit(result.exit_code)
