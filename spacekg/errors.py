"""The one exception hierarchy of spacekg.

Every error a user can cause or fix is one of these, with a message that says what to
do; backend exceptions are mapped with ``raise … from exc``::

    SpacekgError
    ├── RecordError            bad input: names the file and line (exit 2)
    ├── StoreError             the store cannot be opened, read or written (exit 2)
    │   └── StoreLockedError   another process holds the on-disk store
    ├── QueryError             a query cannot be found, parsed, bound or run (exit 2)
    │   └── ParameterError     a --param value is missing, unknown or ambiguous
    ├── ExportError            an unknown format or projection, or an unwritable output (exit 2)
    └── OntologyError          the ontology cannot be loaded or reasoned over (exit 2)
"""

from __future__ import annotations

__all__ = [
    "ExportError",
    "OntologyError",
    "ParameterError",
    "QueryError",
    "RecordError",
    "SpacekgError",
    "StoreError",
    "StoreLockedError",
]


class SpacekgError(Exception):
    """Base class: anything spacekg raises on purpose."""


class RecordError(SpacekgError):
    """An input record cannot be read; the message names the file and, when known, the line."""

    def __init__(self, source: str, message: str, *, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.reason = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


class StoreError(SpacekgError):
    """The store cannot be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process has the on-disk store open for writing."""


class QueryError(SpacekgError):
    """A query cannot be found, parsed, bound or executed."""


class ParameterError(QueryError):
    """A query parameter is missing, unknown, or matches several entities."""


class ExportError(SpacekgError):
    """An export cannot be produced as asked."""


class OntologyError(SpacekgError):
    """The ontology or its reference data cannot be loaded or reasoned over."""
