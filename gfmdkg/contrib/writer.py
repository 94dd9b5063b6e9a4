"""``add``: write checked contributions into data/contrib/ as one Turtle file (one named graph) each, with the
country and region nodes they need, as one transaction (:mod:`gfmdkg.transaction`): all or nothing, even when
killed; concurrent runs wait for each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from gfmdkg.contrib.pipeline import CheckResult, check
from gfmdkg.contrib.style import serialize
from gfmdkg.contrib.unit import Unit
from gfmdkg.errors import GfmdkgError
from gfmdkg.project import Project
from gfmdkg.transaction import Transaction, locked

CONTRIB = "contrib"


@dataclass
class Added:
    """What one ``add`` wrote."""

    result: CheckResult
    files: list[tuple[Path, Unit]] = field(default_factory=list)
    regenerated: list[Path] = field(default_factory=list)


def render(unit: Unit) -> str:
    """The unit as project-style Turtle, verified by parsing it back to exactly the same triples."""
    what = unit.record.where if unit.record is not None else unit.source
    header = (f"# Contributed practice, added with `gfmdkg add` from {Path(unit.source).name}"
              + (f" ({what.split(', ', 1)[1]})" if unit.record is not None and ", " in what else "") + ".\n"
              "# One file = one named graph. Checked by `gfmdkg check` against the shapes and vocabularies.\n")
    text = serialize(unit.quads, unit.iri, header)
    back = set(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))
    if back != {ox.Quad(q.subject, q.predicate, q.object) for q in unit.quads}:  # pragma: no cover - a writer bug
        raise GfmdkgError(f"internal error: the Turtle written for {unit.slug} does not read back the same",
                          hint="report this as a bug; nothing was written")
    return text


def add(project: Project, paths: list[Path], *, base_iri: str | None = None, contributor: str | None = None) -> Added:
    """Check ``paths`` and, only if they pass, write each unit to data/contrib/<slug>.ttl and regenerate the country
    and region nodes, in one transaction (:mod:`gfmdkg.transaction`): all or nothing, even if killed."""
    project.require_writable()
    contrib = project.root / "data" / CONTRIB
    with locked(project.root):
        result = check(project, paths, base_iri=base_iri, contributor=contributor)
        added = Added(result)
        if result.exit_code:
            return added
        with Transaction(project.root) as tx:
            for unit in result.units:
                target = contrib / f"{unit.slug}.ttl"
                if target.exists() or any(p == target for p, _ in added.files):
                    raise GfmdkgError(f"{project.relative(target)} already exists",
                                      hint=f"give {unit.where()} another id ('id', or another IRI)")
                tx.stage(target, render(unit).encode("utf-8"))
                added.files.append((target, unit))
            regenerated = []
            if any(u.converted is not None and u.converted.missing_countries for u in result.units):
                regenerated = _stage_countries(project, tx, result.quads)
            tx.commit()
            added.regenerated = regenerated
    return added


def _stage_countries(project: Project, tx: Transaction, quads: list[ox.Quad]) -> list[Path]:
    """New countries named by the contribution get their nodes, generated as `gfmdkg curate countries` does and
    appended to the generated files (no existing node changes); the files whose content changes."""
    from gfmdkg.curation.countries import stage_new

    return stage_new(project, tx, quads)
