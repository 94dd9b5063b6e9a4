"""``gfmdkg gapmap``: the evidence gap map, recommendations x outcome domains, from the local graph or an endpoint."""

from __future__ import annotations

import sys

import click

from gfmdkg.cli import get_project
from gfmdkg.commands.options import endpoint_options, engine_option, timeout_option
from gfmdkg.gapmap import FORMATS

SOURCES = {"bp": "doc:gfmd2014-rt32-background-paper", "rr": "doc:gfmd2014-rt3-rapporteur-report", "all": ""}
DEFAULT_BASE = "http://127.0.0.1:8000/"  # where 'gfmdkg serve' answers by default


@click.command("gapmap")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table (terminal), csv (one line per cell), md, json (with each cell's items), html "
              "(self-contained heat map page), png (heat map image; needs Pillow), svg (vector image).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file (atomically); default standard output (png needs -o).")
@click.option("--recommendations", "which", type=click.Choice(sorted(SOURCES)), default="all", show_default=True,
              help="Source document of the rows. bp: the background paper's six possible measures; rr: the "
              "rapporteur report's recommendations; all: both.")
@click.option("--separate", is_flag=True, default=False,
              help="Show the rapporteur report's restatements of background-paper measures as rows of their own "
              "(default: merged into the measure's row, counting each practice and finding once).")
@click.option("--region", default="", metavar="REGION",
              help="Only practices and findings in this region (e.g. region:africa; its countries and sub-regions "
              "count).")
@click.option("--group", default="", metavar="GROUP",
              help="Only findings about this population group (e.g. pg:women; practices have no population group).")
@click.option("--channel", default="", metavar="CHANNEL",
              help="Only findings about this channel (e.g. ch:social-remittances; practices have no channel).")
@click.option("--source-only", is_flag=True, default=False,
              help="Only what the sources themselves state (saved query evidence-gap-map-source-only): links "
              "with basis 'stated in source' and tags the source gives, leaving out the curators' choices "
              "(and evidence-gap-map-source-only-items).")
@click.option("--base", default=DEFAULT_BASE, show_default=True, metavar="URL",
              help="html and svg: the address of a running 'gfmdkg serve' that rows, columns and cells link to "
              "(a cell opens the page listing exactly its practices and findings); '' for no links.")
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
def command(ctx, fmt, output, which, separate, region, group, channel, source_only, base, lang, wide, timeout,
            endpoint, method, user, engine):
    """Show where practices and evidence exist, and where they are missing.

    Rows are recommendations, columns outcome domains (all of them, in the scheme's order). Each cell counts the
    practices supporting the recommendation in that domain (P) and the findings bearing on it by effect direction
    (+ positive, - negative, ~ mixed, o no effect); a cell with none of these is a gap. The cells are counted from
    the items of the saved query evidence-gap-map-items (rows and columns: evidence-gap-map; 'gfmdkg queries'),
    so the map follows the data, locally or on an --endpoint, and each cell's link opens exactly what it counts.

    \b
    Examples:
      gfmdkg gapmap
      gfmdkg gapmap --separate
      gfmdkg gapmap --recommendations bp -f md
      gfmdkg gapmap --region region:africa --channel ch:social-remittances
      gfmdkg gapmap --source-only
      gfmdkg gapmap -f html -o gapmap.html --base http://127.0.0.1:8000/
      gfmdkg gapmap -f svg -o gapmap.svg
      gfmdkg gapmap -f html --lang fr -o carte-des-lacunes.html
      gfmdkg gapmap -f csv --endpoint http://127.0.0.1:7878/query
    """
    from gfmdkg.errors import GfmdkgError
    from gfmdkg.gapmap import QUERY, SOURCE_ONLY_QUERY, build, from_result, render
    from gfmdkg.gapmap_items import FACETS_QUERY, ITEMS_QUERY, SOURCE_ONLY_ITEMS_QUERY
    from gfmdkg.sparql.catalogue import resolve
    from gfmdkg.sparql.run import answerer

    if fmt == "png" and not output:
        raise GfmdkgError("a PNG image is not written to the terminal", hint="add -o gapmap.png")
    base = _base(base)
    project = get_project(ctx)
    answer = answerer(project, timeout=timeout, endpoint=endpoint, method=method, user=user, engine=engine)

    def run(name: str):
        return answer(resolve(name, project.query_files()).text, {})

    values = {"source": SOURCES[which], "region": region, "group": group, "channel": channel}
    axes = run(SOURCE_ONLY_QUERY if source_only else QUERY)
    gm = build(axes, run(SOURCE_ONLY_ITEMS_QUERY if source_only else ITEMS_QUERY), run(FACETS_QUERY),
               merge=not separate, values=values, source_only=source_only) if axes.rows else from_result(axes)
    if not gm.rows:
        raise GfmdkgError("the graph holds no recommendations to draw a gap map of"
                          + (f" (endpoint {endpoint})" if endpoint else ""),
                          hint="check that the endpoint holds the gfmdkg graph ('gfmdkg export -f nq' to load it)"
                          if endpoint else "add data/recommendations.ttl")
    from gfmdkg.serve import i18n

    i18n.use(lang)  # also English explicitly: a process (or test) may have chosen another before
    if lang != "en":
        from gfmdkg.gapmap import relabel

        gm = relabel(gm, _concept_labels(project, lang))
    data = render(gm, fmt, base=base, wide=wide)
    if output:
        from gfmdkg.atomic import write_bytes_atomic
        write_bytes_atomic(output, data if isinstance(data, bytes) else data.encode("utf-8"))
        click.echo(f"wrote {output} ({len(gm.rows)} recommendations x {len(gm.columns)} domains, {gm.gaps} gaps)",
                   err=True)
    else:
        sys.stdout.write(data)


def _base(base: str) -> str | None:
    """--base as an address ending in '/', or None for no links; anything but an http(s) address is an error."""
    from urllib.parse import urlsplit

    from gfmdkg.errors import GfmdkgError

    if not base:
        return None
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise GfmdkgError(f"--base '{base[:200]}' is not the address of a server",
                          hint="give an http(s) address such as http://127.0.0.1:8000/, or '' for no links")
    return base if base.endswith("/") else base + "/"


def _concept_labels(project, lang: str) -> dict[str, str]:
    """Concept IRI -> its prefLabel in ``lang``, from the project's vocabularies (local even with --endpoint)."""
    from gfmdkg.store.loading import project_quads

    pref = "http://www.w3.org/2004/02/skos/core#prefLabel"
    return {q.subject.value: q.object.value for q in project_quads(project, project.ontology_files())
            if q.predicate.value == pref and getattr(q.object, "language", None) == lang}
