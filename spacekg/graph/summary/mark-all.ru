# title: Mark every mentioned entity stale
# description: Before a full refresh of the summary graph (after a bulk load): every entity
#   that an assertion mentions is marked, so refresh.ru recomputes the whole summary.
DROP SILENT GRAPH <https://w3id.org/spacekg/graph/summary> ;
INSERT { GRAPH <https://w3id.org/spacekg/graph/summary> { ?e <https://w3id.org/spacekg/ontology#summaryStale> true } }
WHERE { SELECT DISTINCT ?e WHERE { ?a <https://w3id.org/spacekg/ontology#mentions> ?e } }
