"""Enrichment: selected properties of the linked items (``properties.tsv``: country,
inception, official website, headquarters, heads, parent organization) copied from the
dataset's endpoint into ONE named graph per source, ``<https://w3id.org/spacekg/graph/enrichment/NAME>``.

The graph describes itself with PROV-O (``prov:wasGeneratedBy`` an activity that
``prov:used`` the endpoint and a ``prov:Plan`` holding the query, with start and end times),
so enriched facts never mix with extracted ones: ``GRAPH <…/enrichment/wikidata> { … }``
reads them, and running `enrich` again replaces the graph whole, in one transaction
(``DROP SILENT GRAPH`` then insert). The facts keep the source's own vocabulary
(``wdt:P571`` …), so queries written for Wikidata read them unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from spacekg.errors import LinkingError
from spacekg.graph.sparql_store import SparqlStore
from spacekg.graph.store import Store
from spacekg.graph.values import render_value_list, with_blocks
from spacekg.linking import dataset as get_dataset
from spacekg.vocab import RDF, RDFS, XSD

__all__ = ["EnrichReport", "drop_enrichment", "enrich", "linked_items"]

PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
_LINKED = """
SELECT DISTINCT ?item WHERE { ?entity <http://www.w3.org/2002/07/owl#sameAs> ?item }
"""


@dataclass(frozen=True)
class EnrichReport:
    """What `enrich` wrote: the graph, how many items were asked about and facts stored."""

    dataset: str
    endpoint: str
    graph: str
    items: int
    triples: int
    queries: int

    @property
    def summary(self) -> str:
        return (f"{self.triples} triples about {self.items} linked {self.dataset} items from {self.endpoint} "
                f"into graph <{self.graph}> ({self.queries} queries)")


def linked_items(store: Store, namespace: str) -> list[ox.NamedNode]:
    """Every item of `namespace` that an entity of the store is ``owl:sameAs``."""
    found = {row[0].value for row in store.query(_LINKED).rows
             if isinstance(row[0], ox.NamedNode) and row[0].value.startswith(namespace)}
    return [ox.NamedNode(v) for v in sorted(found)]


def enrich(store: Store, *, dataset: str = "wikidata", endpoint: str | None = None, batch_size: int = 50,
           client: Store | None = None, progress: Callable[[int, int], None] | None = None,
           now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc)) -> EnrichReport:
    """Replace the dataset's enrichment graph with fresh facts about the store's linked items."""
    ds = get_dataset(dataset)
    if not ds.properties:
        raise LinkingError(f"no enrichment properties are listed for {ds.name} in properties.tsv")
    if not 1 <= batch_size <= 500:
        raise LinkingError(f"--batch {batch_size}: choose between 1 and 500 items per query")
    url = endpoint or ds.endpoint
    client = client or SparqlStore(url, post=True, timeout=60.0, max_attempts=5, retry_budget=120.0)
    items = linked_items(store, ds.namespace)
    template = ds.query_text("enrich")
    prop_block = render_value_list("p", (ox.NamedNode(p) for p in ds.properties))
    started = now()
    triples: set[ox.Triple] = set()
    queries = 0
    for start in range(0, len(items), batch_size):
        chunk = items[start:start + batch_size]
        result = client.query(with_blocks(template, [render_value_list("item", chunk), prop_block]))
        queries += 1
        triples.update(result.triples)
        if progress:
            progress(min(start + batch_size, len(items)), len(items))
    ended = now()
    graph = ds.graph
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in sorted(triples, key=str)]
    quads += [ox.Quad(ox.NamedNode(iri), RDFS.label, ox.Literal(name, language="en"), graph)
              for iri, name in sorted(ds.properties.items())]
    quads += _provenance(graph, url, template, started, ended, len(items))
    store.replace(f"DROP SILENT GRAPH <{graph.value}>", quads)
    return EnrichReport(ds.name, url, graph.value, len(items), len(triples), queries)


def drop_enrichment(store: Store, *, dataset: str = "wikidata") -> int:
    """Remove the dataset's enrichment graph (facts and provenance together); returns how many
    quads it held."""
    graph = get_dataset(dataset).graph
    held = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}").rows[0][0]
    store.replace(f"DROP SILENT GRAPH <{graph.value}>", [])
    return int(held.value) if held is not None else 0


def _provenance(graph: ox.NamedNode, endpoint: str, query: str, started: dt.datetime, ended: dt.datetime,
                items: int) -> list[ox.Quad]:
    """PROV-O about the graph, inside the graph (so dropping it drops its provenance too)."""
    activity = ox.NamedNode(graph.value + "/activity")
    plan = ox.NamedNode(graph.value + "/query")
    source = ox.NamedNode(endpoint)

    def p(local: str) -> ox.NamedNode:
        return ox.NamedNode(PROV + local)

    def stamp(t: dt.datetime) -> ox.Literal:
        return ox.Literal(t.isoformat(timespec="seconds"), datatype=XSD.dateTime)

    triples = [
        (graph, RDF.type, p("Bundle")),
        (graph, p("wasGeneratedBy"), activity),
        (graph, p("generatedAtTime"), stamp(ended)),
        (graph, ox.NamedNode(DCTERMS + "source"), source),
        (activity, RDF.type, p("Activity")),
        (activity, p("startedAtTime"), stamp(started)),
        (activity, p("endedAtTime"), stamp(ended)),
        (activity, p("used"), source),
        (activity, p("used"), plan),
        (activity, ox.NamedNode(DCTERMS + "description"),
         ox.Literal(f"spacekg enrich: properties of {items} linked items, by batched VALUES queries")),
        (plan, RDF.type, p("Plan")),
        (plan, p("value"), ox.Literal(query)),
    ]
    return [ox.Quad(s, pr, o, graph) for s, pr, o in triples]
