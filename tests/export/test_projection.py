"""The one projection of the store to a network: what becomes a node and an edge, what they
carry, and what the filters keep."""

from __future__ import annotations

import networkx as nx
import pytest

from spacekg.errors import ExportError
from spacekg.export.projection import NODE_ATTRIBUTES, PROJECTIONS, project
from spacekg.model import EntityClass
from spacekg.queries import run_query

HEADS = """
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?p ?o ?a WHERE { GRAPH ?a { ?p org:headOf ?o } }
"""


def test_entities_projection_has_one_edge_per_fact_labelled_by_predicate(shipped_projections, shipped_store):
    g = shipped_projections["entities"]
    assert isinstance(g, nx.MultiDiGraph)
    heads = {(u, v) for u, v, k in g.edges(keys=True) if k == "org:headOf"}
    expected = {(f"skgid:{r[0].value.rsplit('/', 1)[1]}", f"skgid:{r[1].value.rsplit('/', 1)[1]}")
                for r in run_query(shipped_store, HEADS)}
    assert heads == expected and ("skgid:jared-isaacman", "skgid:nasa") in heads
    for u, v, key, data in g.edges(keys=True, data=True):
        assert data["predicate"] == key and data["label"] == key.split(":")[1]
        assert data["weight"] == len(data["assertions"]) >= 1
        assert data["best_rank"] >= 1


def test_a_symmetric_fact_written_both_ways_is_one_undirected_edge(shipped_projections):
    g = shipped_projections["entities"]
    met = [(u, v, d) for u, v, k, d in g.edges(keys=True, data=True) if k == "skg:metWith"]
    assert len(met) == 1  # the store holds Trump metWith Takaichi and Takaichi metWith Trump
    u, v, d = met[0]
    assert {u, v} == {"skgid:donald-trump", "skgid:sanae-takaichi"} and d["symmetric"] is True
    assert all(d["symmetric"] is False for *_, k, d in g.edges(keys=True, data=True) if k != "skg:metWith")


def test_edges_carry_weight_best_rank_and_assertion_ids_strongest_first(shipped_projections):
    g = shipped_projections["comention"]
    japan_us = g.edges["skgid:japan", "skgid:united-states"]
    assert japan_us["weight"] == len(japan_us["assertions"]) > 5
    assert japan_us["best_rank"] == 1
    assertions = shipped_projections["assertions"]  # where assertion ids are nodes, with their rank
    order = [assertions.nodes[a]["best_rank"] for a in japan_us["assertions"]]
    assert order == sorted(order) and order[0] == 1


def test_comention_weight_counts_the_assertions_that_mention_both(shipped_projections):
    comention, bipartite = shipped_projections["comention"], shipped_projections["assertions"]
    for u, v, data in comention.edges(data=True):
        both = set(bipartite.predecessors(u)) & set(bipartite.predecessors(v))
        assert data["weight"] == len(both) and set(data["assertions"]) == both


def test_assertions_projection_is_bipartite_sentence_to_entity(shipped_projections, shipped_store):
    g = shipped_projections["assertions"]
    kinds = nx.get_node_attributes(g, "kind")
    assert sum(k == "assertion" for k in kinds.values()) == 60
    for u, v in g.edges:
        assert kinds[u] == "assertion" and kinds[v] == "entity"
    mentions = run_query(shipped_store, "SELECT (COUNT(*) AS ?n) WHERE { ?a <https://w3id.org/spacekg/ontology#mentions> ?e }")
    assert g.number_of_edges() == int(mentions.rows[0][0].value)
    a = next(n for n, d in g.nodes(data=True) if d["kind"] == "assertion" and d["best_rank"] == 1)
    assert g.nodes[a]["class"] == "Assertion" and g.nodes[a]["text"] and g.nodes[a]["record"].endswith(".txt")
    assert g.nodes[a]["modality"] in {"Stated", "Hedged", "Anticipated", "Prescriptive"}


def test_nodes_carry_class_label_wikidata_country_mentions_and_best_rank(shipped_projections):
    g = shipped_projections["comention"]
    nasa = g.nodes["skgid:nasa"]
    assert nasa["label"] == "NASA" and nasa["class"] == "GovernmentBody" and nasa["wikidata"] == "Q23548"
    assert nasa["country"] == "United States" and nasa["mentions"] >= 1 and nasa["best_rank"] >= 1
    assert nasa["iri"] == "https://w3id.org/spacekg/id/nasa"
    assert g.nodes["skgid:japan"]["mentions"] > g.nodes["skgid:nasa"]["mentions"]
    declared = {a.name for a in g.graph["node_attributes"]}
    assert declared <= {a.name for a in NODE_ATTRIBUTES}
    assert all(set(d) - {"label"} <= declared for _, d in g.nodes(data=True))


