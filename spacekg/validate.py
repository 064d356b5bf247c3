"""Check data against the SHACL shapes of SPEC §3 (``ontology/shapes.ttl``).

Two engines run the same shapes: ``"sparql"`` (`spacekg.shacl_sparql`: the shapes compiled to
SPARQL and run by Oxigraph, ~18× faster), the default everywhere, and ``"pyshacl"``, the
reference (``engine="pyshacl"``, ``spacekg validate --engine pyshacl``); a parity test keeps
their results equal on the shapes fixtures.

Facts live in one named graph per assertion while entities and the ontology live elsewhere,
and SHACL sees one graph: so every check runs over the UNION of all graphs plus the ontology.
No inference step is run: SHACL's ``sh:targetClass`` and ``sh:class`` already follow the
ontology's ``rdfs:subClassOf`` triples in that union, which is correct and about ten times
faster than pySHACL's RDFS inference (measured on the shipped record: ~0.4 s vs ~3 s).

Nothing is fetched: files are parsed by pyoxigraph, which refuses remote JSON-LD contexts,
and RDF/XML with a DOCTYPE (entity declarations) is refused before parsing.
The report is data (`ValidationReport`); ``raise_for_results()`` turns it into an error
when the caller wants one (LinkML style).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH

from spacekg.errors import RecordError, ValidationError
from spacekg.graph.rdflib_store import to_rdflib
from spacekg.ontology import ONTOLOGY_GRAPH, ontology_quads, read_resource
from spacekg.vocab import PREFIXES, XSD

if TYPE_CHECKING:  # pragma: no cover
    from spacekg.graph.store import Store
    from spacekg.model import AssertionRecord, Extraction

__all__ = [
    "FILE_FORMATS",
    "ValidationReport",
    "ValidationResult",
    "shapes_graph",
    "validate_file",
    "validate_nquads",
    "validate_quads",
    "validate_records",
    "validate_store",
    "validate_written",
]

# File extension → the syntax it is parsed as (pyoxigraph's parsers: no network access).
FILE_FORMATS: dict[str, ox.RdfFormat] = {
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ttl": ox.RdfFormat.TURTLE,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
_XSD_STRING = XSD.string.value
Engine = Literal["sparql", "pyshacl"]
_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """One SHACL result, with nodes written as CURIEs so that a person can read it."""

    focus: str
    path: str
    message: str
    severity: str  # "Violation", "Warning" or "Info"
    value: str = ""
    shape: str = ""  # the named shape that failed, when it has a name
    constraint: str = ""  # the SHACL constraint component, e.g. "MaxCount"

    def as_dict(self) -> dict[str, str]:
        return {"focus": self.focus, "path": self.path, "message": self.message, "severity": self.severity,
                "value": self.value, "shape": self.shape, "constraint": self.constraint}


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation: conforms or not, every result, and the engine's own text."""

    conforms: bool
    results: tuple[ValidationResult, ...]
    text: str
    source: str = "data"

    def summary(self) -> str:
        """One line: what was validated and, when it fails, the first result."""
        if self.conforms:
            return f"{self.source}: conforms to the spacekg shapes"
        first = self.results[0] if self.results else None
        detail = f"; first: {first.focus} {first.path}: {first.message}" if first else ""
        return f"{self.source}: does not conform to the spacekg shapes ({len(self.results)} result(s)){detail}"

    def raise_for_results(self) -> None:
        """Raise `ValidationError` (carrying this report) unless the data conforms."""
        if not self.conforms:
            raise ValidationError(self.summary(), report=self)

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "conforms": self.conforms,
                "results": [r.as_dict() for r in self.results], "text": self.text}


@cache
def shapes_graph() -> rdflib.Graph:
    """The packaged shapes, parsed once per process."""
    from spacekg.errors import OntologyError

    try:
        return rdflib.Graph().parse(data=read_resource("shapes.ttl"), format="turtle")
    except Exception as exc:  # rdflib raises several parser exception types
        raise OntologyError(f"shapes.ttl: {exc}") from exc


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """Silence rdflib's log records about ill-typed literals while we convert and validate:
    the library never prints, and a bad literal is reported by the shapes, as data."""
    logger = logging.getLogger("rdflib.term")
    before = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = before


def union_graph(quads: Iterable[ox.Quad], *, with_ontology: bool = True) -> rdflib.Graph:
    """The union of the quads' graphs as one rdflib graph, plus the packaged ontology when
    the quads do not carry the ontology graph themselves (its subclass axioms drive SHACL)."""
    graph = rdflib.Graph()
    has_ontology = False
    with _quiet_rdflib():
        batch = []
        for q in quads:
            has_ontology = has_ontology or q.graph_name == ONTOLOGY_GRAPH
            batch.append((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), graph))
        if with_ontology and not has_ontology:
            batch.extend((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), graph)
                         for q in ontology_quads() if q.graph_name == ONTOLOGY_GRAPH)
        graph.addN(batch)
    return graph


