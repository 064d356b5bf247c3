"""The record reader: SPEC §1 formats, and a clear error naming file and line for bad input."""

from __future__ import annotations

import json

import pytest

from spacekg.errors import RecordError
from spacekg.loaders.records import find_record_files, is_header, read_records

HEADER = "Every atomic assertion extracted from the underlying record, ranked by evidence strength."
BODY = f"A summary line.\n{HEADER}\nJapan is a partner.\nNASA leads Artemis.\n"


def write(tmp_path, name, content, mode="w"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def test_reads_summary_and_ranked_assertions_with_line_numbers(tmp_path):
    [record] = read_records(write(tmp_path, "r.txt", BODY))
    assert record.name == "r" and record.source == "r.txt"
    assert record.summary == "A summary line."
    assert [(a.rank, a.line, a.text) for a in record.assertions] == [
        (1, 3, "Japan is a partner."), (2, 4, "NASA leads Artemis.")]


@pytest.mark.parametrize("variant", [
    BODY.replace("\n", "\r\n"),
    "\ufeff" + BODY,
    BODY.rstrip("\n"),
    BODY.replace("\n", "\r"),
    BODY.replace(HEADER, HEADER.upper() + "  "),
    BODY.replace(HEADER, HEADER.rstrip(".") + ":"),
    BODY.replace(HEADER, "All atomic assertions, ranked by strength of evidence:"),
    BODY.replace("Japan is", "\n\n- Japan is").replace("NASA leads", "   2) NASA leads"),
])
def test_line_ends_bom_header_variants_and_list_markup_load_identically(tmp_path, variant):
    [expected] = read_records(write(tmp_path, "a.txt", BODY))
    [record] = read_records(write(tmp_path, "a.txt", variant))
    assert [a.text for a in record.assertions] == [a.text for a in expected.assertions]
    assert [a.rank for a in record.assertions] == [1, 2]
    assert record.summary == expected.summary


def test_list_markup_numbers_are_not_ranks(tmp_path):
    text = f"S.\n{HEADER}\n5. First.\n1. Second.\n"
    [record] = read_records(write(tmp_path, "m.txt", text))
    assert [(a.rank, a.text) for a in record.assertions] == [(1, "First."), (2, "Second.")]


def test_percent_at_line_start_is_not_list_markup(tmp_path):
    [record] = read_records(write(tmp_path, "p.txt", f"S.\n{HEADER}\n40 percent of launches failed.\n"))
    assert record.assertions[0].text == "40 percent of launches failed."


@pytest.mark.parametrize("name, content, message, line", [
    ("nohead.txt", "Just prose.\nJapan is a partner.\n", "no header line", 1),
    ("empty.txt", "", "no header line", 1),
    ("noassert.txt", f"Summary.\n{HEADER}\n\n", "no assertions", 2),
    ("dup.txt", f"S.\n{HEADER}\nJapan leads.\nNASA flies.\nJapan  leads.\n", "duplicate assertion (first given on line 3)", 5),
    ("latin1.txt", f"S.\n{HEADER}\nCaf\xe9 policy.\n".encode("latin-1"), "not valid UTF-8", 3),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file", 1),
    ("ctrl.txt", f"S.\n{HEADER}\nBad \x07 bell.\n", "control character", 3),
])
def test_bad_input_names_file_and_line(tmp_path, name, content, message, line):
    path = write(tmp_path, name, content)
    with pytest.raises(RecordError) as err:
        read_records(path)
    assert err.value.line == line
    assert message in str(err.value)
    assert str(err.value).startswith(f"{name}:{line}: ")


def test_csv_with_record_and_source_columns_gives_one_record_per_name(tmp_path):
    csv_text = "record,rank,text,source\nb,2,Second of b.,b.pdf\na,1,Only of a.,a.pdf\nb,1,First of b.,b.pdf\n"
    records = {r.name: r for r in read_records(write(tmp_path, "x.csv", csv_text))}
    assert [a.text for a in records["b"].assertions] == ["First of b.", "Second of b."]
    assert records["b"].source == "b.pdf"
    assert records["b"].assertions[0].line == 4


def test_csv_rank_gap_is_an_error_naming_the_line(tmp_path):
    path = write(tmp_path, "gap.csv", "text,rank\nOne.,1\nThree.,3\n")
    with pytest.raises(RecordError, match=r"gap\.csv:3: gap in ranks .* expected rank 2, got 3"):
        read_records(path)


def test_csv_duplicate_rank_and_missing_column_are_errors(tmp_path):
    with pytest.raises(RecordError, match=r"duplicate ranks"):
        read_records(write(tmp_path, "d.csv", "text,rank\nOne.,1\nTwo.,1\n"))
    with pytest.raises(RecordError, match=r"m\.csv:1: CSV header lacks the column\(s\) rank"):
        read_records(write(tmp_path, "m.csv", "text\nOne.\n"))


def test_jsonl_reads_like_csv_and_reports_bad_lines(tmp_path):
    rows = [{"text": "First.", "rank": 1}, {"text": "Second.", "rank": 2}]
    path = write(tmp_path, "r.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    [record] = read_records(path)
    assert [a.text for a in record.assertions] == ["First.", "Second."]
    with pytest.raises(RecordError, match=r"bad\.jsonl:2: not a JSON object"):
        read_records(write(tmp_path, "bad.jsonl", json.dumps(rows[0]) + "\n{oops\n"))
    with pytest.raises(RecordError, match=r"rank\.jsonl:1: 'rank' must be a positive integer"):
        read_records(write(tmp_path, "rank.jsonl", json.dumps({"text": "x", "rank": 0}) + "\n"))


def test_folders_expand_to_their_record_files_sorted(tmp_path):
    write(tmp_path, "b.txt", BODY)
    write(tmp_path, "a.csv", "text,rank\nx,1\n")
    write(tmp_path, "notes.md", "ignored")
    assert [p.name for p in find_record_files([tmp_path])] == ["a.csv", "b.txt"]
    with pytest.raises(RecordError, match="no such file"):
        find_record_files([tmp_path / "missing.txt"])


def test_header_matching_is_tolerant_but_not_loose():
    assert is_header(HEADER)
    assert is_header("  every atomic assertion extracted from the underlying record, ranked by evidence strength:  ")
    assert not is_header("Every assertion matters to Japan.")
    assert not is_header("Japan ranked third by spending.")
