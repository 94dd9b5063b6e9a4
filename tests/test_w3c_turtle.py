"""The W3C RDF 1.1 Turtle test suite through the contribution checker's reader: every positive syntax test is
accepted, every negative one rejected naming the file and line, every evaluation test isomorphic to its result.
All files in-process (fast); a sample through the real CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from gfmdkg.contrib.pipeline import read_rdf
from gfmdkg.errors import ParseError
from tests.shared import need

SUITE = need("w3c-tests", "rdf-turtle", "manifest.ttl", module=True).parent
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
RDFT = "http://www.w3.org/ns/rdftest#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def load(suite: Path = SUITE) -> tuple[str, list[tuple[str, str, Path, Path | None]]]:
    """(assumed test base, [(test name, test type, action file, result file or None)]) in manifest order."""
    manifest = suite / "manifest.ttl"
    store = ox.Store()
    store.load(manifest.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=manifest.resolve().as_uri())
    base = next(store.quads_for_pattern(None, ox.NamedNode(MF + "assumedTestBase"), None)).object.value
    tests = []
    for q in store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), None):
        kind = q.object.value
        if not kind.startswith(RDFT + "TestTurtle"):
            continue
        node = q.subject

        def one(prop: str, node=node):
            found = list(store.quads_for_pattern(node, ox.NamedNode(MF + prop), None))
            return found[0].object.value if found else None

        action, result = one("action"), one("result")
        tests.append((node.value.rsplit("#", 1)[-1], kind[len(RDFT):], suite / action.rsplit("/", 1)[-1],
                      suite / result.rsplit("/", 1)[-1] if result else None))
    return base, sorted(tests)


BASE, TESTS = load()
POSITIVE = [t for t in TESTS if t[1] == "TestTurtlePositiveSyntax"]
NEGATIVE = [t for t in TESTS if t[1] == "TestTurtleNegativeSyntax"]
EVAL = [t for t in TESTS if t[1] == "TestTurtleEval"]


def test_manifest_counts():
    assert (len(POSITIVE), len(NEGATIVE), len(EVAL), len(TESTS)) == (74, 94, 145, 313)


@pytest.mark.parametrize("name,kind,action,result", POSITIVE, ids=[t[0] for t in POSITIVE])
def test_positive_syntax(name, kind, action, result):
    read_rdf(action, BASE + action.name)


@pytest.mark.parametrize("name,kind,action,result", NEGATIVE, ids=[t[0] for t in NEGATIVE])
def test_negative_syntax(name, kind, action, result):
    with pytest.raises(ParseError) as info:
        read_rdf(action, BASE + action.name)
    assert info.value.path == str(action)
    assert info.value.line is not None and info.value.line >= 1
    assert str(info.value).startswith(f"{action}:{info.value.line}")


def _lower_lang(t):
    """RDF 1.1: language tags compare case-insensitively (and MAY be lower-cased, as pyoxigraph does)."""
    if isinstance(t, rdflib.Literal) and t.language:
        return rdflib.Literal(str(t), lang=t.language.lower())
    return t


def _normalised(triples) -> rdflib.Graph:
    g = rdflib.Graph()
    for s, p, o in triples:
        g.add((s, p, _lower_lang(o)))
    return g


def _rdflib(quads) -> rdflib.Graph:
    from gfmdkg.store.rdflib_engine import ox_to_rdflib

    return _normalised((ox_to_rdflib(q.subject), ox_to_rdflib(q.predicate), ox_to_rdflib(q.object)) for q in quads)


@pytest.mark.parametrize("name,kind,action,result", EVAL, ids=[t[0] for t in EVAL])
def test_evaluation(name, kind, action, result):
    got = _rdflib(read_rdf(action, BASE + action.name).quads)
    expected = _normalised(rdflib.Graph().parse(data=result.read_bytes().decode("utf-8"), format="nt"))
    assert len(got) == len(expected)
    assert isomorphic(got, expected)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gfmdkg", *args], capture_output=True, text=True, timeout=120)


def test_cli_sample_syntax_only():
    good = [t[2] for t in POSITIVE[:3]] + [t[2] for t in EVAL[:3]]
    done = _cli("check", "--syntax-only", "--base", BASE, *map(str, good))
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("syntax OK") == 6
    for action in [t[2] for t in NEGATIVE[:4]]:
        done = _cli("check", "--syntax-only", "--base", BASE, str(action))
        assert done.returncode == 2
        assert done.stderr.startswith(f"gfmdkg: error: {action}:")
        assert "Traceback" not in done.stderr


def test_cli_full_check_of_a_data_only_file(project):
    """Without --syntax-only a test file is checked as data: no practice in it, nothing to object to."""
    action = SUITE / "turtle-syntax-uri-01.ttl"
    done = _cli("--project", str(project.root), "check", "--base", BASE, str(action))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[0] == f"{action}: OK"
