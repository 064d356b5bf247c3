# title: The budget holders of some records' partial budget totals
# description: Each holder of a budget counted by a partial budget total (budget-partials.ru) is
#   named on the partial (skg:totalHolder), so that refresh-budget-totals.ru counts the distinct
#   holders of a fiscal year and currency across records (a count of distinct holders does not
#   add up over records). Same pattern and VALUES block (?rec, inside the sub-SELECT) as
#   budget-partials.ru.
INSERT { GRAPH <https://w3id.org/spacekg/graph/summary> { ?part <https://w3id.org/spacekg/ontology#totalHolder> ?holder } }
WHERE {
  SELECT DISTINCT ?holder
         (IRI(CONCAT("https://w3id.org/spacekg/id/summary/budget-partial/", SHA1(CONCAT(STR(?rec), " ", COALESCE(STR(?fiscalYear), ""), " ", STR(?currency))))) AS ?part)
  WHERE {
    ?assertion <http://www.w3.org/ns/prov#wasDerivedFrom> ?rec ; <https://w3id.org/spacekg/ontology#evidenceRank> ?rank .
    GRAPH ?assertion {
      ?budget a <https://w3id.org/spacekg/ontology#Budget> ; <https://w3id.org/spacekg/ontology#budgetHolder> ?holder ; <https://w3id.org/spacekg/ontology#amount> ?amount .
      ?amount <https://schema.org/value> ?value ; <https://schema.org/currency> ?currency .
    }
    OPTIONAL { GRAPH ?assertion { ?budget <https://w3id.org/spacekg/ontology#fiscalYear> ?fiscalYear } }
  }
}
