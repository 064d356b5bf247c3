"""GEXF export at scale: spacekg's streaming GEXF 1.3 writer against networkx.write_gexf.

Not a test (it takes a minute and gigabytes): run it by hand and copy its table into
docs/BENCHMARKS.md.

    .venv/bin/python benchmarks/gexf_bench.py                 # 1M edges, both writers
    .venv/bin/python benchmarks/gexf_bench.py --edges 200000 --edges 1000000 --skip-networkx-above 200000
    .venv/bin/python benchmarks/gexf_bench.py --fork   # also the writer with a forked worker

A synthetic projection shaped like spacekg's ``comention`` projection (undirected; nodes
with class, label, IRI, Wikidata ID, mention count and best rank; edges with label, weight,
predicate, best rank and one or two assertion ids) is built with the same seed for every
writer. Each measurement runs in a fresh subprocess, so one writer's memory cannot hide the
other's: time is the wall-clock and the CPU time of the write alone (CPU time is the fairer
figure on a shared machine; with ``--repeat N`` the fastest of N runs is kept), memory is the process's peak
resident set size (``getrusage``) minus its resident size just before writing, i.e. what
writing added on top of the graph itself. networkx gets the same data, with lists turned
into strings (it would read a list as dynamic spells) and the viz colour and size our
writer derives from the class, so both files carry the same information.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLASSES = ("Country", "GovernmentBody", "Organization", "Company", "Person", "Program", "PolicyDocument", "Forum",
           "Capability", "Place")


def synthetic_projection(edges: int, *, seed: int = 42):
    """A comention-like projection with `edges` edges and edges // 10 nodes."""
    import networkx as nx

    from spacekg.export.projection import EDGE_ATTRIBUTES, NODE_ATTRIBUTES

    rng = random.Random(seed)
    n = max(10, edges // 10)
    graph = nx.Graph()
    for i in range(n):
        cls = CLASSES[i % len(CLASSES)]
        data = {"label": f"{cls} {i} & <co>", "kind": "entity", "class": cls,
                "iri": f"https://w3id.org/spacekg/id/entity-{i}", "mentions": rng.randint(1, 60),
                "best_rank": rng.randint(1, 60)}
        if i % 3 == 0:
            data["wikidata"] = f"Q{100000 + i}"
        graph.add_node(f"skgid:entity-{i}", **data)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < edges:
        u, v = rng.randrange(n), rng.randrange(n)
        if u != v:
            pairs.add((u, v) if u < v else (v, u))
    # inserted sorted, as `project` inserts its edges (and so laid out in memory as a real
    # projection is: the writers walk the adjacency in that order)
    for a, b in sorted(pairs):
        ids = [f"skgid:record/r{rng.randrange(500)}/assertion/{rng.getrandbits(64):016x}"
               for _ in range(rng.randint(1, 2))]
        graph.add_edge(f"skgid:entity-{a}", f"skgid:entity-{b}", label="co-mentioned", weight=len(ids),
                       predicate="skg:mentions", best_rank=rng.randint(1, 60), assertions=ids)
    node_keys = {k for _, d in graph.nodes(data=True) for k in d}
    graph.graph.update({
        "projection": "comention", "filters": "none (synthetic)",
        "node_attributes": tuple(a for a in NODE_ATTRIBUTES if a.name in node_keys),
        "edge_attributes": tuple(a for a in EDGE_ATTRIBUTES if a.name in ("predicate", "best_rank", "assertions")),
    })
    return graph


def for_networkx(graph):
    """The same graph as networkx.write_gexf wants it: scalar values, viz dicts."""
    from spacekg.export.formatting import format_value
    from spacekg.export.style import colour_for, node_size

    out = graph.__class__()
    for node, data in graph.nodes(data=True):
        r, g, b = colour_for(data.get("class")).rgb
        clean = {k: v for k, v in data.items()}
        clean["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}, "size": node_size(data.get("mentions"))}
        out.add_node(node, **clean)
    for u, v, data in graph.edges(data=True):
        out.add_edge(u, v, **{k: (format_value(x) if isinstance(x, list) else x) for k, x in data.items()})
    return out


def _rss_kib() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def measure(writer: str, edges: int) -> dict:
    """Build the projection, then time one writer on it (run in a fresh process).

    ``spacekg`` is the writer as it runs by default (one process); ``spacekg-fork`` the same
    writer with ``parallel=True`` (from 200,000 edges a forked worker renders the last part
    of the edges). CPU time is this
    process's plus the worker's; the worker's own is also given, with its peak resident set
    (which counts the graph's pages it shares with this process, not only what it adds).
    """
    import networkx as nx

    from spacekg.export import gexf

    graph = synthetic_projection(edges)
    if writer == "networkx":
        graph = for_networkx(graph)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{writer}.gexf"
        before = _rss_kib()
        start, times = time.perf_counter(), os.times()
        if writer.startswith("spacekg"):
            with path.open("wb") as fh:
                gexf.write_gexf(graph, fh, parallel=writer == "spacekg-fork")
        else:
            nx.write_gexf(graph, path)
        seconds, after = time.perf_counter() - start, os.times()
        worker_cpu = after.children_user + after.children_system - times.children_user - times.children_system
        cpu_seconds = after.user + after.system - times.user - times.system + worker_cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        size = path.stat().st_size
    return {"writer": writer, "edges": graph.number_of_edges(), "nodes": graph.number_of_nodes(),
            "seconds": round(seconds, 2), "cpu_seconds": round(cpu_seconds, 2), "worker_cpu_seconds": round(worker_cpu, 2),
            "rss_before_mib": round(before / 1024), "added_peak_mib": round(max(0, peak - before) / 1024),
            "worker_peak_rss_mib": round(worker_peak / 1024), "file_mib": round(size / 2**20, 1),
            "load": round(load, 2)}


def _run_child(writer: str, edges: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", writer, str(edges)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, action="append", help="edge counts (default: 1000000)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per writer and size; the fastest is reported (as timeit does)")
    parser.add_argument("--skip-networkx-above", type=int, default=None,
                        help="measure networkx only up to this many edges")
    parser.add_argument("--fork", action="store_true",
                        help="also time the spacekg writer with parallel=True (a forked worker renders part of the edges)")
    parser.add_argument("--child", nargs=2, metavar=("WRITER", "EDGES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child[0], int(args.child[1]))))
        return
    import networkx as nx

    print(f"# GEXF export benchmark: Python {platform.python_version()}, networkx {nx.__version__}, "
          f"{os.cpu_count()} cores, {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB")
    print(f"# load average before: {os.getloadavg()[0]:.2f}; best of {args.repeat} run(s) per writer and size")
    print("| edges | nodes | writer | wall time (s) | CPU time (s), worker's | peak memory added (MiB), worker's RSS | "
          "file (MiB) | load | speed-up (wall / CPU) |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for edges in args.edges or [1_000_000]:
        def best(writer: str) -> dict:
            return min((_run_child(writer, edges) for _ in range(args.repeat)), key=lambda r: r["cpu_seconds"])

        ours = [best("spacekg")] + ([best("spacekg-fork")] if args.fork else [])
        theirs = None
        if args.skip_networkx_above is None or edges <= args.skip_networkx_above:
            theirs = best("networkx")
        for r in [*ours, *([theirs] if theirs else [])]:
            speedup = (f"{theirs['seconds'] / r['seconds']:.1f}× / "
                       f"{theirs['cpu_seconds'] / r['cpu_seconds']:.1f}×") if theirs and r is not theirs else ""
            worker = (f", {r['worker_cpu_seconds']}" if r["worker_cpu_seconds"] else "",
                      f", {r['worker_peak_rss_mib']:,}" if r["worker_cpu_seconds"] else "")
            print(f"| {r['edges']:,} | {r['nodes']:,} | {r['writer']} | {r['seconds']} | {r['cpu_seconds']}{worker[0]} | "
                  f"{r['added_peak_mib']:,}{worker[1]} | {r['file_mib']} | {r['load']} | {speedup} |", flush=True)


if __name__ == "__main__":
    main()
