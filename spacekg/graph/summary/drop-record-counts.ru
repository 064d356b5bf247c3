# title: Drop the assertion counts of some records
# description: The counts (skg:assertionCount, skg:negatedCount) of the records bound to ?rec
#   (a VALUES block rendered by spacekg.graph.values) are deleted with the record's old
#   version, or before record-counts.ru counts them again.
DELETE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?rec ?x ?y } }
WHERE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?rec ?x ?y . FILTER(?x IN (<https://w3id.org/spacekg/ontology#assertionCount>, <https://w3id.org/spacekg/ontology#negatedCount>)) } }
