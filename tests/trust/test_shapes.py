"""The SHACL shapes (SPEC §3): what the shipped data passes, what a broken graph fails, and
how `validate` and `build` use them. Every rule of the contract has a mutation that breaks it."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from spacekg import build, open_store
from spacekg.cli import main
from spacekg.errors import RecordError, ValidationError
from spacekg.export import export
from spacekg.ontology import read_resource
from spacekg.validate import validate_file, validate_quads, validate_records, validate_store
from tests.conftest import ROOT, SHIPPED_RECORD

PREFIXES = """
@prefix skg: <https://w3id.org/spacekg/ontology#> .
@prefix skgid: <https://w3id.org/spacekg/id/> .
@prefix rec: <https://w3id.org/spacekg/id/record/> .
@prefix A: <https://w3id.org/spacekg/id/record/r/assertion/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""
# A minimal dataset with one of everything SPEC §3 describes. The budget holder is a
# GovernmentBody, which is an Actor only through the ontology's subclass chain.
VALID = PREFIXES + """
rec:r a skg:AssertionRecord ; skg:summary "S." ; dcterms:source "r.txt" .
A:a a skg:Assertion ;
    skg:text "Japan's MOD has a trillion yen, 97.9% of it for ISR." ;
    skg:evidenceRank "1"^^xsd:positiveInteger ;
    skg:lineNumber "3"^^xsd:positiveInteger ;
    prov:wasDerivedFrom rec:r ;
    skg:negated false ;
    skg:modality skg:Stated ;
    skg:mentions skgid:japan , skgid:mod ;
    skg:hasQuantity A:q1 , A:q2 .
skgid:japan a skg:Country ; rdfs:label "Japan"@en .
skgid:mod a skg:GovernmentBody ; rdfs:label "Ministry of Defense"@en .
A:a {
    A:q1 a schema:MonetaryAmount ; schema:value "1000000000000"^^xsd:decimal ; schema:currency "JPY" .
    A:q2 a schema:QuantitativeValue ; skg:quantityKind "percent" ; schema:value 97.9 ; schema:unitCode "P1" .
    A:b1 a skg:Budget ; skg:budgetHolder skgid:mod ; skg:amount A:q1 ; skg:fiscalYear "2026"^^xsd:gYear .
}
"""
ASSERTION = "skgid:record/r/assertion/a"
Q1, Q2, B1 = (f"skgid:record/r/assertion/{x}" for x in ("q1", "q2", "b1"))


def check(trig: str):
    return validate_quads(ox.parse(trig.encode(), format=ox.RdfFormat.TRIG), source="test.trig")


def test_the_minimal_dataset_conforms_with_subclass_reasoning_from_the_ontology():
    report = check(VALID)
    assert report.conforms, report.text
    assert report.results == ()


def test_ranks_stored_as_xsd_integer_by_oxigraph_conform_too():
    report = check(VALID.replace('"1"^^xsd:positiveInteger', '"1"^^xsd:integer'))
    assert report.conforms, report.text


