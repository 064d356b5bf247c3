"""The large-build path (spacekg.bulk): the same dataset as the normal path, and the same
all-or-nothing guarantee for bad input, whether it bulk-loads an empty store or replaces
records chunk by chunk in a non-empty one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

import spacekg.bulk
from spacekg.build import build
from spacekg.errors import RecordError, ValidationError
from spacekg.graph.store import open_store
from spacekg.validate import validate_store

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "records" / "us-japan-space-partnership.txt"
FIXTURES = ROOT / "tests" / "fixtures" / "records"


def comparable(store) -> set[ox.Quad]:
    """Every quad without blank nodes (the ontology's OWL class expressions get fresh blank
    node labels on every write, whichever the path), so two builds can be compared exactly."""
    return {q for q in store.quads()
            if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}


def blank_count(store) -> int:
    return sum(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in store.quads())


@pytest.fixture
def records(tmp_path: Path) -> Path:
    folder = tmp_path / "records"
    folder.mkdir()
    for f in [SHIPPED, FIXTURES / "korea-kasa-rise.txt", FIXTURES / "india-space-reform.txt"]:
        shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture
def small_chunks(monkeypatch):
    """One file per worker task, so three records span three chunks."""
    monkeypatch.setattr(spacekg.bulk, "CHUNK_FILES", 1)


@pytest.fixture
def normal(records: Path):
    store = open_store("memory:")
    build([records], store)
    return store


def test_staged_build_into_memory_gives_the_normal_builds_quads(records, normal, small_chunks):
    store = open_store("memory:")
    report = build([records], store, staged=True, workers=1)
    assert comparable(store) == comparable(normal)
    assert blank_count(store) == blank_count(normal)
    assert report.assertions == sum(1 for _ in normal.query(
        "SELECT ?a WHERE { ?a a <https://w3id.org/spacekg/ontology#Assertion> }"))


@pytest.mark.parametrize("part_bytes", [None, 1], ids=["one staging file per worker", "one per chunk"])
def test_staged_build_with_workers_bulk_loads_an_empty_disk_store_to_the_same_quads(records, normal, small_chunks,
                                                                                     tmp_path, part_bytes,
                                                                                     monkeypatch):
    if part_bytes:  # each worker starts a new staging file for every chunk: one loader run per chunk
        monkeypatch.setattr(spacekg.bulk, "PART_BYTES", part_bytes)
    location = tmp_path / "store"
    store = open_store(location)
    build([records], store, staged=True, workers=2, validate=False)
    assert comparable(store) == comparable(normal)
    store.close()
    reopened = open_store(location)  # the swapped-in folder is the store now, and it persists
    assert comparable(reopened) == comparable(normal)
    reopened.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records", "store"]  # no sibling or staging left


def test_staged_rebuild_of_a_non_empty_store_replaces_records_like_the_normal_path(records, small_chunks, tmp_path):
    edited = records / "korea-kasa-rise.txt"
    text = edited.read_text(encoding="utf-8").splitlines()
    expected = open_store("memory:")
    build([records], expected, validate=False)
    edited.write_text("\n".join(text[:-3]) + "\n", encoding="utf-8")  # drop the last three assertions
    build([records], expected, validate=False)

    edited.write_text("\n".join(text) + "\n", encoding="utf-8")
    store = open_store(tmp_path / "store")
    build([records], store, validate=False)  # a non-empty store: the staged path writes it chunk by chunk
    edited.write_text("\n".join(text[:-3]) + "\n", encoding="utf-8")
    build([records], store, staged=True, workers=2, validate=False)
    assert comparable(store) == comparable(expected)
    assert blank_count(store) == blank_count(expected)
    store.close()


@pytest.mark.parametrize("pre_built", [False, True], ids=["empty store", "non-empty store"])
def test_a_bad_record_in_a_staged_build_leaves_the_store_unchanged(records, small_chunks, tmp_path, pre_built):
    location = tmp_path / "store"
    store = open_store(location)
    if pre_built:
        build([SHIPPED], store, validate=False)
    before = comparable(store)
    (records / "zz-bad.txt").write_text("A summary but no header line.\nNASA met with JAXA.\n", encoding="utf-8")
    with pytest.raises(RecordError, match=r"zz-bad\.txt:1: no header line"):
        build([records], store, staged=True, workers=2, validate=False)
    assert comparable(store) == before
    store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records", "store"]


def test_a_record_name_used_twice_across_chunks_is_refused(records, small_chunks, tmp_path):
    (records / "again").mkdir()
    shutil.copy(SHIPPED, records / "again" / SHIPPED.name)
    store = open_store("memory:")
    with pytest.raises(RecordError, match="is also used by"):
        build([records], store, staged=True, workers=1, validate=False)
    assert len(store) == 0


def test_minted_entities_are_described_once_across_chunks(records, small_chunks):
    store = open_store("memory:")
    build([records], store, staged=True, workers=2, validate=False)
    rows = store.query("SELECT ?e (COUNT(?label) AS ?n) WHERE { ?e <https://w3id.org/spacekg/ontology#minted> true ; "
                       "<http://www.w3.org/2000/01/rdf-schema#label> ?label } GROUP BY ?e").rows
    assert rows
    assert {int(n.value) for _, n in rows} == {1}


# A minted entity whose class one chunk and the whole build settle differently: record A calls
# "Nova Propulsion" a startup (skg:Company) and gives it a budget, record B names it before
# "agreement" (skg:PolicyDocument). Which class wins depends on how often each record mentions
# it; a budget's holder must be an skg:Actor.
_HEADER = "Every atomic assertion extracted from the underlying record, ranked by evidence strength.\n"
_STARTUP = "Nova Propulsion, a Seoul startup founded by former NOAA engineers, is building a radar satellite for {}.\n"
_RAISED = "Nova Propulsion raised 150 trillion yen from investors in 2023.\n"
_AGREEMENT = "Nova Propulsion signed a launch agreement with Pixxel for {}.\n"


def _split_class_records(folder: Path, *, startup: int, agreement: int) -> Path:
    folder.mkdir()
    uses = ["counter-strike", "ISR", "remote sensing"][:startup - 1]
    (folder / "a-startup.txt").write_text("Industry is taking a larger share of the work.\n" + _HEADER
                                          + "".join(_STARTUP.format(u) for u in uses) + _RAISED, encoding="utf-8")
    (folder / "b-agreement.txt").write_text("Industry is signing launch deals.\n" + _HEADER
                                            + "".join(_AGREEMENT.format(2026 + 2 * i) for i in range(agreement)),
                                            encoding="utf-8")
    return folder


def _nova_class(store) -> str:
    rows = store.query("SELECT ?c WHERE { <https://w3id.org/spacekg/id/nova-propulsion> a ?c }").rows
    return {row[0].value.rsplit("#", 1)[-1] for row in rows}.pop()


@pytest.mark.parametrize("staged", [True, False], ids=["staged", "small-path"])
def test_an_entity_holding_a_budget_settles_as_an_actor_though_more_mentions_read_it_as_a_document(
        tmp_path, small_chunks, staged):
    folder = _split_class_records(tmp_path / "records", startup=2, agreement=3)  # PolicyDocument has 3 of 5
    store = open_store("memory:")
    build([folder], store, staged=staged, workers=2)
    assert _nova_class(store) == "Company"  # skg:budgetHolder's range is skg:Actor
    assert validate_store(store).conforms


@pytest.mark.parametrize("staged", [True, False], ids=["staged", "small-path"])
def test_a_build_whose_settled_class_breaks_a_shape_fails_though_each_chunk_conformed(tmp_path, small_chunks,
                                                                                      staged, monkeypatch):
    # the majority alone (no regard for roles) settles Nova as a PolicyDocument: whatever rule
    # settles a class, the build re-validates what it would write (forked workers inherit the patch)
    from spacekg.graph.writer import MintedCounts

    monkeypatch.setattr(MintedCounts, "settled_class", lambda self, key: self.classes[key].most_common(1)[0][0])
    folder = _split_class_records(tmp_path / "records", startup=2, agreement=3)
    store = open_store(tmp_path / "store")
    build([SHIPPED], store)
    before = comparable(store)
    with pytest.raises(ValidationError, match=r"a-startup\.txt.*: .*budgetHolder.*nothing was written"):
        build([folder], store, staged=staged, workers=2)
    assert comparable(store) == before
    store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records", "store"]  # no staging file left


@pytest.mark.parametrize("staged", [True, False], ids=["staged", "small-path"])
def test_a_build_whose_settled_class_fits_every_chunk_writes_a_conforming_store(tmp_path, small_chunks, staged):
    folder = _split_class_records(tmp_path / "records", startup=3, agreement=2)  # Company wins 3:2
    store = open_store("memory:")
    build([folder], store, staged=staged, workers=2)
    assert _nova_class(store) == "Company"
    assert validate_store(store).conforms


def test_a_build_failing_validation_after_its_staging_files_began_loading_leaves_an_empty_store_empty(
        tmp_path, small_chunks, monkeypatch):
    # a staging file per chunk: the first files are bulk-loaded (into a sibling folder) while the
    # build goes on; validation, after the classes settle, then fails
    from spacekg.graph.writer import MintedCounts

    monkeypatch.setattr(spacekg.bulk, "PART_BYTES", 1)
    monkeypatch.setattr(MintedCounts, "settled_class", lambda self, key: self.classes[key].most_common(1)[0][0])
    folder = _split_class_records(tmp_path / "records", startup=2, agreement=3)
    for f in [SHIPPED, FIXTURES / "korea-kasa-rise.txt", FIXTURES / "india-space-reform.txt"]:
        shutil.copy(f, folder / f.name)
    store = open_store(tmp_path / "store")
    with pytest.raises(ValidationError, match=r"a-startup\.txt.*: .*budgetHolder.*nothing was written"):
        build([folder], store, staged=True, workers=2)
    assert len(store) == 0
    store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records", "store"]  # no sibling, no staging left


def test_two_files_whose_record_names_give_one_iri_are_refused_across_chunks_like_the_small_path(tmp_path,
                                                                                             small_chunks):
    folder = tmp_path / "records"
    folder.mkdir()
    for name, source in [("US Japan.txt", SHIPPED), ("b.txt", FIXTURES / "korea-kasa-rise.txt"),
                         ("us-japan.txt", SHIPPED)]:  # three chunks; the first and last give one record IRI
        shutil.copy(source, folder / name)
    for staged in (False, True):  # the small path's shapes see two dcterms:source on one record IRI
        store = open_store(tmp_path / f"store-{staged}")
        with pytest.raises(ValidationError, match="nothing was written"):
            build([folder], store, staged=staged, workers=2)
        assert len(store) == 0
        store.close()


def test_build_workers_collect_garbage_rarely_and_leave_the_callers_settings_alone():
    import gc

    before = gc.get_threshold()
    with spacekg.bulk._pool(2) as pool:
        threshold, frozen = pool.submit(_gc_settings).result()
    assert threshold[0] == spacekg.bulk.WORKER_GC_THRESHOLD and frozen > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def _gc_settings() -> tuple[tuple[int, int, int], int]:
    import gc

    return gc.get_threshold(), gc.get_freeze_count()
