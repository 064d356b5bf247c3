"""GEXF 1.3 export: valid against the official RELAX NG grammar, faithful to the projection
when read back, stable against golden files, safe with hostile text, dynamic only with time."""

from __future__ import annotations

import importlib
import io
import os

import networkx as nx
import pytest
from lxml import etree

from spacekg.export.gexf import GEXF_NS, VIZ_NS, clean, write_gexf
from spacekg.export.projection import PROJECTIONS, project
from spacekg.export.style import colour_for
from tests.export.conftest import GOLDEN, HOSTILE_BODY, HOSTILE_PERSON, HOSTILE_PROGRAM, gexf_bytes

NS = {"g": GEXF_NS, "viz": VIZ_NS}
UPDATE = os.environ.get("SPACEKG_UPDATE_GOLDEN") == "1"  # regenerate after a reviewed change


def parse(data: bytes):
    return etree.fromstring(data)


def attvalues(element, declared: dict[str, str]) -> dict[str, str]:
    """An element's attvalues by attribute title."""
    return {declared[a.get("for")]: a.get("value") for a in element.findall("g:attvalues/g:attvalue", NS)}


def declared(root, cls: str) -> dict[str, str]:
    return {a.get("id"): a.get("title") for a in root.findall(f"g:graph/g:attributes[@class='{cls}']/g:attribute", NS)}


@pytest.mark.parametrize("name", PROJECTIONS)
def test_every_projection_of_the_shipped_record_is_valid_gexf_1_3(shipped_projections, gexf_grammar, name):
    doc = etree.ElementTree(parse(gexf_bytes(shipped_projections[name])))
    assert gexf_grammar.validate(doc), gexf_grammar.error_log
    root = doc.getroot()
    assert root.tag == f"{{{GEXF_NS}}}gexf" and root.get("version") == "1.3"


def test_the_grammar_rejects_what_it_should(gexf_grammar, shipped_projections):
    """The validator is not a rubber stamp: a bad weight, an edge without source and a colour
    channel over 255 are refused."""
    good = gexf_bytes(shipped_projections["entities"])
    for bad in (good.replace(b'weight="1"', b'weight="heavy"', 1), good.replace(b'source="', b'from="', 1),
                good.replace(b'r="51"', b'r="256"', 1)):
        assert bad != good
        assert not gexf_grammar.validate(etree.ElementTree(parse(bad)))


@pytest.mark.parametrize("name", PROJECTIONS)
def test_gexf_reads_back_with_the_same_nodes_edges_and_attributes(shipped_projections, name):
    graph = shipped_projections[name]
    root = parse(gexf_bytes(graph))
    node_titles, edge_titles = declared(root, "node"), declared(root, "edge")
    assert set(node_titles.values()) == {a.name for a in graph.graph["node_attributes"]}
    nodes = root.findall("g:graph/g:nodes/g:node", NS)
    edges = root.findall("g:graph/g:edges/g:edge", NS)
    assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()
    assert root.find("g:graph/g:nodes", NS).get("count") == str(graph.number_of_nodes())
    for element in nodes:
        data = graph.nodes[element.get("id")]
        assert element.get("label") == " ".join(data["label"].split())
        values = attvalues(element, node_titles)
        assert values["class"] == data["class"] and values["kind"] == data["kind"]
        if "mentions" in data:
            assert int(values["mentions"]) == data["mentions"]
        colour = element.find("viz:color", NS)
        assert (int(colour.get("r")), int(colour.get("g")), int(colour.get("b"))) == colour_for(data["class"]).rgb
        assert float(element.find("viz:size", NS).get("value")) > 0
    originals = list(graph.edges(data=True))
    for element, (u, v, data) in zip(edges, originals):
        assert (element.get("source"), element.get("target")) == (u, v)
        assert float(element.get("weight")) == data["weight"] and element.get("label") == data["label"]
        values = attvalues(element, edge_titles)
        assert int(values["best_rank"]) == data["best_rank"] and values["predicate"] == data["predicate"]
        assert values["assertions"] == "[" + ", ".join(data["assertions"]) + "]"


def test_directed_multigraph_marks_parallel_kinds_and_symmetric_edges(shipped_projections):
    root = parse(gexf_bytes(shipped_projections["entities"]))
    graph = root.find("g:graph", NS)
    assert graph.get("defaultedgetype") == "directed" and graph.get("mode") == "static"
    met = [e for e in root.iterfind("g:graph/g:edges/g:edge", NS) if e.get("kind") == "metWith"]
    assert len(met) == 1 and met[0].get("type") == "undirected"
    assert all(e.get("kind") for e in root.iterfind("g:graph/g:edges/g:edge", NS))
    comention = parse(gexf_bytes(shipped_projections["comention"])).find("g:graph", NS)
    assert comention.get("defaultedgetype") == "undirected"


