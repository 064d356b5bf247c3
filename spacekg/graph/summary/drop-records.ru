# title: Drop the partial summaries of some records
# description: The per-(entity, record) nodes of the records bound to ?rec (a VALUES block
#   rendered by spacekg.graph.values) are deleted with the record's old version; mark-records.ru
#   has marked their entities stale first, so refresh.ru rolls their totals up again.
DELETE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?p ?x ?y } }
WHERE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?p <https://w3id.org/spacekg/ontology#aboutRecord> ?rec ; ?x ?y } }
