"""CPU time of each stage of the large-build path, one process, no workers (session 5).

    python benchmarks/build_stages.py benchmarks/data/10k [--work /tmp/stages] [--repeats 3]

The stages run one after another in this process, in the order and the chunking of
`spacekg.bulk` (chunks of `CHUNK_FILES` files): read and extract, write the chunk's N-Quads,
count the minted entities and summarise, validate each chunk (`validate_nquads`, with the
build's minted descriptions), bulk-load the N-Quads into a fresh on-disk store, roll up the
summary. Each stage's CPU time (`time.process_time`, best of `--repeats` for every stage but
the load and roll-up, which run once on a fresh store) is printed per 1,000 assertions, so
that a change to one stage is measured on its own, away from the noise of a shared machine.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    from spacekg.build import summarise
    from spacekg.bulk import CHUNK_FILES, _chunk_nquads, _chunks
    from spacekg.graph.oxigraph_store import OxigraphStore
    from spacekg.graph.summary import rebuild_summary
    from spacekg.graph.writer import MintedCounts, entity_iri, minted_quads_from_counts
    from spacekg.loaders.extract import extract_record
    from spacekg.loaders.records import find_record_files, read_records
    from spacekg.ontology import ontology_quads
    from spacekg.validate import validate_nquads

    import pyoxigraph as ox

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records")
    parser.add_argument("--work", default="/tmp/build-stages")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--stages", default="extract,write,validate,load,rollup")
    args = parser.parse_args(argv)
    stages = set(args.stages.split(","))
    files = find_record_files([args.records])
    chunks = list(_chunks(files, CHUNK_FILES))
    cpu: dict[str, float] = {}

    def best(name: str, fn, repeats: int = args.repeats):
        result, times = None, []
        for _ in range(repeats):
            gc.collect()
            t = time.process_time()
            result = fn()
            times.append(time.process_time() - t)
        cpu[name] = min(times)
        return result

    extracted = best("read+extract", lambda: [[(r, extract_record(r)) for f in c for r in read_records(f)]
                                              for c in chunks], 1 if "extract" not in stages else args.repeats)
    assertions = sum(len(x) for chunk in extracted for _, x in chunk)
    texts = best("write n-quads", lambda: [_chunk_nquads(chunk) for chunk in extracted])

    def count() -> MintedCounts:
        counts = MintedCounts()
        for chunk in extracted:
            counts.merge(MintedCounts.of(chunk))
            reports, new, classes, issues = [], [], {}, []
            for record, x in chunk:
                summarise(record, x, reports, new, classes, issues)
        return counts

    counts = best("minted counts+summarise", count)
    minted = list(minted_quads_from_counts(counts))
    if "validate" in stages:
        description: dict = {}
        for q in minted:
            description.setdefault(q.subject, []).append(q)

        def validate() -> None:
            for chunk, text in zip(extracted, texts, strict=True):
                keys = MintedCounts.of(chunk).labels
                described = [q for k in keys for q in description[entity_iri(k)]]
                data = text + (ox.serialize(described, format=ox.RdfFormat.N_QUADS) or b"")
                report = validate_nquads(data, [r.source for r, _ in chunk])
                assert report.conforms, report.summary()

        best("validate", validate)
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    nq = work / "all.nq"
    nq.write_bytes(b"".join(texts) + (ox.serialize([*ontology_quads(), *minted], format=ox.RdfFormat.N_QUADS) or b""))
    if "load" in stages:
        store = OxigraphStore(work / "store")
        t = time.process_time()
        store.bulk_load_into_empty(nq, written_by_oxigraph=True)
        cpu["bulk load"] = time.process_time() - t
        if "rollup" in stages:
            t = time.process_time()
            rebuild_summary(store)
            cpu["summary roll-up"] = time.process_time() - t
        store.close()
    shutil.rmtree(work, ignore_errors=True)
    per = {name: round(1000 * s / assertions, 4) for name, s in cpu.items()}
    print(json.dumps({"assertions": assertions, "files": len(files), "cpu_s": {k: round(v, 3) for k, v in cpu.items()},
                      "cpu_s_per_1000": per, "total_per_1000": round(sum(per.values()), 3),
                      "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
