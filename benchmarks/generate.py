"""Generate synthetic assertion records in the shipped style, deterministically.

    python benchmarks/generate.py --assertions 10k --out benchmarks/data/10k

Each record is a summary, the header line, then about 60 ranked assertions drawn from the
templates in benchmarks/corpus.toml over pools of actors (known to the reference data, and
generated people, companies and programs the loader has to mint), places, amounts in several
currencies, percentages, titles, meetings, negations and hedges, so a build runs the real
extraction. The same seed and size always give the same files (record i draws from its own
`random.Random(seed, i)`), so a size is a prefix of every larger size.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = "Every atomic assertion extracted from the underlying record, ranked by evidence strength."
PER_RECORD = 60


def parse_size(text: str) -> int:
    """'10k' → 10000, '1M' → 1000000, '2500' → 2500."""
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * scale)


class Corpus:
    """The pools and templates, with the generated-name pools expanded."""

    def __init__(self, path: Path = HERE / "corpus.toml") -> None:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        self.data = data
        self.people = [f"{g} {f}" for f in data["family_names"] for g in data["given_names"]]
        self.new_companies = [f"{s} {x}" for x in data["company_suffixes"] for s in data["company_stems"]]
        self.new_programs = [f"{s} {x}" for x in data["program_suffixes"] for s in data["program_stems"]]
        self.fields = {name for t in data["assertions"] + data["summary"]
                       for _, name, _, _ in string.Formatter().parse(t) if name}

    def values(self, rng: random.Random, focus: dict[str, str]) -> dict[str, str]:
        d = self.data

        def pick(pool: list, key: str) -> str:
            # a record talks mostly about its focus actors, as real records do
            return focus[key] if key in focus and rng.random() < 0.5 else rng.choice(pool)

        amount = rng.choice(d["money"]).format(n=rng.choice(["1.2", "2", "3.5", "7", "12", "45", "150", "480"]))
        amount2 = rng.choice(d["money"]).format(n=rng.choice(["1.1", "4", "9", "25", "300"]))
        return {
            "country": pick(d["countries"], "country"), "country2": rng.choice(d["countries"]),
            "agency": pick(d["agencies"], "agency"), "agency2": rng.choice(d["agencies"]),
            "company": pick(d["companies"], "company"), "org": rng.choice(d["orgs"]),
            "forum": rng.choice(d["forums"]), "program": pick(d["programs"], "program"),
            "program2": rng.choice(d["programs"]), "place": rng.choice(d["places"]),
            "city": rng.choice([p for p in d["places"] if p[:1].isupper() and " " not in p]),
            "capability": rng.choice(d["capabilities"]), "leader": rng.choice(d["leaders"]),
            "title": rng.choice(d["titles"]), "person": pick(self.people, "person"),
            "person2": rng.choice(self.people), "newco": pick(self.new_companies, "newco"),
            "newprog": pick(self.new_programs, "newprog"), "money": amount, "money2": amount2,
            "pct": str(rng.choice([3, 5, 8, 10, 12, 14, 20, 25, 30, 40, 97.9])), "year": str(rng.choice(d["years"])),
            "month": rng.choice(d["months"]), "count": str(rng.choice([2, 3, 4, 12, 30, 150, 600])),
        }

    def record(self, index: int, assertions: int, *, seed: int) -> str:
        """The text of record `index` with `assertions` assertions, no two alike."""
        rng = random.Random(f"{seed}:{index}")
        d = self.data
        focus = {"country": rng.choice(d["countries"]), "agency": rng.choice(d["agencies"]),
                 "company": rng.choice(d["companies"]), "program": rng.choice(d["programs"]),
                 "person": rng.choice(self.people), "newco": rng.choice(self.new_companies),
                 "newprog": rng.choice(self.new_programs)}
        summary = " ".join(t.format(**self.values(rng, focus)) for t in rng.sample(d["summary"], 3))
        lines: dict[str, None] = {}
        for _ in range(assertions * 20):  # bounded: duplicates are rare, so this ends long before
            if len(lines) == assertions:
                break
            lines[rng.choice(d["assertions"]).format(**self.values(rng, focus))] = None
        if len(lines) < assertions:
            raise RuntimeError(f"record {index}: could not draw {assertions} distinct assertions")
        return "\n".join([summary, HEADER, *lines]) + "\n"


def generate(total: int, out: Path, *, seed: int = 1, per_record: int = PER_RECORD) -> int:
    """Write records holding `total` assertions into `out` (one .txt each); returns the count of records."""
    corpus = Corpus()
    out.mkdir(parents=True, exist_ok=True)
    count = -(-total // per_record)
    for i in range(count):
        n = min(per_record, total - i * per_record)
        path = out / f"{i // 1000:03d}" / f"bench-{i:06d}.txt"  # 1000 files per folder
        path.parent.mkdir(exist_ok=True)
        path.write_text(corpus.record(i, n, seed=seed), encoding="utf-8")
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assertions", default="10k", help="how many assertions, e.g. 10k, 100k, 1M")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the records into")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    total = parse_size(args.assertions)
    records = generate(total, args.out, seed=args.seed)
    print(f"{records} records, {total} assertions in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
