"""``gfmdkg review``: a curator accepts or rejects a contribution, recorded with who, when and why.

Only files under data/contrib/ are read or written (a curated node is never touched). A review changes the node's
``gfmd:reviewStatus`` and ``dcterms:modified`` and adds a ``prov:qualifiedAttribution`` (``#review-N``) naming the
reviewer (``#reviewer-N``, a ``prov:Agent``) with ``prov:hadRole crole:reviewer``, ``dcterms:created``,
``gfmd:reviewDecision`` and the note as ``rdfs:comment``. The contributor's statements stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gfmdkg.atomic import write_text_atomic
from gfmdkg.contrib import provenance as pv
from gfmdkg.contrib.style import serialize
from gfmdkg.contrib.vocab import expand, normalise
from gfmdkg.contrib.vocab import show as shorten
from gfmdkg.errors import GfmdkgError
from gfmdkg.namespaces import PREFIXES
from gfmdkg.project import Project
from gfmdkg.rdfio import parse_file

STATUS = PREFIXES["gfmd"] + "reviewStatus"
MAX_NOTE = 2000
DECISIONS = {"accept": pv.ACCEPTED, "reject": pv.REJECTED}


def _p(prefix: str, local: str) -> str:
    return PREFIXES[prefix] + local


@dataclass
class Contribution:
    """One contributed node with its review state, as its file in data/contrib/ states it."""

    iri: str
    path: Path
    status: str
    title: str = ""
    contributor: str = ""
    created: str = ""
    origin: str = ""
    reviews: int = 0

    @property
    def status_label(self) -> str:
        return self.status.rsplit("/", 1)[-1]


def _read(path: Path) -> list[ox.Quad]:
    return [ox.Quad(q.subject, q.predicate, q.object) for q in parse_file(path)]


def _value(quads: list[ox.Quad], s: str, p: str) -> str:
    return min((q.object.value for q in quads if q.subject.value == s and q.predicate.value == p), default="")


def contributions(project: Project) -> list[Contribution]:
    """Every contributed node in data/contrib/, oldest first."""
    out = []
    for path in sorted((project.root / "data" / "contrib").glob("*.ttl")):
        quads = _read(path)
        for q in quads:
            if q.predicate.value != STATUS:
                continue
            s = q.subject.value
            agent = _value(quads, s, _p("dcterms", "contributor"))
            out.append(Contribution(
                iri=s, path=path, status=q.object.value, title=_value(quads, s, _p("dcterms", "title"))
                or _value(quads, s, _p("rdfs", "label")), contributor=_value(quads, agent, _p("foaf", "name")),
                created=_value(quads, s, _p("dcterms", "created")),
                origin=_value(quads, s, _p("gfmd", "contributedFrom")),
                reviews=sum(1 for r in quads if r.subject.value == s and r.predicate.value == _p(
                    "prov", "qualifiedAttribution") and "#review-" in r.object.value)))
    return sorted(out, key=lambda c: (c.created, c.iri))


def find(project: Project, ident: str) -> Contribution:
    """The contribution named by ``ident``: practice:x, its full IRI, or x (its id / file name)."""
    known = contributions(project)
    iri = expand(ident) or (expand("practice:" + ident) if ident and ":" not in ident else None)
    for c in known:
        if c.iri == iri or c.path.stem == ident.strip():
            return c
    close = sorted(known, key=lambda c: -_likeness(ident, shorten(c.iri)))[:3]
    raise GfmdkgError(f"'{ident}' is not a contribution in data/contrib/" + (
        " (did you mean: " + ", ".join(shorten(c.iri) for c in close) + "?)" if close else " (there are none)"),
        hint="give the id of a contributed node as `gfmdkg review --list` shows it; curated nodes are not reviewed")


def _likeness(a: str, b: str) -> float:
    import difflib

    return difflib.SequenceMatcher(None, normalise(a), normalise(b)).ratio()


def review(project: Project, ident: str, decision: str, reviewer: str, note: str | None = None) -> Contribution:
    """Record a curator's decision (``accept`` or ``reject``) on a contribution; returns it as it now stands."""
    from gfmdkg.transaction import locked

    project.require_writable()
    reviewer = pv.checked_name(reviewer, "--reviewer") or ""
    if note is not None and (not note.strip() or len(note) > MAX_NOTE):
        raise GfmdkgError(f"--note needs a text of 1 to {MAX_NOTE} characters", hint="say briefly why, or leave "
                          "--note out")
    with locked(project.root):
        target = find(project, ident)
        quads = _read(target.path)
        node = ox.NamedNode(target.iri)
        n = target.reviews + 1
        attribution, agent = ox.NamedNode(f"{target.iri}#review-{n}"), ox.NamedNode(f"{target.iri}#reviewer-{n}")
        when = pv.now()
        dropped = {STATUS, _p("dcterms", "modified")}
        kept = [q for q in quads if not (q.subject == node and q.predicate.value in dropped)]
        added = [ox.Quad(node, ox.NamedNode(STATUS), ox.NamedNode(DECISIONS[decision])),
                 ox.Quad(node, ox.NamedNode(_p("dcterms", "modified")), when),
                 *pv.agent_quads(agent, reviewer),
                 *pv.attribution_quads(node, attribution, agent, pv.REVIEWER_ROLE, when),
                 ox.Quad(attribution, ox.NamedNode(_p("gfmd", "reviewDecision")), ox.NamedNode(DECISIONS[decision]))]
        if note:
            added.append(ox.Quad(attribution, ox.NamedNode(_p("rdfs", "comment")),
                                 ox.Literal(" ".join(note.split()), language="en")))
        text = target.path.read_text(encoding="utf-8")
        header = "".join(line for line in text.splitlines(keepends=True)[:5] if line.startswith("#"))
        main = min((q.subject.value for q in kept if "#" not in q.subject.value), default=target.iri)
        out = serialize(kept + added, main, header)
        if set(ox.parse(out.encode(), format=ox.RdfFormat.TURTLE)) != set(kept + added):  # pragma: no cover
            raise GfmdkgError(f"internal error: the Turtle for {target.path.name} does not read back the same",
                              hint="report this as a bug; nothing was written")
        write_text_atomic(target.path, out)
    return find(project, target.iri)
