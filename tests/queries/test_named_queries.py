"""Each named query answers its question on the shipped record (golden CSV results), and
parameters are bound as terms: hostile values change nothing and match nothing."""

from __future__ import annotations

import hashlib
import os
import re
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest

from spacekg.errors import ParameterError
from spacekg.queries import bind_params, library, resolve_entity, run_query
from spacekg.queries.results import render

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "queries"
UPDATE = os.environ.get("SPACEKG_UPDATE_GOLDEN") == "1"  # regenerate after a reviewed change


def example_params(name: str) -> dict[str, str]:
    return {p.name: p.example for p in library().get(name).params}


# Federated queries (SERVICE) need their endpoint: tests/linking runs them against a served fixture.
LOCAL = [q.name for q in library() if not q.federated]


@pytest.mark.parametrize("name", LOCAL)
def test_named_query_gives_its_golden_answer_on_the_shipped_record(shipped_store, name):
    got = render(run_query(shipped_store, name, example_params(name)), "csv")
    golden = GOLDEN / f"{name}.csv"
    if UPDATE:
        golden.write_text(got, encoding="utf-8", newline="")
    assert golden.exists(), f"no golden result for {name}; run with SPACEKG_UPDATE_GOLDEN=1 and review it"
    with golden.open(encoding="utf-8", newline="") as fh:
        assert got == fh.read()


def test_every_query_has_a_header_and_every_param_an_example_and_a_projected_variable():
    for q in library():
        assert q.title and q.description, q.name
        for p in q.params:
            assert p.example, (q.name, p.name)
            select = q.text[q.text.upper().index("SELECT"):q.text.index("{")]
            assert f"?{p.name}" in select, f"{q.name}: parameter ?{p.name} must be a SELECT variable"


def test_entity_parameter_accepts_label_acronym_alias_iri_and_wikidata_id(shipped_store):
    nasa = resolve_entity(shipped_store, "NASA")
    assert nasa.value == "https://w3id.org/spacekg/id/nasa"
    for spelling in ("nasa", "National Aeronautics and Space Administration", "Q23548", "skgid:nasa", nasa.value):
        assert resolve_entity(shipped_store, spelling) == nasa


def test_ambiguous_entity_parameter_lists_the_candidates(shipped_store):
    with pytest.raises(ParameterError) as err:
        resolve_entity(shipped_store, "National Security Strategy")
    assert "ambiguous" in str(err.value)
    assert "national-security-strategy-japan" in str(err.value)
    assert "national-security-strategy-united-states" in str(err.value)


HOSTILE = [
    'MOD" } ; DROP ALL ; #',
    "} ; DROP ALL ; #",
    "<http://x> } INSERT DATA { <a> <b> <c> } #",
    "http://example.org/a>b",
    "https://w3id.org/spacekg/id/japan> } ; DROP ALL ; #",
    "skgid:japan> ?p ?o } #",
    "skg:Organization> } ; CLEAR DEFAULT ; #",
    "' OR '1'='1",
    "{ ?s ?p ?o }",
    '"""',
    "\\u0022 } #",
]
PARAMETERS = [(q.name, p.name) for q in library() for p in q.params if not q.federated]


def _digest(store) -> str:
    return hashlib.sha256("\n".join(sorted(str(q) for q in store.quads())).encode()).hexdigest()


