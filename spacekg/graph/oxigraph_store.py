"""The default store: embedded Oxigraph (RocksDB on disk, or in memory)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from spacekg.errors import QueryError, QueryTimeoutError, StoreError, StoreLockedError
from spacekg.graph.store import QueryResult, Term
from spacekg.graph.values import with_values

__all__ = ["OxigraphStore", "insert_data", "result_from_oxigraph"]


class OxigraphStore:
    """A pyoxigraph `Store`; one process at a time may open an on-disk store."""

    supports_update = True

    def __init__(self, path: Path | None) -> None:
        self.location = str(path) if path else "memory:"
        try:
            if path is None:
                self._store = ox.Store()
            else:
                if path.exists() and not path.is_dir():
                    raise StoreError(f"{path} is a file, not a store folder; pass a folder path as --store")
                if not path.exists() and not path.parent.is_dir():
                    what = "is a file, not a folder" if path.parent.exists() else "does not exist"
                    raise StoreError(f"cannot create the store {path}: its parent {path.parent} {what}; "
                                     "create the parent folder first or pass another --store")
                self._store = ox.Store(str(path))
        except OSError as exc:
            text = str(exc)
            if "lock" in text.lower():
                raise StoreLockedError(
                    f"the store {path} is in use by another spacekg process; wait for it to finish "
                    "or query it through 'spacekg serve'"
                ) from exc
            if "permission denied" in text.lower():
                raise StoreError(
                    f"cannot open the store {path}: permission denied ({text.strip().splitlines()[0]}); the "
                    "embedded store needs write access to its folder and files, even to read"
                ) from exc
            raise StoreError(f"cannot open the store {path}: {text}") from exc

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None,
              deadline: float | None = None) -> QueryResult:
        """Run a query; past `deadline` (a `time.monotonic()` value) stop reading solutions and
        raise `QueryTimeoutError`. Oxigraph evaluates lazily, so this stops a streaming query;
        one that must finish a sort or an aggregate before its first solution cannot be
        interrupted from Python and runs to its end."""
        substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        if bindings and all(isinstance(v, ox.NamedNode | ox.Literal) for v in bindings.values()):
            # Oxigraph 0.5 applies substitutions after planning the joins, so a bound entity does
            # not narrow the first pattern read (96 ms vs 0.4 ms for a name lookup at 10k
            # assertions); the same bindings as a VALUES block (the audited renderer) lead the plan,
            # while the substitutions keep binding SERVICE endpoints and the projection.
            sparql = with_values(sparql, bindings)
        try:
            result = self._store.query(sparql, substitutions=substitutions or None)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"cannot read the store {self.location}: {exc}") from exc
        except RuntimeError as exc:  # e.g. a substituted variable missing from the projection
            raise QueryError(f"{exc}; a query parameter must be one of the SELECT variables") from exc
        return result_from_oxigraph(result, deadline=deadline)

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL update syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"cannot write the store {self.location}: {exc}") from exc

    def replace(self, before: str, quads: Iterable[ox.Quad], *, after: str = "") -> None:
        # one SPARQL update request is one Oxigraph transaction
        request = ";\n".join(part for part in (before.strip(), insert_data(quads), after.strip()) if part)
        self.update(request)

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        try:
            self._store.extend(quads)
        except OSError as exc:
            raise StoreError(f"cannot write the store {self.location}: {exc}") from exc

    def is_empty(self) -> bool:
        """Without counting (`len` reads every quad)."""
        return next(iter(self._store.quads_for_pattern(None, None, None, None)), None) is None

    def bulk_load_into_empty(self, nquads: Path | Sequence[Path], *, written_by_oxigraph: bool = False) -> None:
        """Bulk-load N-Quads files into this store, which must be empty (see `bulk_loading`)."""
        with self.bulk_loading(written_by_oxigraph=written_by_oxigraph) as load:
            for f in [nquads] if isinstance(nquads, Path) else nquads:
                load(f)

    @contextmanager
    def bulk_loading(self, *, written_by_oxigraph: bool = False) -> Iterator[Callable[[Path], None]]:
        """Bulk-load N-Quads files into this store, which must be empty: the block calls the
        `load(file)` it is given for each file (one call at a time, from any thread; the loader
        releases the GIL), and the store holds them all once the block ends, or is unchanged
        (empty) if it raises. One loader run per file: the loader's memory grows with its input
        up to ~2 GiB per thread, so files of a bounded size bound it.

        `written_by_oxigraph`: the files were written as Oxigraph writes them, from terms it had
        already checked (a build's staging files: `record_nquads`, whose output a test checks
        against Oxigraph's serialiser byte for byte), so the loader may skip re-validating IRIs
        (``lenient``; ~40 % less wall time on 3.8M quads here). Never for outside files.

        `Store.bulk_load` is not transactional, so on disk it loads a fresh sibling folder,
        which then replaces the (empty) store by two renames: a crash before them leaves the
        store as it was, and a crash between them leaves no folder, which opens as the same
        empty store. In memory a failed load is undone by clearing the store."""
        if not self.is_empty():
            raise StoreError(f"cannot bulk-load into {self.location}: the store is not empty")
        target: list[ox.Store] = [self._store]

        def load(nquads: Path) -> None:
            try:
                target[0].bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS, lenient=written_by_oxigraph)
            except OSError as exc:
                raise StoreError(f"cannot bulk-load into {self.location}: {exc}") from exc

        if self.location == "memory:":
            try:
                yield load
            except BaseException:
                self._store.clear()
                raise
            return
        path = Path(self.location)
        fresh = path.with_name(f".{path.name}.bulk-{os.getpid()}")
        trash = path.with_name(f".{path.name}.old-{os.getpid()}")
        for leftover in (fresh, trash):  # from an earlier crash of this same pid number
            shutil.rmtree(leftover, ignore_errors=True)
        try:
            target[0] = ox.Store(str(fresh))
            yield load
            target[0].flush()
        except BaseException:
            target.clear()  # closes the sibling store
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        target.clear()
        try:
            del self._store  # releases RocksDB's lock on `path`
            os.rename(path, trash)
            os.rename(fresh, path)
        except OSError as exc:
            shutil.rmtree(fresh, ignore_errors=True)
            if not path.exists() and trash.exists():
                os.rename(trash, path)
            raise StoreError(f"cannot bulk-load into {self.location}: {exc}") from exc
        finally:
            if not hasattr(self, "_store"):
                self._store = ox.Store(str(path))
        shutil.rmtree(trash, ignore_errors=True)

    def optimize(self) -> None:
        """Compact the on-disk store now (RocksDB would do it in the background): after a large
        build's bulk loads the first queries otherwise meet the compaction (measured 1.5-4x
        slower at 100k assertions; see docs/BENCHMARKS.md, Build pipeline: session 5)."""
        try:
            self._store.optimize()
        except OSError as exc:
            raise StoreError(f"cannot compact the store {self.location}: {exc}") from exc

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self._store.quads_for_pattern(None, None, None, None))

    def dump(self, output: BinaryIO, *, format: ox.RdfFormat, prefixes: Mapping[str, str] | None = None) -> None:
        """Write the dataset in a quad format (TriG, N-Quads, JSON-LD)."""
        try:
            self._store.dump(output, format=format, prefixes=dict(prefixes or {}) or None)
        except OSError as exc:  # reading the store or writing the output (a full disk, a closed pipe)
            raise StoreError(f"cannot dump the store {self.location} to {getattr(output, 'name', 'the output')}: "
                             f"{exc}") from exc

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        try:
            if self.location != "memory:":
                self._store.flush()
        except OSError as exc:  # e.g. the disk is full: committed data stays in the log, the rest is lost
            raise StoreError(f"cannot flush the store {self.location}: {exc}") from exc
        finally:
            del self._store


def insert_data(quads: Iterable[ox.Quad]) -> str:
    """An INSERT DATA request for `quads`; terms are written by pyoxigraph (escaped N-Triples)."""
    default: list[str] = []
    named: dict[str, list[str]] = {}
    for q in quads:
        triple = f"{q.subject} {q.predicate} {q.object} ."
        if isinstance(q.graph_name, ox.DefaultGraph):
            default.append(triple)
        else:
            named.setdefault(str(q.graph_name), []).append(triple)
    if not default and not named:
        return ""
    body = "\n".join(default)
    body += "".join(f"\nGRAPH {g} {{\n" + "\n".join(ts) + "\n}" for g, ts in named.items())
    return f"INSERT DATA {{\n{body}\n}}"


def result_from_oxigraph(result: object, *, deadline: float | None = None) -> QueryResult:
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [tuple(solution[v] for v in variables) for solution in _until(result, deadline)]
        return QueryResult(kind="select", variables=variables, rows=rows)
    return QueryResult(kind="graph", triples=list(_until(result, deadline)))  # QueryTriples


def _until(items: Iterable, deadline: float | None) -> Iterator:
    """`items`, checking every 1024 of them that `deadline` has not passed."""
    if deadline is None:
        yield from items
        return
    for i, item in enumerate(items):
        if not i % 1024 and time.monotonic() > deadline:
            raise QueryTimeoutError("the query ran past its time limit and was stopped")
        yield item
