"""The summary graph equals the aggregate over the assertions after every kind of build, and
named queries page their answers with limit/offset rendered as numbers only."""

from __future__ import annotations

import pytest

from spacekg import build, open_store
from spacekg.errors import ParameterError, QueryError
from spacekg.graph.summary import SUMMARY_GRAPH
from spacekg.queries import run_query
from tests.conftest import FIXTURES, SHIPPED_RECORD

S = f"<{SUMMARY_GRAPH.value}>"
PREFIXES = """PREFIX skg: <https://w3id.org/spacekg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
# the aggregates as the queries computed them before the summary graph existed
ENTITIES_FROM_ASSERTIONS = PREFIXES + """
SELECT ?e (COUNT(DISTINCT ?a) AS ?n) (MIN(?rank) AS ?best) (COUNT(DISTINCT ?rec) AS ?records)
WHERE { ?a skg:mentions ?e ; skg:evidenceRank ?rank ; prov:wasDerivedFrom ?rec } GROUP BY ?e"""
ENTITIES_FROM_SUMMARY = PREFIXES + f"""
SELECT ?e ?n ?best ?records
WHERE {{ GRAPH {S} {{ ?e skg:mentionCount ?n ; skg:bestRank ?best ; skg:recordCount ?records }} }}"""
PARTIALS_FROM_ASSERTIONS = PREFIXES + """
SELECT ?e ?rec (COUNT(DISTINCT ?a) AS ?n) (MIN(?rank) AS ?best)
WHERE { ?a skg:mentions ?e ; skg:evidenceRank ?rank ; prov:wasDerivedFrom ?rec } GROUP BY ?e ?rec"""
PARTIALS_FROM_SUMMARY = PREFIXES + f"""
SELECT ?e ?rec ?n ?best WHERE {{ GRAPH {S} {{
  ?p skg:aboutEntity ?e ; skg:aboutRecord ?rec ; skg:mentionsInRecord ?n ; skg:bestRankInRecord ?best }} }}"""
RECORDS_FROM_ASSERTIONS = PREFIXES + """
SELECT ?rec (COUNT(?a) AS ?n) (SUM(IF(?neg, 1, 0)) AS ?negated)
WHERE { ?a prov:wasDerivedFrom ?rec ; skg:negated ?neg } GROUP BY ?rec"""
RECORDS_FROM_SUMMARY = PREFIXES + f"""
SELECT ?rec ?n ?negated WHERE {{ GRAPH {S} {{ ?rec skg:assertionCount ?n ; skg:negatedCount ?negated }} }}"""
STALE = PREFIXES + f"SELECT ?e WHERE {{ GRAPH {S} {{ ?e skg:summaryStale ?any }} }}"


def _rows(store, sparql: str) -> set[tuple[str, ...]]:
    return {tuple(term.value for term in row) for row in store.query(sparql).rows}


def assert_summary_is_the_aggregate(store) -> None:
    entities = _rows(store, ENTITIES_FROM_ASSERTIONS)
    assert entities and _rows(store, ENTITIES_FROM_SUMMARY) == entities
    assert _rows(store, PARTIALS_FROM_SUMMARY) == _rows(store, PARTIALS_FROM_ASSERTIONS)
    records = _rows(store, RECORDS_FROM_ASSERTIONS)
    assert records and _rows(store, RECORDS_FROM_SUMMARY) == records
    assert not store.query(STALE).rows


def _write(source, target, keep: int = 6, *, edit: bool = False) -> None:
    """The record cut to its first `keep` assertions (small, so rdflib stays quick); `edit`
    also removes the first assertion (and so every mention in it) and adds one mentioning
    actors again and a new place, and a negated one."""
    text = source.read_text(encoding="utf-8")
    head, sep, body = text.partition("ranked by evidence strength.\n")
    assertions = [line for line in body.splitlines() if line.strip()][:keep]
    if edit:
        assertions = assertions[1:] + ["NASA and the Indian Space Research Organisation met in Canberra to discuss ISR.",
                                       "Japan did not fund the Indian Space Research Organisation."]
    target.write_text(head + sep + "\n".join(assertions) + "\n", encoding="utf-8")


@pytest.mark.parametrize("spec", ["memory:", "rdflib:"])
def test_summary_equals_the_aggregate_after_building_and_rebuilding_an_edited_record(tmp_path, spec):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    _write(FIXTURES / "records" / "korea-kasa-rise.txt", a)
    _write(FIXTURES / "records" / "india-space-reform.txt", b)
    store = open_store(spec)
    build([a, b], store, validate=False)
    assert_summary_is_the_aggregate(store)
    before, records_before = _rows(store, ENTITIES_FROM_SUMMARY), _rows(store, RECORDS_FROM_SUMMARY)
    _write(FIXTURES / "records" / "korea-kasa-rise.txt", a, edit=True)
    build([a], store, validate=False)
    assert_summary_is_the_aggregate(store)
    assert _rows(store, ENTITIES_FROM_SUMMARY) != before  # the edit did change the counts
    assert _rows(store, RECORDS_FROM_SUMMARY) != records_before  # and the record's counts
    build([b], store, validate=False)  # rebuilding a record unchanged leaves the summary as it was
    assert_summary_is_the_aggregate(store)


def test_summary_of_a_large_build_into_a_non_empty_store_equals_the_aggregate(tmp_path):
    store = open_store("memory:")
    build([SHIPPED_RECORD], store, validate=False)
    build([FIXTURES / "records"], store, validate=False, staged=True, workers=1)
    assert_summary_is_the_aggregate(store)


def test_summary_of_a_bulk_load_into_an_empty_store_equals_the_aggregate(tmp_path):
    store = open_store(tmp_path / "store")
    build([FIXTURES / "records"], store, validate=False, staged=True, workers=1)
    assert_summary_is_the_aggregate(store)
    store.close()


def test_summary_graph_describes_itself_as_derived(shipped_store):
    rows = shipped_store.query(PREFIXES + f"ASK {{ GRAPH {S} {{ {S} a skg:SummaryGraph , prov:Entity }} }}")
    assert rows.boolean


def test_a_page_of_a_named_query_is_that_slice_of_the_whole_answer(shipped_store):
    whole = run_query(shipped_store, "entities-by-class").rows
    assert len(whole) > 10
    assert run_query(shipped_store, "entities-by-class", limit=5).rows == whole[:5]
    assert run_query(shipped_store, "entities-by-class", limit=5, offset=7).rows == whole[7:12]
    assert run_query(shipped_store, "entities-by-class", offset=len(whole) - 1).rows == whole[-1:]
    assert run_query(shipped_store, "entities-by-class", limit=0).rows == []


@pytest.mark.parametrize("bad", [-1, "5", "5 } ; DROP ALL", 2.0, True])
def test_limit_and_offset_must_be_non_negative_integers(shipped_store, bad):
    for key in ("limit", "offset"):
        with pytest.raises(ParameterError):
            run_query(shipped_store, "heads", **{key: bad})


def test_a_query_that_pages_itself_is_refused_rather_than_paged_twice(shipped_store):
    with pytest.raises(QueryError, match="own LIMIT"):
        run_query(shipped_store, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3", limit=1)
    paged = run_query(shipped_store, "SELECT ?s WHERE { ?s ?p ?o } VALUES ?s { <urn:x:a> } # VALUES last", limit=1)
    assert paged.rows == []


def test_cli_query_limit_and_offset(shipped_store_path):
    from click.testing import CliRunner

    from spacekg.cli import main

    runner = CliRunner()
    whole = runner.invoke(main, ["query", "heads", "--format", "csv", "--store", str(shipped_store_path)])
    page = runner.invoke(main, ["query", "heads", "--format", "csv", "--limit", "2", "--offset", "1",
                                "--store", str(shipped_store_path)])
    assert page.exit_code == 0, page.output
    lines = whole.output.splitlines()
    assert page.output.splitlines() == [lines[0], *lines[2:4]]
    bad = runner.invoke(main, ["query", "heads", "--limit", "-1", "--store", str(shipped_store_path)])
    assert bad.exit_code == 2


@pytest.fixture
def shipped_store_path(tmp_path):
    store = open_store(tmp_path / "store")
    build([SHIPPED_RECORD], store, validate=False)
    store.close()
    return tmp_path / "store"
