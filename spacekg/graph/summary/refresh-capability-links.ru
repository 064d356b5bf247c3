# title: Refresh the capability links marked stale
# description: Per (capability, entity, kind of evidence) the summary graph holds a link
#   (skg:CapabilityLink) rolled up from the records' partials (capability-partials-*.ru): the
#   assertions summed (an assertion belongs to one record, so the per-record distinct counts add
#   up), the best rank the minimum. This request drops the stale links and sums them again from
#   their partials (one node per record giving the link, never every mention); a link no
#   partial adds to any more ends with no node. refresh.ru, run after it, clears the marks.
#   Full IRIs: see refresh.ru.
DELETE { GRAPH <https://w3id.org/spacekg/graph/summary> { ?link ?p ?o } }
WHERE {
  GRAPH <https://w3id.org/spacekg/graph/summary> {
    ?link <https://w3id.org/spacekg/ontology#summaryStale> true ; a <https://w3id.org/spacekg/ontology#CapabilityLink> ; ?p ?o .
    FILTER(?p != <https://w3id.org/spacekg/ontology#summaryStale>)
  }
} ;
INSERT { GRAPH <https://w3id.org/spacekg/graph/summary> {
  ?link a <https://w3id.org/spacekg/ontology#CapabilityLink> ;
    <https://w3id.org/spacekg/ontology#linkCapability> ?cap ; <https://w3id.org/spacekg/ontology#linkActor> ?act ;
    <https://w3id.org/spacekg/ontology#linkEvidence> ?evidence ; <https://w3id.org/spacekg/ontology#linkAssertions> ?n ;
    <https://w3id.org/spacekg/ontology#linkBestRank> ?best } }
WHERE {
  SELECT ?link ?cap ?act ?evidence (SUM(?m) AS ?n) (MIN(?r) AS ?best)
  WHERE {
    GRAPH <https://w3id.org/spacekg/graph/summary> {
      ?link <https://w3id.org/spacekg/ontology#summaryStale> true .
      ?part <https://w3id.org/spacekg/ontology#partOfLink> ?link ; <https://w3id.org/spacekg/ontology#linkCapability> ?cap ;
        <https://w3id.org/spacekg/ontology#linkActor> ?act ; <https://w3id.org/spacekg/ontology#linkEvidence> ?evidence ;
        <https://w3id.org/spacekg/ontology#linkAssertions> ?m ; <https://w3id.org/spacekg/ontology#linkBestRank> ?r .
    }
  }
  GROUP BY ?link ?cap ?act ?evidence
}
