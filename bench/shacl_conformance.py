"""Check the SHACL libraries' own conformance claims on the W3C SHACL Core test suite.

``python -m bench.shacl_conformance SUITE_DIR`` runs every ``sht:Validate`` test under SUITE_DIR (the
``data-shapes-test-suite/tests/core`` folder of the public w3c/data-shapes repository; not shipped with gfmdkg) through
pySHACL and each installed candidate library, and prints, per library, how many tests give the expected report
(conformance, and the set of results compared as (focus node, path, value, source shape, component, severity), blank
nodes as ``_``) and which fail. Standard input/output only; nothing is fetched.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import rdflib
from rdflib.util import from_n3

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")
BASE = "http://datashapes.org/sh/tests/core/"

Key = tuple[str, str, str, str, str, str]


def _name(term) -> str:
    """A term as a comparable string: blank nodes as ``_``, literals by value."""
    if term is None:
        return ""
    if isinstance(term, rdflib.BNode):
        return "_"
    if isinstance(term, rdflib.Literal):
        return f"{term.toPython()!r}|{term.datatype or ''}|{term.language or ''}"
    return str(term)


def _term(text: str | None):
    """An N-Triples term written by a library, as an rdflib term."""
    if not text:
        return None
    if text.startswith("_:"):
        return rdflib.BNode(text[2:])
    return from_n3(text)


def _results(graph: rdflib.Graph, report) -> tuple[bool, list[Key]]:
    conforms = bool(graph.value(report, SH.conforms).toPython())
    out = []
    for res in graph.objects(report, SH.result):
        one = lambda p, res=res: graph.value(res, p)  # noqa: E731
        path = one(SH.resultPath)
        out.append((_name(one(SH.focusNode)), _name(path) if not isinstance(path, rdflib.BNode) else "_",
                    _name(one(SH.value)), _name(one(SH.sourceShape)), _name(one(SH.sourceConstraintComponent)),
                    _name(one(SH.resultSeverity))))
    return conforms, sorted(out)


def cases(suite: Path):
    """(test name, data text, shapes text, base IRI, expected (conforms, results)) of every Validate test."""
    for path in sorted(suite.rglob("*.ttl")):
        if path.name == "manifest.ttl":
            continue
        base = BASE + str(path.relative_to(suite))
        g = rdflib.Graph().parse(path, format="turtle", publicID=base)
        for test in g.subjects(rdflib.RDF.type, SHT.Validate):
            action, expected = g.value(test, MF.action), g.value(test, MF.result)
            data_iri, shapes_iri = g.value(action, SHT.dataGraph), g.value(action, SHT.shapesGraph)

            def text(iri, path=path, base=base) -> str:
                return (path.parent / str(iri)[len(base.rsplit("/", 1)[0]) + 1:]).read_text() \
                    if str(iri) != base else path.read_text()
            yield (str(path.relative_to(suite).with_suffix("")), text(data_iri), text(shapes_iri), base,
                   _results(g, expected))


def run_pyshacl(data: str, shapes: str, base: str, module: str = "pyshacl") -> tuple[bool, list[Key]]:
    import importlib
    validate = importlib.import_module(module).validate
    d = rdflib.Graph().parse(data=data, format="turtle", publicID=base)
    s = rdflib.Graph().parse(data=shapes, format="turtle", publicID=base)
    _conforms, report_graph, _text = validate(d, shacl_graph=s, inference="none", do_owl_imports=False,
                                              allow_warnings=False)
    report = next(report_graph.subjects(rdflib.RDF.type, SH.ValidationReport))
    return _results(report_graph, report)


def run_shacl(data: str, shapes: str, base: str) -> tuple[bool, list[Key]]:
    import shacl
    report = shacl.Shapes.from_text(shapes, base=base).validate_text(data, base=base)
    return report.conforms, sorted(
        (_name(_term(r.focus_node)), _name(_term(r.path)) if r.path and r.path.startswith("<") and
         " " not in r.path and r.path.endswith(">") else ("_" if r.path else ""),
         _name(_term(r.value)), _name(_term(r.source_shape)), _name(rdflib.URIRef(r.component_iri)),
         _name(rdflib.URIRef(r.severity_iri))) for r in report.results)


def run_shacl_rust(data: str, shapes: str, base: str) -> tuple[bool, list[Key]]:
    import shacl_rust
    # shacl_rust takes no base IRI: the suite's files use <> and relative IRIs, so give it absolute ones
    d = rdflib.Graph().parse(data=data, format="turtle", publicID=base).serialize(format="nt")
    s = rdflib.Graph().parse(data=shapes, format="turtle", publicID=base).serialize(format="nt")
    report = shacl_rust.validate(d, s, data_format="nt", shapes_format="nt", experimental_index=True)

    def path(p):
        return "" if not p else _name(_term(p)) if p.startswith("<") and p.endswith(">") and " " not in p else "_"
    return report["conforms"], sorted(
        (_name(_term(r["focusNode"])), path(r.get("resultPath")), _name(_term(r.get("value"))),
         _name(_term(r.get("sourceShape"))), _name(_term(r["sourceConstraintComponent"])),
         _name(_term(r["severity"]))) for r in report["results"])


RUNNERS = {"pyshacl": run_pyshacl, "pyshacl-turbo": lambda d, s, b: run_pyshacl(d, s, b, "pyshacl_turbo"),
           "shacl": run_shacl, "shacl-rust": run_shacl_rust}


def measure(suite: Path) -> dict:
    """Per library: how many of the suite's Validate tests pass, and which fail."""
    import logging
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)  # ill-typed literals in the suite are meant
    tests = list(cases(suite))
    out: dict = {"tests": len(tests)}
    for lib, runner in RUNNERS.items():
        failed = []
        for name, data, shapes, base, expected in tests:
            try:
                got = runner(data, shapes, base)
            except Exception as exc:  # noqa: BLE001 - a library error is a failed test
                failed.append(f"{name} ({type(exc).__name__})")
                continue
            if got != expected:
                failed.append(name)
        out[lib] = {"passed": len(tests) - len(failed), "failed": failed}
    return out


def main(argv: list[str] | None = None) -> int:
    print(json.dumps(measure(Path((argv or sys.argv[1:])[0])), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
