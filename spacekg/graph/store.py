"""The `Store` protocol and `open_store`, the one way to get a store from a STORE string.

STORE strings (SPEC §4): a folder path or ``oxigraph:PATH`` (embedded Oxigraph on disk,
the default), ``memory:`` (Oxigraph in memory), ``rdflib:`` (rdflib's in-memory Dataset),
``sparql:QUERY_URL[|update=UPDATE_URL]`` (an external SPARQL 1.1 server, see
`spacekg.graph.sparql_store`). Every implementation speaks pyoxigraph terms, so callers
never see backend types.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

import pyoxigraph as ox

from spacekg.errors import StoreError

__all__ = ["DEFAULT_STORE", "QueryResult", "ReplacesInParts", "Store", "Term", "open_store"]

DEFAULT_STORE = "./spacekg-store"
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass
class QueryResult:
    """A query's answer: rows of a SELECT, the boolean of an ASK, or CONSTRUCT triples."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    def __iter__(self) -> Iterator[tuple[Term | None, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)

    def dicts(self) -> list[dict[str, Term | None]]:
        """Rows as {variable: term} dictionaries."""
        return [dict(zip(self.variables, row)) for row in self.rows]


@runtime_checkable
class Store(Protocol):
    """What spacekg needs of a quad store."""

    location: str
    supports_update: bool

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> QueryResult:
        """Run a SPARQL 1.1 query; `bindings` are substituted as RDF terms, never as text."""
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 update request, all or nothing."""
        ...

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Insert quads in one transaction."""
        ...

    def replace(self, before: str, quads: Iterable[ox.Quad], *, after: str = "") -> None:
        """Run the update `before` (deletions), insert `quads`, then run `after`, as one
        transaction: a failure anywhere leaves the store as it was."""
        ...

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of the store."""
        ...

    def dump(self, output: BinaryIO, *, format: ox.RdfFormat, prefixes: Mapping[str, str] | None = None) -> None:
        """Serialise the whole dataset in a quad format (TriG, N-Quads, JSON-LD)."""
        ...

    def __len__(self) -> int:
        """The number of quads."""
        ...

    def close(self) -> None:
        ...


@runtime_checkable
class ReplacesInParts(Protocol):
    """A store whose transactions are bounded requests (a remote server): the writer hands it
    one (deletion update, quads) part per record instead of one all-or-nothing replace."""

    def replace_parts(self, parts: Sequence[tuple[str, Sequence[ox.Quad]]], *, after: str = "") -> None:
        ...


def open_store(location: str | Path | None = None, *, create: bool = True) -> Store:
    """Open the store named by a STORE string (see module docstring)."""
    spec = str(location) if location is not None else DEFAULT_STORE
    if spec in ("memory:", "oxigraph:memory:"):
        from spacekg.graph.oxigraph_store import OxigraphStore

        return OxigraphStore(None)
    if spec == "rdflib:" or spec == "rdflib:memory:":
        from spacekg.graph.rdflib_store import RdflibStore

        return RdflibStore()
    if spec.startswith("sparql:"):
        from spacekg.graph.sparql_store import SparqlStore

        return SparqlStore.from_spec(spec)
    if spec.startswith("oxigraph:"):
        spec = spec[len("oxigraph:"):]
    from spacekg.graph.oxigraph_store import OxigraphStore

    path = Path(spec)
    if not create and not path.exists():
        raise StoreError(f"no store at {path}; run 'spacekg build RECORD --store {path}' first")
    return OxigraphStore(path)


@contextmanager
def opened(location: str | Path | None = None, *, create: bool = True) -> Iterator[Store]:
    """``with opened(STORE) as store:`` closes the store however the block ends."""
    store = open_store(location, create=create)
    try:
        yield store
    except BaseException:
        try:  # a failing close (disk full…) must not hide the error that stopped the block
            store.close()
        except StoreError:
            pass
        raise
    store.close()
