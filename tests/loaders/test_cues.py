"""The extraction's shortcuts (trigger words, the run reader, the verb rows) only ever skip what could not have matched."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis.strategies import text

from spacekg.loaders.extract import discovery, polarity, quantities, relations
from spacekg.loaders.extract.cues import Caseless, Cue, sentence_words
from spacekg.loaders.extract.gazetteer import pattern_words
from spacekg.loaders.records import read_records
from tests.conftest import FIXTURES, SHIPPED_RECORD


def _cues() -> dict[str, Cue]:
    found = {f"{m.__name__.rsplit('.', 1)[1]}.{name}": value for m in (polarity, quantities, relations)
             for name, value in vars(m).items() if isinstance(value, Cue)}
    found["discovery.title_cue"] = discovery.title_cue()
    return found


def _sentences() -> list[str]:
    records = [r for f in [SHIPPED_RECORD, *sorted((FIXTURES / "records").glob("*.txt"))] for r in read_records(f)]
    return [t for r in records for t in (r.summary, *(a.text for a in r.assertions)) if t]


def test_the_stages_cue_patterns_are_guarded():
    assert {"polarity._NEGATION", "polarity._HEDGED", "relations._MEET", "discovery.title_cue"} <= set(_cues())


@pytest.mark.parametrize("name", sorted(_cues()))
def test_every_match_in_the_records_contains_one_of_the_cues_triggers(name):
    cue = _cues()[name]
    matched = 0
    for sentence in _sentences():
        for m in cue.pattern.finditer(sentence):
            if not m.group():
                continue
            matched += 1
            text = m.group().casefold()
            assert not cue.words.isdisjoint(sentence_words(text)) or any(f in text for f in cue.fragments), \
                f"{name}: {m.group()!r} holds no trigger"
            assert cue.may_occur(sentence)
    assert matched, f"{name} matched nothing: the check proved nothing"


def test_a_sentence_without_triggers_skips_the_pattern_and_one_with_them_runs_it():
    negation = polarity._NEGATION
    assert negation.search("The agency launched two satellites.") is None
    assert negation.search("The agency hasn't launched anything.").group() == "hasn't"
    assert negation.search("It did NOT launch.").group() == "NOT"
    assert "launched" in sentence_words("The agency LAUNCHED two.")


def test_the_run_reader_finds_each_word_where_the_word_pattern_does():
    text = "The U.S. Space Force's Space Systems Command and A&B Corp. met Dr. Lee of the Agency for X, in 2025."
    runs = [(w.text, w.start, w.end) for run in discovery._runs(text) for w in run]
    words = {(m.group(), m.start(), m.end()) for m in discovery._WORD.finditer(text)}
    assert len(runs) > 8 and set(runs) <= words


def test_scanning_only_for_the_verbs_a_sentence_holds_finds_what_scanning_for_all_does():
    every_row = tuple(range(len(relations.relation_verbs())))
    by_word = relations._verb_rows()
    found = 0
    for sentence in _sentences():
        rows = tuple(sorted(set().union(*(by_word[w] for w in sentence_words(sentence) & by_word.keys()))))
        for full, restricted in zip(relations._verb_scanners(every_row), relations._verb_scanners(rows)):
            expected = [(m.span(), m.lastgroup) for m in full.finditer(sentence)]
            got = [(m.span(), m.lastgroup) for m in restricted.finditer(sentence)] if rows and restricted else []
            assert got == expected, sentence
            found += len(expected)
    assert found > 20


def test_titles_grouped_by_first_character_match_what_the_flat_alternation_does():
    flat = re.compile(r"(?<![\w-])(?:" + "|".join(
        sorted((re.escape(t.text) for t in discovery.titles().values()), key=len, reverse=True)) + r")(?![\w-])")
    grouped = discovery.title_pattern()
    found = 0
    for sentence in [*_sentences(), "Vice-President Lee", "ex-Minister Kim", "The Minister; Deputy Minister X."]:
        expected = [m.span() for m in flat.finditer(sentence)]
        assert [m.span() for m in grouped.finditer(sentence)] == expected, sentence
        found += len(expected)
    assert found > 20


def test_class_nouns_grouped_by_first_character_match_what_the_flat_alternation_does():
    flat = "|".join(sorted((re.escape(n) for n in discovery.class_nouns()), key=len, reverse=True))
    found = 0
    for shape in (r"\b(?P<n>{})\b", r"\b(?P<n>{}),\s+", r"\s+(?:[a-z][\w-]*\s+){{0,3}}?(?P<n>{})\b"):
        expected_rx, grouped_rx = re.compile(shape.format(flat)), re.compile(shape.format(discovery._noun_pattern()))
        for sentence in _sentences():
            expected = [(m.span(), m.group("n")) for m in expected_rx.finditer(sentence)]
            assert [(m.span(), m.group("n")) for m in grouped_rx.finditer(sentence)] == expected, sentence
            found += len(expected)
    assert found > 20


def test_the_noun_cues_before_a_name_find_from_the_tail_what_a_full_search_does():
    found = 0
    for sentence in [*_sentences(), "the first satellite, ", "its launch company  ", "a start-up,\n"]:
        for end in range(len(sentence) + 1):
            before = sentence[max(0, end - 80):end]
            tail = max(0, len(before.rstrip()) - discovery._longest_noun() - 1)
            for name in ("named", "preceding"):
                rx = discovery._noun_cues()[name]
                full = rx.search(before)
                assert (m.span() if (m := rx.search(before, tail)) else None) == (full.span() if full else None)
                found += full is not None
    assert found > 20


def test_a_cue_built_after_a_sentence_was_tested_still_finds_its_triggers():
    sentence = "The agency will deorbit the satellite in a controlled reentry."
    assert not polarity._NEGATION.may_occur(sentence)  # the sentence's mask is now memoised
    late = Cue(re.compile(r"\bdeorbit\b"), ["deorbit"], ["reentr"])
    fragment_only = Cue(re.compile(r"reentry"), [], ["reentr"])
    assert late.may_occur(sentence) and fragment_only.may_occur(sentence)
    assert late.search(sentence).group() == "deorbit"
    assert not Cue(re.compile(r"\blaunch\b"), ["launch"]).may_occur(sentence)


def test_the_cues_ending_before_a_name_find_from_its_last_words_what_a_full_search_does():
    patterns = [discovery._ROLE_BEFORE, discovery._AFFILIATION_BEFORE, discovery._PLACE_BEFORE,
                discovery._SOURCE_BEFORE]
    found = 0
    for sentence in [*_sentences(), "an analyst  at\tthe ", "a co-head with ", "According to\n", "plug-in "]:
        for end in range(len(sentence) + 1):
            before = sentence[max(0, end - 80):end]
            words = before.rsplit(None, 3)
            near = len(words[0]) if len(words) == 4 else 0
            for rx in patterns:
                full = rx.search(before)
                assert (m.span() if (m := rx.search(before, near)) else None) == (full.span() if full else None)
                found += full is not None
            full = discovery._ARTICLE_BEFORE.search(before)
            near = discovery._ARTICLE_BEFORE.search(before, max(0, len(before.rstrip()) - 2))
            assert (near.span() if near else None) == (full.span() if full else None)
    assert found > 20


def test_a_caseless_cue_run_over_the_casefolded_text_finds_what_the_case_insensitive_pattern_does():
    runs = [value for m in (polarity, relations) for value in vars(m).values() if isinstance(value, Caseless)]
    assert len(runs) >= 5
    found = 0
    for run in runs:
        assert not re.search(r"[A-Z]", re.sub(r"\\.", "", run.caseless.pattern)), "the letters are lowercase"
        for sentence in [*_sentences(), "It will NOT launch, WHICH IS NEEDED.", "İt wıll not, ǅ SHOULD ß."]:
            expected = [m.span() for m in run.caseless.finditer(sentence)]
            assert run.spans(sentence) == expected, sentence
            assert run.search(sentence) == bool(expected)
            assert run.span(sentence) == (expected[0] if expected else None)
            found += len(expected)
    assert found > 20


def test_the_sentence_words_are_its_runs_of_letters_casefolded():
    assert sentence_words("FY26 budget: $2billion, Japan’s H3_rocket") == {
        "fy", "budget", "billion", "japan", "s", "h", "rocket"}
    # outside ASCII the Unicode letters count ("ß" folds to "ss"; the Arabic-Indic "٣" is a digit)
    assert sentence_words("Straße Ünïcode ǅ Ĳ x٣y") == {"strasse", "ünïcode", "ǆ", "ĳ", "x", "y"}


def test_the_run_readers_word_pattern_matches_what_the_plain_pattern_does():
    # `discovery._WORD` is written to spare `re` a repeat context per word; this is the plain form
    plain = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Z]\.(?=\s)|&|[\w’']+(?:[-‐][\w’']+)*")
    for text in [*_sentences(), "e.U.S. D.C.'s x-Y a--B -C A.B U.S.-Japan rock’n’roll's it's' a-b-c d‐e- f Ünï-Çé"]:
        assert discovery._WORD.findall(text) == plain.findall(text), text


@settings(max_examples=400, deadline=None)
@given(text(alphabet="aZé9_²Ⅻ '’s.,-‐‑–—$&()J.\u00a0\u2003\t\n\x1cǅ", max_size=40))
def test_the_run_reader_reads_chunk_by_chunk_the_words_the_pattern_finds_in_the_whole_text(sample):
    # the run reader takes a plain word or number chunk as it is and reads the other chunks with
    # `_WORD` up to the next character (its `(?=\s)` looks there): the same words, at the same spans
    words, starts, ends = pattern_words(sample, discovery._WORD)
    assert words == discovery._WORD.findall(sample)
    assert list(zip(words, starts, ends)) == [(m.group(), *m.span()) for m in discovery._WORD.finditer(sample)]


def test_the_run_reader_reads_the_words_of_every_record_sentence_that_the_pattern_finds():
    for sentence in [*_sentences(), "Dr. J. Smith met A.B. Jones & Co.; U.S.-Japan e.U.S. x-Y a--B J.\n"]:
        words, starts, ends = pattern_words(sentence, discovery._WORD)
        assert words == discovery._WORD.findall(sentence), sentence
        assert list(zip(words, starts, ends)) == [(m.group(), *m.span()) for m in discovery._WORD.finditer(sentence)]


def test_the_price_cue_before_an_amount_finds_from_its_last_words_what_a_full_search_does():
    from types import SimpleNamespace

    found = 0
    for sentence in [*_sentences(), "a contract  valued\tat about three more $5", "it costs, worth the MARKET OF x y z ",
                     "(cost a b c $1", "a contract of one two three four $2"]:
        for end in range(len(sentence) + 1):
            full = relations._PRICE_BEFORE.search(sentence[:end]) or relations._PRICE_AFTER.match(sentence[end:])
            assert relations._is_price(sentence, SimpleNamespace(start=end, end=end)) == bool(full)
            found += full is not None
    assert found > 20
