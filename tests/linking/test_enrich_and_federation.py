"""Enrichment and federated queries against the served Wikidata-shaped fixture: enriched facts
land in their own PROV-tagged graph that `spacekg query` reads and a second run replaces, and a
federated named query joins our graph with the endpoint."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from spacekg import open_store
from spacekg.cli import main
from spacekg.linking import enrich
from spacekg.queries import library, run_query
from tests.linking.conftest import SHIPPED_RECORD

GRAPH = ox.NamedNode("https://w3id.org/spacekg/graph/enrichment/wikidata")
PROV = "http://www.w3.org/ns/prov#"


def _outside(store) -> set[str]:
    return {str(q) for q in store.quads() if q.graph_name != GRAPH}


def test_enrichment_goes_into_its_own_graph_with_provenance(linked_store, wikidata_endpoint):
    before = _outside(linked_store)
    report = enrich(linked_store, endpoint=wikidata_endpoint, batch_size=40)
    assert report.items == 191 and report.triples > 0 and report.queries == 5
    assert _outside(linked_store) == before  # extracted facts untouched
    nasa = ox.NamedNode("http://www.wikidata.org/entity/Q23548")
    inception = ox.NamedNode("http://www.wikidata.org/prop/direct/P571")
    assert [q.object.value for q in linked_store.quads() if q.graph_name == GRAPH and q.subject == nasa
            and q.predicate == inception] == ["1958-07-29T00:00:00Z"]
    prov = {(q.subject.value, q.predicate.value.removeprefix(PROV), q.object.value)
            for q in linked_store.quads() if q.graph_name == GRAPH and q.predicate.value.startswith(PROV)}
    used = {o for s, p, o in prov if p == "used"}
    assert wikidata_endpoint in used and GRAPH.value + "/query" in used
    assert {p for _, p, _ in prov} >= {"wasGeneratedBy", "generatedAtTime", "startedAtTime", "endedAtTime", "used",
                                      "value"}
    size = sum(1 for q in linked_store.quads() if q.graph_name == GRAPH)
    enrich(linked_store, endpoint=wikidata_endpoint)  # refresh: replaced, not doubled
    assert sum(1 for q in linked_store.quads() if q.graph_name == GRAPH) == size


def test_spacekg_query_reads_the_enriched_facts(linked_store, wikidata_endpoint):
    enrich(linked_store, endpoint=wikidata_endpoint)
    rows = [{k: (v.value if v is not None else None) for k, v in row.items()}
            for row in run_query(linked_store, "enriched-facts").dicts()]
    facts = {(r["label"], r["property"], r["valueLabel"] or r["value"]) for r in rows}
    assert ("NASA", "inception", "1958-07-29T00:00:00Z") in facts
    assert ("NASA", "headquarters location", "Washington, D.C.") in facts
    assert ("JAXA", "official website", "https://global.jaxa.jp/") in facts


def test_federated_named_query_returns_joined_rows(linked_store, wikidata_endpoint):
    assert library().get("heads-of-government-external").federated
    result = run_query(linked_store, "heads-of-government-external", {"endpoint": wikidata_endpoint})
    rows = {(r["country"].value, r["recordsSay"].value, r["endpointSays"].value, r["agrees"].value)
            for r in result.dicts()}
    assert ("Japan", "Sanae Takaichi", "Sanae Takaichi", "true") in rows
    assert ("United States", "Donald Trump", "Donald Trump", "true") in rows


def test_link_and_enrich_commands(wikidata_endpoint, tmp_path):
    store = tmp_path / "store"
    runner = CliRunner()
    built = runner.invoke(main, ["build", str(SHIPPED_RECORD), "--store", str(store), "-q"])
    assert built.exit_code == 0, built.output
    linked = runner.invoke(main, ["link", "--endpoint", wikidata_endpoint, "--out", str(tmp_path / "out"),
                                  "--store", str(store)])
    assert linked.exit_code == 0, linked.output
    assert "6 proposed owl:sameAs" in linked.output
    assert (tmp_path / "out" / "wikidata.proposed.sssom.tsv").is_file()
    enriched = runner.invoke(main, ["enrich", "--endpoint", wikidata_endpoint, "--store", str(store)])
    assert enriched.exit_code == 0 and "enrichment/wikidata" in enriched.output
    shown = runner.invoke(main, ["query", "enriched-facts", "--format", "csv", "--store", str(store)])
    assert "NASA,inception" in shown.output
    dropped = runner.invoke(main, ["enrich", "--drop", "--store", str(store)])
    assert dropped.exit_code == 0 and "removed the wikidata enrichment graph" in dropped.output
    shown = runner.invoke(main, ["query", "enriched-facts", "--format", "csv", "--store", str(store)])
    assert shown.output.strip() == "label,property,value,valueLabel,retrieved,wikidata,entity"


def test_an_unknown_dataset_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["link", "--dataset", "freebase", "--store", "memory:"])
    assert result.exit_code == 2


@pytest.mark.parametrize("bad", ["not a url", "ftp://127.0.0.1/x"])
def test_a_bad_endpoint_is_a_one_line_error(bad, tmp_path):
    store = tmp_path / "s"
    open_store(store).close()  # an empty store: the endpoint is refused before anything is asked
    for command in ("enrich", "link"):
        result = CliRunner().invoke(main, [command, "--endpoint", bad, "--store", str(store)])
        assert result.exit_code == 2 and "spacekg: error:" in result.output and "http" in result.output


def test_each_source_gets_its_own_graph(linked_store, wikidata_endpoint):
    enrich(linked_store, endpoint=wikidata_endpoint)
    wikidata_before = {str(q) for q in linked_store.quads() if q.graph_name == GRAPH}
    report = enrich(linked_store, dataset="dbpedia", endpoint=wikidata_endpoint)
    assert report.items == 7 and report.graph == "https://w3id.org/spacekg/graph/enrichment/dbpedia"
    dbpedia = ox.NamedNode(report.graph)
    facts = {(q.subject.value, q.object.value) for q in linked_store.quads()
             if q.graph_name == dbpedia and q.predicate.value == "http://dbpedia.org/ontology/country"}
    assert facts == {("http://dbpedia.org/resource/NASA", "http://dbpedia.org/resource/United_States")}
    assert {str(q) for q in linked_store.quads() if q.graph_name == GRAPH} == wikidata_before


def test_rebuilding_a_record_leaves_the_enrichment_graph_alone(linked_store, wikidata_endpoint):
    from spacekg import build

    enrich(linked_store, endpoint=wikidata_endpoint)
    before = {str(q) for q in linked_store.quads() if q.graph_name == GRAPH}
    build([SHIPPED_RECORD], linked_store)
    assert before and {str(q) for q in linked_store.quads() if q.graph_name == GRAPH} == before
