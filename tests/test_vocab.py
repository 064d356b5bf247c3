"""The vocabulary namespaces are `str` subclasses, so `DCTERMS.title` is `str.title`, not the
term: a write of it fails only when the data holds a title. Every attribute read of a namespace
in the code must therefore name a term, never a `str` method (write `DCTERMS["title"]`)."""

from __future__ import annotations

import ast
from pathlib import Path

import spacekg.vocab as vocab
from spacekg.vocab import DCTERMS, Namespace

ROOT = Path(__file__).resolve().parent.parent
NAMESPACES = {name for name, value in vars(vocab).items() if isinstance(value, Namespace)}
STR_ATTRIBUTES = set(dir(str))


def _shadowed_terms(source: str) -> list[tuple[int, str]]:
    """(line, `NS.attr`) for each namespace attribute read that is a `str` attribute."""
    return [(node.lineno, f"{node.value.id}.{node.attr}") for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id in NAMESPACES and node.attr in STR_ATTRIBUTES]


def test_no_code_reads_a_term_whose_name_is_a_str_method() -> None:
    found = [f"{path.relative_to(ROOT)}:{line}: {name}"
             for folder in ("spacekg", "benchmarks") for path in sorted((ROOT / folder).rglob("*.py"))
             for line, name in _shadowed_terms(path.read_text(encoding="utf-8"))]
    assert found == [], "use NS['name'] for these terms: " + "; ".join(found)


def test_the_check_finds_a_shadowed_term() -> None:
    assert _shadowed_terms("x = DCTERMS.title\ny = DCTERMS.source\n") == [(1, "DCTERMS.title")]
    assert DCTERMS["title"].value == "http://purl.org/dc/terms/title"
