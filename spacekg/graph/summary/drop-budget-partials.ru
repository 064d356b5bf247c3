# title: Drop the partial budget totals of some records
# description: The partial budget totals of the records bound to ?rec (a VALUES block rendered by
#   spacekg.graph.values), before budget-partials.ru sums the records again; mark-budget-totals.ru
#   has marked the totals they added to stale first.
DELETE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?part ?x ?y } }
WHERE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?part <https://w3id.org/spacekg/ontology#aboutRecord> ?rec ; <https://w3id.org/spacekg/ontology#partOfTotal> ?total ; ?x ?y } }
