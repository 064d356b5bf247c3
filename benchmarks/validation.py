"""Validation cost: CPU seconds per 1,000 assertions, per engine, as a large build runs it.

    python benchmarks/validation.py                      # the shipped record + 2k generated
    python benchmarks/validation.py --assertions 10k --engine sparql --engine pyshacl

Validates chunks of 8 record files (`spacekg.bulk.CHUNK_FILES`, what each worker of a large
build checks) with `validate_written`, as the workers call it, after one warm-up call per
engine (imports, parsed shapes), and reports CPU time, so other processes on the machine do not skew it. The
shipped record is also timed alone: the check every `spacekg build` of it runs. Not part
of the test suite (speed is measured here, not asserted in tests).
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate, parse_size  # noqa: E402

from spacekg.build import read_all  # noqa: E402
from spacekg.bulk import CHUNK_FILES  # noqa: E402
from spacekg.graph.writer import MintedCounts, minted_quads_from_counts, record_quads  # noqa: E402
from spacekg.loaders.extract import extract_record  # noqa: E402
from spacekg.validate import validate_written  # noqa: E402

SHIPPED = ROOT / "data" / "records" / "us-japan-space-partnership.txt"


def _chunks(files: list[Path]) -> list[tuple[list, list]]:
    chunks = []
    for i in range(0, len(files), CHUNK_FILES):
        extracted = [(r, extract_record(r)) for r in read_all(files[i:i + CHUNK_FILES])]
        quads = [q for r, x in extracted for q in record_quads(r, x)]
        chunks.append((extracted, [*quads, *minted_quads_from_counts(MintedCounts.of(extracted))]))
    return chunks


def _time(chunks: list[tuple[list, list]], engine: str, repeat: int) -> tuple[float, bool]:
    """Best-of-`repeat` CPU seconds to validate every chunk, and whether all conformed."""
    validate_written(chunks[0][1], ["warm-up"], engine=engine)  # imports, parsed shapes
    best, conforms = float("inf"), True
    for _ in range(repeat):
        start = time.process_time()
        for extracted, quads in chunks:
            conforms &= validate_written(quads, [r.source for r, _ in extracted], engine=engine).conforms
        best = min(best, time.process_time() - start)
    return best, conforms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assertions", default="2k", help="generated assertions to validate, e.g. 2k, 10k")
    parser.add_argument("--engine", action="append", choices=("sparql", "pyshacl"),
                        help="engines to time (default: both)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engines = args.engine or ["sparql", "pyshacl"]
    print(f"Python {platform.python_version()} on {platform.machine()}; CPU time, best of {args.repeat}")
    with tempfile.TemporaryDirectory() as tmp:
        generate(parse_size(args.assertions), Path(tmp))
        sets = {"shipped record": _chunks([SHIPPED]),
                f"generated {args.assertions}": _chunks(sorted(Path(tmp).rglob("*.txt")))}
        for name, chunks in sets.items():
            assertions = sum(len(x) for extracted, _ in chunks for _, x in extracted)
            for engine in engines:
                seconds, conforms = _time(chunks, engine, args.repeat)
                print(f"{name}: {engine}: {assertions:,} assertions, {seconds:.3f} CPU s, "
                      f"{1000 * seconds / assertions:.3f} CPU s per 1,000 assertions "
                      f"({assertions / seconds:,.0f}/CPU-s); conforms: {conforms}")


if __name__ == "__main__":
    main()
