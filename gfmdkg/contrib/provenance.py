"""A contribution's own provenance, distinct from curation (docs/CONTRIBUTING.md, "What the graph records").

Every contributed node (the practice of a template row; each non-hash subject of an RDF file) gets who
contributed it (``prov:wasAttributedTo`` and ``dcterms:contributor``, a ``prov:Agent``), when
(``dcterms:created``), from which file (``gfmd:contributedFrom``), the contact given in the template
(``dcat:contactPoint``, a vCard), its review status (``gfmd:reviewStatus review:submitted``) and a
``prov:qualifiedAttribution`` for the submission (agent, ``prov:hadRole crole:contributor``, time). Every qualified
link of the contribution is attributed to the contributor too. A contribution may not state any of this itself.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from gfmdkg.contrib.model import ERROR, Problem
from gfmdkg.contrib.unit import Unit
from gfmdkg.contrib.vocab import RDF_TYPE
from gfmdkg.contrib.vocab import show as shorten
from gfmdkg.errors import GfmdkgError
from gfmdkg.namespaces import PREFIXES, VOCAB

MAX_NAME = 200
UNNAMED = "an unnamed contributor"
SUBMITTED = VOCAB + "review-status/submitted"
ACCEPTED = VOCAB + "review-status/accepted"
REJECTED = VOCAB + "review-status/rejected"
CONTRIBUTOR_ROLE = VOCAB + "contribution-role/contributor"
REVIEWER_ROLE = VOCAB + "contribution-role/reviewer"
CONTRIBUTOR_BASIS = VOCAB + "link-basis/stated-by-contributor"
VCARD = PREFIXES["vcard"]
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
#: what only `gfmdkg add` and `gfmdkg review` may state: a contribution cannot attribute or accept itself
RESERVED = {PREFIXES["gfmd"] + "reviewStatus", PREFIXES["gfmd"] + "contributedFrom",
            PREFIXES["dcterms"] + "contributor", PREFIXES["prov"] + "wasAttributedTo",
            PREFIXES["prov"] + "qualifiedAttribution", PREFIXES["gfmd"] + "reviewDecision",
            PREFIXES["gfmd"] + "contributedBy"}  # deprecated for dcterms:contributor, still not the contributor's


def P(prefix: str, local: str) -> ox.NamedNode:  # noqa: N802 - reads like a prefixed name
    return ox.NamedNode(PREFIXES[prefix] + local)


TYPE = ox.NamedNode(RDF_TYPE)


def now() -> ox.Literal:
    """The current UTC time as an xsd:dateTime (``$SOURCE_DATE_EPOCH`` when set, for reproducible output)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return ox.Literal(moment.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=P("xsd", "dateTime"))


def checked_name(value: str | None, option: str) -> str | None:
    """A person's or organisation's name given on the command line, stripped; a usage error when unusable."""
    if value is None:
        return None
    name = " ".join(value.split())
    if not name or len(name) > MAX_NAME or any(ord(c) < 32 for c in value):
        raise GfmdkgError(f"{option} needs a name of 1 to {MAX_NAME} characters on one line",
                         hint=f'e.g. {option} "Jane Doe (Ministry of Health of Ghana)"')
    return name


def name_from_contact(contact: str) -> str | None:
    """The name part of a contact such as "Jane Doe <jane@example.org>" (else the address, else the text)."""
    text = " ".join(contact.split())
    if not text:
        return None
    name = _EMAIL.sub("", text).replace("<>", "").strip(" <>,;()")
    return name or text


def agent_quads(agent: ox.NamedNode, name: str) -> list[ox.Quad]:
    """A contributor or reviewer: a prov:Agent (and foaf:Agent) with its name."""
    literal = ox.Literal(name)
    return [ox.Quad(agent, TYPE, P("prov", "Agent")), ox.Quad(agent, TYPE, P("foaf", "Agent")),
            ox.Quad(agent, P("foaf", "name"), literal), ox.Quad(agent, P("rdfs", "label"), literal)]


