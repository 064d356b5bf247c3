"""Readers for assertion records (SPEC §1): plain text, CSV and JSON Lines.

Each reader returns plain `AssertionRecord` objects and raises `RecordError` naming the
file and line for anything it cannot read, before anything is written anywhere.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacekg.errors import RecordError
from spacekg.model import Assertion, AssertionRecord

__all__ = ["RECORD_SUFFIXES", "find_record_files", "read_records", "parse_text_record"]

RECORD_SUFFIXES = (".txt", ".csv", ".jsonl")

# The header separating the summary from the ranked assertions. Matched on a casefolded,
# squeezed line with any trailing colon or full stop removed, so that the wording variants
# analysts write ("… ranked by strength of evidence:", "All atomic assertions, ranked …") pass.
_HEADER = re.compile(
    r"""^(?:every|all)\s+(?:the\s+)?(?:atomic\s+)?assertions?\b.*\branked\b
      | ^(?:every|all)\s+(?:the\s+)?atomic\s+assertions?\b
      | ^(?:atomic\s+)?assertions?\b.*\branked\s+by\b""",
    re.VERBOSE,
)
# List markup that is not part of the assertion: "- ", "* ", "• ", "1. ", "1) ".
_LIST_MARKUP = re.compile(r"^(?:[-*•‣–]\s+|\(?\d{1,4}[.)]\s+)")
_BINARY_SNIFF = 8192


def is_header(line: str) -> bool:
    """True when `line` is the summary/assertions separator of SPEC §1."""
    norm = " ".join(line.casefold().split()).rstrip(":.").strip()
    return bool(_HEADER.match(norm))


def _decode(data: bytes, source: str) -> str:
    if b"\x00" in data[:_BINARY_SNIFF]:
        raise RecordError(source, "this is a binary file, not a UTF-8 text record", line=1)
    try:
        # utf-8-sig drops one BOM; a file saved twice with one carries two, and a leading U+FEFF is
        # never content, so with or without a BOM the same bytes give the same record
        text = data.decode("utf-8-sig").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        decoded = exc.object  # the bytes after any BOM: exc.start counts from there
        line = len(re.findall(rb"\r\n|\r|\n", decoded[: exc.start])) + 1
        raise RecordError(
            source, f"not valid UTF-8 (byte 0x{decoded[exc.start]:02x}); save the file as UTF-8", line=line
        ) from exc
    bad = next((c for c in text if _is_forbidden_control(c)), None)
    if bad is not None:
        line = len(re.findall(r"\r\n|\r|\n", text[: text.index(bad)])) + 1  # CR-only files too
        raise RecordError(source, f"control character U+{ord(bad):04X} in text; is this a binary file?", line=line)
    return text


def _is_forbidden_control(c: str) -> bool:
    o = ord(c)
    return (o < 0x20 and c not in "\t\n\r\f\v") or o == 0x7F


def _split_lines(text: str) -> list[str]:
    # \r\n, \r and \n all end a line; other Unicode separators stay inside the line
    return re.split(r"\r\n|\r|\n", text)


def parse_text_record(text: str, *, source: str, name: str) -> AssertionRecord:
    """Parse the plain-text record format: summary, header line, one assertion per line."""
    lines = _split_lines(text)
    header_at = next((i for i, line in enumerate(lines) if is_header(line)), None)
    if header_at is None:
        raise RecordError(
            source,
            "no header line 'Every atomic assertion extracted from the underlying record, "
            "ranked by evidence strength.' separating the summary from the assertions",
            line=1,
        )
    summary = " ".join(" ".join(line.split()) for line in lines[:header_at] if line.strip())
    assertions: list[Assertion] = []
    first_line_of: dict[str, int] = {}
    for index in range(header_at + 1, len(lines)):
        raw = lines[index]
        stripped = raw.strip()
        if not stripped:
            continue
        markup = _LIST_MARKUP.match(stripped)
        body = stripped[markup.end():].strip() if markup else stripped
        if not body:
            continue
        line_no = index + 1
        key = " ".join(body.split())
        if key in first_line_of:
            raise RecordError(
                source, f"duplicate assertion (first given on line {first_line_of[key]}); remove one", line=line_no
            )
        first_line_of[key] = line_no
        assertions.append(
            Assertion(text=body, rank=len(assertions) + 1, line=line_no, start=raw.index(body), record=name)
        )
    if not assertions:
        raise RecordError(source, "no assertions after the header line", line=header_at + 1)
    return AssertionRecord(name=name, source=source, summary=summary, assertions=tuple(assertions))


def _rows_to_records(rows: Iterable[tuple[int, dict]], *, path: Path) -> list[AssertionRecord]:
    """Group CSV/JSONL rows into records and check that ranks run 1..N without gaps."""
    source = path.name
    grouped: dict[str, list[tuple[int, int, str, str]]] = {}
    sources: dict[str, str] = {}
    for line_no, row in rows:
        text = row.get("text")
        if not isinstance(text, str) or not text.strip():
            raise RecordError(source, "missing or empty 'text'", line=line_no)
        raw_rank = row.get("rank")
        try:
            rank = int(str(raw_rank).strip())
            if rank < 1 or str(raw_rank).strip() in ("True", "False"):
                raise ValueError
        except (TypeError, ValueError):
            raise RecordError(source, f"'rank' must be a positive integer, got {raw_rank!r}", line=line_no) from None
        record = str(row.get("record") or path.stem).strip() or path.stem
        sources.setdefault(record, str(row.get("source") or source))
        grouped.setdefault(record, []).append((rank, line_no, " ".join(text.split()), text.strip()))
    if not grouped:
        raise RecordError(source, "no assertions (no data rows)", line=1)
    records = []
    for record, items in grouped.items():
        items.sort()
        seen_text: dict[str, int] = {}
        for expected, (rank, line_no, key, _) in enumerate(items, start=1):
            if rank != expected:
                what = "duplicate" if rank < expected else "gap in"
                raise RecordError(
                    source, f"{what} ranks of record {record!r}: expected rank {expected}, got {rank}", line=line_no
                )
            if key in seen_text:
                raise RecordError(
                    source, f"duplicate assertion in record {record!r} (first on line {seen_text[key]})", line=line_no
                )
            seen_text[key] = line_no
        assertions = tuple(
            Assertion(text=text, rank=rank, line=line_no, start=0, record=record)
            for rank, line_no, _, text in items
        )
        records.append(AssertionRecord(name=record, source=sources[record], summary="", assertions=assertions))
    return records


def _csv_rows(text: str, path: Path) -> Iterator[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    missing = {"text", "rank"} - set(fields)
    if missing:
        raise RecordError(path.name, f"CSV header lacks the column(s) {', '.join(sorted(missing))}", line=1)
    reader.fieldnames = fields
    try:
        for row in reader:
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            yield reader.line_num, row
    except csv.Error as exc:
        raise RecordError(path.name, f"malformed CSV: {exc}", line=reader.line_num) from exc


def _jsonl_rows(text: str, path: Path) -> Iterator[tuple[int, dict]]:
    for line_no, line in enumerate(_split_lines(text), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RecordError(path.name, f"not a JSON object: {exc.msg}", line=line_no) from exc
        except (ValueError, RecursionError) as exc:  # a number too long to convert, or nesting too deep
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).split(";")[0]
            raise RecordError(path.name, f"not a JSON object: {reason}", line=line_no) from None
        if not isinstance(row, dict):
            raise RecordError(path.name, "each line must be a JSON object with 'text' and 'rank'", line=line_no)
        yield line_no, row


def read_records(path: str | Path) -> list[AssertionRecord]:
    """Read one record file (.txt, .csv or .jsonl) into records; CSV/JSONL may hold several."""
    path = Path(path)
    source = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RecordError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    text = _decode(data, source)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _rows_to_records(_csv_rows(text, path), path=path)
    if suffix == ".jsonl":
        return _rows_to_records(_jsonl_rows(text, path), path=path)
    return [parse_text_record(text, source=source, name=path.stem)]


def find_record_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into the record files they hold (sorted), keeping files as given."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in RECORD_SUFFIXES))
        elif p.exists():
            found.append(p)
        else:
            raise RecordError(str(p), "no such file or folder")
    return found
