"""The gfmdkg benchmark: synthetic catalogues of N practices, timed against the naive baseline in the same run.

``python -m bench.run --sizes 1000 10000`` generates (or reuses) ``$TMPDIR/gfmdkg-bench/nN`` for each size,
measures, and writes ``bench/RESULTS.md`` (and ``bench/results.json``). Every figure is a median of repeated runs;
each heavy phase runs in its own forked child so that its peak memory (``wait4`` rusage) is its own. The baseline is
what a newcomer would write: an rdflib Dataset parsed file by file, rdflib's SPARQL engine, pySHACL, rdflib's
serializers. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from bench.generator import REPO, copy_curated, generate

HERE = Path(__file__).resolve().parent
SYNTAXES = ("nt", "nq", "turtle", "trig", "jsonld", "xml")
RDFLIB_SYNTAX = {"nt": "nt", "nq": "nquads", "turtle": "turtle", "trig": "trig", "jsonld": "json-ld", "xml": "xml"}


# --------------------------------------------------------------------------- measuring
def in_child(fn: Callable[[], object], timeout: float | None = None) -> tuple[object, float]:
    """Run ``fn()`` in a forked child; return (its pickled result, the child's peak RSS in MB).

    The result is ``TimeoutError`` when the child runs longer than ``timeout`` (it is killed)."""
    rfd, wfd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        try:
            try:
                payload = pickle.dumps(("ok", fn()))
            except BaseException as exc:  # noqa: BLE001 - report any failure to the parent
                payload = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"))
            with os.fdopen(wfd, "wb") as out:
                out.write(payload)
        finally:
            os._exit(0)
    os.close(wfd)
    chunks, deadline = [], None if timeout is None else time.monotonic() + timeout
    import select
    timed_out = False
    while True:
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            timed_out = True
            os.kill(pid, 9)
            break
        ready, _, _ = select.select([rfd], [], [], left)
        if ready:
            chunk = os.read(rfd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    os.close(rfd)
    _, _, usage = os.wait4(pid, 0)
    peak = usage.ru_maxrss / 1024
    if timed_out:
        return TimeoutError(f"> {timeout:g} s"), peak
    status, value = pickle.loads(b"".join(chunks))  # noqa: S301 - our own child
    return (RuntimeError(value) if status == "error" else value), peak


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t = time.perf_counter()
    value = fn()
    return time.perf_counter() - t, value


def median(xs: list[float]) -> float | None:
    return statistics.median(xs) if xs else None


def run_cli(args: list[str], env: dict[str, str], timeout: float | None = None) -> tuple[float, int, float, str]:
    """Run ``gfmdkg ARGS`` as a fresh process: (wall seconds, exit code, its peak RSS in MB, stderr tail).

    Past ``timeout`` the process is killed and the exit code is -9."""
    cmd = [sys.executable, "-m", "gfmdkg", *args]
    with tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG if timeout else 0)
            if pid:
                break
            if time.perf_counter() - t > timeout:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read().decode(errors="replace")[-300:]
    return wall, proc.returncode, usage.ru_maxrss / 1024, tail


def cli_entry(runs: list[tuple[float, int, float, str]], timeout: float | None = None) -> dict:
    """Median wall time of CLI runs, their exit code and error (or that they ran out of time)."""
    if runs[0][1] == -9 and timeout:
        return {"timeout": timeout, "exit": -9}
    return {"median": median([r[0] for r in runs]), "exit": runs[0][1],
            "err": runs[0][3].strip() if runs[0][1] not in (0, 1) else ""}


# --------------------------------------------------------------------------- the phases
def project_of(path: Path):
    from gfmdkg.project import Project
    return Project(path)


def cold_cases(project) -> list[tuple[str, dict[str, str]]]:
    """(name, parameters) per saved query: none, or its example's when it needs one (synthetic nodes swapped in)."""
    from bench.answers import example_params
    from gfmdkg.sparql.catalogue import load_catalogue
    out = []
    for name, q in sorted(load_catalogue([p for p in project.query_files() if p.parent.name != "qc"]).items()):
        needs = any(p.required for p in q.params)
        out.append((name, example_params(q.example, project.root != REPO) if needs else {}))
    return out


def saved_queries(project) -> list[tuple[str, str, dict]]:
    """(label, text, bindings) for each saved query (qc/ checks left out): with default parameters, and with the
    parameters of its example (example nodes replaced by nodes of the synthetic catalogue)."""
    from bench.answers import example_params
    from gfmdkg.errors import GfmdkgError
    from gfmdkg.sparql.catalogue import load_catalogue
    out = []
    for name, q in sorted(load_catalogue([p for p in project.query_files() if p.parent.name != "qc"]).items()):
        try:
            out.append((name, q.text, q.bindings({})))
        except GfmdkgError:
            pass
        example = example_params(q.example, project.root != REPO)
        if example:
            try:
                out.append((f"{name} ({' '.join(f'{k}={v}' for k, v in example.items())})", q.text,
                            q.bindings(example)))
            except GfmdkgError:
                pass
    return out


def load_reference(project, on_disk: bool) -> float:
    """pyoxigraph's own bulk load of every file into its named graph (in memory, or on disk + flush)."""
    with tempfile.TemporaryDirectory() as tmp:
        def work() -> None:
            store = ox.Store(tmp) if on_disk else ox.Store()
            for path in project.graph_files():
                store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE,
                                to_graph=ox.NamedNode(project.graph_iri(path)))
            if on_disk:
                store.flush()
        return timed(work)[0]


