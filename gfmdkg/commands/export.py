"""``gfmdkg export``: the merged graph in a standard RDF syntax, or as CSV tables."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import click

from gfmdkg.cli import get_project
from gfmdkg.commands.options import engine_option
from gfmdkg.errors import GfmdkgError
from gfmdkg.publish.rdf_export import SYNTAXES
from gfmdkg.publish.tabular import TABLES


@click.command("export")
@click.option("-f", "--format", "syntax", type=click.Choice([*sorted(SYNTAXES), "csv"]), default="turtle",
              show_default=True, help="RDF syntax (nq and trig keep one named graph per source file; jsonld uses "
              "the @context of ontology/context.jsonld, inline), or csv for tables.")
@click.option("--class", "table", type=click.Choice(list(TABLES)), default=None,
              help="With -f csv: the table to write (pfp = the GFMD Platform for Partnerships form). Without it, "
              "-o names a folder and every table is written there.")
@click.option("-o", "--output", type=click.Path(), default=None,
              help="Write to this file (atomically); for -f csv without --class, a folder. Default: standard output.")
@click.option("--all", "every", is_flag=True,
              help="Write every RDF syntax into the folder -o DIR (gfmdkg.ttl, .nt, .nq, .trig, .jsonld, .rdf) and "
              "the DCAT-AP catalogue record catalog.ttl describing them (sizes, SHA-256 checksums).")
@click.option("--base-url", metavar="URL", default=None,
              help="With --all: the URL the files will be downloadable under (default "
              "https://w3id.org/gfmdkg/dump/); each file's download URL is this plus its name.")
@click.option("--sparql-endpoint", metavar="URL", default=None,
              help="Name this SPARQL endpoint (void:sparqlEndpoint) in the dataset description.")
@engine_option
@click.pass_context
def command(ctx, syntax, table, output, every, base_url, sparql_endpoint, engine):  # noqa: PLR0913
    """Export the whole graph (ontology, schemes and data) in one RDF syntax, or as CSV.

    Every RDF export includes the dataset description (DCAT + VoID, data/dataset.ttl) with triple and entity
    counts computed now. The output is deterministic: the same graph gives byte-identical files.

    \b
    Examples:
      gfmdkg export -f turtle -o gfmdkg.ttl
      gfmdkg export -f trig -o gfmdkg.trig
      gfmdkg export -f jsonld -o gfmdkg.jsonld
      gfmdkg export -f csv --class pfp -o pfp.csv
      gfmdkg export -f csv -o tables/
      gfmdkg export --all -o dist/ --base-url https://example.org/gfmdkg/0.1.0/
    """
    from gfmdkg.store import open_engine

    project = get_project(ctx)
    if table and syntax != "csv":
        raise click.BadParameter("--class goes with -f csv", param_hint="--class")
    if every and (table or syntax == "csv" or not output):
        raise click.UsageError("--all writes every RDF syntax and the catalogue record into a folder: give -o DIR "
                               "(and no -f csv / --class)")
    if base_url and not every:
        raise click.BadParameter("--base-url goes with --all", param_hint="--base-url")
    for url in (sparql_endpoint, base_url):
        if url:
            from gfmdkg.sparql.terms import uri
            uri(url)
    if syntax == "csv":
        _export_csv(open_engine(project, engine=engine).quads(), table, output)
        return
    from gfmdkg.publish.rdf_export import write

    context = None
    if syntax == "jsonld" or every:
        from gfmdkg.publish.jsonld import load_context
        context = load_context(project.root)
    if engine == "rdflib":  # the naive baseline, kept for comparison
        from gfmdkg.publish.rdf_export import export_quads
        published = export_quads(open_engine(project, engine=engine).quads(), sparql_endpoint=sparql_endpoint)
    else:  # straight from the files, in parallel: faster than reading the index, and needs none
        from gfmdkg.publish.canonical import export_project
        published = export_project(project, sparql_endpoint=sparql_endpoint)
    if every:
        _export_all(published, Path(output), context, base_url)
        return
    _stream(lambda out: write(published, syntax, out, context=context), output)


def _export_all(published, folder: Path, context: dict, base_url: str | None) -> None:
    from gfmdkg.publish.catalog import DEFAULT_BASE_URL, export_all

    _make_folder(folder)
    base = base_url or DEFAULT_BASE_URL
    try:
        paths = export_all(published, folder, context=context, base_url=base if base.endswith("/") else base + "/")
    except OSError as exc:
        raise GfmdkgError(f"{folder}: cannot write the files: {exc.strerror}",
                          hint="check that the folder is writable") from None
    for path in paths:
        click.echo(f"wrote {path} ({path.stat().st_size} bytes)", err=True)


def _make_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise GfmdkgError(f"{folder}: exists and is not a folder", hint="give -o a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GfmdkgError(f"{folder}: cannot create the folder: {exc.strerror}", hint="check the path") from None


def _stream(writer: Callable[[BinaryIO], None], output: str | None) -> None:
    """Run ``writer`` on standard output, or on a temporary file renamed over ``output`` only once it is complete
    (a failure leaves the old file, or none)."""
    if not output:
        writer(sys.stdout.buffer)
        return
    from gfmdkg.atomic import atomic_output
    try:
        with atomic_output(output) as out:
            writer(out)
            size = out.tell()
    except OSError as exc:
        raise GfmdkgError(f"{output}: cannot write the file: {exc.strerror}",
                          hint="check that the folder exists and is writable") from None
    click.echo(f"wrote {output} ({size} bytes)", err=True)


def _write(data: bytes, output: str | None) -> None:
    _stream(lambda out: out.write(data), output)


def _export_csv(quads, table: str | None, output: str | None) -> None:
    from gfmdkg.publish.tabular import Index, to_csv

    index = Index(quads)
    if table:
        _write(to_csv(index, table), output)
        return
    if not output:
        raise click.UsageError("-f csv without --class writes every table: give the folder with -o DIR "
                               "(or choose one table with --class)")
    folder = Path(output)
    _make_folder(folder)
    for name in TABLES:
        _write(to_csv(index, name), str(folder / f"{name}.csv"))
