"""Each named query answers its question on the shipped record (golden CSV results), and
parameters are bound as terms: hostile values change nothing and match nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from spacekg.errors import ParameterError
from spacekg.queries import library, resolve_entity, run_query
from spacekg.queries.results import render

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "queries"
UPDATE = os.environ.get("SPACEKG_UPDATE_GOLDEN") == "1"  # regenerate after a reviewed change


def example_params(name: str) -> dict[str, str]:
    return {p.name: p.example for p in library().get(name).params}


@pytest.mark.parametrize("name", library().names())
def test_named_query_gives_its_golden_answer_on_the_shipped_record(shipped_store, name):
    got = render(run_query(shipped_store, name, example_params(name)), "csv")
    golden = GOLDEN / f"{name}.csv"
    if UPDATE:
        golden.write_text(got, encoding="utf-8", newline="")
    assert golden.exists(), f"no golden result for {name}; run with SPACEKG_UPDATE_GOLDEN=1 and review it"
    with golden.open(encoding="utf-8", newline="") as fh:
        assert got == fh.read()


def test_every_query_has_a_header_and_every_param_an_example_and_a_projected_variable():
    for q in library():
        assert q.title and q.description, q.name
        for p in q.params:
            assert p.example, (q.name, p.name)
            select = q.text[q.text.upper().index("SELECT"):q.text.index("{")]
            assert f"?{p.name}" in select, f"{q.name}: parameter ?{p.name} must be a SELECT variable"


def test_entity_parameter_accepts_label_acronym_alias_iri_and_wikidata_id(shipped_store):
    nasa = resolve_entity(shipped_store, "NASA")
    assert nasa.value == "https://w3id.org/spacekg/id/nasa"
    for spelling in ("nasa", "National Aeronautics and Space Administration", "Q23548", "skgid:nasa", nasa.value):
        assert resolve_entity(shipped_store, spelling) == nasa


def test_ambiguous_entity_parameter_lists_the_candidates(shipped_store):
    with pytest.raises(ParameterError) as err:
        resolve_entity(shipped_store, "National Security Strategy")
    assert "ambiguous" in str(err.value)
    assert "national-security-strategy-japan" in str(err.value)
    assert "national-security-strategy-united-states" in str(err.value)


@pytest.mark.parametrize("hostile", [
    'MOD" } ; DROP ALL ; #',
    "} ; DROP ALL ; #",
    "<http://x> } INSERT DATA { <a> <b> <c> } #",
    "http://example.org/a>b",
    "' OR '1'='1",
    "{ ?s ?p ?o }",
])
def test_hostile_parameter_values_change_nothing_and_match_nothing(shipped_store, hostile):
    before = len(shipped_store)
    with pytest.raises(ParameterError):
        run_query(shipped_store, "assertions-about", {"entity": hostile})
    assert len(shipped_store) == before


def test_inline_sparql_parameters_are_literals_not_text(shipped_store):
    query = ("SELECT ?t ?needle WHERE { ?a <https://w3id.org/spacekg/ontology#text> ?t "
             "FILTER(CONTAINS(?t, ?needle)) }")
    assert len(run_query(shipped_store, query, {"needle": "Gateway"})) == 2
    before = len(shipped_store)
    assert len(run_query(shipped_store, query, {"needle": '") } ; DROP ALL ; #'})) == 0
    assert len(shipped_store) == before
