"""Heavy /sparql clients cannot starve the site: pages and ad-hoc queries have their own workers, and one client
address may have only a few /sparql requests under way (#17 item 5). A real ``gfmdkg serve`` process, 50 real
heavy clients in another process (bounded in time), and light requests timed against a generous bound."""

from __future__ import annotations

import http.client
import subprocess
import sys
import textwrap
import time
from urllib.parse import quote, urlsplit

import pytest

from tests.serve_process import ServeProcess

pytestmark = [pytest.mark.server, pytest.mark.slow]
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIGHT_BOUND = 1.0  # seconds: the bound for a light request while the heavy clients run
HEAVY_SECONDS = 12


def heavy_clients(base: str, addresses: list[str], seconds: float) -> subprocess.Popen:
    """A process running one looping client per address (a cartesian query, again as soon as answered or
    refused, never backing off), each stopping after ``seconds``; it prints how many answers of each status."""
    parts = urlsplit(base)
    script = textwrap.dedent(f"""
        import collections, http.client, sys, threading, time
        from urllib.parse import quote
        statuses = collections.Counter()
        stop = time.monotonic() + {seconds!r}
        def loop(address):
            while time.monotonic() < stop:
                conn = http.client.HTTPConnection({parts.hostname!r}, {parts.port}, timeout=30,
                                                  source_address=(address, 0))
                try:
                    conn.request("GET", "/sparql?query=" + quote({HEAVY!r}))
                    resp = conn.getresponse()
                    resp.read()
                    statuses[resp.status] += 1
                except OSError:
                    statuses["error"] += 1
                finally:
                    conn.close()
        threads = [threading.Thread(target=loop, args=(a,)) for a in {addresses!r}]
        for t in threads:
            t.start()
        print("started", flush=True)
        for t in threads:
            t.join()
        print(dict(statuses), flush=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "started"
    return proc


def timed(base: str, path: str, accept: str, address: str = "127.0.0.1") -> tuple[float, int, dict, bytes]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30, source_address=(address, 0))
    started = time.monotonic()
    try:
        conn.request("GET", path, headers={"Accept": accept})
        resp = conn.getresponse()
        body = resp.read()
        return time.monotonic() - started, resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
    finally:
        conn.close()


@pytest.fixture(scope="module")
def server(repo):
    with ServeProcess("--timeout", "5", cwd=repo) as srv:
        yield srv


def practice_pages(server, n: int) -> list[str]:
    """``n`` practice pages, none requested before (so the page cache does not answer them)."""
    import json
    query = ("SELECT ?p WHERE { ?p a <https://w3id.org/gfmdkg/def#Practice> } ORDER BY DESC(?p) LIMIT " + str(n))
    _, status, _, body = timed(server.base, "/sparql?query=" + quote(query), "application/sparql-results+json")
    assert status == 200
    iris = [b["p"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert len(iris) == n
    return ["/" + iri[len("https://w3id.org/gfmdkg/"):] for iri in iris]


def light_requests(server, pages: list[str]) -> list[tuple[str, float, int]]:
    """A light query and an uncached page, in turn, a few times while the heavy clients run."""
    out = []
    for page in pages:
        took, status, _, _ = timed(server.base, "/sparql?query=" + quote("ASK { ?s ?p ?o }"),
                                   "application/sparql-results+json")
        out.append(("ASK", took, status))
        took, status, _, _ = timed(server.base, page, "text/html")
        out.append((page, took, status))
        time.sleep(0.5)
    return out


def test_fifty_heavy_clients_from_one_address_starve_nothing(server):
    pages = practice_pages(server, 6)
    heavy = heavy_clients(server.base, ["127.0.0.2"] * 50, HEAVY_SECONDS)
    try:
        time.sleep(1.5)  # let them fill what they can
        light = light_requests(server, pages[:5])
        # the flooding address itself is told at once to wait, and pages still answer it
        took, status, headers, body = timed(server.base, "/sparql?query=" + quote("ASK {}"),
                                            "application/sparql-results+json", "127.0.0.2")
        assert status == 429 and took < LIGHT_BOUND and headers["retry-after"] == "1", body
        assert b"already has 2 queries under way" in body
        took, status, _, _ = timed(server.base, pages[5], "text/html", "127.0.0.2")
        assert status == 200 and took < LIGHT_BOUND
    finally:
        counts = heavy.communicate(timeout=HEAVY_SECONDS + 40)[0]
    assert [r for r in light if r[2] != 200 or r[1] >= LIGHT_BOUND] == [], light
    assert "503" in counts and "429" in counts, counts  # the heavy queries really ran (and were stopped)


def test_pages_answer_while_fifty_addresses_fill_the_query_workers(server):
    """Many addresses can fill every /sparql worker (they then wait or get 503); the pages have their own."""
    pages = practice_pages(server, 16)[10:]
    heavy = heavy_clients(server.base, [f"127.0.1.{i}" for i in range(1, 51)], HEAVY_SECONDS)
    try:
        time.sleep(1.5)
        slow = []
        for page in pages:
            took, status, _, _ = timed(server.base, page, "text/html")
            if status != 200 or took >= LIGHT_BOUND:
                slow.append((page, took, status))
            time.sleep(0.5)
    finally:
        counts = heavy.communicate(timeout=HEAVY_SECONDS + 40)[0]
    assert slow == []
    assert "503" in counts, counts
