# title: Mark the entities of some records stale
# description: Every entity named by a partial summary (skg:aboutEntity) of the records bound to
#   ?rec (a VALUES block rendered by spacekg.graph.values, placed at the start of the WHERE
#   group) is marked stale in the summary graph. The writer runs it before dropping a record's
#   old version and after inserting its new one; it reads one node per (entity, record).
INSERT { GRAPH <https://w3id.org/spacekg/graph/summary> { ?e <https://w3id.org/spacekg/ontology#summaryStale> true } }
WHERE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?p <https://w3id.org/spacekg/ontology#aboutRecord> ?rec ; <https://w3id.org/spacekg/ontology#aboutEntity> ?e } }
