"""The large-build path: extract in worker processes, stage N-Quads on disk, then load.

`spacekg.build.build` takes this path for large inputs (or when asked). It keeps the
guarantees of the small path without holding every record in memory:

1. Records are read and extracted in chunks of files, in worker processes (records are
   independent; extraction is CPU-bound). Each worker appends its chunks' quads as N-Quads to
   staging files of its own (a new one every `PART_BYTES`), in a staging folder beside the
   store, and hands back only the chunk's span there and its counts. Nothing touches the store
   in this phase, so a bad record or a crash leaves it exactly as it was.
2. Minted entities are described once for the whole build, from label and class counts merged
   over the chunks in record order: the same description the small path gives (one IRI per
   name, the majority label and class, the other spellings as altLabels). Only then (unless
   told not to) is the build validated against the SHACL shapes, once: the descriptions
   together, then each chunk, in the workers, from its staged quads plus the build's
   descriptions of the entities it mints. That is what the small path validates, split by
   record: a check reads one record's quads, the ontology, the reference entities and the
   minted descriptions, never two records' quads together (as the chunk validation of
   session 3 already assumed). So the store never gets data that
   its validation would reject, nor is a build refused for a class its chunk assumed.
3. Only when every record succeeded is the store written:
   - an EMPTY embedded store is bulk-loaded (`Store.bulk_load`: ~4x the transactional speed and
     a compact store), one loader run per staging file, which bounds the loader's memory. On
     disk the load goes into a fresh sibling folder that is swapped in by two renames (`store`
     → trash, sibling → `store`), so a crash mid-load leaves the empty store untouched and a
     crash between the renames leaves no folder, which opens as the same empty store. An
     in-memory store is loaded directly and cleared if the load fails.
   - any other store is written one chunk of records per transaction (each chunk's records
     replaced as the small path replaces them), then the ontology and the minted entities with
     the orphan clean-up in a last transaction. A crash in this phase leaves some records
     replaced and others not, each of them whole; building again completes it (the remote
     store already works this way, see README).
"""

from __future__ import annotations

import gc
import os
import tempfile
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Self, TypeVar

import pyoxigraph as ox

from spacekg.errors import RecordError, SpacekgError, ValidationError

if TYPE_CHECKING:  # pragma: no cover
    from spacekg.build import BuildReport, Progress
    from spacekg.graph.oxigraph_store import OxigraphStore
    from spacekg.graph.store import Store
    from spacekg.graph.writer import MintedCounts
    from spacekg.model import AssertionRecord, Extraction
    from spacekg.validate import ValidationReport

__all__ = ["CHUNK_FILES", "build_staged"]

T = TypeVar("T")

CHUNK_FILES = 8  # record files per worker task: ~500 assertions, a few MiB of quads


@dataclass
class Chunk:
    """What a worker hands back for a chunk of files: data, never live objects or exceptions.
    Its quads are not among them: the worker appended them to a staging file of its own."""

    staged: tuple[str, int, int] = ("", 0, 0)  # (staging file, start, end): the chunk's N-Quads
    names: list[tuple[str, str]] = field(default_factory=list)  # (record name, source)
    reports: list = field(default_factory=list)  # RecordReport
    new_entities: list = field(default_factory=list)  # (key, NewEntity): first mention in the chunk
    classes: dict[str, str] = field(default_factory=dict)  # entity key → last class seen
    minted: MintedCounts | None = None  # what the chunk's records say of the entities they mint
    issues: list = field(default_factory=list)
    files: int = 0
    error: tuple[str, str, int | None] | None = None  # (source, message, line) of a RecordError
    failure: str | None = None  # any other SpacekgError, as text


@dataclass(frozen=True)
class Staged:
    """Where a chunk's N-Quads lie in a staging file, with its records and the entities it mints."""

    path: str
    start: int
    end: int
    names: list[str]  # record names
    sources: list[str]  # record files
    minted_keys: list[str]

    def read(self) -> bytes:
        with open(self.path, "rb") as data:
            data.seek(self.start)
            return data.read(self.end - self.start)


PART_BYTES = 128 * 1024 * 1024  # a staging file this large is closed (and bulk-loaded); its worker starts another
_parts: dict[str, tuple[BinaryIO, int]] = {}  # staging folder → this process's open part, its number


def _append(staging_dir: str, data: bytes) -> tuple[str, int, int]:
    """Append `data` to this process's current staging file in `staging_dir`; its span there."""
    out, number = _parts.get(staging_dir, (None, 0))
    if out is None or out.tell() >= PART_BYTES:
        if out is not None:
            out.close()
        number += 1
        out = open(Path(staging_dir) / f"part-{os.getpid()}-{number:04d}.nq", "ab")  # noqa: SIM115 (kept open)
        _parts[staging_dir] = (out, number)
    start = out.tell()
    out.write(data)
    out.flush()  # a forked worker ends by os._exit, which flushes nothing; the parent reads it next
    return out.name, start, out.tell()


def _close_parts(staging_dir: str) -> None:
    out, _ = _parts.pop(staging_dir, (None, 0))
    if out is not None:
        out.close()


