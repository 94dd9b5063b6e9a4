"""What a contribution may refer to, looked up by the words a contributor would use.

Built from the graph itself: country nodes (names, alpha-2/alpha-3 codes), organisations, the thematic-area, tag,
region, status and GCM schemes (prefLabel + altLabel + notation), recommendations and locators. A value resolves
when its normalised text equals a label, code, prefixed name or IRI; otherwise the closest labels are offered as
"did you mean" suggestions.
"""

from __future__ import annotations

import difflib
import functools
import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from gfmdkg.namespaces import DEF, ID, PREFIXES, VOCAB, shorten

RDF_TYPE = PREFIXES["rdf"] + "type"
IN_SCHEME = PREFIXES["skos"] + "inScheme"
LABELS = {PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "prefLabel", PREFIXES["skos"] + "altLabel",
          PREFIXES["skos"] + "notation",
          PREFIXES["dcterms"] + "title"}
DISPLAY = (PREFIXES["skos"] + "prefLabel", PREFIXES["rdfs"] + "label", PREFIXES["dcterms"] + "title")

#: kind -> how members are recognised: ("type", class IRI) or ("scheme", scheme IRI).
KINDS: dict[str, tuple[str, str]] = {
    "country": ("type", "https://schema.org/Country"),
    "region": ("scheme", VOCAB + "regions"),
    "organisation": ("type", PREFIXES["org"] + "Organization"),
    "thematic area": ("scheme", VOCAB + "thematic-areas"),
    "tag": ("scheme", VOCAB + "tags"),
    "recommendation": ("type", DEF + "Recommendation"),
    "status": ("scheme", VOCAB + "practice-status"),
    "outcome domain": ("scheme", VOCAB + "outcome-domains"),
    "GCM objective": ("scheme", VOCAB + "gcm-objectives"),
    "locator": ("type", PREFIXES["bibo"] + "DocumentPart"),
    "practice": ("type", DEF + "Practice"),
}
#: what a practice's property must point to (for RDF contributions).
PROPERTY_KINDS: dict[str, str] = {
    PREFIXES["dcterms"] + "spatial": "country",
    DEF + "targetCountry": "country",
    DEF + "region": "region",
    DEF + "partner": "organisation",
    PREFIXES["schema"] + "funder": "organisation",
    DEF + "implementedBy": "organisation",
    DEF + "coordinatedBy": "organisation",
    DEF + "thematicArea": "thematic area",
    DEF + "tag": "tag",
    DEF + "supports": "recommendation",
    DEF + "isEvidenceFor": "recommendation",
    DEF + "status": "status",
    DEF + "outcomeDomain": "outcome domain",
    DEF + "gcmObjective": "GCM objective",
    PREFIXES["prov"] + "wasDerivedFrom": "locator",
    DEF + "relatedPractice": "practice",
}
_LOCATOR = re.compile(r"^(?:the\s+)?(background\s*paper|bp|rapporteur(?:'?s)?\s*report|rr)\W*(?:rt\s*3(?:\.2)?\W*)?"
                      r"(?:,|\s)*(?:page|pages|pp?)?\.?\s*(\d{1,3})$", re.IGNORECASE)


MAX_SUGGESTED = 200  # distinct unknown values that get "did you mean" suggestions in one run


def normalise(text: str) -> str:
    """Comparable form: no accents, case or punctuation; '&' as 'and'; single spaces."""
    if not text.isascii():  # ASCII has no accents to strip (the common case: keeps large vocabularies fast)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def local_name(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/"))[-1]


@dataclass
class Lookup:
    """Result of resolving one value: the IRI, or None with suggestions (IRI, label) closest first."""

    iri: str | None
    suggestions: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""


