"""The form of a saved query on the web: one control per parameter, its choices taken from the graph itself.

A parameter that names a node (a ``kind``, with its ``match`` pattern) lists the nodes of that kind with their labels
in the page's language; a parameter with ``choices`` lists those values; a boolean is yes / no; numbers and years are
number boxes. Short lists are drop-downs, long ones a search box with the list as suggestions (any other name or id
can still be typed: it is resolved, or refused with suggestions, by :mod:`gfmdkg.sparql.params`). The listing
queries are the catalogue's own patterns, bounded by a ``LIMIT``, with no value of the request in them; the form is
sent by GET, so an answer's address can be shared, and the same address with ``format=csv`` or ``format=json``
downloads it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from gfmdkg.contrib.vocab import local_name
from gfmdkg.namespaces import sparql_prologue
from gfmdkg.serve import display
from gfmdkg.serve.i18n import N_, _, sort_key
from gfmdkg.sparql.catalogue import Param, SavedQuery
from gfmdkg.sparql.params import pattern

#: candidates listed per parameter (a bounded query); more are reachable by typing a name or id
MAX_OPTIONS = 500
#: lists longer than this are a search box with suggestions rather than a drop-down
MAX_SELECT = 40
#: what a parameter's value names, as the form's label says it (the kind, else the parameter's name)
LABELS = {
    "recommendation": N_("Recommendation"), "source document": N_("Source document"), "cited work": N_("Cited work"),
    "effect direction": N_("Effect direction"), "organisation": N_("Organisation"), "role": N_("Role"),
    "practice": N_("Practice"), "country": N_("Country"), "GCM objective": N_("GCM objective"), "tag": N_("Tag"),
    "thematic area": N_("Thematic area"), "class": N_("Type of node"), "outcome domain": N_("Outcome domain"),
    "region": N_("Region"), "status": N_("Status"), "source_only": N_("Only what the sources state"),
    "year": N_("Year"), "unit": N_("Unit or currency"),
}
#: downloads offered on the form, by query form: (format name, button text)
DOWNLOADS = {"SELECT": [("csv", N_("Download CSV")), ("json", N_("Download JSON"))],
             "ASK": [("json", N_("Download JSON"))],
             "CONSTRUCT": [("ttl", N_("Download Turtle")), ("jsonld", N_("Download JSON-LD"))],
             "DESCRIBE": [("ttl", N_("Download Turtle")), ("jsonld", N_("Download JSON-LD"))]}


@dataclass
class Option:
    value: str
    text: str
    lang: str | None = None


@dataclass
class Control:
    """One parameter's control: ``widget`` is ``select``, ``search`` (a box with suggestions), ``number`` or
    ``text``; ``blank`` the text of the empty choice (the query's default)."""

    param: Param
    label: str
    widget: str
    value: str
    options: list[Option] = field(default_factory=list)
    blank: str = ""
    more: bool = False  # the list was cut at MAX_OPTIONS

    @property
    def name(self) -> str:
        return self.param.name

    @property
    def chosen(self) -> Option | None:
        """The listed node the value names (its label is shown beside a search box)."""
        return next((o for o in self.options if o.value == self.value and o.text != o.value), None)


def candidates_query(query: SavedQuery, param: Param) -> str | None:
    """The bounded SELECT of ``?node`` listing a parameter's candidates, or None when it has no list."""
    if param.choices:
        where = param.choices
    elif param.kind:
        where = pattern(query, param)
    else:
        return None
    # ordered before the limit, so that a long list offers the same first candidates on every engine and request
    return (f"{sparql_prologue()}SELECT DISTINCT ?node WHERE {{ {where} FILTER(!isBlank(?node)) }} "
            f"ORDER BY ?node LIMIT {MAX_OPTIONS + 1}")


def controls(service, query: SavedQuery, values: dict[str, str]) -> list[Control]:
    """The controls of ``query``'s form, showing ``values`` (else the defaults); the candidate lists of every
    parameter come from one request to a page worker, with labels in the page's language."""
    listed = [(p, q) for p in query.params if (q := candidates_query(query, p)) is not None]
    rows, labels = service.select([(q, {}) for _p, q in listed]) if listed else ([], {})
    found = {p.name: r for (p, _q), r in zip(listed, rows, strict=True)}
    return [control(p, values.get(p.name, p.default or ""), found.get(p.name), labels) for p in query.params]


def control(param: Param, value: str, rows: list[dict] | None, labels) -> Control:
    label = _(LABELS.get(param.kind or param.name, param.name))
    if param.type == "boolean":
        options = [Option("true", _("yes")), Option("false", _("no"))]
        return Control(param, label, "select", value, options, blank=_("(default)"))
    if rows is None:
        widget = "number" if param.type in ("integer", "year", "decimal") else "text"
        return Control(param, label, widget, value)
    options = _options(param, rows[:MAX_OPTIONS], labels)
    if value and value not in {o.value for o in options}:
        options.insert(0, Option(value, value))  # a value given in the address, as given
    widget = "select" if len(options) <= MAX_SELECT else "search"
    blank = _("(choose one)") if param.required else _("(all)")
    return Control(param, label, widget, value, options, blank=blank, more=len(rows) > MAX_OPTIONS)


def _options(param: Param, rows: list[dict], labels) -> list[Option]:
    """The candidates as options sorted by their text: a prefixed name (an IRI parameter) or the node's code (a
    string parameter naming a node) as value, the label in the page's language as text."""
    options = []
    for row in rows:
        term = row.get("node")
        if term is None:
            continue
        if term["type"] != "uri":
            options.append(Option(term["value"], term["value"], term.get("xml:lang")))
            continue
        shown = display.value(term, labels)
        code = display.param(term["value"]) if param.type == "iri" else local_name(term["value"])
        options.append(Option(code, shown.text, shown.lang))
    texts = Counter(o.text for o in options)
    for o in options:  # two nodes with the same label: say which is which
        if texts[o.text] > 1 and o.text != o.value:
            o.text = f"{o.text} ({o.value})"
    return sorted(options, key=lambda o: (sort_key(o.text), o.value))
