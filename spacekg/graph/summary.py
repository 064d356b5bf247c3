"""The summary graph: per-entity and per-pair aggregates the aggregate named queries read.

Counting over every ``skg:mentions`` (about 5 per assertion) is what made queries such as
`entities-by-class` or `co-mentioned-actors` take seconds at 10k assertions and minutes at
1M. The graph ``<https://w3id.org/spacekg/graph/summary>`` keeps, derived from the assertions:

- per mentioned entity: ``skg:mentionCount`` (assertions), ``skg:recordCount`` (records),
  ``skg:bestRank`` (the lowest evidence rank among them);
- per pair of entities mentioned in one assertion, a ``skg:CoMention`` node (IRI from a hash
  of the two, ordered by IRI) with ``skg:firstEntity``, ``skg:secondEntity``, ``skg:weight``
  (assertions mentioning both) and ``skg:bestRank``.

It is derived data, typed ``skg:SummaryGraph`` in itself, not an assertion graph; SPEC's
one named graph per assertion holds as before. It is kept by SPARQL Update (``summary/*.ru``)
inside the transaction that writes records: the writer marks stale every entity the old and
the new version of a replaced record mentions, and `REFRESH` recomputes just those. The bulk
path (`spacekg.bulk`) marks every entity after its load and refreshes all.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources

import pyoxigraph as ox

from spacekg.graph.store import Store
from spacekg.graph.values import render_value_list, with_update_blocks

__all__ = ["SUMMARY_GRAPH", "mark_records", "rebuild_summary", "refresh"]

SUMMARY_GRAPH = ox.NamedNode("https://w3id.org/spacekg/graph/summary")


@cache
def _update(name: str) -> str:
    return (resources.files(__name__.rpartition(".")[0]) / "summary" / f"{name}.ru").read_text(encoding="utf-8")


def mark_records(records: Iterable[ox.NamedNode]) -> str:
    """The update marking stale every entity the assertions of `records` mention now."""
    records = list(records)
    if not records:
        return ""
    return with_update_blocks(_update("mark-records"), [render_value_list("rec", records)])


def refresh() -> str:
    """The update recomputing the aggregates of the stale entities and clearing the marks."""
    return _update("refresh")


def rebuild_summary(store: Store) -> None:
    """Recompute the whole summary graph, in one request (after a bulk load)."""
    store.update(_update("mark-all").rstrip().rstrip(";") + " ;\n" + refresh())
