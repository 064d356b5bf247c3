"""The summary graph: per-entity aggregates the aggregate named queries read.

Counting over every ``skg:mentions`` (about 5 per assertion) is what made queries such as
`entities-by-class` take seconds at 10k assertions and minutes at 1M. The graph
``<https://w3id.org/spacekg/graph/summary>`` keeps, derived from the assertions:

- per (entity, record) a partial summary node (IRI from a hash of the two) with
  ``skg:aboutEntity``, ``skg:aboutRecord``, ``skg:mentionsInRecord`` (the record's assertions
  that mention the entity) and ``skg:bestRankInRecord``. The writer computes them from the
  record's own assertions (`record_partials`) and writes them with the record's quads, so
  they cost what the record costs; dropping the record drops them;
- per mentioned entity the totals rolled up from its partials: ``skg:mentionCount`` (sum),
  ``skg:recordCount`` (number of partials), ``skg:bestRank`` (min). A hub entity's roll-up
  reads one node per record that mentions it, never its every mention;
- per record ``skg:assertionCount`` and ``skg:negatedCount`` on the record's IRI, counted by
  SPARQL Update from the record's own assertions whenever the record is written
  (`mark_records`), so the `records` query reads one node per record.

It is derived data, typed ``skg:SummaryGraph`` in itself, not an assertion graph; SPEC's
one named graph per assertion holds as before. The totals are kept by SPARQL Update
(``summary/*.ru``) inside the transaction that writes records: the writer marks stale every
entity the old and the new version of a replaced record mention, and `refresh` rolls those
up again. The bulk path (`spacekg.bulk`) loads the partials with the records, then marks
every entity, refreshes all and counts every record's assertions (`rebuild_summary`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
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


def _sequence(*updates: str) -> str:
    """One request running `updates` in order (a trailing ';' of each is dropped)."""
    return " ;\n".join(u.rstrip().rstrip(";") for u in updates)


def record_partials(rec: ox.NamedNode,
                    assertions: Iterable[tuple[ox.NamedNode, int, Iterable[ox.NamedNode]]]) -> Iterator[ox.Quad]:
    """The partial summary quads of record `rec` from its (assertion, rank, mentioned entities):
    as the store would count them, an assertion IRI written twice counts once with all its ranks."""
    mentions: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    ranks: dict[ox.NamedNode, int] = {}
    for node, rank, entities in assertions:
        mentions.setdefault(node, set()).update(entities)
        ranks[node] = min(rank, ranks.get(node, rank))
    count: dict[ox.NamedNode, int] = {}
    best: dict[ox.NamedNode, int] = {}
    for node, entities in mentions.items():
        for e in entities:
            count[e] = count.get(e, 0) + 1
            best[e] = min(ranks[node], best.get(e, ranks[node]))
    for e in sorted(count, key=lambda n: n.value):
        key = hashlib.sha1(f"{rec.value} {e.value}".encode()).hexdigest()
        node = SKGID[f"summary/partial/{key}"]
        yield ox.Quad(node, SKG.aboutEntity, e, SUMMARY_GRAPH)
        yield ox.Quad(node, SKG.aboutRecord, rec, SUMMARY_GRAPH)
        yield ox.Quad(node, SKG.mentionsInRecord, ox.Literal(str(count[e]), datatype=XSD.integer), SUMMARY_GRAPH)
        yield ox.Quad(node, SKG.bestRankInRecord, ox.Literal(str(best[e]), datatype=XSD.integer), SUMMARY_GRAPH)


def mark_records(records: Iterable[ox.NamedNode]) -> str:
    """The update marking stale every entity the partial summaries of `records` name, and
    counting the records' assertions again (run after the records are written)."""
    records = list(records)
    if not records:
        return ""
    block = [render_value_list("rec", records)]
    return _sequence(with_update_blocks(_update("mark-records"), block),
                     with_update_blocks(_update("drop-record-counts"), block),
                     with_update_blocks(_update("record-counts"), block, depth=1))


def drop_records(records: Iterable[ox.NamedNode]) -> str:
    """The update marking the entities of `records`' partial summaries stale, then dropping
    those partials and the records' assertion counts."""
    records = list(records)
    block = [render_value_list("rec", records)]
    return _sequence(with_update_blocks(_update("mark-records"), block),
                     with_update_blocks(_update("drop-records"), block),
                     with_update_blocks(_update("drop-record-counts"), block))


def refresh() -> str:
    """The update rolling up the totals of the stale entities and clearing the marks."""
    return _update("refresh")


def rebuild_summary(store: Store) -> None:
    """Roll up every entity's totals and count every record's assertions, in one request (after
    a bulk load, which loaded the partials)."""
    store.update(_sequence(_update("mark-all"), _update("record-counts"), refresh()))
