"""Reading a project's files into quads, one named graph per file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from gfmdkg.project import Project
from gfmdkg.rdfio import parse_file


def project_quads(project: Project, files: list[Path] | None = None) -> Iterator[ox.Quad]:
    """Quads of every graph file of ``project`` (or of ``files``), each file in its own named graph."""
    for path in files if files is not None else project.graph_files():
        yield from parse_file(path, graph=project.graph_iri(path))
