"""The single writer: extractions → quads, one named graph per assertion (SPEC §3).

The assertion's own description (text, rank, record, mentions, quantities, negation,
modality) goes to the default graph; the facts drawn from it (quantity nodes, relations,
budgets) go to the named graph whose name is the assertion IRI. IRIs are deterministic,
so building the same record twice yields the same quads.

Span provenance uses NIF 2.0 offsets into the assertion text (the assertion is the
``nif:Context``): each mention is a ``nif:Phrase`` linked to its entity with
``itsrdf:taIdentRef``; quantity and budget nodes carry ``nif:beginIndex``/``nif:endIndex``;
each fact is also described as an ``rdf:Statement`` with its offsets. A negated fact ("X
did not meet Y") exists only as such a statement with ``skg:negated true``: it is never
asserted as a triple.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from spacekg.graph import summary
from spacekg.graph.store import ReplacesInParts, Store
from spacekg.model import ACTOR_CLASSES, AssertionRecord, EntityClass, Extraction, Quantity, QuantityKind, slugify
from spacekg.vocab import DCTERMS, ITSRDF, NIF, PROV, RDF, RDFS, SCHEMA, SKG, SKGID, SKOS, XSD, expand_curie

__all__ = ["assertion_iri", "build_quads", "entity_iri", "MintedCounts", "minted_entity_quads", "minted_quads_from_counts",
           "record_iri", "record_quads", "replace_records", "replace_staged", "slugify"]

_DEFAULT = ox.DefaultGraph()
_TRUE = ox.Literal("true", datatype=XSD.boolean)
_FALSE = ox.Literal("false", datatype=XSD.boolean)
_SYMMETRIC = {"skg:metWith", "skg:partnersWith"}
_UNIT_OF_KIND = {QuantityKind.MULTIPLIER: "times"}  # a unit the reader may leave implicit


def record_iri(name: str) -> ox.NamedNode:
    return SKGID[f"record/{slugify(name)}"]


def assertion_iri(record_name: str, text: str) -> ox.NamedNode:
    """Named by the record and a hash of the normalised text, so re-ranking keeps IRIs."""
    digest = hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]
    return SKGID[f"record/{slugify(record_name)}/assertion/{digest}"]


def entity_iri(key: str) -> ox.NamedNode:
    return SKGID[key]


def _string(value: str) -> ox.Literal:
    return ox.Literal(value)


def _decimal(value: object) -> ox.Literal:
    text = format(value, "f") if not isinstance(value, str) else value
    if "." in text:
        text = text.rstrip("0").rstrip(".") if text.rstrip("0").rstrip(".") else "0"
    return ox.Literal(text, datatype=XSD.decimal)


def _offset(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD.nonNegativeInteger)


def _span_quads(node: ox.NamedNode, start: int, end: int, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    yield ox.Quad(node, NIF.beginIndex, _offset(start), graph)
    yield ox.Quad(node, NIF.endIndex, _offset(end), graph)


def _quantity_quads(node: ox.NamedNode, q: Quantity, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    def quad(p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> ox.Quad:
        return ox.Quad(node, p, o, graph)

    yield from _span_quads(node, q.start, q.end, graph)
    yield quad(RDF.type, SCHEMA.MonetaryAmount if q.kind is QuantityKind.MONEY else SCHEMA.QuantitativeValue)
    yield quad(SKG.quantityKind, _string(q.kind.value))
    yield quad(SKG.surface, _string(q.surface))
    if q.value is not None:
        yield quad(SCHEMA.value, _decimal(q.value))
        if q.bound == "min":
            yield quad(SCHEMA.minValue, _decimal(q.value))
        elif q.bound == "max":
            yield quad(SCHEMA.maxValue, _decimal(q.value))
    if q.currency:
        yield quad(SCHEMA.currency, _string(q.currency))
    if q.unit_code:
        yield quad(SCHEMA.unitCode, _string(q.unit_code))
    unit_text = q.unit_text or _UNIT_OF_KIND.get(q.kind)
    if unit_text:
        yield quad(SCHEMA.unitText, _string(unit_text))
    if q.qualifier:
        yield quad(SKG.qualifier, _string(q.qualifier))
    if q.temporal:
        yield quad(SKG.temporalValue, _string(q.temporal))


def minted_entity_quads(records: Iterable[tuple[AssertionRecord, Sequence[Extraction]]]) -> Iterator[ox.Quad]:
    """One description per entity the loader minted in these records: the label and class
    most of its mentions give (ties: the first seen), every other spelling as skos:altLabel.
    Two records spelling a new name differently ("Hanbit-Nano", "Hanbit Nano") still give
    the entity exactly one rdfs:label and one class."""
    yield from minted_quads_from_counts(MintedCounts.of(records))


@dataclass
class MintedCounts:
    """What a build has seen of the entities it mints, in first-seen order: label and class
    counts, spellings, and which of them some budget names as its holder. A large build
    merges these over its chunks in record order, which gives the small path's answer."""

    labels: dict[str, Counter] = field(default_factory=dict)
    classes: dict[str, Counter] = field(default_factory=dict)
    spellings: dict[str, dict[str, None]] = field(default_factory=dict)
    holders: dict[str, None] = field(default_factory=dict)  # keys that hold a budget: skg:budgetHolder's range is Actor

    @classmethod
    def of(cls, records: Iterable[tuple[AssertionRecord, Sequence[Extraction]]]) -> MintedCounts:
        counts = cls()
        for _, extractions in records:
            for x in extractions:
                minted = set()
                for m in x.mentions:
                    if not m.known:
                        minted.add(m.key)
                        counts.labels.setdefault(m.key, Counter())[m.label] += 1
                        counts.classes.setdefault(m.key, Counter())[m.cls.value] += 1
                        counts.spellings.setdefault(m.key, {})[m.label] = None
                        if m.surface[:1].isupper():
                            counts.spellings[m.key][m.surface] = None
                for b in x.budgets:
                    if b.holder in minted:
                        counts.holders[b.holder] = None
        return counts

    def merge(self, other: MintedCounts) -> None:
        """Add `other`'s counts (a later chunk of the same build) to these."""
        for key, labels in other.labels.items():
            self.labels.setdefault(key, Counter()).update(labels)
            self.classes.setdefault(key, Counter()).update(other.classes[key])
            self.spellings.setdefault(key, {}).update(other.spellings[key])
        self.holders.update(other.holders)

    def settled_class(self, key: str) -> str:
        """The class most mentions give, among those its roles allow: an entity that holds a
        budget is an actor (the ontology's range of skg:budgetHolder), so a record that reads
        it as a document ("the Nova agreement") cannot outvote the ones that fund it."""
        ranked = [cls for cls, _ in self.classes[key].most_common()]  # ties: first seen first
        if key in self.holders:
            return next((cls for cls in ranked if EntityClass(cls) in ACTOR_CLASSES), ranked[0])
        return ranked[0]

    def assumed(self) -> dict[str, str]:
        """Each minted entity's settled class, by these counts."""
        return {key: self.settled_class(key) for key in self.classes}


