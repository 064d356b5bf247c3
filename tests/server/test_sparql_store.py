"""`--store sparql:…` against a real `oxigraph serve` process: the store contract, the
shipped record built through the CLI, every named query giving the embedded store's answer,
the export; and, against tiny fake servers, retries, authentication and error mapping."""

from __future__ import annotations

import base64
import io
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from spacekg import open_store
from spacekg.cli import main
from spacekg.errors import ParameterError, QueryError, StoreError
from spacekg.graph.sparql_store import SparqlStore
from spacekg.queries import library, run_query
from tests.conftest import SHIPPED_RECORD
from tests.graph.test_store_contract import (  # the one contract suite, run here against a remote store
    test_a_failing_update_changes_nothing,
    test_dump_writes_named_graphs_in_trig,
    test_every_store_holds_the_same_quads_after_a_build,
    test_query_bindings_are_terms_not_text,
)
from tests.server.conftest import oxigraph_serve

__all__ = [
    "test_a_failing_update_changes_nothing",
    "test_dump_writes_named_graphs_in_trig",
    "test_every_store_holds_the_same_quads_after_a_build",
    "test_query_bindings_are_terms_not_text",
]


@pytest.fixture
def store(oxigraph_url) -> Iterator[SparqlStore]:
    """The contract suite's `store`: a cleared remote store."""
    s = open_store(f"sparql:{oxigraph_url}/query|update=/update")
    assert isinstance(s, SparqlStore)
    s.update("CLEAR ALL")
    yield s
    s.update("CLEAR ALL")
    s.close()


@pytest.fixture(scope="module")
def built_remote(tmp_path_factory) -> Iterator[str]:
    """An Oxigraph server holding the shipped record, built by `spacekg build --store sparql:…`."""
    with oxigraph_serve(tmp_path_factory.mktemp("oxigraph-built")) as url:
        spec = f"sparql:{url}/query|update={url}/update"
        result = CliRunner().invoke(main, ["build", str(SHIPPED_RECORD), "--store", spec, "-q"])
        assert result.exit_code == 0, result.output
        yield spec


def rows_as_text(result) -> list[tuple[str, ...]]:
    """Sorted rows of term strings; blank node labels differ between stores, so they are masked."""
    return sorted(tuple("_:b" if isinstance(t, ox.BlankNode) else str(t) for t in row) for row in result.rows)


def example_params(name: str) -> dict[str, str]:
    return {p.name: p.example for p in library().get(name).params}


@pytest.mark.parametrize("name", [q.name for q in library() if not q.federated])  # SERVICE: tests/linking
def test_every_named_query_answers_on_oxigraph_server_as_embedded(built_remote, shipped_store, name):
    remote = open_store(built_remote)
    got = run_query(remote, name, example_params(name))
    expected = run_query(shipped_store, name, example_params(name))
    assert got.kind == expected.kind
    assert got.variables == expected.variables
    assert rows_as_text(got) == rows_as_text(expected)
    assert got.boolean == expected.boolean


def test_cli_query_and_stats_work_against_the_server(built_remote):
    runner = CliRunner()
    result = runner.invoke(main, ["query", "assertions-about", "--param", "entity=MOD", "--format", "json",
                                  "--store", built_remote])
    assert result.exit_code == 0, result.output
    ranks = [int(b["rank"]["value"]) for b in json.loads(result.stdout)["results"]["bindings"]]
    assert 48 in ranks and 50 in ranks and ranks == sorted(ranks)
    stats = json.loads(runner.invoke(main, ["stats", "--format", "json", "--store", built_remote]).stdout)
    assert stats["records"] == 1 and stats["assertions"] == 60


def canonical_dataset(nquads: bytes) -> set[str]:
    dataset = ox.Dataset(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in dataset}


def test_export_from_the_server_equals_an_embedded_build(built_remote, tmp_path):
    runner = CliRunner()
    remote = runner.invoke(main, ["export", "--format", "nquads", "--store", built_remote])
    assert remote.exit_code == 0, remote.output
    embedded_store = tmp_path / "embedded"
    assert runner.invoke(main, ["build", str(SHIPPED_RECORD), "--store", str(embedded_store), "-q"]).exit_code == 0
    embedded = runner.invoke(main, ["export", "--format", "nquads", "--store", str(embedded_store)])
    assert canonical_dataset(remote.stdout_bytes) == canonical_dataset(embedded.stdout_bytes)


