"""Exports survive a round trip through another parser: TriG, N-Quads and JSON-LD re-read
with rdflib are the same dataset (graph by graph, blank nodes up to isomorphism), and
Turtle is the union of its graphs. Checked on the shipped store and on random records."""

from __future__ import annotations

import io

import pyoxigraph as ox
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from spacekg import open_store
from spacekg.export import export
from spacekg.graph.writer import build_quads
from spacekg.loaders.extract import extract_record
from spacekg.loaders.records import parse_text_record

QUAD_FORMATS = {"trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}  # ours → rdflib's name
HEADER = "Every atomic assertion extracted from the underlying record, ranked by evidence strength."


def exported(store, fmt: str) -> bytes:
    buf = io.BytesIO()
    export(store, buf, format=fmt)
    return buf.getvalue()


def graphs(data: bytes, fmt: str) -> dict[str, rdflib.Graph]:
    """The non-empty graphs of a dataset parsed by rdflib, by name (the default graph as '')."""
    ds = rdflib.Dataset()
    ds.parse(data=data, format=fmt)
    out = {}
    for g in ds.graphs():
        if len(g):
            name = "" if g.identifier == rdflib.graph.DATASET_DEFAULT_GRAPH_ID else str(g.identifier)
            out[name] = g
    return out


def union(named: dict[str, rdflib.Graph]) -> rdflib.Graph:
    merged = rdflib.Graph()
    for g in named.values():
        for triple in g:
            merged.add(triple)
    return merged


def assert_same_dataset(a: dict[str, rdflib.Graph], b: dict[str, rdflib.Graph], what: str) -> None:
    assert a.keys() == b.keys(), f"{what}: graph names differ: {sorted(a.keys() ^ b.keys())[:5]}"
    for name in a:
        assert len(a[name]) == len(b[name]), f"{what}: graph {name!r} has {len(a[name])} vs {len(b[name])} triples"
        assert isomorphic(a[name], b[name]), f"{what}: graph {name!r} differs"


def assert_round_trips(store) -> None:
    parsed = {fmt: graphs(exported(store, fmt), name) for fmt, name in QUAD_FORMATS.items()}
    assert_same_dataset(parsed["trig"], parsed["nquads"], "TriG vs N-Quads")
    assert_same_dataset(parsed["trig"], parsed["jsonld"], "TriG vs JSON-LD")
    turtle = rdflib.Graph().parse(data=exported(store, "turtle"), format="turtle")
    merged = union(parsed["trig"])
    assert len(turtle) == len(merged)
    assert isomorphic(turtle, merged), "Turtle is not the union of the TriG graphs"


def test_shipped_store_exports_round_trip_to_isomorphic_datasets(shipped_store):
    assert_round_trips(shipped_store)
    # and the named graphs are really there: one per assertion with facts, plus the ontology
    trig = graphs(exported(shipped_store, "trig"), "trig")
    assert "https://w3id.org/spacekg/ontology" in trig and len(trig) > 20


# Assertion texts in any script, with the characters that serialisers must escape.
TRICKY = st.sampled_from(['"', "\\", "'", "<", ">", "{", "}", "@", "#", "\t", "\u2028", "\u0085", "\u200f",
                          "e\u0301", "\U0001F680", "日本", "\ufeff", "%", "&", "\\u0041", "_:b0", "?x", "$7 billion"])
PIECES = st.one_of(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20), TRICKY)
TEXTS = st.lists(st.lists(PIECES, min_size=1, max_size=6).map(lambda parts: "Japan and NASA " + "".join(parts)),
                 min_size=1, max_size=6, unique_by=lambda t: " ".join(t.split()))


@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=TEXTS, summary=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=80))
def test_random_records_export_and_round_trip(texts, summary):
    body = "\n".join([summary.replace("\n", " ").replace("\r", " "), HEADER, *texts]) + "\n"
    record = parse_text_record(body, source="fuzz.txt", name="fuzz")
    store = open_store("memory:")
    store.add_quads(build_quads([(record, extract_record(record))]))
    assert_round_trips(store)
    # the text survives every syntax unchanged
    trig = union(graphs(exported(store, "trig"), "trig"))
    stored = {str(o) for o in trig.objects(None, rdflib.URIRef("https://w3id.org/spacekg/ontology#text"))}
    assert stored == {a.text for a in record.assertions}


def test_pyoxigraph_reads_back_its_own_exports_identically(shipped_store):
    counts = {fmt: len(list(ox.parse(exported(shipped_store, fmt), format=f)))
              for fmt, f in (("trig", ox.RdfFormat.TRIG), ("nquads", ox.RdfFormat.N_QUADS),
                             ("jsonld", ox.RdfFormat.JSON_LD))}
    assert len(set(counts.values())) == 1 and counts["trig"] == len(shipped_store), counts
