"""The writer writes N-Quads text itself (the large build stages it as is; the small path parses
it into quads): that text must be what Oxigraph itself writes for the same quads, byte for
byte, so that the two paths hold one dataset and the staged files load leniently."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from spacekg.graph.writer import record_nquads, record_quads
from spacekg.loaders.extract import extract_record
from spacekg.loaders.records import read_records
from spacekg.model import Assertion, AssertionRecord
from spacekg.vocab import DCTERMS

ROOT = Path(__file__).resolve().parents[2]
RECORDS = [ROOT / "data" / "records" / "us-japan-space-partnership.txt",
           *sorted((ROOT / "tests" / "fixtures" / "records").glob("*.txt"))]


def oxigraph_text(data: bytes) -> bytes:
    """`data` parsed by Oxigraph's strict parser and written back by its serialiser."""
    return ox.serialize(list(ox.parse(data, format=ox.RdfFormat.N_QUADS)), format=ox.RdfFormat.N_QUADS) or b""


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_the_text_writer_writes_what_oxigraph_writes_for_the_same_quads(path):
    for record in read_records(path):
        extractions = extract_record(record)
        text = record_nquads(record, extractions)
        assert text == oxigraph_text(text)
        quads = list(record_quads(record, extractions))
        assert ox.Dataset(quads) == ox.Dataset(ox.parse(text, format=ox.RdfFormat.N_QUADS))
        assert len(quads) == text.count(b"\n") > 0
        assert not any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object, q.graph_name))


def test_every_character_a_literal_can_hold_is_escaped_as_oxigraph_escapes_it():
    awkward = "".join(map(chr, range(1, 0x100))) + '\x00"\\ é 漢 🚀 \u2028 \ufeff end'
    record = AssertionRecord(name="Awkward", source="awk\"ward\n.txt", summary=awkward, title=awkward,
                             assertions=(Assertion(text=f"NASA funds it. {awkward}", rank=1, line=3),))
    text = record_nquads(record, extract_record(record))
    assert text == oxigraph_text(text)
    literals = {q.object.value for q in ox.parse(text, format=ox.RdfFormat.N_QUADS) if isinstance(q.object, ox.Literal)}
    assert {awkward, "awk\"ward\n.txt", f"NASA funds it. {awkward}"} <= literals


def test_a_record_title_is_written_as_its_dcterms_title():
    record = AssertionRecord(name="Titled", source="titled.txt", summary="A summary.", title="A title",
                             assertions=(Assertion(text="NASA funds the mission.", rank=1, line=3),))
    quads = list(record_quads(record, extract_record(record)))
    assert [q.object for q in quads if q.predicate == DCTERMS["title"]] == [ox.Literal("A title")]
