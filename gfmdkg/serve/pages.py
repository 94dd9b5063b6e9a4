"""Rendering the HTML pages with Jinja2 (autoescaped templates in ``templates/``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from gfmdkg import __version__

TEMPLATES = Path(__file__).resolve().parent / "templates"
NAV = [("/", "Home"), ("/practices", "Practices"), ("/findings", "Findings"), ("/recommendations", "Recommendations"),
       ("/organisations", "Organisations"), ("/countries", "Countries"), ("/sources", "Cited works"),
       ("/vocab", "Vocabularies"), ("/queries", "Saved queries"), ("/sparql", "SPARQL")]


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, auto_reload=False,
                             trim_blocks=True, lstrip_blocks=True)
    env.globals.update(nav=NAV, version=__version__)
    return env


def render(template: str, **context) -> bytes:
    """A page as UTF-8 bytes; ``path`` in the context marks the current navigation entry."""
    context.setdefault("path", "/")
    return environment().get_template(template).render(**context).encode("utf-8")