def rdflib_dataset(project):
    """The newcomer's load: an rdflib Dataset, each file parsed into its named graph."""
    import rdflib
    ds = rdflib.Dataset(default_union=True)
    for path in project.graph_files():
        ds.graph(rdflib.URIRef(project.graph_iri(path))).parse(str(path), format="turtle")
    return ds


def gfmdkg_index(project, cache: Path) -> float:
    """Build gfmdkg's on-disk index from Turtle into an empty cache folder."""
    os.environ["GFMDKG_CACHE"] = str(cache)
    from gfmdkg.store.oxigraph_engine import OxigraphEngine
    return timed(lambda: OxigraphEngine.from_project(project))[0]


def answer_digest(label: str, text: str, result) -> str:
    """A digest of the answer, with what SPARQL leaves open made definite (bench/answers.py)."""
    import hashlib

    from bench.answers import OPEN_COLUMNS, comparable
    canon = comparable(result, text, OPEN_COLUMNS.get(label.split(" (")[0], set()))
    return hashlib.sha256(json.dumps(canon).encode()).hexdigest()[:12]


def query_times(engine_factory, queries, repeat: int, timeout: float) -> dict:
    """Open the engine once, then per query: median seconds of ``repeat`` runs, rows, canonical-answer digest."""
    t_open, engine = timed(engine_factory)
    out = {"open": t_open, "queries": {}}
    for label, text, bindings in queries:
        times, rows, digest = [], None, None
        for _ in range(repeat):
            try:
                dt, res = timed(lambda text=text, bindings=bindings: engine.query(text, bindings, timeout=timeout))
            except Exception as exc:  # noqa: BLE001 - recorded as the query's outcome
                out["queries"][label] = {"error": str(exc)[:200]}
                break
            times.append(dt)
            rows = len(res.rows) if res.form == "SELECT" else len(res.triples)
            digest = answer_digest(label, text, res)
        else:
            out["queries"][label] = {"median": median(times), "rows": rows, "answer": digest}
    return out


