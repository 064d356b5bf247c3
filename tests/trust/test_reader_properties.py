"""Property-based tests of the record reader: whatever bytes it is given, it returns clean
records or raises a `RecordError` naming the file and line, and never anything else."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from spacekg.errors import RecordError
from spacekg.loaders.records import read_records

HEADER = "Every atomic assertion extracted from the underlying record, ranked by evidence strength."
FUZZ = settings(max_examples=100, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LINE_ENDS = st.sampled_from(["\n", "\r\n", "\r"])
# any Unicode, control characters included; plus the lines that matter to the format
ODD_LINES = st.sampled_from(["", "   ", "\t", "- ", "1. ", "2) ", "* ", "•", HEADER, HEADER.upper() + " :", "\ufeff",
                             "\u2028", "\x85", "\x0c", "\x1b[0m", "\x7f", "Japan leads.", "Japan  leads."])
LONG_LINES = st.integers(min_value=5_000, max_value=60_000).map(lambda n: "NASA " * (n // 5))
LINES = st.lists(st.one_of(st.text(max_size=80), ODD_LINES, LONG_LINES), max_size=25)
# lines without line breaks of their own, for the properties about line ends and line numbers
ONE_LINE = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=80)
SINGLE_LINES = st.lists(st.one_of(ONE_LINE, ODD_LINES, LONG_LINES), max_size=25)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def read_cleanly(path: Path):
    """Read `path`; return its records, or None after checking that the error is a clean one."""
    try:
        records = read_records(path)
    except RecordError as exc:
        assert exc.source == path.name
        assert exc.line is not None and exc.line >= 1
        assert str(exc).startswith(f"{path.name}:{exc.line}: ")
        return None
    assert records
    for record in records:
        ranks = [a.rank for a in record.assertions]
        assert ranks == list(range(1, len(ranks) + 1))
        keys = [" ".join(a.text.split()) for a in record.assertions]
        assert len(set(keys)) == len(keys), "duplicate assertions must be refused"
        for a in record.assertions:
            assert a.text and a.text == a.text.strip()
            assert "\n" not in a.text and "\r" not in a.text
            assert a.line >= 1
    return records


def encode(lines: list[str], ends: list[str], *, bom: bool, final: bool) -> bytes:
    """Join `lines` with the line ends in turn; a CR is never followed by an LF that starts
    the next (empty) line's end, which would merge the two into one CRLF."""
    parts: list[str] = []
    for i, line in enumerate(lines):
        end = ends[i % len(ends)]
        if not line and parts and parts[-1].endswith("\r") and end.startswith("\n"):
            end = "\r"
        parts.append(line + end)
    text = "".join(parts)
    if not final and text:
        text = text.rstrip("\r\n")
    return (("\ufeff" if bom else "") + text).encode("utf-8")


@FUZZ
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".txt", ".csv", ".jsonl"]))
@example(data=b"", suffix=".txt")
@example(data=b"", suffix=".csv")
@example(data=b"", suffix=".jsonl")
@example(data=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", suffix=".txt")
@example(data=b"\xef\xbb\xbf", suffix=".txt")
@example(data=b"\xef\xbb\xbf\xff", suffix=".jsonl")
@example(data=b"1" * 5000, suffix=".jsonl")  # a number too long for int()
@example(data=b"[" * 100_000, suffix=".jsonl")  # nesting deeper than the JSON decoder's recursion
@example(data=b"text,rank\n" + b"x" * 200_000 + b",1\n", suffix=".csv")  # a field over csv's size limit
def test_any_bytes_give_records_or_a_record_error(workdir, data, suffix):
    read_cleanly(write(workdir, "any" + suffix, data))


@FUZZ
@given(summary=LINES, assertions=LINES, ends=st.lists(LINE_ENDS, min_size=1, max_size=4), bom=st.booleans(),
       final=st.booleans(), header=st.booleans())
def test_random_unicode_records_give_records_or_a_record_error(workdir, summary, assertions, ends, bom, final, header):
    lines = summary + ([HEADER] if header else []) + assertions
    read_cleanly(write(workdir, "random.txt", encode(lines, ends, bom=bom, final=final)))


@settings(FUZZ, max_examples=60)
@given(summary=SINGLE_LINES, assertions=SINGLE_LINES.filter(bool), ends=st.lists(LINE_ENDS, min_size=1, max_size=4),
       bom=st.booleans(), final=st.booleans())
def test_line_ends_bom_and_final_newline_do_not_change_the_result(workdir, summary, assertions, ends, bom, final):
    lines = summary + [HEADER] + assertions

    def outcome(data: bytes):
        try:
            return [(r.summary, [(a.text, a.rank, a.line) for a in r.assertions])
                    for r in read_records(write(workdir, "same.txt", data))]
        except RecordError as exc:
            return (exc.line, exc.reason)

    plain = outcome(encode(lines, ["\n"], bom=False, final=True))
    assert outcome(encode(lines, ends, bom=bom, final=final)) == plain


@FUZZ
@given(before=st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40), max_size=8),
       # (NUL is left out: it marks the whole file as binary, reported on line 1)
       control=st.sampled_from([c for c in map(chr, range(1, 0x20)) if c not in "\t\n\r\f\v"] + ["\x7f"]),
       ends=st.lists(LINE_ENDS, min_size=1, max_size=3))
