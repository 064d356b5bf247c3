"""The summary graph: per-entity aggregates the aggregate named queries read.

Counting over every ``skg:mentions`` (about 5 per assertion) is what made queries such as
`entities-by-class` take seconds at 10k assertions and minutes at 1M. The graph
``<https://w3id.org/spacekg/graph/summary>`` keeps, derived from the assertions:

- per (entity, record) a partial summary node (IRI from a hash of the two) with
  ``skg:aboutEntity``, ``skg:aboutRecord``, ``skg:mentionsInRecord`` (the record's assertions
  that mention the entity), ``skg:bestRankInRecord``, and where the record first mentions it
  (``skg:firstLineInRecord``, ``skg:firstBeginInRecord``: line, and offset of its first span there). The writer computes them from the
  record's own assertions (`record_partials`) and writes them with the record's quads, so
  they cost what the record costs; dropping the record drops them;
- per record a node (``skg:aboutRecord``, ``skg:assertionCount``, ``skg:negatedCount``)
  written and dropped with the record like the partials;
- per mentioned entity the totals rolled up from its partials: ``skg:mentionCount`` (sum),
  ``skg:recordCount`` (number of partials), ``skg:bestRank`` (min). A hub entity's roll-up
  reads one node per record that mentions it, never its every mention.

It is derived data, typed ``skg:SummaryGraph`` in itself, not an assertion graph; SPEC's
one named graph per assertion holds as before. The totals are kept by SPARQL Update
(``summary/*.ru``) inside the transaction that writes records: the writer marks stale every
entity the old and the new version of a replaced record mention, and `refresh` rolls those
up again. The bulk path (`spacekg.bulk`) loads the partials with the records, then marks
every entity and refreshes all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from importlib import resources

import pyoxigraph as ox

from spacekg.graph.store import Store
from spacekg.graph.values import render_value_list, with_update_blocks
from spacekg.vocab import SKG, SKGID, XSD

__all__ = ["SUMMARY_GRAPH", "drop_records", "mark_records", "rebuild_summary", "record_partials", "refresh"]

SUMMARY_GRAPH = ox.NamedNode("https://w3id.org/spacekg/graph/summary")


@cache
def _update(name: str) -> str:
    return (resources.files(__name__.rpartition(".")[0]) / "summary" / f"{name}.ru").read_text(encoding="utf-8")


def record_partials(rec: ox.NamedNode,
                    assertions: Iterable[tuple[ox.NamedNode, int, int, bool, Mapping[ox.NamedNode, int]]]
                    ) -> Iterator[ox.Quad]:
    """The partial summary quads of record `rec` from its (assertion, rank, line, negated,
    {mentioned entity: offset of its first span}), counted as the store would count them: an
    assertion IRI written twice counts once with all its ranks and lines (and once per
    distinct negation flag in the record's assertion count)."""
    mentions: dict[ox.NamedNode, dict[ox.NamedNode, int]] = {}
    ranks: dict[ox.NamedNode, int] = {}
    lines: dict[ox.NamedNode, int] = {}
    flags: dict[ox.NamedNode, set[bool]] = {}
    for node, rank, line, negated, begins in assertions:
        spans = mentions.setdefault(node, {})
        for e, begin in begins.items():
            spans[e] = min(begin, spans.get(e, begin))
        ranks[node] = min(rank, ranks.get(node, rank))
        lines[node] = min(line, lines.get(node, line))
        flags.setdefault(node, set()).add(negated)
    if flags:  # the record's own counts, for the `records` query
        key = hashlib.sha1(rec.value.encode()).hexdigest()
        node = SKGID[f"summary/record/{key}"]
        yield ox.Quad(node, SKG.aboutRecord, rec, SUMMARY_GRAPH)
        yield ox.Quad(node, SKG.assertionCount, _integer(sum(map(len, flags.values()))), SUMMARY_GRAPH)
        yield ox.Quad(node, SKG.negatedCount, _integer(sum(True in f for f in flags.values())), SUMMARY_GRAPH)
    count: dict[ox.NamedNode, int] = {}
    best: dict[ox.NamedNode, int] = {}
    first: dict[ox.NamedNode, ox.NamedNode] = {}  # entity -> its assertion with the lowest line
    for node, spans in mentions.items():
        for e in spans:
            count[e] = count.get(e, 0) + 1
            best[e] = min(ranks[node], best.get(e, ranks[node]))
            if e not in first or lines[node] < lines[first[e]]:
                first[e] = node
    for e in sorted(count, key=lambda n: n.value):
        key = hashlib.sha1(f"{rec.value} {e.value}".encode()).hexdigest()
        node = SKGID[f"summary/partial/{key}"]
        yield ox.Quad(node, SKG.aboutEntity, e, SUMMARY_GRAPH)
        yield ox.Quad(node, SKG.aboutRecord, rec, SUMMARY_GRAPH)
        yield ox.Quad(node, SKG.mentionsInRecord, _integer(count[e]), SUMMARY_GRAPH)
        yield ox.Quad(node, SKG.bestRankInRecord, _integer(best[e]), SUMMARY_GRAPH)
        # typed as the assertion's skg:lineNumber and the span's nif:beginIndex, so that they join
        yield ox.Quad(node, SKG.firstLineInRecord,
                      ox.Literal(str(lines[first[e]]), datatype=XSD.positiveInteger), SUMMARY_GRAPH)
        yield ox.Quad(node, SKG.firstBeginInRecord,
                      ox.Literal(str(mentions[first[e]][e]), datatype=XSD.nonNegativeInteger), SUMMARY_GRAPH)


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=XSD.integer)


def mark_records(records: Iterable[ox.NamedNode]) -> str:
    """The update marking stale every entity the partial summaries of `records` name."""
    records = list(records)
    if not records:
        return ""
    return with_update_blocks(_update("mark-records"), [render_value_list("rec", records)])


def drop_records(records: Iterable[ox.NamedNode]) -> str:
    """The update marking the entities of `records`' partial summaries stale, then dropping them."""
    records = list(records)
    block = [render_value_list("rec", records)]
    return mark_records(records) + " ;\n" + with_update_blocks(_update("drop-records"), block)


def refresh() -> str:
    """The update rolling up the totals of the stale entities and clearing the marks."""
    return _update("refresh")


def rebuild_summary(store: Store) -> None:
    """Roll up every entity's totals, in one request (after a bulk load, which loaded the partials)."""
    store.update(_update("mark-all").rstrip().rstrip(";") + " ;\n" + refresh())
