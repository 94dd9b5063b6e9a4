"""The ``gfmdkg`` command line: a click group whose subcommands are imported only when run (fast start-up)."""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from gfmdkg import __version__
from gfmdkg.errors import GfmdkgError

#: command name -> module under gfmdkg.commands holding a click command named ``command``.
COMMANDS: dict[str, str] = {
    "validate": "validate",
    "query": "query",
    "queries": "queries",
    "gapmap": "gapmap",
    "export": "export",
    "stats": "stats",
    "check": "check",
    "add": "add",
    "template": "template",
    "diff": "diff",
    "push": "push",
    "serve": "serve",
    "curate": "curate",
    "review": "review",
}


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when that subcommand is used or listed in help."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if importlib.util.find_spec(f"gfmdkg.commands.{COMMANDS[name]}"))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS or importlib.util.find_spec(f"gfmdkg.commands.{COMMANDS[name]}") is None:
            return None
        return importlib.import_module(f"gfmdkg.commands.{COMMANDS[name]}").command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="gfmdkg")
@click.option("--project", "project_dir", type=click.Path(file_okay=False), envvar="GFMDKG_PROJECT",
              help="Project directory (holding ontology/, data/, queries/). Default: the one containing the "
              "current directory, else the graph packaged with gfmdkg.")
@click.pass_context
def cli(ctx: click.Context, project_dir: str | None) -> None:
    """gfmdkg: the GFMD migration-and-development knowledge graph.

    Evidence (findings and the works behind them), practices and recommendations from the GFMD 2014
    Roundtable 3 documents, linked with their provenance.

    \b
    Examples:
      gfmdkg validate                      check the whole graph against the SHACL shapes
      gfmdkg queries                       list the saved queries
      gfmdkg query practices-by-recommendation
      gfmdkg export --format jsonld -o gfmdkg.jsonld
    """
    ctx.ensure_object(dict)
    ctx.obj["project_dir"] = project_dir


def get_project(ctx: click.Context):
    """The project selected by --project / GFMDKG_PROJECT / the current directory / the packaged copy."""
    from gfmdkg.project import find_project

    root = ctx.find_root()
    cached = root.obj.get("project") if root.obj else None
    if cached is None:
        cached = find_project(root.obj.get("project_dir") if root.obj else None)
        root.obj["project"] = cached
    return cached


def main() -> None:
    """Entry point: user errors print a clear message and exit 2, never a traceback."""
    from gfmdkg.safety import install_network_guard

    install_network_guard()
    try:
        cli.main(standalone_mode=False)
    except GfmdkgError as exc:
        click.echo(f"gfmdkg: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("gfmdkg: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if exc.exit_code == 1 else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("gfmdkg: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except RecursionError:
        click.echo("gfmdkg: error: the input is nested too deeply to process", err=True)
        sys.exit(2)