# (what is broken, old text, new text, focus, path, words of the message)
MUTATIONS = [
    ("no text", 'skg:text "Japan\'s MOD has a trillion yen, 97.9% of it for ISR." ;', "", ASSERTION, "skg:text",
     "exactly one skg:text"),
    ("two texts", "skg:text ", 'skg:text "Another text." , ', ASSERTION, "skg:text", "exactly one skg:text"),
    ("rank zero", '"1"^^xsd:positiveInteger ;\n    skg:lineNumber', '"0"^^xsd:integer ;\n    skg:lineNumber',
     ASSERTION, "skg:evidenceRank", "integer ≥ 1"),
    ("rank as a string", '"1"^^xsd:positiveInteger ;\n    skg:lineNumber', '"1" ;\n    skg:lineNumber',
     ASSERTION, "skg:evidenceRank", "integer ≥ 1"),
    ("two ranks", "skg:evidenceRank ", "skg:evidenceRank 2 , ", ASSERTION, "skg:evidenceRank", "exactly one"),
    ("no record", "prov:wasDerivedFrom rec:r ;", "", ASSERTION, "prov:wasDerivedFrom", "exactly one skg:AssertionRecord"),
    ("record is not a record", "prov:wasDerivedFrom rec:r ;", "prov:wasDerivedFrom skgid:japan ;", ASSERTION,
     "prov:wasDerivedFrom", "skg:AssertionRecord"),
    ("negated missing", "skg:negated false ;", "", ASSERTION, "skg:negated", "boolean"),
    ("negated not boolean", "skg:negated false ;", 'skg:negated "no" ;', ASSERTION, "skg:negated", "boolean"),
    ("unknown modality", "skg:modality skg:Stated", "skg:modality skg:Certain", ASSERTION, "skg:modality",
     "skg:Stated, skg:Hedged"),
    ("lower-case currency", '"JPY"', '"jpy"', Q1, "schema:currency", "ISO 4217"),
    ("made-up currency", '"JPY"', '"ZZZ"', Q1, "schema:currency", "ISO 4217"),
    ("no-currency code", '"JPY"', '"XXX"', Q1, "schema:currency", "ISO 4217"),
    ("money without currency", '; schema:currency "JPY"', "", Q1, "schema:currency", "exactly one schema:currency"),
    ("money value not decimal", '"1000000000000"^^xsd:decimal', '"a trillion"', Q1, "schema:value", "xsd:decimal"),
    ("money without value", 'schema:value "1000000000000"^^xsd:decimal ;', "", Q1, "schema:value",
     "exactly one schema:value"),
    ("percentage without P1", 'schema:unitCode "P1"', 'schema:unitCode "PCT"', Q2, "", 'unitCode "P1"'),
    ("budget holder not an actor", "skg:budgetHolder skgid:mod", "skg:budgetHolder A:q2", B1, "skg:budgetHolder",
     "skg:Actor"),
    ("budget without holder", "skg:budgetHolder skgid:mod ;", "", B1, "skg:budgetHolder", "exactly one"),
    ("budget amount is a percentage", "skg:amount A:q1", "skg:amount A:q2", B1, "skg:amount",
     "schema:MonetaryAmount"),
    ("budget with two fiscal years", '"2026"^^xsd:gYear', '"2026"^^xsd:gYear , "2027"^^xsd:gYear', B1,
     "skg:fiscalYear", "at most one"),
    ("entity without label", 'skgid:mod a skg:GovernmentBody ; rdfs:label "Ministry of Defense"@en .',
     "skgid:mod a skg:GovernmentBody .", "skgid:mod", "rdfs:label", "exactly one rdfs:label"),
    ("entity label not English", '"Japan"@en', '"Nihon"@ja', "skgid:japan", "rdfs:label", "English"),
    ("entity label without language", '"Japan"@en', '"Japan"', "skgid:japan", "rdfs:label", "English"),
    ("entity with two labels", '"Japan"@en', '"Japan"@en , "Nippon"@en', "skgid:japan", "rdfs:label",
     "exactly one rdfs:label"),
    ("entity of no entity class", "skgid:japan a skg:Country", "skgid:japan a skg:Entity", "skgid:japan", "rdf:type",
     "exactly one rdf:type among the entity classes"),
    ("mentioned entity unknown", "skg:mentions skgid:japan ,", "skg:mentions skgid:atlantis ,", "skgid:atlantis",
     "rdf:type", "entity classes"),
    ("record without summary", 'skg:summary "S." ;', "", "skgid:record/r", "skg:summary", "exactly one skg:summary"),
    ("record without source", '; dcterms:source "r.txt"', "", "skgid:record/r", "dcterms:source", "dcterms:source"),
    ("record without assertions", "rec:r a skg:AssertionRecord", "rec:r a skg:AssertionRecord .\nrec:s a "
     "skg:AssertionRecord ; skg:summary \"T.\" ; dcterms:source \"s.txt\" .\nrec:r a skg:AssertionRecord",
     "skgid:record/s", "^prov:wasDerivedFrom", "at least one assertion"),
]


