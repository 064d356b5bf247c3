# title: Refresh the summary graph for the entities marked stale
# description: The summary graph <https://w3id.org/spacekg/graph/summary> holds per-(entity,
#   record) partial summaries, written with each record, and per-entity totals rolled up from
#   them (derived data, see spacekg/graph/summary.py). The writer marks stale (skg:summaryStale
#   true, in the summary graph) every entity named by the old or the new version of a record it
#   replaces; this request, run in the same transaction, drops the stale entities' totals,
#   rolls them up again from their partials (sum, count, min: one node per record that mentions
#   the entity, never every mention), then removes the marks. An entity no longer mentioned
#   has no partial and so ends with no total.
# Written with full IRIs: the writer joins operations into one request and Oxigraph 0.5 accepts
# PREFIX only at the start of a request.
DELETE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?e ?p ?o } }
WHERE {
  GRAPH <https://w3id.org/spacekg/graph/summary> {
    ?e <https://w3id.org/spacekg/ontology#summaryStale> true ; ?p ?o .
    FILTER(?p IN (<https://w3id.org/spacekg/ontology#mentionCount>, <https://w3id.org/spacekg/ontology#bestRank>, <https://w3id.org/spacekg/ontology#recordCount>))
  }
} ;
INSERT { GRAPH <https://w3id.org/spacekg/graph/summary> { ?e <https://w3id.org/spacekg/ontology#mentionCount> ?n ; <https://w3id.org/spacekg/ontology#bestRank> ?best ; <https://w3id.org/spacekg/ontology#recordCount> ?records } }
WHERE {
  SELECT ?e (SUM(?m) AS ?n) (MIN(?rank) AS ?best) (COUNT(?part) AS ?records)
  WHERE {
    GRAPH <https://w3id.org/spacekg/graph/summary> {
      ?e <https://w3id.org/spacekg/ontology#summaryStale> true .
      ?part <https://w3id.org/spacekg/ontology#aboutEntity> ?e ; <https://w3id.org/spacekg/ontology#mentionsInRecord> ?m ; <https://w3id.org/spacekg/ontology#bestRankInRecord> ?rank .
    }
  }
  GROUP BY ?e
} ;
DELETE WHERE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?e <https://w3id.org/spacekg/ontology#summaryStale> true } } ;
INSERT DATA {
  GRAPH <https://w3id.org/spacekg/graph/summary> {
    <https://w3id.org/spacekg/graph/summary> a <https://w3id.org/spacekg/ontology#SummaryGraph> , <http://www.w3.org/ns/prov#Entity> ;
      <http://www.w3.org/2000/01/rdf-schema#label> "summary of the assertions"@en ;
      <http://purl.org/dc/terms/description> "Derived data, recomputed by every build from the assertions' skg:mentions and skg:evidenceRank: per (entity, record) the record's assertions that mention the entity and their best evidence rank; per entity the totals (assertions, records, best rank) rolled up from those. Not evidence itself: the assertions and their named graphs are."@en .
  }
}
