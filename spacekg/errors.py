"""The one exception hierarchy of spacekg.

Every error a user can cause or fix is one of these, with a message that says what to
do; backend exceptions are mapped with ``raise … from exc``::

    SpacekgError
    ├── RecordError            bad input: names the file and line (exit 2)
    ├── StoreError             the store cannot be opened, read or written (exit 2)
    │   └── StoreLockedError   another process holds the on-disk store
    ├── QueryError             a query cannot be found, parsed, bound or run (exit 2)
    │   ├── ParameterError     a --param value is missing, unknown or ambiguous
    │   └── QueryTimeoutError  a query ran past its time limit (spacekg serve --timeout)
    ├── ExportError            an unknown format or projection, or an unwritable output (exit 2)
    ├── OntologyError          the ontology cannot be loaded or reasoned over (exit 2)
    │   └── MappingError       an SSSOM mapping file is malformed: names the file and line
    ├── LinkingError           reconciliation or enrichment cannot run (bad dataset, options) (exit 2)
    └── ValidationError        the data does not conform to the SHACL shapes (exit 1)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacekg.validate import ValidationReport

__all__ = [
    "ExportError",
    "LinkingError",
    "MappingError",
    "OntologyError",
    "ParameterError",
    "QueryError",
    "QueryTimeoutError",
    "RecordError",
    "SpacekgError",
    "StoreError",
    "StoreLockedError",
    "ValidationError",
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


class QueryTimeoutError(QueryError):
    """A query was stopped, or given up on, when it ran past its time limit."""


class ExportError(SpacekgError):
    """An export cannot be produced as asked."""


class OntologyError(SpacekgError):
    """The ontology or its reference data cannot be loaded or reasoned over."""


class ValidationError(SpacekgError):
    """Data does not conform to the shapes; `report` holds every result, so callers can show
    them all while the message stays one line."""

    def __init__(self, message: str, report: ValidationReport | None = None) -> None:
        self.report = report
        super().__init__(message)


class MappingError(OntologyError):
    """An SSSOM mapping file (``mappings/*.sssom.tsv`` or a review file) is malformed; the
    message names the file and line."""


class LinkingError(SpacekgError):
    """Reconciliation or enrichment cannot run: an unknown dataset, a bad option or file."""
