"""The contributor template: one definition of every field, shared by the CSV and YAML readers, the converter,
``gfmdkg template`` and the report (which names problems by these fields, in the contributor's terms).

Field names follow the GFMD Platform for Partnerships form (title, summary, countries, partners, thematic areas,
tags, source, contact) plus what the graph's model needs (web links, start/end, budget, recommendations ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Separator between several values in one cell.
SEPARATOR = ";"


@dataclass(frozen=True)
class Field:
    """One column of the CSV template (and one key of the YAML form)."""

    name: str
    help: str
    example: str
    required: bool = False
    multi: bool = False


FIELDS: tuple[Field, ...] = (
    Field("id", "Optional short id for the practice (lowercase words and hyphens). Left empty, it is made from "
          "the title.", ""),
    Field("title", "The practice's title, as its owners write it.", "Diaspora nurses mentoring programme", True),
    Field("summary", "Two to four sentences in your own words: what it does, for whom, where (20 to 4000 "
          "characters).", "Ghanaian nurses working in the United Kingdom spend two to four weeks a year teaching "
          "at nursing schools in Ghana, funded by their employers.", True),
    Field("countries", "Countries where it runs or that it is about: names or ISO codes (Ghana, GHA, GH). Leave "
          "empty only when regions is given.", "Ghana; United Kingdom", True, True),
    Field("target country", "Optional: the country where the benefit is meant to land.", "Ghana", multi=True),
    Field("regions", "Optional: regions instead of or besides countries (Western Africa, Europe, world for "
          "global).", "", multi=True),
    Field("partners", "Organisations taking part, by name or acronym (IOM, UNDP, Ministry of Health of Ghana).",
          "IOM; Ministry of Health of Ghana", multi=True),
    Field("thematic areas", "GFMD Platform for Partnerships thematic areas (see `gfmdkg template --list "
          "thematic-areas`).", "Diasporas; Labour migration and mobility", multi=True),
    Field("tags", "GFMD Platform for Partnerships tags.", "Migration and health; Brain drain and brain gain",
          multi=True),
    Field("outcome domains", "Optional: what it improves: health, education, gender equality, household welfare, "
          "human resources and skills, development finance, rights and empowerment (the rows of `gfmdkg gapmap`).",
          "Health; Human resources and skills", multi=True),
    Field("source", "Where the practice is described: a page of the 2014 background paper or rapporteur report "
          "(\"background paper p. 10\", \"rapporteur report p. 3\", bp:p10), the web address of a document or GFMD "
          "Platform for Partnerships entry, a DOI (doi:10.1234/abc), or a bibliographic citation with its year. "
          "Kept as given.", "https://example.org/gfmd-pfp/nurses-mentoring", True, True),
    Field("web links", "Web pages about the practice (http:// or https://).", "https://example.org/nurses",
          multi=True),
    Field("start", "When it started: a year (2012), year and month (2012-05) or a date (2012-05-31).", "2015"),
    Field("end", "When it ended or will end, in the same form as start.", "2019-12"),
    Field("timeframe as given", "Optional: the timeframe in the words of the source (kept as text).",
          "2015 to end of 2019"),
    Field("status", "planned, ongoing, completed or unknown.", "completed"),
    Field("budget", "Amount and ISO 4217 currency code (1300000 EUR, USD 250,000).", "250000 GBP"),
    Field("budget kind", "What the amount is (total budget, EU contribution ...). Default: total budget.",
          "total budget"),
    Field("supports recommendations", "Recommendations the practice supports, by name or id "
          "(see `gfmdkg template --list recommendations`).", "rec:bp-diaspora-participation; "
          "Stronger health and education systems in low-income countries", multi=True),
    Field("support rationale", "Why it supports them: one sentence for all, or one per recommendation in the "
          "same order.", "Diaspora nurses add teaching capacity to Ghana's nursing schools.", multi=True),
    Field("gcm objectives", "Optional: objectives of the Global Compact for Migration, by number (1 to 23) or "
          "name.", "19", multi=True),
    Field("gcm rationale", "Why it serves those objectives: one sentence for all, or one per objective.",
          "Mobilises diaspora skills for the origin country's development.", multi=True),
    Field("contact", "Who the curators may ask about the contribution (name and e-mail). It is published with the "
          "contribution as its contact point and, unless `gfmdkg add --contributor` says otherwise, names its "
          "contributor.", "Jane Doe <jane@example.org>"),
)
BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
REQUIRED_COLUMNS = tuple(f.name for f in FIELDS if f.required)


def normalise_column(name: str) -> str:
    """A header as a field name: case, spaces, underscores and hyphens do not matter ("Thematic_Areas")."""
    return re.sub(r"[\s_\-]+", " ", name.strip().lstrip("\ufeff")).strip().lower()


def split_values(cell: str) -> list[str]:
    """The values of a multi-valued cell: separated by ';' (or new lines), blanks dropped."""
    return [v.strip() for v in re.split(r"[;\n]", cell) if v.strip()]
