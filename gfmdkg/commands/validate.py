"""``gfmdkg validate``: the whole graph (or given files with it) against the SHACL shapes and QC checks."""

from __future__ import annotations

import sys

import click

from gfmdkg.cli import get_project


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text",
              show_default=True, help="text for people, json for tools, turtle for the SHACL validation report.")
@click.option("--no-qc", is_flag=True, help="Skip the QC queries (queries/qc/*-violation.rq).")
@click.option("--shacl-engine", type=click.Choice(["shacl", "pyshacl"]), default="shacl", show_default=True,
              help="shacl: the Rust library, fast, same results as pySHACL (falls back to pySHACL, saying so, for "
              "a shape feature outside its reach); pyshacl: the reference implementation.")
@click.pass_context
def command(ctx, files, fmt, no_qc, shacl_engine):
    """Validate the graph against ontology/shapes.ttl and the QC checks.

    With FILES, validates them together with the graph (a contribution in context). The report is grouped by
    node, naming each node by its label and IRI, with the file and line that states it, the property, the
    offending value and what is wrong.

    Exit status: 0 conforms (warnings are shown but allowed), 1 violations, 2 usage or parse error.

    \b
    Examples:
      gfmdkg validate
      gfmdkg validate my-practice.ttl
      gfmdkg validate -f json > report.json
      gfmdkg validate --shacl-engine pyshacl
    """
    from pathlib import Path

    from gfmdkg.validation import validate

    project = get_project(ctx)
    report = validate(project, extra_files=[Path(f) for f in files], qc=not no_qc, shacl_engine=shacl_engine)
    if fmt == "json":
        click.echo(report.to_json(), nl=False)
    elif fmt == "turtle":
        click.echo(report.shacl_turtle, nl=False)
    else:
        click.echo(report.to_text(), nl=False)
    sys.exit(report.exit_code)
