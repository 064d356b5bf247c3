"""GraphML, for Cytoscape, yEd and igraph: a thin writer over the projection.

networkx writes GraphML well (typed ``<key>`` declarations, escaping), so this module only
prepares a copy of the projection it can write: lists become Gephi-style strings
(``[a, b]``), ``spells`` are dropped (the ``fiscal_years`` column carries the same years),
and the graph's own data is reduced to the projection name and filters. A symmetric fact
(``skg:metWith``) stays one edge with ``symmetric=true``: networkx and igraph reject GraphML
that mixes directed and undirected edges.
"""

from __future__ import annotations

from typing import BinaryIO

import networkx as nx

from spacekg.export.formatting import format_value

__all__ = ["graphml_ready", "write_graphml"]


def _clean(data: dict) -> dict:
    return {k: (format_value(v) if isinstance(v, (list, tuple, set, frozenset)) else v)
            for k, v in data.items() if v is not None and k != "spells"}


def graphml_ready(graph: nx.Graph) -> nx.Graph:
    """A copy of `graph` whose every value GraphML can type (str, int, float, bool)."""
    out = graph.__class__()
    out.graph.update({k: str(graph.graph[k]) for k in ("projection", "filters") if k in graph.graph})
    out.add_nodes_from((n, _clean(d)) for n, d in graph.nodes(data=True))
    if graph.is_multigraph():  # GraphML edge ids must be unique: number them, as the GEXF writer does
        out.add_edges_from((u, v, f"e{i}", _clean(d)) for i, (u, v, d) in enumerate(graph.edges(data=True)))
    else:
        out.add_edges_from((u, v, _clean(d)) for u, v, d in graph.edges(data=True))
    return out


def write_graphml(graph: nx.Graph, output: BinaryIO) -> None:
    """Write `graph` to the binary stream `output` as GraphML (UTF-8)."""
    nx.write_graphml(graphml_ready(graph), output, encoding="utf-8", prettyprint=True)
