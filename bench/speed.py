"""gfmdkg beside the engines it is built on (issue 15): SHACL libraries, pyoxigraph's own query and CSV time, cold
start against a raw pyoxigraph script, first pages of list queries.

``python -m bench.speed --sizes 1000 10000`` measures, on the benchmark's catalogues (generated when missing):

- SHACL: ``shacl``, ``shacl-rust`` (indexed), ``pyshacl-turbo`` (rdflib Graph and pyoxigraph Store inputs) and
  pySHACL side by side, each in its own forked child (time from the loaded store, peak memory), and whether each
  one's top-level results equal pySHACL's (focus node, path, value, source shape, component, severity, message;
  blank-node ids aside) and find every planted defect; ``gfmdkg validate`` as a process against the ``shacl``
  library called directly on the same triples (one N-Triples file, its own reader);
- every saved query in memory through gfmdkg (guard, worker, CSV written by pyoxigraph in the worker) against
  pyoxigraph's own time for the same text (query + CSV) in the same process;
- ``gfmdkg query NAME -f csv`` as a process against a raw pyoxigraph script writing CSV from the same on-disk index,
  runs interleaved; cold start on the shipped graph the same way;
- with ``--first-page``, the first page (``--limit 50``) of every list query on the on-disk index (the CLI path).

Every ratio is measured in the same run, on a machine shared with others: read the ratios, not the absolute times.
Repeated timings are summarised by their minimum (the run least disturbed by other work; medians are kept too).
Results go to ``bench/speed.json`` and to the "At the engine's speed" section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

from bench.generator import REPO, copy_curated, generate
from bench.run import in_child, machine, project_of, run_cli, saved_queries

HERE = Path(__file__).resolve().parent
LIBRARIES = ("shacl", "shacl-rust", "pyshacl-turbo (rdflib Graph)", "pyshacl-turbo (Store)")
RAW = HERE / "raw_query.py"
BNODE = "_:"


# --------------------------------------------------------------------------- SHACL
def _store(project) -> ox.Store:
    from gfmdkg.store.loading import load_into
    store = ox.Store()
    load_into(store, project)
    return store


def _norm(key: tuple) -> tuple:
    """A result key with blank-node ids (each engine names them its own way) as ``_:``."""
    import re
    return tuple(BNODE if i in (0, 2) and v and re.fullmatch(r"[0-9a-f]{16,32}|\d+_b\w+|b\w{1,40}", v) else v
                 for i, v in enumerate(key))


def _top_level(report_graph, shapes) -> Counter:
    from gfmdkg.validation.run import report_results
    return Counter(_norm(r.full_key()) for r in report_results(report_graph, shapes))


def shacl_run(project, lib: str) -> dict:
    """One library on the project's graph (loaded into a store first, not timed): seconds, results (top level)."""
    from gfmdkg.validation.run import shapes_graph
    store = _store(project)
    shapes_text = project.shapes_file.read_text(encoding="utf-8")
    t = time.perf_counter()
    if lib == "shacl":
        from gfmdkg.validation.library import validate_store
        keys = Counter(_norm(r.full_key()) for r in validate_store(store, shapes_text)[0])
    elif lib == "shacl-rust":
        import rdflib
        import shacl_rust

        from gfmdkg.store.rdflib_engine import rdflib_graph
        from gfmdkg.validation.library import _plain
        from gfmdkg.validation.run import _parent_shape
        # the shapes as N-Triples with our blank-node labels, so that its sourceShape can be named by its parent
        parsed = list(ox.parse(shapes_text.encode(), format=ox.RdfFormat.TURTLE))
        shapes = rdflib_graph(parsed)
        messages = {str(o) for o in shapes.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#message"))}
        data = ox.serialize(store, format=ox.RdfFormat.N_QUADS).decode()
        report = shacl_rust.validate(data, ox.serialize(parsed, format=ox.RdfFormat.N_TRIPLES).decode(),
                                     data_format="nq", shapes_format="nt", experimental_index=True)
        keys = Counter()
        for r in report["results"]:
            value = r.get("value")
            plain = None if value is None else _plain(value) if value.startswith(("<", "_:")) else \
                next(ox.parse(f"<s:s> <p:p> {value} .".encode(), format=ox.RdfFormat.N_TRIPLES)).object.value
            shape = r.get("sourceShape", "")
            node = rdflib.URIRef(shape[1:-1]) if shape.startswith("<") else rdflib.BNode(shape[2:])
            named = _parent_shape(shapes, node)
            path = r.get("resultPath")
            own = sorted(m for m in r.get("messages") or [] if m in messages)
            keys[_norm((_plain(r["focusNode"]), _plain(path) if path and path.startswith("<") else None, plain,
                        str(named) if isinstance(named, rdflib.URIRef) else None,
                        _plain(r["sourceConstraintComponent"]).rsplit("#", 1)[-1],
                        _plain(r["severity"]).rsplit("#", 1)[-1], own[0] if own else None))] += 1
    elif lib.startswith("pyshacl-turbo"):
        import pyshacl_turbo

        from gfmdkg.store.rdflib_engine import rdflib_graph
        shapes = shapes_graph(project)
        data = store if lib.endswith("(Store)") else rdflib_graph(iter(store))
        _, report, _ = pyshacl_turbo.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True,
                                              do_owl_imports=False)
        keys = _top_level(report, shapes)
    else:
        from gfmdkg.validation.run import shacl_results
        from gfmdkg.store.rdflib_engine import rdflib_graph
        keys = Counter(_norm(r.full_key()) for r in shacl_results(rdflib_graph(iter(store)), shapes_graph(project))[0])
    return {"seconds": time.perf_counter() - t, "keys": sorted(keys.elements())}


