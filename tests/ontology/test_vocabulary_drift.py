"""Every ontology term the code or the queries emit is declared in spacekg.ttl."""

from __future__ import annotations

import re
from pathlib import Path

import rdflib

from spacekg.model import ACTOR_CLASSES, EntityClass, Modality
from spacekg.ontology import read_resource
from spacekg.vocab import SKG

PACKAGE = Path(__file__).resolve().parents[2] / "spacekg"


def declared_terms() -> set[str]:
    g = rdflib.Graph().parse(data=read_resource("spacekg.ttl").decode(), format="turtle")
    return {str(s)[len(SKG):] for s in g.subjects() if str(s).startswith(str(SKG))}


def used_terms() -> set[str]:
    used: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bSKG\.([A-Za-z]\w*)", text))
        used |= set(re.findall(r"\bSKG\[\"([A-Za-z]\w*)\"\]", text))
        used |= set(re.findall(r"[\"']skg:([A-Za-z]\w*)[\"']", text))
    for path in PACKAGE.rglob("*.rq"):
        used |= set(re.findall(r"\bskg:([A-Za-z]\w*)", path.read_text(encoding="utf-8")))
    used -= {"term"}  # Namespace.term() is a method, not a term
    return used


def test_every_skg_term_in_code_and_queries_is_declared_in_the_ontology():
    missing = used_terms() - declared_terms()
    assert not missing, f"used but not declared in spacekg.ttl: {sorted(missing)}"


def test_entity_classes_and_modalities_of_the_model_are_ontology_terms():
    declared = declared_terms()
    assert {c.value for c in EntityClass} <= declared
    assert {m.value for m in Modality} <= declared


def test_the_model_s_actor_classes_are_exactly_the_entity_classes_below_skg_actor():
    g = rdflib.Graph().parse(data=read_resource("spacekg.ttl").decode(), format="turtle")
    below_actor = {str(c)[len(SKG):] for c in g.transitive_subjects(rdflib.RDFS.subClassOf, rdflib.URIRef(SKG + "Actor"))}
    assert {c.value for c in ACTOR_CLASSES} == {c.value for c in EntityClass} & below_actor
