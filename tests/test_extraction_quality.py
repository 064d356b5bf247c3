"""Extraction quality, measured with the shared scorer (vendored in tests/eval/):
the shipped record and our own unseen-style records must stay above per-facet floors."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from spacekg import build, export_store, open_store
from tests.conftest import FIXTURES, ROOT, SHIPPED_RECORD

_spec = importlib.util.spec_from_file_location("spacekg_score", Path(__file__).parent / "eval" / "score.py")
score = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(score)

# Floors for our own records (tests/fixtures: each written blind, measured, then used to develop
# the rules, so now a development set; heldout/ holds the records not yet used). Per record
# the floors are looser than over all records together.
FIXTURE_FLOORS = {"mentions": 0.87, "types": 0.88, "money": 0.95, "percent": 0.95, "relations": 0.74,
                  "budgets": 0.85, "negation": 0.95}
TOTAL_FLOORS = {"mentions": 0.94, "types": 0.92, "money": 0.98, "percent": 0.98, "relations": 0.88,
                "budgets": 0.95, "negation": 0.98}
SHIPPED_FLOORS = {facet: 0.97 for facet in FIXTURE_FLOORS}


def scored(records: list[Path], gold_files: list[Path], tmp_path: Path) -> list:
    store = open_store("memory:")
    build(records, store)
    out = tmp_path / "out.trig"
    with out.open("wb") as fh:
        export_store(store, fh, format="trig")
    graph = score.Graph(out)
    index = score.assertion_index(graph)
    return [score.score_record(graph, score.Gold(g), index, verbose=True) for g in gold_files]


def test_shipped_record_meets_the_floors(tmp_path):
    [result] = scored([SHIPPED_RECORD], [ROOT / "tests" / "data" / "gold" / "us-japan-space-partnership.yaml"],
                      tmp_path)
    assert result.found.ok == result.rank.ok == 60
    low = {f: round(v, 3) for f, v in result.facet_scores().items() if v < SHIPPED_FLOORS[f]}
    assert not low, "\n".join([f"below floor: {low}"] + result.verbose)


@pytest.mark.parametrize("gold", sorted((FIXTURES / "gold").glob("*.yaml")), ids=lambda p: p.stem)
def test_unseen_style_record_meets_the_floors(gold, tmp_path):
    [result] = scored([FIXTURES / "records" / f"{gold.stem}.txt"], [gold], tmp_path)
    assert result.found.ok == result.found.n
    low = {f: round(v, 3) for f, v in result.facet_scores().items() if v < FIXTURE_FLOORS[f]}
    assert not low, "\n".join([f"below floor: {low}"] + result.verbose)


def test_all_our_records_together_meet_the_total_floors_and_link_shared_entities(tmp_path):
    golds = sorted((FIXTURES / "gold").glob("*.yaml"))
    results = scored([FIXTURES / "records" / f"{g.stem}.txt" for g in golds], golds, tmp_path)
    total = score.Result("total")
    for r in results:
        total.merge(r)
    low = {f: round(v, 3) for f, v in total.facet_scores().items() if v < TOTAL_FLOORS[f]}
    assert not low
    iris: dict[str, set] = {}
    for r in results:
        for key, found in r.entity_iris.items():
            iris.setdefault(key, set()).update(found)
    split = {k: v for k, v in iris.items() if len(v) > 1}
    assert len(split) <= 0.02 * len(iris), split  # one entity, one IRI, across and within records
