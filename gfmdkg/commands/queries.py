"""``gfmdkg queries``: list the saved queries: the question each answers in plain words, then its technical notes
and parameters."""

from __future__ import annotations

import json

import click

from gfmdkg.cli import get_project


@click.command("queries")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True)
@click.option("--qc", is_flag=True, help="Also list the QC checks (queries/qc/*-violation.rq).")
@click.pass_context
def command(ctx, fmt, qc):
    """List the saved queries: name, the question it answers and how (in plain words), its technical notes,
    parameters (type, default) and tags.

    \b
    Example:
      gfmdkg queries
      gfmdkg queries -f json
    """
    from gfmdkg.sparql.catalogue import load_catalogue

    project = get_project(ctx)
    cat = load_catalogue([p for p in project.query_files() if qc or p.parent.name != "qc"])
    if fmt == "json":
        click.echo(json.dumps([{"name": q.name, "summary": q.summary, "description": q.description,
                                "notes": q.notes, "form": q.form, "tags": list(q.tags),
                                "params": [vars(p) for p in q.params], "example": q.example}
                               for q in cat.values()], indent=2))
        return
    from gfmdkg.termtable import terminal_width, wrapped

    width = terminal_width()
    for q in cat.values():
        params = ", ".join(f"{p.name}:{p.type}" + (f"={p.default}" if p.default else "") for p in q.params)
        if fmt == "md":
            click.echo(f"| `{q.name}` | {q.summary} | {params} | {', '.join(q.tags)} |")
        else:
            title = wrapped(f"{q.name} — {q.summary}", width, hang="    ")
            click.echo(click.style(q.name, bold=True) + title[len(q.name):])
            for text, lead in ((q.description, ""), (q.notes, "technical notes: ")):
                if text:
                    click.echo(click.style(wrapped(lead + text, width, indent="    "), dim=bool(lead)))
            if params:
                click.echo(f"    params: {params}")
            if q.tags:
                click.echo(f"    tags: {', '.join(q.tags)}")