def baseline_query_times(project, queries, repeat: int, timeout: float, with_answers: bool,
                         skip: dict[str, float] | None = None) -> dict:
    """rdflib: load once, then per query ``list(ds.query(...))`` under a deadline (a killed child past it).

    Queries in ``skip`` (label -> seconds) ran past that deadline at a smaller size: recorded as at least that long.
    A query that takes over 5 s is not repeated."""

    from gfmdkg.bounded import run_bounded
    from gfmdkg.errors import QueryTimeout
    from gfmdkg.store.rdflib_engine import RdflibEngine
    from gfmdkg.store.values import inject_values
    t_load, ds = timed(lambda: rdflib_dataset(project))
    engine = RdflibEngine(ds)
    out = {"open": t_load, "queries": {}}
    for label, text, bindings in queries:
        bound = inject_values(text, bindings)
        times: list[float] = []
        entry: dict = {"timeout": skip[label], "skipped": True} if skip and label in skip else {}
        for _ in range(0 if entry else repeat):
            if times and times[-1] > 5:
                break
            def work(bound=bound) -> bytes:
                t = time.perf_counter()
                list(ds.query(bound))
                return str(time.perf_counter() - t).encode()
            try:
                times.append(float(run_bounded(work, timeout=timeout, memory=None)))
            except QueryTimeout:
                entry = {"timeout": timeout}
                break
            except Exception as exc:  # noqa: BLE001
                entry = {"error": str(exc)[:200]}
                break
        if not entry:
            entry = {"median": median(times)}
            if with_answers:
                res = engine.query(text, bindings, timeout=timeout * 2)
                entry["answer"] = answer_digest(label, text, res)
        out["queries"][label] = entry
    return out


def pyshacl_validate(project) -> dict:
    """The newcomer's validation: every graph file into one rdflib Graph, the shapes into another, pySHACL."""
    import pyshacl
    import rdflib
    t0 = time.perf_counter()
    data = rdflib.Graph()
    for path in project.graph_files():
        data.parse(str(path), format="turtle")
    shapes = rdflib.Graph().parse(str(project.shapes_file), format="turtle")
    t1 = time.perf_counter()
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    t2 = time.perf_counter()
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    results = list(report.subjects(rdflib.RDF.type, sh.ValidationResult))
    violations = {str(report.value(r, sh.focusNode)) for r in results
                  if report.value(r, sh.resultSeverity) == sh.Violation}
    return {"parse": t1 - t0, "validate": t2 - t1, "total": t2 - t0, "results": len(results),
            "violating_nodes": sorted(violations), "same as native": same_as_native(project, report, shapes)}


def same_as_native(project, report, shapes) -> str:
    """Whether gfmdkg's native SHACL engine gives the same multiset of results as pySHACL's ``report`` (focus node,
    path, value, source shape, constraint component, severity, message)."""
    from collections import Counter

    from gfmdkg.store.loading import load_into
    from gfmdkg.validation.run import report_results, shacl_on_store
    store = ox.Store()
    load_into(store, project)
    native = Counter(r.full_key() for r in shacl_on_store(project, store)[0])
    reference = Counter(r.full_key() for r in report_results(report, shapes))
    if native == reference:
        return f"yes ({sum(native.values())} results)"
    return (f"NO: {sum((reference - native).values())} only in pySHACL, {sum((native - reference).values())} only "
            f"in native (of {sum(reference.values())})")


def rdflib_export(project, syntaxes: list[str]) -> dict:
    """rdflib's serializers: datasets (nq, trig) from the Dataset, the others from the union graph."""
    import rdflib
    ds = rdflib_dataset(project)
    union = rdflib.Graph()
    for triple in ds.triples((None, None, None)):
        union.add(triple)
    return {s: timed(lambda s=s: (ds if s in ("nq", "trig") else union).serialize(format=RDFLIB_SYNTAX[s],
                                                                                  encoding="utf-8"))[0]
            for s in syntaxes}


