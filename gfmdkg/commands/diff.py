"""``gfmdkg diff``: the statements added and removed between two versions of the graph, grouped by node."""

from __future__ import annotations

import click

from gfmdkg.cli import get_project


@click.command("diff")
@click.argument("old")
@click.argument("new", required=False)
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def command(ctx, old, new, fmt):
    """Show what changed between OLD and NEW: added (+) and removed (-) statements, grouped by node.

    OLD and NEW are each an RDF file, a folder (all .ttl files under it), or a git revision of the project's
    data/ (HEAD, HEAD~1, main, a commit id; read with git ls-tree/git show, the repository is not changed).
    Without NEW, compares OLD with the project's data/ folder as it is now. A node is marked "(new node)" only
    when OLD has no statement about it, "(removed node)" only when NEW has none left; a node that gains or loses
    statements is listed without a mark. Useful to review a contribution and to write release notes.

    \b
    Examples:
      gfmdkg diff HEAD                         what changed in data/ since the last commit
      gfmdkg diff v0.1 v0.2 -f json
      gfmdkg diff old.ttl new.ttl
    """
    from gfmdkg.errors import GfmdkgError
    from gfmdkg.graphdiff import diff, read_version

    try:
        project = get_project(ctx)
        root = project.root
    except GfmdkgError:
        project, root = None, None
    if new is None:
        if project is None:
            raise GfmdkgError("without NEW, diff compares with the project's data/, but no project was found",
                              hint="give NEW, or run inside the project")
        new = str(project.root / "data")
    result = diff(read_version(old, root), read_version(new, root))
    click.echo(result.to_json() if fmt == "json" else result.to_text(), nl=False)
