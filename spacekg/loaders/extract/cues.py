"""Trigger words: a cheap test that lets a sentence skip a cue pattern that cannot match it.

Most cue patterns (negation, hedges, budget words, meeting verbs, titles) are alternations of
words, and `re` tries every alternative at every position of a sentence. A `Cue` pairs such a
pattern with its triggers: every match of the pattern contains one of the trigger words as a
whole word, or one of the trigger fragments as a substring, both casefolded. A sentence
without any (tested on its word set, built once per sentence and shared by all cues) cannot
match, and the pattern is not run. tests/loaders/test_cues.py checks every cue's triggers
against every match in the records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

__all__ = ["Cue", "sentence_words"]

_WORD = re.compile(r"\w+")


@lru_cache(maxsize=256)  # the stages of one record test the same sentences; not meant to outlive a record
def _folded(text: str) -> tuple[str, frozenset[str]]:
    folded = text.casefold()
    return folded, frozenset(_WORD.findall(folded))


def sentence_words(text: str) -> frozenset[str]:
    """The casefolded words (``\\w+``) of `text`."""
    return _folded(text)[1]


class Cue:
    """A compiled pattern with the words (and word fragments) one of which each match contains."""

    __slots__ = ("pattern", "words", "fragments")

    def __init__(self, pattern: re.Pattern[str], words: Iterable[str], fragments: Iterable[str] = ()) -> None:
        self.pattern = pattern
        self.words = frozenset(w.casefold() for w in words)
        self.fragments = tuple(f.casefold() for f in fragments)

    def may_occur(self, text: str) -> bool:
        """False when `text` (or the sentence a part of it is cut from) lacks every trigger."""
        folded, words = _folded(text)
        if not self.words.isdisjoint(words):
            return True
        return any(f in folded for f in self.fragments) if self.fragments else False

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.may_occur(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self.may_occur(text) else iter(())
