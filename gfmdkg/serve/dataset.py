"""What the server serves: the project's graph (the on-disk index) or RDF files given on the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from gfmdkg.errors import GfmdkgError
from gfmdkg.sparql.terms import is_iri


@dataclass
class Dataset:
    """A pyoxigraph store to query (default graph = union of all graphs) and a description for people."""

    store: ox.Store
    label: str
    is_project: bool = False
    context: dict = field(default_factory=dict)  # the JSON-LD context of descriptions served as JSON-LD

    def __post_init__(self) -> None:
        self.local_graphs = {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}
        self.size = len(self.store)


MEMORY_LOAD_BYTES = 32 * 1024 * 1024


def from_project(project, memory: bool | None = None) -> Dataset:
    """The gfmdkg graph of ``project``: loaded into memory when its files are small (faster queries, still a
    fraction of a second to load), else the cached on-disk index (opens at once at any size)."""
    from gfmdkg.store import open_engine

    if memory is None:
        memory = sum(p.stat().st_size for p in project.graph_files()) <= MEMORY_LOAD_BYTES
    from gfmdkg.publish.jsonld import load_context

    engine = open_engine(project, memory=memory)
    return Dataset(engine.store, "the gfmdkg graph", is_project=True, context=load_context(project.root))


def default_context() -> dict:
    """The published JSON-LD context of the project found from here (else the packaged one); {} when there is none."""
    from gfmdkg.project import find_project
    from gfmdkg.publish.jsonld import load_context

    try:
        return load_context(find_project().root)
    except GfmdkgError:
        return {}


def parse_graph_option(value: str) -> tuple[str, Path]:
    """``IRI=FILE`` of ``--graph``: the file's triples go into the named graph IRI."""
    iri, sep, path = value.partition("=")
    # an IRI contains ':' and may itself hold '='; split at the last '=' whose left part is an IRI
    if sep and not is_iri(iri):
        iri, sep, path = value.rpartition("=")
    if not sep or not is_iri(iri) or not path:
        raise GfmdkgError(f"--graph '{value}' is not IRI=FILE",
                          hint="write e.g. --graph http://example.org/g1=data1.nt")
    return iri, Path(path)


def from_files(files: list[Path], graphs: list[tuple[str, Path]] = ()) -> Dataset:
    """An in-memory dataset: triples files into the default graph, TriG/N-Quads keep their named graphs,
    ``graphs`` (IRI, file) pairs put a file's triples into that named graph."""
    from gfmdkg.rdfio import parse_file

    store = ox.Store()
    for path in files:
        store.bulk_extend(parse_file(path))
    for iri, path in graphs:
        store.bulk_extend(parse_file(path, graph=iri))
    names = [p.name for p in files] + [f"{p.name} as <{iri}>" for iri, p in graphs]
    return Dataset(store, ", ".join(names) if len(names) <= 3 else f"{len(names)} files", context=default_context())
