"""Exporters: the store's dataset in RDF syntaxes.

Quad formats (TriG, N-Quads, JSON-LD) keep the named graph of every assertion; Turtle
holds triples only, so it gets the union of all graphs (each triple once).

Oxigraph stores derived XSD types as their primitive (``xsd:positiveInteger`` reads back
as ``xsd:integer``); exports restore the datatype the ontology declares as the range of
the property, so ``skg:evidenceRank`` leaves as ``xsd:positiveInteger`` per SPEC §3.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import BinaryIO

import pyoxigraph as ox

from spacekg.errors import ExportError
from spacekg.graph.store import Store
from spacekg.ontology import ontology_quads
from spacekg.vocab import PREFIXES, RDFS, XSD

__all__ = ["EXPORTERS", "Exporter", "export"]


@dataclass(frozen=True)
class Exporter:
    name: str
    media_type: str
    file_extension: str
    rdf_format: ox.RdfFormat

    def export(self, store: Store, output: BinaryIO) -> None:
        quads = map(_with_declared_datatype, store.quads())
        if self.rdf_format.supports_datasets:
            ox.serialize(quads, output, format=self.rdf_format, prefixes=PREFIXES)
        else:
            triples = dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads)
            ox.serialize(triples, output, format=self.rdf_format, prefixes=PREFIXES)


@cache
def declared_ranges() -> dict[ox.NamedNode, ox.NamedNode]:
    """Datatype properties of the ontology whose range is an XSD datatype → that datatype."""
    return {q.subject: q.object for q in ontology_quads()
            if q.predicate == RDFS.range and isinstance(q.object, ox.NamedNode) and q.object.value.startswith(str(XSD))
            and isinstance(q.subject, ox.NamedNode)}


def _with_declared_datatype(quad: ox.Quad) -> ox.Quad:
    obj = quad.object
    if isinstance(obj, ox.Literal) and obj.datatype == XSD.integer:
        declared = declared_ranges().get(quad.predicate)
        if declared is not None and declared != obj.datatype:
            return ox.Quad(quad.subject, quad.predicate, ox.Literal(obj.value, datatype=declared), quad.graph_name)
    return quad


EXPORTERS = {
    e.name: e
    for e in (
        Exporter("trig", "application/trig", "trig", ox.RdfFormat.TRIG),
        Exporter("nquads", "application/n-quads", "nq", ox.RdfFormat.N_QUADS),
        Exporter("jsonld", "application/ld+json", "jsonld", ox.RdfFormat.JSON_LD),
        Exporter("turtle", "text/turtle", "ttl", ox.RdfFormat.TURTLE),
    )
}


def export(store: Store, output: BinaryIO, *, format: str) -> None:
    """Write the store to `output` in the named format."""
    try:
        exporter = EXPORTERS[format]
    except KeyError:
        raise ExportError(f"unknown export format {format!r}; choose one of {', '.join(EXPORTERS)}") from None
    exporter.export(store, output)
