"""An in-memory store on rdflib's `Dataset`: the reference implementation the contract
tests compare Oxigraph with, and a baseline for the benchmarks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import BinaryIO

import pyoxigraph as ox
import rdflib
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

from spacekg.errors import QueryError
from spacekg.graph.store import QueryResult, Term

__all__ = ["RdflibStore", "from_rdflib", "to_rdflib"]


def to_rdflib(term: Term | ox.DefaultGraph | None) -> rdflib.term.Node | None:
    """A pyoxigraph term as the equal rdflib term; xsd:string literals become plain literals,
    which RDF 1.1 says are the same but rdflib would otherwise treat as different."""
    if term is None or isinstance(term, ox.DefaultGraph):
        return None
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == str(rdflib.XSD.string):
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"cannot convert {term!r} to rdflib")


def from_rdflib(node: rdflib.term.Node | None) -> Term | None:
    """An rdflib term as the equal pyoxigraph term."""
    if node is None:
        return None
    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, rdflib.Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        datatype = node.datatype or rdflib.XSD.string
        return ox.Literal(str(node), datatype=ox.NamedNode(str(datatype)))
    raise TypeError(f"cannot convert {node!r} from rdflib")


class RdflibStore:
    """rdflib `Dataset` in memory; the default graph is the dataset's default graph."""

    supports_update = True
    location = "rdflib:"

    def __init__(self) -> None:
        self._ds = rdflib.Dataset()

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> QueryResult:
        try:
            parseQuery(sparql)
        except Exception as exc:  # pyparsing's ParseException and friends
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        init = {rdflib.Variable(k): to_rdflib(v) for k, v in (bindings or {}).items()}
        result = self._ds.query(sparql, initBindings=init)
        if result.type == "ASK":
            return QueryResult(kind="ask", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            triples = [ox.Triple(*(from_rdflib(x) for x in t)) for t in result.graph]
            return QueryResult(kind="graph", triples=triples)
        variables = [str(v) for v in result.vars]
        rows = [tuple(from_rdflib(row[i]) for i in range(len(variables))) for row in result]
        return QueryResult(kind="select", variables=variables, rows=rows)

    def update(self, sparql: str) -> None:
        try:
            parseUpdate(sparql)
        except Exception as exc:
            raise QueryError(f"SPARQL update syntax error: {exc}") from exc
        snapshot = list(self._ds.quads((None, None, None, None)))
        try:
            self._ds.update(sparql)
        except Exception:
            self._restore(snapshot)
            raise

    def replace(self, before: str, quads: Iterable[ox.Quad], *, after: str = "") -> None:
        snapshot = list(self._ds.quads((None, None, None, None)))
        try:
            if before.strip():
                self._ds.update(before)
            self.add_quads(quads)
            if after.strip():
                self._ds.update(after)
        except Exception:
            self._restore(snapshot)
            raise

    def _restore(self, snapshot: list) -> None:
        self._ds = rdflib.Dataset()
        self._ds.addN(snapshot)

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        batch = []
        for q in quads:
            graph = self._ds.default_graph if isinstance(q.graph_name, ox.DefaultGraph) else \
                self._ds.graph(to_rdflib(q.graph_name))
            batch.append((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), graph))
        self._ds.addN(batch)

    def quads(self) -> Iterator[ox.Quad]:
        for s, p, o, g in self._ds.quads((None, None, None, None)):
            name = g.identifier if isinstance(g, rdflib.Graph) else g
            graph = ox.DefaultGraph() if name is None or name == rdflib.graph.DATASET_DEFAULT_GRAPH_ID \
                else from_rdflib(name)
            yield ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o), graph)

    def dump(self, output: BinaryIO, *, format: ox.RdfFormat, prefixes: Mapping[str, str] | None = None) -> None:
        ox.serialize(self.quads(), output, format=format, prefixes=dict(prefixes or {}) or None)

    def __len__(self) -> int:
        return sum(1 for _ in self._ds.quads((None, None, None, None)))

    def close(self) -> None:
        self._ds = rdflib.Dataset()
