"""CSV node and edge tables for Gephi's spreadsheet import (Data Laboratory → Import
Spreadsheet), a thin writer over the projection.

Gephi recognises the columns ``Id`` and ``Label`` in a node table, and ``Source``,
``Target``, ``Type`` (Directed/Undirected), ``Id``, ``Label``, ``Kind`` (parallel edges) and
``Weight`` in an edge table; every other column is imported as an attribute. Lists are
written as Gephi parses them (``[a, b]``).

Two files are written: ``-o graph.csv`` gives ``graph-nodes.csv`` and ``graph-edges.csv``
beside it; ``-o DIR/`` (or an existing folder) gives ``DIR/nodes.csv`` and ``DIR/edges.csv``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

from spacekg.errors import ExportError
from spacekg.export.formatting import format_value
from spacekg.export.projection import RESERVED, Attribute

__all__ = ["table_paths", "write_tables"]


def table_paths(target: str | Path) -> tuple[Path, Path]:
    """Where the node and edge tables go for ``-o target`` (see the module docstring)."""
    text = str(target)
    if text in ("", "-"):
        raise ExportError("csv writes two tables (nodes and edges), not one stream; give -o FILE.csv "
                          "(writes FILE-nodes.csv and FILE-edges.csv) or -o FOLDER/")
    path = Path(text)
    if text.endswith(("/", "\\")) or path.is_dir():
        return path / "nodes.csv", path / "edges.csv"
    suffix = path.suffix or ".csv"
    return path.with_name(f"{path.stem}-nodes{suffix}"), path.with_name(f"{path.stem}-edges{suffix}")


def _columns(graph: nx.Graph, key: str) -> tuple[Attribute, ...]:
    declared = graph.graph.get(key)
    if declared is not None:
        return tuple(declared)
    items = graph.nodes(data=True) if key == "node_attributes" else ((None, d) for *_, d in graph.edges(data=True))
    names = dict.fromkeys(k for _, d in items for k in d if k not in RESERVED)
    return tuple(Attribute(n, "string", "") for n in names)


def _cell(value: object) -> str:
    return "" if value is None else format_value(value)


def write_tables(graph: nx.Graph, target: str | Path) -> tuple[Path, Path]:
    """Write the node and edge tables of `graph`; returns their paths."""
    nodes_path, edges_path = table_paths(target)
    node_columns = _columns(graph, "node_attributes")
    edge_columns = _columns(graph, "edge_attributes")
    multigraph = graph.is_multigraph()
    try:
        nodes_path.parent.mkdir(parents=True, exist_ok=True)
        with nodes_path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(["Id", "Label", *(c.name for c in node_columns)])
            for node, data in graph.nodes(data=True):
                out.writerow([node, _cell(data.get("label")), *(_cell(data.get(c.name)) for c in node_columns)])
        with edges_path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(["Source", "Target", "Type", "Id", "Label", *(["Kind"] if multigraph else []), "Weight",
                          *(c.name for c in edge_columns)])
            edges = graph.edges(keys=True, data=True) if multigraph else \
                ((u, v, None, d) for u, v, d in graph.edges(data=True))
            for i, (u, v, _key, data) in enumerate(edges):
                kind = "Directed" if graph.is_directed() and not data.get("symmetric") else "Undirected"
                label = _cell(data.get("label"))
                out.writerow([u, v, kind, i, label, *([label] if multigraph else []), _cell(data.get("weight", 1)),
                              *(_cell(data.get(c.name)) for c in edge_columns)])
    except OSError as exc:
        raise ExportError(f"cannot write the CSV tables {nodes_path} and {edges_path}: {exc.strerror or exc}") from exc
    return nodes_path, edges_path
