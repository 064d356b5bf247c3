"""spacekg: assertion records about space policy, as an RDF knowledge graph.

Library first: `build` records into a `Store` opened with `open_store`, ask it with
`run_query` (named queries from `library()`), write it out with `export`.
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
)
from spacekg.export import export
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
    "__version__",
    "build",
    "export",
    "extract_record",
    "library",
    "open_store",
    "read_records",
    "run_query",
]