class Vocabulary:
    """Every referable node of the graph by kind, with its labels."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        types: dict[str, set[str]] = defaultdict(set)
        schemes: dict[str, set[str]] = defaultdict(set)
        labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.subjects: set[str] = set()
        self.graph_of: dict[str, str] = {}
        region_objects: set[str] = set()
        typed_in: set[str] = set()
        for q in quads:
            if not isinstance(q.subject, ox.NamedNode):
                continue
            s, p, o = q.subject.value, q.predicate.value, q.object
            self.subjects.add(s)
            if isinstance(q.graph_name, ox.NamedNode):
                self.graph_of.setdefault(s, q.graph_name.value)
            if p == RDF_TYPE and isinstance(o, ox.NamedNode):
                types[o.value].add(s)
                if isinstance(q.graph_name, ox.NamedNode) and s not in typed_in:  # the file that defines it
                    typed_in.add(s)
                    self.graph_of[s] = q.graph_name.value
            elif p == IN_SCHEME and isinstance(o, ox.NamedNode):
                schemes[o.value].add(s)
            elif p in LABELS and isinstance(o, ox.Literal):
                labels[s].append((p, o.value))
            elif p == DEF + "region" and isinstance(o, ox.NamedNode):
                region_objects.add(o.value)
        self.members: dict[str, set[str]] = {}
        for kind, (how, iri) in KINDS.items():
            self.members[kind] = set(types[iri] if how == "type" else schemes[iri])
        self.members["region"] |= region_objects
        self._labels = labels
        self._label: dict[str, str] = {}
        self._indexed: dict[str, dict[str, set[str]]] = {}
        self._suggested: dict[str, dict[str, list[tuple[str, str]]]] = {}
        self.suggestion_budget = MAX_SUGGESTED

    def labels_of(self, iris: set[str]) -> dict[str, list[tuple[str, str]]]:
        """(label property, text) of each of ``iris``; a subclass may fetch them on demand."""
        return {i: self._labels.get(i, []) for i in iris}

    def _index(self, kind: str) -> dict[str, set[str]]:
        """Normalised label, code or id -> nodes of ``kind`` (built on first use: costly on a large graph)."""
        if kind not in self._indexed:
            idx: dict[str, set[str]] = defaultdict(set)
            for iri, own in self.labels_of(self.members[kind]).items():
                display = next((v for d in DISPLAY for p, v in own if p == d), None)
                self._label[iri] = display or local_name(iri).replace("-", " ")
                keys = {v for _, v in own} | {iri, shorten(iri), local_name(iri), local_name(iri).replace("-", " ")}
                for k in keys:
                    if normalise(k):
                        idx[normalise(k)].add(iri)
            self._indexed[kind] = idx
        return self._indexed[kind]

    def label(self, kind: str, iri: str) -> str:
        """The display label of a node of ``kind``."""
        self._index(kind)
        return self._label[iri]

    def known(self, iri: str) -> bool:
        """True when the graph states anything about ``iri``."""
        return iri in self.subjects

    def is_a(self, kind: str, iri: str) -> bool:
        return iri in self.members.get(kind, ())

    def resolve(self, kind: str, text: str) -> Lookup:
        """The node of ``kind`` that ``text`` names, or suggestions."""
        text = text.strip()
        expanded = expand(text)
        if expanded and expanded in self.members[kind]:
            return Lookup(expanded)
        if kind == "locator":
            m = _LOCATOR.match(text.strip())
            if m:
                prefix = "bp" if m.group(1).lower().startswith(("b", "B")) else "rr"
                iri = PREFIXES[prefix] + "p" + m.group(2)
                if iri in self.members[kind]:
                    return Lookup(iri)
        if kind == "GCM objective" and re.fullmatch(r"(?:objective\s*)?\d{1,2}", text, re.IGNORECASE):
            iri = VOCAB + "gcm-objective/" + re.sub(r"\D", "", text).lstrip("0")
            if iri in self.members[kind]:
                return Lookup(iri)
        hits = self._index(kind).get(normalise(text), set())
        if len(hits) == 1:
            return Lookup(next(iter(hits)))
        if len(hits) > 1:
            return Lookup(None, sorted((i, self.label(kind, i)) for i in hits),
                          note="names more than one node; choose one by its id")
        return Lookup(None, self.suggest(kind, text))

    def suggest(self, kind: str, text: str, n: int = 3) -> list[tuple[str, str]]:
        """The closest nodes of ``kind`` to ``text`` by label, code or id (memoised; bounded work per call)."""
        key = normalise(local_name(text) if text.startswith(("http://", "https://")) or
                        re.fullmatch(r"[a-z]+:\S+", text) else text)
        if not key:
            return []
        memo = self._suggested.setdefault(kind, {})
        if key not in memo:
            if self.suggestion_budget <= 0:  # a file full of unknown values: suggest for the first ones only
                return []
            self.suggestion_budget -= 1
            memo[key] = self._suggest(kind, key, n)
        return memo[key]

    def _suggest(self, kind: str, key: str, n: int) -> list[tuple[str, str]]:
        scores: dict[str, float] = {}
        matcher = difflib.SequenceMatcher(None)
        matcher.set_seq2(key)  # difflib caches what it learns about seq2: compare many seq1 against it
        for k, iris in self._index(kind).items():
            matcher.set_seq1(k)
            ratio = matcher.ratio() if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6 else 0.0
            if len(key) >= 4 and (k.startswith(key) or key in k.split()):
                ratio = max(ratio, 0.8)
            for iri in iris:
                scores[iri] = max(scores.get(iri, 0.0), ratio)
        best = sorted(((s, i) for i, s in scores.items() if s >= 0.6), key=lambda si: (-si[0], si[1]))
        return [(i, self.label(kind, i)) for _, i in best[:n]]

    def choices(self, kind: str) -> list[tuple[str, str]]:
        """Every node of ``kind`` (IRI, label), by label: for `gfmdkg template --list`."""
        return sorted(((i, self.label(kind, i)) for i in self.members[kind]), key=lambda il: il[1].casefold())


def show(iri: str) -> str:
    """An IRI for people: prefixed when possible, hash nodes as ``practice:x#budget``."""
    short = shorten(iri)
    base, sep, frag = iri.partition("#")
    if short.startswith("<") and sep and not shorten(base).startswith("<"):
        return f"{shorten(base)}#{frag}"
    return short