def test_every_kind_of_parameter_is_exercised_by_the_hostile_values():
    kinds = {p.kind for q in library() for p in q.params}
    assert {"entity", "iri", "string"} <= kinds
    assert sum(p.kind == "entity" for q in library() for p in q.params) >= 5


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_parameter_values_change_nothing_and_match_nothing(shipped_store, hostile):
    """Every parameter of every named query: refused (no entity, not an IRI) or bound as one
    term that matches nothing; the store is the same quad for quad afterwards."""
    before = _digest(shipped_store)
    for name, param in PARAMETERS:
        values = {**example_params(name), param: hostile}
        try:
            result = run_query(shipped_store, name, values)
        except ParameterError:
            continue
        assert len(result) == 0, (name, param, hostile)
    assert _digest(shipped_store) == before


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_values_bound_straight_as_terms_match_nothing(shipped_store, hostile):
    """Skipping entity resolution, the value itself bound as a literal or an IRI term is data,
    never SPARQL: no rows, no change."""
    before = len(shipped_store)
    for name, param in PARAMETERS:
        q = library().get(name)
        bindings = bind_params(shipped_store, q, example_params(name))
        terms = [ox.Literal(hostile)]
        try:
            terms.append(ox.NamedNode("https://example.org/" + urllib.parse.quote(hostile, safe="")))
        except ValueError:  # pragma: no cover - quote() leaves nothing an IRI forbids
            pass
        for term in terms:
            assert len(shipped_store.query(q.text, bindings={**bindings, param: term})) == 0, (name, param, term)
    assert len(shipped_store) == before


def test_inline_sparql_parameters_are_literals_not_text(shipped_store):
    query = ("SELECT ?t ?needle WHERE { ?a <https://w3id.org/spacekg/ontology#text> ?t "
             "FILTER(CONTAINS(?t, ?needle)) }")
    assert len(run_query(shipped_store, query, {"needle": "Gateway"})) == 2
    before = len(shipped_store)
    assert len(run_query(shipped_store, query, {"needle": '") } ; DROP ALL ; #'})) == 0
    assert len(shipped_store) == before


def test_library_covers_the_analysts_questions_in_theme_folders():
    names = set(library().names())
    assert len(names) >= 22
    assert {"assertions-about", "truthy-facts", "budgets", "budgets-by-holder", "budget-totals", "heads",
            "memberships", "meetings", "negated", "negated-facts", "claims-by-modality", "programs",
            "actors-by-country", "capability-pursuers", "co-mentioned-actors", "wikidata-links",
            "wikidata-coverage", "records", "fact-evidence", "mentions-of", "new-entities",
            "quantities-of-kind", "verb-relations", "organizations", "instances-of"} <= names
    assert all(q.theme and not q.theme.startswith("_") for q in library())


def test_internal_queries_ship_with_the_package_but_are_not_named_queries():
    from importlib import resources

    internal = resources.files("spacekg.queries") / "_internal"
    shipped = {e.name[:-3] for e in internal.iterdir() if e.name.endswith(".rq")}
    assert {"explain-entity", "explain-fact", "explain-label", "explain-relations"} <= shipped
    assert not shipped & set(library().names())


@pytest.mark.parametrize("name", library().names())
def test_named_query_is_plain_sparql_1_1(name):
    """A second parser (rdflib's SPARQL 1.1 grammar) reads it, and the only functions it calls
    are SPARQL built-ins and XSD casts: nothing that ties it to one engine."""
    from rdflib.plugins.sparql.parser import parseQuery

    text = library().get(name).text
    parseQuery(text)
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    body = re.sub(r"<[^>\s]*>|\"[^\"]*\"", "", body)  # IRIs and strings may hold anything
    calls = {m.group(1) for m in re.finditer(r"\b([A-Za-z][\w-]*:[\w-]*)\s*\(", body)}
    assert all(c.startswith("xsd:") for c in calls), f"{name} calls {calls}"


@pytest.fixture(scope="module")
def rdflib_shipped_store():
    from spacekg import build, open_store
    from tests.conftest import SHIPPED_RECORD

    store = open_store("rdflib:")
    build([SHIPPED_RECORD], store, validate=False)
    return store


@pytest.mark.parametrize("name", LOCAL)
def test_named_query_gives_the_same_answer_on_a_second_sparql_engine(shipped_store, rdflib_shipped_store, name):
    """rdflib's SPARQL evaluator shares no code with Oxigraph: the same CSV from both is the
    evidence that a query leans on SPARQL 1.1 only (and orders its rows completely)."""
    params = example_params(name)
    assert render(run_query(rdflib_shipped_store, name, params), "csv") == \
        render(run_query(shipped_store, name, params), "csv")
