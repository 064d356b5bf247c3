"""Negation and modality of an assertion's main claim (SPEC §3, eval guidelines).

Both look only at the main clause: cues inside a subordinate or complement clause
("…, which is not …", "announced that it would …", "despite not …") do not change what
the sentence itself asserts. Lexical negatives ("absent", "unlikely", "fewer") are not
negation; "unlikely" is a hedge.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacekg.model import Modality

__all__ = ["is_negated", "main_clause", "modality_of", "negation_cues", "negation_positions"]

# A subordinate or complement clause runs from its opening word to the next comma,
# semicolon, colon or dash (or the end of the sentence).
_SUBORDINATE = re.compile(
    r"""(?ix)
    \b(?:that|which|who|whom|whose|where|whereas|while|because|since|although|though|unless|
         if|whether|despite|once|after|before|until)\b
    [^,;:—–]*
    | ,\s*(?:requiring|making|potentially|including|leaving|forcing|driving|prompting)\b[^,;:—–]*
    """
)

_NEGATION = re.compile(
    r"""(?ix)
    \b(?:not|never|cannot|nor|neither|none|nothing|nobody|no\s+longer)\b
    | \b\w+n['’]t\b
    | \bno\b(?!\s+(?:more|less|fewer|later|earlier|sooner)\s+than\b)(?!\s+doubt\b)
    """
)
# "not only … but", "not just", "not least", "whether or not", "if not": no denial.
_NOT_NEGATION = re.compile(r"(?i)\bnot\s+(?:only|just|least|merely|simply)\b|\bor\s+not\b|\bif\s+not\b")

# "May" is a month unless it opens the sentence without a date after it ("May 2024" is a date)
_HEDGED = re.compile(
    r"(?i)\b(?:likely|unlikely|probably|possibly|perhaps|might|could|maybe|presumably|apparently|"
    r"seems?\s+to|appears?\s+to)\b|(?<!,\s)\bpotentially\b|(?-i:\bmay\b|^May\b(?!\s+\d))"
)
_PRESCRIPTIVE = re.compile(
    r"(?i)\b(?:needs?\s+to|need\s+to|should|must|ought\s+to|has\s+to|have\s+to|is\s+required\s+to|"
    r"are\s+required\s+to|will\s+need\s+to|would\s+need\s+to)\b"
)
_ANTICIPATED = re.compile(
    r"(?i)\b(?:will|won['’]t|shall|(?:is|are|was|were)\s+(?:not\s+)?(?:expected|scheduled|set|poised|due|slated)\s+to|"
    r"expects?|plans?\s+to|planning\s+to|aims?\s+to|aiming\s+to|intends?\s+to|is\s+going\s+to|are\s+going\s+to|"
    r"anticipates?|forecasts?\s+to)\b"
)


@lru_cache(maxsize=4096)  # negation and modality both need it for the same sentence
def main_clause(text: str) -> str:
    """The text with subordinate and complement clauses blanked out (offsets preserved)."""
    return _SUBORDINATE.sub(lambda m: " " * len(m.group()), text)


def negation_cues(text: str) -> list[tuple[int, int]]:
    """Spans of negation cues in the main clause."""
    main = _NOT_NEGATION.sub(lambda m: " " * len(m.group()), main_clause(text))
    return [m.span() for m in _NEGATION.finditer(main)]


def negation_positions(text: str) -> list[int]:
    """Start offsets of negation cues anywhere in the text, subordinate clauses included
    (used to scope negation to the facts a cue stands among)."""
    cleaned = _NOT_NEGATION.sub(lambda m: " " * len(m.group()), text)
    return [m.start() for m in _NEGATION.finditer(cleaned)]


def is_negated(text: str) -> bool:
    """True when the main claim carries an explicit negation cue."""
    return bool(negation_cues(text))


def modality_of(text: str) -> Modality:
    """Hedged wins over everything ("will likely"), then prescriptive ("will need to"),
    then anticipated; anything else is stated."""
    main = main_clause(text)
    if _HEDGED.search(main):
        return Modality.HEDGED
    if _PRESCRIPTIVE.search(main):
        return Modality.PRESCRIPTIVE
    if _ANTICIPATED.search(main):
        return Modality.ANTICIPATED
    return Modality.STATED
