"""Superclass questions include subclasses: the named queries walk rdfs:subClassOf* in the
ontology's own named graph, so "organizations" are government bodies and companies too, and a
class added to the ontology is picked up without touching a query."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from spacekg.queries import run_query
from spacekg.vocab import RDF, RDFS, SKG, SKGID

ONTOLOGY = ox.NamedNode("https://w3id.org/spacekg/ontology")


def classes_by_label(result, label: str, cls: str) -> dict[str, str]:
    return {row[label].value: row[cls].value for row in result.dicts()}


def test_all_organizations_include_government_bodies_and_companies(shipped_store):
    found = classes_by_label(run_query(shipped_store, "organizations"), "organization", "class")
    assert found["NASA"] == "GovernmentBody"
    assert found["SpaceX"] == "Company"
    assert found["CSIS Aerospace Security Project"] == "Organization"
    assert "Japan" not in found and "Jared Isaacman" not in found  # a country and a person are actors, not organizations


def test_instances_of_a_superclass_include_every_subclass(shipped_store):
    actors = classes_by_label(run_query(shipped_store, "instances-of", {"class": "skg:Actor"}), "label", "directClass")
    assert {"Country", "Person", "GovernmentBody", "Company", "Organization"} <= set(actors.values())
    assert not {"Program", "Place", "Capability", "Forum", "PolicyDocument"} & set(actors.values())
    orgs = run_query(shipped_store, "instances-of", {"class": "https://w3id.org/spacekg/ontology#Organization"})
    assert {r["entity"] for r in orgs.dicts()} == {r["entity"] for r in run_query(shipped_store, "organizations").dicts()}
    everything = run_query(shipped_store, "instances-of", {"class": "skg:Entity"})
    assert len({r["entity"] for r in everything.dicts()}) == 42  # every entity the record mentions


@pytest.mark.parametrize("name, label, expected", [
    ("actors-by-country", "actor", {"NASA", "SpaceX", "Jared Isaacman", "Ministry of Defense (Japan)"}),
    ("co-mentioned-actors", "actor1", {"Jared Isaacman", "CSIS Aerospace Security Project"}),
    ("capability-pursuers", "actor", {"Ministry of Defense (Japan)", "Japan"}),
])
def test_actor_queries_include_organizations_and_people(shipped_store, name, label, expected):
    assert expected <= {row[label].value for row in run_query(shipped_store, name).dicts()}


def test_a_class_added_to_the_ontology_graph_is_followed_transitively():
    """NASA retyped as a new skg:SpaceAgency ⊑ skg:GovernmentBody ⊑ skg:Organization ⊑
    skg:Actor still counts as an organization and as an actor, two steps down."""
    from spacekg import build, open_store
    from tests.conftest import SHIPPED_RECORD

    store = open_store("memory:")
    build([SHIPPED_RECORD], store, validate=False)
    nasa, agency = SKGID["nasa"], SKG["SpaceAgency"]
    store.update(f"DELETE DATA {{ {nasa} {RDF.type} {SKG.GovernmentBody} }}")
    store.add_quads([ox.Quad(agency, RDFS.subClassOf, SKG.GovernmentBody, ONTOLOGY),
                     ox.Quad(nasa, RDF.type, agency, ox.DefaultGraph())])
    assert classes_by_label(run_query(store, "organizations"), "organization", "class")["NASA"] == "SpaceAgency"
    actors = classes_by_label(run_query(store, "actors-by-country"), "actor", "class")
    assert actors["NASA"] == "SpaceAgency"
    pairs = {(r["actor1"].value, r["actor2"].value) for r in run_query(store, "co-mentioned-actors").dicts()}
    assert ("Jared Isaacman", "NASA") in pairs
