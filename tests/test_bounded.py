"""The bounded child processes: a one-shot child per piece of work, and a worker reused across requests."""

from __future__ import annotations

import os
import time

import pytest

from gfmdkg.bounded import Worker, address_space, run_bounded
from gfmdkg.errors import GfmdkgError, QueryTimeout, QueryTooLarge


def handler(request: bytes) -> bytes:
    """pid:<n> answers with the child's pid; sleep:<s> sleeps; big:<n> answers n bytes; eat:<MB> allocates."""
    verb, _, arg = request.decode().partition(":")
    if verb == "pid":
        return str(os.getpid()).encode()
    if verb == "sleep":
        time.sleep(float(arg))
        return b"slept"
    if verb == "big":
        return b"x" * int(arg)
    if verb == "eat":
        return bytes(int(arg) * 2**20)[:1]
    raise GfmdkgError(f"unknown request {verb!r}", hint="say pid, sleep, big or eat")


@pytest.fixture
def worker():
    w = Worker(handler, memory=address_space() + 300 * 2**20)
    yield w
    w.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_worker_is_a_child_reused_across_requests(worker):
    first = int(worker.call(b"pid"))
    assert first != os.getpid()
    assert [int(worker.call(b"pid")) for _ in range(5)] == [first] * 5


def test_worker_killed_on_timeout_and_replaced(worker):
    first = int(worker.call(b"pid"))
    t = time.monotonic()
    with pytest.raises(QueryTimeout, match="time limit of 0.3 s"):
        worker.call(b"sleep:30", timeout=0.3)
    assert time.monotonic() - t < 5
    assert not _alive(first)
    second = int(worker.call(b"pid"))
    assert second != first and _alive(second)


def test_worker_size_limit_then_recovers(worker):
    with pytest.raises(QueryTooLarge, match="larger than the limit of 1000 bytes"):
        worker.call(b"big:5000", max_bytes=1000)
    assert worker.call(b"big:10", max_bytes=1000) == b"x" * 10
    # a result larger than a pipe's buffer arrives whole
    assert len(worker.call(b"big:3000000")) == 3_000_000


def test_worker_memory_cap_then_recovers(worker):
    first = int(worker.call(b"pid"))
    with pytest.raises(QueryTooLarge, match="more memory than its limit"):
        worker.call(b"eat:2000")
    assert worker.call(b"eat:10") == b"\x00"
    assert int(worker.call(b"pid")) != first


def test_worker_passes_errors_through_and_stays(worker):
    first = int(worker.call(b"pid"))
    with pytest.raises(GfmdkgError, match="unknown request 'nope'") as info:
        worker.call(b"nope")
    assert info.value.hint == "say pid, sleep, big or eat"
    assert int(worker.call(b"pid")) == first


def test_worker_close_stops_the_child(worker):
    pid = int(worker.call(b"pid"))
    worker.close()
    assert not _alive(pid)
    assert int(worker.call(b"pid")) != pid


def test_run_bounded_one_shot():
    assert run_bounded(lambda: b"done") == b"done"
    with pytest.raises(QueryTimeout):
        run_bounded(lambda: time.sleep(30) or b"", timeout=0.3)
    with pytest.raises(QueryTooLarge):
        run_bounded(lambda: b"x" * 5000, max_bytes=1000)


def test_engine_answers_after_a_stopped_query(project):
    from gfmdkg.store import open_engine
    engine = open_engine(project, memory=True)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    n = int(engine.query(count).rows[0]["n"]["value"])
    assert n == len(engine)  # no duplicate triples across graphs in the shipped data
    with pytest.raises(QueryTimeout):
        engine.query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=0.3)
    assert int(engine.query(count).rows[0]["n"]["value"]) == n


def test_works_when_the_process_holds_more_than_1024_descriptors():
    """select() fails past descriptor 1023 ('filedescriptor out of range'); a long test run or server holds more."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip(f"the hard limit on open files is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    held = []
    try:
        while not held or held[-1] < 1050:
            held.append(os.dup(0))
        assert run_bounded(lambda: b"answer") == b"answer"
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
