"""Find the names of known entities in a sentence: longest match wins.

Names come from the reference entities (labels, alternative labels, acronyms, demonyms).
Case policy, chosen so that common words do not match: acronyms and single-word names
match exactly as written (a lowercase name such as "lunar" also matches capitalised at a
sentence start); names of several words match case-insensitively. Hyphens do not separate
tokens of a name, so "low-Earth orbit" and "low Earth orbit" are one name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from spacekg.ontology import ReferenceEntity

__all__ = ["Gazetteer", "NameMatch", "Token", "tokenize"]

# "U.S." stays one token; "Japan's" is "Japan" + "'s"; "Chang'e" stays whole; any other
# non-space character is a token of its own.
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:['’](?!s\b)\w+)*|['’]s\b|\S")
_HYPHENS = frozenset("-‐‑–—")
_ACRONYM = re.compile(r"^(?=.*[A-Z0-9])[^a-z]*$|^[A-Z][a-z]?[A-Z]")  # NASA, U.S., NSpC, SpaceX-like mixed caps


class Token(NamedTuple):
    text: str
    start: int
    end: int


_new_token = tuple.__new__  # building tokens is the hottest loop of extraction: skip __new__'s Python frame


def tokenize(text: str) -> list[Token]:
    """Word tokens with their character spans; hyphens are dropped (they join, not split, names)."""
    return [_new_token(Token, (m.group(), m.start(), m.end())) for m in _TOKEN.finditer(text)
            if m.group() not in _HYPHENS]


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A name found in the text; ``keys`` has several entities when the name is ambiguous."""

    keys: tuple[str, ...]
    kind: str  # "name", "acronym" or "demonym"
    first: int  # token index
    last: int  # token index, inclusive
    start: int  # character span
    end: int


