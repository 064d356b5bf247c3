"""SSSOM mapping sets (``mappings/*.sssom.tsv``): the links from our entities to Wikidata
and DBpedia, kept as data with their justification, confidence, author, date and source.

The format is the SSSOM TSV serialisation (https://mapping-commons.github.io/sssom/): a YAML
metadata block in ``#``-prefixed lines (``curie_map``, ``mapping_set_id``, ``license``…), then a
tab-separated table with one mapping per row. The reference implementation (the ``sssom``
package) pulls in pandas, LinkML and about 80 other distributions for what is, here, a table of
a few hundred rows, so this module reads and writes the format with the standard library's
``csv`` and PyYAML: no quoting (SSSOM TSV values hold no tabs or newlines), CURIEs expanded with
the set's ``curie_map`` plus the prefixes SSSOM declares built in. Errors name the file and line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cache
from importlib import resources
from typing import TextIO

import pyoxigraph as ox
import yaml

from spacekg.errors import MappingError

__all__ = [
    "COLUMNS",
    "LINK_PREDICATES",
    "MappingRow",
    "MappingSet",
    "curated_mappings",
    "mapping_quads",
    "read_sssom",
    "write_sssom",
]

# Prefixes SSSOM treats as built in (a mapping set need not declare them).
BUILTIN_PREFIXES = {
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "semapv": "https://w3id.org/semapv/vocab/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "sssom": "https://w3id.org/sssom/",
}
# Predicates that become triples in the graph; others (e.g. skos:broadMatch) are kept in the file only.
LINK_PREDICATES = ("owl:sameAs", "skos:exactMatch", "skos:closeMatch")
REQUIRED = ("subject_id", "predicate_id", "object_id", "mapping_justification")
COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification",
           "confidence", "author_label", "mapping_date", "comment")
_CURIE = re.compile(r"^(?P<prefix>[A-Za-z_][\w.-]*):(?P<local>\S*)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PACKAGED = ("wikidata.sssom.tsv", "dbpedia.sssom.tsv")


@dataclass(frozen=True, slots=True)
class MappingRow:
    """One mapping: `subject_id` `predicate_id` `object_id`, as CURIEs, with its metadata."""

    subject_id: str
    predicate_id: str
    object_id: str
    mapping_justification: str
    subject_label: str = ""
    object_label: str = ""
    confidence: float | None = None
    author_label: str = ""
    mapping_date: str = ""
    comment: str = ""
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class MappingSet:
    """A mapping set: its metadata (``curie_map`` included) and rows."""

    metadata: Mapping[str, object]
    rows: tuple[MappingRow, ...]
    source: str = ""

    @property
    def prefixes(self) -> dict[str, str]:
        declared = self.metadata.get("curie_map") or {}
        return {**BUILTIN_PREFIXES, **{str(k): str(v) for k, v in dict(declared).items()}}  # type: ignore[arg-type]

    def expand(self, curie: str) -> str:
        """The IRI of a CURIE of this set (``wd:Q17`` → ``http://www.wikidata.org/entity/Q17``)."""
        m = _CURIE.match(curie)
        prefixes = self.prefixes
        if not m or m.group("prefix") not in prefixes:
            raise MappingError(f"{self.source}: {curie!r} is not a CURIE with a prefix of the curie_map "
                               f"({', '.join(sorted(prefixes))})")
        return prefixes[m.group("prefix")] + m.group("local")

    def compact(self, iri: str) -> str:
        """The CURIE of an IRI under one of this set's prefixes (the longest namespace wins)."""
        best = max((ns for ns in self.prefixes.values() if iri.startswith(ns)), key=len, default=None)
        if best is None:
            raise MappingError(f"{self.source}: no prefix of the curie_map covers {iri}")
        prefix = next(p for p, ns in self.prefixes.items() if ns == best)
        return f"{prefix}:{iri[len(best):]}"

    def triples(self) -> list[ox.Triple]:
        """The rows whose predicate is one of `LINK_PREDICATES`, as triples."""
        return [ox.Triple(ox.NamedNode(self.expand(r.subject_id)), ox.NamedNode(self.expand(r.predicate_id)),
                          ox.NamedNode(self.expand(r.object_id)))
                for r in self.rows if r.predicate_id in LINK_PREDICATES]

    def subjects(self) -> set[str]:
        """IRIs of every subject with a mapping (of any predicate)."""
        return {self.expand(r.subject_id) for r in self.rows}


def read_sssom(text: str, *, source: str) -> MappingSet:
    """Parse SSSOM TSV; a malformed header, row, CURIE, confidence or date raises
    `MappingError` naming `source` and the line."""
    lines = text.splitlines()
    meta_lines: list[str] = []
    start = 0
    for start, line in enumerate(lines):
        if not line.startswith("#"):
            break
        meta_lines.append(line[1:])
    else:
        start = len(lines)
    try:
        metadata = yaml.safe_load("\n".join(meta_lines)) or {} if meta_lines else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        raise MappingError(f"{where}: the #-prefixed metadata block is not valid YAML: "
                           f"{getattr(exc, 'problem', exc)}") from None
    if not isinstance(metadata, dict):
        raise MappingError(f"{source}:1: the metadata block must be a YAML mapping (key: value lines)")
    if not isinstance(metadata.get("curie_map", {}), dict):
        raise MappingError(f"{source}: curie_map must map prefixes to namespaces")
    table = lines[start:]
    if not table or not table[0].strip():
        raise MappingError(f"{source}:{start + 1}: no header row after the metadata block")
    reader = csv.reader(table, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise MappingError(f"{source}:{start + 1}: the header row lacks the column(s) {', '.join(missing)}")
    known = {f.name for f in fields(MappingRow)} - {"line"}
    mapping_set = MappingSet(metadata, (), source)
    rows: list[MappingRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    for offset, cells in enumerate(reader, start=start + 2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise MappingError(f"{source}:{offset}: {len(cells)} cells, the header has {len(header)}")
        values = {k: v.strip() for k, v in zip(header, cells) if k in known}
        for column in REQUIRED:
            if not values.get(column):
                raise MappingError(f"{source}:{offset}: empty {column}")
        for column in ("subject_id", "predicate_id", "object_id", "mapping_justification"):
            try:
                mapping_set.expand(values[column])
            except MappingError as exc:
                raise MappingError(f"{source}:{offset}: {column} {exc.args[0].split(': ', 1)[1]}") from None
        confidence = None
        if values.get("confidence"):
            try:
                confidence = float(values["confidence"])
            except ValueError:
                confidence = -1.0
            if not 0.0 <= confidence <= 1.0:
                raise MappingError(f"{source}:{offset}: confidence {values['confidence']!r} is not a number "
                                   "between 0 and 1")
        if values.get("mapping_date") and not _DATE.match(values["mapping_date"]):
            raise MappingError(f"{source}:{offset}: mapping_date {values['mapping_date']!r} is not YYYY-MM-DD")
        key = (values["subject_id"], values["predicate_id"], values["object_id"])
        if key in seen:
            raise MappingError(f"{source}:{offset}: the same mapping as line {seen[key]}")
        seen[key] = offset
        values.pop("confidence", None)
        rows.append(MappingRow(**values, confidence=confidence, line=offset))
    return replace(mapping_set, rows=tuple(rows))


def write_sssom(mapping_set: MappingSet, output: TextIO) -> None:
    """Write `mapping_set` as SSSOM TSV (metadata block, then the `COLUMNS` table)."""
    block = yaml.safe_dump(dict(mapping_set.metadata), sort_keys=False, allow_unicode=True, width=10_000)
    for line in block.splitlines():
        output.write(f"#{line}\n")
    writer = csv.writer(output, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, quotechar=None,
                        escapechar=None)
    writer.writerow(COLUMNS)
    for row in mapping_set.rows:
        cells = [row.subject_id, row.subject_label, row.predicate_id, row.object_id, row.object_label,
                 row.mapping_justification, "" if row.confidence is None else f"{row.confidence:.3f}",
                 row.author_label, row.mapping_date, row.comment]
        writer.writerow([re.sub(r"[\t\r\n]+", " ", c) for c in cells])


def sssom_text(mapping_set: MappingSet) -> str:
    buffer = io.StringIO()
    write_sssom(mapping_set, buffer)
    return buffer.getvalue()


@cache
def curated_mappings() -> tuple[MappingSet, ...]:
    """The mapping sets shipped in ``spacekg/ontology/mappings/``, parsed once per process."""
    folder = resources.files("spacekg.ontology").joinpath("mappings")
    sets = []
    for name in PACKAGED:
        entry = folder.joinpath(name)
        if entry.is_file():
            sets.append(read_sssom(entry.read_text(encoding="utf-8"), source=f"mappings/{name}"))
    return tuple(sets)


def mapping_quads(sets: Iterable[MappingSet] | None = None) -> list[ox.Quad]:
    """The links of `sets` (default: the curated ones) as default-graph quads."""
    quads = []
    for mapping_set in curated_mappings() if sets is None else sets:
        quads.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in mapping_set.triples())
    return quads
