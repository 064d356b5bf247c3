# title: Refresh the budget totals marked stale
# description: Per (fiscal year, currency) the summary graph holds a budget total (skg:BudgetTotal)
#   rolled up from the partial totals of the records (budget-partials.ru): the amounts, lower
#   bounds and budgets summed, the best rank the minimum, the holders counted distinct over the
#   partials' holders. This request drops the stale totals and sums them again from their
#   partials (one node per record with budgets of that year and currency, never every budget);
#   a total no partial adds to any more ends with no node. refresh.ru, run after it, clears
#   the marks. Full IRIs: see refresh.ru.
DELETE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?total ?p ?o } }
WHERE {
  GRAPH <https://w3id.org/spacekg/graph/summary> {
    ?total <https://w3id.org/spacekg/ontology#summaryStale> true ; a <https://w3id.org/spacekg/ontology#BudgetTotal> ; ?p ?o .
    FILTER(?p != <https://w3id.org/spacekg/ontology#summaryStale>)
  }
} ;
INSERT { GRAPH <https://w3id.org/spacekg/graph/summary> {
  ?total a <https://w3id.org/spacekg/ontology#BudgetTotal> ;
    <https://w3id.org/spacekg/ontology#totalFiscalYear> ?fiscalYear ; <https://w3id.org/spacekg/ontology#totalCurrency> ?currency ;
    <https://w3id.org/spacekg/ontology#totalAmount> ?amounts ; <https://w3id.org/spacekg/ontology#lowerBoundCount> ?lowerBounds ;
    <https://w3id.org/spacekg/ontology#budgetCount> ?budgets ; <https://w3id.org/spacekg/ontology#totalBestRank> ?best } }
WHERE {
  SELECT ?total ?fiscalYear ?currency (SUM(?a) AS ?amounts) (SUM(?l) AS ?lowerBounds) (SUM(?b) AS ?budgets) (MIN(?r) AS ?best)
  WHERE {
    GRAPH <https://w3id.org/spacekg/graph/summary> {
      ?total <https://w3id.org/spacekg/ontology#summaryStale> true .
      ?part <https://w3id.org/spacekg/ontology#partOfTotal> ?total ; <https://w3id.org/spacekg/ontology#totalCurrency> ?currency ;
        <https://w3id.org/spacekg/ontology#totalAmount> ?a ; <https://w3id.org/spacekg/ontology#lowerBoundCount> ?l ;
        <https://w3id.org/spacekg/ontology#budgetCount> ?b ; <https://w3id.org/spacekg/ontology#totalBestRank> ?r .
    }
    OPTIONAL { GRAPH <https://w3id.org/spacekg/graph/summary> { ?part <https://w3id.org/spacekg/ontology#totalFiscalYear> ?fiscalYear } }
  }
  GROUP BY ?total ?fiscalYear ?currency
} ;
INSERT { GRAPH <https://w3id.org/spacekg/graph/summary> { ?total <https://w3id.org/spacekg/ontology#holderCount> ?holders } }
WHERE {
  SELECT ?total (COUNT(DISTINCT ?holder) AS ?holders)
  WHERE {
    GRAPH <https://w3id.org/spacekg/graph/summary> {
      ?total <https://w3id.org/spacekg/ontology#summaryStale> true .
      ?part <https://w3id.org/spacekg/ontology#partOfTotal> ?total ; <https://w3id.org/spacekg/ontology#totalHolder> ?holder .
    }
  }
  GROUP BY ?total
}