def one_practice(path: Path) -> Path:
    """A one-practice contribution file (valid), for ``gfmdkg check``."""
    from bench.generator import HEADER
    path.write_text(HEADER + """practice:contributed-1 a gfmd:Practice ;
    dcterms:title "Contributed Diaspora Health Scheme"@en ;
    rdfs:label "Contributed Diaspora Health Scheme"@en ;
    dcterms:description "A contributed practice used by the benchmark to time the check of one contribution."@en ;
    dcterms:spatial country:GHA ;
    gfmd:partner orgid:org-1 ;
    gfmd:thematicArea ta:diasporas ;
    gfmd:supports rec:bp-diaspora-participation ;
    gfmd:qualifiedSupport practice:contributed-1\\#supports-bp-diaspora-participation ;
    prov:wasDerivedFrom bp:p10 .
practice:contributed-1\\#supports-bp-diaspora-participation a gfmd:SupportLink ;
    gfmd:target rec:bp-diaspora-participation ;
    gfmd:rationale "Benchmark contribution: diaspora health professionals return on assignments."@en ;
    gfmd:basis basis:stated-by-contributor .
""", encoding="utf-8")
    return path


def has_command(name: str) -> bool:
    import importlib.util

    from gfmdkg.cli import COMMANDS
    return name in COMMANDS and importlib.util.find_spec(f"gfmdkg.commands.{COMMANDS[name]}") is not None


def heavy_imports(args: list[str], env: dict[str, str]) -> dict:
    """Modules imported by ``gfmdkg ARGS`` (python -X importtime): the heavy ones, and the total import time."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "gfmdkg", *args], env=env,
                          capture_output=True, text=True)
    mods, total = set(), 0
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            mods.add(m.group(4).split(".")[0])
            if not m.group(3).replace(" ", "", 1):
                total += int(m.group(2))
    heavy = sorted(mods & {"rdflib", "pyshacl", "owlrl", "SPARQLWrapper", "jinja2", "pyld", "requests", "yaml"})
    return {"heavy": heavy, "import_ms": total / 1000}


def cold_queries(project_dir: Path, runs: int, env: dict[str, str]) -> dict:
    """Wall time of fresh ``gfmdkg query NAME`` processes (index already built): median over ``runs``; queries
    that need a parameter get their example's."""
    out = {}
    for name, bindings in cold_cases(project_of(project_dir)):
        times = []
        for _ in range(runs):
            params = [a for k, v in bindings.items() for a in ("-p", f"{k}={v}")]
            wall, code, _, err = run_cli(["--project", str(project_dir), "query", name, *params, "-f", "csv"], env)
            if code != 0:
                out[name] = {"error": err.strip()}
                break
            times.append(wall)
        else:
            out[name] = {"median": median(times), "runs": runs}
    return out


