"""A large build with its timeline: when validation starts and ends, how long the bulk loads
still pending after it take, and the summary roll-up (session 6).

    python benchmarks/build_timeline.py benchmarks/data/100k --store /tmp/timeline-store

`spacekg.build.build(..., staged=True, validate=True)` into a fresh on-disk store, as
`benchmarks/run.py` builds; the stages of `spacekg.bulk` are timed by wrapping them (the
build itself is unchanged). The wall time the build spends after validation waiting for its
loads is time with one core idle: the loads are the build's serial stage. CPU time of this
process (the loads, the roll-up) and of its workers (extraction, validation) from getrusage.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    import spacekg.bulk as bulk
    import spacekg.graph.summary as summary
    from spacekg.build import build
    from spacekg.graph.oxigraph_store import OxigraphStore

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records")
    parser.add_argument("--store", default="/tmp/build-timeline-store", help="a folder, deleted before and after")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    start, marks = time.perf_counter(), {}

    def timed(owner: object, name: str, label: str) -> None:
        fn: Callable = getattr(owner, name)

        def wrapper(*a, **k):
            marks[f"{label} start"] = round(time.perf_counter() - start, 1)
            try:
                return fn(*a, **k)
            finally:
                marks[f"{label} end"] = round(time.perf_counter() - start, 1)

        setattr(owner, name, wrapper)

    timed(bulk, "_validate", "validate")
    timed(bulk._Loader, "finish", "loads pending after validation")
    timed(summary, "rebuild_summary", "roll-up")
    shutil.rmtree(args.store, ignore_errors=True)
    store = OxigraphStore(Path(args.store))
    report = build([Path(args.records)], store, staged=True, validate=True, workers=args.workers)
    wall = time.perf_counter() - start
    quads = len(store)
    store.close()
    shutil.rmtree(args.store, ignore_errors=True)
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"assertions": report.assertions, "quads": quads, "wall_s": round(wall, 1),
                      "cpu_s_main": round(me.ru_utime + me.ru_stime, 1),
                      "cpu_s_workers": round(kids.ru_utime + kids.ru_stime, 1),
                      "peak_rss_mib_main": me.ru_maxrss // 1024, "peak_rss_mib_worker": kids.ru_maxrss // 1024,
                      "timeline_s": marks}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
