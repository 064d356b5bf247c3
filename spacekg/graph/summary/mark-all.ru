# title: Mark every summarised entity stale
# description: After a bulk load (which loaded each record's partial summaries with its quads)
#   every entity a partial summary names is marked, so refresh.ru rolls up every total.
INSERT { GRAPH <https://w3id.org/spacekg/graph/summary> { ?e <https://w3id.org/spacekg/ontology#summaryStale> true } }
WHERE { SELECT DISTINCT ?e WHERE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?p <https://w3id.org/spacekg/ontology#aboutEntity> ?e } } }