def library_direct(project, nt: Path) -> float:
    """The ``shacl`` library alone: compile the shapes, read the triples (one N-Triples file), validate."""
    import shacl
    t = time.perf_counter()
    shacl.Shapes.from_file(str(project.shapes_file)).validate_file(str(nt), allow_warnings=True)
    return time.perf_counter() - t


def measure_shacl(n: int, work: Path, args, env: dict) -> dict:
    project = project_of(work)
    planted = {d["node"] for d in json.loads((work / "bench-manifest.json").read_text())["defects"]}
    libs = [lib for lib in LIBRARIES if lib in args.libs]
    if n <= args.pyshacl_max:
        libs.append("pySHACL")
    out: dict = {"libraries": {}}
    runs: dict[str, Counter] = {}
    for lib in libs:
        log(f"[{n}] SHACL: {lib}")
        value, peak = in_child(lambda lib=lib: shacl_run(project, lib), timeout=args.timeout)
        if isinstance(value, Exception):
            out["libraries"][lib] = {"error": str(value)[:200], "peak_mb": peak}
            continue
        runs[lib] = Counter(tuple(k) for k in value["keys"])
        found = {k[0].split("#")[0] for k in runs[lib] if k[5] == "Violation"}
        out["libraries"][lib] = {"seconds": value["seconds"], "peak_mb": peak, "results": sum(runs[lib].values()),
                                 "planted found": f"{len(planted & found)}/{len(planted)}"}
    reference = "pySHACL" if "pySHACL" in runs else "shacl"
    out["reference"] = reference
    for lib, keys in runs.items():
        if lib != reference and reference in runs:
            ref = runs[reference]
            out["libraries"][lib]["identical to " + reference] = keys == ref
            out["libraries"][lib]["differences"] = f"{sum((ref - keys).values())} only in {reference}, " \
                f"{sum((keys - ref).values())} only here"
    with tempfile.TemporaryDirectory() as tmp:
        nt = Path(tmp) / "data.nt"
        nt.write_bytes(ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in _store(project)],
                                    format=ox.RdfFormat.N_TRIPLES))
        direct = [in_child(lambda: library_direct(project, nt))[0] for _ in range(args.runs)]
    cli = [run_cli(["--project", str(work), "validate", "-f", "json"], env, args.timeout) for _ in range(args.runs)]
    no_qc = [run_cli(["--project", str(work), "validate", "--no-qc", "-f", "json"], env, args.timeout)
             for _ in range(args.runs)]
    out["shacl library directly"] = median(direct)
    out["gfmdkg validate"] = {"seconds": median([r[0] for r in cli]), "exit": cli[0][1],
                              "peak_mb": max(r[2] for r in cli), "err": cli[0][3][-200:] if cli[0][1] > 1 else ""}
    out["gfmdkg validate --no-qc"] = {"seconds": median([r[0] for r in no_qc]), "exit": no_qc[0][1]}
    return out


