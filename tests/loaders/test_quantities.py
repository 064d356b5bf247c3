"""Quantities: money, percentages, multipliers, frequencies, durations, fiscal years, dates, years and
counts, as `spacekg.loaders.extract.quantities.extract_quantities` reads them (SPEC §3 and the
"Money and percentages" guidelines of eval/README.md). One test per behaviour."""

from __future__ import annotations

import re
from decimal import Decimal
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spacekg.loaders.extract import quantities as module
from spacekg.loaders.extract.quantities import extract_quantities, parse_figure
from spacekg.loaders.records import read_records
from spacekg.model import Quantity, QuantityKind
from tests.conftest import FIXTURES, SHIPPED_RECORD

MONEY = QuantityKind.MONEY
PERCENT = QuantityKind.PERCENT
MULTIPLIER = QuantityKind.MULTIPLIER
COUNT = QuantityKind.COUNT
FREQUENCY = QuantityKind.FREQUENCY
DURATION = QuantityKind.DURATION
YEAR = QuantityKind.YEAR
FISCAL_YEAR = QuantityKind.FISCAL_YEAR
DATE = QuantityKind.DATE


def of(text: str, kind: QuantityKind | None = None) -> list[Quantity]:
    return [q for q in extract_quantities(text) if kind is None or q.kind is kind]


def only(text: str, kind: QuantityKind) -> Quantity:
    found = of(text, kind)
    assert len(found) == 1, found
    return found[0]


def money(text: str) -> list[tuple[Decimal, str]]:
    return [(q.value, q.currency) for q in of(text, MONEY)]


def D(value) -> Decimal:
    return Decimal(str(value))


