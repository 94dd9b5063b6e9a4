"""Turning a template record (CSV row, YAML item) into the graph's model (docs/CURATION.md).

The practice gets the IRI ``practice:<slug>``; its period, budget, support links and GCM mappings get hash IRIs
under it. Every value that does not resolve becomes a :class:`Problem` on the record's field, with suggestions.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from gfmdkg.contrib.fields import split_values
from gfmdkg.contrib.model import ERROR, WARNING, Problem, Record
from gfmdkg.contrib.vocab import (
    COUNTRY_NS,
    Vocabulary,
    country_code,
    country_suggestions,
    local_name,
    normalise,
)
from gfmdkg.namespaces import ID, PREFIXES, VOCAB, shorten

PRACTICE_NS = ID + "practice/"
XSD = PREFIXES["xsd"]
STOPWORDS = {"a", "an", "and", "the", "of", "for", "in", "on", "to", "with", "by", "at", "from", "project",
             "programme", "program"}
MAX_SLUG_WORDS = 6
COUNTRY_ALIASES = {"uk": "GBR", "great britain": "GBR", "england": "GBR", "usa": "USA", "us": "USA",
                   "united states of america": "USA", "moldova": "MDA", "russia": "RUS", "south korea": "KOR",
                   "ivory coast": "CIV", "cote d ivoire": "CIV", "vietnam": "VNM", "kosovo": "XKX",
                   "holland": "NLD"}
GLOBAL_WORDS = {"global", "worldwide", "world wide", "international", "world"}
DATE_FORMS = ((re.compile(r"\d{4}"), "gYear"), (re.compile(r"\d{4}-(0[1-9]|1[0-2])"), "gYearMonth"),
              (re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"), "date"))
CURRENCY_WORDS = {"€": "EUR", "euros": "EUR", "euro": "EUR", "us$": "USD", "$": "USD", "us dollars": "USD",
                  "dollars": "USD", "£": "GBP", "pounds sterling": "GBP", "pounds": "GBP", "pound": "GBP"}
URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
DOI = re.compile(r"(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)", re.IGNORECASE)
CITATION_YEAR = re.compile(r"\b(1[89]|20)\d{2}\b")
#: a link stated by the contributor (every link a template row makes): never the curators' judgement
CONTRIBUTOR_BASIS = VOCAB + "link-basis/stated-by-contributor"
SOURCE_HINT = ("say where it is described: a page of the 2014 background paper (\"background paper p. 10\") or "
               "rapporteur report, a web address (https://...), a DOI (doi:10.1234/abc), or a bibliographic "
               "citation with its year (\"World Bank (2016). Migration and Remittances Factbook.\")")
#: property -> template field, to name shape results on properties the record did not fill.
PROPERTY_FIELDS = {
    PREFIXES["dcterms"] + "title": "title", PREFIXES["rdfs"] + "label": "title",
    PREFIXES["dcterms"] + "description": "summary", PREFIXES["dcterms"] + "spatial": "countries",
    PREFIXES["gfmd"] + "region": "countries", PREFIXES["gfmd"] + "targetCountry": "target country",
    PREFIXES["gfmd"] + "partner": "partners", PREFIXES["gfmd"] + "thematicArea": "thematic areas",
    PREFIXES["gfmd"] + "tag": "tags", PREFIXES["gfmd"] + "outcomeDomain": "outcome domains",
    PREFIXES["prov"] + "wasDerivedFrom": "source",
    PREFIXES["foaf"] + "page": "web links", PREFIXES["dcat"] + "startDate": "start",
    PREFIXES["dcat"] + "endDate": "end", PREFIXES["gfmd"] + "status": "status", PREFIXES["gfmd"] + "budget": "budget",
    PREFIXES["gfmd"] + "supports": "supports recommendations",
    PREFIXES["gfmd"] + "qualifiedSupport": "support rationale", PREFIXES["gfmd"] + "gcmObjective": "gcm objectives",
    PREFIXES["gfmd"] + "qualifiedGcmMapping": "gcm rationale",
}


def P(prefix: str, local: str) -> ox.NamedNode:  # noqa: N802 - reads like a prefixed name
    return ox.NamedNode(PREFIXES[prefix] + local)


TYPE = P("rdf", "type")


def slugify(text: str, max_words: int = MAX_SLUG_WORDS) -> str:
    """A readable IRI slug from a title: ASCII lowercase words, hyphens, stopwords dropped, at most 6 words."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", text)
    kept = [w for w in words if w not in STOPWORDS] or words
    return "-".join(kept[:max_words])


SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass
class Converted:
    """A record in the graph's model: its quads, the practice IRI, and which field each (node, property) came from."""

    record: Record
    iri: str | None
    quads: list[ox.Quad] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    fields: dict[tuple[str, str], str] = field(default_factory=dict)
    missing_countries: dict[str, str] = field(default_factory=dict)  # alpha-3 -> name, real countries with no node

    def field_of(self, node: str, prop: str | None) -> str | None:
        """The template field behind a (node, property) pair, for locating shape results."""
        if (node, prop or "") in self.fields:
            return self.fields[(node, prop or "")]
        if prop in PROPERTY_FIELDS:
            return PROPERTY_FIELDS[prop]
        return self.fields.get((node, ""))


class Converter:
    """Converts records against one vocabulary (the graph as it is)."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab

    def convert(self, record: Record) -> Converted:
        out = _Builder(record, self.vocab)
        out.build()
        return out.result


class _Builder:
    def __init__(self, record: Record, vocab: Vocabulary) -> None:
        self.r, self.vocab = record, vocab
        self.result = Converted(record, None)
        self.subject: ox.NamedNode | None = None

    # ---------------------------------------------------------------- helpers
    def problem(self, name: str | None, message: str, hint: str = "", *, severity: str = ERROR,
                value: str | None = None, suggestions: list[tuple[str, str]] | None = None,
                check: str = "template") -> None:
        self.result.problems.append(Problem(
            severity=severity, message=message, hint=hint, field=name, value=value,
            line=self.r.lines.get(name or "", self.r.line),
            suggestions=[f"{label} ({shorten(iri)})" for iri, label in (suggestions or [])], check=check))

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o, name: str | None) -> None:
        self.result.quads.append(ox.Quad(s, p, o))
        if name:
            self.result.fields.setdefault((s.value, p.value), name)
            self.result.fields.setdefault((s.value, ""), name)

    def text(self, name: str) -> str:
        return self.r.values.get(name, "").strip()

    def en(self, value: str) -> ox.Literal:
        return ox.Literal(value, language="en")

    def resolve_all(self, name: str, kind: str) -> list[str]:
        """IRIs for a multi-valued field; unknown values become problems with suggestions."""
        out: list[str] = []
        for value in split_values(self.text(name)):
            iris = self.resolve_value(name, kind, value)
            out.extend(i for i in iris if i not in out)
        return out

    def resolve_value(self, name: str, kind: str, value: str) -> list[str]:
        found = self.lookup(kind, value)
        if found:
            return [found]
        if "," in value:  # a list pasted with commas: accept it when every part is known
            parts = [p.strip() for p in value.split(",") if p.strip()]
            found_parts = [self.lookup(kind, p) for p in parts]
            if all(found_parts):
                return [f for f in found_parts if f]
        self.unknown(name, kind, value)
        return []

    def lookup(self, kind: str, value: str) -> str | None:
        if kind == "country":
            return self.country(value)
        if kind == "region" and value.strip().casefold() in GLOBAL_WORDS:
            return VOCAB + "region/world"
        return self.vocab.resolve(kind, value).iri

    def country(self, value: str) -> str | None:
        hit = self.vocab.resolve("country", value)
        if hit.iri:
            return hit.iri
        code = COUNTRY_ALIASES.get(" ".join(re.findall(r"\w+", value.casefold())))
        name = value
        if code is None:
            real = country_code(value)
            if real is None:
                return None
            code, name = real
        iri = COUNTRY_NS + code
        if not self.vocab.is_a("country", iri):
            self.result.missing_countries[code] = name
        return iri

    def unknown(self, name: str, kind: str, value: str) -> None:
        hit = self.vocab.resolve(kind, value)
        if kind == "country":
            merged = list(dict.fromkeys(hit.suggestions + country_suggestions(value)))
            key = normalise(value)
            merged.sort(key=lambda il: -difflib.SequenceMatcher(None, key, normalise(il[1])).ratio())
            hit.suggestions = merged[:3]
        if hit.note:
            self.problem(name, f"'{value}' {hit.note}", "write the id of the one you mean", value=value,
                         suggestions=hit.suggestions, check="vocabulary")
            return
        hint = {"country": "write the country's English name or its ISO code (GHA or GH); for a region use "
                           "'regions'",
                "organisation": "use the organisation's name or acronym as the graph knows it; a new organisation "
                                "is kept in the partners text and a curator will add it",
                "region": "use a UN M49 region name (Western Africa, Europe ...) or 'global'",
                }.get(kind) or self.choices_hint(kind)
        severity = WARNING if kind == "organisation" else ERROR
        message = f"'{value}' is not a known {kind}"
        if kind == "organisation":
            message += " (kept as text in the partners as given, not linked)"
        self.problem(name, message, hint,
                     severity=severity, value=value, suggestions=hit.suggestions, check="vocabulary")

    def choices_hint(self, kind: str) -> str:
        choices = self.vocab.choices(kind)
        if len(choices) <= 8:
            return "use one of: " + ", ".join(label for _, label in choices)
        return f"use a value listed by `gfmdkg template --list {_list_name(kind)}`"

    # ---------------------------------------------------------------- the record
    def build(self) -> None:
        slug = self.mint()
        s = self.subject = ox.NamedNode(PRACTICE_NS + (slug or "untitled"))
        self.result.iri = s.value
        self.result.fields[(s.value, "")] = "title"
        self.add(s, TYPE, P("gfmd", "Practice"), None)
        title = self.text("title")
        if title:
            self.add(s, P("dcterms", "title"), self.en(title), "title")
            self.add(s, P("rdfs", "label"), self.en(title), "title")
        else:
            self.problem("title", "the practice has no title", "write the practice's title in 'title'")
        summary = self.text("summary")
        if summary:
            self.add(s, P("dcterms", "description"), self.en(summary), "summary")
            if len(summary) < 20:
                self.problem("summary", f"the summary is only {len(summary)} characters long",
                             "write two to four sentences (at least 20 characters) in your own words", value=summary)
            elif len(summary) > 4000:
                self.problem("summary", f"the summary is {len(summary)} characters long, over the limit of 4000",
                             "shorten it to two to four sentences")
        else:
            self.problem("summary", "the practice has no summary",
                         "write two to four sentences in your own words in 'summary'")
        self.places(s)
        self.partners(s)
        for name, kind, prop in (("thematic areas", "thematic area", "thematicArea"), ("tags", "tag", "tag"),
                                 ("outcome domains", "outcome domain", "outcomeDomain")):
            for iri in self.resolve_all(name, kind):
                self.add(s, P("gfmd", prop), ox.NamedNode(iri), name)
        self.status(s)
        locators = self.sources(s)
        self.links(s)
        self.period(s)
        self.budget(s, locators)
        self.qualified(s, "supports recommendations", "support rationale", "recommendation", "supports",
                       "qualifiedSupport", "SupportLink", "supports-")
        self.qualified(s, "gcm objectives", "gcm rationale", "GCM objective", "gcmObjective",
                       "qualifiedGcmMapping", "GcmMapping", "gcm-")
        if slug is None:  # every field was checked; without an id there is nothing to add
            self.result.iri, self.result.quads = None, []

    def mint(self) -> str | None:
        given = self.text("id")
        if given:
            if given.startswith("practice:"):
                given = given[len("practice:"):]
            if not SLUG.fullmatch(given) or len(given) > 80:
                self.problem("id", f"'{given}' cannot be used as an id",
                             "use lowercase letters, digits and single hyphens (e.g. nurses-mentoring-ghana), at "
                             "most 80 characters; or leave 'id' empty", value=given)
                return None
            return given
        slug = slugify(self.text("title"))
        if not slug:
            return None
        return slug

    def places(self, s: ox.NamedNode) -> None:
        countries = self.text("countries")
        if countries:
            self.add(s, P("gfmd", "countryAsGiven"), ox.Literal(countries), "countries")
        for iri in self.resolve_all("countries", "country"):
            self.add(s, P("dcterms", "spatial"), ox.NamedNode(iri), "countries")
        for iri in self.resolve_all("target country", "country"):
            self.add(s, P("gfmd", "targetCountry"), ox.NamedNode(iri), "target country")
        for iri in self.resolve_all("regions", "region"):
            self.add(s, P("gfmd", "region"), ox.NamedNode(iri), "regions")
        if not countries and not self.text("regions"):
            self.problem("countries", "the practice names no country and no region",
                         "write the countries where it runs in 'countries' (or 'global' in 'regions')")
        for code, name in sorted(self.result.missing_countries.items()):
            self.problem("countries", f"{name} (country:{code}) has no country node in the graph yet",
                         "nothing to change in your file: `gfmdkg add` creates the node (by `gfmdkg curate "
                         "countries`)", severity=WARNING, value=name, check="vocabulary")

    def partners(self, s: ox.NamedNode) -> None:
        text = self.text("partners")
        if not text:
            return
        self.add(s, P("gfmd", "partnersAsGiven"), ox.Literal(text), "partners")
        for iri in self.resolve_all("partners", "organisation"):
            self.add(s, P("gfmd", "partner"), ox.NamedNode(iri), "partners")

    def status(self, s: ox.NamedNode) -> None:
        value = self.text("status")
        if value:
            iri = self.lookup("status", value)
            if iri:
                self.add(s, P("gfmd", "status"), ox.NamedNode(iri), "status")
            else:
                self.unknown("status", "status", value)

    def sources(self, s: ox.NamedNode) -> list[ox.NamedNode]:
        values = split_values(self.text("source"))
        if not values:
            self.problem("source", "the practice has no source", SOURCE_HINT, check="source")
            return []
        self.add(s, P("gfmd", "sourceAsGiven"), ox.Literal(self.text("source")), "source")
        out: list[ox.NamedNode] = []
        for n, value in enumerate(values, start=1):
            iri = self.lookup("locator", value)
            if iri:
                out.append(ox.NamedNode(iri))
                continue
            suffix = f"-{n}" if len(values) > 1 else ""
            node = ox.NamedNode(f"{s.value}#source{suffix}")
            doi = DOI.fullmatch(value.strip())
            if doi or (not URL.fullmatch(value) and looks_like_citation(value)):
                work = self.cited_work(s, suffix, value, doi.group(1) if doi else None)
            else:
                work = self.url("source", value)
                if work is None:
                    continue
                self.add(node, P("foaf", "page"), work, "source")
            self.add(node, TYPE, P("bibo", "DocumentPart"), "source")
            self.add(node, P("rdfs", "label"), self.en(f"Source of “{self.text('title')}” given by its contributor"),
                     "source")
            self.add(node, P("dcterms", "isPartOf"), work, "source")
            out.append(node)
        for node in out:
            self.add(s, P("prov", "wasDerivedFrom"), node, "source")
        return out

    def cited_work(self, s: ox.NamedNode, suffix: str, value: str, doi: str | None) -> ox.NamedNode:
        """A DOI or a bibliographic citation as a cited work (bibo:Document) that the source locator is part of."""
        work = ox.NamedNode(f"{s.value}#work{suffix}")
        self.add(work, TYPE, P("bibo", "Document"), "source")
        self.add(work, P("rdfs", "label"), ox.Literal(value.strip()), "source")
        self.add(work, P("dcterms", "bibliographicCitation"), ox.Literal(value.strip()), "source")
        if doi:
            self.add(work, P("bibo", "doi"), ox.Literal(doi), "source")
            try:
                self.add(work, P("foaf", "page"), ox.NamedNode("https://doi.org/" + doi), "source")
            except ValueError:  # a DOI with characters an IRI cannot hold: kept as text only
                pass
        self.add(work, P("prov", "wasDerivedFrom"), ox.NamedNode(f"{s.value}#source{suffix}"), "source")
        return work

    def url(self, name: str, value: str) -> ox.NamedNode | None:
        if not URL.fullmatch(value):
            if name == "source":
                hit = self.vocab.resolve("locator", value)
                self.problem(name, f"'{value}' is neither a page of the GFMD 2014 documents, a web address, a DOI "
                             "nor a bibliographic citation", SOURCE_HINT, value=value, suggestions=hit.suggestions,
                             check="source")
            else:
                self.problem(name, f"'{value}' is not a web address",
                             "write the full address, starting with http:// or https://, without spaces", value=value)
            return None
        try:
            return ox.NamedNode(value)
        except ValueError:
            self.problem(name, f"'{value}' is not a valid web address", "copy the address again from the browser",
                         value=value)
            return None

    def links(self, s: ox.NamedNode) -> None:
        for value in split_values(self.text("web links")):
            url = self.url("web links", value)
            if url is not None:
                self.add(s, P("foaf", "page"), url, "web links")

    def date(self, name: str) -> ox.Literal | None:
        value = self.text(name)
        if not value:
            return None
        for pattern, xsd_type in DATE_FORMS:
            if pattern.fullmatch(value):
                return ox.Literal(value, datatype=ox.NamedNode(XSD + xsd_type))
        self.problem(name, f"'{value}' is not a year, a year and month, or a date",
                     "write 2015, 2015-05 or 2015-05-31 (put words like 'around' or 'ongoing' in 'timeframe as given')",
                     value=value)
        return None

    def period(self, s: ox.NamedNode) -> None:
        start, end = self.date("start"), self.date("end")
        if start is not None and end is not None and end.value[:len(start.value)] < start.value[:len(end.value)]:
            self.problem("end", f"the end ({end.value}) is before the start ({start.value})",
                         "check the two dates", value=end.value)
        if start is not None or end is not None:
            node = ox.NamedNode(s.value + "#period")
            self.add(s, P("dcterms", "temporal"), node, "start")
            self.add(node, TYPE, P("dcterms", "PeriodOfTime"), "start")
            if start is not None:
                self.add(node, P("dcat", "startDate"), start, "start")
            if end is not None:
                self.add(node, P("dcat", "endDate"), end, "end")
        given = self.text("timeframe as given")
        if given:
            self.add(s, P("gfmd", "timeframeAsGiven"), ox.Literal(given), "timeframe as given")

    def budget(self, s: ox.NamedNode, locators: list[ox.NamedNode]) -> None:
        value = self.text("budget")
        if not value:
            if self.text("budget kind"):
                self.problem("budget kind", "a budget kind is given but no budget", "fill 'budget' or empty "
                             "'budget kind'")
            return
        parsed = parse_amount(value)
        if parsed is None:
            self.problem("budget", f"'{value}' is not an amount with a currency",
                         "write the number and the ISO 4217 currency code, e.g. 1300000 EUR or USD 250,000",
                         value=value)
            return
        amount, currency = parsed
        node = ox.NamedNode(s.value + "#budget")
        self.add(s, P("gfmd", "budget"), node, "budget")
        self.add(node, TYPE, P("schema", "MonetaryAmount"), "budget")
        self.add(node, P("schema", "value"), ox.Literal(amount, datatype=ox.NamedNode(XSD + "decimal")), "budget")
        self.add(node, P("schema", "currency"), ox.Literal(currency), "budget")
        self.add(node, P("gfmd", "amountKind"), self.en(self.text("budget kind") or "total budget"), "budget kind")
        for loc in locators:
            self.add(node, P("prov", "wasDerivedFrom"), loc, "source")

    def qualified(self, s: ox.NamedNode, name: str, why: str, kind: str, prop: str, qprop: str, cls: str,
                  frag: str) -> None:
        targets = self.resolve_all(name, kind)
        reasons = split_values(self.text(why))
        if not split_values(self.text(name)):
            if reasons:
                self.problem(why, f"'{why}' is filled but '{name}' is empty", f"fill '{name}' or empty '{why}'")
            return
        if not reasons:
            self.problem(why, f"'{why}' is empty", f"write one sentence saying why the practice serves the {kind}s "
                         f"in '{name}'")
            return
        if len(reasons) not in (1, len(split_values(self.text(name)))):
            self.problem(why, f"'{why}' has {len(reasons)} sentences for {len(split_values(self.text(name)))} "
                         f"{kind}s", "give one sentence for all, or one per value in the same order, separated by ';'")
            return
        for n, iri in enumerate(targets):
            reason = reasons[0] if len(reasons) == 1 else reasons[min(n, len(reasons) - 1)]
            node = ox.NamedNode(f"{s.value}#{frag}{local_name(iri)}")
            self.add(s, P("gfmd", prop), ox.NamedNode(iri), name)
            self.add(s, P("gfmd", qprop), node, name)
            self.add(node, TYPE, P("gfmd", cls), name)
            self.add(node, P("gfmd", "target"), ox.NamedNode(iri), name)
            self.add(node, P("gfmd", "rationale"), self.en(reason), why)
            self.add(node, P("gfmd", "basis"), ox.NamedNode(CONTRIBUTOR_BASIS), why)


def looks_like_citation(value: str) -> bool:
    """A bibliographic citation, not a mistyped page: at least three words, a year, some length."""
    return len(value.split()) >= 3 and len(value.strip()) >= 15 and bool(CITATION_YEAR.search(value))


def parse_amount(text: str) -> tuple[str, str] | None:
    """('1300000', 'EUR') from '1,300,000 EUR', 'EUR 1.3 million', '€1300000'; None when not an amount."""
    t = text.strip().replace("\u00a0", " ")
    for word, code in CURRENCY_WORDS.items():
        t = re.sub(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", f" {code} ", t, flags=re.IGNORECASE)
    codes = re.findall(r"\b[A-Z]{3}\b", t)
    if len(codes) != 1:
        return None
    rest = t.replace(codes[0], " ").strip()
    m = re.fullmatch(r"(\d{1,3}(?:[ ,]\d{3})+|\d+)(?:\.(\d+))?\s*(million|m|billion|bn)?", rest, re.IGNORECASE)
    if not m:
        return None
    try:
        number = Decimal(m.group(1).replace(",", "").replace(" ", "") + (f".{m.group(2)}" if m.group(2) else ""))
    except InvalidOperation:
        return None
    scale = {"million": 10 ** 6, "m": 10 ** 6, "billion": 10 ** 9, "bn": 10 ** 9}.get((m.group(3) or "").lower(), 1)
    number *= scale
    return format(number.normalize(), "f"), codes[0]


def _list_name(kind: str) -> str:
    from gfmdkg.contrib.template import LISTS

    return next((name for name, k in LISTS.items() if k == kind), kind)
