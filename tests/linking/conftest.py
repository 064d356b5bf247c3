"""A Wikidata (and DBpedia) stand-in for the linking tests: a real `oxigraph serve` on 127.0.0.1 loaded with
tests/data/wikidata-fixture.ttl (started and stopped here), and a store built from the shipped
record for each test module."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from spacekg import build, open_store
from spacekg.graph.store import Store
from tests.server.conftest import oxigraph_binary, oxigraph_serve

DATA = Path(__file__).resolve().parents[1] / "data"
FIXTURE = DATA / "wikidata-fixture.ttl"
DBPEDIA_FIXTURE = DATA / "dbpedia-fixture.ttl"
GOLD = DATA / "wikidata-fixture-gold.tsv"
SHIPPED_RECORD = Path(__file__).resolve().parents[2] / "data" / "records" / "us-japan-space-partnership.txt"


@pytest.fixture(scope="session")
def wikidata_endpoint(tmp_path_factory) -> Iterator[str]:
    """The query URL of a served copy of the Wikidata-shaped fixture (and, beside it in its own
    namespace, the DBpedia-shaped one)."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is missing; install the test extras: pip install -e '.[test]'")
    location = tmp_path_factory.mktemp("wikidata-fixture")
    for fixture in (FIXTURE, DBPEDIA_FIXTURE):
        subprocess.run([binary, "load", "--location", str(location), "--file", str(fixture)], check=True,
                       capture_output=True, timeout=60)
    with oxigraph_serve(location) as url:
        yield f"{url}/query"


@pytest.fixture(scope="module")
def linked_store() -> Iterator[Store]:
    """The shipped record built into memory: 420 reference entities, 191 of them linked."""
    store = open_store("memory:")
    build([SHIPPED_RECORD], store)
    yield store
    store.close()


def gold_links() -> dict[str, str]:
    rows = [line.split("\t") for line in GOLD.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")][1:]
    return {"https://w3id.org/spacekg/id/" + e.removeprefix("skgid:"):
            "http://www.wikidata.org/entity/" + i.removeprefix("wd:") for e, i in rows}
