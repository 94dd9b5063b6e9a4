"""Load on ``gfmdkg serve`` beside ``oxigraph serve-read-only`` on the same data, in one run.

``python -m bench.serve_load PROJECT [--clients 8] [--seconds 8] [--json OUT]`` builds (or reuses) gfmdkg's on-disk
index of PROJECT (a catalogue from ``bench.generator``), serves that very index with ``oxigraph serve-read-only
--union-default-graph`` and the project with ``gfmdkg serve``, both on 127.0.0.1, and measures with ``--clients``
client processes (each from its own loopback address, 127.0.0.2, 127.0.0.3, ...; keep-alive where the server
allows it), each stopping after ``--seconds`` or ``--max-requests``:

- ``/sparql``: one practice's title by IRI (a different practice each request), on both servers;
- uncached practice pages: ``/id/practice/...``, every practice requested once (so no page cache hit).

With ``--asgi``, the same ``/sparql`` work also on Starlette and Uvicorn (:mod:`bench.asgi_sparql`), to see how
much of the time is Python's ``http.server``. Prints throughput and latency percentiles per run and the verdict for
each target of issue #15.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

TITLE = "SELECT ?title WHERE {{ <{iri}> <http://purl.org/dc/terms/title> ?title }}"
GFMD = "https://w3id.org/gfmdkg/"
TARGETS = {"sparql_ratio": 0.5, "sparql_p99_ms": 20.0, "pages_per_s": 500.0}


def _client(job: tuple[str, int, list[str], float, int, str, bool]) -> list[tuple[float, int | str]]:
    """One client: GET each path in turn (from the start again when ``cycle``) until the deadline or the count;
    (seconds, status) per request."""
    import itertools
    base, index, paths, seconds, max_requests, accept, cycle = job
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30,
                                      source_address=(f"127.0.0.{2 + index}", 0))
    out: list[tuple[float, int]] = []
    deadline = time.monotonic() + seconds
    conn_used = shown = False
    for path in itertools.islice(itertools.cycle(paths) if cycle else paths, max_requests):
        if time.monotonic() >= deadline:
            break
        started = time.monotonic()
        for attempt in (1, 2):  # a kept-alive connection the server has closed meanwhile: once more, on a new one
            try:
                conn.request("GET", path, headers={"Accept": accept})
                resp = conn.getresponse()
                body = resp.read()
                status = resp.status
                if status != 200 and not shown:
                    shown = True
                    print(f"{base}: {status} {body[:300]!r}", file=sys.stderr)
                if resp.will_close:
                    conn.close()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                conn.close()
                status = type(exc).__name__
                if attempt == 2 or not conn_used:
                    break
            except OSError as exc:
                conn.close()
                status = type(exc).__name__
                break
        conn_used = status == 200
        out.append((time.monotonic() - started, status))
    conn.close()
    return out


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by process ``pid`` and its live children (a server's workers)."""
    tick = os.sysconf("SC_CLK_TCK")

    def stat(p: int) -> list[str]:
        with open(f"/proc/{p}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = stat(int(entry))
        except OSError:
            continue
        if int(entry) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def load(base: str, paths: list[str], *, clients: int, seconds: float, max_requests: int, accept: str,
         cycle: bool = True, pid: int | None = None) -> dict:
    """Run ``clients`` processes over their share of ``paths`` (each path once unless ``cycle``); throughput,
    latency percentiles, errors, and (given the server's ``pid``) the server's CPU time per request."""
    shares = [paths[i::clients] for i in range(clients)]
    jobs = [(base, i, shares[i], seconds, max_requests, accept, cycle) for i in range(clients)]
    with multiprocessing.get_context("spawn").Pool(clients) as pool:
        started = time.monotonic()
        cpu_before = cpu_seconds(pid) if pid else 0.0
        results = pool.map(_client, jobs)
        cpu = cpu_seconds(pid) - cpu_before if pid else None
        elapsed = time.monotonic() - started
    times = sorted(t for r in results for t, s in r if s == 200)  # answers; errors are counted apart
    errors = collections.Counter(str(s) for r in results for _, s in r if s != 200)
    n = len(times)

    def pct(p: float) -> float:
        return round(times[min(n - 1, int(p * n))] * 1000, 2) if n else float("nan")
    busy = max((sum(t for t, _ in r) for r in results), default=elapsed)  # the clients' own measuring window
    return {"requests": n, "errors": dict(errors), "per_s": round(n / busy if busy else 0, 1),
            "p50_ms": pct(0.50), "p90_ms": pct(0.90), "p99_ms": pct(0.99), "clients": clients,
            "server_cpu_ms_per_request": round(cpu / n * 1000, 3) if cpu is not None and n else None}


def practice_iris(project: Path) -> tuple[list[str], Path]:
    """Every practice IRI, and the folder of gfmdkg's on-disk index of ``project`` (built if needed)."""
    from gfmdkg.project import Project
    from gfmdkg.store.oxigraph_engine import OxigraphEngine
    from gfmdkg.store.stamps import cache_root

    proj = Project(project)
    engine = OxigraphEngine.from_project(proj, progress=False)
    rows = engine.store.query("SELECT ?p WHERE { ?p a <https://w3id.org/gfmdkg/def#Practice> }",
                              use_default_graph_as_union=True)
    iris = sorted(r["p"].value for r in rows)
    location = cache_root() / proj.fingerprint()[:32]
    del engine
    return iris, location


def start_asgi(project: Path) -> tuple[subprocess.Popen, str]:
    from tests.servers import free_port, wait_http
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bench.asgi_sparql", str(project), str(port)])
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/sparql?query=ASK%7B%7D", timeout=120)
    return proc, base


class Oxigraph:
    """``oxigraph serve-read-only`` over an existing store folder, on a free loopback port."""

    def __init__(self, location: Path) -> None:
        from tests.servers import free_port, wait_http
        exe = shutil.which("oxigraph")
        if exe is None:
            raise SystemExit("the oxigraph server is not installed: pip install 'oxigraph==0.5.13'")
        self.base = f"http://127.0.0.1:{free_port()}"
        self.proc = subprocess.Popen([exe, "serve-read-only", "--location", str(location), "--bind",
                                      self.base[len("http://"):], "--union-default-graph", "--timeout-s", "10"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_http(self.base + "/query?query=ASK%7B%7D")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def measure(project: Path, *, clients: int, seconds: float, max_requests: int, serve_args: list[str],
            asgi: bool = False) -> dict:
    from tests.serve_process import ServeProcess

    iris, location = practice_iris(project)
    rng = random.Random(15)
    queries = [quote(TITLE.format(iri=iri)) for iri in rng.sample(iris, len(iris))]
    pages = [iri[len(GFMD) - 1:] for iri in rng.sample(iris, len(iris)) if iri.startswith(GFMD)]
    results: dict = {"practices": len(iris), "clients": clients, "seconds": seconds, "cpus": os.cpu_count(),
                     "load_average": os.getloadavg()[0], "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    json_results = "application/sparql-results+json"
    oxigraph = Oxigraph(location)
    server = ServeProcess("--access-log", os.devnull, *serve_args, env={"GFMDKG_PROJECT": str(project)}).start(120)
    stack, stack_base = start_asgi(project) if asgi else (None, None)
    targets = [(oxigraph.base, "/query?query="), (server.base, "/sparql?query=")]
    try:
        for base, prefix in targets + ([(stack_base, "/sparql?query=")] if stack else []):  # warm them all
            load(base, [prefix + q for q in queries[:200]], clients=clients, seconds=5, max_requests=50,
                 accept=json_results)
        # the same query list for both (practice titles not seen in the warm-up), the engine first
        sample = queries[200:]
        results["oxigraph_sparql"] = load(oxigraph.base, ["/query?query=" + q for q in sample], clients=clients,
                                          seconds=seconds, max_requests=max_requests, accept=json_results,
                                          pid=oxigraph.proc.pid)
        results["gfmdkg_sparql"] = load(server.base, ["/sparql?query=" + q for q in sample], clients=clients,
                                        seconds=seconds, max_requests=max_requests, accept=json_results,
                                        pid=server.proc.pid)
        if stack:
            results["asgi_sparql"] = load(stack_base, ["/sparql?query=" + q for q in sample], clients=clients,
                                          seconds=seconds, max_requests=max_requests, accept=json_results,
                                          pid=stack.pid)
        results["gfmdkg_pages"] = load(server.base, pages, clients=clients, seconds=seconds,
                                       max_requests=max_requests, accept="text/html", cycle=False,
                                       pid=server.proc.pid)
    finally:
        server.stop()
        oxigraph.stop()
        if stack:
            stack.terminate()
            stack.wait(timeout=20)
    results["verdict"] = verdict(results)
    return results


def verdict(r: dict) -> dict:
    ratio = r["gfmdkg_sparql"]["per_s"] / r["oxigraph_sparql"]["per_s"] if r["oxigraph_sparql"]["per_s"] else 0
    return {
        "sparql_ratio": {"value": round(ratio, 3), "target": f">= {TARGETS['sparql_ratio']}",
                         "met": ratio >= TARGETS["sparql_ratio"]},
        "sparql_p99_ms": {"value": r["gfmdkg_sparql"]["p99_ms"], "target": f"<= {TARGETS['sparql_p99_ms']}",
                          "met": r["gfmdkg_sparql"]["p99_ms"] <= TARGETS["sparql_p99_ms"]},
        "pages_per_s": {"value": r["gfmdkg_pages"]["per_s"], "target": f">= {TARGETS['pages_per_s']}",
                        "met": r["gfmdkg_pages"]["per_s"] >= TARGETS["pages_per_s"]},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("project", type=Path, help="a catalogue from bench.generator")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=8.0, help="each client stops after this long")
    ap.add_argument("--max-requests", type=int, default=1500,
                    help="... or after this many requests (Oxigraph 0.5.13's server failed after about 16,000 "
                         "requests in a few seconds: 500 'os error 11', then refused connections)")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--asgi", action="store_true", help="also /sparql on Starlette and Uvicorn (bench.asgi_sparql)")
    ap.add_argument("serve_args", nargs="*", help="extra arguments for gfmdkg serve (after --)")
    args = ap.parse_args(argv)
    results = measure(args.project, clients=args.clients, seconds=args.seconds, max_requests=args.max_requests,
                      serve_args=args.serve_args, asgi=args.asgi)
    for name in ("oxigraph_sparql", "gfmdkg_sparql", "asgi_sparql", "gfmdkg_pages"):
        if name not in results:
            continue
        r = results[name]
        print(f"{name:16} {r['per_s']:8.1f} req/s  p50 {r['p50_ms']:7.2f} ms  p90 {r['p90_ms']:7.2f} ms  "
              f"p99 {r['p99_ms']:7.2f} ms  server CPU {r['server_cpu_ms_per_request']} ms/request  "
              f"{r['requests']} requests, errors: {r['errors'] or 'none'}")
    for name, v in results["verdict"].items():
        print(f"{name:16} {v['value']} (target {v['target']}): {'met' if v['met'] else 'NOT met'}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
