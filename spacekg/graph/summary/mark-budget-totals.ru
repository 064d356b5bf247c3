# title: Mark the budget totals of some records stale
# description: Every (fiscal year, currency) budget total a partial of the records bound to ?rec
#   adds to (a VALUES block rendered by spacekg.graph.values, placed at the start of the WHERE
#   group; with no block, every partial's) is marked stale, so refresh-budget-totals.ru sums it
#   again. Run before a record's old version is dropped and after its new one is summed.
INSERT { GRAPH <https://w3id.org/spacekg/graph/summary> { ?total <https://w3id.org/spacekg/ontology#summaryStale> true } }
WHERE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?part <https://w3id.org/spacekg/ontology#partOfTotal> ?total ; <https://w3id.org/spacekg/ontology#aboutRecord> ?rec } }