def test_building_again_replaces_the_record_without_duplicates(built_remote):
    remote = open_store(built_remote)
    before = len(remote)
    result = CliRunner().invoke(main, ["build", str(SHIPPED_RECORD), "--store", built_remote, "-q"])
    assert result.exit_code == 0, result.output
    assert len(remote) == before


@pytest.mark.parametrize("hostile", [
    'MOD" } ; DROP ALL ; #',
    "} ; DROP ALL ; #",
    "<http://x> } INSERT DATA { <a> <b> <c> } #",
    "http://example.org/a>b",
    "' OR '1'='1",
])
def test_hostile_parameters_change_nothing_on_the_server(built_remote, hostile):
    remote = open_store(built_remote)
    before = len(remote)
    with pytest.raises(ParameterError):
        run_query(remote, "assertions-about", {"entity": hostile})
    sparql = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    assert remote.query(sparql, bindings={"o": ox.Literal(hostile)}).rows == []
    assert len(remote) == before


def test_a_store_without_update_url_is_read_only(oxigraph_url):
    s = open_store(f"sparql:{oxigraph_url}/query")
    assert not s.supports_update
    with pytest.raises(StoreError, match=r"read-only: add an update endpoint"):
        s.update("CLEAR ALL")


def test_errors_name_the_endpoint_and_status(oxigraph_url):
    with pytest.raises(QueryError, match=r"SPARQL query endpoint http://127\.0\.0\.1:\d+/query rejected .*HTTP 400"):
        open_store(f"sparql:{oxigraph_url}/query").query("SELECT * WHERE { ?s ?p }")
    with pytest.raises(StoreError, match="HTTP 404"):
        open_store(f"sparql:{oxigraph_url}/nothing").query("ASK {}")
    with pytest.raises(StoreError, match="not SPARQL JSON results"):
        open_store(f"sparql:{oxigraph_url}/").query("ASK {}")
    with pytest.raises(StoreError, match="unknown option"):
        open_store(f"sparql:{oxigraph_url}/query|updates=/update")
    with pytest.raises(StoreError, match="http:// or https://"):
        open_store("sparql:ftp://example.org/query")


def test_long_queries_are_posted(oxigraph_url):
    s = open_store(f"sparql:{oxigraph_url}/query")
    padding = "# " + "x" * 5000 + "\n"
    assert s.query(padding + "ASK { }").boolean is True


def test_replace_parts_packs_whole_records_into_bounded_requests(oxigraph_url):
    s = SparqlStore(f"{oxigraph_url}/query", update_url=f"{oxigraph_url}/update", batch_quads=3)
    s.update("CLEAR ALL")
    sent: list[str] = []
    update = s.update
    s.update = lambda text: (sent.append(text), update(text))[1]  # type: ignore[method-assign]

    def part(n: int, size: int) -> tuple[str, list[ox.Quad]]:
        g = ox.NamedNode(f"http://e/record/{n}")
        return (f"DROP SILENT GRAPH {g}", [ox.Quad(ox.NamedNode(f"http://e/{n}/{i}"), ox.NamedNode("http://e/p"),
                                                   ox.Literal(str(i)), g) for i in range(size)])

    s.replace_parts([part(1, 2), part(2, 2), part(3, 5)], after="DELETE WHERE { <http://e/none> ?p ?o }")
    assert len(sent) == 3  # 2 quads; 2 more would pass the bound of 3; 5 (over it) still go whole
    assert sent[2].rstrip().endswith("DELETE WHERE { <http://e/none> ?p ?o }")
    assert len(s) == 9
    s.update("CLEAR ALL")


# -- a tiny fake endpoint for retries, authentication and timeouts --------------------------

ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()


class Fake:
    """Answers with the scripted (status, headers, body) replies, then 200 ASK true."""

    def __init__(self, replies: list[tuple[int, dict[str, str], bytes]], hang: bool = False) -> None:
        self.replies = list(replies)
        self.requests: list[dict[str, str]] = []
        self.hang = hang
        self.release = threading.Event()


@contextmanager
def fake_endpoint(fake: Fake) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            fake.requests.append(dict(self.headers))
            if fake.hang:
                fake.release.wait(timeout=10)
            status, headers, body = fake.replies.pop(0) if fake.replies else (200, {}, ASK_TRUE)
            self.send_response(status)
            self.send_header("Content-Type", "application/sparql-results+json")
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that timed out and left: expected here

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        fake.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_retries_503_honouring_retry_after():
    fake = Fake([(503, {"Retry-After": "2"}, b"busy"), (503, {"Retry-After": "1"}, b"busy")])
    waits: list[float] = []
    with fake_endpoint(fake) as url:
        store = SparqlStore(url, sleep=waits.append)
        assert store.query("ASK { }").boolean is True
    assert waits == [2.0, 1.0] and len(fake.requests) == 3


