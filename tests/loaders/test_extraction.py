"""Extraction behaviours an analyst relies on, one sentence (or small record) at a time."""

from __future__ import annotations

from decimal import Decimal

from spacekg.loaders.extract import extract_record
from spacekg.model import Assertion, AssertionRecord, EntityClass, Modality


def extract(*sentences: str, summary: str = ""):
    record = AssertionRecord(
        name="t", source="t.txt", summary=summary,
        assertions=tuple(Assertion(text=s, rank=i, line=i + 2, record="t") for i, s in enumerate(sentences, 1)))
    return extract_record(record)


def mentioned(x) -> dict[str, str]:
    return {m.label: m.cls.value for m in x.mentions}


def facts(x) -> set[tuple[str, str, str]]:
    labels = {m.key: m.label for m in x.mentions}
    return {(labels.get(f.subject, f.subject), f.predicate, labels.get(f.object, f.object)) for f in x.facts}


def test_acronym_defined_in_the_text_resolves_its_later_bare_uses():
    first, later = extract("The Zephyr Orbital Agency (ZOA) opened last year.", "ZOA signed a deal with NASA.")
    assert mentioned(first) == {"Zephyr Orbital Agency": "GovernmentBody"}
    assert mentioned(later)["Zephyr Orbital Agency"] == "GovernmentBody"


def test_surname_resolves_to_the_person_named_earlier():
    _, later = extract("Dana Whitcombe, a senior fellow at the Halden Institute, studies launch policy.",
                       "Whitcombe said the market is saturated.")
    assert mentioned(later) == {"Dana Whitcombe": "Person"}


def test_hyphenated_given_name_keeps_the_family_name_first():
    _, later = extract("Agency Administrator Seo Ha-neul met with NASA Administrator Jared Isaacman.",
                       "Seo met with officials in Seoul.")
    assert "Seo Ha-neul" in mentioned(later)


def test_country_word_inside_an_official_name_is_not_a_separate_mention():
    [x] = extract("The Indian Navy plans a new satellite.")
    assert mentioned(x) == {"Indian Navy": "GovernmentBody"}


def test_possessives_and_demonyms_mention_the_country():
    [x] = extract("Japan's MOD works with Japanese companies and an American partner.")
    assert mentioned(x) == {"Japan": "Country", "Ministry of Defense (Japan)": "GovernmentBody",
                            "United States": "Country"}


def test_bare_title_refers_to_the_one_holder_the_record_names():
    _, later = extract("Prime Minister Takaichi met with President Trump.", "The Prime Minister's visit ended.")
    assert mentioned(later) == {"Sanae Takaichi": "Person"}


def test_title_before_a_name_gives_head_of_the_organization_written_before_it():
    [x] = extract("Orbex Dynamics CEO Mara Quill held talks with ESA Director General Josef Aschbacher.")
    assert mentioned(x)["Orbex Dynamics"] == "Company"
    assert ("Mara Quill", "org:headOf", "Orbex Dynamics") in facts(x)
    assert ("Josef Aschbacher", "org:headOf", "ESA") in facts(x)
    assert ("Mara Quill", "skg:metWith", "Josef Aschbacher") in facts(x)


def test_current_and_former_affiliations_are_told_apart_clause_by_clause():
    [x] = extract("Lena Varga, an engineer at Skyroot Aerospace, previously served at ISRO.")
    assert facts(x) == {("Lena Varga", "org:memberOf", "Skyroot Aerospace"),
                        ("Lena Varga", "skg:formerMemberOf", "ISRO")}


def test_who_leads_gives_head_of():
    [x] = extract("Ravi Menon, who leads the Orbital Safety Office, spoke in Delhi.")
    assert ("Ravi Menon", "org:headOf", "Orbital Safety Office") in facts(x)


def test_meeting_with_unnamed_officials_gives_no_relation():
    [x] = extract("NASA Administrator Jared Isaacman held talks with Brazilian Air Force officials.")
    assert not any(p == "skg:metWith" for _, p, _ in facts(x))


def test_restated_budget_is_one_budget_with_two_amounts_and_its_fiscal_year():
    [x] = extract("Japan's proposed fiscal year 2026 budget for space security has topped over a trillion yen, "
                  "or over $7 billion.")
    [budget] = x.budgets
    amounts = sorted((x.quantities[i].value, x.quantities[i].currency) for i in budget.amounts)
    assert amounts == [(Decimal("7000000000"), "USD"), (Decimal("1000000000000"), "JPY")]
    assert budget.fiscal_year == "2026"
    assert all(x.quantities[i].bound == "min" for i in budget.amounts)


def test_each_amount_goes_to_the_actor_written_beside_it():
    [x] = extract("Germany subscribed €5.1 billion, ahead of France at €3.6 billion and Italy (€3.5 billion).")
    holders = {x.quantities[b.amounts[0]].value: b.holder for b in x.budgets}
    assert holders == {Decimal("5100000000"): "germany", Decimal("3600000000"): "france",
                       Decimal("3500000000"): "italy"}