def test_shipped_record_has_no_time_data_so_the_graph_is_static(shipped_projections):
    for name in PROJECTIONS:
        root = parse(gexf_bytes(shipped_projections[name]))
        assert root.find("g:graph", NS).get("mode") == "static"
        assert root.find(".//g:spells", NS) is None


def test_budget_fiscal_years_make_a_valid_dynamic_graph_with_spells(hostile_store, gexf_grammar):
    root = parse(gexf_bytes(project(hostile_store, "entities")))
    assert gexf_grammar.validate(etree.ElementTree(root)), gexf_grammar.error_log
    graph = root.find("g:graph", NS)
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "integer"
    spells = root.findall(".//g:edge/g:spells/g:spell", NS)
    assert [(s.get("start"), s.get("end")) for s in spells] == [("2027", "2027")]
    budget = spells[0].getparent().getparent()
    assert budget.get("label") == "budget"


@pytest.mark.parametrize("name", PROJECTIONS)
def test_xml_hostile_labels_and_text_are_escaped_and_control_characters_dropped(hostile_store, gexf_grammar, name):
    data = gexf_bytes(project(hostile_store, name))
    root = parse(data)  # well-formed despite <, &, quotes and control characters in the data
    assert gexf_grammar.validate(etree.ElementTree(root)), gexf_grammar.error_log
    assert b"\x01" not in data and b"\x0b" not in data and b"\x1f" not in data
    labels = {n.get("label") for n in root.iterfind("g:graph/g:nodes/g:node", NS)}
    expected = {" ".join(clean(label).split()) for label in (HOSTILE_PERSON, HOSTILE_BODY, HOSTILE_PROGRAM)}
    assert "Dr. <Bob> & \"Alice\" O'Hara of the Agency" in expected  # white space collapsed: xsd:token
    assert expected <= labels
    if name == "assertions":
        titles = declared(root, "node")
        texts = [attvalues(n, titles).get("text") for n in root.iterfind("g:graph/g:nodes/g:node", NS)]
        text = next(t for t in texts if t and t.startswith("Dr."))
        assert "<Bob> & \"Alice\" O'Hara heads" in text and "\x01" not in text and "\ufffe" not in text


def test_hostile_node_ids_and_list_items_survive(gexf_grammar):
    graph = nx.Graph()
    graph.add_node('a<&>"\'\x02', label="first\nline", kind="entity", **{"class": "Person"}, mentions=2)
    graph.add_node("b", label="", kind="entity", **{"class": "Nope"})
    graph.add_edge('a<&>"\'\x02', "b", label="x & y", weight=2.5, assertions=["p q", 'r"s', "null", "t,u"])
    root = parse(gexf_bytes(graph))
    assert gexf_grammar.validate(etree.ElementTree(root)), gexf_grammar.error_log
    node = root.find("g:graph/g:nodes/g:node", NS)
    assert node.get("id") == "a<&>\"'" and node.get("label") == "first line"
    edge = root.find("g:graph/g:edges/g:edge", NS)
    assert edge.get("source") == "a<&>\"'" and edge.get("weight") == "2.5"
    value = edge.find("g:attvalues/g:attvalue", NS).get("value")
    assert value == '["p q", "r\\"s", "null", "t,u"]'  # Gephi's list syntax, quoted where needed


def canonical(element) -> tuple:
    """An element as (tag, attributes, text, children), children order-insensitive; the
    creator's version string is left out so a version bump does not fail the golden files."""
    children = sorted(canonical(c) for c in element if c.tag != f"{{{GEXF_NS}}}creator")
    text = (element.text or "").strip()
    return element.tag, tuple(sorted(element.attrib.items())), text, tuple(children)


@pytest.mark.parametrize("name", PROJECTIONS)
def test_gexf_of_the_shipped_record_matches_its_golden_file(shipped_projections, name):
    got = gexf_bytes(shipped_projections[name])
    golden = GOLDEN / f"{name}.gexf"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(got)
    assert golden.exists(), f"no golden file for {name}; run with SPACEKG_UPDATE_GOLDEN=1 and review it"
    assert canonical(parse(got)) == canonical(parse(golden.read_bytes()))


def test_writer_streams_in_chunks_and_never_builds_a_tree(shipped_projections, monkeypatch):
    writes: list[int] = []

    class Sink(io.BytesIO):
        def write(self, b):  # type: ignore[override]
            writes.append(len(b))
            return super().write(b)

    gexf = importlib.import_module("spacekg.export.gexf")  # spacekg.export is also a function's name
    monkeypatch.setattr(gexf, "_CHUNK", 2048)
    big = nx.Graph()
    big.add_nodes_from((f"n{i}", {"label": f"N{i}", "class": "Place", "mentions": 1}) for i in range(20000))
    big.add_edges_from((f"n{i}", f"n{i + 1}", {"weight": 1}) for i in range(19999))
    sink = Sink()
    write_gexf(big, sink)
    total = len(sink.getvalue())
    assert len(writes) > 20 and max(writes) < 200_000 < total  # written in bounded pieces, not at the end
    assert len(parse(sink.getvalue()).findall("g:graph/g:edges/g:edge", NS)) == 19999