def test_max_rank_keeps_only_evidence_in_the_top_k(shipped_store):
    full = project(shipped_store, "entities")
    top7 = project(shipped_store, "entities", max_rank=7)
    assert 0 < top7.number_of_edges() < full.number_of_edges()
    assert all(d["best_rank"] <= 7 for *_, d in top7.edges(data=True))
    assert ("skgid:jared-isaacman", "skgid:nasa") not in top7.edges()  # said at rank 25
    bipartite = project(shipped_store, "assertions", max_rank=10)
    assert sum(d["kind"] == "assertion" for _, d in bipartite.nodes(data=True)) == 10
    assert all(d["mentions"] <= 10 for _, d in bipartite.nodes(data=True) if d["kind"] == "entity")


def test_class_filter_keeps_the_class_and_its_subclasses(shipped_store):
    orgs = project(shipped_store, "comention", classes=["Organization"])
    classes = {d["class"] for _, d in orgs.nodes(data=True)}
    assert "GovernmentBody" in classes and classes <= {"Organization", "GovernmentBody", "Company"}
    people_and_countries = project(shipped_store, "entities", classes=["person", "skg:Country"])
    assert {d["class"] for _, d in people_and_countries.nodes(data=True)} == {"Person", "Country"}
    assert {k for *_, k in people_and_countries.edges(keys=True)} == {"org:headOf", "skg:metWith"}


def test_record_filter_accepts_file_name_slug_or_iri(shipped_store):
    full = project(shipped_store, "assertions")
    for spelling in ("us-japan-space-partnership.txt", "us-japan-space-partnership",
                     "https://w3id.org/spacekg/id/record/us-japan-space-partnership"):
        got = project(shipped_store, "assertions", record=spelling)
        assert got.number_of_nodes() == full.number_of_nodes()


@pytest.mark.parametrize("name", ["entities", "comention"])
def test_record_filter_on_a_network_of_entities_keeps_that_records_network(shipped_store, name):
    # without --record these projections read only the ranks of the assertions; with it, their records too
    whole, one = project(shipped_store, name), project(shipped_store, name, record="us-japan-space-partnership")
    assert one.number_of_edges() > 0
    assert list(one.nodes(data=True)) == list(whole.nodes(data=True))
    assert list(one.edges(data=True)) == list(whole.edges(data=True))


@pytest.mark.parametrize("kwargs, message", [
    ({"projection": "people"}, "unknown projection"),
    ({"classes": ["Spaceship"]}, "no such entity class"),
    ({"record": "mars.txt"}, "no such record"),
    ({"max_rank": 0}, "ranks start at 1"),
])
def test_bad_projection_or_filter_is_an_export_error_that_says_what_to_do(shipped_store, kwargs, message):
    kwargs = {"projection": "entities", **kwargs}
    with pytest.raises(ExportError, match=message) as err:
        project(shipped_store, kwargs.pop("projection"), **kwargs)
    if "classes" in kwargs:
        assert "GovernmentBody" in str(err.value)  # it lists the choices
    if "record" in kwargs:
        assert "us-japan-space-partnership.txt" in str(err.value)


def test_projection_is_deterministic_and_sorted(shipped_store):
    for name in PROJECTIONS:
        a, b = project(shipped_store, name), project(shipped_store, name)
        assert list(a.nodes(data=True)) == list(b.nodes(data=True))
        assert list(a.edges(data=True)) == list(b.edges(data=True))
        assert list(a.nodes) == sorted(a.nodes)
        edges = [(u, v) for u, v, *_ in a.edges]
        assert edges == sorted(edges)


def test_budget_with_purpose_is_a_holder_to_purpose_edge_with_its_fiscal_year(hostile_store):
    g = project(hostile_store, "entities")
    budget = [d for *_, k, d in g.edges(keys=True, data=True) if d["label"] == "budget"]
    assert len(budget) == 1
    assert budget[0]["fiscal_years"] == [2027] and budget[0]["spells"] == [(2027, 2027)]
    assert g.graph["timeformat"] == "integer"
    assert g.has_edge("skgid:hostile-body", "skgid:hostile-program")


def test_every_entity_class_has_its_own_palette_colour():
    from spacekg.export.style import FALLBACK, palette

    colours = palette()
    assert {c.value for c in EntityClass} | {"Assertion", FALLBACK} == set(colours)
    assert len({c.hex for c in colours.values()}) == len(colours)


def test_projection_queries_and_palette_ship_as_package_data():
    """They are read through importlib.resources: a wheel without them could not export."""
    import fnmatch
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    globs = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["spacekg.export"]
    folder = root / "spacekg" / "export"
    files = [p.relative_to(folder).as_posix() for p in [*folder.glob("projections/*.rq"), folder / "palette.tsv"]]
    assert len(files) >= 8
    assert all(any(fnmatch.fnmatch(f, g) for g in globs) for f in files), (files, globs)