def shipped_assertions(path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Every atomic assertion"))
    return [line.strip() for line in lines[header + 1:] if line.strip()]


# ----------------------------------------------------------------------------- money


@pytest.mark.parametrize(("text", "surface", "value", "currency"), [
    ("The agency got $7 billion.", "$7 billion", 7e9, "USD"),
    ("It raised US$ 7bn.", "US$ 7bn", 7e9, "USD"),
    ("They spent 7 billion dollars.", "7 billion dollars", 7e9, "USD"),
    ("Japan allocated ¥1 trillion.", "¥1 trillion", 1e12, "JPY"),
    ("Japan allocated a trillion yen.", "a trillion yen", 1e12, "JPY"),
    ("Japan allocated one trillion yen.", "one trillion yen", 1e12, "JPY"),
    ("ESA got €4.5 billion.", "€4.5 billion", 4.5e9, "EUR"),
    ("ESA got 4.5 billion euros.", "4.5 billion euros", 4.5e9, "EUR"),
    ("ESA got EUR 3 billion.", "EUR 3 billion", 3e9, "EUR"),
    ("The UK gave £2.1m.", "£2.1m", 2.1e6, "GBP"),
    ("ISRO got 2,500 crore rupees.", "2,500 crore rupees", 2.5e10, "INR"),
    ("ISRO got Rs 1,500 crore.", "Rs 1,500 crore", 1.5e10, "INR"),
    ("ISRO got ₹13,416 crore.", "₹13,416 crore", 1.3416e11, "INR"),
    ("India set aside ₹1 lakh crore.", "₹1 lakh crore", 1e12, "INR"),
    ("KASA gets 1.2 trillion won.", "1.2 trillion won", 1.2e12, "KRW"),
    ("Grants are worth 10 billion won per project.", "10 billion won", 1e10, "KRW"),
    ("It costs 50,000 won.", "50,000 won", 5e4, "KRW"),
    ("It is a $700 million deal.", "$700 million", 7e8, "USD"),
    ("It is a $1.5B contract.", "$1.5B", 1.5e9, "USD"),
    ("It costs half a billion dollars.", "half a billion dollars", 5e8, "USD"),
    ("It costs two billion dollars.", "two billion dollars", 2e9, "USD"),
    ("It costs seven hundred million euros.", "seven hundred million euros", 7e8, "EUR"),
    ("It costs one and a half billion dollars.", "one and a half billion dollars", 1.5e9, "USD"),
    ("It costs $500,000.", "$500,000", 5e5, "USD"),
    ("Australia gave A$1.2 billion.", "A$1.2 billion", 1.2e9, "AUD"),
    ("Australia gave AUD 300 million.", "AUD 300 million", 3e8, "AUD"),
    ("Australia gave 500 million Australian dollars.", "500 million Australian dollars", 5e8, "AUD"),
    ("Canada gave C$2 billion.", "C$2 billion", 2e9, "CAD"),
    ("Canada gave 3 billion Canadian dollars.", "3 billion Canadian dollars", 3e9, "CAD"),
    ("Switzerland gave 400 million Swiss francs.", "400 million Swiss francs", 4e8, "CHF"),
    ("Switzerland gave CHF 200 million.", "CHF 200 million", 2e8, "CHF"),
    ("Brazil spent R$ 3 billion.", "R$ 3 billion", 3e9, "BRL"),
    ("Brazil spent 4 billion reais.", "4 billion reais", 4e9, "BRL"),
    ("Brazil spent 2 billion real.", "2 billion real", 2e9, "BRL"),
    ("The UAE gave AED 3 billion.", "AED 3 billion", 3e9, "AED"),
    ("The UAE gave 2 billion dirhams.", "2 billion dirhams", 2e9, "AED"),
    ("Israel gave 1.5 billion shekels.", "1.5 billion shekels", 1.5e9, "ILS"),
    ("China spent 10 billion yuan.", "10 billion yuan", 1e10, "CNY"),
    ("China spent 5 billion renminbi.", "5 billion renminbi", 5e9, "CNY"),
    ("China spent RMB 3 billion.", "RMB 3 billion", 3e9, "CNY"),
    ("China spent CNY 2 billion.", "CNY 2 billion", 2e9, "CNY"),
    ("Russia spent 100 billion rubles.", "100 billion rubles", 1e11, "RUB"),
    ("Russia spent 50 billion roubles.", "50 billion roubles", 5e10, "RUB"),
    ("The UK spent 1 billion pounds sterling.", "1 billion pounds sterling", 1e9, "GBP"),
    ("Europe spent 3 billion EUR.", "3 billion EUR", 3e9, "EUR"),
    ("Korea spent ₩500 billion.", "₩500 billion", 5e11, "KRW"),
])
def test_money_amount_is_in_units_with_its_iso_currency(text, surface, value, currency):
    q = only(text, MONEY)
    assert (q.surface, q.value, q.currency) == (surface, D(value), currency)


def test_hyphenated_amount_before_a_noun_is_money():
    q = only("Congress approved a $7-billion budget.", MONEY)
    assert (q.surface, q.value, q.currency) == ("$7-billion", D(7e9), "USD")


def test_redundant_currency_code_after_an_amount_stays_in_its_span():
    q = only("The award was $7 billion USD.", MONEY)
    assert (q.surface, q.value, q.currency) == ("$7 billion USD", D(7e9), "USD")


def test_lone_amount_has_no_bound_qualifier_or_group():
    q = only("NASA received $25.4 billion.", MONEY)
    assert (q.bound, q.qualifier, q.group) == (None, None, None)


@pytest.mark.parametrize("text", [
    "It will cost between $1 billion and $2 billion.",
    "It will cost $1–2 billion.",
    "It will cost $1-2 billion.",
    "It will cost $1 to $2 billion.",
    "It will cost from $1 billion to $2 billion.",
])
def test_range_gives_two_amounts_min_then_max(text):
    low, high = of(text, MONEY)
    assert (low.value, low.currency, low.bound) == (D(1e9), "USD", "min")
    assert (high.value, high.currency, high.bound) == (D(2e9), "USD", "max")
    assert low.end <= high.start


def test_range_written_with_a_currency_word_after_it():
    assert [(q.value, q.currency, q.bound) for q in of("It will cost 1 to 2 trillion yen.", MONEY)] == [
        (D(1e12), "JPY", "min"), (D(2e12), "JPY", "max")]


def test_range_carries_the_scale_only_to_a_smaller_bare_first_figure():
    assert [q.value for q in of("Between $500 and $2 billion was spent.", MONEY)] == [D(500), D(2e9)]


def test_change_from_one_amount_to_another_is_not_a_range():
    found = of("The budget rose from €7.2 billion to €7.7 billion.", MONEY)
    assert [(q.value, q.bound) for q in found] == [(D(7.2e9), None), (D(7.7e9), None)]


def test_two_amounts_joined_by_and_without_between_are_not_a_range():
    found = of("It spent $1 billion and $2 billion on two programs.", MONEY)
    assert [(q.value, q.bound) for q in found] == [(D(1e9), None), (D(2e9), None)]


@pytest.mark.parametrize("words", ["over", "more than", "at least", "topped", "exceeding", "in excess of",
                                   "upwards of", "has topped over"])
def test_lower_bound_words_give_bound_min_and_keep_the_value(words):
    q = only(f"Spending {words} $7 billion.", MONEY)
    assert (q.value, q.bound, q.qualifier, q.surface) == (D(7e9), "min", None, "$7 billion")


@pytest.mark.parametrize("words", ["under", "up to", "less than", "no more than", "below"])
def test_upper_bound_words_give_bound_max_and_keep_the_value(words):
    q = only(f"Spending is {words} $7 billion.", MONEY)
    assert (q.value, q.bound, q.qualifier) == (D(7e9), "max", None)


@pytest.mark.parametrize("words", ["about", "almost", "roughly", "around", "nearly", "approximately", "some",
                                   "an estimated"])
def test_softening_words_become_the_qualifier_and_keep_the_value(words):
    q = only(f"Spending reached {words} $7 billion.", MONEY)
    assert (q.value, q.bound, q.qualifier) == (D(7e9), None, words)


def test_bound_and_qualifier_combine():
    q = only("Spending is well over $7 billion.", MONEY)
    assert (q.bound, q.qualifier) == ("min", "well")


@pytest.mark.parametrize(("text", "expected"), [
    ("Spending has topped over a trillion yen, or over $7 billion.",
     [(D(1e12), "JPY", "min"), (D(7e9), "USD", "min")]),
    ("Spending was ¥1 trillion ($7 billion).", [(D(1e12), "JPY", None), (D(7e9), "USD", None)]),
    ("Spending was €4 billion (about $4.3 billion).", [(D(4e9), "EUR", None), (D(4.3e9), "USD", None)]),
    ("It cost ₹5,000 crore, roughly $600 million.", [(D(5e10), "INR", None), (D(6e8), "USD", None)]),
    ("Japan spent 2 billion yen or 3 billion dollars.", [(D(2e9), "JPY", None), (D(3e9), "USD", None)]),
])
def test_restated_amount_in_two_currencies_shares_a_group(text, expected):
    found = of(text, MONEY)
    assert [(q.value, q.currency, q.bound) for q in found] == expected
    assert found[0].group is not None and found[0].group == found[1].group


def test_each_restated_amount_gets_its_own_group():
    a, b, c, d = of("Spending was ¥1 trillion ($7 billion) and €4 billion (about $4.3 billion).", MONEY)
    assert a.group == b.group and c.group == d.group and a.group != c.group


def test_restatement_in_three_currencies_is_one_group():
    found = of("The deal is worth 3 billion euros ($3.3 billion, £2.6 billion).", MONEY)
    assert len({q.group for q in found}) == 1 and found[0].group is not None


def test_restated_range_pairs_min_with_min_and_max_with_max():
    low_jpy, high_jpy, low_usd, high_usd = of("Spending reached ¥1–2 trillion ($7–14 billion).", MONEY)
    assert (low_jpy.value, high_jpy.value, low_usd.value, high_usd.value) == (D(1e12), D(2e12), D(7e9), D(14e9))
    assert low_jpy.group == low_usd.group != high_jpy.group == high_usd.group


def test_amounts_in_one_currency_are_not_restatements():
    found = of("It cost $5 billion, or $6 billion with launch.", MONEY)
    assert [q.group for q in found] == [None, None]


# ---------------------------------------------------------------- words that look like money


@pytest.mark.parametrize("text", [
    "South Korea won the contract.",
    "Japan won 2 awards.",
    "The team of 3 billion won the bid.",
    "They faced two real problems.",
    "Japan has a yen for cooperation.",
    "In 2020 dollars, the program was cheaper.",
    "The engine makes 2,000 pounds of thrust.",
    "The SAR 2 satellite imaged Tokyo.",
    "Costs reached tens of billions of dollars in a multi-billion-dollar effort.",
])
def test_ordinary_words_next_to_a_figure_are_not_money(text):
    assert money(text) == []


def test_year_before_dollars_is_a_year():
    assert [q.temporal for q in of("In 2020 dollars, the program was cheaper.", YEAR)] == ["2020"]


def test_counts_are_never_money():
    assert money("Starlink has 3 billion users and 40 satellites.") == []


# ----------------------------------------------------------------------------- percentages


@pytest.mark.parametrize(("text", "surface", "value"), [
    ("Capacity fell 97.9%.", "97.9%", 97.9),
    ("Capacity fell 40 percent.", "40 percent", 40),
    ("Capacity fell 40 per cent.", "40 per cent", 40),
    ("Spending will hit 2% of GDP.", "2%", 2),
    ("Capacity fell ten percent.", "ten percent", 10),
    ("Capacity fell 0.01%.", "0.01%", 0.01),
])
def test_percentage_is_written_as_stated_with_unit_code_p1(text, surface, value):
    q = only(text, PERCENT)
    assert (q.surface, q.value, q.unit_code, q.currency) == (surface, D(value), "P1", None)


def test_percentage_points_are_percent_with_unit_text():
    q = only("Growth was 2 percentage points higher.", PERCENT)
    assert (q.value, q.unit_code, q.unit_text) == (D(2), "P1", "percentage points")


@pytest.mark.parametrize("text", ["between 2 and 3 percent", "2–3%", "2% to 3%"])
def test_percentage_range_gives_min_and_max(text):
    assert [(q.value, q.bound) for q in of(f"Growth is {text}.", PERCENT)] == [(D(2), "min"), (D(3), "max")]


# ----------------------------------------------------------------------------- multipliers


@pytest.mark.parametrize(("text", "surface", "value"), [
    ("It is three times what it was.", "three times", 3),
    ("The budget doubled.", "doubled", 2),
    ("The budget tripled.", "tripled", 3),
    ("The budget quadrupled.", "quadrupled", 4),
    ("The budget grew twofold.", "twofold", 2),
    ("The budget grew 10-fold.", "10-fold", 10),
    ("The budget grew 2x.", "2x", 2),
    ("The budget is twice as large.", "twice", 2),
    ("The budget grew by a factor of three.", "factor of three", 3),
])
def test_multiplier_has_a_value_and_unit_text_times(text, surface, value):
    q = only(text, MULTIPLIER)
    assert (q.surface, q.value, q.unit_text) == (surface, D(value), "times")


def test_almost_doubled_is_a_multiplier_with_a_qualifier():
    q = only("The Space Force budget has almost doubled.", MULTIPLIER)
    assert (q.value, q.qualifier) == (D(2), "almost")


def test_more_than_doubled_is_a_multiplier_with_bound_min():
    assert only("The budget more than doubled.", MULTIPLIER).bound == "min"


def test_double_or_triple_gives_two_multipliers():
    assert [q.value for q in of("The budget will probably double or triple.", MULTIPLIER)] == [D(2), D(3)]


def test_three_times_is_not_a_count():
    assert of("It is three times larger.", COUNT) == [] and only("It is three times larger.", MULTIPLIER)


@pytest.mark.parametrize("text", [
    "It is a double standard.", "The lab doubles as a hangar.", "Japan doubled down on launch.",
    "It saw double-digit growth.",
])
def test_double_as_an_adjective_or_idiom_is_not_a_multiplier(text):
    assert of(text, MULTIPLIER) == []


# ----------------------------------------------------------------------------- frequencies


@pytest.mark.parametrize(("text", "surface", "value", "unit_code", "unit_text"), [
    ("It revisits once every 10 minutes.", "once every 10 minutes", 1, "MIN", "per 10 minutes"),
    ("It meets twice a year.", "twice a year", 2, "ANN", "per year"),
    ("It orbits every 90 minutes.", "every 90 minutes", 1, "MIN", "per 90 minutes"),
    ("It flies three times a week.", "three times a week", 3, "WEE", "per week"),
    ("It reports twice daily.", "twice daily", 2, "DAY", "per day"),
    ("It meets once every other year.", "once every other year", 1, "ANN", "per 2 years"),
])
def test_frequency_counts_occurrences_per_stated_period(text, surface, value, unit_code, unit_text):
    q = only(text, FREQUENCY)
    assert (q.surface, q.value, q.unit_code, q.unit_text) == (surface, D(value), unit_code, unit_text)


def test_count_followed_by_a_period_is_a_frequency():
    q = only("SpaceX plans 40 launches a year.", FREQUENCY)
    assert (q.value, q.unit_code, q.unit_text) == (D(40), "ANN", "launches per year")


def test_frequency_keeps_its_qualifier():
    assert only("The rate is around once every 10 minutes.", FREQUENCY).qualifier == "around"


def test_three_times_a_week_is_not_also_a_multiplier():
    assert of("It flies three times a week.", MULTIPLIER) == []


# ----------------------------------------------------------------------------- durations


@pytest.mark.parametrize(("text", "surface", "value", "unit_code"), [
    ("The plan runs over ten years.", "ten years", 10, "ANN"),
    ("It ended a nearly two-year break.", "two-year", 2, "ANN"),
    ("It ran for five years.", "five years", 5, "ANN"),
    ("It took 18 months.", "18 months", 18, "MON"),
    ("It was a 24-hour exercise.", "24-hour", 24, "HUR"),
    ("It lasted three weeks.", "three weeks", 3, "WEE"),
    ("It lasted 45 days.", "45 days", 45, "DAY"),
    ("It lasted 30 minutes.", "30 minutes", 30, "MIN"),
    ("It lasted two decades.", "two decades", 2, "DEC"),
])
def test_duration_has_value_and_unit_code(text, surface, value, unit_code):
    q = only(text, DURATION)
    assert (q.surface, q.value, q.unit_code) == (surface, D(value), unit_code)


def test_duration_keeps_its_qualifier():
    assert only("It ended a nearly two-year break.", DURATION).qualifier == "nearly"


def test_over_a_duration_means_during_it():
    assert only("The plan runs over ten years.", DURATION).bound is None


def test_for_over_a_duration_is_a_lower_bound():
    assert only("The plan has run for over ten years.", DURATION).bound == "min"


@pytest.mark.parametrize("text", [
    "Japan's PFI provides data with a days-long process.",
    "NASA changed its approach twice in as many years.",
    "It happened a few years ago.",
    "It took a decade-long effort.",
])
def test_duration_without_a_figure_is_skipped(text):
    assert of(text, DURATION) == []


def test_duration_range_gives_min_and_max():
    assert [(q.value, q.bound) for q in of("It slipped by two to three years.", DURATION)] == [
        (D(2), "min"), (D(3), "max")]


# ----------------------------------------------------------------------------- fiscal years


@pytest.mark.parametrize(("text", "surface", "year"), [
    ("The FY2026 budget.", "FY2026", 2026),
    ("The FY 2026 budget.", "FY 2026", 2026),
    ("The FY26 budget.", "FY26", 2026),
    ("The fiscal year 2026 budget.", "fiscal year 2026", 2026),
    ("In fiscal 2026, spending rose.", "fiscal 2026", 2026),
    ("The 2026 fiscal year budget.", "2026 fiscal year", 2026),
    ("The 2025-26 budget.", "2025-26", 2025),
    ("The 2025–26 budget.", "2025–26", 2025),
    ("The FY2025-26 budget.", "FY2025-26", 2025),
])
def test_fiscal_year_value_and_temporal_are_its_first_year(text, surface, year):
    q = only(text, FISCAL_YEAR)
    assert (q.surface, q.value, q.temporal) == (surface, D(year), str(year))


def test_fiscal_year_is_not_also_a_bare_year():
    assert of("Japan's proposed fiscal year 2026 budget.", YEAR) == []


def test_non_consecutive_split_years_are_not_a_fiscal_year():
    assert of("The 2025-27 plan.", FISCAL_YEAR) == []


# ----------------------------------------------------------------------------- dates


@pytest.mark.parametrize(("text", "surface", "temporal", "qualifier"), [
    ("They met in November.", "November", "--11", None),
    ("It was announced in late December.", "December", "--12", "late"),
    ("It launched in July 2025.", "July 2025", "2025-07", None),
    ("It launched on March 3, 2025.", "March 3, 2025", "2025-03-03", None),
    ("It launched on 4 March 2024.", "4 March 2024", "2024-03-04", None),
    ("An order was released last December.", "December", "--12", "last"),
    ("It launched on Sept. 11, 2001.", "Sept. 11, 2001", "2001-09-11", None),
    ("It launched in mid-May.", "May", "--05", "mid"),
    ("It launched on 2025-03-03.", "2025-03-03", "2025-03-03", None),
])
def test_date_has_an_iso_temporal_value(text, surface, temporal, qualifier):
    q = only(text, DATE)
    assert (q.surface, q.temporal, q.qualifier, q.value) == (surface, temporal, qualifier, None)


def test_season_without_a_year_is_skipped():
    assert of("This summer, Japan will update three key security documents.", DATE) == []


def test_season_with_a_year_is_that_year_with_a_qualifier():
    q = only("It launches in summer 2025.", YEAR)
    assert (q.temporal, q.qualifier) == ("2025", "summer")


@pytest.mark.parametrize("text", ["It may happen soon.", "Theresa May spoke.", "A Long March 5 rocket flew.",
                                  "They will march on."])
def test_month_name_used_as_a_word_or_name_is_not_a_date(text):
    assert of(text, DATE) == []


# ----------------------------------------------------------------------------- years


@pytest.mark.parametrize(("text", "year", "bound", "qualifier"), [
    ("The ISS retires around 2030.", 2030, None, "around"),
    ("The ISS may fly beyond 2032.", 2032, "min", None),
    ("It launches in 2027.", 2027, None, None),
    ("It is due by 2030.", 2030, "max", None),
    ("It has grown since 2019.", 2019, "min", None),
    ("It launches in mid-2025.", 2025, None, "mid"),
    ("The treaty of 1967 holds.", 1967, None, None),
])
def test_bare_year_has_temporal_value_bound_and_qualifier(text, year, bound, qualifier):
    q = only(text, YEAR)
    assert (q.value, q.temporal, q.bound, q.qualifier) == (D(year), str(year), bound, qualifier)


def test_comparison_before_a_year_is_not_its_bound():
    assert only("The budget is 24% less than in 2025.", YEAR).bound is None


@pytest.mark.parametrize("text", ["Resolution 2758 passed.", "It has 2,030 parts.", "A 2500 kg payload.",
                                  "ISO 9001 applies.", "Saudi Vision 2030 targets growth.", "In the 1990s."])
def test_implausible_or_named_four_digit_numbers_are_not_years(text):
    assert of(text, YEAR) == []


def test_year_range_gives_min_and_max():
    assert [(q.temporal, q.bound) for q in of("It runs from 2025 to 2030.", YEAR)] == [
        ("2025", "min"), ("2030", "max")]


# ----------------------------------------------------------------------------- counts


@pytest.mark.parametrize(("text", "surface", "value", "noun"), [
    ("Japan has 40 satellites.", "40 satellites", 40, "satellites"),
    ("Japan will update three key security documents.", "three key security documents", 3, "documents"),
    ("Starlink has 3 billion users.", "3 billion users", 3e9, "users"),
    ("It has 40 Starlink satellites.", "40 Starlink satellites", 40, "satellites"),
    ("It hired 1,000 people.", "1,000 people", 1000, "people"),
    ("It ordered two dozen rockets.", "two dozen rockets", 24, "rockets"),
    ("It launched one satellite.", "one satellite", 1, "satellite"),
    ("Seven hundred and fifty satellites flew.", "Seven hundred and fifty satellites", 750, "satellites"),
])
def test_count_has_a_value_and_its_counted_noun(text, surface, value, noun):
    q = only(text, COUNT)
    assert (q.surface, q.value, q.unit_text) == (surface, D(value), noun)


def test_count_keeps_its_bound():
    assert only("It has more than 40 satellites.", COUNT).bound == "min"


@pytest.mark.parametrize("text", ["It lifts 30 tonnes to orbit.", "It flies at 550 km.", "It weighs 1 kg."])
def test_units_of_measure_are_not_counts(text):
    assert of(text, COUNT) == []


@pytest.mark.parametrize("text", [
    "Japan is spending the third-largest amount of money in the world.",
    "It was the first commercial station.",
    "One or more commercial stations will succeed it.",
    "Japan is still one of the U.S.'s topmost partners.",
    "No one knows.",
    "It took 3rd place.",
])
def test_ordinals_pronouns_and_one_or_more_are_not_counts(text):
    assert of(text) == []


# ----------------------------------------------------------------------------- identifiers


@pytest.mark.parametrize("text", [
    "Chandrayaan-3 landed.", "It flew on a Falcon 9.", "Japan's H3 flew.", "CLPS 2.0 continues.",
    "Artemis II flew.", "COVID-19 slowed work.", "5G networks grow.", "The F-35 flew.", "The G7 met.",
    "Article 9 applies.", "Section 230 applies.", "It is No. 1.", "GPT-4 helps.", "Budgets for Commercial Lunar "
    "Payload Services 2.0 are expected to increase significantly.", "It runs 24/7.", "It happened on 9/11.",
    "It starts at 10:30.",
])
def test_digits_inside_identifiers_are_not_quantities(text):
    assert of(text) == []


# ----------------------------------------------------------------------------- figures


@pytest.mark.parametrize(("text", "value"), [
    ("2,500 crore", 2.5e10), ("half a billion", 5e8), ("seven hundred million", 7e8), ("a trillion", 1e12),
    ("one and a half billion", 1.5e9), ("a billion and a half", 1.5e9), ("two hundred and fifty thousand", 250000),
    ("twenty-five", 25), ("1 lakh crore", 1e12), ("20 thousand crore", 2e11), ("7bn", 7e9), ("1,50,000", 150000),
    ("97.9", 97.9), ("a dozen", 12),
])
def test_figures_in_words_and_digits_parse_to_units(text, value):
    assert parse_figure(text) == D(value)


@pytest.mark.parametrize("text", ["two three", "billion", "and", "10 20"])
def test_malformed_figures_are_rejected(text):
    assert parse_figure(text) is None


# ----------------------------------------------------------------------------- output shape


SENTENCES = [
    "Japan's proposed fiscal year 2026 budget for space security has topped over a trillion yen, or over $7 "
    "billion, which is about three times what it was a few years ago.",
    "ISRO received ₹13,416 crore in 2025-26, up 40 percent from Rs 9,500 crore, or about $1.1 billion.",
    "It will cost between $1 billion and $2 billion over five years, starting in March 2026.",
    "The Chinese ISR revisit rate over Japan is around once every 10 minutes.",
    "İstanbul hosted 40 delegates and ¥1 trillion was pledged.",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_spans_index_the_text_and_results_are_sorted(text):
    found = extract_quantities(text)
    assert found
    assert all(q.surface == text[q.start:q.end] for q in found)
    assert [q.start for q in found] == sorted(q.start for q in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


@pytest.mark.parametrize("text", SENTENCES)
def test_fast_anchor_scan_agrees_with_the_token_by_token_scan(text):
    assert module._anchors(text) == module._anchors_by_token(text)


_PIECES = ["$", "€", "¥", "₹", "Rs", "US$", "1", "2,500", "97.9", "%", "percent", "a", "half", "one", "twenty-five",
           "hundred", "million", "billion", "crore", "lakh", "yen", "dollars", "won", "real", "or", "and", "to", "–",
           "between", "over", "about", "(", ")", ",", "FY2026", "2025-26", "fiscal", "year", "every", "once", "times",
           "doubled", "double", "May", "December", "late", "by", "2030", "satellites", "Falcon", "9", "mid-", "İ",
           "per", "minutes", "bn", "B", "—", "/", "."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14), st.sampled_from([" ", ""]))
def test_any_text_gives_sorted_disjoint_spans_that_index_it(pieces, joiner):
    text = joiner.join(pieces)
    found = extract_quantities(text)
    assert all(q.surface == text[q.start:q.end] for q in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


def test_text_without_quantities_gives_an_empty_list():
    assert extract_quantities("") == [] and extract_quantities("Space remains a strategic part of the alliance.") == []


def test_values_are_decimals():
    assert all(isinstance(q.value, Decimal) for q in of(SENTENCES[0]) if q.value is not None)


def test_currency_table_ships_as_package_data_with_iso_codes():
    table = resources.files("spacekg.loaders.extract").joinpath("currencies.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in table.splitlines() if line and not line.startswith("#")]
    assert rows[0] == ["surface", "code", "kind"]
    assert all(len(r) == 3 and len(r[1]) == 3 and r[1].isupper() for r in rows[1:])
    assert {r[2] for r in rows[1:]} <= {"prefix", "code", "suffix", "guarded", "guarded-prefix"}


# ----------------------------------------------------------------------------- the shipped record


def test_shipped_record_has_sixty_assertions(shipped_record):
    assert len(shipped_assertions(shipped_record)) == 60


def test_shipped_rank_3_states_a_restated_budget_a_multiplier_and_a_fiscal_year(shipped_record):
    text = shipped_assertions(shipped_record)[2]
    yen, usd = of(text, MONEY)
    assert (yen.value, yen.currency, yen.bound) == (D(1e12), "JPY", "min")
    assert (usd.value, usd.currency, usd.bound) == (D(7e9), "USD", "min")
    assert yen.group is not None and yen.group == usd.group
    times = only(text, MULTIPLIER)
    assert (times.value, times.qualifier) == (D(3), "about")
    fiscal = only(text, FISCAL_YEAR)
    assert (fiscal.value, fiscal.temporal) == (D(2026), "2026")


def test_shipped_rank_36_states_97_9_percent(shipped_record):
    assert [q.value for q in of(shipped_assertions(shipped_record)[35], PERCENT)] == [D("97.9")]


def test_shipped_rank_46_states_2_percent(shipped_record):
    assert [q.value for q in of(shipped_assertions(shipped_record)[45], PERCENT)] == [D(2)]


def test_shipped_rank_38_almost_doubled(shipped_record):
    q = only(shipped_assertions(shipped_record)[37], MULTIPLIER)
    assert (q.value, q.qualifier) == (D(2), "almost")


def test_shipped_rank_47_double_or_triple(shipped_record):
    assert [q.value for q in of(shipped_assertions(shipped_record)[46], MULTIPLIER)] == [D(2), D(3)]


def test_shipped_rank_51_once_every_10_minutes(shipped_record):
    q = only(shipped_assertions(shipped_record)[50], FREQUENCY)
    assert (q.value, q.unit_code, q.unit_text, q.qualifier) == (D(1), "MIN", "per 10 minutes", "around")


def test_shipped_record_states_money_only_in_rank_3(shipped_record):
    with_money = [rank for rank, text in enumerate(shipped_assertions(shipped_record), 1) if money(text)]
    assert with_money == [3]


def test_shipped_record_states_percentages_only_in_ranks_36_and_46(shipped_record):
    with_percent = [rank for rank, text in enumerate(shipped_assertions(shipped_record), 1) if of(text, PERCENT)]
    assert with_percent == [36, 46]


def test_shipped_record_other_quantities(shipped_record):
    texts = shipped_assertions(shipped_record)
    summary = {rank: [(q.kind, q.surface) for q in extract_quantities(t)] for rank, t in enumerate(texts, 1)}
    assert summary[7] == [(DATE, "November")]
    assert summary[13] == [(DURATION, "two-year")]
    assert summary[20] == [(DATE, "December")]
    assert summary[32] == [(YEAR, "2030")]
    assert summary[34] == [(YEAR, "2032")]
    assert summary[40] == [(COUNT, "three key security documents"), (DURATION, "five-year")]
    assert summary[4] == summary[27] == summary[31] == []  # "third-largest", "CLPS 2.0", "twice in as many years"


# ----------------------------------------------------------------------------- other currencies, record style


@pytest.mark.parametrize(("text", "expected"), [
    ("India's space budget for FY2025-26 rose to ₹13,416 crore, or about $1.6 billion, up from 2,500 crore rupees "
     "a decade ago.",
     [(1.3416e11, "INR", None, None, 1), (1.6e9, "USD", None, "about", 1), (2.5e10, "INR", None, None, None)]),
    ("ESA member states committed €22.1 billion at the ministerial, roughly 10 percent more than the €16.9 billion "
     "agreed three years earlier.",
     [(2.21e10, "EUR", None, None, None), (1.69e10, "EUR", None, None, None)]),
    ("South Korea's KASA plans to spend 1.5 trillion won ($1.1 billion) on reusable launchers by 2032.",
     [(1.5e12, "KRW", None, None, 1), (1.1e9, "USD", None, None, 1)]),
    ("The UK Space Agency awarded £50m to small satellite firms, with up to £160 million more available over five "
     "years.",
     [(5e7, "GBP", None, None, None), (1.6e8, "GBP", "max", None, None)]),
    ("Australia's Defence cancelled a A$7 billion satellite project, saving more than 4 billion Australian dollars.",
     [(7e9, "AUD", None, None, None), (4e9, "AUD", "min", None, None)]),
    ("China's commercial launch sector raised 10 billion yuan in 2024, nearly double the RMB 5.2 billion of the "
     "year before.",
     [(1e10, "CNY", None, None, None), (5.2e9, "CNY", None, None, None)]),
    ("Japan's Space Strategy Fund will provide one trillion yen, or about €6 billion, over ten years.",
     [(1e12, "JPY", None, None, 1), (6e9, "EUR", None, "about", 1)]),
    ("Canada committed C$2.05 billion to the Lunar Gateway and 150 million Canadian dollars for lunar rovers.",
     [(2.05e9, "CAD", None, None, None), (1.5e8, "CAD", None, None, None)]),
    ("ISRO's Gaganyaan programme costs between Rs 9,023 crore and Rs 10,000 crore, roughly $1.1–1.2 billion.",
     [(9.023e10, "INR", "min", None, 1), (1e11, "INR", "max", None, 2), (1.1e9, "USD", "min", "roughly", 1),
      (1.2e9, "USD", "max", "roughly", 2)]),
    ("Brazil's space agency budget fell to R$ 150 million, less than 0.01% of GDP.",
     [(1.5e8, "BRL", None, None, None)]),
    ("The UAE's Emirates Mars Mission cost AED 735 million, about $200 million, and Israel's Beresheet lander 370 "
     "million shekels ($100 million).",
     [(7.35e8, "AED", None, None, 1), (2e8, "USD", None, "about", 1), (3.7e8, "ILS", None, None, 2),
      (1e8, "USD", None, None, 2)]),
    ("Switzerland pays 180 million Swiss francs a year to ESA, some 3 percent of its budget.",
     [(1.8e8, "CHF", None, None, None)]),
])
def test_record_style_sentences_in_other_currencies(text, expected):
    found = [(q.value, q.currency, q.bound, q.qualifier, q.group) for q in of(text, MONEY)]
    assert found == [(D(v), c, b, qual, g) for v, c, b, qual, g in expected]


def _record_sentences() -> list[str]:
    files = [SHIPPED_RECORD, *sorted((FIXTURES / "records").glob("*.txt"))]
    return [t for f in files for r in read_records(f) for t in (r.summary, *(a.text for a in r.assertions)) if t]


def test_the_digit_run_anchors_are_the_maximal_digit_runs_not_after_a_comma_or_point():
    edge_cases = ["1,000 and 2.5 of 12345", "x1 ٣٤ 1.2.3 ,7 .8 9", "FY2025-26 in 2030", "", "0", "a,b.1"]
    for text in [*_record_sentences(), *edge_cases]:
        plain = [m.start() for m in re.finditer(r"\d+", text) if m.start() == 0 or text[m.start() - 1] not in ",."]
        assert [m.start() for m in module._DIGIT_RUN_RE.finditer(text)] == plain, text
        assert all(m.group() == re.match(r"\d+", text[m.start():]).group() for m in module._DIGIT_RUN_RE.finditer(text))


def _plain_chain_phrases(text: str, start: int) -> tuple[str, ...]:
    """The bound and qualifier phrases before `start`, read by trying every length, longest first."""
    lo = max(0, start - module._LOOKBACK)
    j = start - 1 if start and text[start - 1] == "-" else start
    if j == start and not text[start - 1:start].isspace():
        return ()  # a figure glued to the word before it ("x5") has no bound words
    window = text[lo:j]
    parts = window.split()
    if lo and not text[lo - 1].isspace() and not window[:1].isspace():
        parts = parts[1:]
    longest = max(len(w.split()) for w in module._ROLE)
    phrases, i = [], len(parts)
    while i:
        for n in range(min(longest, i), 0, -1):
            head = parts[i - n]
            phrase = " ".join([head.lstrip(module._OPENERS), *parts[i - n + 1:i]]).casefold()
            if phrase in module._ROLE:
                break
        else:
            break
        phrases.append(phrase)
        i -= n
        if head.lstrip(module._OPENERS) != head:
            break
    return tuple(reversed(phrases))


def test_the_bound_words_before_a_figure_are_read_longest_phrase_first():
    texts = [f"it paid {phrase} 5 and (well {phrase} 6" for phrase in module._ROLE]
    read = 0
    for text in [*_record_sentences(), *texts, "no more than up to at least 5", "UP TO 7", "(Up to 8"]:
        for m in re.finditer(r"\d", text):
            module._chain.cache_clear()
            phrases = module._chain(text, m.start())[0]
            assert phrases == _plain_chain_phrases(text, m.start()), (text, m.start())
            read += bool(phrases)
    assert read > len(module._ROLE)
    for phrase in module._ROLE:  # each phrase is read whole, not as its last words
        assert module._chain(f"it paid {phrase} 5", 9 + len(phrase))[0] == (phrase,)
