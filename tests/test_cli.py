"""The command line, run in-process: exit codes, formats, and one-line errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from spacekg.cli import main
from tests.conftest import ROOT, SHIPPED_RECORD


@pytest.fixture(scope="module")
def built_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("cli") / "store"
    result = CliRunner().invoke(main, ["build", str(SHIPPED_RECORD), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_build_prints_a_summary_with_the_assertion_count(tmp_path):
    result = run("build", SHIPPED_RECORD, "--store", tmp_path / "s")
    assert result.exit_code == 0
    assert re.search(r"1 record\(s\), 60 assertions, \d+ entities", result.output)


def test_bad_input_exits_2_with_one_line_naming_file_and_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("no header\n")
    result = run("build", bad, "--store", tmp_path / "s")
    assert result.exit_code == 2
    assert result.stderr.strip() == "spacekg: error: bad.txt:1: no header line 'Every atomic assertion extracted " \
        "from the underlying record, ranked by evidence strength.' separating the summary from the assertions"


def test_query_json_is_sparql_results_json(built_store):
    result = run("query", "assertions-about", "--param", "entity=MOD", "--format", "json", "--store", built_store)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["head"]["vars"][:2] == ["rank", "text"]
    ranks = [int(b["rank"]["value"]) for b in data["results"]["bindings"]]
    assert ranks == sorted(ranks) and 48 in ranks and 50 in ranks


def test_query_accepts_inline_sparql_and_rq_files(built_store, tmp_path):
    inline = run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/spacekg/ontology#Assertion> }",
                 "--format", "csv", "--store", built_store)
    assert inline.exit_code == 0 and inline.stdout.splitlines() == ["n", "60"]
    rq = tmp_path / "count.rq"
    rq.write_text("SELECT ?r WHERE { ?r a <https://w3id.org/spacekg/ontology#AssertionRecord> }\n")
    result = run("query", rq, "--format", "tsv", "--store", built_store)
    assert result.exit_code == 0 and result.stdout.splitlines()[0] == "?r"


def test_unknown_query_and_missing_param_are_user_errors(built_store):
    assert run("query", "no-such-query", "--store", built_store).exit_code == 2
    result = run("query", "assertions-about", "--store", built_store)
    assert result.exit_code == 2 and "--param entity=" in result.stderr


def test_queries_json_lists_name_title_description_and_params():
    result = run("queries", "--format", "json")
    assert result.exit_code == 0
    items = json.loads(result.stdout)
    assert len(items) >= 5
    assert all({"name", "title", "description", "params"} <= set(i) for i in items)
    about = next(i for i in items if i["name"] == "assertions-about")
    assert about["params"][0]["name"] == "entity" and about["params"][0]["example"]


def test_export_formats_write_files_and_stdout(built_store, tmp_path):
    for fmt, marker in (("trig", "GRAPH"), ("nquads", "> <"), ("turtle", "skg:"), ("jsonld", "@graph")):
        out = tmp_path / f"out.{fmt}"
        result = run("export", "--format", fmt, "-o", out, "--store", built_store)
        assert result.exit_code == 0, result.output
        text = out.read_text()
        assert marker in text if fmt != "trig" else "{" in text
    result = run("export", "--format", "nquads", "--store", built_store)
    assert result.exit_code == 0 and result.stdout.count("\n") > 1000


def test_stats_counts_records_assertions_and_entities(built_store):
    result = run("stats", "--format", "json", "--store", built_store)
    data = json.loads(result.stdout)
    assert data["records"] == 1 and data["assertions"] == 60 and data["named_graphs"] >= 1
    assert data["entities_by_class"]["Country"] >= 5


def test_compact_keeps_every_quad_and_the_answers(tmp_path):
    store = tmp_path / "s"
    assert run("build", SHIPPED_RECORD, "--store", store, "-q").exit_code == 0
    before = run("stats", "--format", "json", "--store", store).stdout
    answer = run("query", "budgets", "--format", "csv", "--store", store).stdout
    result = run("compact", "--store", store)
    assert result.exit_code == 0 and "compacted" in result.stderr
    assert run("stats", "--format", "json", "--store", store).stdout == before
    assert run("query", "budgets", "--format", "csv", "--store", store).stdout == answer


def test_compact_refuses_a_store_it_cannot_compact():
    result = run("compact", "--store", "memory:")
    assert result.exit_code == 2 and "only an embedded on-disk store can be compacted" in result.stderr


def test_query_on_a_missing_store_says_to_build_first(tmp_path):
    result = run("query", "budgets", "--store", tmp_path / "nothing")
    assert result.exit_code == 2 and "run 'spacekg build" in result.stderr


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    commands = set(main.commands)
    missing = [c for c in commands if f"spacekg {c}" not in readme]
    assert not missing, f"commands missing from README: {missing}"


def test_every_command_has_an_example_in_its_help():
    for name, command in main.commands.items():
        assert "Example" in (command.help or "") or getattr(command, "commands", None), name


def test_build_report_lists_new_entities_with_the_reason(tmp_path):
    record = tmp_path / "r.txt"
    record.write_text("Summary.\nEvery atomic assertion extracted from the underlying record, ranked by evidence "
                      "strength.\nOrbex Dynamics CEO Mara Quill met with NASA.\n")
    result = run("build", record, "--store", "memory:", "--report")
    assert result.exit_code == 0, result.output
    assert "2 new entities" in result.output
    assert "Mara Quill" in result.output and "title 'CEO' before a name" in result.output


def test_build_of_many_records_sums_the_rows_past_the_first_twenty(tmp_path):
    from spacekg.cli import MAX_RECORD_ROWS

    header = "Every atomic assertion extracted from the underlying record, ranked by evidence strength."
    folder = tmp_path / "archive"
    folder.mkdir()
    count = MAX_RECORD_ROWS + 3
    for i in range(count):
        (folder / f"record-{i:02d}.txt").write_text(
            f"A summary.\n{header}\nNASA announced {i + 1} new lunar payload awards.\nESA did not sign the accord.\n")
    result = run("build", folder, "--store", tmp_path / "s")
    assert result.exit_code == 0, result.output
    assert f"{count} record(s), {2 * count} assertions" in result.output
    assert "record-19" in result.output and "record-20" not in result.output
    assert re.search(r"… 3 more\s.*│\s*6\s*│", result.output)
