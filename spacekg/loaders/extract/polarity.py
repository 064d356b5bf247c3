"""Negation and modality of an assertion's main claim (SPEC §3, eval guidelines).

Both look only at the main clause: cues inside a subordinate or complement clause
("…, which is not …", "announced that it would …", "despite not …") do not change what
the sentence itself asserts. Lexical negatives ("absent", "unlikely", "fewer") are not
negation; "unlikely" is a hedge.
"""

from __future__ import annotations

from typing import Final

import re
from functools import lru_cache

from spacekg.loaders.extract.cues import Caseless, Cue
from spacekg.model import Modality

__all__ = ["is_negated", "main_clause", "modality_of", "negation_cues", "negation_positions"]

# A subordinate or complement clause runs from its opening word to the next comma,
# semicolon, colon or dash (or the end of the sentence).
_SUBORDINATE: Final = Cue(re.compile(
    r"""
    \b(?:that|which|who|whom|whose|where|whereas|while|because|since|although|though|unless|
         if|whether|despite|once|after|before|until)\b
    [^,;:—–]*
    | ,\s*(?:requiring|making|potentially|including|leaving|forcing|driving|prompting)\b[^,;:—–]*
    """, re.IGNORECASE | re.VERBOSE
), """that which who whom whose where whereas while because since although though unless if whether despite once
      after before until requiring making potentially including leaving forcing driving prompting""".split())

_NEGATION: Final = Cue(re.compile(
    r"""
    \b(?:not|never|cannot|nor|neither|none|nothing|nobody|no\s+longer)\b
    | \b\w+n['’]t\b
    | \bno\b(?!\s+(?:more|less|fewer|later|earlier|sooner)\s+than\b)(?!\s+doubt\b)
    """, re.IGNORECASE | re.VERBOSE
), "not never cannot nor neither none nothing nobody no".split(), ["n't", "n’t"])
# "not only … but", "not just", "not least", "whether or not", "if not": no denial.
_NOT_NEGATION: Final = re.compile(
    r"\bnot\s+(?:only|just|least|merely|simply)\b|\bor\s+not\b|\bif\s+not\b", re.IGNORECASE)

# "May" is a month unless it opens the sentence without a date after it ("May 2024" is a date)
_HEDGE_WORDS: Final = re.compile(
    r"\b(?:likely|unlikely|probably|possibly|perhaps|might|could|maybe|presumably|apparently|"
    r"seems?\s+to|appears?\s+to)\b|(?<!,\s)\bpotentially\b", re.IGNORECASE)
_MAY: Final = re.compile(r"\bmay\b|^May\b(?!\s+\d)")  # case-sensitive
_HEDGED: Final = Cue(re.compile(rf"{_HEDGE_WORDS.pattern}|(?-i:{_MAY.pattern})", re.IGNORECASE), """likely unlikely probably possibly perhaps might could maybe presumably apparently seem seems appear appears
      potentially may""".split())
_PRESCRIPTIVE: Final = Cue(re.compile(
    r"\b(?:needs?\s+to|need\s+to|should|must|ought\s+to|has\s+to|have\s+to|is\s+required\s+to|"
    r"are\s+required\s+to|will\s+need\s+to|would\s+need\s+to)\b", re.IGNORECASE
), "need needs should must ought has have required".split())
_ANTICIPATED: Final = Cue(re.compile(
    r"\b(?:will|won['’]t|shall|(?:is|are|was|were)\s+(?:not\s+)?(?:expected|scheduled|set|poised|due|slated)\s+to|"
    r"expects?|plans?\s+to|planning\s+to|aims?\s+to|aiming\s+to|intends?\s+to|is\s+going\s+to|are\s+going\s+to|"
    r"anticipates?|forecasts?\s+to)\b", re.IGNORECASE
), """will won shall expected scheduled set poised due slated expect expects plan plans planning aim aims aiming
      intend intends going anticipate anticipates forecast forecasts""".split())


_SUBORDINATE_RUN: Final = Caseless(_SUBORDINATE.pattern)
_NEGATION_RUN: Final = Caseless(_NEGATION.pattern)
_NOT_NEGATION_RUN: Final = Caseless(_NOT_NEGATION)
_HEDGE_WORDS_RUN: Final = Caseless(_HEDGE_WORDS)
_PRESCRIPTIVE_RUN: Final = Caseless(_PRESCRIPTIVE.pattern)
_ANTICIPATED_RUN: Final = Caseless(_ANTICIPATED.pattern)


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the spans replaced by as many spaces (offsets preserved)."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


@lru_cache(maxsize=256)  # negation and modality both need it for the same sentence (not meant to outlive a record)
def main_clause(text: str) -> str:
    """The text with subordinate and complement clauses blanked out (offsets preserved)."""
    if not _SUBORDINATE.may_occur(text):
        return text
    return _blanked(text, _SUBORDINATE_RUN.spans(text))


def negation_cues(text: str) -> list[tuple[int, int]]:
    """Spans of negation cues in the main clause."""
    if not _NEGATION.may_occur(text):  # the main clause is the text with parts blanked out
        return []
    main = main_clause(text)
    return _NEGATION_RUN.spans(_blanked(main, _NOT_NEGATION_RUN.spans(main)))


def negation_positions(text: str) -> list[int]:
    """Start offsets of negation cues anywhere in the text, subordinate clauses included
    (used to scope negation to the facts a cue stands among)."""
    if not _NEGATION.may_occur(text):
        return []
    return [start for start, _ in _NEGATION_RUN.spans(_blanked(text, _NOT_NEGATION_RUN.spans(text)))]


def is_negated(text: str) -> bool:
    """True when the main claim carries an explicit negation cue."""
    return bool(negation_cues(text))


def modality_of(text: str) -> Modality:
    """Hedged wins over everything ("will likely"), then prescriptive ("will need to"),
    then anticipated; anything else is stated."""
    main = main_clause(text)  # its words are some of the text's: the text's triggers decide
    if _HEDGED.may_occur(text) and (_HEDGE_WORDS_RUN.search(main) or _MAY.search(main)):
        return Modality.HEDGED
    if _PRESCRIPTIVE.may_occur(text) and _PRESCRIPTIVE_RUN.search(main):
        return Modality.PRESCRIPTIVE
    if _ANTICIPATED.may_occur(text) and _ANTICIPATED_RUN.search(main):
        return Modality.ANTICIPATED
    return Modality.STATED