def validate_graph(graph: rdflib.Graph, *, source: str = "data") -> ValidationReport:
    """Run the shapes over `graph` (consumed: pySHACL works on it in place, without copying)."""
    import pyshacl

    with _quiet_rdflib():
        conforms, results, text = pyshacl.validate(
            graph, shacl_graph=shapes_graph(), inference="none", inplace=True, advanced=False, allow_warnings=False,
        )
    return ValidationReport(conforms=bool(conforms), results=_results(results), text=str(text), source=source)


def validate_quads(quads: Iterable[ox.Quad], *, source: str = "data", engine: Engine = "sparql") -> ValidationReport:
    """Validate a set of quads (any graphs) as one union graph, plus the ontology when absent."""
    if engine == "pyshacl":
        return validate_graph(union_graph(quads), source=source)
    from spacekg.shacl_sparql import run_checks

    quads = list(quads)
    if not any(q.graph_name == ONTOLOGY_GRAPH for q in quads):
        quads.extend(q for q in ontology_quads() if q.graph_name == ONTOLOGY_GRAPH)
    return _report(run_checks(quads), source)


def _report(violations: Iterable[Any], source: str) -> ValidationReport:
    """The report of the compiled checks' violations (`spacekg.shacl_sparql.Violation`)."""
    with _quiet_rdflib():
        results = tuple(sorted({ValidationResult(
            focus=_show(to_rdflib(v.focus)),
            path=_show_path(shapes_graph(), v.check.path),
            message=v.check.message,
            severity=v.check.severity,
            value=_show(to_rdflib(v.value)) if v.value is not None else "",
            shape=_show(v.check.shape) if isinstance(v.check.shape, rdflib.URIRef) else "",
            constraint=v.check.component,
        ) for v in violations}, key=lambda r: (r.focus, r.path, r.message, r.value, r.constraint)))
    return ValidationReport(conforms=not results, results=results, text=_text(results), source=source)


def _text(results: Sequence[ValidationResult]) -> str:
    """A plain-text report in the layout of pySHACL's, one block per result."""
    lines = ["Validation Report", f"Conforms: {not results}"]
    if results:
        lines.append(f"Results ({len(results)}):")
    for r in results:
        lines += [f"Constraint Violation in {r.constraint}ConstraintComponent:", f"\tSeverity: sh:{r.severity}",
                  f"\tFocus Node: {r.focus}"]
        lines += [f"\t{name}: {value}" for name, value in (("Value Node", r.value), ("Result Path", r.path),
                                                            ("Source Shape", r.shape)) if value]
        lines.append(f"\tMessage: {r.message}")
    return "\n".join(lines) + "\n"


def validate_store(store: Store, *, engine: Engine = "sparql") -> ValidationReport:
    """Validate everything in `store`: all its graphs as one union, with the ontology."""
    return validate_quads(store.quads(), source=store.location, engine=engine)


def validate_records(records: Sequence[tuple[AssertionRecord, Sequence[Extraction]]], *,
                     engine: Engine = "sparql") -> ValidationReport:
    """Validate what building `records` would write (their quads and the entities they mint),
    before it is written."""
    from spacekg.graph.writer import build_quads

    return validate_written(list(build_quads(records)), [record.source for record, _ in records], engine=engine)


def validate_written(quads: Sequence[ox.Quad], sources: Sequence[str], *, engine: Engine = "sparql"
                     ) -> ValidationReport:
    """Validate the quads a build writes for some records (theirs and the minted entities').

    Only these quads, the ontology, and the reference entities they point to are checked: the
    rest of the reference data does not change with a build, so it is not re-checked every
    time. `sources` (the record files) name the report.
    """
    nodes = {q.subject for q in quads} | {q.object for q in quads if isinstance(q.object, ox.NamedNode)}
    reference = [q for q in ontology_quads() if q.graph_name == ONTOLOGY_GRAPH or q.subject in nodes]
    return validate_quads([*reference, *quads], source=_names(sources), engine=engine)


