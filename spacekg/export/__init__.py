"""Exporters: the store's dataset in RDF syntaxes, and its network in Gephi's formats.

Quad formats (TriG, N-Quads, JSON-LD) keep the named graph of every assertion; Turtle
holds triples only, so it gets the union of all graphs (each triple once).

Network formats (GEXF 1.3, GraphML, CSV node and edge tables) are thin writers over one
projection of the store to a networkx graph (`spacekg.export.projection`): ``entities``,
``comention`` or ``assertions``, filtered by ``max_rank``, ``classes`` and ``record``.
`plot` draws the same projection to PNG, SVG or PDF. docs/EXPORT.md describes them.

Oxigraph stores derived XSD types as their primitive (``xsd:positiveInteger`` reads back
as ``xsd:integer``); exports restore the datatype the ontology declares as the range of
the property, so ``skg:evidenceRank`` leaves as ``xsd:positiveInteger`` per SPEC §3.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import pyoxigraph as ox

from spacekg.errors import ExportError
from spacekg.graph.store import Store
from spacekg.ontology import ontology_quads
from spacekg.vocab import PREFIXES, RDFS, XSD

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["EXPORTERS", "Exporter", "GraphExporter", "export", "plot"]


@dataclass(frozen=True)
class Exporter:
    name: str
    media_type: str
    file_extension: str
    rdf_format: ox.RdfFormat

    def export(self, store: Store, output: BinaryIO) -> None:
        if self.rdf_format == ox.RdfFormat.N_QUADS and _is_oxigraph(store):
            # Oxigraph writes its own dump (Rust, no Python per quad); the declared datatypes
            # are restored on its text, line-anchored, a megabyte at a time (same bytes).
            restoring = _RestoringDatatypes(output)
            store.dump(restoring, format=ox.RdfFormat.N_QUADS)
            restoring.close()
            return
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


def _is_oxigraph(store: Store) -> bool:
    from spacekg.graph.oxigraph_store import OxigraphStore

    return isinstance(store, OxigraphStore)


_INTEGER_OBJECT = f'"^^<{XSD.integer.value}>'.encode()
_LEXICAL = re.compile(rb'(?:[^"\\\n]|\\.)*')  # a literal's text between its quotes, as N-Quads escapes it


@cache
def _nquads_datatypes() -> dict[bytes, bytes]:
    """``<predicate>`` → ``<datatype>`` in N-Quads spelling, for `_with_declared_datatype`."""
    return {f"<{p.value}>".encode(): f"<{d.value}>".encode() for p, d in declared_ranges().items() if d != XSD.integer}


def _restore_datatypes(text: bytes) -> bytes:
    """Whole N-Quads lines with the declared datatype back on each ``xsd:integer`` object of a
    predicate that declares another (what `_with_declared_datatype` does to a quad).

    Only the ``"^^<xsd:integer>`` occurrences are visited (a C-level search); each one is
    checked to be its line's object literal, right after the predicate (subjects and
    predicates hold no space in N-Quads), so a literal's text can never match.
    """
    declared = _nquads_datatypes()
    pieces: list[bytes] = []
    done = 0
    at = text.find(_INTEGER_OBJECT)
    while at >= 0:
        line = text.rfind(b"\n", 0, at) + 1
        subject_end = text.find(b" ", line, at)
        predicate_end = text.find(b" ", subject_end + 1, at)
        datatype = declared.get(text[subject_end + 1:predicate_end]) if predicate_end > 0 else None
        if (datatype is not None and text[predicate_end + 1:predicate_end + 2] == b'"'
                and _LEXICAL.fullmatch(text, predicate_end + 2, at) is not None):
            pieces += (text[done:at + 3], datatype)
            done = at + len(_INTEGER_OBJECT)
        at = text.find(_INTEGER_OBJECT, at + len(_INTEGER_OBJECT))
    if not pieces:
        return text
    pieces.append(text[done:])
    return b"".join(pieces)


class _RestoringDatatypes(io.RawIOBase):
    """A binary stream that restores declared datatypes in the N-Quads written to it, whole
    lines at a time, and passes them on to `output`."""

    def __init__(self, output: BinaryIO, chunk: int = 1 << 20) -> None:
        super().__init__()
        self._output, self._chunk, self._pending = output, chunk, bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._pending += data
        if len(self._pending) >= self._chunk:
            end = self._pending.rfind(b"\n") + 1
            if end:
                self._emit(bytes(self._pending[:end]))
                del self._pending[:end]
        return len(data)

    def _emit(self, text: bytes) -> None:
        self._output.write(_restore_datatypes(text))

    def close(self) -> None:
        if not self.closed and self._pending:
            self._emit(bytes(self._pending))
            self._pending.clear()
        super().close()


def _with_declared_datatype(quad: ox.Quad) -> ox.Quad:
    obj = quad.object
    if isinstance(obj, ox.Literal) and obj.datatype == XSD.integer:
        declared = declared_ranges().get(quad.predicate)
        if declared is not None and declared != obj.datatype:
            return ox.Quad(quad.subject, quad.predicate, ox.Literal(obj.value, datatype=declared), quad.graph_name)
    return quad


def _write_gexf(graph: nx.Graph, output: BinaryIO) -> None:
    from spacekg.export.gexf import write_gexf

    write_gexf(graph, output)


def _write_graphml(graph: nx.Graph, output: BinaryIO) -> None:
    from spacekg.export.graphml import write_graphml

    write_graphml(graph, output)


def _write_tables(graph: nx.Graph, output: str | Path) -> None:
    from spacekg.export.tables import write_tables

    write_tables(graph, output)


@dataclass(frozen=True)
class GraphExporter:
    """A network format: written from a projection of the store, not from its quads.

    `to_path` writers (the CSV tables: two files) take a path; the others a binary stream.
    """

    name: str
    media_type: str
    file_extension: str
    write: Callable[..., None]
    to_path: bool = False

    def export(self, store: Store, output: BinaryIO | str | Path, *, projection: str | None = None,
               max_rank: int | None = None, classes: Sequence[str] = (), record: str | None = None) -> None:
        from spacekg.export.projection import project

        graph = project(store, projection or "entities", max_rank=max_rank, classes=classes, record=record)
        if self.to_path:
            if not isinstance(output, (str, Path)):
                from spacekg.export.tables import table_paths

                table_paths("-")  # raises the ExportError that says what to pass instead
            self.write(graph, output)  # a str keeps a trailing "/" that asks for a folder
        elif isinstance(output, (str, Path)):
            with _open_for_writing(Path(output)) as fh:
                self.write(graph, fh)
        else:
            self.write(graph, output)


def _open_for_writing(path: Path) -> BinaryIO:
    try:
        if path.parent != Path(""):
            path.parent.mkdir(parents=True, exist_ok=True)
        return path.open("wb")
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc


EXPORTERS: dict[str, Exporter | GraphExporter] = {
    e.name: e
    for e in (
        Exporter("trig", "application/trig", "trig", ox.RdfFormat.TRIG),
        Exporter("nquads", "application/n-quads", "nq", ox.RdfFormat.N_QUADS),
        Exporter("jsonld", "application/ld+json", "jsonld", ox.RdfFormat.JSON_LD),
        Exporter("turtle", "text/turtle", "ttl", ox.RdfFormat.TURTLE),
        GraphExporter("gexf", "application/gexf+xml", "gexf", _write_gexf),
        GraphExporter("graphml", "application/graphml+xml", "graphml", _write_graphml),
        GraphExporter("csv", "text/csv", "csv", _write_tables, to_path=True),
    )
}


def export(store: Store, output: BinaryIO | str | Path, *, format: str, projection: str | None = None,
           max_rank: int | None = None, classes: Sequence[str] = (), record: str | None = None) -> None:
    """Write the store to `output` (a binary stream, or a path) in the named format.

    `projection`, `max_rank`, `classes` and `record` choose the network for the network
    formats (gexf, graphml, csv) and are refused for the RDF ones, which write every quad.
    """
    try:
        exporter = EXPORTERS[format]
    except KeyError:
        raise ExportError(f"unknown export format {format!r}; choose one of {', '.join(EXPORTERS)}") from None
    if isinstance(exporter, GraphExporter):
        with _writing(output):
            exporter.export(store, output, projection=projection, max_rank=max_rank, classes=classes, record=record)
        return
    if projection is not None or max_rank is not None or classes or record is not None:
        networks = ", ".join(n for n, e in EXPORTERS.items() if isinstance(e, GraphExporter))
        raise ExportError(f"--projection, --max-rank, --class and --record choose a network; use them with "
                          f"--format {networks}, not {format} (which writes every quad)")
    with _writing(output):
        if isinstance(output, (str, Path)):
            with _open_for_writing(Path(output)) as fh:
                exporter.export(store, fh)
        else:
            exporter.export(store, output)


@contextmanager
def _writing(output: BinaryIO | str | Path) -> Iterator[None]:
    """A failed write (a full disk, a closed pipe) as an ExportError naming the output."""
    try:
        yield
    except OSError as exc:
        name = output if isinstance(output, (str, Path)) else getattr(output, "name", "the output")
        raise ExportError(f"cannot write {name}: {exc.strerror or exc}") from exc


def plot(store: Store, output: str | Path, *, projection: str = "entities", max_rank: int | None = None,
         classes: Sequence[str] = (), record: str | None = None, seed: int = 7) -> Path:
    """Draw a projection of the store to `output` (.png, .svg or .pdf); returns the path."""
    from spacekg.export.drawing import plot_graph
    from spacekg.export.projection import project

    graph = project(store, projection, max_rank=max_rank, classes=classes, record=record)
    return plot_graph(graph, output, seed=seed)