def test_costs_and_sector_totals_are_money_but_not_budgets():
    cost, sector = extract("The telescope will cost about €1.2 billion.",
                           "Investment in Indian space startups reached 2,500 crore rupees.")
    assert [q.currency for q in cost.quantities if q.kind.value == "money"] == ["EUR"]
    assert not cost.budgets and not sector.budgets


def test_a_currency_symbol_is_not_a_country_mention():
    [x] = extract("Gilmour Space raised more than A$100 million, or about US$65 million.")
    assert "United States" not in mentioned(x)


def test_negation_in_a_subordinate_clause_does_not_negate_the_sentence():
    main, subordinate = extract("NASA is not expected to fund the station.",
                                "ESA will launch the probe, which was not ready last year.")
    assert main.negated and main.modality is Modality.ANTICIPATED
    assert not subordinate.negated


def test_modality_hedge_wins_over_will_and_months_are_not_modals():
    hedged, stated = extract("Japan will likely expand its fleet.", "KASA opened in May 2024.")
    assert hedged.modality is Modality.HEDGED
    assert stated.modality is Modality.STATED


def test_every_mention_and_fact_keeps_a_span_into_its_sentence():
    [x] = extract("NASA Administrator Jared Isaacman introduced the Artemis plan.")
    text = x.assertion.text
    assert all(text[m.start:m.end] == m.surface for m in x.mentions)
    assert all(0 <= f.start < f.end <= len(text) for f in x.facts)
    assert {m.cls for m in x.mentions} == {EntityClass.GOVERNMENT_BODY, EntityClass.PERSON, EntityClass.PROGRAM}


def test_countries_missing_from_the_reference_data_come_from_the_iso_list():
    [x] = extract("Bolivia and Mongolia signed a data-sharing pact.")
    assert mentioned(x) == {"Bolivia": "Country", "Mongolia": "Country"}
    assert all(m.reason.startswith("ISO 3166") for m in x.mentions if m.label == "Bolivia")


def test_a_name_of_an_organization_is_a_member_and_contract_values_are_not_budgets():
    quote, contract = extract("According to Brian Weeden of the Secure World Foundation, debris is the top concern.",
                              "The Space Development Agency awarded York Space Systems a $1.2 billion contract.")
    assert mentioned(quote) == {"Brian Weeden": "Person", "Secure World Foundation": "Organization"}
    assert facts(quote) == {("Brian Weeden", "org:memberOf", "Secure World Foundation")}
    assert [q.currency for q in contract.quantities] == ["USD"] and not contract.budgets


def test_names_with_and_stay_whole_when_their_head_follows_and_lists_split():
    agency, pair = extract("Dr. Amara Okafor, formerly of the Nigerian Space Research and Development Agency, "
                           "now advises the African Space Agency.",
                           "The venture brings together Airbus and Safran.")
    assert "Nigerian Space Research and Development Agency" in mentioned(agency)
    assert ("Amara Okafor", "skg:formerMemberOf", "Nigerian Space Research and Development Agency") in facts(agency)
    assert mentioned(pair).get("Safran") == "Company"


def test_a_name_after_its_common_noun_takes_that_class():
    [x] = extract("Kenya launched its first operational Earth observation satellite, Taifa-1, in 2023.")
    assert mentioned(x)["Taifa-1"] == "Program"


def test_shared_currency_words_take_the_code_of_the_country_named():
    argentina, mexico = extract("Argentina cut CONAE's budget to 95 billion pesos.", "Mexico spent 2 billion pesos.")
    assert [q.currency for q in argentina.quantities] == ["ARS"]
    assert [q.currency for q in mexico.quantities] == ["MXN"]


def test_budget_holder_is_the_possessor_or_the_recipient_of_an_allocation():
    owner, recipient, pledge = extract(
        "Analysts put China's annual civil space budget at about $14 billion.",
        "The African Union has approved an operating budget of $12 million for the African Space Agency.",
        "Tianlu Capital has committed up to CNY 800 million to Xinghe Dynamics.")
    assert [b.holder for b in owner.budgets] == ["china"]
    assert [b.holder for b in recipient.budgets] == ["african-space-agency"]
    assert [b.holder for b in pledge.budgets] == ["tianlu-capital"]


def test_record_defined_acronym_overrides_its_general_meaning():
    defined, later = extract("The Saudi Space Agency (SSA) opened a new office.", "SSA met with NASA.")
    assert mentioned(later)["Saudi Space Agency"] == "GovernmentBody"
    assert "SDA" not in mentioned(later)


def test_names_keep_their_particles_and_numbered_missions_are_their_own_programs():
    [x] = extract("President Mohamed bin Zayed said Chang'e 7 and the Rashid 2 rover will fly.")
    assert "Mohamed bin Zayed" in mentioned(x)
    assert mentioned(x).get("Chang'e 7") == "Program"


def test_an_apposition_with_a_possessive_title_gives_head_of_and_past_work_is_former():
    [x] = extract("Thabo Mokoena, SANSA's chief executive, worked at Denel Dynamics before joining the agency.")
    assert facts(x) == {("Thabo Mokoena", "org:headOf", "SANSA"),
                        ("Thabo Mokoena", "skg:formerMemberOf", "Denel Dynamics")}