def validate_nquads(data: bytes, sources: Sequence[str]) -> ValidationReport:
    """`validate_written` (compiled engine) for quads given as N-Quads written by Oxigraph (a
    large build's staged chunk): parsed straight into the scratch store, never into Python
    objects. The reference entities added are those the data names as subject or object,
    exactly `validate_written`'s choice."""
    from spacekg.shacl_sparql import run_checks_in

    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_QUADS, lenient=True)  # serialised by Oxigraph from checked terms
    named = {s for s in _reference_subjects()
             if next(iter(store.quads_for_pattern(s, None, None)), None) is not None
             or next(iter(store.quads_for_pattern(None, None, s)), None) is not None}
    store.extend([q for q in ontology_quads() if q.graph_name == ONTOLOGY_GRAPH or q.subject in named])
    return _report(run_checks_in(store), _names(sources))


@cache
def _reference_subjects() -> frozenset[ox.NamedNode]:
    return frozenset(q.subject for q in ontology_quads()
                     if q.graph_name != ONTOLOGY_GRAPH and isinstance(q.subject, ox.NamedNode))


def _names(sources: Sequence[str]) -> str:
    """A report's name for the record files `sources`: the first three, and how many more."""
    sources = list(dict.fromkeys(sources))
    return ", ".join(sources[:3]) + (f" and {len(sources) - 3} more" if len(sources) > 3 else "")


def validate_file(path: str | Path, *, engine: Engine = "sparql") -> ValidationReport:
    """Validate an RDF file, its syntax chosen by extension (see `FILE_FORMATS`).

    Safe on untrusted files: nothing is fetched (remote JSON-LD contexts are an error) and
    RDF/XML with a DOCTYPE or entity declarations is refused, so no entity expansion runs.
    """
    path = Path(path)
    fmt = FILE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise RecordError(str(path), f"cannot tell the RDF syntax from the extension {path.suffix or '(none)'!r}; "
                                     f"use one of {', '.join(sorted(FILE_FORMATS))}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RecordError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    if fmt == ox.RdfFormat.RDF_XML and _DOCTYPE.search(data):
        raise RecordError(str(path), "RDF/XML with a DOCTYPE or entity declarations is refused (entity expansion "
                                     "is unsafe on untrusted files); remove the DOCTYPE", line=1)
    try:
        quads = list(ox.parse(data, format=fmt, base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        message = str(exc.msg if getattr(exc, "msg", None) else exc).splitlines()[0]
        if "LoadDocumentCallback" in message:
            message = "remote JSON-LD contexts are not fetched; inline the @context in the file"
        raise RecordError(str(path), f"not valid {fmt.name}: {message}", line=exc.lineno) from exc
    except ValueError as exc:  # e.g. an invalid IRI or language tag reported outside the parser
        raise RecordError(str(path), f"not valid {fmt.name}: {exc}") from exc
    try:
        if engine == "sparql":
            return validate_quads(quads, source=path.name)
        graph = union_graph(quads)
    except TypeError as exc:
        raise RecordError(str(path), str(exc)) from exc
    return validate_graph(graph, source=path.name)


# --- reading pySHACL's results graph ------------------------------------------------------

def _results(graph: rdflib.Graph) -> tuple[ValidationResult, ...]:
    rows = []
    for report in graph.subjects(rdflib.RDF.type, SH.ValidationReport):
        for r in graph.objects(report, SH.result):
            def one(p: rdflib.URIRef, r: rdflib.term.Node = r) -> rdflib.term.Node | None:
                return graph.value(r, p)

            severity = one(SH.resultSeverity)
            rows.append(ValidationResult(
                focus=_show(one(SH.focusNode)),
                path=_show_path(graph, one(SH.resultPath)),
                message=str(one(SH.resultMessage) or _show(one(SH.sourceConstraintComponent))),
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
                value=_show(one(SH.value)),
                shape=_show(one(SH.sourceShape)) if isinstance(one(SH.sourceShape), rdflib.URIRef) else "",
                constraint=str(one(SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1].removesuffix(
                    "ConstraintComponent"),
            ))
    return tuple(sorted(set(rows), key=lambda r: (r.focus, r.path, r.message, r.value, r.constraint)))


def _show(node: rdflib.term.Node | None) -> str:
    """A node as a reader would write it: a CURIE, <iri>, or a literal with its datatype."""
    if node is None:
        return ""
    if isinstance(node, rdflib.URIRef):
        iri = str(node)
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns) and iri != ns:
                return f"{prefix}:{iri[len(ns):]}"
        return f"<{iri}>"
    if isinstance(node, rdflib.Literal):
        if node.language:
            return f'"{node}"@{node.language}'
        if node.datatype and str(node.datatype) != _XSD_STRING:
            return f'"{node}"^^{_show(node.datatype)}'
        return f'"{node}"'
    return "_:" + str(node)[:8]


def _show_path(graph: rdflib.Graph, path: rdflib.term.Node | None) -> str:
    if isinstance(path, rdflib.BNode):
        inverse = graph.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + _show(inverse)
    return _show(path)