# --------------------------------------------------------------------------- queries
def query_ratios(project, repeat: int) -> dict:
    """Each saved query in memory: gfmdkg (guard, worker, CSV by pyoxigraph) against pyoxigraph's own query+CSV."""
    from gfmdkg.sparql.guard import query_form
    from gfmdkg.store.oxigraph_engine import OxigraphEngine
    from gfmdkg.store.values import inject_values
    store = _store(project)
    engine = OxigraphEngine(store)
    out = {}
    for label, text, bindings in saved_queries(project):
        sparql = inject_values(text, bindings)
        select = query_form(sparql) == "SELECT"

        def ours(text=text, bindings=bindings, select=select):  # what `gfmdkg query -f csv` asks of the engine
            if select:
                return engine.serialized(text, bindings, fmt="csv", timeout=600)
            return engine.query(text, bindings, timeout=600)

        def own(sparql=sparql, select=select):  # pyoxigraph alone: the query and its serialisation
            answer = store.query(sparql, use_default_graph_as_union=True)
            return answer.serialize(format=ox.QueryResultsFormat.CSV) if select else \
                ox.serialize(answer, format=ox.RdfFormat.N_TRIPLES)
        ours()  # warm: the guard's verdict, the worker
        t_own, t_ours = [], []
        for _ in range(repeat):
            t = time.perf_counter()
            direct = own()
            t_own.append(time.perf_counter() - t)
            t = time.perf_counter()
            data = ours()
            t_ours.append(time.perf_counter() - t)
        out[label] = {"pyoxigraph": min(t_own), "gfmdkg": min(t_ours), "pyoxigraph median": median(t_own),
                      "gfmdkg median": median(t_ours), "form": "SELECT" if select else "graph",
                      "rows": direct.count(b"\n"), "same bytes": data == direct if select else None}
    return out


def _index(work: Path, env: dict) -> Path:
    """The on-disk index of the project (built by a first ``gfmdkg query``)."""
    subprocess.run([sys.executable, "-m", "gfmdkg", "--project", str(work), "query", "bibliography", "-f", "csv"],
                   env=env, stdout=subprocess.DEVNULL, check=True)
    fingerprint = subprocess.run([sys.executable, "-c", "import sys; from gfmdkg.project import Project; "
                                  "print(Project(__import__('pathlib').Path(sys.argv[1])).fingerprint()[:32])",
                                  str(work)], env=env, capture_output=True, text=True, check=True).stdout.strip()
    return Path(env["GFMDKG_CACHE"]) / fingerprint


def interleaved(a: list[str], b: list[str], env: dict, runs: int) -> tuple[list[float], list[float]]:
    """Wall times of two commands run alternately (so that load on the machine hits both alike)."""
    ta, tb = [], []
    for _ in range(runs):
        for cmd, times in ((a, ta), (b, tb)):
            t = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - t)
    return ta, tb


def cli_against_raw(work: Path, name: str, env: dict, runs: int, extra: list[str] | None = None) -> dict:
    """``gfmdkg query NAME -f csv`` against the raw script on the same index and query text (processes)."""
    from gfmdkg.sparql.catalogue import resolve
    index = _index(work, env)
    with tempfile.NamedTemporaryFile("w", suffix=".rq", delete=False) as f:
        f.write(resolve(name, project_of(work).query_files()).text)
    try:
        ours, raw = interleaved([sys.executable, "-m", "gfmdkg", "--project", str(work), "query", name, "-f", "csv",
                                 "--timeout", "600", *(extra or [])],
                                [sys.executable, str(RAW), str(index), f.name], env, runs)
    finally:
        os.unlink(f.name)
    return {"gfmdkg": min(ours), "raw pyoxigraph script": min(raw), "ratio": min(ours) / min(raw),
            "gfmdkg median": median(ours), "raw median": median(raw), "median ratio": median(ours) / median(raw)}


