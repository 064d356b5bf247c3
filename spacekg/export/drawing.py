"""A picture of a projection for people without Gephi (``spacekg plot``): PNG, SVG or PDF.

networkx lays the graph out (a spring layout per connected component, with a fixed seed, so
the same store gives the same picture), matplotlib draws it on a figure of its own with the
Agg canvas (no window, no global pyplot state). Node colours come from the same palette as
the GEXF export (`spacekg.export.style`), node area grows with mentions, edge width with
weight, edges of the entities projection are labelled by predicate, and a legend lists the
classes present. Assertion nodes are labelled by their rank (``#12``) to stay legible.
"""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx

from spacekg.errors import ExportError
from spacekg.export.style import colour_for, node_size

__all__ = ["PLOT_FORMATS", "plot_graph"]

PLOT_FORMATS = ("png", "svg", "pdf")


def _label(data: dict) -> str:
    if data.get("kind") == "assertion":
        return f"#{data.get('best_rank', '?')}"
    return str(data.get("label", ""))


def _wrap(label: str, width: int = 18) -> str:
    """Break a long label over lines at spaces, so it does not cover its neighbours."""
    words, lines, line = label.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "\n".join(lines)


def layout(graph: nx.Graph, *, seed: int = 7) -> dict:
    """Positions: each connected component laid out on its own, then packed in rows, largest
    first, so small components do not fly to the margins as in one global spring layout."""
    undirected = graph.to_undirected(as_view=True)
    components = sorted((sorted(c) for c in nx.connected_components(undirected)), key=lambda c: (-len(c), c))
    positions: dict = {}
    columns = max(1, math.ceil(math.sqrt(len(components))))
    x = y = 0.0
    row_height = 0.0
    for i, nodes in enumerate(components):
        # a plain graph built in sorted order: a subgraph view iterates a set, whose order
        # changes with the process's hash seed, and with it the layout
        sub = nx.Graph()
        sub.add_nodes_from(nodes)
        sub.add_edges_from(sorted(tuple(sorted(e)) for e in undirected.subgraph(nodes).edges()))
        scale = 0.9 * math.sqrt(len(nodes)) * (1.6 if len(nodes) > 12 else 1.0)
        if len(nodes) == 1:
            pos = {nodes[0]: (0.0, 0.0)}
        elif len(nodes) <= 6:
            pos = nx.spring_layout(sub, seed=seed, scale=scale, k=1.6 / math.sqrt(len(nodes)), iterations=200)
        else:  # ForceAtlas2 (Gephi's default) with node sizes, which keeps hubs' neighbours apart
            raw = nx.forceatlas2_layout(sub, seed=seed, max_iter=800, scaling_ratio=6.0, gravity=0.5,
                                        node_size={v: 2.0 for v in nodes}, strong_gravity=False)
            pos = nx.rescale_layout_dict(raw, scale=scale)
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        width = max(xs) - min(xs) + 1.6
        height = max(ys) - min(ys) + 1.1
        if i and i % columns == 0:
            x, y = 0.0, y - row_height
            row_height = 0.0
        for n, (px, py) in pos.items():
            positions[n] = (x + px - min(xs), y + py - max(ys))
        x += width
        row_height = max(row_height, height)
    return positions


def plot_graph(graph: nx.Graph, output: str | Path, *, seed: int = 7, title: str | None = None) -> Path:
    """Draw `graph` to `output`; the format follows its suffix (.png, .svg or .pdf)."""
    path = Path(output)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in PLOT_FORMATS:
        raise ExportError(f"cannot plot to {path.name}: give -o a file ending in "
                          f"{', '.join('.' + f for f in PLOT_FORMATS)}")
    if graph.number_of_nodes() == 0:
        raise ExportError("the projection has no nodes to draw; loosen --max-rank, --class or --record")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    n = graph.number_of_nodes()
    pos = layout(graph, seed=seed)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x, span_y = max(xs) - min(xs) + 1.5, max(ys) - min(ys) + 1.2
    width = min(24.0, max(10.0, 1.9 * span_x))
    height = min(20.0, max(7.0, width * span_y / span_x))
    fig = Figure(figsize=(width, height), dpi=150 if n <= 60 else 110, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_xlim(min(xs) - 0.75, max(xs) + 0.75)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)

    nodes = list(graph.nodes)
    sizes = [40.0 * node_size(graph.nodes[v].get("mentions"), assertion=graph.nodes[v].get("kind") == "assertion")
             for v in nodes]
    colours = [colour_for(graph.nodes[v].get("class")).hex for v in nodes]
    weights = [float(d.get("weight", 1)) for *_, d in graph.edges(data=True)]
    top = max(weights, default=1.0)
    edge_widths = [1.0 + 4.0 * math.sqrt(w / top) if top > 1 else 1.6 for w in weights]

    if graph.is_directed():
        arrows = [not d.get("symmetric") for *_, d in graph.edges(data=True)]
        edge_list = [(u, v) for u, v, *_ in graph.edges]
        for want_arrow in (True, False):
            chosen = [i for i, a in enumerate(arrows) if a is want_arrow]
            if not chosen:
                continue
            nx.draw_networkx_edges(graph, pos, ax=ax, edgelist=[edge_list[i] for i in chosen],
                                   width=[edge_widths[i] for i in chosen], edge_color="#555555", alpha=0.75,
                                   arrows=True, arrowstyle="-|>" if want_arrow else "-", arrowsize=18,
                                   nodelist=nodes, node_size=sizes, connectionstyle="arc3,rad=0.08")
    else:
        nx.draw_networkx_edges(graph, pos, ax=ax, width=edge_widths, edge_color="#777777", alpha=0.55)
    nx.draw_networkx_nodes(graph, pos, ax=ax, nodelist=nodes, node_size=sizes, node_color=colours,
                           edgecolors="#333333", linewidths=0.8)
    font = 13 if n <= 30 else 10 if n <= 80 else 8
    for v in nodes:
        x, y = pos[v]
        radius_pts = math.sqrt(sizes[nodes.index(v)]) / 2
        ax.annotate(_wrap(_label(graph.nodes[v])), (x, y), xytext=(0, -radius_pts - 3), textcoords="offset points",
                    ha="center", va="top", fontsize=font, zorder=5,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
    if graph.graph.get("projection") == "entities":
        edge_labels = {}
        for u, v, *rest in graph.edges(data=True) if not graph.is_multigraph() else graph.edges(keys=True, data=True):
            data = rest[-1]
            key = (u, v)
            edge_labels[key] = "\n".join(filter(None, [edge_labels.get(key), data.get("label", "")]))
        nx.draw_networkx_edge_labels(graph, pos, edge_labels=edge_labels, ax=ax, font_size=font - 1,
                                     font_color="#222222", bbox={"boxstyle": "round,pad=0.1", "fc": "#F7F7F7",
                                                                 "ec": "none", "alpha": 0.9})

    present = sorted({graph.nodes[v].get("class") or "*" for v in nodes})
    handles = [Line2D([], [], marker="o", linestyle="", markersize=11, markerfacecolor=colour_for(c).hex,
                      markeredgecolor="#333333", label=c) for c in present]
    ax.legend(handles=handles, title="class", loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
              fontsize=font, title_fontsize=font + 1)
    ax.set_title(title or f"spacekg: {graph.graph.get('projection', 'graph')} projection — "
                 f"{n} nodes, {graph.number_of_edges()} edges (filters: {graph.graph.get('filters', 'none')})",
                 fontsize=font + 3, loc="left")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        metadata = {"Date": None} if fmt in ("svg", "pdf") else {}
        fig.savefig(path, format=fmt, metadata=metadata or None)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path