@pytest.mark.parametrize("what,old,new,focus,path,words", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_each_broken_rule_is_reported_on_its_node_and_property(what, old, new, focus, path, words):
    assert VALID.count(old) >= 1, f"mutation {what!r} does not apply"
    report = check(VALID.replace(old, new, 1))
    assert not report.conforms
    hits = [r for r in report.results if r.focus == focus and r.path == path]
    assert hits, f"{what}: expected a result on {focus} {path}, got {[(r.focus, r.path) for r in report.results]}"
    assert any(words in r.message for r in hits), [r.message for r in hits]
    assert {r.severity for r in report.results} == {"Violation"}


def test_shipped_store_conforms(shipped_store):
    report = validate_store(shipped_store)
    assert report.conforms, report.text
    assert report.summary() == "memory:: conforms to the spacekg shapes"


BROKEN = PREFIXES + """
rec:r a skg:AssertionRecord ; skg:summary "s" ; dcterms:source "r.txt" .
A:a a skg:Assertion ;
    skg:evidenceRank 0 , 2 ;
    prov:wasDerivedFrom rec:r ;
    skg:negated "no" ;
    skg:modality skg:Certain ;
    skg:mentions skgid:nowhere , skgid:japan ;
    skg:hasQuantity A:q1 .
skgid:japan a skg:Country ; rdfs:label "Japan" .
A:a {
    A:q1 a schema:MonetaryAmount ; schema:value "lots" ; schema:currency "usd" .
    A:b1 a skg:Budget ; skg:budgetHolder skgid:artemis ; skg:amount A:q1 .
    skgid:artemis a skg:Program ; rdfs:label "Artemis"@en .
}
"""


SYNTAXES = [("trig", ox.RdfFormat.TRIG), ("nq", ox.RdfFormat.N_QUADS), ("jsonld", ox.RdfFormat.JSON_LD),
            ("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES), ("rdf", ox.RdfFormat.RDF_XML)]


@pytest.mark.parametrize("suffix,fmt", SYNTAXES, ids=[s for s, _ in SYNTAXES])
def test_validate_file_reads_every_supported_syntax_to_the_same_verdict(tmp_path, suffix, fmt):
    for name, text in (("valid", VALID), ("broken", BROKEN)):
        quads = list(ox.parse(text.encode(), format=ox.RdfFormat.TRIG))
        path = tmp_path / f"{name}.{suffix}"
        with path.open("wb") as fh:
            if fmt.supports_datasets:
                ox.serialize(quads, fh, format=fmt)
            else:  # triple syntaxes get the union of the graphs, like `spacekg export --format turtle`
                ox.serialize(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads), fh, format=fmt)
        expected = check(text)
        report = validate_file(path)
        assert report.conforms is expected.conforms, report.text
        assert report.results == expected.results


def test_a_deliberately_broken_graph_fails_with_a_readable_report(tmp_path):
    path = tmp_path / "broken.trig"
    path.write_text(BROKEN, encoding="utf-8")
    report = validate_file(path)
    assert not report.conforms
    found = {(r.focus, r.path) for r in report.results}
    assert found >= {
        (ASSERTION, "skg:text"), (ASSERTION, "skg:evidenceRank"), (ASSERTION, "skg:negated"),
        (ASSERTION, "skg:modality"), ("skgid:japan", "rdfs:label"), ("skgid:nowhere", "rdf:type"),
        ("skgid:nowhere", "rdfs:label"), (Q1, "schema:currency"), (Q1, "schema:value"), (B1, "skg:budgetHolder"),
    }
    # readable: CURIEs, the shapes' own sentences, the offending value
    currency = next(r for r in report.results if r.path == "schema:currency")
    assert currency.value == '"usd"' and "ISO 4217" in currency.message and currency.constraint == "In"
    assert report.summary().startswith("broken.trig: does not conform to the spacekg shapes (")
    assert "Constraint Violation" in report.text  # pySHACL's own text is kept

    result = CliRunner().invoke(main, ["validate", str(path)], env={"COLUMNS": "400"})
    assert result.exit_code == 1
    assert "an amount of money has exactly one schema:currency" in result.stdout
    summary = result.stdout.rstrip().splitlines()[-1]  # unmangled by rich (no markup, no :emoji: codes)
    assert summary == report.summary()
    as_json = CliRunner().invoke(main, ["validate", str(path), "--format", "json"])
    assert as_json.exit_code == 1
    data = json.loads(as_json.stdout)
    assert data["conforms"] is False and len(data["results"]) == len(report.results)
    assert set(data["results"][0]) == {"focus", "path", "message", "severity", "value", "shape", "constraint"}


def test_raise_for_results_is_opt_in_and_carries_the_report():
    good, bad = check(VALID), check(BROKEN)
    good.raise_for_results()
    with pytest.raises(ValidationError, match="does not conform") as caught:
        bad.raise_for_results()
    assert caught.value.report is bad


def test_validate_cli_exits_0_conforming_and_2_on_errors(tmp_path):
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(SHIPPED_RECORD), "--store", str(store), "-q"]).exit_code == 0
    ok = runner.invoke(main, ["validate", "--store", str(store)])
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.strip() == f"{store}: conforms to the spacekg shapes"
    for args, words in (
        (["validate", str(tmp_path / "missing.ttl")], "cannot read"),
        (["validate", str(SHIPPED_RECORD)], "cannot tell the RDF syntax"),
        (["validate", "--store", str(tmp_path / "nostore")], "no store at"),
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 2, result.output
        assert result.stderr.count("\n") == 1 and words in result.stderr
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2 and result.stderr.startswith(f"spacekg: error: {bad}:1: not valid Turtle")


def test_rdfxml_with_a_doctype_is_refused_before_parsing(tmp_path):
    laughs = tmp_path / "laughs.rdf"
    laughs.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY a "aaaaaaaaaa">\n'
                      ' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
                      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex/">'
                      '<rdf:Description rdf:about="http://ex/s"><ex:p>&c;</ex:p></rdf:Description></rdf:RDF>\n')
    with pytest.raises(RecordError, match="DOCTYPE or entity declarations is refused"):
        validate_file(laughs)
    plain = tmp_path / "plain.rdf"
    plain.write_text('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                     'xmlns:ex="http://ex/"><rdf:Description rdf:about="http://ex/s"><ex:p>x</ex:p>'
                     '</rdf:Description></rdf:RDF>\n')
    assert validate_file(plain).conforms  # no spacekg data in it, nothing to break


