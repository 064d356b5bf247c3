"""Query results as text: SPARQL 1.1 JSON, CSV and TSV, Markdown, and display cells.

JSON, CSV and TSV follow the W3C SPARQL 1.1 Query Results formats, so other tools read
them as they read any endpoint's answer. CONSTRUCT/DESCRIBE results are written as Turtle.
"""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox

from spacekg.graph.store import QueryResult, Term
from spacekg.queries import compact
from spacekg.vocab import PREFIXES, XSD

__all__ = ["FORMATS", "cell", "render", "sparql_json", "term_json"]

FORMATS = ("table", "csv", "tsv", "json", "markdown")


def term_json(term: Term) -> dict:
    """A term as in SPARQL 1.1 Query Results JSON."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype != XSD.string:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": term_json(term.subject), "predicate": term_json(term.predicate),
                                       "object": term_json(term.object)}}


def cell(term: Term | None) -> str:
    """A short human-readable form: compact IRIs, bare literal values."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def sparql_json(result: QueryResult, *, indent: int | None = 2) -> str:
    """SPARQL 1.1 Query Results JSON of a SELECT or ASK result."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=indent)
    bindings = [{v: term_json(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}}, indent=indent,
                      ensure_ascii=False)


def _csv(result: QueryResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else (t.value if isinstance(t, (ox.NamedNode, ox.Literal, ox.BlankNode))
                                               else str(t)) for t in row])
    return out.getvalue()


def _tsv(result: QueryResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else str(t) for t in row))
    return "\n".join(lines) + "\n"


def _markdown(result: QueryResult) -> str:
    def esc(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(result.variables) + " |", "|" + "---|" * len(result.variables)]
    lines += ["| " + " | ".join(esc(cell(t)) for t in row) + " |" for row in result.rows]
    return "\n".join(lines) + "\n"


def render(result: QueryResult, fmt: str) -> str:
    """The result in a text format (all but "table", which the CLI draws with rich)."""
    if result.kind == "graph":
        return ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")
    if fmt == "json":
        return sparql_json(result) + "\n"
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    if fmt == "csv":
        return _csv(result)
    if fmt == "tsv":
        return _tsv(result)
    if fmt == "markdown":
        return _markdown(result)
    raise ValueError(f"unknown result format {fmt!r}; choose one of {', '.join(FORMATS)}")
