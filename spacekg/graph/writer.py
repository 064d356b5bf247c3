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
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from spacekg.graph import summary
from spacekg.graph.store import ReplacesInParts, Store
from spacekg.model import ACTOR_CLASSES, AssertionRecord, EntityClass, Extraction, Quantity, QuantityKind, slugify
from spacekg.vocab import DCTERMS, ITSRDF, NIF, PROV, RDF, RDFS, SCHEMA, SKG, SKGID, SKOS, XSD, expand_curie

__all__ = ["assertion_iri", "build_quads", "entity_iri", "MintedCounts", "minted_entity_quads", "minted_quads_from_counts",
           "record_iri", "record_nquads", "record_quads", "replace_records", "replace_staged", "slugify"]

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


@lru_cache(maxsize=1 << 16)
def entity_iri(key: str) -> ox.NamedNode:
    return SKGID[key]  # cached: a record names its entities many times (mentions, facts, partials)


def _nt(node: ox.NamedNode) -> str:
    return f"<{node.value}>"


# N-Quads escapes, exactly as Oxigraph writes them (a test checks every code point below 0x100):
# the named ones, other control characters as \uXXXX; everything else is written as is, in UTF-8.
_ESCAPES = str.maketrans({**{chr(c): f"\\u{c:04X}" for c in [*range(0x20), 0x7F]},
                          "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r",
                          '"': '\\"', "\\": "\\\\"})
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')


def _string(value: str) -> str:
    """An xsd:string literal in N-Quads."""
    return f'"{value.translate(_ESCAPES) if _NEEDS_ESCAPE.search(value) else value}"'


def _typed(value: str, datatype: str) -> str:
    """A literal of `datatype` (an N-Quads IRI term) in N-Quads."""
    return f"{_string(value)}^^{datatype}"


def _decimal(value: object) -> str:
    text = format(value, "f") if not isinstance(value, str) else value
    if "." in text:
        text = text.rstrip("0").rstrip(".") if text.rstrip("0").rstrip(".") else "0"
    return _typed(text, _XSD_DECIMAL)


@lru_cache(maxsize=1 << 16)
def _entity(key: str) -> str:
    return _nt(entity_iri(key))  # the IRI checked by Oxigraph once per key


# The terms record_nquads writes, in N-Quads (IRIs from the vocabulary, so checked by Oxigraph).
_XSD_DECIMAL, _XSD_POSITIVE, _XSD_OFFSET, _XSD_GYEAR = (_nt(XSD.decimal), _nt(XSD.positiveInteger),
                                                       _nt(XSD.nonNegativeInteger), _nt(XSD.gYear))
_T_TRUE, _T_FALSE = _typed("true", _nt(XSD.boolean)), _typed("false", _nt(XSD.boolean))
_TYPE, _SUBJECT, _PREDICATE, _OBJECT, _STATEMENT = map(_nt, (RDF.type, RDF.subject, RDF.predicate, RDF.object,
                                                            RDF.Statement))
_BEGIN, _END, _PHRASE, _CONTEXT, _ANCHOR = map(_nt, (NIF.beginIndex, NIF.endIndex, NIF.Phrase, NIF.referenceContext,
                                                    NIF.anchorOf))
_IDENT, _SOURCE, _TITLE, _DERIVED = map(_nt, (ITSRDF.taIdentRef, DCTERMS.source,
                                             DCTERMS["title"],  # DCTERMS.title would be str.title
                                             PROV.wasDerivedFrom))
_MONEY, _QUANTITATIVE, _VALUE, _MIN, _MAX, _CURRENCY, _UNIT_CODE, _UNIT_TEXT = map(_nt, (
    SCHEMA.MonetaryAmount, SCHEMA.QuantitativeValue, SCHEMA.value, SCHEMA.minValue, SCHEMA.maxValue, SCHEMA.currency,
    SCHEMA.unitCode, SCHEMA.unitText))
(_RECORD, _SUMMARY, _ASSERTION, _TEXT, _RANK, _LINE, _NEGATED, _MODALITY, _MENTIONS, _REASON, _HAS_QUANTITY,
 _KIND, _SURFACE, _QUALIFIER, _TEMPORAL, _FACT, _BUDGET, _HOLDER, _AMOUNT, _FISCAL_YEAR, _PURPOSE) = map(_nt, (
    SKG.AssertionRecord, SKG.summary, SKG.Assertion, SKG.text, SKG.evidenceRank, SKG.lineNumber, SKG.negated,
    SKG.modality, SKG.mentions, SKG.reason, SKG.hasQuantity, SKG.quantityKind, SKG.surface, SKG.qualifier,
    SKG.temporalValue, SKG.Fact, SKG.Budget, SKG.budgetHolder, SKG.amount, SKG.fiscalYear, SKG.purpose))


@lru_cache(maxsize=4096)
def _offset(value: int) -> str:
    return _typed(str(value), _XSD_OFFSET)  # cached: two per span, small numbers


@lru_cache(maxsize=64)
def _modality(value: str) -> str:
    return _nt(SKG[value])


@lru_cache(maxsize=256)
def _predicate(curie: str) -> str:
    return _nt(expand_curie(curie))


def _span_lines(node: str, start: int, end: int, graph: str) -> list[str]:
    return [f"{node} {_BEGIN} {_offset(start)} {graph} .\n", f"{node} {_END} {_offset(end)} {graph} .\n"]