# --------------------------------------------------------------------------- one size
def measure_size(n: int, args) -> dict:
    work = args.workdir / f"n{n}"
    manifest_path = work / "bench-manifest.json"
    if not (manifest_path.exists() and json.loads(manifest_path.read_text()).get("practices") == n) or args.regenerate:
        log(f"[{n}] generating")
        generate(n, work)
    else:
        copy_curated(work)
    project = project_of(work)
    big = n >= 50_000
    rep = 1 if big else min(args.repeat, 3)  # whole-process phases: at most 3 runs
    brep = 1 if big else max(1, min(args.repeat, 3))
    env = dict(os.environ, GFMDKG_CACHE=str(args.workdir / f"cache-n{n}"))
    res: dict = {"n": n, "manifest": json.loads(manifest_path.read_text()),
                 "load_average_at_start": " ".join(f"{x:.1f}" for x in os.getloadavg())}
    res["defects"] = len(res["manifest"].pop("defects"))
    res["files"] = len(project.graph_files())
    res["bytes"] = sum(p.stat().st_size for p in project.graph_files())

    peaks: dict[str, float] = {}
    if "load" not in args.skip:
        measure_load(n, project, args, res, peaks, rep)
    res["triples"] = in_child(lambda: len(_memory_engine(project)))[0]

    # the shared index that the engine and CLI runs below use
    os.environ["GFMDKG_CACHE"] = env["GFMDKG_CACHE"]
    res["first open (builds the index)"], peaks["load: first gfmdkg open"] = in_child(
        lambda: timed(lambda: _disk_engine(project))[0])
    res["fingerprint"] = in_child(lambda: timed(lambda: project_of(work).fingerprint())[0])[0]

    queries = saved_queries(project)
    if "queries" not in args.skip:
        log(f"[{n}] queries ({len(queries)}) on gfmdkg")
        res["queries_index"], peaks["queries: gfmdkg index"] = in_child(
            lambda: query_times(lambda: _disk_engine(project), queries, args.repeat, args.timeout))
        res["queries_memory"], peaks["queries: gfmdkg in memory"] = in_child(
            lambda: query_times(lambda: _memory_engine(project), queries, args.repeat, args.timeout))
    if n <= args.baseline_max and "baseline" not in args.skip:
        log(f"[{n}] baseline load + queries (rdflib)")
        res["queries_rdflib"], peaks["load + queries: rdflib"] = in_child(
            lambda: baseline_query_times(project, queries, brep, args.baseline_timeout, with_answers=n <= 10_000,
                                         skip=args.too_slow))
        if isinstance(res["queries_rdflib"], dict):  # what ran out of time here is not tried at larger sizes
            args.too_slow.update({k: e["timeout"] for k, e in res["queries_rdflib"]["queries"].items()
                                  if isinstance(e, dict) and "timeout" in e})
        loads_rdflib = [res["queries_rdflib"]["open"]] if isinstance(res["queries_rdflib"], dict) else []
        for _ in range(brep - 1):
            loads_rdflib.append(in_child(lambda: timed(lambda: rdflib_dataset(project))[0])[0])
        res.setdefault("load", {})["rdflib Dataset"] = median(loads_rdflib)
    if "validate" not in args.skip:
        log(f"[{n}] validate")
        res["validate"] = {}
    if has_command("validate") and "validate" not in args.skip:
        runs = [run_cli(["--project", str(work), "validate", "-f", "json"], env, args.phase_timeout)]
        runs += [run_cli(["--project", str(work), "validate", "-f", "json"], env, args.phase_timeout)
                 for _ in range(rep - 1) if runs[0][0] < 30]
        res["validate"]["gfmdkg validate"] = cli_entry(runs, args.phase_timeout)
        peaks["gfmdkg validate (process)"] = max(r[2] for r in runs)
    if n <= min(args.baseline_max, args.pyshacl_max) and "validate" not in args.skip:
        res["validate"]["pySHACL"], peaks["pySHACL"] = in_child(lambda: pyshacl_validate(project),
                                                                timeout=args.phase_timeout)
        if isinstance(res["validate"]["pySHACL"], TimeoutError):
            res["validate"]["pySHACL"] = {"timeout": args.phase_timeout}
        elif isinstance(res["validate"]["pySHACL"], dict):
            found = set(res["validate"]["pySHACL"].pop("violating_nodes"))
            planted = {d["node"] for d in json.loads(manifest_path.read_text())["defects"]}
            res["validate"]["pySHACL"]["planted defects found"] = f"{len(planted & found)}/{len(planted)}"
            res["validate"]["pySHACL"]["violating nodes"] = len(found)

    for name, argv in (("gapmap", ["gapmap"]), ("check", ["check", str(one_practice(work / "contribution.ttl"))])):
        if has_command(name) and name not in args.skip:
            log(f"[{n}] {name}")
            runs = [run_cli(["--project", str(work), *argv], env, args.phase_timeout)]
            runs += [run_cli(["--project", str(work), *argv], env, args.phase_timeout)
                     for _ in range(rep - 1) if runs[0][0] < 30]
            peaks[f"gfmdkg {name} (process)"] = max(r[2] for r in runs)
            res[name] = cli_entry(runs, args.phase_timeout)

    if "export" not in args.skip:
        log(f"[{n}] export")
        res["export"] = {}
        export_peak = 0.0
        with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
            for s in args.syntaxes:
                runs = [run_cli(["--project", str(work), "export", "-f", s, "-o", f"{tmp}/out.{s}"], env,
                                args.phase_timeout) for _ in range(rep)]
                res["export"][s] = {"gfmdkg": median([r[0] for r in runs]),
                                    "bytes": Path(f"{tmp}/out.{s}").stat().st_size if runs[0][1] == 0 else None,
                                    "err": runs[0][3].strip() if runs[0][1] else ""}
                export_peak = max([export_peak] + [r[2] for r in runs])
            # the first export after every file changed: no per-file export cache (nor index: export needs none)
            first = run_cli(["--project", str(work), "export", "-f", "nt", "-o", f"{tmp}/first.nt"],
                            dict(env, GFMDKG_CACHE=tempfile.mkdtemp(dir=tmp)), args.phase_timeout)
            res["export"]["nt, empty cache"] = {
                "gfmdkg": first[0], "bytes": Path(f"{tmp}/first.nt").stat().st_size if first[1] == 0 else None,
                "err": first[3].strip()[:200] if first[1] else ""}
            export_peak = max(export_peak, first[2])
        peaks["gfmdkg export (process)"] = export_peak
        if n <= args.baseline_max:
            syn = [s for s in args.syntaxes if s in ("nt", "nq")] if big else list(args.syntaxes)
            value, peaks["rdflib export"] = in_child(lambda: rdflib_export(project, syn), timeout=args.phase_timeout)
            if isinstance(value, dict):
                for s, t in value.items():
                    res["export"][s]["rdflib"] = t
    if "cold" not in args.skip:
        log(f"[{n}] cold queries")
        res["cold"] = cold_queries(work, args.cold_runs_bench, env)
    res["peaks_mb"] = peaks
    return res


