"""Building records: idempotent, all-or-nothing, and an edited record replaces its old self."""

from __future__ import annotations

import re
import shutil

import pytest

from spacekg import build, open_store
from spacekg.errors import RecordError
from tests.conftest import SHIPPED_RECORD


def snapshot(store) -> list[str]:
    """The store's quads as sorted text, blank node labels replaced (they are per-insert)."""
    return sorted(re.sub(r"_:\w+", "_:b", str(q)) for q in store.quads())


def test_building_the_same_record_twice_gives_the_same_quads():
    store = open_store("memory:")
    first = build([SHIPPED_RECORD], store)
    before = snapshot(store)
    second = build([SHIPPED_RECORD], store)
    assert snapshot(store) == before
    assert first.quads_after == second.quads_after == len(before)


def test_build_report_counts_the_shipped_record():
    report = build([SHIPPED_RECORD], open_store("memory:"))
    [record] = report.records
    assert record.assertions == 60 and report.assertions == 60
    assert report.entities >= 35
    assert record.negated >= 5


def test_failed_build_leaves_the_store_exactly_as_it_was(tmp_path):
    store = open_store(tmp_path / "store")
    build([SHIPPED_RECORD], store)
    before = snapshot(store)
    bad = tmp_path / "bad.txt"
    bad.write_text("No header here.\nJapan is a partner.\n")
    edited = tmp_path / "us-japan-space-partnership.txt"
    edited.write_text(SHIPPED_RECORD.read_text().replace("Japan is still", "Japan remains"))
    with pytest.raises(RecordError, match="bad.txt:1: no header line"):
        build([edited, bad], store)
    assert snapshot(store) == before
    store.close()


def test_edited_record_replaces_its_old_version_and_nothing_else(tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("About ESA.\nEvery atomic assertion extracted from the underlying record, ranked by evidence "
                     "strength.\nESA met with JAXA in Tokyo.\nNASA is not expected to fund Gateway.\n")
    original = tmp_path / "us-japan-space-partnership.txt"
    shutil.copy(SHIPPED_RECORD, original)
    store = open_store("memory:")
    build([original, other], store)
    only_other = open_store("memory:")
    build([other], only_other)

    lines = SHIPPED_RECORD.read_text().splitlines()
    edited_lines = lines[:2] + ["Sean Zed, a senior associate with the Zeta Orbital Project, met with NASA."] + lines[3:-5]
    original.write_text("\n".join(edited_lines) + "\n")
    build([original], store)

    fresh = open_store("memory:")
    build([original, other], fresh)
    assert snapshot(store) == snapshot(fresh)
    texts = {row[0].value for row in store.query(
        "SELECT ?t WHERE { ?a <https://w3id.org/spacekg/ontology#text> ?t }")}
    assert "Japan is still one of the U.S.'s topmost space cooperative partners across civil, commercial, and " \
           "national security sectors." not in texts
    assert "ESA met with JAXA in Tokyo." in texts


def test_two_files_with_the_same_record_name_are_refused(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    shutil.copy(SHIPPED_RECORD, a / "r.txt")
    shutil.copy(SHIPPED_RECORD, b / "r.txt")
    with pytest.raises(RecordError, match="record name 'r' is also used by"):
        build([a / "r.txt", b / "r.txt"], open_store("memory:"))
