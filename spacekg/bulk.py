"""The large-build path: extract in worker processes, stage N-Quads on disk, then load.

`spacekg.build.build` takes this path for large inputs (or when asked). It keeps the
guarantees of the small path without holding every record in memory:

1. Records are read, extracted and (unless told not to) validated against the SHACL shapes in
   chunks of files, in worker processes (records are independent; extraction and validation are
   CPU-bound). Each chunk's quads are serialised to one N-Quads staging file beside the store.
   Nothing touches the store in this phase, so a bad record, a failing shape or a crash leaves
   it exactly as it was.
2. Minted entities are described once for the whole build, from label and class counts merged
   over the chunks in record order: the same description the small path gives (one IRI per
   name, the majority label and class, the other spellings as altLabels). A worker validated
   its chunk with the classes its own records give; every chunk that mentions an entity whose
   build-wide class differs is validated again, in the workers, with the build's descriptions,
   so the store never gets data that its validation would reject.
3. Only when every record succeeded is the store written:
   - an EMPTY embedded store is bulk-loaded (`Store.bulk_load`: ~4x the transactional speed and
     a compact store). On disk the load goes into a fresh sibling folder that is swapped in by
     two renames (`store` → trash, sibling → `store`), so a crash mid-load leaves the empty
     store untouched and a crash between the renames leaves no folder, which opens as the same
     empty store. An in-memory store is loaded directly and cleared if the load fails.
   - any other store is written one chunk of records per transaction (each chunk's records
     replaced as the small path replaces them), then the ontology and the minted entities with
     the orphan clean-up in a last transaction. A crash in this phase leaves some records
     replaced and others not, each of them whole; building again completes it (the remote
     store already works this way, see README).
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from spacekg.errors import RecordError, SpacekgError, ValidationError

if TYPE_CHECKING:  # pragma: no cover
    from spacekg.graph.writer import MintedCounts
    from spacekg.build import BuildReport, Progress
    from spacekg.graph.store import Store
    from spacekg.validate import ValidationReport

__all__ = ["CHUNK_FILES", "build_staged"]

CHUNK_FILES = 8  # record files per worker task: ~500 assertions, a few MiB of quads


@dataclass
class Chunk:
    """What a worker hands back for a chunk of files: data, never live objects or exceptions."""

    nquads: bytes = b""
    names: list[tuple[str, str]] = field(default_factory=list)  # (record name, source)
    reports: list = field(default_factory=list)  # RecordReport
    new_entities: list = field(default_factory=list)  # (key, NewEntity): first mention in the chunk
    classes: dict[str, str] = field(default_factory=dict)  # entity key → last class seen
    minted: MintedCounts | None = None  # what the chunk's records say of the entities they mint
    issues: list = field(default_factory=list)
    files: int = 0
    error: tuple[str, str, int | None] | None = None  # (source, message, line) of a RecordError
    invalid: ValidationReport | None = None
    failure: str | None = None  # any other SpacekgError, as text



def _work(files: Sequence[str], validate: bool) -> Chunk:
    """Read, extract, validate and serialise a chunk of record files (runs in a worker)."""
    from spacekg.build import summarise
    from spacekg.graph.writer import MintedCounts, minted_quads_from_counts, record_quads
    from spacekg.loaders.extract import extract_record
    from spacekg.loaders.records import read_records

    chunk = Chunk(files=len(files))
    try:
        extracted = [(record, extract_record(record)) for f in files for record in read_records(f)]
        quads = [q for record, extractions in extracted for q in record_quads(record, extractions)]
        chunk.minted = MintedCounts.of(extracted)  # counted once: validated with here, merged by the parent
        if validate and extracted:
            from spacekg.validate import validate_written

            checked = validate_written([*quads, *minted_quads_from_counts(chunk.minted)],
                                       [record.source for record, _ in extracted])
            if not checked.conforms:
                chunk.invalid = checked
                return chunk
    except RecordError as exc:
        chunk.error = (exc.source, exc.reason, exc.line)
        return chunk
    except SpacekgError as exc:
        chunk.failure = str(exc)
        return chunk
    for record, extractions in extracted:
        chunk.names.append((record.name, record.source))
        summarise(record, extractions, chunk.reports, chunk.new_entities, chunk.classes, chunk.issues)
    chunk.nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    return chunk


def _chunks(files: Sequence[Path], size: int) -> Iterator[list[str]]:
    for i in range(0, len(files), size):
        yield [str(f) for f in files[i:i + size]]


def _results(files: Sequence[Path], validate: bool, workers: int) -> Iterator[Chunk]:
    """Chunk results in input order; at most 2 × workers chunks in flight."""
    tasks = _chunks(files, CHUNK_FILES)
    if workers <= 1:
        for task in tasks:
            yield _work(task, validate)
        return
    # fork: workers start at once with the parent's modules (and gazetteer, if built) and
    # need no `if __name__ == "__main__"` guard in the caller's script; they never touch the
    # store the parent holds open, only read files and compute
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        pending: list[Future] = []
        for task in tasks:
            pending.append(pool.submit(_work, task, validate))
            if len(pending) >= 2 * workers:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def build_staged(files: Sequence[Path], store: Store, report: BuildReport, *, validate: bool = True,
                 workers: int | None = None, progress: Progress | None = None,
                 staging_dir: Path | None = None) -> BuildReport:
    """Build `files` into `store` through an N-Quads staging file (see the module docstring)."""
    from spacekg.graph.writer import MintedCounts, minted_quads_from_counts
    from spacekg.ontology import ontology_quads

    workers = workers if workers is not None else max(1, min(len(os.sched_getaffinity(0)), 8))
    from spacekg.graph.oxigraph_store import OxigraphStore

    if staging_dir is None and isinstance(store, OxigraphStore) and store.location != "memory:":
        staging_dir = Path(store.location).resolve().parent  # beside the store: same disk, renames stay cheap
    report.quads_before = len(store)
    first_source: dict[str, str] = {}
    counts = MintedCounts()
    classes: dict[str, str] = {}
    spans: list[tuple[int, int, list[str]]] = []  # per chunk: staging-file byte range, record names
    assumed: list[tuple[list[str], dict[str, str]]] = []  # per chunk: sources, minted classes validated with
    with tempfile.NamedTemporaryFile(prefix=".spacekg-staging-", suffix=".nq",
                                     dir=staging_dir, delete=True) as staging:
        for chunk in _results(files, validate, workers):
            if chunk.error:
                source, message, line = chunk.error
                raise RecordError(source, message, line=line)
            if chunk.failure:
                raise SpacekgError(chunk.failure)
            if chunk.invalid is not None:
                raise ValidationError(f"{chunk.invalid.summary()}; nothing was written", report=chunk.invalid)
            for name, source in chunk.names:
                if name in first_source:
                    raise RecordError(source, f"record name {name!r} is also used by {first_source[name]}; "
                                              "rename one file")
                first_source[name] = source
            start = staging.tell()
            staging.write(chunk.nquads)
            spans.append((start, staging.tell(), [name for name, _ in chunk.names]))
            if validate:
                assumed.append(([source for _, source in chunk.names], chunk.minted.assumed() if chunk.minted else {}))
            report.records.extend(chunk.reports)
            report.issues.extend(chunk.issues)
            report.new_entities.extend(entity for key, entity in chunk.new_entities if key not in classes)
            classes.update(chunk.classes)
            if chunk.minted:
                counts.merge(chunk.minted)
            if progress:
                progress("read", chunk.files)
                progress("extract", len(chunk.names))
        if not first_source:
            raise RecordError(", ".join(map(str, files)) or ".", "no record files (.txt, .csv, .jsonl) found")
        report.entities = len(classes)
        report.entities_by_class = Counter(classes.values())
        minted = list(minted_quads_from_counts(counts))
        if validate and minted:  # each minted description, as the whole build settles it
            from spacekg.validate import validate_quads

            checked = validate_quads(minted, source="minted entities")
            if not checked.conforms:
                raise ValidationError(f"{checked.summary()}; nothing was written", report=checked)
        staging.flush()
        if validate:
            _recheck(Path(staging.name), spans, assumed, counts, workers)
        shared = [*ontology_quads(), *minted]
        _write(store, Path(staging.name), spans, shared)
    report.quads_after = len(store)
    if progress:
        progress("write", 1)
    return report


def _recheck(staging: Path, spans: list[tuple[int, int, list[str]]], assumed: list[tuple[list[str], dict[str, str]]],
             counts: MintedCounts, workers: int) -> None:
    """Validate again, with the build's minted descriptions, each chunk validated with a class
    the build did not settle on; raise `ValidationError` for the first that fails (input order)."""
    from spacekg.graph.writer import minted_quads_from_counts

    tasks = []
    for (start, end, _), (sources, chunk_classes) in zip(spans, assumed, strict=True):
        if any(counts.settled_class(key) != cls for key, cls in chunk_classes.items()):
            minted = minted_quads_from_counts(counts, chunk_classes)
            tasks.append((str(staging), start, end, ox.serialize(minted, format=ox.RdfFormat.N_QUADS) or b"", sources))
    if workers <= 1 or len(tasks) <= 1:
        reports: Iterator[ValidationReport] = (_recheck_one(*task) for task in tasks)
        _raise_first(reports)
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=get_context("fork")) as pool:
        try:
            _raise_first(pool.map(_recheck_one, *zip(*tasks, strict=True)))
        except BaseException:
            pool.shutdown(cancel_futures=True)  # the build has failed: do not wait for the other chunks
            raise


def _raise_first(reports: Iterable[ValidationReport]) -> None:
    for checked in reports:
        if not checked.conforms:
            raise ValidationError(f"{checked.summary()}; nothing was written", report=checked)


def _recheck_one(staging: str, start: int, end: int, minted: bytes, sources: list[str]) -> ValidationReport:
    """One chunk's staged quads plus the build's descriptions of the entities it mints (in a worker)."""
    from spacekg.validate import validate_written

    with open(staging, "rb") as data:
        data.seek(start)
        quads = list(ox.parse(data.read(end - start), format=ox.RdfFormat.N_QUADS))
    quads.extend(ox.parse(minted, format=ox.RdfFormat.N_QUADS))
    return validate_written(quads, sources)


def _write(store: Store, staging: Path, spans: list[tuple[int, int, list[str]]], shared: list[ox.Quad]) -> None:
    """Load the staged quads: bulk into an empty embedded store, else chunk by chunk."""
    from spacekg.graph.oxigraph_store import OxigraphStore
    from spacekg.graph.writer import replace_staged

    if isinstance(store, OxigraphStore) and store.is_empty():
        with staging.open("ab") as out:
            out.write(ox.serialize(shared, format=ox.RdfFormat.N_QUADS) or b"")
        store.bulk_load_into_empty(staging, written_by_oxigraph=True)  # workers serialised it with ox.serialize
        from spacekg.graph.summary import rebuild_summary

        rebuild_summary(store)  # one transaction after the load; a crash before it: build again (README)
        return

    def parts() -> Iterator[tuple[list[str], list[ox.Quad]]]:
        with staging.open("rb") as data:
            for start, end, names in spans:
                data.seek(start)
                yield names, list(ox.parse(data.read(end - start), format=ox.RdfFormat.N_QUADS))

    replace_staged(store, parts(), shared)
