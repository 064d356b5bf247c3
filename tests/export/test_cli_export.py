"""`spacekg export --format gexf|graphml|csv` and `spacekg plot`, run in-process with click's
CliRunner against a store built from the shipped record."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from lxml import etree

from spacekg.cli import main
from tests.conftest import SHIPPED_RECORD
from tests.export.conftest import GRAMMAR


@pytest.fixture(scope="module")
def built_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("export-cli") / "store"
    result = CliRunner().invoke(main, ["build", str(SHIPPED_RECORD), "--store", str(store), "-q"])
    assert result.exit_code == 0, result.output
    return store


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_export_gexf_writes_a_valid_file(built_store, tmp_path):
    out = tmp_path / "entities.gexf"
    result = run("export", "--format", "gexf", "--projection", "entities", "-o", out, "--store", built_store)
    assert result.exit_code == 0, result.output
    grammar = etree.RelaxNG(etree.parse(str(GRAMMAR)))
    assert grammar.validate(etree.parse(str(out))), grammar.error_log


def test_export_gexf_to_stdout_with_filters(built_store):
    result = run("export", "--format", "gexf", "--projection", "comention", "--max-rank", "5",
                 "--class", "Country", "--class", "GovernmentBody", "--record", "us-japan-space-partnership.txt",
                 "--store", built_store)
    assert result.exit_code == 0, result.output
    root = etree.fromstring(result.stdout_bytes)
    ns = {"g": "http://gexf.net/1.3"}
    assert "max_rank=5" in root.find("g:meta/g:description", ns).text
    classes = {a.get("value") for a in root.iterfind(".//g:node/g:attvalues/g:attvalue[@for='class']", ns)}
    assert classes and classes <= {"Country", "GovernmentBody"}


def test_export_graphml_and_csv(built_store, tmp_path):
    result = run("export", "--format", "graphml", "-o", tmp_path / "g.graphml", "--store", built_store)
    assert result.exit_code == 0, result.output
    result = run("export", "--format", "csv", "--projection", "assertions", "-o", f"{tmp_path}/tables/",
                 "--store", built_store)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tables" / "nodes.csv").exists() and (tmp_path / "tables" / "edges.csv").exists()


@pytest.mark.parametrize("args, message", [
    (("--format", "csv"), "two tables"),
    (("--format", "trig", "--projection", "entities"), "choose a network"),
    (("--format", "gexf", "--class", "Starship"), "no such entity class"),
    (("--format", "gexf", "--record", "mars.txt"), "no such record"),
])
def test_export_errors_exit_2_with_one_line_that_says_what_to_do(built_store, args, message):
    result = run("export", *args, "--store", built_store)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_plot_draws_a_png_and_an_svg(built_store, tmp_path):
    png = tmp_path / "graph.png"
    result = run("plot", "--projection", "entities", "-o", png, "--store", built_store)
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = tmp_path / "graph.svg"
    assert run("plot", "--projection", "comention", "--max-rank", "10", "-o", svg, "--store", built_store).exit_code == 0
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "Japan" in text  # labels are drawn
    result = run("plot", "-o", tmp_path / "graph.gif", "--store", built_store)
    assert result.exit_code == 2 and ".png" in result.stderr
