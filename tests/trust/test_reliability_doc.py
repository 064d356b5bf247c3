"""docs/RELIABILITY.md is kept current by the tests: every test it names exists, and every
test of tests/trust/ is named there (so a new case cannot be added without its row)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import ROOT

DOC = ROOT / "docs" / "RELIABILITY.md"
TRUST = Path(__file__).resolve().parent
NAMED = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def named_in_doc() -> set[tuple[str, str]]:
    return set(NAMED.findall(DOC.read_text(encoding="utf-8")))


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")}


def test_every_test_named_in_the_table_exists():
    named = named_in_doc()
    assert len(named) >= 20
    missing = [f"{file}::{name}" for file, name in sorted(named)
               if not (ROOT / file).is_file() or name not in defined_tests(ROOT / file)]
    assert not missing, f"docs/RELIABILITY.md names tests that do not exist: {missing}"


def test_every_trust_test_is_in_the_table():
    named = named_in_doc()
    absent = [f"{path.relative_to(ROOT)}::{name}" for path in sorted(TRUST.glob("test_*.py"))
              for name in sorted(defined_tests(path)) if (str(path.relative_to(ROOT)), name) not in named]
    assert not absent, f"add a row to docs/RELIABILITY.md for: {absent}"
