"""The reference entities (``spacekg/ontology/entities.ttl``): well formed, unambiguous, and
covering every entity of the shipped record's gold annotation.

The gold file is read from a copy in ``tests/data/gold/`` (copied from the shared eval folder), so
the test suite does not depend on anything outside the repository.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from spacekg.ontology.sssom import mapping_quads

ROOT = Path(__file__).resolve().parents[2]
ENTITIES_TTL = ROOT / "spacekg" / "ontology" / "entities.ttl"
GOLD = ROOT / "tests" / "data" / "gold" / "us-japan-space-partnership.yaml"

SKG = Namespace("https://w3id.org/spacekg/ontology#")
SKGID = "https://w3id.org/spacekg/id/"
WIKIDATA_ENTITY = re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$")

ENTITY_CLASSES = {
    SKG[name]
    for name in (
        "Country",
        "GovernmentBody",
        "Company",
        "Organization",
        "Person",
        "Program",
        "PolicyDocument",
        "Forum",
        "Capability",
        "Place",
    )
}
# The contract's subclasses (SPEC §3): a gold "Organization" may be a GovernmentBody or a Company.
SUBCLASSES = {"Organization": {"Organization", "GovernmentBody", "Company"}}
NAME_PROPERTIES = (RDFS.label, SKOS.altLabel, SKG.acronym, SKG.demonym)

# Names deliberately shared by several entities, with the entities sharing them. The loader keeps
# such a name ambiguous and resolves it from context (the country the sentence is about).
ALLOWED_SHARED = {
    "National Security Strategy": {"national-security-strategy-japan", "national-security-strategy-united-states"},
    "NSS": {"national-security-strategy-japan", "national-security-strategy-united-states"},
    "National Defense Strategy": {"national-defense-strategy-japan", "national-defense-strategy-united-states"},
    "NDS": {"national-defense-strategy-japan", "national-defense-strategy-united-states"},
}

# The closed list of capabilities (eval/README.md, annotation guidelines).
CAPABILITIES = {"ISR", "SDA", "missile warning", "remote sensing", "counter-strike"}


@pytest.fixture(scope="module")
def graph() -> Graph:
    """entities.ttl plus the curated links of mappings/*.sssom.tsv, as the build loads them."""
    g = Graph()
    g.parse(ENTITIES_TTL, format="turtle")
    for quad in mapping_quads():
        g.add((URIRef(quad.subject.value), URIRef(quad.predicate.value), URIRef(quad.object.value)))
    return g


@pytest.fixture(scope="module")
def entities(graph: Graph) -> dict[URIRef, dict]:
    """Every subject typed with an skg: entity class, with its class and names."""
    found: dict[URIRef, dict] = {}
    for s in set(graph.subjects(RDF.type, None)):
        classes = [c for c in graph.objects(s, RDF.type) if c in ENTITY_CLASSES]
        if not classes:
            continue
        names = {p: [o for o in graph.objects(s, p)] for p in NAME_PROPERTIES}
        found[s] = {"classes": classes, "names": names}
    return found


def key(iri: URIRef) -> str:
    return str(iri)[len(SKGID) :]


def all_names(entity: dict) -> list[str]:
    return [str(o) for values in entity["names"].values() for o in values]


def gold_normalise(name: str) -> str:
    """The scorer's normalisation: casefold, squeeze white space, drop dots, a leading "the "
    and a trailing "'s"."""
    n = " ".join(name.casefold().split()).replace(".", "")
    n = n.removeprefix("the ")
    if n.endswith(("'s", "’s")):
        n = n[:-2]
    return n.strip()


def test_parses_and_is_not_trivial(graph: Graph, entities: dict) -> None:
    assert len(graph) > 0
    assert len(entities) >= 300


def test_every_subject_is_a_typed_entity_under_skgid(graph: Graph, entities: dict) -> None:
    for s in set(graph.subjects()):
        assert isinstance(s, URIRef) and str(s).startswith(SKGID), f"unexpected subject {s}"
        assert s in entities, f"{s} has no skg: entity class"


def test_iris_are_lowercase_slugs(entities: dict) -> None:
    for iri in entities:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key(iri)), f"bad slug in {iri}"


def test_exactly_one_entity_class(entities: dict) -> None:
    for iri, e in entities.items():
        assert len(e["classes"]) == 1, f"{key(iri)} has classes {e['classes']}"


def test_exactly_one_english_label(graph: Graph, entities: dict) -> None:
    for iri in entities:
        labels = list(graph.objects(iri, RDFS.label))
        assert len(labels) == 1, f"{key(iri)} has {len(labels)} rdfs:label"
        assert isinstance(labels[0], Literal) and labels[0].language == "en", f"{key(iri)}: label not @en"


def test_names_are_english_literals_without_stray_space(entities: dict) -> None:
    for iri, e in entities.items():
        for prop, values in e["names"].items():
            for o in values:
                assert isinstance(o, Literal) and o.language == "en", f"{key(iri)} {prop}: {o!r} is not @en"
                assert str(o) == str(o).strip() and "  " not in str(o), f"{key(iri)}: {o!r} has stray spaces"
                assert str(o), f"{key(iri)} has an empty name"


def test_no_name_is_shared_except_the_allow_list(entities: dict) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for iri, e in entities.items():
        for name in set(all_names(e)):
            owners[name].add(key(iri))
    shared = {name: keys for name, keys in owners.items() if len(keys) > 1}
    unexpected = {name: keys for name, keys in shared.items() if ALLOWED_SHARED.get(name) != keys}
    assert not unexpected, f"names shared by several entities: {unexpected}"
    stale = set(ALLOWED_SHARED) - set(shared)
    assert not stale, f"allow-list entries no longer shared: {stale}"


def test_no_multiword_name_is_shared_as_the_gazetteer_sees_it(entities: dict) -> None:
    """The gazetteer matches names of several words case-insensitively and ignores hyphens, so
    "Space Command" and "space command" would collide there even though they differ here."""
    owners: dict[str, set[str]] = defaultdict(set)
    for iri, e in entities.items():
        for name in all_names(e):
            words = re.sub(r"[-‐‑–—]", " ", name).casefold().split()
            if len(words) > 1:
                owners[" ".join(words)].add(key(iri))
    allowed = {" ".join(n.casefold().split()): keys for n, keys in ALLOWED_SHARED.items()}
    clashes = {n: keys for n, keys in owners.items() if len(keys) > 1 and allowed.get(n) != keys}
    assert not clashes, f"multi-word names that collide case-insensitively: {clashes}"


def test_demonyms_are_not_alt_labels(entities: dict) -> None:
    for iri, e in entities.items():
        overlap = {str(o) for o in e["names"][SKG.demonym]} & {str(o) for o in e["names"][SKOS.altLabel]}
        assert not overlap, f"{key(iri)}: {overlap} is both a demonym and an altLabel"


def test_same_as_links_are_wikidata_entities_each_used_once(graph: Graph) -> None:
    seen: dict[str, URIRef] = {}
    for s, o in graph.subject_objects(OWL.sameAs):
        if "dbpedia.org" in str(o):
            continue
        assert isinstance(o, URIRef) and WIKIDATA_ENTITY.match(str(o)), f"{key(s)}: bad owl:sameAs {o}"
        qid = str(o).rsplit("/", 1)[1]
        assert qid not in seen, f"{qid} used by both {key(seen[qid])} and {key(s)}"
        seen[qid] = s
    assert len(seen) >= 191


def test_links_live_in_the_mapping_files_not_in_entities_ttl() -> None:
    own = Graph().parse(ENTITIES_TTL, format="turtle")
    assert not list(own.subject_objects(OWL.sameAs)), "owl:sameAs belongs in mappings/*.sssom.tsv"
    assert not list(own.subject_objects(SKOS.closeMatch)), "skos:closeMatch belongs in mappings/*.sssom.tsv"


def test_country_points_to_a_country_of_this_file(graph: Graph, entities: dict) -> None:
    countries = {iri for iri, e in entities.items() if e["classes"] == [SKG.Country]}
    for s, o in graph.subject_objects(SKG.country):
        assert o in countries, f"{key(s)}: skg:country {o} is not a skg:Country of entities.ttl"
        assert s not in countries, f"{key(s)}: a country has no skg:country"
        assert len(list(graph.objects(s, SKG.country))) == 1, f"{key(s)} has several skg:country"


def test_capabilities_are_the_closed_list(graph: Graph, entities: dict) -> None:
    labels = {str(graph.value(iri, RDFS.label)) for iri, e in entities.items() if e["classes"] == [SKG.Capability]}
    assert labels == CAPABILITIES


def test_space_development_agency_does_not_claim_sda(entities: dict) -> None:
    sda = [key(iri) for iri, e in entities.items() if "SDA" in all_names(e)]
    assert sda == ["sda"]


def test_the_two_national_security_strategies_are_distinct(graph: Graph) -> None:
    us = URIRef(SKGID + "national-security-strategy-united-states")
    jp = URIRef(SKGID + "national-security-strategy-japan")
    assert (us, RDF.type, SKG.PolicyDocument) in graph and (jp, RDF.type, SKG.PolicyDocument) in graph
    assert graph.value(us, SKG.country) == URIRef(SKGID + "united-states")
    assert graph.value(jp, SKG.country) == URIRef(SKGID + "japan")


def _gold_entities() -> dict[str, dict]:
    return yaml.safe_load(GOLD.read_text(encoding="utf-8"))["entities"]


def _candidates(graph: Graph, entities: dict) -> dict[str, list[URIRef]]:
    """For each gold entity, the reference entities of the gold's class (or a subclass) that one of
    its names reaches after the gold normalisation."""
    by_name: dict[str, set[URIRef]] = defaultdict(set)
    for iri, e in entities.items():
        for name in all_names(e):
            by_name[gold_normalise(name)].add(iri)
    result = {}
    for gold_key, spec in _gold_entities().items():
        wanted = {SKG[c] for c in SUBCLASSES.get(spec["type"], {spec["type"]})}
        names = {gold_normalise(n) for n in [gold_key, *spec.get("aliases", [])]}
        result[gold_key] = sorted(
            {iri for n in names for iri in by_name.get(n, ()) if set(entities[iri]["classes"]) & wanted}
        )
    return result


def test_every_gold_entity_is_known_with_the_gold_class(graph: Graph, entities: dict) -> None:
    missing = [k for k, c in _candidates(graph, entities).items() if not c]
    assert not missing, f"gold entities with no reference entity of their class: {missing}"


def test_gold_entities_map_one_to_one(graph: Graph, entities: dict) -> None:
    """Distinct gold entities (e.g. the two National Security Strategies) need distinct IRIs."""
    candidates = _candidates(graph, entities)
    owner: dict[URIRef, str] = {}

    def assign(gold_key: str, visited: set[URIRef]) -> bool:
        for iri in candidates[gold_key]:
            if iri in visited:
                continue
            visited.add(iri)
            if iri not in owner or assign(owner[iri], visited):
                owner[iri] = gold_key
                return True
        return False

    unmatched = [k for k in candidates if not assign(k, set())]
    assert not unmatched, f"no one-to-one assignment for {unmatched}"


def test_gold_qids_agree(graph: Graph, entities: dict) -> None:
    candidates = _candidates(graph, entities)
    for gold_key, spec in _gold_entities().items():
        if "qid" not in spec:
            continue
        expected = URIRef("http://www.wikidata.org/entity/" + spec["qid"])
        linked = [iri for iri in candidates[gold_key] if (iri, OWL.sameAs, expected) in graph]
        assert linked, f"{gold_key}: no candidate carries owl:sameAs {spec['qid']}"
        for iri in candidates[gold_key]:
            other = {o for o in graph.objects(iri, OWL.sameAs) if "wikidata.org" in str(o)} - {expected}
            assert not other, f"{gold_key}: {key(iri)} links {other}, gold says {spec['qid']}"