def expand(text: str) -> str | None:
    """A full IRI from an IRI, <IRI> or prefixed name; None for plain words."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if re.fullmatch(r"https?://\S+", text):
        return text
    m = re.fullmatch(r"([A-Za-z][\w-]*):([^\s:/]\S*)", text)
    if m and m.group(1) in PREFIXES:
        return PREFIXES[m.group(1)] + m.group(2).replace("\\#", "#")
    return None


def country_code(text: str) -> tuple[str, str] | None:
    """(alpha-3, name) of a real country named by ``text`` (a code, or a name as people write it: "DR Congo",
    "Swaziland", "Lao PDR", "Burma"), by country_converter's name patterns; else pycountry's names; None if not
    exactly one country."""
    text = text.strip()
    hit = _country_converter(text)
    if hit is not None:
        return hit
    try:
        import pycountry
    except ImportError:  # pragma: no cover - pycountry is a dependency
        return None
    try:
        c = pycountry.countries.lookup(text)
    except LookupError:
        return None
    loaded = _converter()
    if loaded is not None and c.alpha_3 not in loaded[1]:  # `gfmdkg add` could not build its node
        return None
    return c.alpha_3, getattr(c, "common_name", None) or c.name


@functools.lru_cache(maxsize=1)
def _converter():
    """country_converter's converter (loading its table takes about 0.3 s: once), or None if not installed."""
    try:
        import country_converter as coco
    except ImportError:  # pragma: no cover - a dependency
        return None
    logging.getLogger("country_converter").setLevel(logging.CRITICAL)  # "not found" is our message to give
    cc = coco.CountryConverter()
    return cc, dict(zip(cc.data["ISO3"], cc.data["name_short"], strict=True))


def _country_converter(text: str) -> tuple[str, str] | None:
    loaded = _converter()
    if loaded is None or not text:
        return None
    cc, names = loaded
    code = cc.convert(text, to="ISO3", not_found=None)
    if not isinstance(code, str) or code not in names:  # not found (the input back), or several countries
        return None
    return code, names[code]


COUNTRY_NS = ID + "country/"


def country_suggestions(text: str, n: int = 3) -> list[tuple[str, str]]:
    """Real countries (pycountry) whose name is close to ``text``: for names the graph has no node for yet."""
    try:
        import pycountry
    except ImportError:  # pragma: no cover
        return []
    names = {}
    for c in pycountry.countries:
        for name in {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}:
            names[normalise(name)] = (COUNTRY_NS + c.alpha_3, getattr(c, "common_name", None) or c.name)
    close = difflib.get_close_matches(normalise(text), list(names), n=n, cutoff=0.75)
    return [names[k] for k in close]
