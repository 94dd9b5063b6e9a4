"""What changed between two versions of the graph: added and removed statements, grouped by node.

A version is an RDF file, a folder (every .ttl under it), or a git revision of the project's data/ (read with
``git ls-tree`` / ``git show``, never changing the repository). Blank nodes, if any, are matched by rdflib's
canonical labelling, so a re-serialised file with the same content shows no change.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from gfmdkg.contrib.vocab import show
from gfmdkg.errors import GfmdkgError, ParseError
from gfmdkg.rdfio import format_for, parse_bytes, parse_file

GIT_TIMEOUT = 60
_REV = re.compile(r"[A-Za-z0-9_./~^@{}:+-]{1,200}")


@dataclass
class GraphDiff:
    """Statements only in OLD (removed) and only in NEW (added), as N-Triples-like strings per subject.

    ``created`` are the changed nodes with no statement about them in OLD, ``deleted`` those with none left in NEW;
    a node described on both sides is neither, however its statements changed.
    """

    removed: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    added: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    created: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)

    def status(self, node: str) -> str:
        """``new``, ``removed`` or ``changed``."""
        return "new" if node in self.created else "removed" if node in self.deleted else "changed"

    @property
    def nodes(self) -> list[str]:
        return sorted(set(self.removed) | set(self.added), key=lambda n: n.strip("<>"))

    @property
    def count(self) -> tuple[int, int]:
        return sum(map(len, self.added.values())), sum(map(len, self.removed.values()))

    def to_text(self) -> str:
        out = []
        for node in self.nodes:
            status = self.status(node)
            out.append(_show_term(node) + ("" if status == "changed" else f" ({status} node)"))
            changes = [("-", p, o) for p, o in self.removed.get(node, [])] + [("+", p, o)
                                                                               for p, o in self.added.get(node, [])]
            for sign, p, o in sorted(changes, key=lambda c: (c[1], c[0] == "+", c[2])):
                out.append(f"  {sign} {_show_term(p)} {_show_term(o)}")
        added, removed = self.count
        out.append(f"{len(self.nodes)} node{'s' * (len(self.nodes) != 1)} changed: {added} statement"
                   f"{'s' * (added != 1)} added, {removed} removed")
        return "\n".join(out) + "\n"

    def to_json(self) -> str:
        added, removed = self.count
        nodes = [{"node": n, "status": self.status(n), "added": [list(s) for s in self.added.get(n, [])],
                  "removed": [list(s) for s in self.removed.get(n, [])]} for n in self.nodes]
        return json.dumps({"added": added, "removed": removed, "nodes": nodes}, indent=2, ensure_ascii=False) + "\n"


def _show_term(t: str) -> str:
    return show(t[1:-1]) if t.startswith("<") and t.endswith(">") else t


def _triples(quads: list[ox.Quad]) -> set[tuple[str, str, str]]:
    """Triples as strings; blank nodes relabelled canonically when there are any."""
    if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads):
        import rdflib
        from rdflib.compare import to_canonical_graph

        g = rdflib.Graph()
        g.parse(data=ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                                  format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
        return {(t[0].n3(), t[1].n3(), t[2].n3()) for t in to_canonical_graph(g)}
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}


def diff(old: list[ox.Quad], new: list[ox.Quad]) -> GraphDiff:
    """The statements that differ between two versions, grouped by subject; a node is new or removed only when
    it has no statement at all on the other side."""
    a, b = _triples(old), _triples(new)
    result = GraphDiff()
    for target, triples in ((result.removed, a - b), (result.added, b - a)):
        grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for s, p, o in sorted(triples):
            grouped[s].append((p, o))
        target.update(grouped)
    old_subjects, new_subjects = {t[0] for t in a}, {t[0] for t in b}
    result.created = set(result.added) - old_subjects
    result.deleted = set(result.removed) - new_subjects
    return result


# ------------------------------------------------------------------------------------------- reading versions
def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        raise GfmdkgError("git is not installed", hint="give two files or folders instead of revisions") from None
    except subprocess.TimeoutExpired:
        raise GfmdkgError("git did not answer in time", hint="try again") from None
    if done.returncode:
        raise GfmdkgError(f"git {' '.join(args[:2])} failed: {done.stderr.decode(errors='replace').strip()}",
                          hint="check that the revision exists (git log --oneline)")
    return done.stdout


def read_revision(root: Path, rev: str, sub: str = "data") -> list[ox.Quad]:
    """Every .ttl file under ``sub`` at git revision ``rev`` (read-only git commands)."""
    if not _REV.fullmatch(rev) or rev.startswith("-"):
        raise GfmdkgError(f"'{rev}' is neither an existing file or folder nor a git revision",
                          hint="give a path, or a revision such as HEAD, HEAD~1, main or a commit id")
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    except GfmdkgError:
        raise GfmdkgError(f"'{rev}' is neither an existing file or folder nor a git revision of {root}",
                          hint="give a path, or a revision such as HEAD, HEAD~1, main or a commit id") from None
    commit = commit.decode().strip()
    names = _git(root, "ls-tree", "-r", "-z", "--name-only", commit, "--", sub).decode().split("\0")
    quads: list[ox.Quad] = []
    for name in sorted(n for n in names if n.endswith(".ttl")):
        data = _git(root, "show", f"{commit}:{name}")
        quads += parse_bytes(data, f"{rev}:{name}", format_for(name))
    return quads


def read_version(spec: str, root: Path | None) -> list[ox.Quad]:
    """Quads of a file, a folder (its .ttl files) or, when neither exists, a git revision of ``root``'s data/."""
    path = Path(spec)
    if path.is_file():
        return parse_file(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.ttl") if p.is_file() and not p.name.startswith("."))
        if not files:
            raise ParseError(spec, "the folder holds no .ttl file", hint="give a data/ folder or an RDF file")
        return [q for p in files for q in parse_file(p)]
    if root is None:
        raise GfmdkgError(f"'{spec}' is not a file or folder, and there is no project to read git revisions from",
                          hint="run inside the project, or give paths")
    return read_revision(root, spec)
