"""Fixtures for the network exports: the GEXF 1.3 grammar, the shipped record's projections,
and a small hand-made store whose labels are hostile to XML and whose budget has a fiscal
year (the shipped record's budget names no purpose, so it has no time data)."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from spacekg.export.projection import PROJECTIONS, project
from spacekg.ontology import ontology_quads
from spacekg.vocab import DCTERMS, ORG, PROV, RDF, RDFS, SKG, SKGID, XSD

HERE = Path(__file__).resolve().parent
GRAMMAR = HERE.parent / "data" / "gexf-1.3" / "gexf.rng"
GOLDEN = HERE.parent / "golden" / "export"

HOSTILE_PERSON = "Dr. <Bob> & \"Alice\" O'Hara\x01\x0b\x1f of\tthe  Agency"
HOSTILE_BODY = "Ministry of <Space> & \"Stuff\""
HOSTILE_PROGRAM = "Lunar ]]> Gateway [x, y] \"null\""
HOSTILE_TEXT = "Dr. <Bob> & \"Alice\" O'Hara\x01 heads the Ministry of <Space> & \"Stuff\"\u0085\ufffe."


@pytest.fixture(scope="session")
def gexf_grammar():
    from lxml import etree

    return etree.RelaxNG(etree.parse(str(GRAMMAR)))


@pytest.fixture(scope="session")
def shipped_projections(shipped_store):
    """Each projection of the shipped record, computed once."""
    return {name: project(shipped_store, name) for name in PROJECTIONS}


def _quads() -> list[ox.Quad]:
    g = ox.DefaultGraph()
    record = SKGID["record/hostile"]
    a1, a2 = SKGID["record/hostile/assertion/a1"], SKGID["record/hostile/assertion/a2"]
    person, body, program = SKGID["hostile-person"], SKGID["hostile-body"], SKGID["hostile-program"]
    budget = SKGID["record/hostile/assertion/a2/budget/1"]
    lit = ox.Literal
    quads = [
        ox.Quad(record, RDF.type, SKG.AssertionRecord, g),
        ox.Quad(record, DCTERMS.source, lit("hostile.txt"), g),
        ox.Quad(person, RDF.type, SKG.Person, g), ox.Quad(person, RDFS.label, lit(HOSTILE_PERSON, language="en"), g),
        ox.Quad(body, RDF.type, SKG.GovernmentBody, g), ox.Quad(body, RDFS.label, lit(HOSTILE_BODY, language="en"), g),
        ox.Quad(program, RDF.type, SKG.Program, g),
        ox.Quad(program, RDFS.label, lit(HOSTILE_PROGRAM, language="en"), g),
        ox.Quad(a1, RDF.type, SKG.Assertion, g), ox.Quad(a1, SKG.evidenceRank, lit("1", datatype=XSD.integer), g),
        ox.Quad(a1, SKG.text, lit(HOSTILE_TEXT), g), ox.Quad(a1, PROV.wasDerivedFrom, record, g),
        ox.Quad(a1, SKG.mentions, person, g), ox.Quad(a1, SKG.mentions, body, g),
        ox.Quad(person, ORG.headOf, body, a1),
        ox.Quad(a2, RDF.type, SKG.Assertion, g), ox.Quad(a2, SKG.evidenceRank, lit("2", datatype=XSD.integer), g),
        ox.Quad(a2, SKG.text, lit("The Ministry funds the Lunar Gateway in fiscal year 2027."), g),
        ox.Quad(a2, PROV.wasDerivedFrom, record, g),
        ox.Quad(a2, SKG.mentions, body, g), ox.Quad(a2, SKG.mentions, program, g),
        ox.Quad(budget, RDF.type, SKG.Budget, a2), ox.Quad(budget, SKG.budgetHolder, body, a2),
        ox.Quad(budget, SKG.purpose, program, a2),
        ox.Quad(budget, SKG.fiscalYear, lit("2027", datatype=XSD.gYear), a2),
    ]
    return quads


@pytest.fixture(scope="session")
def hostile_store():
    """Two assertions: a person with a hostile label heads a body (rank 1); the body's budget
    for a program in fiscal year 2027 (rank 2)."""
    from spacekg import open_store

    store = open_store("memory:")
    store.add_quads(list(ontology_quads()) + _quads())
    return store


def gexf_bytes(graph) -> bytes:
    from spacekg.export.gexf import write_gexf

    buf = io.BytesIO()
    write_gexf(graph, buf)
    return buf.getvalue()
