"""The record layer of the gazetteer finds the same names whether or not it reuses the shared scan."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis.strategies import text

from spacekg.loaders.extract.entities import RecordContext, default_gazetteer
from spacekg.loaders.extract.gazetteer import tokenize
from spacekg.loaders.records import read_records
from spacekg.model import EntityClass
from spacekg.ontology import ReferenceEntity
from tests.conftest import FIXTURES, SHIPPED_RECORD


def test_reusing_the_shared_scan_changes_no_match_in_the_records():
    base = default_gazetteer()
    checked = 0
    for path in [SHIPPED_RECORD, *sorted((FIXTURES / "records").glob("*.txt"))]:
        for record in read_records(path):
            layer = RecordContext.scan(record).gazetteer
            for text in (record.summary, *(a.text for a in record.assertions)):
                tokens = tokenize(text)
                assert layer.find(tokens, below=base.find(tokens)) == layer.find(tokens), text
                checked += 1
    assert checked > 300


def test_a_record_name_overlapping_a_shared_one_wins_when_longer_and_the_shared_scan_resumes_after_it():
    base = default_gazetteer()
    layer = base.extended([ReferenceEntity(key="japan-space-forum", iri="", label="Japan Space Forum",
                                           cls=EntityClass.ORGANIZATION, minted=True)])
    tokens = tokenize("The Japan Space Forum met NASA and Japan.")
    found = [(m.keys, m.first, m.last) for m in layer.find(tokens, below=base.find(tokens))]
    assert found == [(("japan-space-forum",), 1, 3), (("nasa",), 5, 5), (("japan",), 7, 7)]


def test_tokens_carry_the_spans_of_the_token_pattern_in_the_text():
    from spacekg.loaders.extract.gazetteer import _HYPHENS

    # the token pattern with every other character a token of its own, hyphens then dropped
    reference = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:['’](?!s\b)\w+)*|['’]s\b|\S")
    records = [r for f in [SHIPPED_RECORD, *sorted((FIXTURES / "records").glob("*.txt"))] for r in read_records(f)]
    for text in ["U.S.-Japan  talks: Chang'e 6 — low-Earth orbit’s A&B, e.g. x.Y. (JAXA) 1,000 $7bn…",
                 "  leading and trailing  ", "Japan's Japan’s 's s's", "a--b -‐‑–—c ‐d- e—",
                 "e.U.S. D.C.'s x.y.z rock’n’roll's it's' a''b O'Neil's Chang'e's Ünïcode’s ǅ",
                 *(a.text for r in records for a in r.assertions)]:
        expected = [(m.group(), m.start(), m.end()) for m in reference.finditer(text) if m.group() not in _HYPHENS]
        assert [tuple(t) for t in tokenize(text)] == expected


_TRICKY = "aZé9_²Ⅻ '’s.,-‐‑–—$€&()\u00a0\u2003\t\n\x1cǅ"


@settings(max_examples=400, deadline=None)
@given(text(alphabet=_TRICKY, max_size=40))
def test_tokenizing_chunk_by_chunk_gives_the_token_pattern_over_the_whole_text(sample):
    """`tokenize` takes a plain word as it is and runs the pattern only over the other
    white-space-separated chunks: on any text it must give what the pattern gives over the whole
    text (white space, underscores, digits of other scripts, apostrophes and hyphens included)."""
    from spacekg.loaders.extract.gazetteer import _HYPHENS, _TOKEN

    whole = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(sample) if m.group() not in _HYPHENS]
    assert [tuple(t) for t in tokenize(sample)] == whole
