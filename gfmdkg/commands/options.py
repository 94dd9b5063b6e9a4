"""Options shared by several commands, defined once."""

from __future__ import annotations

import click

from gfmdkg.bounded import DEFAULT_TIMEOUT


def params_option(f):
    return click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
                        help="A query parameter; repeat for several. IRIs may be prefixed names (rec:bp-...).")(f)


def timeout_option(f):
    return click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT, show_default=True,
                        help="Stop a query that runs longer than this many seconds.")(f)


def endpoint_options(f):
    f = click.option("--user", envvar="GFMDKG_ENDPOINT_USER", default=None,
                     help="User name for the endpoint (password from $GFMDKG_ENDPOINT_PASSWORD).")(f)
    f = click.option("--method", type=click.Choice(["GET", "POST"]), default="GET", show_default=True,
                     help="HTTP method for --endpoint.")(f)
    return click.option("--endpoint", metavar="URL", default=None,
                        help="Run against this SPARQL 1.1 endpoint instead of the local graph.")(f)


def engine_option(f):
    return click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph",
                        show_default=True, hidden=True, help="Local engine (rdflib is the slow baseline).")(f)


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    """``NAME=VALUE`` pairs as a dict, with a clear error for a malformed pair."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"'{pair}' is not NAME=VALUE", param_hint="-p/--param")
        out[name.strip()] = value
    return out