class Gazetteer:
    """Token-sequence lookup tables built once from the reference entities.

    A record's own names (entities it introduces, acronyms it defines) go into a thin
    layer over the shared tables (`extended`), so extending costs only what the record adds.
    """

    def __init__(self, entities: Iterable[ReferenceEntity] = (), *, parent: Gazetteer | None = None) -> None:
        self._parent = parent
        self._exact: dict[tuple[str, ...], dict[str, str]] = {}
        self._folded: dict[tuple[str, ...], dict[str, str]] = {}
        # first token → the lengths of the names starting with it, longest first
        self._lengths_exact: dict[str, tuple[int, ...]] = {}
        self._lengths_folded: dict[str, tuple[int, ...]] = {}
        self.entities: dict[str, ReferenceEntity] = dict(parent.entities) if parent else {}
        self._first_cache: set[str] | frozenset[str] | None = None
        self._add_entities(entities)

    def _add_entities(self, entities: Iterable[ReferenceEntity], names: Iterable[tuple[str, str, str]] = ()) -> None:
        for e in entities:
            self.entities[e.key] = e
            for name in (e.label, *e.alt_labels):
                self._add(name, e.key, "acronym" if _ACRONYM.match(name) else "name")
            for name in e.acronyms:
                self._add(name, e.key, "acronym")
            for name in e.demonyms:
                self._add(name, e.key, "demonym")
        for name, key, kind in names:
            self._add(name, key, kind)

    def extended(self, entities: Iterable[ReferenceEntity], names: Iterable[tuple[str, str, str]] = ()) -> Gazetteer:
        """A layer that also knows `entities` and extra (name, key, kind) entries — the names
        a record defines for itself — over these tables, which it leaves untouched."""
        layer = Gazetteer(parent=self)
        layer._add_entities(entities, names)
        return layer

    def _add(self, name: str, key: str, kind: str) -> None:
        self._first_cache = None
        tokens = tuple(t.text for t in tokenize(name))
        if not tokens:
            return
        if kind == "acronym" or len(tokens) == 1:
            self._index(self._exact, self._lengths_exact, tokens, key, kind)
            if kind != "acronym" and tokens[0][:1].islower():  # "lunar" at a sentence start
                self._index(self._exact, self._lengths_exact, (tokens[0][:1].upper() + tokens[0][1:],), key, kind)
        else:
            self._index(self._folded, self._lengths_folded, tuple(t.casefold() for t in tokens), key, kind)

    @staticmethod
    def _index(table: dict, lengths: dict, tokens: tuple[str, ...], key: str, kind: str) -> None:
        table.setdefault(tokens, {})[key] = kind
        known = set(lengths.get(tokens[0], ()))
        known.add(len(tokens))
        lengths[tokens[0]] = tuple(sorted(known, reverse=True))

    def _lengths(self, word: str, folded: str) -> tuple[int, ...]:
        parts = [x for x in (self._lengths_exact.get(word), self._lengths_folded.get(folded),
                             self._parent._lengths(word, folded) if self._parent else None) if x]
        if len(parts) <= 1:
            return parts[0] if parts else ()
        return tuple(sorted(set().union(*parts), reverse=True))

    def _hit(self, exact: tuple[str, ...], folded: tuple[str, ...]) -> dict[str, str] | None:
        """What a token sequence names; a layer's own entry shadows the tables below it, as a
        record's definition ("Saudi Space Agency (SSA)") overrides a general meaning of "SSA"."""
        hit = self._exact.get(exact) or (self._folded.get(folded) if len(folded) > 1 else None)
        if hit is None and self._parent is not None:
            return self._parent._hit(exact, folded)
        return hit

    def _firsts(self) -> set[str] | frozenset[str]:
        """Every token a name can start with (exact or casefolded), this layer and below."""
        if self._first_cache is None:
            own = set(self._lengths_exact) | set(self._lengths_folded)
            self._first_cache = own | self._parent._firsts() if self._parent else frozenset(own)
        return self._first_cache

    @property
    def max_len(self) -> int:
        own = max((len(k) for k in (*self._exact, *self._folded)), default=1)
        return max(own, self._parent.max_len) if self._parent else own

    def lookup(self, name: str) -> tuple[str, ...]:
        """The keys of the entities `name` is exactly a name of (empty when none)."""
        words = tuple(t.text for t in tokenize(name))
        hit = self._hit(words, tuple(w.casefold() for w in words)) if words else None
        return tuple(sorted(hit)) if hit else ()

    def find(self, tokens: list[Token], *, max_len: int | None = None) -> list[NameMatch]:
        """Leftmost-longest, non-overlapping matches over `tokens` (at most `max_len` tokens long)."""
        words = [t.text for t in tokens]
        folded = [w.casefold() for w in words]
        matches: list[NameMatch] = []
        firsts = self._firsts()
        i, count = 0, len(tokens)
        while i < count:
            if words[i] not in firsts and folded[i] not in firsts:
                i += 1
                continue
            for n in self._lengths(words[i], folded[i]):
                if n > count - i or (max_len and n > max_len):
                    continue
                hit = self._hit(tuple(words[i:i + n]), tuple(folded[i:i + n]))
                if hit:
                    kinds = set(hit.values())
                    kind = "demonym" if kinds == {"demonym"} else ("acronym" if "acronym" in kinds else "name")
                    matches.append(
                        NameMatch(tuple(sorted(hit)), kind, i, i + n - 1, tokens[i].start, tokens[i + n - 1].end)
                    )
                    i += n
                    break
            else:
                i += 1
        return matches

    def find_inside(self, tokens: list[Token], match: NameMatch) -> list[NameMatch]:
        """Names nested inside a longer match (used for descriptive phrases such as
        "PFI-based ISR procurement", whose "ISR" is a mention of its own)."""
        inner = tokens[match.first:match.last + 1]
        found = []
        for m in self.find(inner, max_len=len(inner) - 1):
            if set(m.keys) & set(match.keys):
                continue
            found.append(NameMatch(m.keys, m.kind, m.first + match.first, m.last + match.first, m.start, m.end))
        return found
