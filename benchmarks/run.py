"""Benchmarks at scale: build, queries, exports, against an rdflib in-memory baseline.

    python benchmarks/run.py --sizes 10k --smoke              # the smoke run (make bench-smoke)
    python benchmarks/run.py --sizes 10k,100k,1M --out benchmarks/results/results.json
    python benchmarks/report.py benchmarks/results/results.json   # → docs/BENCHMARKS.md + chart

For each size the records come from benchmarks/generate.py (cached in benchmarks/data/), and
every measurement runs in a child process of its own, so its peak resident set size
(`getrusage`, the child's and its workers') is its own:

- build: `spacekg.build` (large-build path) into a fresh on-disk store: extraction and SHACL
  validation in worker processes, staging, bulk load. Wall and CPU time, peak RSS, quads,
  store size on disk. `--no-validate-above SIZE` skips validation beyond a size (reported).
- compact (with `--compact`): `OxigraphStore.optimize` (what `spacekg compact` runs) on the
  built store, in a child of its own, timed on its own, so that the query timings that follow
  are of a compacted store rather than of RocksDB compacting in the background.
- extraction alone: the extraction of (up to `--extract-limit`) assertions in one process.
- queries: every named query with its example parameters, embedded and through a real
  `oxigraph serve` on 127.0.0.1 (started here, readiness polled with a deadline, stopped
  here); p50 and p95 of up to `--repeats` runs after a warm-up, within `--query-budget`
  seconds per query.
- exports: each projection to GEXF 1.3 and GraphML, and the dataset to N-Quads.
- baseline (up to `--baseline-max`): rdflib's in-memory `Dataset` loaded with the same quads
  (the N-Quads export) and the same named queries; a query past `--baseline-timeout` is
  stopped (SIGALRM: rdflib's engine is Python) and reported as such.

Results are written to the JSON file after every step, so a long run can be read while it goes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate, parse_size  # noqa: E402

START_TIMEOUT = 60.0
PROJECTIONS = ("entities", "comention")
EXPORTS = ("gexf:entities", "gexf:comention", "graphml:entities", "graphml:comention", "nquads")


# --- measurement helpers (used in the children) -------------------------------------------

def _usage() -> dict:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
            "peak_rss_mib": me.ru_maxrss / 1024, "workers_peak_rss_mib": kids.ru_maxrss / 1024}


@contextmanager
def timed(out: dict, key: str):
    start, cpu = time.perf_counter(), time.process_time()
    yield
    out[key] = {"wall_s": time.perf_counter() - start, "cpu_s": time.process_time() - cpu}


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def named_queries() -> list[tuple[str, dict[str, str]]]:
    """Every named query with its example parameters, except the federated ones: they reach
    out to a public endpoint (Wikidata), which times the network, not the store."""
    from spacekg.queries import library

    lib = library()
    return [(n, {p.name: p.example for p in lib.get(n).params}) for n in lib.names() if not lib.get(n).federated]


def time_queries(store, *, repeats: int, budget: float, timeout: float | None = None,
                 names: list[str] | None = None) -> dict:
    """p50/p95 wall time of every named query on `store`; `timeout` (seconds) stops a run by SIGALRM."""
    from spacekg.queries import run_query

    def alarm(signum, frame):
        raise TimeoutError

    if timeout:
        signal.signal(signal.SIGALRM, alarm)
    results = {}
    for name, params in named_queries():
        if names and name not in names:
            continue
        runs: list[float] = []
        rows = None
        error = None
        started = time.perf_counter()
        for i in range(repeats + 1):
            if timeout:
                signal.setitimer(signal.ITIMER_REAL, timeout)
            t = time.perf_counter()
            try:
                rows = len(run_query(store, name, params))
            except TimeoutError:
                error = f"stopped after {timeout:g} s"
                break
            except Exception as exc:  # noqa: BLE001 — recorded, the run goes on
                error = f"{type(exc).__name__}: {exc}"[:200]
                break
            finally:
                if timeout:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            elapsed = time.perf_counter() - t
            if i or elapsed > 5 or not repeats:  # the first run warms caches unless it is slow (or alone)
                runs.append(elapsed)
            if runs and time.perf_counter() - started > budget:
                break
        results[name] = {"params": params, "rows": rows, "runs": len(runs), "error": error,
                         "p50_s": statistics.median(runs) if runs else None,
                         "p95_s": (statistics.quantiles(runs, n=20, method="inclusive")[18] if len(runs) > 1
                                   else runs[0]) if runs else None}
    return results


# --- the children --------------------------------------------------------------------------

def child_build(records: str, store_path: str, validate: bool, workers: int) -> dict:
    from spacekg.build import build
    from spacekg.graph.store import open_store

    shutil.rmtree(store_path, ignore_errors=True)
    Path(store_path).parent.mkdir(parents=True, exist_ok=True)
    out: dict = {"validate": validate, "workers": workers}
    store = open_store(store_path)
    with timed(out, "build"):
        report = build([records], store, staged=True, validate=validate, workers=workers)
    store.close()
    out.update(assertions=report.assertions, records=len(report.records), entities=report.entities,
               quads=report.quads_after, store_bytes=dir_size(Path(store_path)), **_usage())
    out["assertions_per_s"] = report.assertions / out["build"]["wall_s"]
    return out


def child_compact(store_path: str) -> dict:
    from spacekg.graph.oxigraph_store import OxigraphStore

    out: dict = {"store_bytes_before": dir_size(Path(store_path))}
    store = OxigraphStore(Path(store_path))
    with timed(out, "compact"):
        store.optimize()
    store.close()
    out.update(store_bytes=dir_size(Path(store_path)), **_usage())
    return out


def child_extract(records: str, limit: int) -> dict:
    from spacekg.loaders.extract import extract_record
    from spacekg.loaders.records import find_record_files, read_records

    todo = []
    count = 0
    for f in find_record_files([records]):
        for r in read_records(f):
            todo.append(r)
            count += len(r.assertions)
        if count >= limit:
            break
    extract_record(todo[0])  # the gazetteer is built once per process, as in a long build
    start, cpu = time.perf_counter(), time.process_time()
    for r in todo:
        extract_record(r)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"assertions": count, "wall_s": wall, "cpu_s": cpu, "assertions_per_cpu_s": count / cpu, **_usage()}


def child_queries(location: str, repeats: int, budget: float, names: list[str] | None = None) -> dict:
    from spacekg.graph.store import open_store

    store = open_store(location)
    try:
        return {"queries": time_queries(store, repeats=repeats, budget=budget, names=names), **_usage()}
    finally:
        store.close()


def child_exports(store_path: str, out_dir: str, only: list[str] | None = None) -> dict:
    from spacekg.export import export
    from spacekg.graph.store import open_store

    out_dir_p = Path(out_dir)
    out_dir_p.mkdir(parents=True, exist_ok=True)
    store = open_store(store_path)
    result: dict = {}
    try:
        for projection in PROJECTIONS:
            for fmt, ext in (("gexf", "gexf"), ("graphml", "graphml")):
                if only and f"{fmt}:{projection}" not in only:
                    continue
                path = out_dir_p / f"{projection}.{ext}"
                with timed(result, f"{fmt}:{projection}"):
                    export(store, path, format=fmt, projection=projection)
                result[f"{fmt}:{projection}"]["bytes"] = path.stat().st_size
        if not only or "nquads" in only:
            path = out_dir_p / "dataset.nq"
            with timed(result, "nquads"):
                export(store, path, format="nquads")
            result["nquads"]["bytes"] = path.stat().st_size
    finally:
        store.close()
    return {"exports": result, **_usage()}


def child_baseline(nquads: str, repeats: int, budget: float, timeout: float) -> dict:
    import pyoxigraph as ox

    from spacekg.graph.rdflib_store import RdflibStore

    store = RdflibStore()
    out: dict = {}
    with timed(out, "load"), open(nquads, "rb") as fh:
        store.add_quads(ox.parse(fh, format=ox.RdfFormat.N_QUADS))
    out["quads"] = len(store)
    out["load_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["queries"] = time_queries(store, repeats=repeats, budget=budget, timeout=timeout)
    return {**out, **_usage()}


CHILDREN = {"build": child_build, "compact": child_compact, "extract": child_extract, "queries": child_queries,
            "exports": child_exports, "baseline": child_baseline}


def in_child(task: str, *args, timeout: float | None = None) -> dict:
    """Run `task` in a fresh interpreter; its result is the JSON on its last stdout line."""
    cmd = [sys.executable, __file__, "--child", task, json.dumps(args)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"stopped after {timeout:g} s"}
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["exit %d" % proc.returncode])[-1][:300]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- the oxigraph server -------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status < 500
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except OSError:
        return False


@contextmanager
def oxigraph_serve(location: Path):
    """`oxigraph serve` on 127.0.0.1 (read-only); yields the query URL; stopped on exit."""
    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.exists():
        binary = Path(shutil.which("oxigraph") or "oxigraph")
    port = _free_port()
    proc = subprocess.Popen([str(binary), "serve-read-only", "--location", str(location),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(f"{url}/query?query=ASK%7B%7D"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"oxigraph serve did not start: {proc.stderr.read().decode()[-300:]}"
                                   if proc.poll() is not None else "oxigraph serve did not answer in time")
            try:
                proc.wait(timeout=0.05)  # returns at once if the server exits
            except subprocess.TimeoutExpired:
                pass
        yield f"{url}/query"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


# --- the run -------------------------------------------------------------------------------

def machine() -> dict:
    import pyoxigraph
    import pyshacl
    import rdflib

    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {"cpu": cpu, "cores": len(os.sched_getaffinity(0)), "memory_gib": round(mem / 2**30, 1),
            "python": platform.python_version(), "system": f"{platform.system()} {platform.release()}",
            "pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__, "pyshacl": pyshacl.__version__,
            "load_average_at_start": os.getloadavg()[0]}


def timed_queries(location: str | None, args: argparse.Namespace, *, served: Path | None = None) -> dict:
    """Every named query, embedded (`location`) or through `oxigraph serve` on `served`. With
    --query-timeout each query runs in a child of its own (and, served, a server of its own),
    stopped past the timeout: Oxigraph cannot interrupt a query that aggregates or sorts."""
    def one(names: list[str] | None, timeout: float | None) -> dict:
        if served is None:
            return in_child("queries", location, args.repeats, args.query_budget, names, timeout=timeout)
        try:
            with oxigraph_serve(served) as url:
                spec = f"sparql:{url}|timeout={timeout or 600:g}|retries=0"
                return in_child("queries", spec, args.repeats, args.query_budget, names,
                                timeout=timeout and timeout + 10)
        except RuntimeError as exc:
            return {"error": str(exc)}

    if not args.query_timeout:
        return one(None, None)
    result: dict = {"queries": {}}
    for name, params in named_queries():
        got = one([name], args.query_timeout)
        if "queries" in got:
            result["queries"].update(got["queries"])
        else:
            result["queries"][name] = {"params": params, "rows": None, "runs": 0, "p50_s": None, "p95_s": None,
                                       "error": got.get("error")}
    return result


def run(sizes: list[str], out: Path, args: argparse.Namespace) -> dict:
    results = json.loads(out.read_text()) if out.exists() and args.resume else {}
    results.setdefault("machine", machine())
    results.setdefault("sizes", {})

    def save() -> None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=1, sort_keys=True))

    for label in sizes:
        total = parse_size(label)
        entry = results["sizes"].setdefault(label, {"assertions": total})
        data = HERE / "data" / label
        work = args.work / label
        if not (data / ".complete").exists():
            shutil.rmtree(data, ignore_errors=True)
            generate(total, data)
            (data / ".complete").touch()
        store = work / "store"
        validate = total <= parse_size(args.no_validate_above)
        if "build" in args.steps.split(","):
            print(f"[{label}] build (validate={validate})", file=sys.stderr, flush=True)
            entry["started"] = time.strftime("%Y-%m-%d %H:%M:%S")
            entry["build"] = in_child("build", str(data), str(store), validate, args.workers)
            save()
            print(f"[{label}] {entry['build']}", file=sys.stderr, flush=True)
        if "error" in entry.get("build", {"error": "not built"}):
            continue
        if args.compact:
            print(f"[{label}] compact", file=sys.stderr, flush=True)
            entry["compact"] = in_child("compact", str(store))
            save()
            print(f"[{label}] {entry['compact']}", file=sys.stderr, flush=True)
        if not args.smoke and "extract" in args.steps.split(","):
            entry["extract"] = in_child("extract", str(data), min(total, parse_size(args.extract_limit)))
            save()
        steps = set(args.steps.split(","))
        if "embedded" in steps:
            print(f"[{label}] queries, embedded", file=sys.stderr, flush=True)
            entry["queries_embedded"] = timed_queries(str(store), args)
            save()
        if "server" in steps:
            print(f"[{label}] queries, oxigraph serve", file=sys.stderr, flush=True)
            entry["queries_server"] = timed_queries(None, args, served=store)
            save()
        if "exports" not in steps:
            continue
        print(f"[{label}] exports", file=sys.stderr, flush=True)
        entry["exports"] = {"exports": {}}
        for key in (EXPORTS[1::3] if args.smoke else args.exports.split(",")):  # smoke: GEXF comention, N-Quads
            got = in_child("exports", str(store), str(work / "exports"), [key], timeout=args.export_timeout)
            entry["exports"]["exports"][key] = got.get("exports", {}).get(key) or {"error": got.get("error")}
            save()
        if total <= parse_size(args.baseline_max) and "wall_s" in entry["exports"]["exports"]["nquads"]:
            print(f"[{label}] rdflib baseline", file=sys.stderr, flush=True)
            entry["baseline"] = in_child("baseline", str(work / "exports" / "dataset.nq"), args.repeats,
                                         args.query_budget, args.baseline_timeout)
        else:
            entry["baseline"] = {"skipped": f"above --baseline-max {args.baseline_max}"}
        entry["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
        save()
        if not args.keep:
            shutil.rmtree(work / "exports", ignore_errors=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k", help="comma-separated sizes in assertions: 10k,100k,1M")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "results.json")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--query-budget", type=float, default=30.0, help="seconds of runs per query at most")
    parser.add_argument("--baseline-max", default="100k")
    parser.add_argument("--baseline-timeout", type=float, default=60.0)
    parser.add_argument("--extract-limit", default="20k")
    parser.add_argument("--no-validate-above", default="1M", help="skip SHACL validation for sizes above this")
    parser.add_argument("--resume", action="store_true", help="keep earlier sizes already in --out")
    parser.add_argument("--smoke", action="store_true",
                        help="a quick look at 10k: no SHACL, one run per query, GEXF comention and N-Quads only, "
                             "no extraction-alone step, no rdflib baseline")
    parser.add_argument("--keep", action="store_true", help="keep the exported files")
    parser.add_argument("--compact", action="store_true",
                        help="compact the store after the build (timed on its own), before timing queries")
    parser.add_argument("--steps", default="build,extract,embedded,server,exports,baseline",
                        help="which steps to run (with --resume, later steps reuse an earlier build)")
    parser.add_argument("--query-timeout", type=float, help="stop a query (in its own child) past this many seconds")
    parser.add_argument("--exports", default=",".join(EXPORTS), help="which exports to time")
    parser.add_argument("--export-timeout", type=float, help="stop the exports step past this many seconds")
    parser.add_argument("--work", type=Path, default=HERE / "work", help="where stores and exports go")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("child_args", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(CHILDREN[args.child](*json.loads(args.child_args))))
        return 0
    if args.smoke:
        args.no_validate_above, args.repeats, args.query_budget, args.baseline_max = "0", 0, 2.0, "0"
    start = time.perf_counter()
    results = run([s.strip() for s in args.sizes.split(",") if s.strip()], args.out, args)
    print(f"done in {time.perf_counter() - start:.0f} s; results in {args.out}", file=sys.stderr)
    return 0 if all("error" not in e.get("build", {}) for e in results["sizes"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
