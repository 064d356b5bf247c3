"""Trigger words: a cheap test that lets a sentence skip a cue pattern that cannot match it.

Most cue patterns (negation, hedges, budget words, meeting verbs, titles) are alternations of
words, and `re` tries every alternative at every position of a sentence. A `Cue` pairs such a
pattern with its triggers: every match of the pattern contains one of the trigger words as a
word (a whole run of letters: "fy" of "FY26"), or one of the trigger fragments as a substring,
both casefolded. A sentence without any cannot match, and the pattern is not run. Which cues a
sentence may hold is computed once per sentence, as a bit mask over all cues (one bit each),
and shared by all stages with the sentence's word set (`sentence_words`).
tests/loaders/test_cues.py checks every cue's triggers against every match in the records.

`Caseless` runs a case-insensitive pattern over the casefolded sentence instead, where `re`
matches it about three times faster.
"""

from __future__ import annotations

from typing import Final

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache, reduce
from operator import or_

__all__ = ["Caseless", "Cue", "sentence_words"]

# runs of letters: every trigger is one, and the quantities' anchors read the same words
# ("fy" of "FY26", "billion" of "$2billion")
_WORD: Final = re.compile(r"[^\W\d_]+")
_ASCII_WORD: Final = re.compile(r"[a-z]+")  # the same on casefolded ASCII text, where `re` tests a bitmap, not the Unicode tables


# every cue's bit under each of its trigger words, and (fragment, bit) for the fragments: a
# sentence's mask of the cues that may occur in it is computed once, and each test is one `&`
_BITS: Final[dict[str, int]] = {}
_FRAGMENTS: Final[list[tuple[str, int]]] = []
_TRIGGERS: Final[set[str]] = set()  # the keys of `_BITS`, as a set


@lru_cache(maxsize=256)  # the stages of one record test the same sentences; not meant to outlive a record
def _folded(text: str) -> tuple[str, frozenset[str], int]:
    folded = text.casefold()
    words = frozenset((_ASCII_WORD if folded.isascii() else _WORD).findall(folded))
    mask = reduce(or_, map(_BITS.__getitem__, words & _TRIGGERS), 0)  # iterates the sentence's few words
    for fragment, bit in _FRAGMENTS:
        if not mask & bit and fragment in folded:
            mask |= bit
    return folded, words, mask


def sentence_words(text: str) -> frozenset[str]:
    """The casefolded words (runs of letters) of `text`, computed once per sentence for all stages."""
    return _folded(text)[1]


class Cue:
    """A compiled pattern with the words (and word fragments) one of which each match contains."""

    __slots__ = ("pattern", "words", "fragments", "bit")

    def __init__(self, pattern: re.Pattern[str], words: Iterable[str], fragments: Iterable[str] = ()) -> None:
        self.pattern = pattern
        self.words = frozenset(w.casefold() for w in words)
        self.fragments = tuple(f.casefold() for f in fragments)
        self.bit = 1 << len(_CUES)
        _CUES.append(self)
        for word in self.words:
            _BITS[word] = _BITS.get(word, 0) | self.bit
            _TRIGGERS.add(word)
        _FRAGMENTS.extend((f, self.bit) for f in self.fragments)
        _folded.cache_clear()  # masks computed before this cue existed lack its bit

    def may_occur(self, text: str) -> bool:
        """False when `text` (or the sentence a part of it is cut from) lacks every trigger."""
        return bool(_folded(text)[2] & self.bit)

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.may_occur(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self.may_occur(text) else iter(())


_CUES: Final[list[Cue]] = []


class Caseless:
    """A case-insensitive pattern run, where it can be, as a case-sensitive one over the
    casefolded text: under IGNORECASE `re` lowercases every character it compares, and the
    folded run takes about a third of the time. When casefolding keeps the text's length it maps
    each character to one, so the offsets hold; otherwise the pattern runs on the text itself.
    The pattern's letters are lowercase (tests/loaders/test_cues.py checks that both runs agree)."""

    __slots__ = ("caseless", "folded")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.caseless = pattern
        self.folded = re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)

    def _run(self, text: str) -> tuple[re.Pattern[str], str]:
        folded = text.casefold()
        return (self.folded, folded) if len(folded) == len(text) else (self.caseless, text)

    def spans(self, text: str) -> list[tuple[int, int]]:
        pattern, subject = self._run(text)
        return [m.span() for m in pattern.finditer(subject)]

    def span(self, text: str) -> tuple[int, int] | None:
        """The span of the first match, or None."""
        pattern, subject = self._run(text)
        m = pattern.search(subject)
        return m.span() if m else None

    def search(self, text: str) -> bool:
        pattern, subject = self._run(text)
        return pattern.search(subject) is not None
