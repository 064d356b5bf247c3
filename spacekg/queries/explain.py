"""Evidence cards: every assertion behind an entity or a fact, with the evidencing span.

``explain(store, "MOD")`` lists each assertion that mentions the entity (record, line,
rank, modality, negation, sentence) with the words linked to the entity as spans;
``explain(store, '"Takaichi" org:headOf Japan')`` lists each assertion whose named graph
describes that fact, with the fact's own character offsets, including the assertions that
deny it (the fact is then flagged negated). The offsets are NIF code-point offsets into
the sentence, so they index a Python string directly.

The SPARQL lives in ``_internal/*.rq`` (not part of the named library); parameters are
bound as RDF terms, like every named query's.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import pyoxigraph as ox

from spacekg.errors import ParameterError
from spacekg.graph.store import Store
from spacekg.queries import compact, resolve_entity
from spacekg.vocab import PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import RenderableType

__all__ = ["FORMATS", "Evidence", "EvidenceCard", "Node", "explain", "parse_target", "resolve_property"]

FORMATS = ("table", "json", "markdown")


@cache
def _sparql(name: str) -> str:
    return (resources.files("spacekg.queries") / "_internal" / f"{name}.rq").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Node:
    """An entity or property as the card names it."""

    iri: str
    label: str
    cls: str = ""

    def as_dict(self) -> dict:
        out = {"iri": self.iri, "label": self.label}
        if self.cls:
            out["class"] = self.cls
        return out


@dataclass(frozen=True)
class Evidence:
    """One supporting assertion. `negated` is the assertion's negation on an entity card and
    the fact's own on a fact card; `spans` are (begin, end) code-point offsets into `text`."""

    assertion: str
    record: str
    line: int | None
    rank: int
    modality: str
    negated: bool
    text: str
    spans: tuple[tuple[int, int], ...] = ()

    def segments(self) -> list[tuple[str, bool]]:
        """The sentence cut into (piece, highlighted) runs; overlapping spans are merged."""
        merged: list[list[int]] = []
        for begin, end in sorted(self.spans):
            begin, end = max(0, begin), min(len(self.text), end)
            if begin >= end:
                continue
            if merged and begin <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([begin, end])
        pieces, at = [], 0
        for begin, end in merged:
            if begin > at:
                pieces.append((self.text[at:begin], False))
            pieces.append((self.text[begin:end], True))
            at = end
        if at < len(self.text):
            pieces.append((self.text[at:], False))
        return pieces

    def as_dict(self) -> dict:
        return {
            "assertion": self.assertion, "record": self.record, "line": self.line, "rank": self.rank,
            "modality": self.modality, "negated": self.negated, "text": self.text,
            "spans": [{"begin": b, "end": e, "text": self.text[b:e]} for b, e in self.spans],
        }


@dataclass(frozen=True)
class EvidenceCard:
    """What `explain` found: the entity, or the fact's subject, predicate and object, and the
    supporting assertions, strongest evidence first."""

    kind: str  # "entity" or "fact"
    subject: Node
    predicate: Node | None = None
    object: Node | None = None
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        if self.kind == "entity":
            return f"{self.subject.label} ({compact(self.subject.iri)})"
        return f"{self.subject.label} {self.predicate.label} {self.object.label}"

    def as_dict(self) -> dict:
        out: dict = {"kind": self.kind, "title": self.title}
        if self.kind == "entity":
            out["entity"] = self.subject.as_dict()
        else:
            out["fact"] = {"subject": self.subject.as_dict(), "predicate": self.predicate.as_dict(),
                           "object": self.object.as_dict()}
        out["evidence"] = [e.as_dict() for e in self.evidence]
        return out

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n"

    def as_markdown(self) -> str:
        """A Markdown table; the evidencing spans in **bold**."""
        def esc(s: str) -> str:
            for ch in "\\`*_|[]<>":
                s = s.replace(ch, "\\" + ch)
            return s.replace("\n", " ")

        negation = "fact negated" if self.kind == "fact" else "negated"
        lines = [f"### Evidence for {esc(self.title)}", "",
                 f"| record | line | rank | modality | {negation} | sentence |", "|---|---|---|---|---|---|"]
        for e in self.evidence:
            sentence = "".join(f"**{esc(p)}**" if hit else esc(p) for p, hit in e.segments())
            lines.append(f"| {esc(e.record)} | {e.line or ''} | {e.rank} | {e.modality} | "
                         f"{'true' if e.negated else 'false'} | {sentence} |")
        lines += ["", _summary(self)]
        return "\n".join(lines) + "\n"

    def as_rich(self) -> RenderableType:
        """A rich table; the evidencing spans highlighted (data is never read as markup)."""
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        table = Table(title=Text(f"Evidence for {self.title}"), title_justify="left")
        for col in ("record", "line", "rank", "modality", "fact negated" if self.kind == "fact" else "negated"):
            table.add_column(col, justify="right" if col in ("line", "rank") else "left", overflow="fold")
        table.add_column("sentence", overflow="fold", ratio=1)
        for e in self.evidence:
            sentence = Text()
            for piece, hit in e.segments():
                sentence.append(piece, style="bold reverse" if hit else "")
            table.add_row(Text(e.record), str(e.line or ""), str(e.rank), e.modality,
                          "true" if e.negated else "false", sentence)
        return Group(table, Text(_summary(self)))

    def render(self, fmt: str) -> str | RenderableType:
        """JSON or Markdown text, or a rich renderable for "table"."""
        if fmt == "json":
            return self.as_json()
        if fmt == "markdown":
            return self.as_markdown()
        if fmt == "table":
            return self.as_rich()
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _summary(card: EvidenceCard) -> str:
    n = len(card.evidence)
    if card.kind == "entity":
        return f"{n} assertion(s) mention {card.subject.label}" if n else f"no assertion mentions {card.subject.label}"
    if not n:
        return "no assertion states this fact"
    denied = sum(e.negated for e in card.evidence)
    return f"{n} assertion(s) describe this fact" + (f", {denied} of them deny it" if denied else "")