def test_retries_429_with_exponential_back_off_then_gives_up():
    fake = Fake([(429, {}, b"slow down")] * 5)
    waits: list[float] = []
    with fake_endpoint(fake) as url:
        store = SparqlStore(url, sleep=waits.append, max_attempts=4)
        with pytest.raises(StoreError, match=r"HTTP 429 slow down; gave up after 4 attempt\(s\)"):
            store.query("ASK { }")
    assert waits == [0.5, 1.0, 2.0] and len(fake.requests) == 4


def test_a_retry_after_beyond_the_budget_fails_at_once():
    fake = Fake([(503, {"Retry-After": "3600"}, b"maintenance")])
    waits: list[float] = []
    with fake_endpoint(fake) as url:
        with pytest.raises(StoreError, match=r"HTTP 503 maintenance; it asks to retry in 3600 s, beyond the 60 s"):
            SparqlStore(url, sleep=waits.append, retry_budget=60).query("ASK { }")
    assert waits == [] and len(fake.requests) == 1


def test_other_statuses_are_not_retried():
    fake = Fake([(403, {}, b"forbidden for you")])
    with fake_endpoint(fake) as url:
        with pytest.raises(StoreError, match=r"/sparql: HTTP 403 forbidden for you"):
            SparqlStore(url, sleep=lambda s: None).query("ASK { }")
    assert len(fake.requests) == 1


def test_basic_auth_from_userinfo_bearer_from_env_and_secrets_never_shown():
    fake = Fake([])
    with fake_endpoint(fake) as url:
        store = open_store(f"sparql:{url.replace('http://', 'http://ana:s%3Acret@')}")
        assert store.query("ASK { }").boolean is True
    assert fake.requests[0]["Authorization"] == "Basic " + base64.b64encode(b"ana:s:cret").decode()
    assert fake.requests[0]["User-Agent"].startswith("spacekg/")
    assert "s:cret" not in repr(store) and "ana" not in store.location

    fake = Fake([(401, {}, b"who are you")])
    with fake_endpoint(fake) as url:
        store = SparqlStore(url, env={"SPACEKG_SPARQL_TOKEN": "t0ken"})
        with pytest.raises(StoreError, match="HTTP 401 unauthorized; give credentials") as err:
            store.query("ASK { }")
        assert store.query("ASK { }").boolean is True
    assert "t0ken" not in str(err.value)
    assert all(r["Authorization"] == "Bearer t0ken" for r in fake.requests)


def test_a_server_that_does_not_answer_times_out():
    fake = Fake([], hang=True)
    with fake_endpoint(fake) as url:
        with pytest.raises(StoreError, match=r"no answer within 0\.3 s"):
            SparqlStore(url, timeout=0.3).query("ASK { }")


def test_an_unreachable_server_is_a_one_line_store_error():
    with fake_endpoint(Fake([])) as url:
        closed = url  # a port that no longer listens once the block ends
    with pytest.raises(StoreError, match=r"/sparql cannot be reached: .*; is the server running\?"):
        SparqlStore(closed).query("ASK { }")


def test_dump_is_trig_with_named_graphs(store):
    g = ox.NamedNode("http://e/g")
    store.add_quads([ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("1"), g),
                     ox.Quad(ox.BlankNode(), ox.NamedNode("http://e/p"), ox.BlankNode(), ox.DefaultGraph())])
    out = io.BytesIO()
    store.dump(out, format=ox.RdfFormat.TRIG)
    assert "<http://e/g>" in out.getvalue().decode() and len(store) == 2


def test_construct_and_ask_through_the_server_match_the_embedded_store(built_remote, shipped_store):
    remote = open_store(built_remote)
    construct = ("PREFIX org: <http://www.w3.org/ns/org#> CONSTRUCT { ?p org:headOf ?o } "
                 "WHERE { GRAPH ?g { ?p org:headOf ?o } }")
    got = remote.query(construct)
    assert got.kind == "graph" and set(got.triples) == set(shipped_store.query(construct).triples)
    assert len(got.triples) >= 4
    nasa = ox.NamedNode("https://w3id.org/spacekg/id/nasa")
    ask = "ASK { ?a <https://w3id.org/spacekg/ontology#mentions> ?e }"
    assert remote.query(ask, bindings={"e": nasa}).boolean is True
    assert remote.query(ask, bindings={"e": ox.NamedNode("https://w3id.org/spacekg/id/nobody")}).boolean is False
