"""Old against new named queries on one store: the same rows (in the same order), and p50 time.

Reads each named query's text at a git revision (``--before``, default HEAD) and as it is in
the working tree, runs both on the store with the example parameters (or ``--param``
overrides), checks that they return the same rows in the same order, and prints the p50 of
wall and CPU time per form. A run past ``--timeout`` seconds is stopped (SIGALRM) and shown as
such. Used for "Queries at scale: session 4" in docs/BENCHMARKS.md:

    .venv/bin/python benchmarks/query_compare.py --store /tmp/s4-query/100k --before 0d8531b
"""
from __future__ import annotations

import argparse
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from spacekg.graph.store import open_store
from spacekg.queries import library, run_query


class Stopped(Exception):
    pass


def _alarm(signum, frame):
    raise Stopped


def timed(store, query: str, params: dict[str, str], repeats: int, timeout: float):
    """(rows, p50 wall s, p50 CPU s) over `repeats` runs after one warm-up; None past `timeout`."""
    walls, cpus, rows = [], [], None
    for i in range(repeats + 1):
        signal.setitimer(signal.ITIMER_REAL, timeout)
        w, c = time.perf_counter(), time.process_time()
        try:
            rows = [tuple(t.value if t is not None else None for t in row) for row in run_query(store, query, params).rows]
        except Stopped:
            return None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        wall, cpu = time.perf_counter() - w, time.process_time() - c
        if i or wall > timeout / 4:  # the first run warms caches unless it is slow
            walls.append(wall)
            cpus.append(cpu)
            if wall > timeout / 4:
                break
    return rows, statistics.median(walls), statistics.median(cpus)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True)
    ap.add_argument("--before", default="HEAD", help="git revision of the old queries")
    ap.add_argument("--names", help="comma-separated query names (default: every local one)")
    ap.add_argument("--param", action="append", default=[], help="NAME=VALUE, overrides the example")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--new-only", action="store_true", help="time the working tree's form only")
    args = ap.parse_args(argv)
    signal.signal(signal.SIGALRM, _alarm)
    lib = library()
    names = args.names.split(",") if args.names else [n for n in lib.names() if not lib.get(n).federated]
    overrides = dict(p.split("=", 1) for p in args.param)
    root = Path(__file__).resolve().parent.parent
    store = open_store(args.store, create=False)
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'query':28} {'rows':>7} {'old wall/cpu ms':>18} {'new wall/cpu ms':>18}  same")
        for name in names:
            q = lib.get(name)
            params = {p.name: overrides.get(p.name, p.example) for p in q.params}
            new = timed(store, name, params, args.repeats, args.timeout)
            old = None
            if not args.new_only:
                rel = next(str(p.relative_to(root)) for p in (root / "spacekg" / "queries").rglob(f"{name}.rq"))
                text = subprocess.run(["git", "-C", str(root), "show", f"{args.before}:{rel}"],
                                      check=True, capture_output=True, text=True).stdout
                path = Path(tmp) / f"{name}.rq"
                path.write_text(text, encoding="utf-8")
                old = timed(store, str(path), params, args.repeats, args.timeout)

            def fmt(r):
                return f"> {args.timeout:g} s" if r is None else f"{r[1] * 1000:,.0f} / {r[2] * 1000:,.0f}"
            same = "-" if old is None or new is None else ("yes" if old[0] == new[0] else
                                                           ("SET" if sorted(map(repr, old[0])) == sorted(map(repr, new[0])) else "NO"))
            failed += same == "NO"
            rows = len(new[0]) if new else (len(old[0]) if old else "?")
            print(f"{name:28} {rows:>7} {'' if args.new_only else fmt(old):>18} {fmt(new):>18}  {same}", flush=True)
    store.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
