"""Shared fixtures: paths to the project's own records and a built in-memory store."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_RECORD = ROOT / "data" / "records" / "us-japan-space-partnership.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shipped_record() -> Path:
    return SHIPPED_RECORD


@pytest.fixture(scope="session")
def shipped_store():
    """The shipped record built once into an in-memory Oxigraph store (read-only use)."""
    from spacekg import build, open_store

    store = open_store("memory:")
    build([SHIPPED_RECORD], store)
    return store
