"""The SHACL shapes compiled to SPARQL and run by Oxigraph: the build's fast validator.

pySHACL walks the data node by node in Python (~190 assertions per CPU-second on generated
records), which made it ~90 % of a validated build. Here every constraint of
``ontology/shapes.ttl`` becomes one ``SELECT`` of the focus nodes (and values) that violate it,
compiled from the shapes graph when first needed, and the data is loaded into an in-memory
Oxigraph store and queried over the union of its graphs, as pySHACL sees it.

Only the SHACL Core features the shapes use are compiled (targets by class with
``rdfs:subClassOf*``, objects-of, subjects-of and node; IRI and inverse paths; counts,
qualified counts, value type, value range, string, list, logical and shape-based
constraints). Any other feature in the shapes is an `OntologyError` when they are compiled,
so a new shape is never skipped silently. pySHACL stays the reference: ``spacekg validate``
uses it, and ``tests/trust/test_shapes_parity.py`` checks that both engines report the same
(focus node, path, constraint component) on every shapes fixture.

Known differences, both on literals that Oxigraph normalises when it stores them: a
``"1"^^xsd:positiveInteger`` is read as ``"1"^^xsd:integer`` (the shapes accept both), and a
datatype's well-formedness is checked by casting, which Oxigraph does for the XSD types in
`_CASTABLE` (other datatypes are checked by name only).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from spacekg.errors import OntologyError

__all__ = ["Check", "Violation", "checks", "run_checks", "run_checks_in"]

_TYPE_OF = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
# XSD datatypes whose lexical form Oxigraph checks when casting a string to them.
# (The gYear family is left out: rdflib, and so pySHACL, accepts any lexical form for it.)
_CASTABLE = frozenset(XSD[t] for t in ("boolean", "integer", "decimal", "float", "double", "dateTime", "date",
                                       "time", "duration", "dayTimeDuration", "yearMonthDuration"))
_NODE_KINDS = {
    SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))", SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
# Constraints on each value node, checked one by one; the constraint component is the name.
_VALUE_PARAMS = (SH.datatype, SH.nodeKind, SH["class"], SH["in"], SH.languageIn, SH.minLength, SH.maxLength,
                 SH.pattern, *_COMPARISONS, SH["or"], SH["and"], SH["not"], SH.node)
_COUNT_PARAMS = (SH.minCount, SH.maxCount, SH.hasValue, SH.qualifiedValueShape)
# What a shape may say besides its constraints: documentation, targets, its path and parts.
_DESCRIPTIVE = {RDF.type, RDFS.comment, RDFS.label, SH.name, SH.description, SH.message, SH.severity, SH.order,
                SH.group, SH.path, SH.property, SH.targetClass, SH.targetNode, SH.targetObjectsOf,
                SH.targetSubjectsOf, SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount}
_COMPONENT = {SH["class"]: "Class", SH["in"]: "In", SH["or"]: "Or", SH["and"]: "And", SH["not"]: "Not",
              SH.node: "Node", SH.qualifiedMinCount: "QualifiedMinCount", SH.qualifiedMaxCount: "QualifiedMaxCount"}


@dataclass(frozen=True, slots=True)
class Check:
    """One constraint of one shape as a query: rows of (?focus, ?value) that violate it."""

    query: str
    shape: rdflib.term.Node
    path: rdflib.term.Node | None  # the property shape's sh:path (an IRI or a blank node), or None
    component: str  # e.g. "MinCount"
    message: str
    severity: str


@dataclass(frozen=True, slots=True)
class Violation:
    """One row of a check: the focus node and, for a constraint on values, the value."""

    check: Check
    focus: ox.NamedNode | ox.BlankNode | ox.Literal
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None


def _component(param: rdflib.URIRef) -> str:
    name = str(param).rsplit("#", 1)[-1]
    return _COMPONENT.get(param, name[:1].upper() + name[1:])


class _Compiler:
    """Reads the shapes graph and writes the queries; fails on any feature it does not know."""

    def __init__(self, graph: rdflib.Graph) -> None:
        self.g = graph
        self.fresh = itertools.count(1)

    def fail(self, shape: rdflib.term.Node, what: str) -> OntologyError:
        return OntologyError(f"shapes.ttl: shape {shape.n3()}: {what} is not compiled to SPARQL; "
                             "add it to spacekg/shacl_sparql.py or validate with pySHACL")

    def one(self, shape: rdflib.term.Node, param: rdflib.URIRef) -> rdflib.term.Node | None:
        values = list(self.g.objects(shape, param))
        if len(values) > 1:
            raise self.fail(shape, f"more than one {param.n3(self.g.namespace_manager)}")
        return values[0] if values else None

    def known(self, shape: rdflib.term.Node) -> None:
        for p in set(self.g.predicates(shape)):
            if p not in _DESCRIPTIVE and p not in _VALUE_PARAMS and p not in _COUNT_PARAMS:
                raise self.fail(shape, p.n3(self.g.namespace_manager))
        if self.one(shape, SH.qualifiedValueShape) is None and (
                (shape, SH.qualifiedMinCount, None) in self.g or (shape, SH.qualifiedMaxCount, None) in self.g):
            raise self.fail(shape, "a qualified count without sh:qualifiedValueShape")
        if (shape, SH.qualifiedValueShapesDisjoint, rdflib.Literal(True)) in self.g:
            raise self.fail(shape, "sh:qualifiedValueShapesDisjoint")

    def var(self) -> str:
        return f"?v{next(self.fresh)}"

    def path(self, shape: rdflib.term.Node, path: rdflib.term.Node) -> str:
        if isinstance(path, rdflib.URIRef):
            return path.n3()
        inverse = self.g.value(path, SH.inversePath)
        if isinstance(inverse, rdflib.URIRef) and len(list(self.g.predicate_objects(path))) == 1:
            return "^" + inverse.n3()
        raise self.fail(shape, "a path other than an IRI or sh:inversePath of an IRI")

    def items(self, shape: rdflib.term.Node, node: rdflib.term.Node) -> list[rdflib.term.Node]:
        try:
            return list(Collection(self.g, node))
        except Exception as exc:  # rdflib raises several types on a malformed list
            raise self.fail(shape, f"a malformed RDF list ({exc})") from exc

    # --- boolean SPARQL expressions: does value `v` satisfy ... ----------------------------

    def value_test(self, shape: rdflib.term.Node, param: rdflib.URIRef, arg: rdflib.term.Node, v: str) -> str:
        if param == SH.datatype:
            well_formed = f" && isLiteral({arg.n3()}(STR({v})))" if arg in _CASTABLE else ""
            return f"(isLiteral({v}) && datatype({v}) = {arg.n3()}{well_formed})"
        if param == SH.nodeKind:
            if arg not in _NODE_KINDS:
                raise self.fail(shape, f"sh:nodeKind {arg.n3()}")
            return _NODE_KINDS[arg].format(v=v)
        if param == SH["class"]:
            return f"EXISTS {{ {v} {_TYPE_OF} {arg.n3()} }}"
        if param == SH["in"]:
            members = self.items(shape, arg)
            if all(isinstance(m, rdflib.URIRef) or (isinstance(m, rdflib.Literal) and m.datatype in (None, XSD.string)
                                                     and not m.language) for m in members):
                return f"({v} IN ({', '.join(m.n3() for m in members)}))" if members else "false"
            return "(" + " || ".join(f"sameTerm({v}, {m.n3()})" for m in members) + ")" if members else "false"
        if param == SH.languageIn:
            tags = [rdflib.Literal(str(t)).n3() for t in self.items(shape, arg)]
            return "(" + " || ".join(f"langMatches(lang({v}), {t})" for t in tags) + ")" if tags else "false"
        if param in (SH.minLength, SH.maxLength):
            op = ">=" if param == SH.minLength else "<="
            return f"(!isBlank({v}) && STRLEN(STR({v})) {op} {int(arg)})"
        if param == SH.pattern:
            flags = self.g.value(shape, SH.flags)
            extra = f", {rdflib.Literal(str(flags)).n3()}" if flags is not None else ""
            return f"(!isBlank({v}) && REGEX(STR({v}), {rdflib.Literal(str(arg)).n3()}{extra}))"
        if param in _COMPARISONS:
            return f"({v} {_COMPARISONS[param]} {arg.n3()})"
        if param in (SH["or"], SH["and"]):
            join = " || " if param == SH["or"] else " && "
            parts = [f"COALESCE({self.conforms(s, v)}, false)" for s in self.items(shape, arg)]
            return "(" + join.join(parts) + ")" if parts else ("false" if param == SH["or"] else "true")
        if param == SH["not"]:
            return f"(!COALESCE({self.conforms(arg, v)}, false))"
        if param == SH.node:
            return self.conforms(arg, v)
        raise self.fail(shape, param.n3())

    def conforms(self, shape: rdflib.term.Node, v: str) -> str:
        """Does `v` conform to `shape` (a node or property shape used inside another)?"""
        self.known(shape)
        tests: list[str] = []
        path = self.one(shape, SH.path)
        if path is None:
            for param in _VALUE_PARAMS:
                tests += [self.value_test(shape, param, arg, v) for arg in self.g.objects(shape, param)]
            value = self.one(shape, SH.hasValue)
            if value is not None:
                tests.append(f"sameTerm({v}, {value.n3()})")
            for p in (SH.minCount, SH.maxCount, SH.qualifiedValueShape):
                if (shape, p, None) in self.g:
                    raise self.fail(shape, f"{p.n3(self.g.namespace_manager)} without sh:path")
        else:
            p = self.path(shape, path)
            tests += self.property_tests(shape, p, v)
        for prop in self.g.objects(shape, SH.property):
            tests.append(self.conforms(prop, v))
        return "(" + " && ".join(f"COALESCE({t}, false)" for t in tests) + ")" if tests else "true"

    def property_tests(self, shape: rdflib.term.Node, p: str, v: str) -> list[str]:
        tests = []
        low, high = self.one(shape, SH.minCount), self.one(shape, SH.maxCount)
        if low is not None and int(low) > 0:
            if int(low) > 1:
                raise self.fail(shape, "sh:minCount above 1 inside another shape")
            tests.append(f"EXISTS {{ {v} {p} {self.var()} }}")
        if high is not None:
            a, b = self.var(), self.var()
            if int(high) == 0:
                tests.append(f"NOT EXISTS {{ {v} {p} {a} }}")
            elif int(high) == 1:
                tests.append(f"NOT EXISTS {{ {v} {p} {a} . {v} {p} {b} FILTER(!sameTerm({a}, {b})) }}")
            else:
                raise self.fail(shape, "sh:maxCount above 1 inside another shape")
        value = self.one(shape, SH.hasValue)
        if value is not None:
            tests.append(f"EXISTS {{ {v} {p} {value.n3()} }}")
        if (shape, SH.qualifiedValueShape, None) in self.g:
            raise self.fail(shape, "sh:qualifiedValueShape inside another shape")
        for param in _VALUE_PARAMS:
            for arg in self.g.objects(shape, param):
                x = self.var()
                tests.append(f"NOT EXISTS {{ {v} {p} {x} FILTER(!COALESCE({self.value_test(shape, param, arg, x)}, "
                             "false)) }")
        return tests

    # --- one query per constraint of a shape with targets -----------------------------------

    def targets(self, shape: rdflib.term.Node) -> str | None:
        parts = [f"{{ ?focus {_TYPE_OF} {c.n3()} }}" for c in self.g.objects(shape, SH.targetClass)]
        parts += [f"{{ [] {p.n3()} ?focus }}" for p in self.g.objects(shape, SH.targetObjectsOf)]
        parts += [f"{{ ?focus {p.n3()} [] }}" for p in self.g.objects(shape, SH.targetSubjectsOf)]
        parts += [f"{{ VALUES ?focus {{ {n.n3()} }} }}" for n in self.g.objects(shape, SH.targetNode)]
        if not parts:
            return None
        return "{ SELECT DISTINCT ?focus WHERE { " + " UNION ".join(parts) + " } }"

    def checks(self, shape: rdflib.term.Node, focus: str) -> Iterator[Check]:
        self.known(shape)
        message = str(self.g.value(shape, SH.message) or "")
        severity = str(self.g.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
        path = self.one(shape, SH.path)

        def check(component: str, query: str) -> Check:
            text = message or f"{component} constraint of {shape.n3(self.g.namespace_manager)} not satisfied"
            return Check(query, shape, path, component, text, severity)

        if path is None:
            for param in _VALUE_PARAMS:
                for arg in self.g.objects(shape, param):
                    test = self.value_test(shape, param, arg, "?focus")
                    yield check(_component(param), f"SELECT ?focus ?value WHERE {{ {focus} BIND(?focus AS ?value) "
                                                   f"FILTER(!COALESCE({test}, false)) }}")
            if (shape, SH.hasValue, None) in self.g or (shape, SH.minCount, None) in self.g:
                raise self.fail(shape, "a count or sh:hasValue on a node shape")
        else:
            p = self.path(shape, path)
            low, high = self.one(shape, SH.minCount), self.one(shape, SH.maxCount)
            if low is not None and int(low) == 1:
                yield check("MinCount", f"SELECT ?focus WHERE {{ {focus} FILTER NOT EXISTS {{ ?focus {p} ?value }} }}")
            elif low is not None and int(low) > 1:
                yield check("MinCount", f"SELECT ?focus WHERE {{ {focus} OPTIONAL {{ ?focus {p} ?value }} }} "
                                        f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) < {int(low)})")
            if high is not None and int(high) == 1:  # a join, not a GROUP BY: about twice as fast
                yield check("MaxCount", f"SELECT DISTINCT ?focus WHERE {{ {focus} ?focus {p} ?value . "
                                        f"?focus {p} ?other FILTER(!sameTerm(?value, ?other)) }}")
            elif high is not None:
                yield check("MaxCount", f"SELECT ?focus WHERE {{ {focus} ?focus {p} ?value }} "
                                        f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) > {int(high)})")
            value = self.one(shape, SH.hasValue)
            if value is not None:
                yield check("HasValue", f"SELECT ?focus WHERE {{ {focus} FILTER NOT EXISTS {{ ?focus {p} "
                                        f"{value.n3()} }} }}")
            qualified = self.one(shape, SH.qualifiedValueShape)
            if qualified is not None:
                test = self.conforms(qualified, "?value")
                q_low, q_high = self.one(shape, SH.qualifiedMinCount), self.one(shape, SH.qualifiedMaxCount)
                if q_low is not None:
                    yield check("QualifiedMinCount", f"SELECT ?focus WHERE {{ {focus} OPTIONAL {{ ?focus {p} ?value "
                                                     f"FILTER(COALESCE({test}, false)) }} }} GROUP BY ?focus "
                                                     f"HAVING (COUNT(DISTINCT ?value) < {int(q_low)})")
                if q_high is not None:
                    yield check("QualifiedMaxCount", f"SELECT ?focus WHERE {{ {focus} ?focus {p} ?value "
                                                     f"FILTER(COALESCE({test}, false)) }} GROUP BY ?focus "
                                                     f"HAVING (COUNT(DISTINCT ?value) > {int(q_high)})")
            for param in _VALUE_PARAMS:
                for arg in self.g.objects(shape, param):
                    test = self.value_test(shape, param, arg, "?value")
                    yield check(_component(param), f"SELECT DISTINCT ?focus ?value WHERE {{ {focus} ?focus {p} ?value "
                                                   f"FILTER(!COALESCE({test}, false)) }}")
        for prop in self.g.objects(shape, SH.property):
            if (prop, SH.path, None) not in self.g:
                raise self.fail(prop, "sh:property without sh:path")
            yield from self.checks(prop, focus)


@cache
def checks() -> tuple[Check, ...]:
    """Every constraint of the packaged shapes as a query, compiled once per process."""
    from spacekg.validate import shapes_graph

    compiler = _Compiler(shapes_graph())
    shapes = sorted({s for p in (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)
                     for s in compiler.g.subjects(p, None)}, key=str)
    compiled = []
    for shape in shapes:
        if (shape, SH.deactivated, rdflib.Literal(True)) in compiler.g:
            continue
        focus = compiler.targets(shape)
        assert focus is not None  # every shape here has a target
        compiled.extend(compiler.checks(shape, focus))
    for c in compiled:  # a query that does not parse is a bug of this module, found at load time
        try:
            ox.Store().query(c.query)
        except SyntaxError as exc:
            raise OntologyError(f"shapes.ttl: compiled check {c.component} of {c.shape.n3()} is not valid SPARQL: "
                                f"{exc}") from exc
    return tuple(compiled)


def run_checks(quads: Iterable[ox.Quad]) -> list[Violation]:
    """Load `quads` into a scratch in-memory store and run every check over the union of its graphs."""
    store = ox.Store()
    store.extend(quads)  # for a chunk of ~20k quads, faster than bulk_extend (39 vs 64 ms)
    return run_checks_in(store)


def run_checks_in(store: ox.Store) -> list[Violation]:
    """Run every check over the union of the graphs of `store` (a scratch store of the data to check)."""
    found = []
    for c in checks():
        rows = store.query(c.query, use_default_graph_as_union=True)
        with_value = any(v.value == "value" for v in rows.variables)
        found.extend(Violation(c, row["focus"], row["value"] if with_value else None) for row in rows)
    return found
