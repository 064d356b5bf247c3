"""Build records into a store: read everything, extract everything, then write once.

Every input is read and extracted before the store is touched, and the write is one
transaction, so a bad file or a crash leaves the store exactly as it was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacekg.errors import RecordError, ValidationError
from spacekg.graph.store import Store
from spacekg.graph.writer import replace_records
from spacekg.loaders.extract import extract_record
from spacekg.loaders.records import find_record_files, read_records
from spacekg.model import AssertionRecord, Extraction, Issue
from spacekg.ontology import ONTOLOGY_GRAPH, ontology_quads

__all__ = ["STAGED_BYTES", "BuildReport", "NewEntity", "RecordReport", "build", "summarise"]


@dataclass(frozen=True)
class RecordReport:
    """What one record contributed."""

    name: str
    source: str
    assertions: int
    mentions: int
    entities: int
    quantities: int
    facts: int
    budgets: int
    negated: int


@dataclass(frozen=True)
class NewEntity:
    """An entity the reference data did not know, minted from a record's text."""

    label: str
    cls: str
    reason: str
    record: str
    line: int  # where it is first mentioned
    surface: str


@dataclass
class BuildReport:
    """The outcome of a build, for the CLI's summary and for tests."""

    records: list[RecordReport] = field(default_factory=list)
    new_entities: list[NewEntity] = field(default_factory=list)
    entities: int = 0  # distinct entities mentioned across the records built
    entities_by_class: Counter = field(default_factory=Counter)
    quads_before: int = 0
    quads_after: int = 0
    issues: list[Issue] = field(default_factory=list)

    @property
    def assertions(self) -> int:
        return sum(r.assertions for r in self.records)


Progress = Callable[[str, int], None]  # (what, advance) callback for progress bars
STAGED_BYTES = 2 * 1024 * 1024  # record files this large in all (~10,000 assertions) take the staged path


def read_all(paths: Iterable[str | Path], progress: Progress | None = None) -> list[AssertionRecord]:
    """Read every record file, refusing two records with the same name."""
    records: list[AssertionRecord] = []
    first_source: dict[str, str] = {}
    for path in find_record_files(paths):
        for record in read_records(path):
            if record.name in first_source:
                raise RecordError(
                    record.source,
                    f"record name {record.name!r} is also used by {first_source[record.name]}; rename one file",
                )
            first_source[record.name] = record.source
            records.append(record)
        if progress:
            progress("read", 1)
    if not records:
        raise RecordError(", ".join(map(str, paths)) or ".", "no record files (.txt, .csv, .jsonl) found")
    return records


def summarise(record: AssertionRecord, extractions: Sequence[Extraction], reports: list[RecordReport],
              new_entities: list[tuple[str, NewEntity]], classes: dict[str, str], issues: list[Issue]) -> None:
    """Add what one record contributed to the running report: its row, the entities first
    met in it that the reference data does not know, the class of each entity it mentions."""
    for x in extractions:
        for m in x.mentions:
            if not m.known and m.key not in classes:
                new_entities.append((m.key, NewEntity(m.label, m.cls.value, m.reason, record.source,
                                                      x.assertion.line, m.surface)))
            classes[m.key] = m.cls.value
        issues.extend(x.issues)
    reports.append(RecordReport(
        name=record.name,
        source=record.source,
        assertions=len(extractions),
        mentions=sum(len({m.key for m in x.mentions}) for x in extractions),
        entities=len({m.key for x in extractions for m in x.mentions}),
        quantities=sum(len(x.quantities) for x in extractions),
        facts=sum(len(x.facts) for x in extractions),
        budgets=sum(len(x.budgets) for x in extractions),
        negated=sum(x.negated for x in extractions),
    ))


def build(paths: Iterable[str | Path], store: Store, *, progress: Progress | None = None,
          validate: bool = True, staged: bool | None = None, workers: int | None = None) -> BuildReport:
    """Read, extract and write records; the store changes only if everything succeeds.

    With `validate` (the default) the quads about to be written are checked against the
    SHACL shapes first, and a record that does not conform raises `ValidationError` with
    the store untouched; bulk builds may skip it (~0.4 ms CPU per assertion).

    Inputs of `STAGED_BYTES` or more (or any input with `staged=True`) take the large-build
    path of `spacekg.bulk`: extraction and validation in `workers` processes (default: one per
    core), quads staged on disk, then bulk-loaded into an empty store or written a chunk of
    records per transaction into a non-empty one. The result is the same dataset.
    """
    paths = list(paths)
    if staged is None:
        staged = sum(f.stat().st_size for f in find_record_files(paths)) >= STAGED_BYTES
    if staged:
        from spacekg.bulk import build_staged

        return build_staged(find_record_files(paths), store, BuildReport(), validate=validate, workers=workers,
                            progress=progress)
    records = read_all(paths, progress)
    extracted: list[tuple[AssertionRecord, list[Extraction]]] = []
    for record in records:
        extracted.append((record, extract_record(record)))
        if progress:
            progress("extract", 1)
    report = BuildReport(quads_before=len(store))
    classes: dict[str, str] = {}
    new_entities: list[tuple[str, NewEntity]] = []
    for record, extractions in extracted:
        summarise(record, extractions, report.records, new_entities, classes, report.issues)
    report.new_entities = [entity for _, entity in new_entities]
    report.entities = len(classes)
    report.entities_by_class = Counter(classes.values())
    if validate:
        from spacekg.validate import validate_records

        checked = validate_records(extracted)
        if not checked.conforms:
            raise ValidationError(f"{checked.summary()}; nothing was written", report=checked)
    replace_records(store, extracted, extra=ontology_quads(), replace_graphs=[ONTOLOGY_GRAPH])
    report.quads_after = len(store)
    if progress:
        progress("write", 1)
    return report