def _work(files: Sequence[str], staging_dir: str) -> Chunk:
    """Read, extract and serialise a chunk of record files to this worker's staging file (runs
    in a worker). Validation waits until the build has settled its minted entities."""
    from spacekg.build import summarise
    from spacekg.graph.writer import MintedCounts
    from spacekg.loaders.extract import extract_record
    from spacekg.loaders.records import read_records

    chunk = Chunk(files=len(files))
    try:
        extracted = [(record, extract_record(record)) for f in files for record in read_records(f)]
        data = _chunk_nquads(extracted)
        chunk.minted = MintedCounts.of(extracted)
    except RecordError as exc:
        chunk.error = (exc.source, exc.reason, exc.line)
        return chunk
    except SpacekgError as exc:
        chunk.failure = str(exc)
        return chunk
    for record, extractions in extracted:
        chunk.names.append((record.name, record.source))
        summarise(record, extractions, chunk.reports, chunk.new_entities, chunk.classes, chunk.issues)
    try:
        chunk.staged = _append(staging_dir, data)
    except OSError as exc:  # e.g. the disk is full
        chunk.failure = f"cannot write a staging file in {staging_dir}: {exc.strerror or exc}; free some space there"
    return chunk


def _chunk_nquads(extracted: Sequence[tuple[AssertionRecord, Sequence[Extraction]]]) -> bytes:
    """The N-Quads a chunk's records write (their quads; the minted entities come later)."""
    from spacekg.graph.writer import record_nquads

    return b"".join(record_nquads(record, extractions) for record, extractions in extracted)


def _chunks(files: Sequence[Path], size: int) -> Iterator[list[str]]:
    for i in range(0, len(files), size):
        yield [str(f) for f in files[i:i + size]]


@contextmanager
def _pool(workers: int) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes for both phases of a build (none with one worker: all runs here).
    fork: workers start at once with the parent's modules (and gazetteer, if built) and need no
    `if __name__ == "__main__"` guard in the caller's script; they never touch the store the
    parent holds open, only read files, compute and write their staging files."""
    if workers <= 1:
        yield None
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork"), initializer=_worker_gc) as pool:
        try:
            yield pool
        except BaseException:
            pool.shutdown(cancel_futures=True)  # the build has failed: do not wait for the other chunks
            raise


WORKER_GC_THRESHOLD = 50_000  # the workers' first-generation gc threshold (Python's default: 700)


def _worker_gc() -> None:
    """A worker's garbage collector, set for a long run of short-lived objects: what it inherits
    from the parent (modules, gazetteer) is frozen out of every collection, and collections
    start after `WORKER_GC_THRESHOLD` allocations instead of 700 (extraction and writing make
    few cycles; at 700, collections took ~10 % of a worker's CPU on the 10k corpus, none at
    50,000). Process-wide settings, so only in the build's own processes."""
    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])


def _in_order(pool: ProcessPoolExecutor | None, fn: Callable[..., T], tasks: Iterable[tuple], ahead: int
              ) -> Iterator[T]:
    """`fn(*task)` for each task, in task order; at most `ahead` tasks in flight."""
    if pool is None:
        for task in tasks:
            yield fn(*task)
        return
    pending: deque[Future] = deque()
    for task in tasks:
        pending.append(pool.submit(fn, *task))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def build_staged(files: Sequence[Path], store: Store, report: BuildReport, *, validate: bool = True,
                 workers: int | None = None, progress: Progress | None = None,
                 staging_dir: Path | None = None) -> BuildReport:
    """Build `files` into `store` through N-Quads staging files (see the module docstring)."""
    from spacekg.graph.oxigraph_store import OxigraphStore

    workers = workers if workers is not None else max(1, min(len(os.sched_getaffinity(0)), 8))
    if staging_dir is None and isinstance(store, OxigraphStore) and store.location != "memory:":
        staging_dir = Path(store.location).resolve().parent  # beside the store: same disk, renames stay cheap
    report.quads_before = len(store)
    with tempfile.TemporaryDirectory(prefix=".spacekg-staging-", dir=staging_dir) as folder, _pool(workers) as pool:
        try:
            _build(files, store, report, folder, pool, validate=validate, workers=workers, progress=progress)
        finally:
            _close_parts(folder)  # with one worker, this process wrote the parts
    report.quads_after = len(store)
    if progress:
        progress("write", 1)
    return report