def _int(term: object) -> int | None:
    return int(term.value) if isinstance(term, ox.Literal) else None


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _node(store: Store, iri: ox.NamedNode) -> Node:
    rows = store.query(_sparql("explain-label"), bindings={"entity": iri}).rows
    if not rows:
        return Node(iri.value, compact(iri.value))
    _, label, cls = rows[0]
    return Node(iri.value, label.value, _local(cls.value) if cls is not None else "")


def _properties(store: Store) -> list[str]:
    return [row[0].value for row in store.query(_sparql("explain-relations")).rows]


def resolve_property(store: Store, value: str) -> ox.NamedNode:
    """A relation given as a CURIE (``org:headOf``), an IRI or a bare name (``metWith``);
    it must be one that facts are stated with (``_internal/explain-relations.rq``), so a
    typo is an error listing them rather than an empty card."""
    known = _properties(store)
    value = value.strip()
    if value.startswith(("http://", "https://")):
        iri = value
    elif ":" in value:
        prefix, _, local = value.partition(":")
        if prefix not in PREFIXES:
            raise ParameterError(f"unknown prefix in {value!r}; use one of {', '.join(sorted(PREFIXES))}")
        iri = PREFIXES[prefix] + local
    else:
        matches = [p for p in known if _local(p) == value]
        iri = matches[0] if len(matches) == 1 else ""
    if iri not in known:
        listed = ", ".join(compact(p) for p in known)
        raise ParameterError(f"{value!r} is not a relation facts are stated with; use one of {listed}")
    return ox.NamedNode(iri)


def parse_target(store: Store, target: str | Sequence[str]) -> tuple[str] | tuple[str, str, str]:
    """``(entity,)`` or ``(subject, predicate, object)``: a fact is three words whose middle
    one is a relation (a CURIE, an IRI, or the bare name of an ontology property)."""
    words = [target] if isinstance(target, str) else list(target)
    if len(words) == 1:
        raw = words[0].strip()
        try:
            tokens = shlex.split(raw)
        except ValueError:  # an apostrophe in a name ("Japan's MOD"): not a fact
            return (raw,)
    else:
        raw, tokens = " ".join(w.strip() for w in words), words
    if len(tokens) == 3:
        middle = tokens[1]
        if ":" in middle or middle in {_local(p) for p in _properties(store)}:
            return tokens[0], middle, tokens[2]
    return (raw,)


def _evidence(rows: list[dict]) -> tuple[Evidence, ...]:
    """One Evidence per assertion (rows come one per span), in the rows' order."""
    out: dict[str, Evidence] = {}
    for r in rows:
        key = r["assertion"].value
        span = (_int(r.get("begin")), _int(r.get("end")))
        spans = (span,) if None not in span else ()
        if key in out:
            e = out[key]
            if spans and spans[0] not in e.spans:
                out[key] = replace(e, spans=e.spans + spans)
            continue
        modality = r.get("modality")
        negated = r.get("negated")
        out[key] = Evidence(
            assertion=key,
            record=r["record"].value if r.get("record") is not None else "",
            line=_int(r.get("line")),
            rank=_int(r["rank"]) or 0,
            modality=_local(modality.value) if modality is not None else "",
            negated=negated is not None and negated.value == "true",
            text=r["text"].value,
            spans=spans,
        )
    return tuple(out.values())


def explain(store: Store, target: str | Sequence[str]) -> EvidenceCard:
    """The evidence card of an entity (label, acronym, alias, IRI, ``skgid:`` CURIE or
    Wikidata ID) or of a fact ``SUBJECT PREDICATE OBJECT``; an unknown or ambiguous entity
    raises `ParameterError` naming the candidates."""
    parsed = parse_target(store, target)
    if len(parsed) == 1:
        if not parsed[0]:
            raise ParameterError("explain what? give an entity (e.g. MOD) or a fact (e.g. Takaichi org:headOf Japan)")
        entity = resolve_entity(store, parsed[0])
        rows = store.query(_sparql("explain-entity"), bindings={"entity": entity}).dicts()
        return EvidenceCard("entity", _node(store, entity), evidence=_evidence(rows))
    s, p, o = parsed
    subject, predicate, obj = resolve_entity(store, s), resolve_property(store, p), resolve_entity(store, o)
    rows = store.query(_sparql("explain-fact"),
                       bindings={"subject": subject, "predicate": predicate, "object": obj}).dicts()
    return EvidenceCard("fact", _node(store, subject), Node(predicate.value, compact(predicate.value)),
                        _node(store, obj), _evidence(rows))
