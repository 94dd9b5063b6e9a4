"""Locators on the pages: each links to its place in the published document when the document's address is known
(:mod:`gfmdkg.publish.locator_links`), and the page says "published address not known" when it is not."""

from __future__ import annotations

from dataclasses import dataclass

from gfmdkg.publish.locator_links import pattern
from gfmdkg.serve.display import PROLOGUE, Value, href

#: every locator whose document has a published address, and its link
Q_LINKS = PROLOGUE + f"SELECT DISTINCT ?loc ?link WHERE {{ ?loc a bibo:DocumentPart . {pattern('?loc', '?link')} }}"


@dataclass
class Locator(Value):
    """A locator as shown: its label (linking to its page) and its place in the published document, if known."""

    published: str | None = None


def links(rows: list[dict]) -> dict[str, str]:
    """The local link of each locator -> its link in the published document, from the rows of :data:`Q_LINKS`."""
    out: dict[str, str] = {}
    for r in rows:
        out.setdefault(href(r["loc"]["value"]), r["link"]["value"])
    return out


def located(values: list[Value], published: dict[str, str]) -> list[Locator]:
    """Locators as shown, each with its published address when one is known."""
    return [Locator(v.text, v.href, v.external, v.lang, published.get(v.href or "")) for v in values]