def test_jsonld_remote_context_is_never_fetched(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    doc = tmp_path / "remote.jsonld"
    doc.write_text(json.dumps({"@context": f"http://127.0.0.1:{port}/context.jsonld", "@id": "http://ex/a",
                               "name": "x"}))
    try:
        with pytest.raises(RecordError, match="remote JSON-LD contexts are not fetched"):
            validate_file(doc)
        with pytest.raises(BlockingIOError):  # nobody knocked
            listener.accept()
    finally:
        listener.close()


def test_build_refuses_records_whose_output_does_not_conform_and_leaves_the_store_unchanged(tmp_path):
    # two record names that collapse to one IRI, with different sources: the record node
    # would get two dcterms:source values, which the shapes catch before anything is written
    clash = tmp_path / "clash.csv"
    clash.write_text("record,source,rank,text\nAlpha Beta,a.pdf,1,NASA met with JAXA in Tokyo.\n"
                     "alpha-beta,b.pdf,1,ESA funds the Gateway program.\n")
    store = open_store(tmp_path / "store")
    build([SHIPPED_RECORD], store)
    before = sorted(map(str, store.quads()))
    with pytest.raises(ValidationError, match="dcterms:source.*nothing was written") as caught:
        build([clash], store)
    assert caught.value.report is not None and not caught.value.report.conforms
    assert sorted(map(str, store.quads())) == before
    store.close()

    result = CliRunner().invoke(main, ["build", str(clash), "--store", str(tmp_path / "store")])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "does not conform to the spacekg shapes" in result.stderr
    skipped = CliRunner().invoke(main, ["build", str(clash), "--store", "memory:", "-q", "--no-validate"])
    assert skipped.exit_code == 0, skipped.output


def test_currency_codes_in_the_shapes_are_current_and_cover_what_extraction_emits():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_currency_codes.py"), "--check"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, "run scripts/gen_currency_codes.py: the ISO 4217 list drifted from pycountry"
    shapes = read_resource("shapes.ttl").decode()
    block = shapes[shapes.index("# BEGIN ISO 4217"):shapes.index("# END ISO 4217")]
    listed = set(block.split('"')[1::2])
    import pycountry

    emitted = {c.alpha_3 for c in pycountry.currencies if not c.alpha_3.startswith("X")}  # the extractor's codes
    for table, column in (("currencies.tsv", 1), ("ambiguous_currencies.tsv", 2)):
        text = (ROOT / "spacekg" / "loaders" / "extract" / table).read_text(encoding="utf-8")
        rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
        emitted |= {row[column] for row in rows[1:]}
    assert emitted and emitted <= listed, emitted - listed


def test_validate_report_of_a_store_matches_the_report_of_its_trig_export(shipped_store):
    buf = io.BytesIO()
    export(shipped_store, buf, format="trig")
    from_file = validate_quads(ox.parse(buf.getvalue(), format=ox.RdfFormat.TRIG))
    assert from_file.conforms == validate_store(shipped_store).conforms is True


def test_validate_uses_the_fast_engine_by_default_and_pyshacl_on_request(tmp_path):
    path = tmp_path / "broken.trig"
    path.write_text(BROKEN, encoding="utf-8")
    fast, reference = validate_file(path), validate_file(path, engine="pyshacl")
    assert {(r.focus, r.path, r.constraint) for r in fast.results} == \
        {(r.focus, r.path, r.constraint) for r in reference.results}
    assert fast.text.startswith("Validation Report\nConforms: False") and fast.text != reference.text
    for engine, report in (("sparql", fast), ("pyshacl", reference)):
        result = CliRunner().invoke(main, ["validate", str(path), "--engine", engine, "--format", "json"])
        assert result.exit_code == 1
        assert json.loads(result.stdout)["text"] == report.text
