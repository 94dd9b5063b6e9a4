"""``gfmdkg gapmap``: the evidence gap map, recommendations x outcome domains, from the local graph or an endpoint."""

from __future__ import annotations

import sys

import click

from gfmdkg.cli import get_project
from gfmdkg.commands.options import endpoint_options, engine_option, timeout_option
from gfmdkg.gapmap import FORMATS

SOURCES = {"bp": "doc:gfmd2014-rt32-background-paper", "rr": "doc:gfmd2014-rt3-rapporteur-report", "all": ""}


@click.command("gapmap")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table (terminal), csv (one line per cell), md, json, html (self-contained heat map page), "
              "png (heat map image; needs Pillow).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file (atomically); default standard output (png needs -o).")
@click.option("--recommendations", "which", type=click.Choice(sorted(SOURCES)), default="all", show_default=True,
              help="bp: the background paper's six possible measures; rr: the rapporteur report's "
              "recommendations; all: both.")
@click.option("--source-only", is_flag=True, default=False,
              help="Only what the sources themselves state (saved query evidence-gap-map-source-only): links "
              "with basis 'stated in source' and tags the source gives, leaving out the curators' choices.")
@click.option("--lang", type=click.Choice(["en", "fr", "es"]), default="en", show_default=True,
              help="Language of the html page: its text and the outcome-domain labels (recommendation labels are "
              "curated in English).")
@click.option("--wide", is_flag=True, default=False,
              help="table: whole recommendation labels on one line, however wide (default: fit the terminal's "
              "width, $COLUMNS).")
@timeout_option
@endpoint_options
@engine_option
@click.pass_context
def command(ctx, fmt, output, which, source_only, lang, wide, timeout, endpoint, method, user, engine):
    """Show where practices and evidence exist, and where they are missing.

    Rows are recommendations, columns outcome domains. Each cell counts the practices supporting the
    recommendation in that domain (P) and the findings bearing on it by effect direction (+ positive,
    - negative, ~ mixed, o no effect); a cell with none of these is a gap. The numbers come from the saved query
    evidence-gap-map ('gfmdkg queries'), so the map follows the data, locally or on an --endpoint.

    \b
    Examples:
      gfmdkg gapmap
      gfmdkg gapmap --recommendations bp -f md
      gfmdkg gapmap --source-only
      gfmdkg gapmap -f html -o gapmap.html
      gfmdkg gapmap -f html --lang fr -o carte-des-lacunes.html
      gfmdkg gapmap -f csv --endpoint http://127.0.0.1:7878/query
    """
    from gfmdkg.errors import GfmdkgError
    from gfmdkg.gapmap import QUERY, SOURCE_ONLY_QUERY, from_result, render
    from gfmdkg.sparql.run import run_saved

    if fmt == "png" and not output:
        raise GfmdkgError("a PNG image is not written to the terminal", hint="add -o gapmap.png")
    project = get_project(ctx)
    values = {"source": SOURCES[which]} if SOURCES[which] else {}
    query = SOURCE_ONLY_QUERY if source_only else QUERY
    result = run_saved(project, query, values, timeout=timeout, endpoint=endpoint, method=method, user=user,
                       engine=engine)
    gm = from_result(result, source_only=source_only)
    if not gm.rows:
        raise GfmdkgError("the graph holds no recommendations to draw a gap map of"
                          + (f" (endpoint {endpoint})" if endpoint else ""),
                          hint="check that the endpoint holds the gfmdkg graph ('gfmdkg export -f nq' to load it)"
                          if endpoint else "add data/recommendations.ttl")
    if lang != "en":
        from gfmdkg.gapmap import relabel
        from gfmdkg.serve import i18n

        i18n.use(lang)
        gm = relabel(gm, _concept_labels(project, lang))
    data = render(gm, fmt, wide=wide)
    if output:
        from gfmdkg.atomic import write_bytes_atomic
        write_bytes_atomic(output, data if isinstance(data, bytes) else data.encode("utf-8"))
        click.echo(f"wrote {output} ({len(gm.rows)} recommendations x {len(gm.columns)} domains, {gm.gaps} gaps)",
                   err=True)
    else:
        sys.stdout.write(data)


def _concept_labels(project, lang: str) -> dict[str, str]:
    """Concept IRI -> its prefLabel in ``lang``, from the project's vocabularies (local even with --endpoint)."""
    from gfmdkg.store.loading import project_quads

    pref = "http://www.w3.org/2004/02/skos/core#prefLabel"
    return {q.subject.value: q.object.value for q in project_quads(project, project.ontology_files())
            if q.predicate.value == pref and getattr(q.object, "language", None) == lang}
