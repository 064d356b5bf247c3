# title: The capabilities some records state facts about
# description: Evidence "fact: <predicate>": a fact not negated with an entity as subject and a capability as object.
#   A partial per (record, capability, other entity, kind of evidence): the record's assertions
#   giving it, counted, and their best rank, as the capability-pursuers query counted them, the
#   entity not yet checked to be an actor (the query checks both classes when it reads the
#   links: a class can change with a later build, the co-mention and the rank cannot). The
#   capability is checked here, so only the few capabilities' neighbours are kept: an entity
#   that became a capability only after a record was written is missed until that record is
#   rebuilt (the capabilities of the benchmark corpora are all the reference data's).
#   spacekg.graph.summary places the records' VALUES block (?rec) inside the sub-SELECT; with
#   none (after a bulk load) every record's are read, from the capabilities (the class first:
#   co-mentions 63 CPU-ms at 10k, against 2,000 with the class checked after; a capability of
#   two classes counts once all the same). One operation per kind of evidence: Oxigraph 0.5
#   carries no binding into the branches of a UNION, so a UNION would read every record's
#   mentions for one record. refresh-capability-links.ru rolls them up; a
#   partial is dropped with its record (skg:aboutRecord, drop-records.ru).
INSERT { GRAPH <https://w3id.org/spacekg/graph/summary> {
  ?part <https://w3id.org/spacekg/ontology#aboutRecord> ?rec ; <https://w3id.org/spacekg/ontology#partOfLink> ?link ;
    <https://w3id.org/spacekg/ontology#linkCapability> ?cap ; <https://w3id.org/spacekg/ontology#linkActor> ?act ;
    <https://w3id.org/spacekg/ontology#linkEvidence> ?evidence ; <https://w3id.org/spacekg/ontology#linkAssertions> ?n ;
    <https://w3id.org/spacekg/ontology#linkBestRank> ?best } }
WHERE {
  SELECT ?rec ?cap ?act ?evidence (COUNT(DISTINCT ?assertion) AS ?n) (MIN(?rank) AS ?best)
         (IRI(CONCAT("https://w3id.org/spacekg/id/summary/capability-partial/", SHA1(CONCAT(STR(?rec), " ", STR(?cap), " ", STR(?act), " ", ?evidence)))) AS ?part)
         (IRI(CONCAT("https://w3id.org/spacekg/id/summary/capability-link/", SHA1(CONCAT(STR(?cap), " ", STR(?act), " ", ?evidence)))) AS ?link)
  WHERE {
    GRAPH <https://w3id.org/spacekg/ontology> { ?capClass <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <https://w3id.org/spacekg/ontology#Capability> }
    ?cap a ?capClass .
    GRAPH ?assertion { ?fact a <https://w3id.org/spacekg/ontology#Fact> ; <https://w3id.org/spacekg/ontology#negated> false ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?act ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?p ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?cap }
    ?assertion <http://www.w3.org/ns/prov#wasDerivedFrom> ?rec ; <https://w3id.org/spacekg/ontology#evidenceRank> ?rank .
    BIND(CONCAT("fact: ", REPLACE(STR(?p), "^.*[#/]", "")) AS ?evidence)
  }
  GROUP BY ?rec ?cap ?act ?evidence
}
