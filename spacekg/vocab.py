"""IRIs of the vocabularies spacekg writes, in one place.

The ``skg:`` terms must all be declared in ``ontology/spacekg.ttl``; a test compares the
names used here with the ontology so that the code cannot drift from it.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

__all__ = ["DCTERMS", "FOAF", "ITSRDF", "NIF", "NS", "ORG", "OWL", "PROV", "RDF", "RDFS", "SCHEMA", "SKG", "SKGID", "SKOS", "WD", "XSD",
           "Namespace", "PREFIXES"]


_VOCABULARY: dict[str, NamedNode] = {}


class Namespace(str):
    """A namespace IRI; ``SKG.Assertion`` / ``SKG["Assertion"]`` give a pyoxigraph NamedNode."""

    def __getattr__(self, local: str) -> NamedNode:
        # attribute names are the code's fixed vocabulary, so their nodes are made once and kept
        # as attributes (later reads do not come here): a build asks for SKG.mentions & co. tens
        # of times per assertion
        if local.startswith("__"):
            raise AttributeError(local)
        iri = self + local
        node = _VOCABULARY.get(iri)
        if node is None:
            node = _VOCABULARY[iri] = NamedNode(iri)
        self.__dict__[local] = node
        return node

    def __getitem__(self, local: str) -> NamedNode:  # type: ignore[override]
        return NamedNode(self + local)

    def term(self, local: str) -> NamedNode:
        return NamedNode(self + local)


SKG = Namespace("https://w3id.org/spacekg/ontology#")
SKGID = Namespace("https://w3id.org/spacekg/id/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
WD = Namespace("http://www.wikidata.org/entity/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")

PREFIXES: dict[str, str] = {
    "skg": str(SKG), "skgid": str(SKGID), "prov": str(PROV), "schema": str(SCHEMA), "org": str(ORG),
    "foaf": str(FOAF), "skos": str(SKOS), "dcterms": str(DCTERMS), "owl": str(OWL), "rdf": str(RDF),
    "rdfs": str(RDFS), "xsd": str(XSD), "wd": str(WD), "nif": str(NIF), "itsrdf": str(ITSRDF),
}
NS = {prefix: Namespace(iri) for prefix, iri in PREFIXES.items()}


def expand_curie(curie: str) -> NamedNode:
    """``"org:headOf"`` → the NamedNode; raises KeyError for an unknown prefix."""
    prefix, _, local = curie.partition(":")
    return NamedNode(PREFIXES[prefix] + local)
