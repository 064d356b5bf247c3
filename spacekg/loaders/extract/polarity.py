"""Negation and modality of an assertion's main claim (SPEC §3, eval guidelines).

Both look only at the main clause: cues inside a subordinate or complement clause
("…, which is not …", "announced that it would …", "despite not …") do not change what
the sentence itself asserts. Lexical negatives ("absent", "unlikely", "fewer") are not
negation; "unlikely" is a hedge.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacekg.loaders.extract.cues import Cue
from spacekg.model import Modality

__all__ = ["is_negated", "main_clause", "modality_of", "negation_cues", "negation_positions"]

# A subordinate or complement clause runs from its opening word to the next comma,
# semicolon, colon or dash (or the end of the sentence).
_SUBORDINATE = Cue(re.compile(
    r"""(?ix)
    \b(?:that|which|who|whom|whose|where|whereas|while|because|since|although|though|unless|
         if|whether|despite|once|after|before|until)\b
    [^,;:—–]*
    | ,\s*(?:requiring|making|potentially|including|leaving|forcing|driving|prompting)\b[^,;:—–]*
    """
), """that which who whom whose where whereas while because since although though unless if whether despite once
      after before until requiring making potentially including leaving forcing driving prompting""".split())

_NEGATION = Cue(re.compile(
    r"""(?ix)
    \b(?:not|never|cannot|nor|neither|none|nothing|nobody|no\s+longer)\b
    | \b\w+n['’]t\b
    | \bno\b(?!\s+(?:more|less|fewer|later|earlier|sooner)\s+than\b)(?!\s+doubt\b)
    """
), "not never cannot nor neither none nothing nobody no".split(), ["n't", "n’t"])
# "not only … but", "not just", "not least", "whether or not", "if not": no denial.
_NOT_NEGATION = re.compile(r"(?i)\bnot\s+(?:only|just|least|merely|simply)\b|\bor\s+not\b|\bif\s+not\b")

# "May" is a month unless it opens the sentence without a date after it ("May 2024" is a date)
_HEDGED = Cue(re.compile(
    r"(?i)\b(?:likely|unlikely|probably|possibly|perhaps|might|could|maybe|presumably|apparently|"
    r"seems?\s+to|appears?\s+to)\b|(?<!,\s)\bpotentially\b|(?-i:\bmay\b|^May\b(?!\s+\d))"
), """likely unlikely probably possibly perhaps might could maybe presumably apparently seem seems appear appears
      potentially may""".split())
_PRESCRIPTIVE = Cue(re.compile(
    r"(?i)\b(?:needs?\s+to|need\s+to|should|must|ought\s+to|has\s+to|have\s+to|is\s+required\s+to|"
    r"are\s+required\s+to|will\s+need\s+to|would\s+need\s+to)\b"
), "need needs should must ought has have required".split())
_ANTICIPATED = Cue(re.compile(
    r"(?i)\b(?:will|won['’]t|shall|(?:is|are|was|were)\s+(?:not\s+)?(?:expected|scheduled|set|poised|due|slated)\s+to|"
    r"expects?|plans?\s+to|planning\s+to|aims?\s+to|aiming\s+to|intends?\s+to|is\s+going\s+to|are\s+going\s+to|"
    r"anticipates?|forecasts?\s+to)\b"
), """will won shall expected scheduled set poised due slated expect expects plan plans planning aim aims aiming
      intend intends going anticipate anticipates forecast forecasts""".split())


@lru_cache(maxsize=256)  # negation and modality both need it for the same sentence (not meant to outlive a record)
def main_clause(text: str) -> str:
    """The text with subordinate and complement clauses blanked out (offsets preserved)."""
    if not _SUBORDINATE.may_occur(text):
        return text
    return _SUBORDINATE.pattern.sub(lambda m: " " * len(m.group()), text)


def negation_cues(text: str) -> list[tuple[int, int]]:
    """Spans of negation cues in the main clause."""
    if not _NEGATION.may_occur(text):  # the main clause is the text with parts blanked out
        return []
    main = _NOT_NEGATION.sub(lambda m: " " * len(m.group()), main_clause(text))
    return [m.span() for m in _NEGATION.pattern.finditer(main)]


def negation_positions(text: str) -> list[int]:
    """Start offsets of negation cues anywhere in the text, subordinate clauses included
    (used to scope negation to the facts a cue stands among)."""
    if not _NEGATION.may_occur(text):
        return []
    cleaned = _NOT_NEGATION.sub(lambda m: " " * len(m.group()), text)
    return [m.start() for m in _NEGATION.pattern.finditer(cleaned)]


def is_negated(text: str) -> bool:
    """True when the main claim carries an explicit negation cue."""
    return bool(negation_cues(text))


def modality_of(text: str) -> Modality:
    """Hedged wins over everything ("will likely"), then prescriptive ("will need to"),
    then anticipated; anything else is stated."""
    main = main_clause(text)  # its words are some of the text's: the text's triggers decide
    if _HEDGED.may_occur(text) and _HEDGED.pattern.search(main):
        return Modality.HEDGED
    if _PRESCRIPTIVE.may_occur(text) and _PRESCRIPTIVE.pattern.search(main):
        return Modality.PRESCRIPTIVE
    if _ANTICIPATED.may_occur(text) and _ANTICIPATED.pattern.search(main):
        return Modality.ANTICIPATED
    return Modality.STATED
