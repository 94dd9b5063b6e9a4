"""``check`` end to end: read the files, convert, run the checks and the SHACL shapes with the graph, and collect
the problems per record. Nothing is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from gfmdkg.contrib import checks, provenance, values
from gfmdkg.contrib.convert import COUNTRY_NS, Converter, slugify
from gfmdkg.contrib.deprecated import replace_deprecated
from gfmdkg.contrib.model import ERROR, WARNING, Problem
from gfmdkg.contrib.readers import read_template, template_kind
from gfmdkg.contrib.unit import Unit
from gfmdkg.contrib.vocab import RDF_TYPE, local_name
from gfmdkg.contrib.vocab import show as shorten
from gfmdkg.namespaces import DEF, GRAPH, PREFIXES
from gfmdkg.project import Project
from gfmdkg.errors import GfmdkgError, ParseError
from gfmdkg.rdfio import parse_file

MAX_RDF_BYTES = 16 * 1024 * 1024
MAX_CONTRIBUTION_TRIPLES = 5_000  # about 150 practices; pySHACL time grows with the contribution
PAGE_START = PREFIXES["bibo"] + "pageStart"
SPREADSHEETS = {".xlsx", ".xls", ".ods", ".numbers", ".tsv", ".txt"}


@dataclass
class CheckResult:
    """Every unit checked, and whether the check was syntax only."""

    units: list[Unit] = field(default_factory=list)
    syntax_only: bool = False
    shapes_checked: bool = False
    contributors: list[str] = field(default_factory=list)  # as recorded, one per unit with contributed nodes

    @property
    def problems(self) -> list[Problem]:
        return [p for u in self.units for p in u.problems]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def exit_code(self) -> int:
        """As ``gfmdkg validate``: 0 passes (warnings allowed), 1 errors. Parse errors raise (exit 2)."""
        return 1 if self.errors else 0

    @property
    def quads(self) -> list[ox.Quad]:
        return [q for u in self.units for q in u.quads]


def read_rdf(path: Path, base_iri: str | None = None) -> Unit:
    """An RDF file (Turtle, JSON-LD, N-Triples, ...) as one unit; relative IRIs resolve against ``base_iri`` and
    without one are an error naming the line (never resolved against the contributor's own path)."""
    if path.suffix.lower() in (".jsonld", ".json"):  # before the parser, which fails on one huge string
        from gfmdkg.contrib.jsonld_guard import longest_string
        from gfmdkg.contrib.values import MAX_LITERAL_CHARS
        from gfmdkg.rdfio import read_bytes

        length, line = longest_string(read_bytes(path, MAX_RDF_BYTES))
        if length > MAX_LITERAL_CHARS:
            raise ParseError(str(path), f"a string of {length:,} characters, over the limit of "
                             f"{MAX_LITERAL_CHARS:,} for one value", line=line,
                             hint="shorten it (a description is two to four sentences; at most 4000 characters)")
    try:
        quads = parse_file(path, base_iri=base_iri, max_bytes=MAX_RDF_BYTES)
    except ParseError as exc:
        if base_iri is None and "No scheme found" in exc.detail:
            raise ParseError(exc.path, "a relative IRI: a contribution must use full IRIs"
                             + (f" ({exc.detail.split(': ', 1)[-1]})" if ": " in exc.detail else ""),
                             line=exc.line, column=exc.column,
                             hint="write the full IRI (https://...), or give --base IRI to resolve relative IRIs "
                             "against it") from None
        raise
    practices = sorted(q.subject.value for q in quads if q.predicate.value == RDF_TYPE
                       and q.object.value == DEF + "Practice" and isinstance(q.subject, ox.NamedNode))
    slug = local_name(practices[0]) if practices else slugify(path.stem, 12) or "contribution"
    unit = Unit(source=str(path), kind="rdf", slug=slug, quads=[ox.Quad(q.subject, q.predicate, q.object)
                                                               for q in quads])
    replace_deprecated(unit)
    if path.suffix.lower() in (".jsonld", ".json"):
        from gfmdkg.contrib.jsonld_guard import check_jsonld

        unit.problems += check_jsonld(path.read_bytes(), base_given=base_iri is not None)
        if not unit.quads and unit.errors:  # everything was dropped: say why rather than "no statements"
            first = unit.errors[0]
            raise ParseError(str(path), first.message, line=first.line, hint=first.hint)
    return unit


def read_units(paths: list[Path], base_iri: str | None = None) -> list[tuple[Path, list]]:
    """Parse every file (raising ParseError, exit 2, on the first unreadable one): records or an RDF unit each."""
    out = []
    for path in paths:
        if path.suffix.lower() in SPREADSHEETS:
            raise ParseError(str(path), "a spreadsheet file cannot be read directly",
                             hint="save it as 'CSV UTF-8 (comma delimited)' (.csv) and check that file")
        if template_kind(path):
            out.append((path, read_template(path)))
        else:
            out.append((path, [read_rdf(path, base_iri)]))
    return out


def check(project: Project | None, paths: list[Path], *, syntax_only: bool = False, shapes: bool = True,
          base_iri: str | None = None, contributor: str | None = None) -> CheckResult:
    """Check contribution files with the project's graph (not needed for ``syntax_only``), each unit with the
    provenance ``add`` will record (``contributor``, else the template's contact; the current time).

    Raises ParseError (exit 2) for unreadable files; every other problem is in the result.
    """
    parsed = read_units(paths, base_iri)
    for _path, items in parsed:
        for item in items:
            if isinstance(item, Unit) and not syntax_only:
                _check_size(item)
    if syntax_only:
        units = [u if isinstance(u, Unit) else Unit(source=str(p), kind=u.kind, slug="", quads=[], record=u)
                 for p, items in parsed for u in items]
        return CheckResult(units=units, syntax_only=True)
    from gfmdkg.contrib import graphview
    from gfmdkg.store import open_engine

    store = open_engine(project).store
    vocab = graphview.StoreVocabulary(store)
    converter = Converter(vocab)
    units: list[Unit] = []
    for path, items in parsed:
        for item in items:
            if isinstance(item, Unit):
                units.append(item)
                continue
            conv = converter.convert(item)
            units.append(Unit(source=str(path), kind=item.kind, slug=local_name(conv.iri) if conv.iri else "",
                              quads=conv.quads, problems=list(conv.problems), record=item, converted=conv,
                              iri=conv.iri))
    total = sum(len(u.quads) for u in units)
    if total > MAX_CONTRIBUTION_TRIPLES:
        raise GfmdkgError(f"the contribution makes {total} statements, over the limit of {MAX_CONTRIBUTION_TRIPLES} "
                          "for one check", hint="split it into smaller files (about 150 practices each) and check "
                          "them one after the other")
    graphview.mark_existing(vocab, store, sorted(set().union(*(u.nodes for u in units))))
    checks.check_clashes(units, vocab, lambda g: g[len(GRAPH):] + ".ttl" if g.startswith(GRAPH) else "")
    how = provenance.Stamp(contributor, provenance.now())
    contributors = []
    for unit in units:  # after the clash check: an existing node is reported, not stamped
        if unit.kind == "rdf":
            provenance.refuse_reserved(unit)
        name = provenance.stamp(unit, how, existing=vocab.known)
        if name:
            contributors.append(name)
    checks.check_references(units, vocab)
    contributed = {iri: tc for u in units for iri, tc in checks.practice_titles(u.quads).items()}
    checks.check_duplicates(units, graphview.candidate_practices(store, contributed))
    checks.check_sources(units)
    checks.check_blank_nodes(units)
    values.check_values(units)
    result = CheckResult(units=units, contributors=contributors)
    if shapes:
        run_shapes(project, result, store)
    return result


def _check_size(unit: Unit) -> None:
    """A contribution states something, and not more than a contribution should."""
    if not unit.quads:
        raise ParseError(unit.source, "the file holds no statements: nothing to check or add",
                         hint="check that it is the right file (use --syntax-only to only check that it is "
                         "well-formed)")
    if len(unit.quads) > MAX_CONTRIBUTION_TRIPLES:
        raise ParseError(unit.source, f"the file holds {len(unit.quads)} statements, over the limit of "
                         f"{MAX_CONTRIBUTION_TRIPLES} for one contribution", hint="split it into several files")


def _property_named_in(message: str) -> str | None:
    """For a node-level shape result (no sh:resultPath): the first template property its message names."""
    from gfmdkg.contrib.convert import PROPERTY_FIELDS
    from gfmdkg.namespaces import shorten as prefixed

    found = [(message.find(prefixed(p)), p) for p in PROPERTY_FIELDS if prefixed(p) in message]
    return min(found)[1] if found else None


def country_stubs(units: list[Unit]) -> list[ox.Quad]:
    """Placeholder country nodes, for validation only, for real countries that `gfmdkg add` will generate."""
    out = []
    for unit in units:
        if unit.converted is None:
            continue
        for code, name in unit.converted.missing_countries.items():
            node = ox.NamedNode(COUNTRY_NS + code)
            out += [ox.Quad(node, ox.NamedNode(RDF_TYPE), ox.NamedNode("https://schema.org/Country")),
                    ox.Quad(node, ox.NamedNode(PREFIXES["rdfs"] + "label"), ox.Literal(name, language="en")),
                    ox.Quad(node, ox.NamedNode(PREFIXES["skos"] + "notation"), ox.Literal(code))]
    return out


def run_shapes(project: Project, result: CheckResult, store: ox.Store) -> None:
    """The SHACL shapes and QC queries over the contribution and its neighbourhood in the graph (``store``, the
    project's index); results about contributed nodes go to their unit."""
    try:
        from gfmdkg.validation.neighbourhood import validate_neighbourhood
    except ImportError:  # pragma: no cover - the validation package ships with gfmdkg
        return
    extra = []
    for n, unit in enumerate(result.units):
        g = ox.NamedNode(f"{GRAPH}contribution/{n}")
        extra += [ox.Quad(q.subject, q.predicate, q.object, g) for q in unit.quads]
    extra += country_stubs(result.units)
    report = validate_neighbourhood(project, store, extra)
    result.shapes_checked = True
    owner = {node: unit for unit in result.units for node in unit.nodes}
    seen: set[tuple] = set()
    for r in report.results:
        unit = owner.get(r.focus)
        if unit is None or (r.path == PAGE_START and "#source" in r.focus):  # a web page has no page number
            continue
        if (r.source_shape or "").startswith("qc:") and any(  # QC queries mostly repeat the checks above
                p.severity == ERROR and p.node in (r.focus, None) for p in unit.problems):
            continue
        name = unit.field_for(r.focus, r.path or _property_named_in(r.message))
        if unit.has_problem(r.focus, name) or (unit.kind != "rdf" and unit.has_problem(None, name)):
            continue
        severity = ERROR if r.severity == "Violation" else WARNING
        key = (id(unit), r.focus, name, r.message)
        if key in seen:
            continue
        seen.add(key)
        if unit.kind == "rdf":
            hint = "fix the value of " + (shorten(r.path) if r.path else "the node") + f" on {shorten(r.focus)}"
            line = unit.line_for(r.focus)
        else:
            hint = f"fix '{name}'" if name else "fix the record"
            line = unit.record.lines.get(name or "", unit.record.line) if unit.record else None
        unit.problems.append(Problem(
            severity=severity, message=r.message, hint=hint, field=name,
            value=shorten(r.value) if r.value and r.value.startswith("http") else r.value,
            node=r.focus, line=line, check="shapes"))
