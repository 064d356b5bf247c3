"""The N-Quads export of an Oxigraph store is Oxigraph's own dump with the declared datatypes
restored on its text: byte for byte what writing quad by quad (the path of every other
store) gives, whatever the literals say and wherever the chunks end."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from spacekg import open_store
from spacekg.export import PREFIXES, _RestoringDatatypes, _with_declared_datatype, export
from spacekg.vocab import SKG, SKGID, XSD

NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"


def quad_by_quad(store) -> bytes:
    out = io.BytesIO()
    ox.serialize(map(_with_declared_datatype, store.quads()), out, format=ox.RdfFormat.N_QUADS, prefixes=PREFIXES)
    return out.getvalue()


def tricky_store():
    store = open_store("memory:")
    a, g = SKGID["record/r/assertion/1"], SKGID["record/r/assertion/1"]
    rank = f'<{SKG.evidenceRank.value}> "7"^^<{XSD.integer.value}>'
    store.add_quads([
        ox.Quad(a, SKG.evidenceRank, ox.Literal("3", datatype=XSD.integer)),  # default graph
        ox.Quad(a, SKG.lineNumber, ox.Literal("12", datatype=XSD.integer), g),
        ox.Quad(ox.BlankNode("m1"), ox.NamedNode(NIF + "beginIndex"), ox.Literal("0", datatype=XSD.integer), g),
        ox.Quad(a, SKG.text, ox.Literal(f'{rank}\n_:x {rank} .\n"quoted" \\ {rank}'), g),  # looks like one
        ox.Quad(a, SKG.text, ox.Literal(f'ends with {rank}'), g),
        ox.Quad(a, SKG.mentionCount, ox.Literal("5", datatype=XSD.integer), g),  # declared xsd:integer: kept
        ox.Quad(a, ox.NamedNode("https://example.org/other"), ox.Literal("9", datatype=XSD.integer), g),
    ])
    return store


@pytest.mark.parametrize("make", [tricky_store, lambda: None], ids=["tricky", "shipped"])
def test_nquads_export_is_the_quad_by_quad_text(make, shipped_store):
    store = make() or shipped_store
    out = io.BytesIO()
    export(store, out, format="nquads")
    assert out.getvalue() == quad_by_quad(store)
    assert b"XMLSchema#positiveInteger>" in out.getvalue()


def test_datatypes_are_restored_whatever_the_chunk_boundaries(shipped_store):
    expected = quad_by_quad(shipped_store)
    for chunk in (1, 97, 4096):
        out = io.BytesIO()
        restoring = _RestoringDatatypes(out, chunk=chunk)
        shipped_store.dump(restoring, format=ox.RdfFormat.N_QUADS)
        restoring.close()
        assert out.getvalue() == expected, chunk


class FullDisk(io.BytesIO):
    name = "out.nq"

    def write(self, data):  # noqa: ARG002
        raise OSError(28, "No space left on device")


@pytest.mark.parametrize("format", ["nquads", "trig", "gexf"])
def test_an_output_that_cannot_be_written_is_named_in_the_error(format, shipped_store):
    from spacekg.errors import SpacekgError

    with pytest.raises(SpacekgError, match=r"out\.nq: .*No space left on device"):
        export(shipped_store, FullDisk(), format=format)


def test_a_dump_that_fails_midway_names_store_and_output(shipped_store):
    from spacekg.errors import StoreError

    with pytest.raises(StoreError, match=r"cannot dump the store .* to out\.nq: .*No space left"):
        shipped_store.dump(FullDisk(), format=ox.RdfFormat.N_QUADS)
