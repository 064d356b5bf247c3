"""The VALUES renderer that binds parameters for remote endpoints: hostile values stay
values, the block lands in the top-level group, and what cannot be bound safely is refused."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spacekg.errors import ParameterError, QueryError
from spacekg.graph.values import query_form, render_values, with_values

S, P = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
HOSTILE = [
    'a "quoted" } ; DROP ALL ; #',
    "} ; DROP ALL ; #",
    "'''",
    '"""',
    "\\",
    "\\u0022 } INSERT DATA { <a> <b> <c> }",
    "line\nbreak\r\n} ; CLEAR ALL",
    "tab\there",
    "<http://x> } INSERT DATA { <a> <b> <c> } #",
    "' OR '1'='1",
    "{ ?s ?p ?o }",
    "\u0000\u2028\U0001F680",
]


def store_with(value: ox.Literal) -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(S, P, value))
    store.add(ox.Quad(S, P, ox.Literal("innocent")))
    return store


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_literals_match_exactly_themselves_and_change_nothing(text):
    hostile = ox.Literal(text)
    store = store_with(hostile)
    sparql = with_values("SELECT ?s ?o WHERE { ?s ?p ?o }", {"o": hostile})
    rows = list(store.query(sparql))
    assert [(r["s"], r["o"]) for r in rows] == [(S, hostile)]
    assert len(store) == 2
    assert sparql.count("VALUES") == 1


@given(st.text(max_size=60))
@settings(max_examples=150, deadline=None)
def test_any_string_round_trips_through_the_values_block(text):
    value = ox.Literal(text)
    rows = list(store_with(value).query(with_values("SELECT ?o WHERE { ?s ?p ?o }", {"o": value})))
    assert [r["o"] for r in rows] == [value]


@pytest.mark.parametrize("term", [
    ox.Literal("x", language="en"),
    ox.Literal("2026", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")),
    ox.NamedNode("https://w3id.org/spacekg/id/nasa?x=1#frag"),
])
def test_language_tags_datatypes_and_iris_are_kept(term):
    store = ox.Store()
    store.add(ox.Quad(S, P, term))
    rows = list(store.query(with_values("SELECT ?o WHERE { ?s ?p ?o }", {"o": term})))
    assert [r["o"] for r in rows] == [term]


def test_the_block_goes_into_the_top_level_group_not_comments_strings_or_iris():
    sparql = ('# WHERE { in a comment\nPREFIX ex: <http://e/WHERE{>\n'
              'SELECT ?where ?o (CONCAT("WHERE {", ?o) AS ?c) WHERE {\n  ?s ?p ?o { SELECT * WHERE { ?a ?b ?c } }\n}')
    out = with_values(sparql, {"o": ox.Literal("v")})
    head, _, tail = out.partition('VALUES (?o) { ("v") }')
    assert head.endswith('AS ?c) WHERE {\n  ') and tail.startswith("\n\n  ?s ?p ?o")


def test_construct_binds_in_the_where_group_not_the_template():
    out = with_values("CONSTRUCT { ?s <http://e/p> ?o } WHERE { ?s ?p ?o }", {"o": ox.Literal("v")})
    assert out.startswith("CONSTRUCT { ?s <http://e/p> ?o } WHERE {\n  VALUES")
    store = store_with(ox.Literal("v"))
    assert len(list(store.query(out))) == 1
    with pytest.raises(QueryError, match="short form"):
        with_values("CONSTRUCT WHERE { ?s ?p ?o }", {"o": ox.Literal("v")})


def test_each_top_level_union_branch_gets_the_block_too_and_the_answer_is_the_same():
    """Oxigraph does not carry an outer binding into a UNION branch; the one-row block placed
    in each branch as well narrows the branch and changes no answer."""
    sparql = ('SELECT ?s ?o WHERE { { ?s ?p ?o } UNION { ?o ?p ?s } UNION { SELECT ?s ?o WHERE { ?s ?p ?o } }\n'
              '  UNION { ?s ?p ?x BIND(?x AS ?o) } { ?s ?p ?o } UNION { ?s ?p "x" } }')
    out = with_values(sparql, {"o": ox.Literal("v")})
    block = 'VALUES (?o) { ("v") }'
    assert out.count(block) == 5  # the group and the four branches that are neither a sub-SELECT nor bind ?o
    assert "{ SELECT ?s ?o" in out and "{ ?s ?p ?x BIND(?x AS ?o) }" in out and '{ ?s ?p "x" }' not in out
    store = store_with(ox.Literal("v"))
    plain = sorted(str(r) for r in store.query(sparql.replace("WHERE {", "WHERE { " + block, 1)))
    assert plain and sorted(str(r) for r in store.query(out)) == plain


def test_several_bindings_share_one_row():
    assert render_values({"a": S, "b": ox.Literal("x")}) == 'VALUES (?a ?b) { (<http://example.org/s> "x") }'


@pytest.mark.parametrize("name", ["o) { } } DROP ALL #", "1abc", "", "o ?p", "ö"])
def test_unsafe_variable_names_are_refused(name):
    with pytest.raises(ParameterError, match="parameter name"):
        with_values("SELECT * WHERE { ?s ?p ?o }", {name: ox.Literal("x")})


def test_blank_nodes_and_quoted_triples_cannot_be_bound():
    with pytest.raises(ParameterError, match="only IRIs and literals"):
        with_values("SELECT * WHERE { ?s ?p ?o }", {"o": ox.BlankNode("b")})
    with pytest.raises(ParameterError, match="only IRIs and literals"):
        with_values("SELECT * WHERE { ?s ?p ?o }", {"o": ox.Triple(S, P, S)})


def test_no_bindings_leave_the_text_alone_and_updates_are_refused():
    assert with_values("SELECT * WHERE { ?s ?p ?o }", {}) == "SELECT * WHERE { ?s ?p ?o }"
    with pytest.raises(QueryError, match="only in a SELECT"):
        with_values("DELETE WHERE { ?s ?p ?o }", {"o": ox.Literal("x")})
    with pytest.raises(QueryError, match="unterminated string"):
        with_values('SELECT * WHERE { ?s ?p "oops }', {"o": ox.Literal("x")})


@pytest.mark.parametrize("sparql, form", [
    ("PREFIX select: <http://e/>\n# ASK\nSELECT * WHERE { ?s select:ask ?o }", "SELECT"),
    ("ask { ?s ?p ?o }", "ASK"),
    ("BASE <http://e/> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://e/x>", "DESCRIBE"),
    ("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }", "UPDATE"),
    ("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE"),
])
def test_query_form_reads_past_prologue_and_comments(sparql, form):
    assert query_form(sparql) == form
