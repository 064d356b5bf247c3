"""The OWL ontology: its vocabulary is complete and OWL 2 DL, and HermiT finds it consistent."""

from __future__ import annotations

import shutil
from importlib import resources

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from spacekg.errors import OntologyError
from spacekg.ontology import reasoning
from spacekg.ontology.reasoning import ConsistencyReport, check_consistency

SKG = rdflib.Namespace("https://w3id.org/spacekg/ontology#")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")
ONTOLOGY_IRI = rdflib.URIRef("https://w3id.org/spacekg/ontology")
NS = {
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
}

# The binding vocabulary (SPEC §3 and the ontology brief): skg: local name → OWL kind.
CLASS, OBJECT, DATA, ANNOTATION, INDIVIDUAL = (
    OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual,
)
REQUIRED_TERMS = {
    "AssertionRecord": CLASS, "Assertion": CLASS, "Entity": CLASS, "Actor": CLASS, "Country": CLASS,
    "Organization": CLASS, "GovernmentBody": CLASS, "Company": CLASS, "Person": CLASS, "Program": CLASS,
    "PolicyDocument": CLASS, "Forum": CLASS, "Capability": CLASS, "Place": CLASS, "Budget": CLASS,
    "Modality": CLASS,
    "Stated": INDIVIDUAL, "Hedged": INDIVIDUAL, "Anticipated": INDIVIDUAL, "Prescriptive": INDIVIDUAL,
    "summary": DATA, "text": DATA, "evidenceRank": DATA, "lineNumber": DATA, "negated": DATA,
    "qualifier": DATA, "surface": DATA, "temporalValue": DATA, "quantityKind": DATA, "minted": DATA, "fiscalYear": DATA,
    "mentions": OBJECT, "hasQuantity": OBJECT, "modality": OBJECT, "country": OBJECT,
    "formerMemberOf": OBJECT, "metWith": OBJECT, "budgetHolder": OBJECT, "amount": OBJECT,
    "purpose": OBJECT, "funds": OBJECT, "develops": OBJECT, "procures": OBJECT, "partnersWith": OBJECT,
    "announced": OBJECT, "signed": OBJECT, "operates": OBJECT, "participatesIn": OBJECT,
    "demonym": ANNOTATION, "acronym": ANNOTATION,
}
REQUIRED_SUPERCLASSES = {
    "AssertionRecord": ["prov:Entity"], "Assertion": ["prov:Entity"], "Budget": ["prov:Entity"],
    "Actor": ["Entity", "prov:Agent"], "Country": ["Actor"], "Organization": ["Actor", "org:Organization"],
    "GovernmentBody": ["Organization"], "Company": ["Organization"], "Person": ["Actor", "foaf:Person"],
    "Program": ["Entity"], "PolicyDocument": ["Entity", "foaf:Document"], "Forum": ["Entity"],
    "Capability": ["Entity", "skos:Concept"], "Place": ["Entity", "schema:Place"],
}
REQUIRED_SUPERPROPERTIES = {"demonym": "skos:hiddenLabel", "acronym": "skos:altLabel"}
FUNCTIONAL = {"text", "evidenceRank", "modality"}
SYMMETRIC = {"metWith", "partnersWith"}
REUSED_TERMS = {
    "org:headOf": OBJECT, "org:memberOf": OBJECT, "prov:wasDerivedFrom": OBJECT,
    "dcterms:source": ANNOTATION, "dcterms:title": ANNOTATION, "skos:altLabel": ANNOTATION,
    "schema:value": DATA, "schema:currency": DATA, "schema:unitCode": DATA, "schema:unitText": DATA,
    "schema:minValue": DATA, "schema:maxValue": DATA,
    "schema:MonetaryAmount": CLASS, "schema:QuantitativeValue": CLASS,
}
BUILT_IN = (  # namespaces whose terms OWL 2 DL never needs declared
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
)
DECLARATIONS = {CLASS, OBJECT, DATA, ANNOTATION, INDIVIDUAL, OWL.Ontology}
OWL2_DATATYPES = {RDFS.Literal, RDF.PlainLiteral, RDF.XMLLiteral, OWL.real, OWL.rational} | {
    XSD[name] for name in (
        "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int short "
        "byte unsignedLong unsignedInt unsignedShort unsignedByte double float string normalizedString token "
        "language Name NCName NMTOKEN boolean hexBinary base64Binary anyURI dateTime dateTimeStamp"
    ).split()
}

