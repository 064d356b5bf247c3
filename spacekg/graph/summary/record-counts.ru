# title: Count the assertions of some records
# description: Per record, how many assertions it has and how many of them are negated
#   (skg:assertionCount, skg:negatedCount on the record's IRI in the summary graph), counted as
#   the `records` query counted them. spacekg.graph.summary places the records' VALUES block
#   (?rec) inside the sub-SELECT, so only those records' assertions are read; with no block
#   (after a bulk load) every record is counted. drop-records.ru has removed the records'
#   earlier counts, and a record with no assertion gets none.
INSERT { GRAPH <https://w3id.org/spacekg/graph/summary> { ?rec <https://w3id.org/spacekg/ontology#assertionCount> ?n ; <https://w3id.org/spacekg/ontology#negatedCount> ?negated } }
WHERE {
  SELECT ?rec (COUNT(?a) AS ?n) (SUM(IF(?neg, 1, 0)) AS ?negated)
  WHERE { ?a <http://www.w3.org/ns/prov#wasDerivedFrom> ?rec ; <https://w3id.org/spacekg/ontology#negated> ?neg }
  GROUP BY ?rec
}