def _build(files: Sequence[Path], store: Store, report: BuildReport, folder: str, pool: ProcessPoolExecutor | None,
           *, validate: bool, workers: int, progress: Progress | None) -> None:
    from spacekg.graph.oxigraph_store import OxigraphStore
    from spacekg.graph.writer import MintedCounts, minted_quads_from_counts, record_iri, replace_staged
    from spacekg.ontology import ontology_quads

    first_source: dict[str, str] = {}
    iris: dict[str, str] = {}  # record IRI → the first record name that gave it
    counts = MintedCounts()
    classes: dict[str, str] = {}
    staged: list[Staged] = []
    with ExitStack() as stack:
        loader = (stack.enter_context(_Loader(store)) if isinstance(store, OxigraphStore) and store.is_empty()
                  else None)
        for chunk in _in_order(pool, _work, ((task, folder) for task in _chunks(files, CHUNK_FILES)), 2 * workers):
            if chunk.error:
                source, message, line = chunk.error
                raise RecordError(source, message, line=line)
            if chunk.failure:
                raise SpacekgError(chunk.failure)
            for name, source in chunk.names:
                if name in first_source:
                    raise RecordError(source, f"record name {name!r} is also used by {first_source[name]}; "
                                              "rename one file")
                first_source[name] = source
                other = iris.setdefault(record_iri(name).value, name)
                if validate and other != name:  # in two files, so two dcterms:source: the small path refuses it
                    raise ValidationError(f"{source}: records {name!r} and {other!r} ({first_source[other]}) "
                                          f"get one IRI {record_iri(name)}, with two sources; rename one file; "
                                          "nothing was written")
            staged.append(Staged(*chunk.staged, [name for name, _ in chunk.names], [source for _, source in chunk.names],
                           list(chunk.minted.labels) if chunk.minted else []))
            if loader:
                loader.staged(Path(chunk.staged[0]))
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
        if validate:
            _validate(pool, staged, minted, workers)
        shared = [*ontology_quads(), *minted]
        if loader is None:
            replace_staged(store, _parsed(staged), shared)
            return
        (Path(folder) / "shared.nq").write_bytes(ox.serialize(shared, format=ox.RdfFormat.N_QUADS) or b"")
        loader.finish(Path(folder) / "shared.nq")
    from spacekg.graph.summary import rebuild_summary

    rebuild_summary(store)  # one transaction after the load; a crash before it: build again (README)


class _Loader:
    """Bulk-loads the staging files of a build into an empty embedded store while the build goes
    on (`OxigraphStore.bulk_loading`: into a fresh folder, swapped in only when the block ends
    without an error, so a failing build still leaves the store as it was). A worker's staging
    file is loaded, in a background thread, once the worker has moved on to its next one."""

    def __init__(self, store: OxigraphStore) -> None:
        self._loading = store.bulk_loading(written_by_oxigraph=True)  # record_nquads, ox.serialize
        self._current: dict[str, Path] = {}  # writer ("part-<pid>") → the file it is writing
        self._done: list[Future] = []

    def __enter__(self) -> Self:
        self._load = self._loading.__enter__()
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spacekg-bulk-load")
        return self

    def staged(self, part: Path) -> None:
        """A chunk was staged in `part`: its writer's previous file is complete."""
        writer = part.name.rsplit("-", 1)[0]
        previous = self._current.get(writer)
        if previous != part:
            if previous is not None:
                self._done.append(self._thread.submit(self._load, previous))
            self._current[writer] = part

    def finish(self, shared: Path) -> None:
        """Load the files still open and `shared`; wait for every load (raising its error)."""
        for part in [*self._current.values(), shared]:
            self._done.append(self._thread.submit(self._load, part))
        self._current.clear()
        for done in self._done:
            done.result()

    def __exit__(self, *exc: object) -> bool | None:
        self._thread.shutdown(wait=True, cancel_futures=exc[0] is not None)  # a load cannot be stopped midway
        return self._loading.__exit__(*exc)


def _validate(pool: ProcessPoolExecutor | None, staged: Sequence[Staged], minted: Sequence[ox.Quad],
              workers: int) -> None:
    """Validate what the build writes, once, with the minted entities as the whole build settles
    them (`minted`: their descriptions): the descriptions together, then each chunk's quads with
    the descriptions of the entities it mints (checks never cross records otherwise). Raise
    `ValidationError` for the first failure (input order); nothing has been written."""
    from spacekg.graph.writer import entity_iri
    from spacekg.validate import validate_quads

    if minted:
        _raise_first([validate_quads(minted, source="minted entities")])
    description: dict[ox.NamedNode, list[ox.Quad]] = defaultdict(list)  # minted entity → its quads
    for q in minted:
        description[q.subject].append(q)

    def tasks() -> Iterator[tuple[Staged, bytes]]:
        for chunk in staged:
            described = [q for key in chunk.minted_keys for q in description[entity_iri(key)]]
            yield chunk, ox.serialize(described, format=ox.RdfFormat.N_QUADS) or b""

    _raise_first(_in_order(pool, _validate_one, tasks(), 2 * workers))


def _raise_first(reports: Iterable[ValidationReport]) -> None:
    for checked in reports:
        if not checked.conforms:
            raise ValidationError(f"{checked.summary()}; nothing was written", report=checked)


def _validate_one(chunk: Staged, minted: bytes) -> ValidationReport:
    """One chunk's staged quads plus the build's descriptions of the entities it mints (in a worker)."""
    from spacekg.validate import validate_nquads

    return validate_nquads(chunk.read() + minted, chunk.sources)


def _parsed(staged: Sequence[Staged]) -> Iterator[tuple[list[str], list[ox.Quad]]]:
    """Each staged chunk's record names and quads, read back from its staging file."""
    for chunk in staged:
        yield chunk.names, list(ox.parse(chunk.read(), format=ox.RdfFormat.N_QUADS))