def measure_load(n: int, project, args, res: dict, peaks: dict, rep: int) -> None:
    """Load from Turtle: pyoxigraph's own bulk loads (reference), gfmdkg's index build and in-memory load."""
    log(f"[{n}] load")
    loads: dict[str, list] = {"pyoxigraph in memory": [], "pyoxigraph on disk": [], "gfmdkg index": [],
                              "gfmdkg in memory": []}
    for i in range(rep):
        for key, fn in (("pyoxigraph in memory", lambda: load_reference(project, False)),
                        ("pyoxigraph on disk", lambda: load_reference(project, True)),
                        ("gfmdkg index", lambda i=i: gfmdkg_index(project, Path(tempfile.mkdtemp(
                            prefix=f"idx{i}-", dir=args.workdir)))),
                        ("gfmdkg in memory", lambda: timed(lambda: _memory_engine(project))[0])):
            value, peak = in_child(fn)
            loads[key].append(value)
            peaks[f"load: {key}"] = max(peaks.get(f"load: {key}", 0), peak)
    for d in args.workdir.glob("idx*-*"):
        import shutil
        shutil.rmtree(d, ignore_errors=True)
    res["load"] = {k: median([v for v in vs if isinstance(v, float)]) for k, vs in loads.items()}


def _disk_engine(project):
    from gfmdkg.store.oxigraph_engine import OxigraphEngine
    return OxigraphEngine.from_project(project)


def _memory_engine(project):
    from gfmdkg.store.oxigraph_engine import OxigraphEngine
    return OxigraphEngine.from_project(project, memory=True)


