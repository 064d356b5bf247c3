# title: Mark the entities of some records stale
# description: Every entity that an assertion of the records bound to ?rec (a VALUES block
#   rendered by spacekg.graph.values, placed at the start of the WHERE group) mentions is
#   marked stale in the summary graph. The writer runs it before deleting a record's old
#   version and after inserting its new one.
INSERT { GRAPH <https://w3id.org/spacekg/graph/summary> { ?e <https://w3id.org/spacekg/ontology#summaryStale> true } }
WHERE { ?a <http://www.w3.org/ns/prov#wasDerivedFrom> ?rec ; <https://w3id.org/spacekg/ontology#mentions> ?e }
