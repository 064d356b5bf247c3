"""Extraction: turn each `Assertion` of a record into an `Extraction`.

Each stage is a small pure function over the sentence (and the record's context):
mentions (`entities`), quantities (`quantities`), negation and modality (`polarity`),
facts and budgets (`relations`). `extract_record` runs them in that order.
"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES

from spacekg.loaders.extract import gazetteer as _gazetteer
from spacekg.loaders.extract.currency import resolve_currencies
from spacekg.loaders.extract.entities import RecordContext, default_gazetteer, find_mentions
from spacekg.loaders.extract.gazetteer import Gazetteer, tokenize
from spacekg.loaders.extract.polarity import is_negated, modality_of
from spacekg.loaders.extract.quantities import extract_quantities
from spacekg.loaders.extract.relations import find_budgets, find_facts
from spacekg.model import Assertion, AssertionRecord, Extraction

__all__ = ["RecordContext", "extract_assertion", "extract_record", "is_compiled"]


def is_compiled() -> bool:
    """Whether the extraction runs compiled by mypyc (an install with `SPACEKG_COMPILE=1`, see
    setup.py) or as plain Python: the same rules and output, a different speed."""
    return (_gazetteer.__file__ or "").endswith(tuple(EXTENSION_SUFFIXES))


def extract_assertion(assertion: Assertion, context: RecordContext) -> Extraction:
    """Run every stage over one assertion."""
    text = assertion.text
    mentions = find_mentions(text, context, context.tokens[text] if text in context.tokens else tokenize(text))
    quantities = context.quantities[text] if text in context.quantities else extract_quantities(text)
    quantities = resolve_currencies(quantities, mentions, context)
    negated = is_negated(text)
    extraction = Extraction(
        assertion=assertion,
        mentions=mentions,
        quantities=quantities,
        negated=negated,
        modality=modality_of(text),
    )
    extraction.facts = find_facts(text, mentions, context)
    extraction.budgets = find_budgets(text, mentions, quantities, context)
    return extraction


def extract_record(record: AssertionRecord, *, gazetteer: Gazetteer | None = None) -> list[Extraction]:
    """Extract every assertion of `record`, resolving names in the record's own context."""
    context = RecordContext.scan(record, gazetteer or default_gazetteer())
    return [extract_assertion(a, context) for a in record.assertions]
