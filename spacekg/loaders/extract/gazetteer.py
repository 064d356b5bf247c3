"""Find the names of known entities in a sentence: longest match wins.

Names come from the reference entities (labels, alternative labels, acronyms, demonyms).
Case policy, chosen so that common words do not match: acronyms and single-word names
match exactly as written (a lowercase name such as "lunar" also matches capitalised at a
sentence start); names of several words match case-insensitively. Hyphens do not separate
tokens of a name, so "low-Earth orbit" and "low Earth orbit" are one name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import compress, repeat
from typing import Final, NamedTuple

from spacekg.ontology import ReferenceEntity

__all__ = ["Gazetteer", "NameMatch", "Token", "Tokens", "tokenize"]

# "U.S." stays one token; "Japan's" is "Japan" + "'s"; "Chang'e" stays whole; any other
# non-space character is a token of its own.
# Hyphens are no tokens (they join, not split, names): `re` skips them like white space.
# Written so that the common word costs `re` no repeat context (each is allocated and freed):
# "U.S." as one letter-dot pair and then more, a word with no apostrophe after it by a possessive
# `\w++` before the general form (tests/loaders/test_gazetteer.py pins it to the plain pattern).
_HYPHENS: Final = frozenset("-‐‑–—")
_TOKEN: Final = re.compile(rf"[A-Za-z]\.(?:[A-Za-z]\.)+|\w++(?!['’])|\w+(?:['’](?!s\b)\w+)*|['’]s\b"
                           rf"|[^\s{re.escape(''.join(sorted(_HYPHENS)))}]")
_ACRONYM: Final = re.compile(r"^(?=.*[A-Z0-9])[^a-z]*$|^[A-Z][a-z]?[A-Z]")  # NASA, U.S., NSpC, SpaceX-like mixed caps


class Token(NamedTuple):
    text: str
    start: int
    end: int


_STARTS_MEMO_SIZE: Final = 200_000
_NAMES_MEMO_SIZE: Final = 65_536
_END: Final = ""  # the trie key under which a node holds the name ending there (no token is empty)
_new_token = tuple.__new__  # building tokens (and matches) is the hottest loop of extraction: skip __new__'s Python frame


def tokenize(text: str) -> Tokens:
    """Word tokens with their character spans; hyphens are dropped (they join, not split, names)."""
    return Tokens(*pattern_words(text, _TOKEN))


def pattern_words(text: str, pattern: re.Pattern[str]) -> tuple[list[str], list[int], list[int]]:
    """What `pattern.finditer(text)` finds, as (texts, starts, ends), for a word pattern that
    reads a white-space-separated chunk of letters and digits as one word, never matches white
    space and looks at most one character ahead (the token pattern here, the run reader's).

    Most of a sentence's chunks are such plain words or numbers: they are taken as they are
    (`str.split` and `isalnum` test exactly what `\\s` and `\\w` do; the underscore takes the
    pattern's path), and only the other chunks ("Japan's", "U.S.-Japan", "$7", "2026,") go
    through `re`, up to the character after them, which a look-ahead may read. Running the
    pattern over the whole sentence cost several times as much once compiled."""
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    end = 0
    for chunk in text.split():
        start = text.find(chunk, end)  # only white space lies between `end` and the chunk
        end = start + len(chunk)
        if chunk.isalnum():
            words.append(chunk)
            starts.append(start)
            ends.append(end)
        else:
            for m in pattern.finditer(text, start, end + 1):
                words.append(m.group())
                starts.append(m.start())
                ends.append(m.end())
    return words, starts, ends


class Tokens(Sequence[Token]):
    """A text's tokens as three lists: their texts, starts and ends. Building an object per
    token cost as much as finding them, and the gazetteer's scans need only the texts (and the
    spans where a name starts or ends), so a `Token` is built only when one is asked for."""

    __slots__ = ("words", "starts", "ends")

    def __init__(self, words: list[str], starts: list[int], ends: list[int]) -> None:
        self.words, self.starts, self.ends = words, starts, ends

    @classmethod
    def of(cls, tokens: Iterable[Token]) -> Tokens:
        tokens = list(tokens)
        return cls([t.text for t in tokens], [t.start for t in tokens], [t.end for t in tokens])

    def __len__(self) -> int:
        return len(self.words)

    def __getitem__(self, i):  # a `Token`, or a slice as `Tokens`
        if isinstance(i, slice):
            return Tokens(self.words[i], self.starts[i], self.ends[i])
        return _new_token(Token, (self.words[i], self.starts[i], self.ends[i]))

    def __iter__(self) -> Iterator[Token]:
        return map(_new_token, repeat(Token), zip(self.words, self.starts, self.ends))

    def __repr__(self) -> str:
        return f"Tokens({list(self)!r})"


@lru_cache(maxsize=_NAMES_MEMO_SIZE)
def _words_of(name: str) -> tuple[str, ...]:
    """The token texts of a name: every record's layer adds and looks up names, and a corpus
    names the same entities (companies, people, programs) in many records."""
    return tuple(tokenize(name).words)


class NameMatch(NamedTuple):
    """A name found in the text; ``keys`` has several entities when the name is ambiguous.
    A named tuple, not a frozen dataclass: built for every name of every sentence, and a tuple
    is built without one ``object.__setattr__`` per field."""

    keys: tuple[str, ...]
    kind: str  # "name", "acronym" or "demonym"
    first: int  # token index
    last: int  # token index, inclusive
    start: int  # character span
    end: int


class _Entry(dict):
    """The entities a name stands for (key → kind), and what `find` reports for it, worked out
    when first found (a name is found far more often than it is added)."""

    __slots__ = ("reported",)
    reported: tuple[tuple[str, ...], str] | None

    def report(self) -> tuple[tuple[str, ...], str]:
        """(the keys, sorted; the match kind): "demonym" when the name is only a demonym,
        "acronym" when it is an acronym of any of them, else "name"."""
        kinds = set(self.values())
        return tuple(sorted(self)), "demonym" if kinds == {"demonym"} else ("acronym" if "acronym" in kinds else "name")


class Gazetteer:
    """Token-sequence lookup tables built once from the reference entities.

    Names are kept twice: in flat tables (name as a token tuple → entities), for `lookup`, and
    in two token tries (as written, and casefolded for names of several words), for `find`,
    which walks from each token only as far as some name continues instead of trying every
    name length. A record's own names (entities it introduces, acronyms it defines) go into a
    thin layer over the shared tables (`extended`), so extending costs only what the record adds.
    """

    def __init__(self, entities: Iterable[ReferenceEntity] = (), *, parent: Gazetteer | None = None) -> None:
        self._parent = parent
        self._exact: dict[tuple[str, ...], _Entry] = {}
        self._folded: dict[tuple[str, ...], _Entry] = {}
        # token → next-token trie; a node's `_END` entry is the name ending there (its `_exact`/`_folded` value)
        self._exact_trie: dict = {}
        self._folded_trie: dict = {}
        self.entities: dict[str, ReferenceEntity] = dict(parent.entities) if parent else {}
        # token as written → the trie nodes it starts, this layer's first (empty for most words):
        # a memo, so `find` costs one dict lookup for a token that starts no name
        self._starts: dict[str, tuple[tuple[dict, bool], ...]] = {}
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
        self._starts = {}
        tokens = _words_of(name)
        if not tokens:
            return
        if kind == "acronym" or len(tokens) == 1:
            self._index(self._exact, self._exact_trie, tokens, key, kind)
            if kind != "acronym" and tokens[0][:1].islower():  # "lunar" at a sentence start
                self._index(self._exact, self._exact_trie, (tokens[0][:1].upper() + tokens[0][1:],), key, kind)
        else:
            self._index(self._folded, self._folded_trie, tuple(t.casefold() for t in tokens), key, kind)

    @staticmethod
    def _index(table: dict[tuple[str, ...], _Entry], trie: dict, tokens: tuple[str, ...], key: str, kind: str) -> None:
        entry = table.get(tokens)
        if entry is None:
            entry = table[tokens] = _Entry()
        entry[key] = kind
        entry.reported = None
        node = trie
        for token in tokens:
            node = node.setdefault(token, {})
        node[_END] = entry

    def _hit(self, exact: tuple[str, ...], folded: tuple[str, ...]) -> dict[str, str] | None:
        """What a token sequence names; a layer's own entry shadows the tables below it, as a
        record's definition ("Saudi Space Agency (SSA)") overrides a general meaning of "SSA"."""
        hit = self._exact.get(exact) or (self._folded.get(folded) if len(folded) > 1 else None)
        if hit is None and self._parent is not None:
            return self._parent._hit(exact, folded)
        return hit

    def _roots(self, word: str) -> tuple[tuple[dict, bool], ...]:
        """The trie nodes `word` starts, in order of precedence: this layer's names as written,
        then casefolded, then the layers below; the flag says the trie is casefolded."""
        exact, folded = self._exact_trie.get(word), self._folded_trie.get(word.casefold())
        # (written out, not as a generator over the two tries: a record's layer asks this for
        # every word it walks, with a memo new for each record)
        own: tuple[tuple[dict, bool], ...]
        if exact is None:
            own = () if folded is None else ((folded, True),)
        else:
            own = ((exact, False),) if folded is None else ((exact, False), (folded, True))
        if self._parent is None:
            return own
        below = self._parent._starts.get(word)
        if below is None:
            below = self._parent._starts[word] = self._parent._roots(word)
        return own + below

    @property
    def max_len(self) -> int:
        own = max((len(k) for k in (*self._exact, *self._folded)), default=1)
        return max(own, self._parent.max_len) if self._parent else own

    def lookup(self, name: str) -> tuple[str, ...]:
        """The keys of the entities `name` is exactly a name of (empty when none)."""
        words = _words_of(name)
        hit = self._hit(words, tuple(w.casefold() for w in words)) if words else None
        return tuple(sorted(hit)) if hit else ()

    def find(self, tokens: Sequence[Token], *, max_len: int | None = None,
             below: list[NameMatch] | None = None) -> list[NameMatch]:
        """Leftmost-longest, non-overlapping matches over `tokens` (at most `max_len` tokens long).
        Of two names of the same length, the one `_hit` would pick wins (this layer's, as written).

        `below` is what the layer underneath found in the same tokens. What a scan finds at a
        token depends only on the names that can start there, so where none of this layer's
        own names can, the answer below is reused instead of walked again."""
        starts = self._starts
        if len(starts) > _STARTS_MEMO_SIZE:  # a bounded memo: a long build meets ever new figures and names
            starts.clear()
        count = len(tokens)
        limit = max_len or count
        if type(tokens) is not Tokens:
            tokens = Tokens.of(tokens)
        words = tokens.words
        walk: bytearray | None
        below_at: dict[int, NameMatch]
        at: Iterable[int]
        if below is not None and self._parent is not None and max_len is None:
            own_exact, own_folded = self._exact_trie, self._folded_trie
            folded = list(map(str.casefold, words)) if own_folded else []
            if own_exact.keys().isdisjoint(words) and own_folded.keys().isdisjoint(folded):
                return below  # none of this layer's names can start here: the scan below stands
            # 1 where this layer's scan must walk: where one of its own names starts, and inside a
            # match below (there the scan below never stood); elsewhere its answer stands
            walk = bytearray(map(own_exact.__contains__, words))
            for k in compress(range(count), map(own_folded.__contains__, folded)):
                walk[k] = 1
            below_at = {m.first: m for m in below}
            for m in below:
                walk[m.first + 1:m.last + 1] = b"\x01" * (m.last - m.first)
            visit = bytearray(walk)  # ... and where a match below starts, to take it over
            for m in below:
                visit[m.first] = 1
            at = compress(range(count), visit)
        else:
            walk, below_at = None, {}
            at = range(count)
        matches: list[NameMatch] = []
        i = 0  # where the next match may start (after the one before)
        for k in at:
            if k < i:
                continue  # inside the match before
            if walk is not None and not walk[k]:  # the scan below stood here: same answer
                taken = below_at.get(k)
                if taken is not None:
                    matches.append(taken)
                    i = taken.last + 1
                continue
            word = words[k]
            roots = starts.get(word)
            if roots is None:
                roots = starts[word] = self._roots(word)
            if not roots:
                continue  # most tokens start no name: one lookup, one test
            best, hit = 0, None
            for node, is_folded in roots:
                j = k + 1
                while True:
                    entry = node.get(_END)
                    # a longer name wins; at equal length the earlier trie (see `_roots`) wins
                    if entry is not None and j - k > best and j - k <= limit and (j - k > 1 or not is_folded):
                        best, hit = j - k, entry
                    if j >= count:
                        break
                    child = node.get(words[j].casefold() if is_folded else words[j])
                    if child is None:
                        break
                    node = child
                    j += 1
            if hit is None:
                continue
            reported = hit.reported
            if reported is None:
                reported = hit.reported = hit.report()
            last = k + best - 1
            matches.append(_new_token(NameMatch, (*reported, k, last, tokens.starts[k], tokens.ends[last])))
            i = k + best
        return matches

    def find_inside(self, tokens: Sequence[Token], match: NameMatch) -> list[NameMatch]:
        """Names nested inside a longer match (used for descriptive phrases such as
        "PFI-based ISR procurement", whose "ISR" is a mention of its own)."""
        inner = tokens[match.first:match.last + 1]
        found = []
        for m in self.find(inner, max_len=len(inner) - 1):
            if set(m.keys) & set(match.keys):
                continue
            found.append(NameMatch(m.keys, m.kind, m.first + match.first, m.last + match.first, m.start, m.end))
        return found
