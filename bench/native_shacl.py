"""Compare pySHACL with a native SHACL engine on one project: time, and whether the reports are identical.

``python -m bench.native_shacl PROJECT_DIR`` validates the project's graph files against its shapes with pySHACL and
with pyshacl-turbo (a Rust engine with pySHACL's API, when importable), and prints both times and the differences
between the sets of (focus node, path, source shape, severity) of their results. Not a dependency of gfmdkg: install
the candidate into a separate folder and put it on PYTHONPATH to try it.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import rdflib

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def results(report: rdflib.Graph) -> set[tuple[str, str, str, str]]:
    """(focus node, path, source shape, severity) of every result; blank-node shapes and paths as '_'."""
    def name(node) -> str:
        return "_" if isinstance(node, rdflib.BNode) else str(node)
    return {(name(report.value(r, SH.focusNode)), name(report.value(r, SH.resultPath)),
             name(report.value(r, SH.sourceShape)), name(report.value(r, SH.resultSeverity)))
            for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)}


def run(validate, data: rdflib.Graph, shapes: rdflib.Graph) -> tuple[float, set]:
    t = time.perf_counter()
    _, report, _ = validate(data, shacl_graph=shapes, inference="none")
    return time.perf_counter() - t, results(report)


def main(argv: list[str] | None = None) -> int:
    root = Path((argv or sys.argv[1:])[0])
    from gfmdkg.project import Project
    project = Project(root)
    data = rdflib.Graph()
    for path in project.graph_files():
        data.parse(str(path), format="turtle")
    shapes = rdflib.Graph().parse(str(project.shapes_file), format="turtle")
    import pyshacl
    out: dict = {"triples": len(data)}
    out["pyshacl_s"], reference = run(pyshacl.validate, data, shapes)
    out["pyshacl_results"] = len(reference)
    try:
        import pyshacl_turbo
    except ImportError:
        out["pyshacl_turbo"] = "not installed"
    else:
        out["pyshacl_turbo_s"], other = run(pyshacl_turbo.validate, data, shapes)
        out["pyshacl_turbo_results"] = len(other)
        out["only_pyshacl"] = sorted(reference - other)[:10]
        out["only_turbo"] = sorted(other - reference)[:10]
        out["identical"] = reference == other
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
