"""`spacekg serve`: the SPARQL 1.1 Protocol over the store — SPARQLWrapper gets the CLI's
rows, updates only when writable, content negotiation, the timeout and the size limit."""

from __future__ import annotations

import json
import os
import re
import selectors
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper

from spacekg import open_store
from spacekg.cli import main
from spacekg.queries import library, run_query
from tests.conftest import ROOT, SHIPPED_RECORD
from tests.server.conftest import served

COUNT_ASSERTIONS = "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/spacekg/ontology#Assertion> }"


def request(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None):
    """(status, headers, body) of one request; HTTP errors are answers too."""
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def get(server, sparql: str, accept: str | None = None, **params: str):
    query = urllib.parse.urlencode({"query": sparql, **params})
    return request(f"{server.url}/query?{query}", headers={"Accept": accept} if accept else {})


def sparqlwrapper_rows(endpoint: str, sparql: str) -> list[list[str]]:
    client = SPARQLWrapper(endpoint)
    client.setQuery(sparql)
    client.queryType = SELECT  # its regex takes "add"/"load" in a header comment for an update keyword
    client.setReturnFormat(JSON)
    client.setMethod(POST)
    data = client.query().convert()
    variables = data["head"]["vars"]
    return [[b[v]["value"] if v in b else "" for v in variables] for b in data["results"]["bindings"]]


