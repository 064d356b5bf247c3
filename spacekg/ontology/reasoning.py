"""OWL 2 DL reasoning over the ontology and reference entities, with HermiT.

This is the only module that imports owlready2, and it imports it lazily, so the rest
of spacekg (and the CLI's start-up) never pays for it. owlready2 cannot read Turtle, so
the files are parsed with rdflib and handed over as N-Triples; each call works in a fresh
``owlready2.World`` so that nothing leaks from one check into the next.
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib import resources
from io import BytesIO

import rdflib
from rdflib.namespace import OWL, RDF

from spacekg.errors import OntologyError

__all__ = ["ConsistencyReport", "check_consistency"]

_ONTOLOGY_IRI = "https://w3id.org/spacekg/ontology"
_SKG = _ONTOLOGY_IRI + "#"
_SKGID = "https://w3id.org/spacekg/id/"
_PACKAGE = "spacekg.ontology"
_PACKAGED_FILES = ("spacekg.ttl", "entities.ttl")
_OPTIONAL_FILES = frozenset({"entities.ttl"})  # written alongside; the ontology alone still checks
_PREFIXES = {  # to tell skg:Organization from org:Organization in the hierarchy
    "http://www.w3.org/ns/prov#": "prov",
    "http://www.w3.org/ns/org#": "org",
    "http://xmlns.com/foaf/0.1/": "foaf",
    "https://schema.org/": "schema",
    "http://schema.org/": "schema",
    "http://www.w3.org/2004/02/skos/core#": "skos",
    "http://www.w3.org/2002/07/owl#": "owl",
}
_INSTALL_JAVA = (
    "HermiT needs a Java runtime, and `java` is not on PATH; "
    "install one (e.g. `apt-get install default-jre-headless`) and try again"
)
# owlready2 keeps module-level state (default world, current namespaces); one check at a time.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class ConsistencyReport:
    """What HermiT concluded about the ontology, the reference entities and any extra files.

    ``consistent`` is False when the whole is inconsistent *or* a named class is
    unsatisfiable (such a class could never have a member, which is always a modelling
    error here). ``inferred_hierarchy`` maps each ``skg:`` class's local name to the local
    names of its direct inferred superclasses; reused classes are written as CURIEs
    (``org:Organization``) so they cannot be confused with ours. It is empty when the
    ontology is inconsistent.
    """

    consistent: bool
    inferred_hierarchy: dict[str, list[str]] = field(default_factory=dict)
    message: str = ""


def check_consistency(extra_ttl: list[pathlib.Path] | None = None) -> ConsistencyReport:
    """Run HermiT over spacekg.ttl, entities.ttl (when present) and ``extra_ttl``.

    Raises `OntologyError` when Java is missing, a file cannot be read or parsed, or
    HermiT fails for a reason other than inconsistency.
    """
    if shutil.which("java") is None:
        raise OntologyError(_INSTALL_JAVA)
    graph, names = _merged_graph(extra_ttl or [])
    ntriples = graph.serialize(format="nt", encoding="utf-8")
    with _LOCK:
        return _reason(ntriples, names)


def _merged_graph(extra: list[pathlib.Path]) -> tuple[rdflib.Graph, list[str]]:
    """All inputs in one graph, minus owl:imports and foreign ontology headers.

    Everything is local, so imports must not make owlready2 or the OWL API go to the
    network; the headers of other files would otherwise declare extra ontologies.
    """
    graph = rdflib.Graph()
    names: list[str] = []
    package = resources.files(_PACKAGE)
    for name in _PACKAGED_FILES:
        resource = package.joinpath(name)
        if name in _OPTIONAL_FILES and not resource.is_file():
            continue
        try:
            data = resource.read_bytes()
        except OSError as exc:
            raise OntologyError(f"the packaged ontology file {name} is missing; reinstall spacekg") from exc
        _parse_into(graph, data, name)
        names.append(name)
    for path in extra:
        path = pathlib.Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise OntologyError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
        _parse_into(graph, data, str(path))
        names.append(str(path))
    graph.remove((None, OWL.imports, None))
    for header in set(graph.subjects(RDF.type, OWL.Ontology)):
        if str(header) != _ONTOLOGY_IRI:
            graph.remove((header, None, None))
    return graph, names


def _parse_into(graph: rdflib.Graph, data: bytes, source: str) -> None:
    try:
        graph.parse(data=data, format="turtle", publicID=_SKGID)  # the base spacekg.ontology uses too
    except Exception as exc:  # rdflib raises many kinds (BadSyntax, ValueError, UnicodeError…)
        raise OntologyError(f"{source}: not valid Turtle: {exc}") from exc


def _reason(ntriples: bytes, names: list[str]) -> ConsistencyReport:
    import owlready2

    sources = ", ".join(names)
    world = owlready2.World()  # in memory, never the default world
    try:
        world.get_ontology(_ONTOLOGY_IRI).load(fileobj=BytesIO(ntriples), format="ntriples")
        started = time.monotonic()
        try:
            # Store data writes skg:fiscalYear as xsd:gYear, outside the OWL 2 datatype map;
            # HermiT would refuse the whole input, so it is told to treat such literals as opaque.
            owlready2.sync_reasoner_hermit(
                world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
            )
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            _remove_leaked_input(exc)
            return ConsistencyReport(
                consistent=False,
                message=(
                    f"inconsistent: HermiT found a contradiction in {sources} "
                    "(e.g. an individual in two disjoint classes, or two values of a functional property)"
                ),
            )
        except owlready2.OwlReadyJavaError as exc:
            _remove_leaked_input(exc)
            raise OntologyError(f"HermiT failed on {sources}: {_java_summary(str(exc))}") from exc
        except OSError as exc:  # java vanished or could not start
            raise OntologyError(f"could not run HermiT: {exc}; {_INSTALL_JAVA}") from exc
        elapsed = time.monotonic() - started
        hierarchy = _hierarchy(world, owlready2)
        unsatisfiable = sorted(
            _name(c.iri) for c in world.inconsistent_classes() if c is not owlready2.Nothing
        )
        if unsatisfiable:
            return ConsistencyReport(
                consistent=False,
                inferred_hierarchy=hierarchy,
                message=f"incoherent: no individual can belong to {', '.join(unsatisfiable)} ({sources})",
            )
        return ConsistencyReport(
            consistent=True,
            inferred_hierarchy=hierarchy,
            message=f"consistent: HermiT checked {sources} in {elapsed:.1f} s",
        )
    finally:
        world.close()


def _hierarchy(world, owlready2) -> dict[str, list[str]]:
    """Each skg: class → its direct named superclasses after reasoning."""
    result: dict[str, list[str]] = {}
    for cls in world.classes():
        if not cls.iri.startswith(_SKG):
            continue
        parents = {p for p in cls.is_a if isinstance(p, owlready2.ThingClass) and p is not owlready2.Thing}
        parents.discard(cls)
        # is_a may keep an asserted parent that another parent already implies
        direct = {p for p in parents if not any(q is not p and p in q.ancestors() for q in parents)}
        result[_name(cls.iri)] = sorted(_name(p.iri) for p in direct)
    return dict(sorted(result.items()))


def _name(iri: str) -> str:
    if iri.startswith(_SKG):
        return iri[len(_SKG):]
    for namespace, prefix in _PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _java_summary(output: str) -> str:
    """The exception lines of a Java failure, without owlready2's preamble or the stack trace."""
    lines = [line.strip() for line in output.splitlines()]
    kept = [line for line in lines if line and not line.startswith("at ") and not line.startswith("...")
            and line != "Java error message is:"]
    return " ".join(kept)[:1000] or "no output from java"


def _remove_leaked_input(exc: BaseException) -> None:
    """Delete the N-Triples file owlready2 leaves in the temp dir when HermiT fails.

    owlready2 only unlinks it on success; its path is the ``file:///`` argument of the
    failed java command, which is on the CalledProcessError that the owlready2 error wraps.
    """
    cause = exc.__context__
    if not isinstance(cause, subprocess.CalledProcessError) or not isinstance(cause.cmd, (list, tuple)):
        return
    for argument in cause.cmd:
        argument = str(argument)
        if not argument.startswith("file:///"):
            continue
        path = pathlib.Path(argument.removeprefix("file:///"))
        if not path.is_absolute():  # POSIX: owlready2 writes file:////tmp/…
            path = pathlib.Path("/") / path
        if path.parent == pathlib.Path(tempfile.gettempdir()) and path.name.startswith("tmp"):
            path.unlink(missing_ok=True)
