"""Where the graph lives: a project directory holding ontology/, data/ and queries/.

Found, in order: ``--project DIR``, ``$GFMDKG_PROJECT``, the directory containing the current one, and last the
read-only copy packaged in the wheel (or the source checkout the package was installed from in editable mode).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from gfmdkg.errors import GfmdkgError, ReadOnlyProject
from gfmdkg.namespaces import GRAPH

PARTS = ("ontology", "data", "queries")
SHAPES_FILE = "ontology/shapes.ttl"
PACKAGED = Path(__file__).resolve().parent / "_graph"
CHECKOUT = Path(__file__).resolve().parent.parent


def is_project(path: Path) -> bool:
    """True when ``path`` holds the three parts of a project."""
    return all((path / part).is_dir() for part in PARTS)


@dataclass(frozen=True)
class Project:
    """A project directory and the files that make up its graph."""

    root: Path
    writable: bool = True
    origin: str = "directory"
    _cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    # ------------------------------------------------------------------ files
    def _files(self, sub: str, pattern: str) -> list[Path]:
        base = self.root / sub
        return sorted(p for p in base.rglob(pattern) if p.is_file() and not p.name.startswith("."))

    @property
    def shapes_file(self) -> Path:
        return self.root / SHAPES_FILE

    def ontology_files(self) -> list[Path]:
        """The ontology and the SKOS schemes (everything under ontology/ but the shapes)."""
        return [p for p in self._files("ontology", "*.ttl") if p != self.shapes_file]

    def data_files(self) -> list[Path]:
        """The curated and contributed instance data."""
        return self._files("data", "*.ttl")

    def graph_files(self) -> list[Path]:
        """Every file whose triples make up the queryable graph (ontology, schemes, data; not the shapes)."""
        return self.ontology_files() + self.data_files()

    def query_files(self) -> list[Path]:
        return self._files("queries", "*.rq")

    def relative(self, path: Path) -> str:
        """A path as the user should see it: relative to the project when inside it."""
        try:
            return str(Path(path).resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)

    def graph_iri(self, path: Path) -> str:
        """The named graph a file's triples go into: one graph per file, so provenance survives export."""
        rel = self.relative(path)
        return GRAPH + (rel[:-4] if rel.endswith(".ttl") else rel)

    def fingerprint(self) -> str:
        """Content hash of every file of the graph, the shapes and the queries: the key of the on-disk index."""
        if "fp" not in self._cache:
            from gfmdkg.store.stamps import digests  # unchanged files are not re-read (size+mtime stamps)

            files = self.graph_files() + [self.shapes_file] + self.query_files()
            h = hashlib.sha256()
            for p, digest in zip(files, digests(self.root, files), strict=True):
                h.update(self.relative(p).encode() + b"\0")
                h.update(bytes.fromhex(digest))
            self._cache["fp"] = h.hexdigest()
        return self._cache["fp"]

    def require_writable(self) -> None:
        """Refuse to write into the packaged, read-only copy of the graph."""
        if not self.writable:
            where = (f"the source checkout gfmdkg was installed from ({self.root}), used read-only because the "
                     "command ran outside any project directory" if self.origin == "checkout" else
                     f"the read-only copy packaged with gfmdkg ({self.root})")
            hint = (f"run the command inside {self.root}, or pass --project {self.root} (or set GFMDKG_PROJECT) "
                    "to write there" if self.origin == "checkout" else
                    "run the command inside a project directory (one holding ontology/, data/ and queries/), "
                    "or point to one with --project DIR or GFMDKG_PROJECT")
            raise ReadOnlyProject(f"the graph in use is {where}", hint=hint)


def _opened(root: Path) -> Project:
    """A project directory, with a write a killed ``gfmdkg add`` committed but did not finish completed first."""
    from gfmdkg.transaction import recover_if_pending

    recover_if_pending(root)
    return Project(root)


def find_project(explicit: str | os.PathLike | None = None, cwd: Path | None = None) -> Project:
    """Locate the project directory (see the module docstring for the order)."""
    if explicit is None:
        explicit = os.environ.get("GFMDKG_PROJECT") or None
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not is_project(path):
            raise GfmdkgError(
                f"{path}: not a gfmdkg project directory (it needs ontology/, data/ and queries/)",
                hint="give --project (or GFMDKG_PROJECT) the folder that holds those three folders",
            )
        return _opened(path.resolve())
    here = (cwd or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if is_project(candidate):
            return _opened(candidate)
    if is_project(PACKAGED):
        return Project(PACKAGED, writable=False, origin="packaged")
    if is_project(CHECKOUT):
        return Project(CHECKOUT, writable=False, origin="checkout")
    raise GfmdkgError("no gfmdkg project found and no packaged graph installed",
                      hint="reinstall gfmdkg, or pass --project DIR")