def log(msg: str) -> None:
    print(f"{datetime.now():%H:%M:%S} {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- machine and report
def machine() -> dict:
    import importlib.metadata as md
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
        mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")) / 2**20
    except (OSError, StopIteration):
        mem = 0.0
    versions = {}
    for pkg in ("gfmdkg", "pyoxigraph", "rdflib", "pyshacl", "click"):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            versions[pkg] = "-"
    return {"nproc": os.cpu_count(), "memory_gb": round(mem, 1), "cpu": cpu, "python": platform.python_version(),
            "load_average": " ".join(f"{x:.1f}" for x in os.getloadavg()),
            "platform": platform.platform(), "versions": versions,
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def shipped(args) -> dict:
    """Cold ``gfmdkg query`` on the shipped graph (the repository's project), and what it imports."""
    env = dict(os.environ, GFMDKG_CACHE=str(args.workdir / "cache-shipped"))
    project = project_of(REPO)
    name = cold_cases(project)[0][0]
    run_cli(["--project", str(REPO), "query", name, "-f", "csv"], env)  # builds the index once
    log(f"[shipped] cold queries ({len(cold_cases(project))} x {args.cold_runs})")
    out = {"cold": cold_queries(REPO, args.cold_runs, env)}
    out["imports"] = heavy_imports(["--project", str(REPO), "query", name, "-f", "csv"], env)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000],
                    help="catalogue sizes (none: only the cold queries on the shipped graph)")
    ap.add_argument("--repeat", type=int, default=5, help="runs per measurement (1 at 100k and above)")
    ap.add_argument("--cold-runs", type=int, default=10, help="cold process runs per query on the shipped graph")
    ap.add_argument("--cold-runs-bench", type=int, default=3, help="cold process runs per query on catalogues")
    ap.add_argument("--timeout", type=float, default=120.0, help="gfmdkg query time limit (s)")
    ap.add_argument("--baseline-timeout", type=float, default=120.0, help="rdflib query time limit (s)")
    ap.add_argument("--baseline-max", type=int, default=100_000, help="largest size the baseline runs at")
    ap.add_argument("--pyshacl-max", type=int, default=10_000,
                    help="largest size pySHACL runs at (at 100k it needs tens of minutes and over 10 GB)")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "gfmdkg-bench",
                    help="where catalogues, indexes and exports go (large at 100k)")
    ap.add_argument("--results", type=Path, default=HERE / "results.json",
                    help="results by size, merged with earlier runs of other sizes")
    ap.add_argument("--report", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument("--no-shipped", action="store_true", help="skip the cold queries on the shipped graph")
    ap.add_argument("--phase-timeout", type=float, default=600.0,
                    help="time limit (s) of one validation, check, gap map or export run")
    ap.add_argument("--syntaxes", nargs="+", choices=SYNTAXES, default=list(SYNTAXES), help="export syntaxes")
    ap.add_argument("--skip", nargs="+", default=[],
                    choices=["load", "queries", "baseline", "validate", "check", "gapmap", "export", "cold"],
                    help="phases to leave out (a size's earlier results for them are kept)")
    ap.add_argument("--regenerate", action="store_true")
    args = ap.parse_args(argv)
    args.too_slow = {}
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = json.loads(args.results.read_text()) if args.results.exists() else {"sizes": {}}
    results["machine"] = machine()
    if not args.no_shipped:
        results["shipped"] = shipped(args)
    for n in args.sizes:
        old = results["sizes"].get(str(n), {})
        new = measure_size(n, args)  # phases measured now replace those of earlier runs; skipped ones stay
        new["peaks_mb"] = {**old.get("peaks_mb", {}), **new.get("peaks_mb", {})}
        if "load" in new and "load" in old:
            new["load"] = {**old["load"], **new["load"]}
        results["sizes"][str(n)] = {**old, **new}
        args.results.write_text(json.dumps(results, indent=1, default=str))
    args.results.write_text(json.dumps(results, indent=1, default=str))
    from bench.report import write_report
    notes = HERE / "RESULTS-notes.md"  # the hand-written reading of the figures, kept under the targets table
    args.report.write_text(write_report(results, notes.read_text(encoding="utf-8") if notes.exists() else ""),
                           encoding="utf-8")
    log(f"wrote {args.report} and {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