def _mixed_graph() -> nx.MultiDiGraph:
    """Edges that the batch renderer must hand back to the edge-by-edge one: floats, None,
    sets, unsafe list items, missing and extra keys, non-string values in string columns."""
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((f"n{i}", {"label": f"N {i}", "class": "Person", "mentions": i}) for i in range(40))
    odd = [{"weight": 2.5}, {"weight": None}, {"assertions": {"b", "a"}}, {"assertions": ["x y"]},
           {"assertions": ["null"]}, {"assertions": [1, 2]}, {"predicate": 7}, {"best_rank": 3.0},
           {"extra": "ignored"}, {"symmetric": True}, {"label": "other & label"}, {"best_rank": True}]
    for i in range(300):
        data = {"label": "headOf", "weight": 1, "predicate": "org:headOf", "best_rank": i % 9 + 1,
                "assertions": [f"skgid:a{i}"], "symmetric": False}
        if i % 29 == 5:
            data.update(odd[(i // 29) % len(odd)])
        if i % 97 == 50:
            del data["predicate"]
        graph.add_edge(f"n{i % 40}", f"n{(i * 7) % 40}", key=i, **data)
    return graph


@pytest.mark.parametrize("batch", [1, 7, 1024])
def test_batch_rendering_writes_exactly_what_edge_by_edge_rendering_writes(shipped_projections, monkeypatch,
                                                                          batch):
    gexf = importlib.import_module("spacekg.export.gexf")
    from spacekg.export.projection import EDGE_ATTRIBUTES

    mixed = _mixed_graph()
    mixed.graph["edge_attributes"] = EDGE_ATTRIBUTES
    monkeypatch.setattr(gexf, "_BATCH", batch)
    simple = nx.DiGraph(mixed)  # the adjacency walk of simple graphs, with the same odd edges
    escaped = nx.Graph()  # node ids that are not their own text (escaped, or not strings): looked up per edge
    escaped.add_edges_from(((f"n<{i}>&", i % 7, {"weight": 1}) for i in range(30)), label="co-mentioned")
    for graph in (*shipped_projections.values(), mixed, simple, simple.to_undirected(), escaped):
        monkeypatch.setattr(gexf, "_FAST", True)
        fast = gexf_bytes(graph)
        monkeypatch.setattr(gexf, "_FAST", False)
        assert fast == gexf_bytes(graph)


@pytest.mark.parametrize("kind", [nx.Graph, nx.DiGraph, nx.MultiGraph])
def test_edges_are_written_in_networkx_edge_order_each_once(kind, monkeypatch):
    gexf = importlib.import_module("spacekg.export.gexf")
    monkeypatch.setattr(gexf, "_BATCH", 3)
    graph = kind()
    graph.add_edges_from([("a", "b"), ("c", "a"), ("b", "b"), ("d", "c"), ("b", "d"), ("e", "a")], weight=1)
    root = parse(gexf_bytes(graph))
    written = [(e.get("source"), e.get("target")) for e in root.findall("g:graph/g:edges/g:edge", NS)]
    assert written == [(u, v) for u, v in graph.edges()]


@pytest.mark.parametrize("kind", [nx.Graph, nx.DiGraph, nx.MultiGraph, nx.MultiDiGraph])
def test_edges_split_at_any_node_are_networkx_edge_order_when_joined(kind):
    """The worker renders the edges written from some node on: the two parts, joined, are
    every edge once in `graph.edges()` order, wherever the split falls."""
    gexf = importlib.import_module("spacekg.export.gexf")
    graph = kind()
    graph.add_edges_from([("a", "b"), ("c", "a"), ("b", "b"), ("d", "c"), ("b", "d"), ("e", "a"), ("a", "b"),
                          ("d", "c")], weight=1)
    expected = [(u, v) for u, v, _ in graph.edges(data=True)]
    for first in range(graph.number_of_nodes() + 1):
        parts = [*gexf._edge_batches(graph, 0, first), *gexf._edge_batches(graph, first)]
        assert [(u, v) for batch in parts for u, v, _ in batch] == expected


def _dynamic_graph() -> nx.Graph:
    graph = nx.Graph(timeformat="integer")
    graph.add_nodes_from((f"n{i}", {"label": f"N {i}", "spells": [(2020 + i % 3, None)]}) for i in range(12))
    graph.add_edges_from(((f"n{i}", f"n{(i * 5) % 12}", {"weight": i, "spells": [(2027, 2027)]}) for i in range(12)))
    return graph


def test_a_forked_worker_writes_the_same_bytes_wherever_the_edges_are_split(shipped_projections, hostile_store):
    gexf = importlib.import_module("spacekg.export.gexf")
    from spacekg.export.projection import EDGE_ATTRIBUTES

    mixed = _mixed_graph()
    mixed.graph["edge_attributes"] = EDGE_ATTRIBUTES
    simple = nx.DiGraph(mixed)
    ids = nx.relabel_nodes(simple.to_undirected(), {f"n{i}": f"n<{i}>&" if i % 2 else i for i in range(40)})
    graphs = [*shipped_projections.values(), project(hostile_store, "entities"), mixed, simple,
              simple.to_undirected(), ids, _dynamic_graph()]
    for graph in graphs:
        expected = gexf_bytes(graph)  # below the threshold: one process
        n = graph.number_of_nodes()
        for first in sorted({0, 1, n // 3, n // 2, n - 1, n}):
            out = io.BytesIO()
            gexf._write_in_two(graph, out, None, first)
            assert out.getvalue() == expected, (graph.graph.get("projection"), first)


def test_write_gexf_forks_a_worker_when_asked_and_above_the_threshold(shipped_projections, monkeypatch):
    gexf = importlib.import_module("spacekg.export.gexf")
    graph = shipped_projections["comention"]
    expected = gexf_bytes(graph)
    splits: list[int] = []
    original = gexf._write_in_two
    monkeypatch.setattr(gexf, "_PARALLEL_EDGES", graph.number_of_edges())
    monkeypatch.setattr(gexf, "_write_in_two", lambda *a: splits.append(a[-1]) or original(*a))
    assert gexf_bytes(graph) == expected and splits == []  # not asked: one process
    out = io.BytesIO()
    write_gexf(graph, out, parallel=True)
    assert out.getvalue() == expected
    assert len(splits) == (1 if gexf._can_fork() else 0)
    assert all(0 <= s <= graph.number_of_nodes() for s in splits)


class _Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("this value cannot be written")


def test_an_error_in_the_worker_is_raised_here_and_leaves_no_process_or_file(monkeypatch, tmp_path):
    import multiprocessing
    import tempfile

    gexf = importlib.import_module("spacekg.export.gexf")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    graph = nx.DiGraph()
    graph.add_edges_from((f"n{i}", f"n{i + 1}", {"weight": 1, "note": "fine"}) for i in range(30))
    graph.add_edge("n30", "n0", weight=1, note=_Unprintable())  # written from the last node: the worker's part
    with pytest.raises(RuntimeError, match="cannot be written"):
        gexf_bytes(graph)  # one process: the error as it is
    with pytest.raises(RuntimeError, match="cannot be written"):
        gexf._write_in_two(graph, io.BytesIO(), None, 30)  # the worker's error, raised here
    assert multiprocessing.active_children() == [] and list(tmp_path.iterdir()) == []


def test_a_worker_that_dies_is_reported_with_its_exit_code(monkeypatch):
    gexf = importlib.import_module("spacekg.export.gexf")
    monkeypatch.setattr(gexf, "_render_part", lambda *a: os._exit(3))
    graph = nx.path_graph(["a", "b", "c", "d"])
    with pytest.raises(gexf.ExportError, match=r"stopped \(exit code 3\)"):
        gexf._write_in_two(graph, io.BytesIO(), None, 2)


def test_a_failing_output_stops_the_worker_and_says_which_file(monkeypatch):
    import multiprocessing

    gexf = importlib.import_module("spacekg.export.gexf")

    class Full(io.BytesIO):
        name = "/full/disk.gexf"

        def write(self, b):  # type: ignore[override]
            if self.tell() + len(b) > 4096:
                raise OSError(28, "No space left on device")
            return super().write(b)

    graph = nx.Graph()
    graph.add_edges_from((f"n{i}", f"n{(i * 7) % 500}", {"weight": 1}) for i in range(500))
    monkeypatch.setattr(gexf, "_PARALLEL_EDGES", 1)
    monkeypatch.setattr(gexf, "_can_fork", lambda: True)
    with pytest.raises(gexf.ExportError, match="cannot write /full/disk.gexf: No space left on device"):
        write_gexf(graph, Full(), parallel=True)
    assert multiprocessing.active_children() == []


def test_edge_labels_equal_as_values_but_not_as_text_are_written_as_their_own_text():
    """1, 1.0 and True are one dictionary key; the label memo must not write one for another."""
    graph = nx.MultiDiGraph()
    for label in (1, 1.0, True, "1", 1, True):
        graph.add_edge("a", "b", label=label, weight=1)
    root = parse(gexf_bytes(graph))
    labels = [e.get("label") for e in root.findall("g:graph/g:edges/g:edge", NS)]
    assert labels == ["1", "1.0", "True", "1", "1", "True"]
