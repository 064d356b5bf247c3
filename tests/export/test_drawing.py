"""The picture for people without Gephi: the same store gives the same picture, whatever
the process's hash seed, and a graph with nothing to draw is an error that says why."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import networkx as nx
import pytest

from spacekg.errors import ExportError
from spacekg.export.drawing import layout, plot_graph

LAYOUT = """
import json, networkx as nx
from spacekg.export.drawing import layout
g = nx.Graph()
g.add_edges_from([("ministry", "program"), ("ministry", "person"), ("person", "country"), ("x", "y")]
                 + [("hub", f"leaf{i}") for i in range(9)])
g.add_node("alone")
print(json.dumps({k: [round(float(a), 6), round(float(b), 6)] for k, (a, b) in sorted(layout(g).items())}))
"""


def test_layout_does_not_depend_on_the_hash_seed():
    runs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", LAYOUT], capture_output=True, text=True, env=env, check=True)
        runs.append(json.loads(out.stdout))
    assert runs[0] == runs[1] and len(runs[0]) == 17


def test_components_are_laid_out_apart():
    g = nx.Graph([("a", "b"), ("c", "d")])
    pos = layout(g)
    assert abs(pos["a"][0] - pos["c"][0]) + abs(pos["a"][1] - pos["c"][1]) > 1.0


def test_an_empty_projection_or_an_unknown_format_is_an_export_error(tmp_path):
    with pytest.raises(ExportError, match="no nodes"):
        plot_graph(nx.Graph(), tmp_path / "g.png")
    with pytest.raises(ExportError, match=r"\.png"):
        plot_graph(nx.Graph([("a", "b")]), tmp_path / "g.bmp")
