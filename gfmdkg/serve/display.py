"""How terms look on the pages: links to local pages, readable literals, short URL parameters, and the query
prologue every page query starts with."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gfmdkg.namespaces import PREFIXES, shorten, sparql_prologue
from gfmdkg.serve.i18n import N_, Labels, _, current, sort_key
from gfmdkg.serve.linked import local_href
from gfmdkg.sparql.terms import Term

__all__ = ["PROLOGUE", "RDF_TYPE", "Value", "href", "param", "shorten", "value"]

PROLOGUE = sparql_prologue({k: PREFIXES[k] for k in (
    "gfmd", "rdf", "rdfs", "skos", "dcterms", "prov", "bibo", "cito", "org", "schema", "foaf")})
RDF_TYPE = PREFIXES["rdf"] + "type"
#: names of reused classes that the graph does not label itself, and of gfmdkg's main classes (shown translated)
CLASS_NAMES = {
    PREFIXES["gfmd"] + "Practice": N_("Practice"), PREFIXES["gfmd"] + "Finding": N_("Finding"),
    PREFIXES["gfmd"] + "Recommendation": N_("Recommendation"), PREFIXES["gfmd"] + "KeyMessage": N_("Key message"),
    PREFIXES["gfmd"] + "GuidingQuestion": N_("Guiding question"),
    PREFIXES["gfmd"] + "QuantitativeValue": N_("Quantitative value"),
    PREFIXES["org"] + "Organization": N_("Organisation"), PREFIXES["schema"] + "Country": N_("Country"),
    PREFIXES["bibo"] + "Document": N_("Cited work"), PREFIXES["bibo"] + "Report": N_("Report"),
    PREFIXES["bibo"] + "DocumentPart": N_("Part of a document"), PREFIXES["skos"] + "Concept": N_("Concept"),
    PREFIXES["skos"] + "ConceptScheme": N_("Concept scheme"), PREFIXES["schema"] + "Event": N_("Event"),
    PREFIXES["dcterms"] + "PeriodOfTime": N_("Period"), PREFIXES["schema"] + "MonetaryAmount": N_("Amount of money"),
    PREFIXES["owl"] + "Class": N_("Class"), PREFIXES["owl"] + "ObjectProperty": N_("Relation"),
    PREFIXES["owl"] + "DatatypeProperty": N_("Attribute"), PREFIXES["owl"] + "Ontology": N_("Ontology"),
    PREFIXES["dcat"] + "Dataset": N_("Dataset"), PREFIXES["void"] + "Dataset": N_("Dataset"),
}


def param(iri: str) -> str:
    """An IRI as a short URL parameter: its prefixed name when one fits (``country:GHA``), else the IRI."""
    short = shorten(iri)
    return iri if short.startswith("<") else short



def href(iri: str) -> str:
    """Where a link to ``iri`` goes: its local page for gfmdkg IRIs, else the IRI itself."""
    return local_href(iri) or iri


@dataclass
class Value:
    """One value of a property as a person sees it."""

    text: str
    href: str | None = None
    external: bool = False
    lang: str | None = None

    @property
    def sort_key(self) -> str:
        return sort_key(self.text)



#: thousands separator and decimal mark of each page language (as the UN editorial manuals write numbers)
SEPARATORS = {"en": (",", "."), "fr": ("\u202f", ","), "es": ("\u00a0", ",")}
XSD = PREFIXES["xsd"]
NUMBERS = {XSD + "decimal", XSD + "integer", XSD + "double", XSD + "float", XSD + "nonNegativeInteger"}


def value(term: Term, labels: dict[str, str]) -> Value:
    """A term as a person reads it: a label (or prefixed name) linking to its page, or a readable literal."""
    if term["type"] == "uri":
        iri = term["value"]
        local = local_href(iri)
        short = shorten(iri)
        if labels.get(iri) and iri not in CLASS_NAMES:
            lang = labels.lang_of(iri) if isinstance(labels, Labels) else None
            return Value(labels[iri], local or iri, external=local is None, lang=lang)
        text = _(CLASS_NAMES[iri]) if iri in CLASS_NAMES else (iri if short.startswith("<") else short)
        return Value(text, local or iri, external=local is None)
    text, datatype = term["value"], term.get("datatype")
    if datatype == XSD + "boolean":
        text = {"true": _("yes"), "1": _("yes"), "false": _("no"), "0": _("no")}.get(text, text)
    elif datatype in NUMBERS and re.fullmatch(r"-?\d{5,}(\.\d+)?", text):
        whole, dot, frac = text.partition(".")
        group, point = SEPARATORS[current()]
        text = f"{int(whole):,}".replace(",", group) + (point if dot else "") + frac
    return Value(text, lang=term.get("xml:lang"))

