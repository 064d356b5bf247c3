"""Faults around the on-disk store: another process holding it, a read-only folder, a missing
parent folder, a full disk, and readers running while a build writes. Each gives a clear
one-line error (exit 2) or a consistent view, and never a damaged store."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from spacekg import build, open_store
from spacekg.cli import main
from tests.conftest import ROOT, SHIPPED_RECORD

TIMEOUT = 120.0
COUNT_ASSERTIONS = "SELECT (COUNT(*) AS ?n) WHERE { ?a <http://www.w3.org/ns/prov#wasDerivedFrom> ?r }"


def spacekg(*args: object, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """Run the CLI in a separate process (the store lock is per process)."""
    return subprocess.run([*prefix, sys.executable, "-m", "spacekg", *map(str, args)], capture_output=True, text=True,
                          timeout=TIMEOUT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def one_line_error(result: subprocess.CompletedProcess, *words: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stderr.startswith("spacekg: error: ") and result.stderr.count("\n") == 1, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr


def built(path: Path) -> Path:
    store = open_store(path)
    build([SHIPPED_RECORD], store)
    store.close()
    return path


def count(path: Path) -> int:
    store = open_store(path)
    try:
        return int(store.query(COUNT_ASSERTIONS).rows[0][0].value)
    finally:
        store.close()


HOLDER = """
import sys
from spacekg import open_store
store = open_store(sys.argv[1])
print("READY", flush=True)
sys.stdin.read()  # hold the store until the test closes our stdin
store.close()
"""


def test_a_store_locked_by_another_process_gives_a_clear_error(tmp_path):
    store = built(tmp_path / "store")
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(store)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert holder.stdout.readline().strip() == "READY"  # returns '' if the holder dies first
        for args in (("stats",), ("build", SHIPPED_RECORD)):
            one_line_error(spacekg(*args, "--store", store), f"the store {store} is in use by another spacekg process")
    finally:
        holder.stdin.close()
        holder.wait(timeout=TIMEOUT)
    assert holder.returncode == 0
    assert count(store) == 60  # untouched by the refused build


def _without_root_override() -> tuple[str, ...] | None:
    """A command prefix under which file permissions apply, or None when there is none.
    Root ignores permissions unless it drops CAP_DAC_OVERRIDE (and friends) first."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", "--")


def test_a_read_only_store_folder_gives_a_clear_error(tmp_path):
    prefix = _without_root_override()
    if prefix is None:
        pytest.skip("running as root without setpriv: permissions cannot be enforced")
    store = built(tmp_path / "store")
    paths = [store, *store.iterdir()]
    modes = {p: p.stat().st_mode for p in paths}
    try:
        for p in paths:
            p.chmod(stat.S_IMODE(modes[p]) & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        for args in (("stats",), ("build", SHIPPED_RECORD)):
            one_line_error(spacekg(*args, "--store", store, prefix=prefix), f"cannot open the store {store}",
                           "permission denied", "needs write access")
    finally:
        for p in paths:
            p.chmod(stat.S_IMODE(modes[p]))
    assert count(store) == 60


def test_a_missing_or_file_parent_folder_gives_a_clear_error(tmp_path):
    runner = CliRunner()
    missing = tmp_path / "no" / "such" / "store"
    result = runner.invoke(main, ["build", str(SHIPPED_RECORD), "--store", str(missing)])
    assert result.exit_code == 2
    assert result.stderr == (f"spacekg: error: cannot create the store {missing}: its parent {missing.parent} does not "
                             "exist; create the parent folder first or pass another --store\n")
    assert not (tmp_path / "no").exists()
    a_file = tmp_path / "file"
    a_file.write_text("x")
    result = runner.invoke(main, ["build", str(SHIPPED_RECORD), "--store", str(a_file / "store")])
    assert result.exit_code == 2 and "is a file, not a folder" in result.stderr and result.stderr.count("\n") == 1


DISK_FULL = """
import json, os, subprocess, sys
from spacekg import build, open_store
mnt, bulk = sys.argv[1], sys.argv[2]
store = os.path.join(mnt, "store")
s = open_store(store); build([sys.argv[3]], s); s.close()
s = open_store(store); s.close()  # the first build's write-ahead log flushed, so the 1 MB left below is all free
used = os.statvfs(mnt); used = (used.f_blocks - used.f_bfree) * used.f_frsize
subprocess.run(["mount", "-o", f"remount,size={used // 1024 + 1024}k", mnt], check=True)  # 1 MB left
r = subprocess.run([sys.executable, "-m", "spacekg", "build", bulk, "--store", store, "-q", "--no-validate"],
                   capture_output=True, text=True)
s = open_store(store)
n = s.query("SELECT (COUNT(*) AS ?n) WHERE { ?a <http://www.w3.org/ns/prov#wasDerivedFrom> ?r }").rows[0][0].value
s.close()
print(json.dumps({"rc": r.returncode, "stderr": r.stderr, "assertions": int(n)}))
"""


def _can_mount_tmpfs() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"],
                           capture_output=True, timeout=TIMEOUT)
    return probe.returncode == 0


def test_a_full_disk_gives_a_clear_error_and_leaves_the_store_as_it_was(tmp_path):
    if not _can_mount_tmpfs():
        pytest.skip("needs root and a private mount namespace (unshare -m) for a small tmpfs")
    bulk = tmp_path / "bulk.jsonl"
    bulk.write_text("".join(json.dumps({"record": f"bulk-{r}", "rank": a + 1, "text": f"NASA noted item {a} of {r}."})
                            + "\n" for r in range(4) for a in range(250)))
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    # the tmpfs exists only inside the private mount namespace of this one command
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", 'mount -t tmpfs -o size=64m tmpfs "$1" && shift && exec "$@"', "sh", str(mnt),
         sys.executable, "-c", DISK_FULL, str(mnt), str(bulk), str(SHIPPED_RECORD)],
        capture_output=True, text=True, timeout=TIMEOUT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["rc"] == 2, outcome
    assert outcome["stderr"].startswith("spacekg: error: cannot ") and outcome["stderr"].count("\n") == 1, outcome
    assert "No space left on device" in outcome["stderr"]
    assert outcome["assertions"] == 60  # the shipped record only: nothing of the failed build


def test_readers_during_a_build_see_the_store_before_or_after_it_never_between(tmp_path):
    """In one process, queries run while the write transaction does (pyoxigraph releases the
    GIL) and read a snapshot. Other processes cannot open the store at all: see the lock test."""
    bulk = tmp_path / "bulk.jsonl"
    bulk.write_text("".join(json.dumps({"record": f"bulk-{r}", "rank": a + 1, "text": f"NASA noted item {a} of {r}."})
                            + "\n" for r in range(4) for a in range(125)))
    store = open_store(built(tmp_path / "store"))
    writing, done, failures = threading.Event(), threading.Event(), []
    replace = store.replace

    def announcing_replace(*args, **kwargs):
        writing.set()
        return replace(*args, **kwargs)

    store.replace = announcing_replace

    def writer() -> None:
        try:
            build([bulk], store, validate=False)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    seen, during_write = set(), 0
    try:
        while not done.is_set():  # bounded by the build, which ends (or fails) on its own
            n = int(store.query(COUNT_ASSERTIONS).rows[0][0].value)
            seen.add(n)
            during_write += writing.is_set() and not done.is_set()
    finally:
        thread.join(timeout=TIMEOUT)
    assert not failures, failures
    assert seen <= {60, 60 + 500}, seen
    assert during_write > 0, "no read overlapped the write transaction"
    assert int(store.query(COUNT_ASSERTIONS).rows[0][0].value) == 560
    store.close()
