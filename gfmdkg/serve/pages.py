"""Rendering the HTML pages with Jinja2 (autoescaped templates in ``templates/``), in the request's language."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from gfmdkg import __version__
from gfmdkg.serve import i18n
from gfmdkg.serve.i18n import N_

TEMPLATES = Path(__file__).resolve().parent / "templates"
NAV = [("/", N_("Home")), ("/gapmap", N_("Gap map")), ("/practices", N_("Practices")), ("/findings", N_("Findings")),
       ("/recommendations", N_("Recommendations")), ("/organisations", N_("Organisations")),
       ("/countries", N_("Countries")), ("/sources", N_("Cited works")), ("/vocab", N_("Vocabularies")),
       ("/queries", N_("Saved queries")), ("/sparql", N_("SPARQL"))]


def langattr(item: object) -> Markup:
    """`` lang="xx"`` for text whose language (``item.lang`` or ``item["lang"]``) is not the page's, else nothing:
    curated English text inside a French or Spanish page is marked as English."""
    lang = item.get("lang") if isinstance(item, dict) else getattr(item, "lang", None)
    if not lang or lang == i18n.current():
        return Markup("")
    return Markup(' lang="{}"').format(lang)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, auto_reload=False,
                             trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["langattr"] = langattr
    env.globals.update(nav=NAV, version=__version__)
    return env


def render(template: str, **context) -> bytes:
    """A page as UTF-8 bytes in the current language; ``path`` in the context marks the current navigation entry."""
    context.setdefault("path", "/")
    return environment().get_template(template).render(lang=i18n.current(), languages=i18n.switch_links(),
                                                       **context).encode("utf-8")
