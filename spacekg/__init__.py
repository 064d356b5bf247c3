"""spacekg: assertion records about space policy, as an RDF knowledge graph.

Library first: `build` records into a `Store` opened with `open_store`, ask it with
`run_query` (named queries from `library()`), write it out with `export_store`, and check it
against the SHACL shapes with `validate_store` / `validate_file`.
"""

from __future__ import annotations

__version__ = "0.1.0"

from spacekg.build import BuildReport, build
from spacekg.errors import (
    ExportError,
    OntologyError,
    ParameterError,
    QueryError,
    RecordError,
    SpacekgError,
    StoreError,
    StoreLockedError,
    ValidationError,
)
from spacekg.export import export as export_store
from spacekg.graph.store import QueryResult, Store, open_store
from spacekg.loaders.extract import extract_record
from spacekg.loaders.records import read_records
from spacekg.model import Assertion, AssertionRecord, Extraction
from spacekg.queries import library, run_query

__all__ = [
    "Assertion",
    "AssertionRecord",
    "BuildReport",
    "ExportError",
    "Extraction",
    "OntologyError",
    "ParameterError",
    "QueryError",
    "QueryResult",
    "RecordError",
    "SpacekgError",
    "Store",
    "StoreError",
    "StoreLockedError",
    "ValidationError",
    "ValidationReport",
    "__version__",
    "build",
    "export_store",
    "extract_record",
    "library",
    "open_store",
    "read_records",
    "run_query",
    "validate_file",
    "validate_store",
]

_LAZY = {"ValidationReport", "validate_file", "validate_store"}  # pull in rdflib and pySHACL only when used


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from spacekg import validate

        return getattr(validate, name)
    raise AttributeError(f"module 'spacekg' has no attribute {name!r}")
