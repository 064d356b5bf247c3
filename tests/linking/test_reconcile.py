"""Reconciliation end to end against the served Wikidata-shaped fixture: proposals are right
(precision 1.0 on the decoys), recall is measured, curated links are left alone, the output is
SSSOM, and names travel as RDF terms."""

from __future__ import annotations

from pathlib import Path

import pytest

import pyoxigraph as ox

from spacekg import open_store
from spacekg.errors import LinkingError
from spacekg.graph.sparql_store import SparqlStore
from spacekg.linking import dataset, reconcile
from spacekg.linking.reconcile import Candidate, Subject, similarity, write_link_files
from spacekg.ontology.sssom import curated_mappings, read_sssom
from spacekg.vocab import RDF, RDFS, SKG
from tests.linking.conftest import gold_links

DECOYS = {f"http://www.wikidata.org/entity/Q9900000{n}" for n in range(51, 58)}


@pytest.fixture(scope="module")
def report(linked_store, wikidata_endpoint):
    return reconcile(linked_store, endpoint=wikidata_endpoint, batch_size=40)


def test_every_proposal_is_right_and_no_decoy_is_proposed(report):
    gold = gold_links()
    proposed = {s.subject.iri: s.item for s in report.accepted}
    wrong = {e: i for e, i in proposed.items() if gold.get(e) != i}
    assert not wrong, f"wrong proposals: {wrong}"
    assert not DECOYS & set(proposed.values())
    precision = 1.0 if not proposed else (len(proposed) - len(wrong)) / len(proposed)
    recall = sum(proposed.get(e) == i for e, i in gold.items()) / len(gold)
    print(f"\nfixture: {len(proposed)} proposed, precision {precision:.3f}, recall {recall:.3f} "
          f"({sum(proposed.get(e) == i for e, i in gold.items())}/{len(gold)})")
    assert precision == 1.0 and recall >= 6 / 7


def test_decoys_go_to_review_with_the_reason(report):
    reasons = {(s.subject.label, s.item.rsplit("/", 1)[1]): s.reason for s in report.review}
    assert reasons[("Jared Isaacman", "Q990000051")] == "type disagrees"
    assert reasons[("Golden Dome", "Q990000053")] == "country disagrees"
    assert reasons[("Ministry of Defense (Japan)", "Q990000052")] == "country disagrees"
    assert reasons[("Ministry of Defense (Japan)", "Q990000054")].startswith("name similarity below")  # 'MOD' only
    assert reasons[("Sean Wilson", "Q990000007")].startswith("ambiguous")  # a namesake: left for review


def test_entities_with_a_curated_mapping_are_not_looked_up(report):
    curated = {mapping_set.expand(r.subject_id) for mapping_set in curated_mappings() for r in mapping_set.rows
               if r.object_id.startswith("wd:")}
    assert report.skipped_curated == len(curated) == 191
    assert not curated & {s.subject.iri for s in report.accepted + report.review}  # the decoy 'NASA' included


def test_link_files_are_sssom_and_the_curated_folder_is_refused(report, tmp_path):
    proposed, review = write_link_files(report, tmp_path)
    accepted = read_sssom(proposed.read_text(encoding="utf-8"), source=str(proposed))
    assert {r.predicate_id for r in accepted.rows} == {"owl:sameAs"}
    assert {accepted.expand(r.object_id) for r in accepted.rows} == {s.item for s in report.accepted}
    assert all(r.mapping_justification == "semapv:LexicalMatching" and r.confidence for r in accepted.rows)
    candidates = read_sssom(review.read_text(encoding="utf-8"), source=str(review))
    assert {r.predicate_id for r in candidates.rows} == {"skos:closeMatch"}
    packaged = Path(__file__).resolve().parents[2] / "spacekg" / "ontology" / "mappings"
    before = {p.name: p.read_bytes() for p in packaged.iterdir()}
    with pytest.raises(LinkingError, match="curated"):
        write_link_files(report, packaged)
    assert {p.name: p.read_bytes() for p in packaged.iterdir()} == before


def test_a_name_full_of_sparql_syntax_travels_as_one_literal(wikidata_endpoint):
    hostile = 'Orbex" } ; DROP ALL ; # Dynamics'
    store = open_store("memory:")
    entity = ox.NamedNode("https://w3id.org/spacekg/id/orbex-dynamics")
    store.add_quads([ox.Quad(entity, RDF.type, SKG.Organization, ox.DefaultGraph()),
                     ox.Quad(entity, RDFS.label, ox.Literal(hostile, language="en"), ox.DefaultGraph())])
    endpoint = SparqlStore(wikidata_endpoint)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = endpoint.query(count).rows
    report = reconcile(store, endpoint=wikidata_endpoint)
    assert [(s.subject.label, s.item) for s in report.accepted] == \
        [(hostile, "http://www.wikidata.org/entity/Q990000058")]
    assert endpoint.query(count).rows == before


def test_short_forms_never_count_as_a_full_name_match():
    ds = dataset("wikidata")
    assert ds.classes["Person"] == ("http://www.wikidata.org/entity/Q5",)
    subject = Subject("https://w3id.org/spacekg/id/x", "GovernmentBody", "Ministry of Defense (Japan)",
                      ("Ministry of Defense (Japan)", "MOD"))
    assert similarity(subject, Candidate("q", "Marine Operations Division", {"MOD"})) <= 0.8
    assert similarity(subject, Candidate("q", "Ministry of Defense (Japan)")) == 1.0


def test_bad_options_are_linking_errors(linked_store):
    with pytest.raises(LinkingError, match="unknown dataset"):
        reconcile(linked_store, dataset="freebase")
    with pytest.raises(LinkingError, match="--batch"):
        reconcile(linked_store, batch_size=0)


def test_dbpedia_reconciliation_uses_its_own_types_and_country(linked_store, wikidata_endpoint):
    report = reconcile(linked_store, dataset="dbpedia", endpoint=wikidata_endpoint)
    assert report.skipped_curated == 7
    assert {(s.subject.label, s.item.rsplit("/", 1)[1]) for s in report.accepted} == {
        ("Jared Isaacman", "Jared_Isaacman_(fixture)"), ("National Space Council", "National_Space_Council_(fixture)")}
    reasons = {s.item.rsplit("/", 1)[1]: s.reason for s in report.review}
    assert reasons == {"Jared_Isaacman_ship_(fixture)": "type disagrees",
                       "National_Space_Council_Japan_(fixture)": "country disagrees"}


def test_requests_are_posts_with_a_descriptive_user_agent_and_429_is_retried(linked_store):
    """A real HTTP server on 127.0.0.1 answers the first request with 429 and Retry-After: 0."""
    import http.server
    import json
    import threading

    seen: list[tuple[str, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self._answer("GET")

        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self._answer("POST")

        def _answer(self, method):
            seen.append((method, self.headers.get("User-Agent", "")))
            if len(seen) == 1:
                self.send_response(429)
                self.send_header("Retry-After", "0")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = json.dumps({"head": {"vars": ["name", "item"]}, "results": {"bindings": []}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        report = reconcile(linked_store, endpoint=f"http://127.0.0.1:{server.server_port}/sparql", batch_size=100)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert report.queries >= 2 and len(seen) == report.queries + 1  # every batch once, the first one twice
    assert {m for m, _ in seen} == {"POST"}
    assert all(ua.startswith("spacekg/") and "+https://w3id.org/spacekg" in ua for _, ua in seen)
