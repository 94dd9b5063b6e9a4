"""Property-based and fuzz tests of the importers: any bytes give records or a located ParseError, never a crash;
any text typed into the template converts to terms that serialise and read back identically."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gfmdkg.contrib.convert import Converter, parse_amount, slugify
from gfmdkg.contrib.fields import FIELDS
from gfmdkg.contrib.model import Record
from gfmdkg.contrib.readers import read_csv, read_yaml
from gfmdkg.contrib.style import serialize
from gfmdkg.contrib.vocab import Vocabulary
from gfmdkg.errors import ParseError
from gfmdkg.rdfio import parse_bytes
from gfmdkg.store.loading import project_quads

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
HEADER = "title,summary,countries,source\n"


@FAST
@given(st.binary(max_size=2000))
def test_csv_reader_never_crashes(data):
    try:
        records = read_csv("f.csv", data)
    except ParseError as exc:
        assert exc.path == "f.csv" and exc.hint
    else:
        assert all(r.kind == "csv" and r.row >= 2 for r in records)


@FAST
@given(st.text(max_size=400))
def test_csv_rows_of_any_text_never_crash(text):
    try:
        read_csv("f.csv", (HEADER + text).encode("utf-8"))
    except ParseError as exc:
        assert exc.path == "f.csv"


@FAST
@given(st.binary(max_size=2000) | st.text(max_size=500).map(lambda t: t.encode("utf-8")))
def test_yaml_reader_never_crashes(data):
    try:
        records = read_yaml("f.yaml", data)
    except ParseError as exc:
        assert exc.path == "f.yaml" and exc.hint
    else:
        assert all(r.kind == "yaml" for r in records)


@FAST
@given(st.binary(max_size=1000))
@pytest.mark.parametrize("fmt", [ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML,
                                 ox.RdfFormat.N_TRIPLES])
def test_rdf_reader_never_crashes(fmt, data):
    try:
        parse_bytes(data, "f", fmt, base_iri="http://example.org/")
    except ParseError as exc:
        assert exc.path == "f"


_VOCAB: list[Vocabulary] = []


def vocab(project) -> Vocabulary:
    if not _VOCAB:
        _VOCAB.append(Vocabulary(project_quads(project)))
    return _VOCAB[0]


NAMES = [f.name for f in FIELDS]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(NAMES), st.text(min_size=1, max_size=80), max_size=8),
       st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60))
def test_converted_records_serialise_and_read_back(project, values, title):
    values["title"] = title
    conv = Converter(vocab(project)).convert(Record(file="f.csv", kind="csv", row=2, line=2, values=values))
    for p in conv.problems:
        assert p.message and p.severity in ("error", "warning")
    if conv.iri is None:
        return
    text = serialize(conv.quads, conv.iri)
    assert set(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)) == set(conv.quads)


@FAST
@given(st.text(max_size=60))
def test_slugs_are_valid_iri_local_names(title):
    slug = slugify(title)
    assert slug == "" or all(part.isalnum() and part.isascii() for part in slug.split("-"))


@FAST
@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False),
       st.sampled_from(["EUR", "USD", "GBP", "CHF"]))
def test_amounts_round_trip(amount, currency):
    value, code = parse_amount(f"{amount} {currency}")
    assert code == currency and float(value) == float(amount)


def test_csv_written_by_the_csv_module_reads_back():
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["title", "summary", "countries", "source"])
    w.writerow(['A "quoted", title', "line one\nline two", "Ghana", "bp:p10"])
    (r,) = read_csv("f.csv", out.getvalue().encode())
    assert r.values["title"] == 'A "quoted", title' and r.values["summary"] == "line one\nline two"
