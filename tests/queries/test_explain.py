"""`spacekg explain`: the evidence card of an entity or a fact, with the evidencing span
highlighted where the graph's NIF offsets put it."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from rich.console import Console

from spacekg.cli import main
from spacekg.errors import ParameterError
from spacekg.queries.explain import Evidence, explain
from tests.conftest import SHIPPED_RECORD


def span_texts(evidence: Evidence) -> list[str]:
    return [evidence.text[b:e] for b, e in evidence.spans]


def test_explaining_an_entity_lists_its_assertions_with_each_mention_highlighted(shipped_store):
    card = explain(shipped_store, "MOD")
    assert card.kind == "entity" and card.subject.iri == "https://w3id.org/spacekg/id/ministry-of-defense-japan"
    assert [(e.rank, e.line, e.modality, e.negated) for e in card.evidence] == [(48, 50, "Stated", False),
                                                                                (50, 52, "Stated", False)]
    assert {e.record for e in card.evidence} == {"us-japan-space-partnership.txt"}
    assert span_texts(card.evidence[0]) == ["Ministry of Defense", "MOD"]
    assert span_texts(card.evidence[1]) == ["MOD"]


def test_an_entity_named_by_a_bare_title_is_highlighted_on_the_title(shipped_store):
    card = explain(shipped_store, "Takaichi")
    assert [(e.rank, span_texts(e), e.negated) for e in card.evidence] == [
        (7, ["Takaichi"], False), (11, ["Prime Minister"], True)]


def test_explaining_a_fact_highlights_the_facts_own_offsets(shipped_store):
    card = explain(shipped_store, '"Takaichi" org:headOf Japan')
    assert card.kind == "fact" and card.predicate.label == "org:headOf"
    assert (card.subject.label, card.object.label) == ("Sanae Takaichi", "Japan")
    [e] = card.evidence
    assert (e.rank, e.line, e.negated, span_texts(e)) == (7, 9, False, ["Prime Minister Takaichi"])


def test_a_fact_may_be_given_as_words_with_a_bare_relation_or_as_an_iri(shipped_store):
    as_string = explain(shipped_store, '"Takaichi" org:headOf Japan')
    assert explain(shipped_store, ("Takaichi", "headOf", "Japan")) == as_string
    assert explain(shipped_store, ("skgid:sanae-takaichi", "http://www.w3.org/ns/org#headOf", "Q17")) == as_string


def test_a_symmetric_fact_is_found_whichever_way_it_is_asked(shipped_store):
    asked = explain(shipped_store, "Trump skg:metWith Takaichi")
    [e] = asked.evidence
    assert span_texts(e) == ["Takaichi met with President Trump"]
    assert explain(shipped_store, "Takaichi skg:metWith Trump").evidence == asked.evidence
    assert explain(shipped_store, "Japan org:headOf Takaichi").evidence == ()  # headOf is not symmetric


def test_a_denied_fact_is_shown_and_flagged_negated(korea_store):
    [e] = explain(korea_store, "KARI skg:develops Nuri").evidence
    assert e.negated and span_texts(e) == ["KARI no longer manufactures Nuri"]


def test_markdown_bolds_the_spans_and_json_gives_their_offsets(shipped_store):
    card = explain(shipped_store, "MOD")
    md = card.as_markdown()
    assert "| us-japan-space-partnership.txt | 50 | 48 | Stated | false | Japan's **Ministry of Defense** (**MOD**) needs" in md
    data = json.loads(card.as_json())
    first = data["evidence"][0]
    assert data["entity"]["label"] == "Ministry of Defense (Japan)"
    assert [(s["begin"], s["end"], s["text"]) for s in first["spans"]] == [(8, 27, "Ministry of Defense"), (29, 32, "MOD")]
    assert all(first["text"][s["begin"]:s["end"]] == s["text"] for s in first["spans"])


def test_the_table_highlights_spans_and_never_reads_data_as_markup():
    from spacekg.queries.explain import EvidenceCard, Node

    text = "[bold]Not markup[/bold] heads the Agency *and* more"
    card = EvidenceCard("entity", Node("https://example.org/x", "X [red]"),
                        evidence=(Evidence("https://example.org/a", "r.txt", 3, 1, "Stated", False, text, ((34, 40),)),))
    out = io.StringIO()
    Console(file=out, force_terminal=True, color_system="standard", width=300).print(card.as_rich())
    rendered = out.getvalue()
    assert "[bold]Not markup[/bold]" in rendered and "X [red]" in rendered
    assert "\x1b[1;7mAgency\x1b[0m" in rendered
    assert "\\*and\\*" in card.as_markdown() and "**Agency**" in card.as_markdown()


def test_overlapping_and_out_of_range_spans_are_merged_and_clipped():
    e = Evidence("a", "r", 1, 1, "Stated", False, "abcdefgh", ((1, 4), (3, 6), (7, 99)))
    assert e.segments() == [("a", False), ("bcdef", True), ("g", False), ("h", True)]


def test_an_unknown_entity_is_an_error_listing_close_candidates(shipped_store):
    with pytest.raises(ParameterError, match=r"Takaichy.*Sanae Takaichi <https://w3id.org/spacekg/id/sanae-takaichi>"):
        explain(shipped_store, "Takaichy")
    with pytest.raises(ParameterError, match="Ministry of Defense \\(Japan\\)"):
        explain(shipped_store, "Ministry of Defence")


def test_an_ambiguous_entity_is_an_error_listing_every_candidate(shipped_store):
    with pytest.raises(ParameterError) as err:
        explain(shipped_store, "National Security Strategy")
    assert "ambiguous" in str(err.value)
    assert "national-security-strategy-japan" in str(err.value)
    assert "national-security-strategy-united-states" in str(err.value)
    with pytest.raises(ParameterError, match="national-security-strategy-japan"):
        explain(shipped_store, '"National Security Strategy" skg:signed Japan')


def test_an_unknown_relation_is_an_error_listing_the_relations(shipped_store):
    with pytest.raises(ParameterError, match=r"skg:likes.*org:headOf.*skg:metWith"):
        explain(shipped_store, "Trump skg:likes Takaichi")
    with pytest.raises(ParameterError, match="unknown prefix"):
        explain(shipped_store, "Trump foo:likes Takaichi")


def test_a_name_of_three_words_is_an_entity_not_a_fact(shipped_store):
    assert explain(shipped_store, "National Space Council").subject.iri == "https://w3id.org/spacekg/id/national-space-council"
    assert explain(shipped_store, ("Ministry", "of", "Defense")).kind == "entity"
    with pytest.raises(ParameterError, match="Japan's MOD"):
        explain(shipped_store, "Japan's MOD")  # an apostrophe is not a quote


@pytest.fixture(scope="module")
def built_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("explain") / "store"
    result = CliRunner().invoke(main, ["build", str(SHIPPED_RECORD), "--store", str(store), "-q", "--no-validate"])
    assert result.exit_code == 0, result.output
    return str(store)


def test_cli_explain_prints_the_card_in_each_format(built_store):
    table = CliRunner().invoke(main, ["explain", "MOD", "--store", built_store])
    assert table.exit_code == 0, table.output
    assert "Ministry of Defense (Japan)" in table.stdout and "2 assertion(s) mention" in table.stdout
    md = CliRunner().invoke(main, ["explain", "Takaichi", "org:headOf", "Japan", "--format", "markdown",
                                   "--store", built_store])
    assert md.exit_code == 0 and "**Prime Minister Takaichi** met with President Trump" in md.stdout
    js = CliRunner().invoke(main, ["explain", '"Takaichi" org:headOf Japan', "--format", "json", "--store", built_store])
    assert js.exit_code == 0 and json.loads(js.stdout)["evidence"][0]["spans"][0]["text"] == "Prime Minister Takaichi"


def test_cli_explain_of_an_unknown_entity_exits_2_naming_the_candidates(built_store):
    result = CliRunner().invoke(main, ["explain", "Takaichy", "--store", built_store])
    assert result.exit_code == 2
    assert result.stderr.startswith("spacekg: error: no entity is called 'Takaichy'; close candidates: Sanae Takaichi")


def test_the_card_is_the_same_on_a_second_sparql_engine(shipped_store):
    from spacekg import build, open_store
    from tests.conftest import SHIPPED_RECORD

    store = open_store("rdflib:")
    build([SHIPPED_RECORD], store, validate=False)
    for target in ("MOD", '"Takaichi" org:headOf Japan', "Trump skg:metWith Takaichi"):
        assert explain(store, target) == explain(shipped_store, target)


@pytest.mark.parametrize("target", [
    'MOD" } ; DROP ALL ; #',
    "<http://x> } INSERT DATA { <a> <b> <c> } #",
    "https://w3id.org/spacekg/id/japan> } ; DROP ALL ; #",
    'Takaichi "org:headOf> } ; DROP ALL ; #" Japan',
    ("Takaichi", "org:headOf", "Japan> } ; CLEAR DEFAULT ; #"),
])
def test_hostile_targets_are_refused_and_change_nothing(shipped_store, target):
    before = len(shipped_store)
    with pytest.raises(ParameterError):
        explain(shipped_store, target)
    assert len(shipped_store) == before