def minted_quads_from_counts(counts: MintedCounts, keys: Iterable[str] | None = None) -> Iterator[ox.Quad]:
    """The description of each minted entity (or of `keys`) from its counts (see `MintedCounts`)."""
    for key in counts.labels if keys is None else keys:
        node = entity_iri(key)
        label = counts.labels[key].most_common(1)[0][0]
        yield ox.Quad(node, RDF.type, SKG[counts.settled_class(key)], _DEFAULT)
        yield ox.Quad(node, RDFS.label, ox.Literal(label, language="en"), _DEFAULT)
        yield ox.Quad(node, SKG.minted, _TRUE, _DEFAULT)
        for spelling in counts.spellings[key]:
            if spelling != label:
                yield ox.Quad(node, SKOS.altLabel, ox.Literal(spelling, language="en"), _DEFAULT)


def build_quads(records: Sequence[tuple[AssertionRecord, Sequence[Extraction]]]) -> Iterator[ox.Quad]:
    """Everything a build of `records` writes: each record's quads and the minted entities."""
    for record, extractions in records:
        yield from record_quads(record, extractions)
    yield from minted_entity_quads(records)


def record_quads(record: AssertionRecord, extractions: Sequence[Extraction]) -> Iterator[ox.Quad]:
    """The quads of one record: its description, assertions and their graphs (the entities
    it mints are described once per build by `minted_entity_quads`)."""
    rec = record_iri(record.name)
    mentioned: list[tuple[ox.NamedNode, int, list[ox.NamedNode]]] = []
    yield ox.Quad(rec, RDF.type, SKG.AssertionRecord, _DEFAULT)
    yield ox.Quad(rec, SKG.summary, _string(record.summary), _DEFAULT)
    yield ox.Quad(rec, DCTERMS.source, _string(record.source), _DEFAULT)
    if record.title:
        yield ox.Quad(rec, DCTERMS.title, _string(record.title), _DEFAULT)
    for x in extractions:
        a = x.assertion
        node = assertion_iri(record.name, a.text)

        def describe(p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> ox.Quad:
            return ox.Quad(node, p, o, _DEFAULT)

        yield describe(RDF.type, SKG.Assertion)
        yield describe(SKG.text, _string(a.text))
        yield describe(SKG.evidenceRank, ox.Literal(str(a.rank), datatype=XSD.positiveInteger))
        yield describe(SKG.lineNumber, ox.Literal(str(a.line), datatype=XSD.positiveInteger))
        yield describe(PROV.wasDerivedFrom, rec)
        yield describe(SKG.negated, _TRUE if x.negated else _FALSE)
        yield describe(SKG.modality, SKG[x.modality.value])
        mentioned.append((node, a.rank, [entity_iri(m.key) for m in x.mentions]))
        for i, m in enumerate(x.mentions, start=1):
            yield describe(SKG.mentions, entity_iri(m.key))
            phrase = ox.NamedNode(f"{node.value}/mention/{i}")
            yield ox.Quad(phrase, RDF.type, NIF.Phrase, node)
            yield ox.Quad(phrase, NIF.referenceContext, node, node)
            yield ox.Quad(phrase, NIF.anchorOf, _string(m.surface), node)
            yield ox.Quad(phrase, ITSRDF.taIdentRef, entity_iri(m.key), node)
            yield ox.Quad(phrase, SKG.reason, _string(m.reason), node)
            yield from _span_quads(phrase, m.start, m.end, node)
        quantity_nodes = []
        for i, q in enumerate(x.quantities, start=1):
            qnode = ox.NamedNode(f"{node.value}/quantity/{i}")
            quantity_nodes.append(qnode)
            yield describe(SKG.hasQuantity, qnode)
            yield from _quantity_quads(qnode, q, node)
        for i, f in enumerate(x.facts, start=1):
            s, p, o = entity_iri(f.subject), expand_curie(f.predicate), entity_iri(f.object)
            if not f.negated:
                yield ox.Quad(s, p, o, node)
                if f.predicate in _SYMMETRIC:
                    yield ox.Quad(o, p, s, node)
            statement = ox.NamedNode(f"{node.value}/fact/{i}")
            yield ox.Quad(statement, RDF.type, SKG.Fact, node)
            yield ox.Quad(statement, RDF.type, RDF.Statement, node)
            yield ox.Quad(statement, RDF.subject, s, node)
            yield ox.Quad(statement, RDF.predicate, p, node)
            yield ox.Quad(statement, RDF.object, o, node)
            yield ox.Quad(statement, SKG.negated, _TRUE if f.negated else _FALSE, node)
            yield from _span_quads(statement, f.start, f.end, node)
        for i, b in enumerate(x.budgets, start=1):
            bnode = ox.NamedNode(f"{node.value}/budget/{i}")
            yield ox.Quad(bnode, RDF.type, SKG.Budget, node)
            yield ox.Quad(bnode, SKG.budgetHolder, entity_iri(b.holder), node)
            for index in b.amounts:
                yield ox.Quad(bnode, SKG.amount, quantity_nodes[index], node)
            if b.fiscal_year:
                yield ox.Quad(bnode, SKG.fiscalYear, ox.Literal(b.fiscal_year, datatype=XSD.gYear), node)
            if b.purpose:
                yield ox.Quad(bnode, SKG.purpose, entity_iri(b.purpose), node)
            yield from _span_quads(bnode, b.start, b.end, node)
    yield from summary.record_partials(rec, mentioned)


_DROP_RECORD = """
DELETE {{ GRAPH ?a {{ ?s ?p ?o }} }} WHERE {{ ?a <{derived}> {rec} . GRAPH ?a {{ ?s ?p ?o }} }} ;
DELETE {{ ?a ?p ?o }} WHERE {{ ?a <{derived}> {rec} ; ?p ?o }} ;
DELETE WHERE {{ {rec} ?p ?o }} ;
"""
def _redescribe(minted: Iterable[str]) -> str:
    """Deletes the earlier description (class, labels) of minted entities this build describes."""
    return (f"DELETE {{ ?e ?p ?o }} WHERE {{\n  VALUES ?e {{ {' '.join(minted)} }}\n"
            f"  VALUES ?p {{ <{RDF.type.value}> <{RDFS.label.value}> <{SKOS.altLabel.value}> }}\n"
            f"  ?e <{SKG.minted.value}> true ; ?p ?o .\n}} ;\n")
# Minted entities that no assertion mentions any more (after an edit) are removed too.
_DROP_ORPHANS = f"""
DELETE {{ ?e ?p ?o }} WHERE {{
  ?e <{SKG.minted.value}> true ; ?p ?o .
  FILTER NOT EXISTS {{ ?a <{SKG.mentions.value}> ?e }}
}}
"""


def replace_records(store: Store, records: Iterable[tuple[AssertionRecord, Sequence[Extraction]]],
                    extra: Iterable[ox.Quad] = (), replace_graphs: Iterable[ox.NamedNode] = ()) -> None:
    """Replace each record's earlier version (its assertions, graphs and description) and
    the `replace_graphs` whole with the new quads and `extra`, all or nothing — or, on a
    store of bounded requests (`ReplacesInParts`, a remote server), one record at a time.
    The summary graph is brought up to date in the same request (`spacekg.graph.summary`)."""
    records = list(records)
    head = [f"DROP SILENT GRAPH {g} ;\n" for g in replace_graphs]
    shared = [*extra, *minted_entity_quads(records)]
    minted = sorted({str(q.subject) for q in shared if q.predicate == SKG.minted})
    if minted:  # this build's description of a minted entity replaces an earlier build's
        head.append(_redescribe(minted))
    parts = [("".join(head), shared)] + [
        (_drop_record(record_iri(record.name)), list(record_quads(record, extractions)))
        for record, extractions in records]
    after = _after([record_iri(record.name) for record, _ in records]) + _DROP_ORPHANS
    if isinstance(store, ReplacesInParts):
        store.replace_parts([(before.rstrip().rstrip(";"), quads) for before, quads in parts], after=after)
        return
    store.replace("".join(before for before, _ in parts).rstrip().rstrip(";"),
                  [q for _, quads in parts for q in quads], after=after)


def _drop_record(rec: ox.NamedNode) -> str:
    """Mark the entities of the record's old version stale for the summary, then delete it
    (its partial summaries too)."""
    return summary.drop_records([rec]) + " ;\n" + _DROP_RECORD.format(derived=PROV.wasDerivedFrom.value, rec=rec)


def _after(records: Sequence[ox.NamedNode], *, refresh: bool = True) -> str:
    """Mark the entities of the records' new versions stale, and (`refresh`) recompute the summary."""
    marks = summary.mark_records(records) + " ;\n" if records else ""
    return marks + (summary.refresh().rstrip().rstrip(";") + " ;\n" if refresh else "")


def replace_staged(store: Store, chunks: Iterable[tuple[Sequence[str], Sequence[ox.Quad]]],
                   shared: Sequence[ox.Quad]) -> None:
    """The large build's write into a non-empty store: each chunk (record names, their quads)
    replaces those records in one transaction, then `shared` (the ontology graph and the
    minted entities' descriptions) replaces its earlier version and orphaned minted entities
    are dropped, in a last transaction. The end state is `replace_records`'s. Each chunk marks
    its records' entities stale for the summary; the last transaction recomputes them (a crash
    in between leaves the marks, which the next build's refresh completes)."""
    for names, quads in chunks:
        iris = [record_iri(name) for name in names]
        parts = [(_drop_record(rec).rstrip().rstrip(";"), []) for rec in iris]
        parts[-1] = (parts[-1][0], list(quads))
        after = _after(iris, refresh=False).rstrip().rstrip(";")
        if isinstance(store, ReplacesInParts):
            store.replace_parts(parts, after=after)
        else:
            store.replace(" ;\n".join(before for before, _ in parts), quads, after=after)
    from spacekg.ontology import ONTOLOGY_GRAPH

    minted = sorted({str(q.subject) for q in shared if q.predicate == SKG.minted})
    head = f"DROP SILENT GRAPH {ONTOLOGY_GRAPH} ;\n" + (_redescribe(minted) if minted else "")
    after = _after([]) + _DROP_ORPHANS
    if isinstance(store, ReplacesInParts):
        store.replace_parts([(head.rstrip().rstrip(";"), list(shared))], after=after)
    else:
        store.replace(head.rstrip().rstrip(";"), shared, after=after)
