"""One contract, every store: the same build gives the same dataset in each backend."""

from __future__ import annotations

import io
import re

import pyoxigraph as ox
import pytest

from spacekg import build, open_store
from spacekg.errors import QueryError, StoreError, StoreLockedError
from tests.conftest import SHIPPED_RECORD

SPECS = ["memory:", "rdflib:", "disk"]


@pytest.fixture(params=SPECS)
def store(request, tmp_path):
    spec = str(tmp_path / "store") if request.param == "disk" else request.param
    s = open_store(spec)
    yield s
    s.close()


def canonical(store) -> set[str]:
    """Quads without blank nodes as text (blank node labels differ between stores), with
    derived integer types as Oxigraph stores them (xsd:positiveInteger → xsd:integer)."""
    return {re.sub(r"XMLSchema#(?:nonNegative|positive)Integer", "XMLSchema#integer", str(q)) for q in store.quads()
            if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))}


def test_every_store_holds_the_same_quads_after_a_build(store):
    build([SHIPPED_RECORD], store)
    reference = open_store("memory:")
    build([SHIPPED_RECORD], reference)
    assert canonical(store) == canonical(reference)
    assert len(store) == len(reference)


def test_query_bindings_are_terms_not_text(store):
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    store.add_quads([ox.Quad(s, p, ox.Literal('a "quoted" } ; DROP ALL ; #'), ox.DefaultGraph())])
    hostile = ox.Literal('a "quoted" } ; DROP ALL ; #')
    result = store.query("SELECT ?s ?o WHERE { ?s ?p ?o }", bindings={"o": hostile})
    assert [row[0] for row in result] == [s]
    assert store.query("SELECT ?s ?o WHERE { ?s ?p ?o }", bindings={"o": ox.Literal("nothing")}).rows == []
    assert len(store) == 1


def test_a_failing_update_changes_nothing(store):
    store.add_quads([ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("1"),
                             ox.DefaultGraph())])
    with pytest.raises(QueryError):
        store.update("INSERT DATA { <http://e/s> <http://e/p> \"2\" } ; this is not SPARQL")
    assert len(store) == 1


def test_dump_writes_named_graphs_in_trig(store):
    g = ox.NamedNode("http://e/g")
    store.add_quads([ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("1"), g)])
    out = io.BytesIO()
    store.dump(out, format=ox.RdfFormat.TRIG)
    assert "<http://e/g>" in out.getvalue().decode()


def test_on_disk_store_persists_and_refuses_a_second_writer(tmp_path):
    path = tmp_path / "store"
    first = open_store(path)
    build([SHIPPED_RECORD], first)
    count = len(first)
    with pytest.raises(StoreLockedError, match="in use by another"):
        open_store(path)
    first.close()
    again = open_store(path)
    assert len(again) == count
    again.close()


def test_store_that_is_a_file_or_missing_gives_clear_errors(tmp_path):
    file = tmp_path / "notastore"
    file.write_text("x")
    with pytest.raises(StoreError, match="is a file, not a store folder"):
        open_store(file)
    with pytest.raises(StoreError, match="no store at"):
        open_store(tmp_path / "missing", create=False)