def attribution_quads(node: ox.NamedNode, attribution: ox.NamedNode, agent: ox.NamedNode, role: str,
                      when: ox.Literal) -> list[ox.Quad]:
    """One act on a contribution (the submission, a review) as a qualified PROV attribution."""
    return [ox.Quad(node, P("prov", "qualifiedAttribution"), attribution),
            ox.Quad(attribution, TYPE, P("prov", "Attribution")),
            ox.Quad(attribution, P("prov", "agent"), agent),
            ox.Quad(attribution, P("prov", "hadRole"), ox.NamedNode(role)),
            ox.Quad(attribution, P("dcterms", "created"), when)]


def contact_quads(node: ox.NamedNode, contact: str) -> list[ox.Quad]:
    """The template's contact as the node's dcat:contactPoint: a vCard with the text as given and its e-mail."""
    card = ox.NamedNode(node.value + "#contact")
    out = [ox.Quad(node, P("dcat", "contactPoint"), card), ox.Quad(card, TYPE, ox.NamedNode(VCARD + "Kind")),
           ox.Quad(card, ox.NamedNode(VCARD + "fn"), ox.Literal(" ".join(contact.split())))]
    email = _EMAIL.search(contact)
    if email:
        out.append(ox.Quad(card, ox.NamedNode(VCARD + "hasEmail"), ox.NamedNode("mailto:" + email.group(0))))
    return out


@dataclass(frozen=True)
class Stamp:
    """Who contributes (``--contributor``; else the template's contact) and when."""

    contributor: str | None
    when: ox.Literal


def main_nodes(unit: Unit) -> list[str]:
    """The nodes a unit contributes: its practice (template), or every subject without a hash IRI (RDF; hash
    nodes belong to theirs)."""
    if unit.kind != "rdf":
        return [unit.iri] if unit.iri else []
    return sorted({q.subject.value for q in unit.quads
                   if isinstance(q.subject, ox.NamedNode) and "#" not in q.subject.value})


def refuse_reserved(unit: Unit) -> None:
    """An RDF contribution that states its own attribution or review is an error (add and review record them)."""
    for q in unit.quads:
        if q.predicate.value in RESERVED:
            unit.problems.append(Problem(
                severity=ERROR, node=q.subject.value, field=shorten(q.predicate.value), line=unit.line_for(
                    q.subject.value), check="provenance",
                message=f"{shorten(q.predicate.value)} is recorded by gfmdkg, not by a contribution",
                hint="remove it: `gfmdkg add --contributor NAME` records who contributed and when, and a curator "
                "records the review with `gfmdkg review`"))


def stamp(unit: Unit, how: Stamp, existing: Callable[[str], bool] = lambda _iri: False) -> str | None:
    """Add the unit's provenance (module docstring) to its quads; returns the contributor's name as recorded.
    Nodes for which ``existing`` is true (already in the graph: a clash reported by the check) are left alone."""
    nodes = [n for n in main_nodes(unit) if not existing(n)]
    if not nodes:
        return None
    contact = (unit.record.values.get("contact", "") if unit.record is not None else "").strip()
    name = how.contributor or name_from_contact(contact) or UNNAMED
    first = ox.NamedNode(nodes[0])
    agent = ox.NamedNode(first.value + "#contributor")
    where = unit.record.where if unit.record is not None else unit.source
    origin = Path(unit.source).name + where[len(unit.source):] if where.startswith(unit.source) else where
    new = agent_quads(agent, name)
    for iri in nodes:
        node = ox.NamedNode(iri)
        new += [ox.Quad(node, P("prov", "wasAttributedTo"), agent), ox.Quad(node, P("dcterms", "contributor"), agent),
                ox.Quad(node, P("dcterms", "created"), how.when), ox.Quad(node, P("gfmd", "contributedFrom"),
                                                                         ox.Literal(origin)),
                ox.Quad(node, P("gfmd", "reviewStatus"), ox.NamedNode(SUBMITTED))]
        new += attribution_quads(node, ox.NamedNode(iri + "#submission"), agent, CONTRIBUTOR_ROLE, how.when)
    if contact:
        new += contact_quads(first, contact)
    links = {q.subject.value for q in unit.quads if q.predicate.value == PREFIXES["gfmd"] + "basis"}
    new += [ox.Quad(ox.NamedNode(link), P("prov", "wasAttributedTo"), agent) for link in sorted(links)]
    unit.quads.extend(new)
    if unit.converted is not None:
        for q in new:
            unit.converted.fields.setdefault((q.subject.value, q.predicate.value),
                                             "contact" if q.subject.value.endswith("#contact") else "title")
    return name
