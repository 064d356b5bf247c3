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

from spacekg.ontology import ReferenceEntity

__all__ = ["Gazetteer", "NameMatch", "Token", "tokenize"]

# "U.S." stays one token; "Japan's" is "Japan" + "'s"; "Chang'e" stays whole; any other
# non-space character is a token of its own.
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:['’](?!s\b)\w+)*|['’]s\b|\S")
_HYPHENS = frozenset("-‐‑–—")
_ACRONYM = re.compile(r"^(?=.*[A-Z0-9])[^a-z]*$|^[A-Z][a-z]?[A-Z]")  # NASA, U.S., NSpC, SpaceX-like mixed caps


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Word tokens with their character spans; hyphens are dropped (they join, not split, names)."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text) if m.group() not in _HYPHENS]


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
    """Token-sequence lookup tables built once from the reference entities."""

    def __init__(self, entities: Iterable[ReferenceEntity]) -> None:
        self._exact: dict[tuple[str, ...], dict[str, str]] = {}
        self._folded: dict[tuple[str, ...], dict[str, str]] = {}
        self.entities = {e.key: e for e in entities}
        for e in self.entities.values():
            for name in (e.label, *e.alt_labels):
                self._add(name, e.key, "acronym" if _ACRONYM.match(name) else "name")
            for name in e.acronyms:
                self._add(name, e.key, "acronym")
            for name in e.demonyms:
                self._add(name, e.key, "demonym")
        self._first_exact = {k[0] for k in self._exact}
        self._first_folded = {k[0] for k in self._folded}
        self.max_len = max((len(k) for k in (*self._exact, *self._folded)), default=1)

    def extended(self, entities: Iterable[ReferenceEntity], names: Iterable[tuple[str, str, str]] = ()) -> Gazetteer:
        """A copy that also knows `entities` and extra (name, key, kind) entries — the names a
        record defines for itself — without rebuilding the tables of the reference entities."""
        copy = object.__new__(Gazetteer)
        copy._exact = {k: dict(v) for k, v in self._exact.items()}
        copy._folded = {k: dict(v) for k, v in self._folded.items()}
        copy.entities = dict(self.entities)
        for e in entities:
            copy.entities[e.key] = e
            for name in (e.label, *e.alt_labels):
                copy._add(name, e.key, "acronym" if _ACRONYM.match(name) else "name")
            for name in e.acronyms:
                copy._add(name, e.key, "acronym")
        for name, key, kind in names:
            copy._add(name, key, kind)
        copy._first_exact = {k[0] for k in copy._exact}
        copy._first_folded = {k[0] for k in copy._folded}
        copy.max_len = max((len(k) for k in (*copy._exact, *copy._folded)), default=1)
        return copy

    def _add(self, name: str, key: str, kind: str) -> None:
        tokens = tuple(t.text for t in tokenize(name))
        if not tokens:
            return
        if kind == "acronym" or len(tokens) == 1:
            self._exact.setdefault(tokens, {})[key] = kind
            if kind != "acronym" and tokens[0][:1].islower():  # "lunar" at a sentence start
                self._exact.setdefault((tokens[0][:1].upper() + tokens[0][1:],), {})[key] = kind
        else:
            self._folded.setdefault(tuple(t.casefold() for t in tokens), {})[key] = kind

    def _lookup(self, words: list[str], folded: list[str], i: int, n: int) -> dict[str, str] | None:
        hit = self._exact.get(tuple(words[i:i + n]))
        if hit is None and n > 1:
            hit = self._folded.get(tuple(folded[i:i + n]))
        return hit

    def find(self, tokens: list[Token], *, max_len: int | None = None) -> list[NameMatch]:
        """Leftmost-longest, non-overlapping matches over `tokens` (at most `max_len` tokens long)."""
        longest = min(self.max_len, max_len) if max_len else self.max_len
        words = [t.text for t in tokens]
        folded = [w.casefold() for w in words]
        matches: list[NameMatch] = []
        i, count = 0, len(tokens)
        while i < count:
            if words[i] not in self._first_exact and folded[i] not in self._first_folded:
                i += 1
                continue
            for n in range(min(longest, count - i), 0, -1):
                hit = self._lookup(words, folded, i, n)
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