def cli_rows(store: str, name: str, params: dict[str, str]) -> list[list[str]]:
    args = ["query", name, "--format", "json", "--store", store]
    for key, value in params.items():
        args += ["--param", f"{key}={value}"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return [[b[v]["value"] if v in b else "" for v in data["head"]["vars"]] for b in data["results"]["bindings"]]


def example_params(name: str) -> dict[str, str]:
    return {p.name: p.example for p in library().get(name).params}


def test_sparqlwrapper_gets_the_rows_of_the_library(shipped_store):
    """Every named SELECT without parameters, sent as text by a plain SPARQL client."""
    checked = 0
    with served(shipped_store) as server:
        for named in library():
            expected = None if named.params else run_query(shipped_store, named.name)
            if expected is None or expected.kind != "select":
                continue
            got = sparqlwrapper_rows(f"{server.url}/query", named.text)
            assert got == [[t.value if t is not None else "" for t in row] for row in expected.rows], named.name
            checked += 1
    assert checked >= 5


@pytest.fixture
def cli_server(tmp_path):
    """`spacekg serve` as a real process on a free port, stopped by SIGTERM at the end."""
    store = tmp_path / "store"
    assert CliRunner().invoke(main, ["build", str(SHIPPED_RECORD), "--store", str(store), "-q"]).exit_code == 0
    expected = {name: cli_rows(str(store), name, example_params(name)) for name in ("heads", "assertions-about")}
    proc = subprocess.Popen([sys.executable, "-m", "spacekg", "serve", "--store", str(store), "--port", "0"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, cwd=ROOT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url, seen = None, b""
    deadline = time.monotonic() + 30
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stderr, selectors.EVENT_READ)
        while url is None and time.monotonic() < deadline and proc.poll() is None:
            if selector.select(timeout=max(0.0, deadline - time.monotonic())):
                seen += os.read(proc.stderr.fileno(), 4096)
                found = re.search(rb"at (http://127\.0\.0\.1:\d+)/ ", seen)
                url = found.group(1).decode() if found else None
    try:
        assert url, f"spacekg serve did not announce its URL: {seen.decode(errors='replace')}"
        yield url, expected
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        proc.stderr.close()
    assert proc.returncode == 0, seen.decode(errors="replace")


def test_spacekg_serve_answers_sparqlwrapper_and_the_cli_as_the_embedded_store(cli_server):
    url, expected = cli_server
    heads = library().get("heads")
    assert sparqlwrapper_rows(f"{url}/query", heads.text) == expected["heads"]
    for name, rows in expected.items():  # the CLI through the endpoint: sparql:URL, parameters as VALUES
        assert cli_rows(f"sparql:{url}/query", name, example_params(name)) == rows
    status, _, body = request(f"{url}/update", data=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"})
    assert status == 403 and b"read-only" in body


def test_updates_are_refused_when_read_only(shipped_store):
    before = len(shipped_store)
    with served(shipped_store) as server:
        for path, data, ctype in (("/update", b"DROP ALL", "application/sparql-update"),
                                  ("/update", b"update=DROP+ALL", "application/x-www-form-urlencoded"),
                                  ("/sparql", b"update=DROP+ALL", "application/x-www-form-urlencoded")):
            status, _, body = request(server.url + path, data=data, headers={"Content-Type": ctype})
            assert status == 403, path
            assert body.decode().strip() == ("this endpoint is read-only; start it with 'spacekg serve --writable' "
                                             "to accept SPARQL Update")
        status, _, body = get(server, "INSERT DATA { <http://e/s> <http://e/p> 1 }")
        assert status == 400 and b"update" in body
    assert len(shipped_store) == before


def test_updates_are_accepted_when_writable():
    store = open_store("memory:")
    with served(store, writable=True) as server:
        status, _, _ = request(server.url + "/update", data=b'INSERT DATA { <http://e/s> <http://e/p> "v" }',
                               headers={"Content-Type": "application/sparql-update"})
        assert status == 204
        status, _, _ = request(server.url + "/sparql",
                               data=urllib.parse.urlencode({"update": "INSERT DATA { <http://e/s> <http://e/p> 2 }"})
                               .encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 204
        status, _, body = request(server.url + "/update", data=b"INSERT DATA { oops",
                                  headers={"Content-Type": "application/sparql-update"})
        assert status == 400 and b"syntax error" in body
    assert len(store) == 2


@pytest.mark.parametrize("accept, media_type, parse", [
    (None, "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/tab-separated-values", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/*", "text/csv", None),
    ("*/*", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
])
def test_select_answers_are_negotiated(shipped_store, accept, media_type, parse):
    sparql = library().get("heads").text
    expected = [[str(t) for t in row] for row in run_query(shipped_store, "heads").rows]
    with served(shipped_store) as server:
        status, headers, body = get(server, sparql, accept)
    assert status == 200 and headers.get_content_type() == media_type
    assert headers["Vary"] == "Accept"
    if parse is None:  # CSV: plain values
        lines = body.decode().split("\r\n")
        assert lines[0] == "person,organization,bestRank,assertions" and "Jared Isaacman,NASA,25,1" in lines
        return
    solutions = ox.parse_query_results(body, format=parse)
    variables = [v.value for v in solutions.variables]
    assert [[str(s[v]) for v in variables] for s in solutions] == expected


def test_ask_construct_and_format_parameter(shipped_store):
    with served(shipped_store) as server:
        status, headers, body = get(server, "ASK { ?s ?p ?o }", "application/sparql-results+xml")
        assert status == 200 and bool(ox.parse_query_results(body, format=ox.QueryResultsFormat.XML))
        status, _, body = get(server, "ASK { ?s ?p ?o }", "text/csv")
        assert status == 406 and b"application/sparql-results+json" in body
        construct = ("CONSTRUCT { ?p <http://www.w3.org/ns/org#headOf> ?o } "
                     "WHERE { GRAPH ?g { ?p <http://www.w3.org/ns/org#headOf> ?o } }")
        expected = set(run_query(shipped_store, construct).triples)
        for accept, fmt in ((None, ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                            ("application/ld+json", ox.RdfFormat.JSON_LD),
                            ("application/rdf+xml", ox.RdfFormat.RDF_XML)):
            status, headers, body = get(server, construct, accept)
            assert status == 200 and headers.get_content_type() == fmt.media_type, accept
            assert {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)} == expected
        status, _, body = get(server, construct, "application/sparql-results+json")
        assert status == 406 and b"text/turtle" in body
        status, headers, _ = get(server, COUNT_ASSERTIONS, "application/json", format="tsv")
        assert status == 200 and headers.get_content_type() == "text/tab-separated-values"


def test_posted_queries_body_and_form(shipped_store):
    with served(shipped_store) as server:
        status, _, body = request(server.url + "/query", data=COUNT_ASSERTIONS.encode(),
                                  headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
        assert status == 200 and body.decode().split("\r\n")[1] == "60"
        status, _, body = request(server.url + "/sparql", data=urllib.parse.urlencode({"query": COUNT_ASSERTIONS})
                                  .encode(), headers={"Content-Type": "application/x-www-form-urlencoded",
                                                      "Accept": "text/csv"})
        assert status == 200 and body.decode().split("\r\n")[1] == "60"
        status, _, body = request(server.url + "/query", data=b"x", headers={"Content-Type": "text/plain"})
        assert status == 415
        status, _, body = get(server, "SELECT * WHERE { ?s ?p }")
        assert status == 400 and body.decode().startswith("SPARQL syntax error")
        status, _, body = get(server, COUNT_ASSERTIONS, **{"default-graph-uri": "http://e/g"})
        assert status == 400 and b"FROM" in body
        assert request(server.url + "/nowhere")[0] == 404
        assert request(server.url + "/update")[0] == 405


def test_a_slow_query_times_out_and_frees_its_worker(shipped_store):
    cartesian = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # billions of rows, streamed
    with served(shipped_store, timeout=0.5, max_workers=1) as server:
        started = time.monotonic()
        status, _, body = get(server, cartesian)
        assert status == 500 and body.decode().startswith("query timed out: the query did not finish within 0.5 s")
        # the query alone would run for hours: a generous bound still tells "stopped at the deadline"
        # from "ran on", and holds on a loaded machine (a 5 s bound failed once under load average 10)
        assert time.monotonic() - started < 60
        assert server.wait_idle(60), "the worker did not stop at the deadline"
        status, _, body = get(server, COUNT_ASSERTIONS, "text/csv")
        assert status == 200 and body.decode().split("\r\n")[1] == "60"


def test_a_request_over_the_size_limit_is_refused(shipped_store):
    with served(shipped_store, max_request_bytes=1000) as server:
        big = ("# " + "x" * 1200 + "\n" + COUNT_ASSERTIONS).encode()
        status, _, body = request(server.url + "/query", data=big, headers={"Content-Type": "application/sparql-query"})
        assert status == 413 and b"over this endpoint's limit of 1000 bytes" in body
        status, _, _ = request(server.url + "/query", data=COUNT_ASSERTIONS.encode(),
                               headers={"Content-Type": "application/sparql-query"})
        assert status == 200


def test_the_page_and_the_examples_are_served_without_any_external_url(shipped_store):
    with served(shipped_store) as server:
        status, headers, page = request(server.url + "/")
        assert status == 200 and headers.get_content_type() == "text/html"
        assert b"/static/yasgui.min.js" in page and b"https://" not in page and b"http://" not in page
        status, _, body = request(server.url + "/queries.json")
        examples = {q["name"]: q for q in json.loads(body)}
        assert set(examples) == set(library().names())
        about = examples["assertions-about"]
        assert "VALUES (?entity) { (<https://w3id.org/spacekg/id/ministry-of-defense-japan>) }" in about["query"]
        status, _, body = get(server, about["query"], "text/csv")
        assert status == 200 and len(body.decode().strip().split("\r\n")) - 1 == \
            len(run_query(shipped_store, "assertions-about", {"entity": "MOD"}))
        assert request(server.url + "/static/yasgui.min.css")[0] == 200
        assert request(server.url + "/static/..%2Fapp.py")[0] == 404
        assert request(server.url + "/static/LICENSE-yasgui.txt")[0] == 200
