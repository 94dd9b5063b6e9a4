"""``gfmdkg diff``: a node is "new" or "removed" only when the other side has no statement about it at all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

A, B, C, D = (f"<https://e.org/{n}>" for n in "abcd")
P, Q = "<https://e.org/p>", "<https://e.org/q>"

OLD = f"""{A} {P} "kept" .
{B} {P} "only old" .
{C} {P} "c" .
"""
NEW = f"""{A} {P} "kept" .
{A} {Q} "gained" .
{C} {P} "c changed" .
{D} {P} "only new" .
"""
EXPECTED = [
    A, f'  + {Q} "gained"',
    f"{B} (removed node)", f'  - {P} "only old"',
    C, f'  - {P} "c"', f'  + {P} "c changed"',
    f"{D} (new node)", f'  + {P} "only new"',
    "4 nodes changed: 3 statements added, 2 removed",
]


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gfmdkg", "--project", str(cwd), *args], capture_output=True,
                          text=True, timeout=300)


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env, timeout=60)


def test_node_gaining_a_statement_is_not_new_between_files(tmp_path, repo):
    old, new = tmp_path / "a.nt", tmp_path / "b.nt"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    done = run(repo, "diff", str(old), str(new))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == EXPECTED
    reverse = run(repo, "diff", str(new), str(old)).stdout.splitlines()
    assert reverse[0] == A and f"{D} (removed node)" in reverse and f"{B} (new node)" in reverse
    statuses = {n["node"]: n["status"] for n in json.loads(run(repo, "diff", str(old), str(new), "-f", "json").stdout)
                ["nodes"]}
    assert statuses == {A: "changed", B: "removed", C: "changed", D: "new"}


def test_node_gaining_a_statement_is_not_new_between_git_revisions(tmp_path):
    """A throw-away repository: two commits of data/, compared by revision and against the working tree."""
    root = tmp_path / "proj"
    for part in ("ontology", "data", "queries"):
        (root / part).mkdir(parents=True)
    git(root, "init", "-q")
    (root / "data" / "a.ttl").write_text(OLD, encoding="utf-8")
    git(root, "add", "data")
    git(root, "commit", "-q", "-m", "one")
    # the gained statement lands in another file than the node's first one: still the same node
    (root / "data" / "a.ttl").write_text(NEW.replace(f'{A} {Q} "gained" .\n', ""), encoding="utf-8")
    (root / "data" / "b.ttl").write_text(f'{A} {Q} "gained" .\n', encoding="utf-8")
    git(root, "add", "data")
    git(root, "commit", "-q", "-m", "two")
    done = run(root, "diff", "HEAD~1", "HEAD")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == EXPECTED
    assert run(root, "diff", "HEAD~1").stdout.splitlines() == EXPECTED