def test_a_control_character_is_reported_on_its_own_line(workdir, before, control, ends):
    lines = ["Summary."] + [HEADER] + before + [f"Bad {control} line."]
    with pytest.raises(RecordError) as caught:
        read_records(write(workdir, "ctrl.txt", encode(lines, ends, bom=False, final=True)))
    assert caught.value.line == len(lines)
    assert f"U+{ord(control):04X}" in caught.value.reason


@FUZZ
@given(before=st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40), max_size=8),
       bad=st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"]),
       ends=st.lists(LINE_ENDS, min_size=1, max_size=3), bom=st.booleans())
def test_undecodable_bytes_are_reported_on_their_own_line(workdir, before, bad, ends, bom):
    lines = ["Summary."] + [HEADER] + before + ["Bad "]
    data = encode(lines, ends, bom=bom, final=False) + bad + b" byte.\n"
    with pytest.raises(RecordError) as caught:
        read_records(write(workdir, "utf8.txt", data))
    assert caught.value.line == len(lines)
    assert f"byte 0x{bad[0]:02x}" in caught.value.reason


CELLS = st.one_of(st.text(max_size=60), st.integers(min_value=-3, max_value=40).map(str), st.sampled_from(["", " 1 ",
                  "True", "1.0", "١", "9" * 5000]))


@FUZZ
@given(rows=st.lists(st.tuples(CELLS, CELLS, CELLS), max_size=12),
       header=st.sampled_from([("record", "rank", "text"), ("Text", "RANK", "source"), ("text", "x", "y")]),
       terminator=st.sampled_from(["\n", "\r\n", "\r"]))
def test_random_csv_gives_records_or_a_record_error(workdir, rows, header, terminator):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=terminator)
    writer.writerow(header)
    writer.writerows(rows)
    read_cleanly(write(workdir, "random.csv", buf.getvalue().encode("utf-8", "surrogatepass")))


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                       max_size=4), max_leaves=12)
JSON_ROWS = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries({"text": st.one_of(st.text(max_size=60), JSON_VALUES),
                           "rank": st.one_of(st.integers(min_value=-2, max_value=30), JSON_VALUES)},
                          optional={"record": st.one_of(st.text(max_size=10), JSON_VALUES),
                                    "source": st.one_of(st.text(max_size=10), JSON_VALUES)}),
)


@FUZZ
@given(rows=st.lists(st.one_of(JSON_ROWS.map(json.dumps), st.text(max_size=40)), max_size=12),
       ends=st.lists(LINE_ENDS, min_size=1, max_size=3))
def test_random_json_lines_give_records_or_a_record_error(workdir, rows, ends):
    data = "".join(row + ends[i % len(ends)] for i, row in enumerate(rows)).encode("utf-8", "surrogatepass")
    read_cleanly(write(workdir, "random.jsonl", data))


def test_a_clean_error_is_one_line_on_the_command_line(tmp_path):
    from click.testing import CliRunner

    from spacekg.cli import main

    path = tmp_path / "deep.jsonl"
    path.write_bytes(b"[" * 100_000 + b"\n")
    result = CliRunner().invoke(main, ["build", str(path), "--store", "memory:"])
    assert result.exit_code == 2
    assert re.fullmatch(r"spacekg: error: deep\.jsonl:1: not a JSON object: nested too deeply\n", result.stderr)
