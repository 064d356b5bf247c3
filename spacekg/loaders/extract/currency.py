"""Currency words several countries share ("pesos", "francs") get the code of the country
the sentence names, else of the country the record talks about most
(``ambiguous_currencies.tsv``); with no such country the reader's default code stays."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from spacekg.loaders.extract.entities import RecordContext
from spacekg.loaders.extract.tables import read_table
from spacekg.model import EntityClass, Mention, Quantity

__all__ = ["resolve_currencies"]


@cache
def _table() -> dict[str, list[tuple[str, str]]]:
    rows = read_table("ambiguous_currencies.tsv")
    table: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        table.setdefault(row["word"], []).append((row["country"], row["code"]))
    return table


def resolve_currencies(quantities: list[Quantity], mentions: list[Mention], context: RecordContext) -> list[Quantity]:
    """The quantities with each shared currency word given its country's ISO 4217 code."""
    table = _table()
    words = [q.surface.split()[-1].casefold() if q.currency else "" for q in quantities]
    if not any(w in table for w in words):
        return quantities
    named = [m.key if m.cls is EntityClass.COUNTRY else context.entity(m.key).country for m in mentions]
    ranked = [key for key, _ in context.country_weight.most_common()]
    resolved = []
    for q, word in zip(quantities, words):
        options = table.get(word)
        if options:
            codes = dict(options)
            country = next((k for k in (*named, *ranked) if k in codes), None)
            if country is not None:
                q = replace(q, currency=codes[country])
        resolved.append(q)
    return resolved
