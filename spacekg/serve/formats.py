"""Content negotiation and the answer formats of the SPARQL 1.1 Protocol.

SELECT and ASK answers: SPARQL 1.1 Query Results JSON (the default), XML, CSV and TSV
(CSV and TSV are defined for SELECT only). CONSTRUCT and DESCRIBE answers: Turtle (the
default), N-Triples, JSON-LD and RDF/XML, written by pyoxigraph.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from spacekg.graph.store import QueryResult, Term
from spacekg.queries.results import sparql_json
from spacekg.vocab import PREFIXES

__all__ = ["GRAPH_FORMATS", "RESULT_FORMATS", "AnswerFormat", "negotiate", "serialize"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class AnswerFormat:
    name: str  # also the value of the ``format=`` parameter
    media_type: str
    aliases: tuple[str, ...] = ()
    rdf_format: ox.RdfFormat | None = None

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


RESULT_FORMATS = (
    AnswerFormat("json", "application/sparql-results+json", ("application/json",)),
    AnswerFormat("xml", "application/sparql-results+xml", ("application/xml", "text/xml")),
    AnswerFormat("csv", "text/csv"),
    AnswerFormat("tsv", "text/tab-separated-values"),
)
GRAPH_FORMATS = (
    AnswerFormat("turtle", "text/turtle", ("application/x-turtle",), ox.RdfFormat.TURTLE),
    AnswerFormat("ntriples", "application/n-triples", ("text/plain",), ox.RdfFormat.N_TRIPLES),
    AnswerFormat("jsonld", "application/ld+json", (), ox.RdfFormat.JSON_LD),
    AnswerFormat("rdfxml", "application/rdf+xml", (), ox.RdfFormat.RDF_XML),
)


def _ranges(accept: str) -> list[tuple[str, str, float]]:
    out = []
    for item in accept.split(",")[:64]:  # bounded: a header of thousands of ranges is not read
        media, *params = (p.strip() for p in item.split(";"))
        if "/" not in media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        kind, _, sub = media.lower().partition("/")
        out.append((kind, sub, q))
    return out


def _quality(fmt: AnswerFormat, ranges: list[tuple[str, str, float]]) -> float:
    """The q of the most specific range matching `fmt`: its media type, exactly one of its
    aliases, ``type/*`` of its media type, or ``*/*``."""
    best: tuple[int, float] | None = None
    kind, _, sub = fmt.media_type.partition("/")
    for r_kind, r_sub, q in ranges:
        if (r_kind, r_sub) == (kind, sub):
            rank = 3
        elif f"{r_kind}/{r_sub}" in fmt.aliases:
            rank = 2
        elif r_kind == kind and r_sub == "*":
            rank = 1
        elif (r_kind, r_sub) == ("*", "*"):
            rank = 0
        else:
            continue
        if best is None or rank > best[0]:
            best = (rank, q)
    return best[1] if best else 0.0


def negotiate(accept: str | None, offered: tuple[AnswerFormat, ...], *, requested: str | None = None
              ) -> AnswerFormat | None:
    """The format to answer in: `requested` (a ``format=`` name or media type) when given,
    else the offered format the Accept header rates highest (ties: the server's order);
    None when nothing offered is acceptable."""
    if requested:
        wanted = requested.strip().lower()
        return next((f for f in offered if wanted in (f.name, f.media_type, *f.aliases)), None)
    if not accept or not accept.strip():
        return offered[0]
    ranges = _ranges(accept)
    scored = [(_quality(f, ranges), -i, f) for i, f in enumerate(offered)]
    q, _, best = max(scored, key=lambda t: (t[0], t[1]))
    return best if q > 0 else None


def _json(result: QueryResult) -> str:
    return sparql_json(result, indent=None)


def _term_xml(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != _XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (f"<triple><subject>{_term_xml(term.subject)}</subject><predicate>{_term_xml(term.predicate)}"
            f"</predicate><object>{_term_xml(term.object)}</object></triple>")


def _xml(result: QueryResult) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        out += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables) + "</head>")
    out.append("<results>")
    for row in result.rows:
        cells = "".join(f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                        for v, t in zip(result.variables, row) if t is not None)
        out.append(f"<result>{cells}</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


def _csv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def _csv(result: QueryResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    writer.writerows([_csv_cell(t) for t in row] for row in result.rows)
    return out.getvalue()


def _tsv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    return str(term).replace("\t", "\\t")  # pyoxigraph escapes quotes and line breaks, not tabs


def _tsv(result: QueryResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_cell(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def serialize(result: QueryResult, fmt: AnswerFormat) -> bytes:
    """`result` in `fmt` (negotiated among the formats offered for its kind)."""
    if result.kind == "graph":
        assert fmt.rdf_format is not None
        prefixes = PREFIXES if fmt.rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
        return ox.serialize(result.triples, format=fmt.rdf_format, prefixes=prefixes) or b""
    writer = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[fmt.name]
    return writer(result).encode("utf-8")
