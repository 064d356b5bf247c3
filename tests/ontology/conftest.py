"""Shared set-up for the ontology tests: the `reasoner` marker (tests that run HermiT)."""

from __future__ import annotations


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "reasoner: runs the HermiT OWL reasoner, which needs a Java runtime (`java` on PATH)"
    )
