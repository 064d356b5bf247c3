"""Counts that describe a store: records, assertions, quads, entities by class."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacekg.graph.store import Store

__all__ = ["StoreStats", "store_stats"]

_COUNTS = """
PREFIX skg: <https://w3id.org/spacekg/ontology#>
SELECT (COUNT(DISTINCT ?r) AS ?records) (COUNT(DISTINCT ?a) AS ?assertions) WHERE {
  { ?r a skg:AssertionRecord } UNION { ?a a skg:Assertion }
}
"""
_BY_CLASS = """
PREFIX skg: <https://w3id.org/spacekg/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?class (COUNT(DISTINCT ?e) AS ?entities) (COUNT(DISTINCT ?linked) AS ?wikidata) WHERE {
  ?a skg:mentions ?e . ?e a ?cls .
  FILTER(STRSTARTS(STR(?cls), STR(skg:)))
  BIND(STRAFTER(STR(?cls), "#") AS ?class)
  OPTIONAL { ?e owl:sameAs ?wd FILTER(STRSTARTS(STR(?wd), "http://www.wikidata.org/entity/")) BIND(?e AS ?linked) }
}
GROUP BY ?class ORDER BY ?class
"""
_GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass
class StoreStats:
    records: int
    assertions: int
    named_graphs: int
    quads: int
    entities_by_class: dict[str, int] = field(default_factory=dict)
    linked_by_class: dict[str, int] = field(default_factory=dict)

    @property
    def entities(self) -> int:
        return sum(self.entities_by_class.values())


def _int(term) -> int:
    return int(term.value) if term is not None else 0


def store_stats(store: Store) -> StoreStats:
    """Counts of the store's records, assertions, named graphs, quads and mentioned entities."""
    counts = store.query(_COUNTS).rows[0]
    by_class = store.query(_BY_CLASS).rows
    return StoreStats(
        records=_int(counts[0]),
        assertions=_int(counts[1]),
        named_graphs=_int(store.query(_GRAPHS).rows[0][0]),
        quads=len(store),
        entities_by_class={row[0].value: _int(row[1]) for row in by_class},
        linked_by_class={row[0].value: _int(row[2]) for row in by_class},
    )
