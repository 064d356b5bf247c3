"""Crash safety: a `spacekg build` killed with SIGKILL half-way leaves a store that opens and
holds only complete records, and what was there before is intact.

The kill is timed on observable events, never on sleeps: either the moment the build
announces that it starts its write transaction (a test-only wrapper around the store's
`replace`, in the child process), or the moment the store folder's write-ahead log grows,
i.e. while RocksDB is committing. Both builds are big enough that the kill lands before the
process could finish on its own (asserted: the child must die of SIGKILL)."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spacekg import build, open_store
from tests.conftest import ROOT, SHIPPED_RECORD

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

BULK_ASSERTIONS = 250  # per record; 8 records (~20k quads, a ~5 MB log) when the kill waits for the commit
SHIPPED = "us-japan-space-partnership"
TIMEOUT = 120.0  # seconds: an upper bound for every wait, never a pace
# Runs the real CLI, announcing on stdout when the write transaction begins.
ANNOUNCING_BUILD = """
import sys
from spacekg.graph.oxigraph_store import OxigraphStore
_replace = OxigraphStore.replace
def replace(self, *args, **kwargs):
    sys.stdout.write("WRITING\\n")
    sys.stdout.flush()
    return _replace(self, *args, **kwargs)
OxigraphStore.replace = replace
from spacekg.cli import main
main(prog_name="spacekg")
"""


def bulk_records(path: Path, records: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for r in range(records):
            for a in range(BULK_ASSERTIONS):
                text = f"NASA reviewed item {a} of batch {r} in the annex."
                fh.write(json.dumps({"record": f"bulk-{r:02d}", "rank": a + 1, "text": text}) + "\n")
    return path


def store_with_the_shipped_record(path: Path) -> Path:
    store = open_store(path)
    build([SHIPPED_RECORD], store)
    store.close()
    return path


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def wal_sizes(store: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in store.glob("*.log") if p.is_file()}


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=TIMEOUT)
    assert proc.returncode == -signal.SIGKILL, f"the build ended on its own (exit {proc.returncode}), not killed"


def wait_for_line(proc: subprocess.Popen, expected: str) -> None:
    """Block until the child prints `expected` (bounded by TIMEOUT and by the child's life)."""
    deadline = time.monotonic() + TIMEOUT
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not sel.select(timeout=deadline - time.monotonic()):
                break
            line = proc.stdout.readline()
            if line.strip() == expected:
                return
            if not line:  # the child closed stdout: it exited
                pytest.fail(f"the build exited ({proc.wait(timeout=TIMEOUT)}) before announcing {expected!r}: "
                            f"{proc.stderr.read()}")
    proc.kill()
    pytest.fail(f"no {expected!r} from the build within {TIMEOUT:.0f}s")


def records_in(store_path: Path) -> dict[str, int]:
    """Open the store after the crash; check that every assertion is complete and return the
    number of assertions of each record present."""
    store = open_store(store_path)  # must open: the crash left no corrupt or locked store
    try:
        incomplete = store.query("""
            PREFIX skg: <https://w3id.org/spacekg/ontology#>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            ASK { ?a a skg:Assertion .
                  FILTER NOT EXISTS { ?a skg:text ?text ; skg:evidenceRank ?rank ; prov:wasDerivedFrom ?record .
                                      ?record a skg:AssertionRecord } }""")
        assert incomplete.boolean is False, "an assertion lacks its text, rank or record"
        rows = store.query("""
            PREFIX skg: <https://w3id.org/spacekg/ontology#>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            SELECT ?record (COUNT(DISTINCT ?a) AS ?n) (MIN(?rank) AS ?first) (MAX(?rank) AS ?last) WHERE {
              ?record a skg:AssertionRecord .
              OPTIONAL { ?a prov:wasDerivedFrom ?record ; skg:evidenceRank ?rank }
            } GROUP BY ?record""")
        found = {}
        for record, n, first, last in rows:
            name = record.value.rsplit("/", 1)[-1]
            found[name] = int(n.value)
            assert int(n.value) == 0 or (int(first.value), int(last.value)) == (1, int(n.value)), name
        return found
    finally:
        store.close()


def assert_only_complete_records(store_path: Path, records: int) -> dict[str, int]:
    found = records_in(store_path)
    assert found.get(SHIPPED) == 60, "the record built before the crash was damaged"
    bulk = {name: n for name, n in found.items() if name.startswith("bulk-")}
    # one transaction: all of the killed build, or none of it; never a partial record
    assert bulk in ({}, {f"bulk-{r:02d}": BULK_ASSERTIONS for r in range(records)}), bulk
    # and the store is usable again: a new build succeeds on it
    store = open_store(store_path)
    build([SHIPPED_RECORD], store, validate=False)
    store.close()
    return found


def test_sigkill_when_the_write_transaction_starts_leaves_only_complete_records(tmp_path):
    store = store_with_the_shipped_record(tmp_path / "store")
    proc = subprocess.Popen(
        [sys.executable, "-c", ANNOUNCING_BUILD, "build", str(bulk_records(tmp_path / "bulk.jsonl", 4)),
         "--store", str(store), "-q", "--no-validate"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env(), cwd=tmp_path,
    )
    try:
        wait_for_line(proc, "WRITING")
        kill(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=TIMEOUT)
    found = assert_only_complete_records(store, 4)
    assert set(found) == {SHIPPED}, "killed before the commit, the build must leave nothing behind"


def test_sigkill_while_the_commit_writes_the_log_leaves_only_complete_records(tmp_path):
    store = store_with_the_shipped_record(tmp_path / "store")
    before = wal_sizes(store)
    proc = subprocess.Popen(
        [sys.executable, "-m", "spacekg", "build", str(bulk_records(tmp_path / "bulk.jsonl", 8)),
         "--store", str(store), "-q", "--no-validate"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=child_env(), cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:  # bounded poll on an observable condition: the log grows by 1 MB
            grown = sum(max(0, size - before.get(name, 0)) for name, size in wal_sizes(store).items())
            if grown > 1_000_000:
                break
            if proc.poll() is not None:
                pytest.fail(f"the build finished (exit {proc.returncode}) before its log grew: {proc.stderr.read()}")
            if time.monotonic() > deadline:
                pytest.fail(f"the store's log did not grow within {TIMEOUT:.0f}s")
            try:
                proc.wait(timeout=0.005)  # returns at once if the child exits
            except subprocess.TimeoutExpired:
                pass
        kill(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=TIMEOUT)
    assert_only_complete_records(store, 8)
