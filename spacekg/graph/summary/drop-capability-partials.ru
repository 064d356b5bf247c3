# title: Drop the capability partials of some records
# description: The partial capability links of the records bound to ?rec (a VALUES block rendered
#   by spacekg.graph.values), before capability-partials-*.ru count the records again;
#   mark-capability-links.ru has marked the links they added to stale first.
DELETE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?part ?x ?y } }
WHERE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?part <https://w3id.org/spacekg/ontology#aboutRecord> ?rec ; <https://w3id.org/spacekg/ontology#partOfLink> ?link ; ?x ?y } }
