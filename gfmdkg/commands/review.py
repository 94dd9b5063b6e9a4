"""``gfmdkg review``: list contributions awaiting review; accept or reject one, recorded with who and when."""

from __future__ import annotations

import click

from gfmdkg.cli import get_project


@click.command("review")
@click.argument("ident", metavar="[ID]", required=False)
@click.option("--accept", "decision", flag_value="accept", help="Accept the contribution into the graph.")
@click.option("--reject", "decision", flag_value="reject", help="Reject it (it is kept, marked rejected).")
@click.option("--reviewer", metavar="NAME", help="The curator who decides (recorded).")
@click.option("--note", metavar="TEXT", help="Why (recorded with the decision).")
@click.option("--list", "listing", is_flag=True, help="List the contributions awaiting review.")
@click.option("--all", "show_all", is_flag=True, help="With --list: every contribution, with its status.")
@click.pass_context
def command(ctx, ident, decision, reviewer, note, listing, show_all):
    """Review contributions: list those awaiting review, or accept or reject one.

    A contribution added with `gfmdkg add` is "submitted" until a curator reviews it. The decision changes
    its review status (gfmd:reviewStatus) and is recorded in its file in data/contrib/ as a PROV attribution
    with the reviewer, the time and the note. The contributor's statements are not changed, and a curated
    node is never touched.

    Exit status: 0 done, 2 usage error (unknown ID, missing --reviewer ...).

    \b
    Examples:
      gfmdkg review --list
      gfmdkg review practice:diaspora-nurses-mentoring --accept --reviewer "A. Curator"
      gfmdkg review diaspora-nurses-mentoring --reject --reviewer "A. Curator" --note "Duplicate of practice:mida"
    """
    from gfmdkg.contrib import review as rv
    from gfmdkg.contrib.vocab import show as shorten
    from gfmdkg.errors import GfmdkgError

    project = get_project(ctx)
    if listing:
        if ident or decision:
            raise GfmdkgError("--list takes no ID, --accept or --reject", hint="run `gfmdkg review --list` alone")
        shown = [c for c in rv.contributions(project) if show_all or c.status == rv.pv.SUBMITTED]
        for c in shown:
            click.echo("\t".join([shorten(c.iri), c.status_label, c.title, c.contributor, c.created,
                                  project.relative(c.path)]))
        click.echo(f"{len(shown)} contribution{'s' * (len(shown) != 1)} "
                   + ("in all" if show_all else "awaiting review"), err=True)
        return
    if not ident or not decision or not reviewer:
        raise GfmdkgError("say which contribution, the decision and who decides",
                          hint='gfmdkg review ID --accept|--reject --reviewer NAME [--note TEXT]; '
                          "`gfmdkg review --list` shows the IDs")
    done = rv.review(project, ident, decision, reviewer, note)
    click.echo(f"{shorten(done.iri)}: {done.status_label} by {reviewer} "
               f"(review {done.reviews}, recorded in {project.relative(done.path)})")
