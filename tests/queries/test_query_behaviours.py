"""What the named queries answer where the shipped record has nothing to show: denied
facts, verb relations, entities new to the reference data, budgets of a country's
organizations. The Korea fixture record has all of them."""

from __future__ import annotations

from spacekg.queries import run_query


def rows(store, name, params=None) -> list[dict[str, str]]:
    return [{k: ("" if v is None else v.value) for k, v in r.items()} for r in run_query(store, name, params).dicts()]


def test_a_denied_fact_is_a_negated_fact_and_never_a_truthy_one(korea_store):
    [denied] = rows(korea_store, "negated-facts")
    assert (denied["subject"], denied["object"], denied["rank"]) == ("KARI", "Nuri", "9")
    assert denied["predicate"].endswith("#develops") and denied["span"] == "KARI no longer manufactures Nuri"
    truthy = {(r["subject"], r["object"]) for r in rows(korea_store, "truthy-facts")}
    assert ("KARI", "Nuri") not in truthy and ("South Korea", "Artemis Accords") in truthy


def test_verb_relations_carry_their_negation_and_span(korea_store):
    found = {(r["subject"], r["relation"], r["object"], r["negated"], r["span"]) for r in rows(korea_store, "verb-relations")}
    assert ("South Korea", "signed", "Artemis Accords", "false", "South Korea signed the Artemis Accords") in found
    assert ("KARI", "develops", "Nuri", "true", "KARI no longer manufactures Nuri") in found


def test_the_evidence_behind_a_fact_includes_the_assertion_that_denies_it(korea_store):
    [e] = rows(korea_store, "fact-evidence", {"subject": "Nuri", "object": "KARI"})  # either way round
    assert (e["factSubject"], e["factObject"], e["negated"], e["line"]) == ("KARI", "Nuri", "true", "11")


def test_new_entities_are_listed_with_their_first_mention(korea_store):
    found = {r["label"]: r for r in rows(korea_store, "new-entities")}
    yoon = found["Yoon Young-bin"]
    assert (yoon["class"], yoon["mentions"], yoon["firstLine"], yoon["anchor"]) == ("Person", "3", "6", "Yoon Young-bin")
    assert yoon["reason"] == "title 'Administrator' before a name"
    assert "KASA" not in found and "NASA" not in found  # known to the reference data


def test_a_countrys_budgets_include_those_of_its_organizations(korea_store):
    held = {r["heldBy"] for r in rows(korea_store, "budgets-by-holder", {"holder": "South Korea"})}
    assert {"KASA", "Hanwha Aerospace"} <= held
    assert {r["heldBy"] for r in rows(korea_store, "budgets-by-holder", {"holder": "KASA"})} == {"KASA"}


def test_budget_totals_sum_each_currency_and_year_and_count_lower_bounds(korea_store):
    totals = {(r["fiscalYear"], r["currency"]): r for r in rows(korea_store, "budget-totals")}
    assert totals[("2026", "KRW")]["total"] == "1100000000000"
    assert totals[("2026", "USD")]["total"] == "800000000"
    assert totals[("", "KRW")]["lowerBounds"] == "1"  # Hanwha's "over ₩800 billion"


def test_claims_about_a_topic_are_grouped_by_modality_with_counts(korea_store):
    claims = rows(korea_store, "claims-by-modality", {"entity": "KASA"})
    counts = {r["modality"]: int(r["claims"]) for r in claims}
    assert counts == {"Stated": 9, "Anticipated": 1, "Prescriptive": 1}
    assert [r["modality"] for r in claims] == sorted((r["modality"] for r in claims),
                                                     key=["Stated", "Hedged", "Anticipated", "Prescriptive"].index)


def test_quantities_of_a_kind_keep_qualifier_and_bound(korea_store):
    found = {r["surface"]: r for r in rows(korea_store, "quantities-of-kind", {"kind": "percent"})}
    assert (found["14%"]["value"], found["14%"]["unit"], found["14%"]["qualifier"]) == ("14", "P1", "about")
    assert found["10%"]["bound"] == "at most"
    assert rows(korea_store, "quantities-of-kind", {"kind": "Percent"}) == []  # kinds are exact names


def test_co_mentioned_actor_pairs_are_the_edges_of_the_gephi_projection(shipped_store):
    from spacekg.export.projection import project

    graph = project(shipped_store, "comention", classes=("Actor",))
    edges = {frozenset((graph.nodes[u]["label"], graph.nodes[v]["label"])): (d["weight"], d["best_rank"])
             for u, v, d in graph.edges(data=True)}
    pairs = {frozenset((r["actor1"], r["actor2"])): (int(r["weight"]), int(r["bestRank"]))
             for r in rows(shipped_store, "co-mentioned-actors")}
    assert pairs == edges and len(pairs) == 14