def first_pages(work: Path, env: dict) -> dict:
    """``gfmdkg query NAME --limit 50`` on the on-disk index for every saved query without a required parameter."""
    from gfmdkg.sparql.catalogue import load_catalogue
    _index(work, env)
    out = {}
    for name, q in sorted(load_catalogue([p for p in project_of(work).query_files()
                                          if p.parent.name != "qc"]).items()):
        if any(p.required for p in q.params) or q.form != "SELECT":
            continue
        wall, code, _, err = run_cli(["--project", str(work), "query", name, "-f", "csv", "--limit", "50",
                                      "--timeout", "120"], env, 150)
        out[name] = {"seconds": wall, "exit": code, "err": err.strip()[-200:] if code else ""}
    return out


# --------------------------------------------------------------------------- driver
def median(xs: list[float]) -> float | None:
    xs = [x for x in xs if isinstance(x, (int, float))]
    return statistics.median(xs) if xs else None


def log(msg: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {msg}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "gfmdkg-bench")
    ap.add_argument("--runs", type=int, default=5, help="runs per process measurement (interleaved)")
    ap.add_argument("--repeat", type=int, default=5, help="runs per in-process query measurement")
    ap.add_argument("--pyshacl-max", type=int, default=10000)
    ap.add_argument("--libs", nargs="+", default=list(LIBRARIES), choices=LIBRARIES,
                    help="the libraries measured beside pySHACL")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--skip", nargs="*", default=[], choices=["shacl", "queries", "cli", "cold"])
    ap.add_argument("--first-page", action="store_true", help="first pages of list queries (meant for 100k)")
    ap.add_argument("--w3c", type=Path, default=None,
                    help="the W3C SHACL Core test folder (data-shapes-test-suite/tests/core): check each library's "
                    "conformance claim")
    ap.add_argument("--out", type=Path, default=HERE / "speed.json")
    ap.add_argument("--results-md", type=Path, default=HERE / "RESULTS.md", help="the report whose section to rewrite")
    args = ap.parse_args(argv)
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    results["machine"] = machine()
    results["machine"]["load average at start"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    import importlib.metadata as md
    for pkg in ("shacl", "shacl-rust", "pyshacl-turbo"):
        try:
            results["machine"]["versions"][pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            results["machine"]["versions"][pkg] = "not installed"
    if args.w3c:
        from bench.shacl_conformance import measure
        log("W3C SHACL Core tests")
        # in a child: a Rust library's thread pool, once started, does not survive the forks of later phases
        results["w3c"] = in_child(lambda: measure(args.w3c))[0]
    for n in args.sizes:
        work = args.workdir / f"n{n}"
        if not (work / "bench-manifest.json").exists():
            log(f"[{n}] generating")
            generate(n, work)
        else:
            copy_curated(work)
        env = dict(os.environ, GFMDKG_CACHE=str(args.workdir / f"cache-n{n}"))
        res = results.setdefault(str(n), {})
        res["load average"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
        if "shacl" not in args.skip:
            res["shacl"] = measure_shacl(n, work, args, env)
            args.out.write_text(json.dumps(results, indent=1, default=str) + "\n")
        if "queries" not in args.skip:
            log(f"[{n}] saved queries in memory")
            res["queries"], res["queries peak_mb"] = in_child(lambda work=work: query_ratios(project_of(work),
                                                                                          args.repeat))
            args.out.write_text(json.dumps(results, indent=1, default=str) + "\n")
        if "cli" not in args.skip:
            log(f"[{n}] query -f csv against the raw script")
            res["cli csv"] = cli_against_raw(work, "practices-by-organisation", env, args.runs)
        if args.first_page:
            log(f"[{n}] first pages")
            res["first pages"] = first_pages(work, env)
        args.out.write_text(json.dumps(results, indent=1, default=str) + "\n")
    if "cold" not in args.skip:
        log("cold start (shipped graph)")
        env = dict(os.environ, GFMDKG_CACHE=str(args.workdir / "cache-shipped"))
        results["cold"] = {name: cli_against_raw(REPO, name, env, max(args.runs, 10))
                           for name in ("bibliography", "practices-by-recommendation")}
    args.out.write_text(json.dumps(results, indent=1, default=str) + "\n")
    from bench.speed_report import update_results_md
    update_results_md(args.results_md, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
