"""A second store for the behaviours the shipped record does not exercise: the Korea
fixture record has a negated fact, verb relations and entities new to the reference data."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES


@pytest.fixture(scope="session")
def korea_store():
    """tests/fixtures/records/korea-kasa-rise.txt built once into memory (read-only use)."""
    from spacekg import build, open_store

    store = open_store("memory:")
    build([FIXTURES / "records" / "korea-kasa-rise.txt"], store, validate=False)
    return store