needs_java = pytest.mark.skipif(
    shutil.which("java") is None, reason="HermiT needs a Java runtime and `java` is not on PATH"
)


def curie(name: str) -> rdflib.URIRef:
    prefix, _, local = name.partition(":")
    return rdflib.URIRef(NS[prefix] + local)


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    data = resources.files("spacekg.ontology").joinpath("spacekg.ttl").read_bytes()
    return rdflib.Graph().parse(data=data, format="turtle")


@pytest.fixture(scope="module")
def reference_report() -> ConsistencyReport:
    if shutil.which("java") is None:
        pytest.skip("HermiT needs a Java runtime and `java` is not on PATH")
    return check_consistency()


# ---- the vocabulary, checked with rdflib alone


def test_ontology_has_a_header_with_version_title_description_and_cc_by_license(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    dcterms = rdflib.Namespace(NS["dcterms"])
    assert ontology.value(ONTOLOGY_IRI, dcterms.title) is not None
    assert ontology.value(ONTOLOGY_IRI, dcterms.description) is not None
    assert ontology.value(ONTOLOGY_IRI, dcterms.license) == rdflib.URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )


@pytest.mark.parametrize("name", sorted(REQUIRED_TERMS))
def test_every_vocabulary_term_is_declared_with_english_label_and_comment(ontology, name):
    term = SKG[name]
    assert (term, RDF.type, REQUIRED_TERMS[name]) in ontology, f"skg:{name} is not declared as {REQUIRED_TERMS[name]}"
    for predicate in (RDFS.label, RDFS.comment):
        english = [o for o in ontology.objects(term, predicate) if getattr(o, "language", None) == "en"]
        assert len(english) == 1, f"skg:{name} needs exactly one English {predicate}"
    if REQUIRED_TERMS[name] in (OBJECT, DATA, ANNOTATION):
        assert ontology.value(term, RDFS.domain) is not None, f"skg:{name} has no rdfs:domain"
        assert ontology.value(term, RDFS.range) is not None, f"skg:{name} has no rdfs:range"


def test_classes_are_aligned_to_standard_vocabularies(ontology):
    for name, parents in REQUIRED_SUPERCLASSES.items():
        asserted = set(ontology.objects(SKG[name], RDFS.subClassOf))
        wanted = {SKG[p] if ":" not in p else curie(p) for p in parents}
        assert wanted <= asserted, f"skg:{name} lacks superclasses {wanted - asserted}"
    for name, parent in REQUIRED_SUPERPROPERTIES.items():
        assert (SKG[name], RDFS.subPropertyOf, curie(parent)) in ontology


def test_exactly_one_properties_are_functional_and_meeting_and_partnering_are_symmetric(ontology):
    assert {n for n in REQUIRED_TERMS if (SKG[n], RDF.type, OWL.FunctionalProperty) in ontology} == FUNCTIONAL
    assert {n for n in REQUIRED_TERMS if (SKG[n], RDF.type, OWL.SymmetricProperty) in ontology} == SYMMETRIC


def test_modality_has_exactly_the_four_pairwise_different_values(ontology):
    values = {SKG.Stated, SKG.Hedged, SKG.Anticipated, SKG.Prescriptive}
    enumerations = [
        set(rdflib.collection.Collection(ontology, members))
        for cls in ontology.objects(SKG.Modality, OWL.equivalentClass)
        for members in ontology.objects(cls, OWL.oneOf)
    ]
    assert enumerations == [values]
    different = [
        set(rdflib.collection.Collection(ontology, members))
        for node in ontology.subjects(RDF.type, OWL.AllDifferent)
        for members in ontology.objects(node, OWL.distinctMembers)
    ]
    assert values in different


def test_ontology_parses_and_every_skg_term_used_in_it_is_declared(ontology):
    used = {t for triple in ontology for t in triple if isinstance(t, rdflib.URIRef) and t.startswith(str(SKG))}
    undeclared = sorted(t for t in used if not set(ontology.objects(t, RDF.type)) & DECLARATIONS)
    assert not undeclared, f"used but not declared: {undeclared}"


def test_every_reused_term_is_declared_so_the_ontology_stays_owl2_dl(ontology):
    for name, kind in REUSED_TERMS.items():
        assert (curie(name), RDF.type, kind) in ontology, f"{name} is not declared as {kind}"
    annotation_properties = set(ontology.subjects(RDF.type, ANNOTATION))
    used: set[rdflib.URIRef] = set()
    for s, p, o in ontology:
        used.update(t for t in (s, p) if isinstance(t, rdflib.URIRef))
        if isinstance(o, rdflib.URIRef) and p not in annotation_properties:
            used.add(o)
    untyped = sorted(
        t for t in used
        if not str(t).startswith(BUILT_IN) and t != ONTOLOGY_IRI and not set(ontology.objects(t, RDF.type)) & DECLARATIONS
    )
    assert not untyped, f"untyped terms (not OWL 2 DL): {untyped}"


