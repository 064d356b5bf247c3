# title: Mark the capability links of some records stale
# description: Every (capability, entity, kind of evidence) link a partial of the records bound
#   to ?rec adds to (a VALUES block rendered by spacekg.graph.values, placed at the start of the
#   WHERE group; with no block, every partial's) is marked stale, so refresh-capability-links.ru
#   sums it again. Run before a record's old version is dropped and after its new one is counted.
INSERT { GRAPH <https://w3id.org/spacekg/graph/summary> { ?link <https://w3id.org/spacekg/ontology#summaryStale> true } }
WHERE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?part <https://w3id.org/spacekg/ontology#partOfLink> ?link ; <https://w3id.org/spacekg/ontology#aboutRecord> ?rec } }
