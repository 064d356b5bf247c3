# title: Refresh the summary graph for the entities marked stale
# description: The summary graph <https://w3id.org/spacekg/graph/summary> holds per-entity and
#   per-pair aggregates over the assertions (derived data, see spacekg/graph/summary.py). The
#   writer marks stale (skg:summaryStale true, in the summary graph) every entity mentioned by the
#   old or the new version of a record it replaces; this request, run in the same transaction,
#   drops the stale entities' aggregates and every co-mention pair holding one, recomputes them
#   from the assertions' skg:mentions, then removes the marks. An entity no longer mentioned ends
#   with no aggregate. Pairs change only through an assertion that mentions both members, and the
#   writer marks every entity of such an assertion, so unmarked pairs stay correct.
# Written with full IRIs: the writer joins operations into one request and Oxigraph 0.5 accepts
# PREFIX only at the start of a request.
DELETE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?e ?p ?o } }
WHERE {
  GRAPH <https://w3id.org/spacekg/graph/summary> {
    ?e <https://w3id.org/spacekg/ontology#summaryStale> true ; ?p ?o .
    FILTER(?p IN (<https://w3id.org/spacekg/ontology#mentionCount>, <https://w3id.org/spacekg/ontology#bestRank>, <https://w3id.org/spacekg/ontology#recordCount>))
  }
} ;
DELETE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?pair ?p ?o } }
WHERE {
  GRAPH <https://w3id.org/spacekg/graph/summary> {
    ?e <https://w3id.org/spacekg/ontology#summaryStale> true .
    { ?pair <https://w3id.org/spacekg/ontology#firstEntity> ?e } UNION { ?pair <https://w3id.org/spacekg/ontology#secondEntity> ?e }
    ?pair ?p ?o .
  }
} ;
INSERT { GRAPH <https://w3id.org/spacekg/graph/summary> { ?e <https://w3id.org/spacekg/ontology#mentionCount> ?n ; <https://w3id.org/spacekg/ontology#bestRank> ?best ; <https://w3id.org/spacekg/ontology#recordCount> ?records } }
WHERE {
  SELECT ?e (COUNT(DISTINCT ?a) AS ?n) (MIN(?rank) AS ?best) (COUNT(DISTINCT ?rec) AS ?records)
  WHERE {
    GRAPH <https://w3id.org/spacekg/graph/summary> { ?e <https://w3id.org/spacekg/ontology#summaryStale> true }
    ?a <https://w3id.org/spacekg/ontology#mentions> ?e ; <https://w3id.org/spacekg/ontology#evidenceRank> ?rank ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?rec .
  }
  GROUP BY ?e
} ;
INSERT {
  GRAPH <https://w3id.org/spacekg/graph/summary> {
    ?pair a <https://w3id.org/spacekg/ontology#CoMention> ; <https://w3id.org/spacekg/ontology#firstEntity> ?x ; <https://w3id.org/spacekg/ontology#secondEntity> ?y ; <https://w3id.org/spacekg/ontology#weight> ?w ; <https://w3id.org/spacekg/ontology#bestRank> ?best
  }
}
WHERE {
  {
    SELECT ?x ?y (COUNT(DISTINCT ?a) AS ?w) (MIN(?rank) AS ?best)
    WHERE {
      GRAPH <https://w3id.org/spacekg/graph/summary> { ?e <https://w3id.org/spacekg/ontology#summaryStale> true }
      ?a <https://w3id.org/spacekg/ontology#mentions> ?e , ?other ; <https://w3id.org/spacekg/ontology#evidenceRank> ?rank .
      FILTER(?e != ?other)
      BIND(IF(STR(?e) < STR(?other), ?e, ?other) AS ?x)
      BIND(IF(STR(?e) < STR(?other), ?other, ?e) AS ?y)
    }
    GROUP BY ?x ?y
  }
  BIND(IRI(CONCAT("https://w3id.org/spacekg/id/summary/pair/", SHA1(CONCAT(STR(?x), " ", STR(?y))))) AS ?pair)
} ;
DELETE WHERE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?e <https://w3id.org/spacekg/ontology#summaryStale> true } } ;
INSERT DATA {
  GRAPH <https://w3id.org/spacekg/graph/summary> {
    <https://w3id.org/spacekg/graph/summary> a <https://w3id.org/spacekg/ontology#SummaryGraph> , <http://www.w3.org/ns/prov#Entity> ;
      <http://www.w3.org/2000/01/rdf-schema#label> "summary of the assertions"@en ;
      <http://purl.org/dc/terms/description> "Derived data, recomputed by every build from the assertions' skg:mentions and skg:evidenceRank: per entity the number of assertions and records that mention it and its best evidence rank; per pair of entities mentioned in one assertion (skg:CoMention) the number of such assertions and their best rank. Not evidence itself: the assertions and their named graphs are."@en .
  }
}
