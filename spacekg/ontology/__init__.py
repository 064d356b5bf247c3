"""The ontology and reference data, shipped as data files inside the package.

``spacekg.ttl`` (OWL classes and properties) and ``entities.ttl`` (reference actors,
programs, places…) are read through importlib.resources; this module turns the reference
entities into plain `ReferenceEntity` objects so extraction never touches RDF. Teaching
the loader a new actor means adding it to ``entities.ttl``, not editing Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import pyoxigraph as ox

from spacekg.errors import OntologyError
from spacekg.model import EntityClass
from spacekg.vocab import OWL, RDF, RDFS, SKG, SKGID, SKOS

__all__ = [
    "ONTOLOGY_FILES",
    "ONTOLOGY_GRAPH",
    "ReferenceEntity",
    "ontology_quads",
    "read_resource",
    "reference_entities",
]

ONTOLOGY_FILES = ("spacekg.ttl", "entities.ttl")
# The OWL ontology (with the blank nodes of its class expressions) lives in its own named
# graph, replaced whole on every build so it never accumulates copies of those blank nodes;
# the reference entities (no blank nodes) live in the default graph beside the data.
ONTOLOGY_GRAPH = ox.NamedNode("https://w3id.org/spacekg/ontology")
_CLASS_BY_IRI = {SKG.term(c.value): c for c in EntityClass}


@dataclass(frozen=True, slots=True)
class ReferenceEntity:
    """A known entity and the names the gazetteer recognises it by."""

    key: str  # local name under skgid:
    iri: str
    label: str
    cls: EntityClass
    alt_labels: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    country: str | None = None  # key of its skg:country
    wikidata: tuple[str, ...] = ()
    minted: bool = False  # True for an entity not in entities.ttl: the store gets its description from the loader
    source: str = ""  # where a minted entity's name comes from ("pycountry country list", a record's text)


def read_resource(name: str) -> bytes:
    """Bytes of a data file shipped in ``spacekg.ontology``."""
    try:
        return resources.files(__name__).joinpath(name).read_bytes()
    except OSError as exc:
        raise OntologyError(f"the packaged ontology file {name} is missing; reinstall spacekg") from exc


@cache
def ontology_quads() -> tuple[ox.Quad, ...]:
    """The ontology (in `ONTOLOGY_GRAPH`), the reference entities and their curated links to
    Wikidata and DBpedia (``mappings/*.sssom.tsv``, in the default graph) as quads, parsed once
    per process."""
    quads: list[ox.Quad] = []
    for name, graph in zip(ONTOLOGY_FILES, (ONTOLOGY_GRAPH, ox.DefaultGraph())):
        try:
            triples = ox.parse(read_resource(name), format=ox.RdfFormat.TURTLE, base_iri=str(SKGID))
            quads.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
        except SyntaxError as exc:
            raise OntologyError(f"{name}: {exc}") from exc
    from spacekg.ontology.sssom import mapping_quads  # the curated links (mappings/*.sssom.tsv)

    quads.extend(mapping_quads())
    return tuple(quads)


def _key_of(iri: str) -> str | None:
    return iri[len(SKGID):] if iri.startswith(str(SKGID)) else None


@cache
def reference_entities() -> tuple[ReferenceEntity, ...]:
    """Every typed individual of ``entities.ttl`` with its labels, country and Wikidata IDs."""
    by_subject: dict[str, dict[str, list]] = {}
    wanted = {RDF.type, RDFS.label, SKOS.altLabel, SKG.acronym, SKG.demonym, SKG.country, OWL.sameAs}
    for quad in ontology_quads():
        if quad.predicate in wanted and isinstance(quad.subject, ox.NamedNode):
            props = by_subject.setdefault(quad.subject.value, {})
            props.setdefault(quad.predicate.value, []).append(quad.object)
    entities = []
    for iri, props in sorted(by_subject.items()):
        key = _key_of(iri)
        classes = [_CLASS_BY_IRI[t] for t in props.get(RDF.type.value, []) if t in _CLASS_BY_IRI]
        labels = [o.value for o in props.get(RDFS.label.value, []) if isinstance(o, ox.Literal)]
        if key is None or not classes or not labels:
            continue

        def values(p: ox.NamedNode) -> tuple[str, ...]:
            return tuple(sorted(o.value for o in props.get(p.value, []) if isinstance(o, ox.Literal)))

        countries = [_key_of(o.value) for o in props.get(SKG.country.value, []) if isinstance(o, ox.NamedNode)]
        entities.append(
            ReferenceEntity(
                key=key,
                iri=iri,
                label=labels[0],
                cls=classes[0],
                alt_labels=values(SKOS.altLabel),
                acronyms=values(SKG.acronym),
                demonyms=values(SKG.demonym),
                country=next((c for c in countries if c), None),
                wikidata=tuple(sorted(o.value for o in props.get(OWL.sameAs.value, []) if "wikidata.org" in o.value)),
            )
        )
    return tuple(entities)
