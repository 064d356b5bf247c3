"""The curated mappings (``spacekg/ontology/mappings/*.sssom.tsv``): well-formed SSSOM, every
object's label checked against a reviewed expectation (tests/data/mappings_expected_labels.tsv:
object ID → the name the verifying source gives), so a transposed or mistyped Q-number fails;
and the build loads them into the graph."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from spacekg import build, open_store
from spacekg.errors import MappingError
from spacekg.ontology import reference_entities
from spacekg.ontology.sssom import MappingRow, MappingSet, curated_mappings, read_sssom, sssom_text

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ROOT / "tests" / "data" / "mappings_expected_labels.tsv"


def expected_labels() -> dict[str, str]:
    with EXPECTED.open(encoding="utf-8", newline="") as f:
        return {row["object_id"]: row["source_label"] for row in csv.DictReader(f, delimiter="\t")}


def names_of(key: str) -> list[str]:
    e = next(e for e in reference_entities() if e.key == key)
    return [e.label, *e.alt_labels, *e.acronyms]


def label_problems(mapping_set: MappingSet, expected: dict[str, str]) -> list[str]:
    """Rows whose object has no reviewed expectation, or whose expected label is not a name of
    the subject (label, altLabel or acronym; rapidfuzz ratio ≥ 90 after normalising)."""
    problems = []
    for r in mapping_set.rows:
        want = expected.get(r.object_id)
        if want is None:
            problems.append(f"line {r.line}: {r.object_id} has no reviewed expectation in {EXPECTED.name}")
            continue
        names = names_of(r.subject_id.removeprefix("skgid:"))
        best = max(fuzz.ratio(want, n, processor=default_process) for n in names)
        if best < 90:
            problems.append(f"line {r.line}: {r.subject_id} {names[0]!r} -> {r.object_id}, which the source "
                            f"calls {want!r}")
    return problems


@pytest.mark.parametrize("mapping_set", curated_mappings(), ids=lambda s: s.source)
def test_every_shipped_mapping_matches_its_reviewed_label(mapping_set):
    assert mapping_set.rows
    assert not label_problems(mapping_set, expected_labels())


def test_a_transposed_qid_fails_the_label_check():
    wikidata = next(s for s in curated_mappings() if s.source.endswith("wikidata.sssom.tsv"))
    japan = next(r for r in wikidata.rows if r.subject_id == "skgid:japan")
    china = next(r for r in wikidata.rows if r.subject_id == "skgid:china")
    swapped = MappingSet(wikidata.metadata, (
        MappingRow(**{**_fields(japan), "object_id": china.object_id}),
        MappingRow(**{**_fields(china), "object_id": japan.object_id})), wikidata.source)
    assert len(label_problems(swapped, expected_labels())) == 2


def _fields(row: MappingRow) -> dict:
    return {f: getattr(row, f) for f in row.__slots__}


@pytest.mark.parametrize("mapping_set", curated_mappings(), ids=lambda s: s.source)
def test_curated_rows_name_their_source_and_entities_of_entities_ttl(mapping_set):
    keys = {e.key for e in reference_entities()}
    objects = [r.object_id for r in mapping_set.rows]
    assert len(objects) == len(set(objects)), "an item mapped twice"
    for r in mapping_set.rows:
        assert r.subject_id.removeprefix("skgid:") in keys, f"line {r.line}: {r.subject_id} not in entities.ttl"
        assert r.predicate_id in ("owl:sameAs", "skos:closeMatch"), r
        assert r.mapping_justification == "semapv:ManualMappingCuration", r
        assert len(r.comment) > 20 and r.mapping_date and r.author_label, f"line {r.line}: say where it was verified"


def test_the_build_loads_the_mappings_and_reference_entities_keep_their_wikidata_ids():
    store = open_store("memory:")
    build([ROOT / "data" / "records" / "us-japan-space-partnership.txt"], store)
    same_as = {(r[0].value, r[1].value) for r in store.query(
        "SELECT ?s ?o WHERE { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o }").rows}
    assert ("https://w3id.org/spacekg/id/nasa", "http://www.wikidata.org/entity/Q23548") in same_as
    assert ("https://w3id.org/spacekg/id/nasa", "http://dbpedia.org/resource/NASA") in same_as
    nasa = next(e for e in reference_entities() if e.key == "nasa")
    assert nasa.wikidata == ("http://www.wikidata.org/entity/Q23548",)
    assert sum(bool(e.wikidata) for e in reference_entities()) == 191


GOOD = """#curie_map:
#  skgid: https://w3id.org/spacekg/id/
#  wd: http://www.wikidata.org/entity/
#mapping_set_id: https://example.org/m.sssom.tsv
subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence\tmapping_date
skgid:japan\towl:sameAs\twd:Q17\tsemapv:ManualMappingCuration\t0.9\t2026-11-25
"""


def test_sssom_round_trips():
    m = read_sssom(GOOD, source="m.sssom.tsv")
    assert m.expand("wd:Q17") == "http://www.wikidata.org/entity/Q17"
    assert [t.object.value for t in m.triples()] == ["http://www.wikidata.org/entity/Q17"]
    again = read_sssom(sssom_text(m), source="again")
    assert again.rows == m.rows and dict(again.metadata) == dict(m.metadata)


@pytest.mark.parametrize("edit, message", [
    (("0.9\t", "1.5\t"), "m.sssom.tsv:6: confidence '1.5' is not a number between 0 and 1"),
    (("wd:Q17", "xx:Q17"), "m.sssom.tsv:6: object_id 'xx:Q17' is not a CURIE with a prefix of the curie_map"),
    (("2026-11-25", "25/11/2026"), "m.sssom.tsv:6: mapping_date '25/11/2026' is not YYYY-MM-DD"),
    (("subject_id\t", "subject\t"), "m.sssom.tsv:5: the header row lacks the column(s) subject_id"),
    (("#  wd: http", "#  wd http"), "m.sssom.tsv"),
])
def test_malformed_sssom_names_the_file_and_line(edit, message):
    with pytest.raises(MappingError) as info:
        read_sssom(GOOD.replace(*edit), source="m.sssom.tsv")
    assert str(info.value).startswith(message)


def test_a_duplicate_row_is_an_error():
    with pytest.raises(MappingError, match="m.sssom.tsv:7: the same mapping as line 6"):
        read_sssom(GOOD + GOOD.splitlines()[-1] + "\n", source="m.sssom.tsv")


def test_mapping_and_linking_data_files_are_package_data():
    """They are read through importlib.resources: a wheel without them could not link."""
    import fnmatch
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    for package, folder, patterns in (("spacekg.ontology", ROOT / "spacekg" / "ontology", ["mappings/*.sssom.tsv"]),
                                      ("spacekg.linking", ROOT / "spacekg" / "linking", ["*.tsv", "*.rq"])):
        files = [p.relative_to(folder).as_posix() for pattern in patterns for p in folder.glob(pattern)]
        assert files and all(any(fnmatch.fnmatch(f, g) for g in data[package]) for f in files), (package, files)
