"""Extraction throughput, alone (no store): assertions per second on one core.

    python benchmarks/extraction.py [--repeat 20] [--corpus DIR]

Runs the full extraction (record context, mentions, discovery, quantities, polarity,
relations, budgets) over the shipped record and the held-out-style records in
tests/fixtures (or, with --corpus, over every record file under DIR, e.g. the generated
benchmarks/data/10k), and reports CPU time, so other processes on the machine do not skew it.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

from spacekg.loaders.extract import extract_record, is_compiled
from spacekg.loaders.records import read_records

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--corpus", type=Path, help="time every *.txt record file under this folder instead")
    args = parser.parse_args()
    if args.corpus is not None:
        files = sorted(args.corpus.rglob("*.txt"))
    else:
        files = [ROOT / "data" / "records" / "us-japan-space-partnership.txt",
                 *sorted((ROOT / "tests" / "fixtures" / "records").glob("*.txt"))]
    records = [r for f in files for r in read_records(f)]
    count = sum(len(r.assertions) for r in records)
    extract_record(records[0])  # build the gazetteer once, as a long build would
    best = float("inf")
    for _ in range(args.repeat):
        start = time.process_time()
        for record in records:
            extract_record(record)
        best = min(best, time.process_time() - start)
    build = "compiled (mypyc)" if is_compiled() else "plain Python"
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, {build}: "
          f"{count} assertions in {best * 1000:.1f} ms (best of {args.repeat}) = {count / best:,.0f} assertions/s")


if __name__ == "__main__":
    main()