def _quantity_lines(node: str, q: Quantity, graph: str) -> Iterator[str]:
    def line(p: str, o: str) -> str:
        return f"{node} {p} {o} {graph} .\n"

    yield from _span_lines(node, q.start, q.end, graph)
    yield line(_TYPE, _MONEY if q.kind is QuantityKind.MONEY else _QUANTITATIVE)
    yield line(_KIND, _string(q.kind.value))
    yield line(_SURFACE, _string(q.surface))
    if q.value is not None:
        yield line(_VALUE, _decimal(q.value))
        if q.bound == "min":
            yield line(_MIN, _decimal(q.value))
        elif q.bound == "max":
            yield line(_MAX, _decimal(q.value))
    if q.currency:
        yield line(_CURRENCY, _string(q.currency))
    if q.unit_code:
        yield line(_UNIT_CODE, _string(q.unit_code))
    unit_text = q.unit_text or _UNIT_OF_KIND.get(q.kind)
    if unit_text:
        yield line(_UNIT_TEXT, _string(unit_text))
    if q.qualifier:
        yield line(_QUALIFIER, _string(q.qualifier))
    if q.temporal:
        yield line(_TEMPORAL, _string(q.temporal))


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
    it mints are described once per build by `minted_entity_quads`). Parsed from
    `record_nquads`, the one writer, by Oxigraph's strict parser."""
    return ox.parse(record_nquads(record, extractions), format=ox.RdfFormat.N_QUADS)


def record_nquads(record: AssertionRecord, extractions: Sequence[Extraction]) -> bytes:
    """What a build writes for one record, as N-Quads text: what Oxigraph serialises for the
    same quads, byte for byte (a test checks it). The large build stages this text directly
    (making a Python quad object only to serialise it cost ~7 µs a quad)."""
    rec_node = record_iri(record.name)
    rec = _nt(rec_node)
    mentioned: list[tuple[ox.NamedNode, int, list[ox.NamedNode]]] = []
    out = [f"{rec} {_TYPE} {_RECORD} .\n", f"{rec} {_SUMMARY} {_string(record.summary)} .\n",
           f"{rec} {_SOURCE} {_string(record.source)} .\n"]
    if record.title:
        out.append(f"{rec} {_TITLE} {_string(record.title)} .\n")
    add, extend = out.append, out.extend
    for x in extractions:
        a = x.assertion
        iri = assertion_iri(record.name, a.text)
        base = iri.value
        node = f"<{base}>"
        extend((f"{node} {_TYPE} {_ASSERTION} .\n",
                f"{node} {_TEXT} {_string(a.text)} .\n",
                f"{node} {_RANK} {_typed(str(a.rank), _XSD_POSITIVE)} .\n",
                f"{node} {_LINE} {_typed(str(a.line), _XSD_POSITIVE)} .\n",
                f"{node} {_DERIVED} {rec} .\n",
                f"{node} {_NEGATED} {_T_TRUE if x.negated else _T_FALSE} .\n",
                f"{node} {_MODALITY} {_modality(x.modality.value)} .\n"))
        mentioned.append((iri, a.rank, [entity_iri(m.key) for m in x.mentions]))
        for i, m in enumerate(x.mentions, start=1):
            entity = _entity(m.key)
            add(f"{node} {_MENTIONS} {entity} .\n")
            phrase = f"<{base}/mention/{i}>"
            extend((f"{phrase} {_TYPE} {_PHRASE} {node} .\n",
                    f"{phrase} {_CONTEXT} {node} {node} .\n",
                    f"{phrase} {_ANCHOR} {_string(m.surface)} {node} .\n",
                    f"{phrase} {_IDENT} {entity} {node} .\n",
                    f"{phrase} {_REASON} {_string(m.reason)} {node} .\n"))
            extend(_span_lines(phrase, m.start, m.end, node))
        quantity_nodes = []
        for i, q in enumerate(x.quantities, start=1):
            qnode = f"<{base}/quantity/{i}>"
            quantity_nodes.append(qnode)
            add(f"{node} {_HAS_QUANTITY} {qnode} .\n")
            extend(_quantity_lines(qnode, q, node))
        for i, f in enumerate(x.facts, start=1):
            s, p, o = _entity(f.subject), _predicate(f.predicate), _entity(f.object)
            if not f.negated:
                add(f"{s} {p} {o} {node} .\n")
                if f.predicate in _SYMMETRIC:
                    add(f"{o} {p} {s} {node} .\n")
            statement = f"<{base}/fact/{i}>"
            extend((f"{statement} {_TYPE} {_FACT} {node} .\n",
                    f"{statement} {_TYPE} {_STATEMENT} {node} .\n",
                    f"{statement} {_SUBJECT} {s} {node} .\n",
                    f"{statement} {_PREDICATE} {p} {node} .\n",
                    f"{statement} {_OBJECT} {o} {node} .\n",
                    f"{statement} {_NEGATED} {_T_TRUE if f.negated else _T_FALSE} {node} .\n"))
            extend(_span_lines(statement, f.start, f.end, node))
        for i, b in enumerate(x.budgets, start=1):
            bnode = f"<{base}/budget/{i}>"
            extend((f"{bnode} {_TYPE} {_BUDGET} {node} .\n", f"{bnode} {_HOLDER} {_entity(b.holder)} {node} .\n"))
            extend(f"{bnode} {_AMOUNT} {quantity_nodes[index]} {node} .\n" for index in b.amounts)
            if b.fiscal_year:
                add(f"{bnode} {_FISCAL_YEAR} {_typed(b.fiscal_year, _XSD_GYEAR)} {node} .\n")
            if b.purpose:
                add(f"{bnode} {_PURPOSE} {_entity(b.purpose)} {node} .\n")
            extend(_span_lines(bnode, b.start, b.end, node))
    text = "".join(out).encode()
    partials = list(summary.record_partials(rec_node, mentioned))  # the summary module's quads, serialised
    return text + (ox.serialize(partials, format=ox.RdfFormat.N_QUADS) or b"") if partials else text


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
