"""Servers for the endpoint tests: real `oxigraph serve` processes and in-process
`spacekg serve` instances, all on 127.0.0.1, each started and stopped here. Readiness is
polled on a real condition (the port answers a SPARQL ASK) within a bounded time."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from spacekg.graph.store import Store
from spacekg.serve import SparqlServer

START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    """Does `url` answer an HTTP request now (any status)?"""
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status < 500
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except (urllib.error.URLError, OSError):
        return False


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@contextmanager
def oxigraph_serve(location: Path) -> Iterator[str]:
    """A real `oxigraph serve` on 127.0.0.1; yields its base URL and stops it afterwards."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is missing; install the test extras: pip install -e '.[test]'")
    proc = None
    for _ in range(3):  # another process may take the free port between probe and bind
        port = free_port()
        proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and proc.poll() is None:
            if answers(f"{url}/query?query=ASK%7B%7D"):
                break
            try:  # wait on the process itself: returns at once if it exits
                proc.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                pass
        if proc.poll() is None and answers(f"{url}/query?query=ASK%7B%7D"):
            break
        proc.kill()
        proc.wait(timeout=10)
    else:
        stderr = proc.stderr.read().decode(errors="replace") if proc and proc.stderr else ""
        pytest.fail(f"oxigraph serve did not start: {stderr[-500:]}")
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stderr:
            proc.stderr.close()


@contextmanager
def served(store: Store, **options: object) -> Iterator[SparqlServer]:
    """`spacekg serve` in this process on a free port; stopped afterwards."""
    server = SparqlServer(store, host="127.0.0.1", port=0, **options)  # type: ignore[arg-type]
    server.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not answers(f"{server.url}/static/favicon.svg"):
            assert time.monotonic() < deadline, "spacekg serve did not answer"
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory) -> Iterator[str]:
    """An empty Oxigraph server for the whole session (tests that write clear it)."""
    with oxigraph_serve(tmp_path_factory.mktemp("oxigraph-scratch")) as url:
        yield url
