"""GraphML (Cytoscape, yEd, igraph) and CSV tables (Gephi's spreadsheet import): thin writers
over the same projection, read back by the tools that consume them."""

from __future__ import annotations

import csv
import io
import os

import networkx as nx
import pytest

from spacekg.errors import ExportError
from spacekg.export import export
from spacekg.export.graphml import write_graphml
from spacekg.export.projection import PROJECTIONS
from spacekg.export.tables import table_paths, write_tables
from tests.export.conftest import GOLDEN

UPDATE = os.environ.get("SPACEKG_UPDATE_GOLDEN") == "1"


def graphml_bytes(graph) -> bytes:
    buf = io.BytesIO()
    write_graphml(graph, buf)
    return buf.getvalue()


@pytest.mark.parametrize("name", PROJECTIONS)
def test_graphml_reads_back_in_networkx_with_the_same_nodes_edges_and_attributes(shipped_projections, name):
    graph = shipped_projections[name]
    back = nx.read_graphml(io.BytesIO(graphml_bytes(graph)))
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    assert back.is_directed() == graph.is_directed() and back.graph["projection"] == name
    for node, data in graph.nodes(data=True):
        got = back.nodes[node]
        for key in ("label", "class", "kind", "mentions", "best_rank", "wikidata", "country"):
            if key in data:
                assert got[key] == data[key], (node, key)
    pairs = {(u, v): d for u, v, d in back.edges(data=True)}
    for u, v, data in graph.edges(data=True):
        got = pairs[(u, v)] if (u, v) in pairs else pairs[(v, u)]
        assert got["weight"] == data["weight"] and got["best_rank"] == data["best_rank"]
        assert got["assertions"] == "[" + ", ".join(data["assertions"]) + "]"


@pytest.mark.parametrize("name", PROJECTIONS)
def test_graphml_reads_back_in_igraph_with_the_same_nodes_edges_and_attributes(shipped_projections, name,
                                                                              tmp_path):
    igraph = pytest.importorskip("igraph")
    graph = shipped_projections[name]
    path = tmp_path / f"{name}.graphml"
    path.write_bytes(graphml_bytes(graph))
    back = igraph.Graph.Read_GraphML(str(path))
    assert back.vcount() == graph.number_of_nodes() and back.ecount() == graph.number_of_edges()
    assert back.is_directed() == graph.is_directed()
    assert set(back.vs["id"]) == set(graph.nodes)
    by_id = {v["id"]: v for v in back.vs}
    for node, data in graph.nodes(data=True):
        assert by_id[node]["label"] == data["label"] and by_id[node]["class"] == data["class"]
    assert sorted(back.es["weight"]) == sorted(float(d["weight"]) for *_, d in graph.edges(data=True))
    assert sorted(back.es["predicate"]) == sorted(d["predicate"] for *_, d in graph.edges(data=True))


def test_graphml_gives_parallel_edges_unique_ids_and_keeps_symmetry_as_an_attribute(shipped_projections):
    from lxml import etree

    root = etree.fromstring(graphml_bytes(shipped_projections["entities"]))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    ids = [e.get("id") for e in root.iterfind(".//g:edge", ns)]
    assert len(ids) == len(set(ids)) == shipped_projections["entities"].number_of_edges()
    keys = {k.get("attr.name"): k.get("attr.type") for k in root.iterfind("g:key[@for='edge']", ns)}
    assert keys["symmetric"] == "boolean" and keys["weight"] in ("int", "long")


def test_csv_tables_have_gephi_columns_and_one_row_per_node_and_edge(shipped_projections, tmp_path):
    graph = shipped_projections["entities"]
    nodes_path, edges_path = write_tables(graph, tmp_path / "entities.csv")
    assert (nodes_path.name, edges_path.name) == ("entities-nodes.csv", "entities-edges.csv")
    with nodes_path.open(encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with edges_path.open(encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh))
    assert list(nodes[0])[:4] == ["Id", "Label", "kind", "class"]
    assert list(edges[0])[:7] == ["Source", "Target", "Type", "Id", "Label", "Kind", "Weight"]
    assert {n["Id"] for n in nodes} == set(graph.nodes) and len(edges) == graph.number_of_edges()
    types = {(e["Source"], e["Target"], e["Label"]): e["Type"] for e in edges}
    assert types[("skgid:donald-trump", "skgid:sanae-takaichi", "metWith")] == "Undirected"
    assert types[("skgid:jared-isaacman", "skgid:nasa", "headOf")] == "Directed"
    nasa = next(n for n in nodes if n["Id"] == "skgid:nasa")
    assert nasa["Label"] == "NASA" and nasa["wikidata"] == "Q23548" and nasa["class"] == "GovernmentBody"


def test_csv_tables_of_the_entities_projection_match_their_golden_files(shipped_projections, tmp_path):
    nodes_path, edges_path = write_tables(shipped_projections["entities"], tmp_path / "entities.csv")
    for path in (nodes_path, edges_path):
        golden = GOLDEN / path.name
        if UPDATE:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(path.read_bytes())
        assert golden.exists(), f"no golden file {golden.name}; run with SPACEKG_UPDATE_GOLDEN=1 and review it"
        assert path.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8")


def test_csv_target_is_a_file_stem_or_a_folder_and_never_a_stream(tmp_path):
    assert table_paths(tmp_path / "g.csv") == (tmp_path / "g-nodes.csv", tmp_path / "g-edges.csv")
    assert table_paths(f"{tmp_path}/out/") == (tmp_path / "out" / "nodes.csv", tmp_path / "out" / "edges.csv")
    assert table_paths(tmp_path) == (tmp_path / "nodes.csv", tmp_path / "edges.csv")
    with pytest.raises(ExportError, match="two tables"):
        table_paths("-")


def test_export_writes_every_network_format_from_the_same_projection(shipped_store, tmp_path):
    for fmt in ("gexf", "graphml"):
        export(shipped_store, tmp_path / f"g.{fmt}", format=fmt, projection="comention", max_rank=10)
        assert (tmp_path / f"g.{fmt}").stat().st_size > 0
    export(shipped_store, tmp_path / "g.csv", format="csv", projection="comention", max_rank=10)
    gexf_graph = nx.read_graphml(tmp_path / "g.graphml")
    with (tmp_path / "g-edges.csv").open(encoding="utf-8") as fh:
        assert sum(1 for _ in fh) - 1 == gexf_graph.number_of_edges()
    with pytest.raises(ExportError, match="two tables"):
        export(shipped_store, io.BytesIO(), format="csv")
    with pytest.raises(ExportError, match="choose a network"):
        export(shipped_store, io.BytesIO(), format="trig", projection="entities")
