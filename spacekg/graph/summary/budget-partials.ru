# title: Sum the budgets of some records per fiscal year and currency
# description: Per record, fiscal year and currency a partial budget total in the summary graph
#   (IRI from a hash of the three): the amounts summed, how many are lower bounds, how many
#   budgets, the best evidence rank, computed as the budget-totals query computes them but
#   grouped by record too, and skg:partOfTotal naming the (fiscal year, currency) total it adds
#   to. spacekg.graph.summary places the records' VALUES block (?rec) inside the sub-SELECT, so
#   only those records' budgets are read; with no block (after a bulk load) every record's are.
#   budget-partial-holders.ru adds each partial's holders; refresh-budget-totals.ru rolls the
#   partials up. A partial is dropped with its record (skg:aboutRecord, drop-records.ru).
#   The OPTIONALs stand outside the assertion's GRAPH group (the same answer, the graph being
#   bound before them): inside it Oxigraph 0.5 read every minValue of the store to join them,
#   230 ms for one record at 10k against 2 ms.
INSERT { GRAPH <https://w3id.org/spacekg/graph/summary> {
  ?part <https://w3id.org/spacekg/ontology#aboutRecord> ?rec ; <https://w3id.org/spacekg/ontology#partOfTotal> ?total ;
    <https://w3id.org/spacekg/ontology#totalFiscalYear> ?fiscalYear ; <https://w3id.org/spacekg/ontology#totalCurrency> ?currency ;
    <https://w3id.org/spacekg/ontology#totalAmount> ?amounts ; <https://w3id.org/spacekg/ontology#lowerBoundCount> ?lowerBounds ;
    <https://w3id.org/spacekg/ontology#budgetCount> ?budgets ; <https://w3id.org/spacekg/ontology#totalBestRank> ?best } }
WHERE {
  SELECT ?rec ?fiscalYear ?currency (SUM(?value) AS ?amounts) (SUM(IF(BOUND(?min), 1, 0)) AS ?lowerBounds)
         (COUNT(DISTINCT ?budget) AS ?budgets) (MIN(?rank) AS ?best)
         (IRI(CONCAT("https://w3id.org/spacekg/id/summary/budget-partial/", SHA1(CONCAT(STR(?rec), " ", COALESCE(STR(?fiscalYear), ""), " ", STR(?currency))))) AS ?part)
         (IRI(CONCAT("https://w3id.org/spacekg/id/summary/budget-total/", SHA1(CONCAT(COALESCE(STR(?fiscalYear), ""), " ", STR(?currency))))) AS ?total)
  WHERE {
    ?assertion <http://www.w3.org/ns/prov#wasDerivedFrom> ?rec ; <https://w3id.org/spacekg/ontology#evidenceRank> ?rank .
    GRAPH ?assertion {
      ?budget a <https://w3id.org/spacekg/ontology#Budget> ; <https://w3id.org/spacekg/ontology#budgetHolder> ?holder ; <https://w3id.org/spacekg/ontology#amount> ?amount .
      ?amount <https://schema.org/value> ?value ; <https://schema.org/currency> ?currency .
    }
    OPTIONAL { GRAPH ?assertion { ?amount <https://schema.org/minValue> ?min } }
    OPTIONAL { GRAPH ?assertion { ?budget <https://w3id.org/spacekg/ontology#fiscalYear> ?fiscalYear } }
  }
  GROUP BY ?rec ?fiscalYear ?currency
}