def test_only_datatypes_of_the_owl2_datatype_map_are_used(ontology):
    data_properties = set(ontology.subjects(RDF.type, DATA))
    ranges = {r for p in data_properties for r in ontology.objects(p, RDFS.range)}
    literal_types = {o.datatype for o in ontology.objects() if isinstance(o, rdflib.Literal) and o.datatype}
    assert not (ranges | literal_types) - OWL2_DATATYPES
    assert ontology.value(SKG.fiscalYear, RDFS.range) == RDFS.Literal
    assert "gYear" in str(ontology.value(SKG.fiscalYear, RDFS.comment))


# ---- reasoning with HermiT


@pytest.mark.reasoner
@needs_java
def test_ontology_and_reference_entities_are_consistent(reference_report):
    assert reference_report.consistent, reference_report.message
    assert "spacekg.ttl" in reference_report.message
    if resources.files("spacekg.ontology").joinpath("entities.ttl").is_file():
        assert "entities.ttl" in reference_report.message


@pytest.mark.reasoner
@needs_java
def test_inferred_hierarchy_puts_government_body_under_organization_under_actor(reference_report):
    hierarchy = reference_report.inferred_hierarchy
    assert "Organization" in hierarchy["GovernmentBody"]
    assert "Actor" in hierarchy["Organization"]
    assert "org:Organization" in hierarchy["Organization"]  # reused classes keep their prefix
    assert "Entity" in hierarchy["Actor"]


@pytest.mark.reasoner
@needs_java
def test_an_individual_both_person_and_country_is_caught_as_inconsistent(tmp_path):
    edit = tmp_path / "person-country.ttl"
    edit.write_text(
        "@prefix skg: <https://w3id.org/spacekg/ontology#> .\n"
        "<https://w3id.org/spacekg/id/entity/x> a skg:Person , skg:Country .\n",
        encoding="utf-8",
    )
    report = check_consistency([edit])
    assert not report.consistent
    assert "inconsistent" in report.message
    assert str(edit) in report.message


@pytest.mark.reasoner
@needs_java
def test_a_person_heading_a_country_with_a_gyear_budget_is_consistent(tmp_path):
    # org:headOf's range is org:Organization, so a country must be allowed to be one;
    # fiscal years are xsd:gYear literals, which HermiT must not reject.
    data = tmp_path / "facts.ttl"
    data.write_text(
        "@prefix skg: <https://w3id.org/spacekg/ontology#> .\n"
        "@prefix org: <http://www.w3.org/ns/org#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix id: <https://w3id.org/spacekg/id/entity/> .\n"
        "id:japan a skg:Country , org:Organization .\n"
        "id:takaichi a skg:Person ; org:headOf id:japan ; skg:metWith id:trump .\n"
        "<https://w3id.org/spacekg/id/budget/1> a skg:Budget ; skg:budgetHolder id:japan ;\n"
        '    skg:fiscalYear "2026"^^xsd:gYear .\n',
        encoding="utf-8",
    )
    report = check_consistency([data])
    assert report.consistent, report.message


@pytest.mark.reasoner
@needs_java
def test_two_modalities_for_one_assertion_are_inconsistent(tmp_path):
    edit = tmp_path / "two-modalities.ttl"
    edit.write_text(
        "@prefix skg: <https://w3id.org/spacekg/ontology#> .\n"
        "<https://w3id.org/spacekg/id/assertion/r/1> a skg:Assertion ; skg:modality skg:Stated , skg:Hedged .\n",
        encoding="utf-8",
    )
    assert not check_consistency([edit]).consistent


def test_missing_java_raises_an_ontology_error_saying_to_install_one(monkeypatch):
    monkeypatch.setattr(reasoning.shutil, "which", lambda name: None)
    with pytest.raises(OntologyError, match="install"):
        check_consistency()


def test_an_extra_file_that_is_not_turtle_raises_an_ontology_error_naming_it(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle <", encoding="utf-8")
    if shutil.which("java") is None:
        pytest.skip("check_consistency stops at the Java check first")
    with pytest.raises(OntologyError, match="broken.ttl"):
        check_consistency([broken])
