"""Quantities stated in an assertion: money, percentages, multipliers, counts, frequencies,
durations, years, fiscal years and dates.

``extract_quantities(text)`` is a pure function: no model, no I/O after import (the currency
table ``currencies.tsv`` is read once, through importlib.resources). Each kind has one verbose
regular expression, compiled once; the passes run in a fixed priority order (fiscal year,
money, percent, frequency, multiplier, date, duration, year, count) and a later pass never
takes a span an earlier one claimed, so "fiscal year 2026" is not also the year 2026 and
"three times a week" is not also a multiplier. For speed the patterns are only tried, with
``match``, where a quantity can start (see `_anchors`); a sentence with no figure, number
word, currency sign, month or keyword costs a set intersection with its words (`cues.sentence_words`).

Conventions (SPEC §3 and the "Money and percentages" guidelines of ``eval/README.md``):

- ``start``/``end``/``surface`` cover the figure with its unit or currency ("$7 billion",
  "a trillion yen", "97.9%", "three key security documents"); the bound and qualifier words
  in front ("over", "about", "has topped over") are *not* part of the span.
- ``value`` is the stated figure in units (a trillion yen → 1e12; 2,500 crore → 2.5e10);
  a bound ("over", "up to") goes to ``bound`` and a softener ("about", "almost") to
  ``qualifier`` (lowercased as written: "about", "an estimated", "late"); neither changes
  the value.
- A range ("between $1 billion and $2 billion", "$1–2 billion", "2–3%", "from 2025 to 2030")
  gives two quantities of the same kind, the first with bound "min" and the second with
  bound "max"; the scale and currency of the second figure carry over to the first when it
  has none ("$1–2 billion" → 1e9 and 2e9 USD). Each keeps its own span ("$1", "2 billion").
  "X or Y", "X and Y" (without "between") and a change ("rose from X to Y") give two
  quantities without range bounds ("double or triple").
- Restatements of one amount in another currency ("over a trillion yen, or over $7
  billion", "¥1 trillion ($7 billion)", "₹5,000 crore, roughly $600 million") share a
  ``group`` number (1, 2, … per sentence); a lone amount has group None. A restatement needs a
  different currency and a marker between the amounts ("(", "or", "i.e.", "equivalent to", or
  a comma before a softened amount). Restated ranges pair min with min and max with max.
- currency words that are ordinary words ("won", "real", "pounds", "rand") are money only
  after a scale word or a grouped figure and not before "the", "by", "of thrust"…; acronym
  prefixes ("SAR", "ILS", "RM") need a scale word; a year before "dollars" ("in 2020 dollars")
  is a year.
- percent: value as stated (97.9), unit_code "P1"; "percentage points" keeps unit_code "P1"
  with unit_text "percentage points".
- multiplier: value 2/3/4…, unit_text "times" ("three times", "doubled", "twofold", "2x",
  "twice as", "by a factor of three").
- frequency: ``value`` is the number of occurrences per stated period, ``unit_code`` the unit
  of that period and ``unit_text`` the period itself: "once every 10 minutes" → 1, MIN,
  "per 10 minutes"; "twice a year" → 2, ANN, "per year"; "every 90 minutes" → 1, MIN,
  "per 90 minutes"; "40 launches a year" → 40, ANN, "launches per year". A bare "every year"
  (no count, no figure) is not a quantity.
- duration: value in the stated unit, unit_code SEC/MIN/HUR/DAY/WEE/MON/QAN/ANN/DEC,
  unit_text the plural unit word ("years"). "over ten years" reads "over" as "during" (no
  bound) unless it follows "for"/"of"/"after" ("for over ten years" → min). Durations need a
  figure: "days-long", "a year", "in as many years" are skipped.
- fiscal year: value and temporal are the (first) year: "FY26" → 2026, "FY2025-26" and
  "2025–26" → 2025 (the surface keeps both years).
- date: value None, temporal ISO 8601: "--11" (a month), "--03-03", "2025-07", "2025-03-03".
  Seasons without a year ("this summer") are skipped; "summer 2025" is the year 2025 with
  qualifier "summer". "last"/"late"/"early"/"mid"/"next"/"this" become the qualifier.
- year: a bare 1900–2100 integer without a thousands comma, temporal "2030", value 2030;
  "by"/"before"/"until"/"through" → bound max, "beyond"/"after"/"since" → bound min. A
  four-digit figure in that range is read as a year, never as a count ("2000 satellites").
- count: a figure followed by a noun phrase; unit_text is its head noun ("three key security
  documents" → "documents"). "one of", "one or more", ordinals ("third-largest", "first") and
  figures with no noun after them are not counts; neither are units of measure ("30 tonnes",
  "550 km": no kind holds a measure yet). Counts are never money. "three times" is always a
  multiplier, even after a verb of repetition ("flew 130 times").
- identifiers carry no quantity: a figure glued to a word or to a name by a hyphen
  ("Chandrayaan-3", "H3", "COVID-19"), or written after a capitalised name that is not a
  function word, month or weekday ("Falcon 9", "CLPS 2.0", "Article 9", "Vision 2030",
  "Long March 5"); roman numerals ("Artemis II") are never read. Money and percentages are
  exempt: a currency or percent sign makes the figure a measure.
"""

from __future__ import annotations

import re
from calendar import monthrange
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Final, Literal, cast

from spacekg.loaders.extract.cues import Cue, sentence_words
from spacekg.model import Quantity, QuantityKind

__all__ = ["extract_quantities", "parse_figure"]

# --------------------------------------------------------------------------- lexicon

_ONES: Final = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_SMALL: Final = {"zero": 0, **_ONES, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
                 "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS: Final = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                "ninety": 90}
_WORD_VALUES: Final = {k: Decimal(v) for k, v in {**_SMALL, **_TENS}.items()}
# Scales that close a chunk ("two billion", "1 lakh crore"); hundred and dozen multiply in place.
_BIG_SCALES: Final[dict[str, Decimal]] = {k: Decimal(v) for k, v in {
    "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
    "lakh": 10**5, "lakhs": 10**5, "lac": 10**5, "lacs": 10**5, "crore": 10**7, "crores": 10**7,
    "k": 10**3, "m": 10**6, "mn": 10**6, "mln": 10**6, "b": 10**9, "bn": 10**9, "bln": 10**9,
    "t": 10**12, "tn": 10**12, "trn": 10**12,
}.items()}
_D0, _D1, _HALF = Decimal(0), Decimal(1), Decimal("0.5")


def _alt(words) -> str:
    """A regex alternation of literal words, written as a trie: `re` tries alternatives one by one,
    so "s(?:even(?:t(?:een|y))?|ix…)" fails much faster than "seventeen|seventy|seven|six…". Longer
    words win ("seventeen" before "seven"); a space matches any white space."""
    trie: dict = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + build(node[ch]) for ch in sorted(node) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return build(trie)


_BASIC: Final = _alt(list(_SMALL) + list(_TENS))
_NW: Final = rf"(?:{_BASIC})(?:-(?:{_alt(_ONES)}))?"  # "two", "twenty-five"
_SCALE_W: Final = r"(?:hundred|thousand|million|billion|trillion|lakhs?|lacs?|crores?|dozen)"

# A number written in words. "a"/"an"/"half a" only count in front of a scale word.
_WORDNUM: Final = rf"""(?i:
    \b
    (?: half[ ]+an?(?=[\s-]+{_SCALE_W}\b)              # half a billion
      | an?(?=[\s-]+{_SCALE_W}\b)                      # a trillion, a dozen
      | {_NW} )                                         # two, twenty-five
    (?: (?:\s+|-) (?:{_NW}|{_SCALE_W}|and\s+an?\s+half)   # seven hundred million, one and a half
      | (?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion)|(?<=trillion))
        \s+and\s+{_NW}                                  # two hundred and fifty
    )*
    \b)"""

# A number written in figures: 40, 97.9, 2,500, 13,416, Indian grouping 1,50,000.
_DIGITS: Final = r"""(?:\d{1,3}(?:,\d{2})*(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d)(?!\.\d)(?!,\d{3})"""
# Scale words after figures ("7 billion", "7bn", "1 lakh crore", "$7-billion").
_DSCALES: Final = r"""(?:[\s-]*(?i:thousand|million|billion|trillion|lakhs?|lacs?|crores?|bn|bln|mn|mln|tn|trn)\b)+"""
# A glued one-letter scale, only after a currency sign: "$1.5B", "£2.1m", "$500K".
_LETTER_SCALE: Final = r"(?:[mMbBkKT](?![A-Za-z0-9]))"
_NUM: Final = rf"(?:{_DIGITS}(?:{_DSCALES})?|{_WORDNUM})"
# Between the two figures of a range or an alternative.
_SEP: Final = r"(?:\s*[-–—]\s*|\s+(?:to|and|or)\s+)"
_NOT_GLUED: Final = r"(?<![\w.,$€£¥₹₩₽₪/:#])(?<![A-Za-z]-)"  # a figure starts a token: not "H3", "Chandrayaan-3"

_UNIT_CODES: Final = {"second": "SEC", "minute": "MIN", "hour": "HUR", "day": "DAY", "week": "WEE",
                      "month": "MON", "quarter": "QAN", "year": "ANN", "decade": "DEC"}
_UNIT: Final = r"(?:second|minute|hour|day|week|month|quarter|year|decade)"
_ADVERB_UNIT: Final = {"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter",
                       "yearly": "year", "annually": "year"}

_MONTHS: Final = {m: i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"], start=1)}
_MONTH_ABBR: Final = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9,
                      "Oct": 10, "Nov": 11, "Dec": 12}
# Month names that are also ordinary words or first names: they need a preposition in front.
_AMBIGUOUS_MONTHS: Final = {"May", "March", "April", "June", "August"}
_MONTH_RE: Final = rf"(?:(?:{_alt(_MONTHS)})\b|(?:{_alt(_MONTH_ABBR)})(?:\.|(?=\s+\d)))"
_YEAR4: Final = r"(?:19\d\d|20\d\d|2100)"

# --------------------------------------------------------------------------- currencies


def _load_currencies() -> dict[str, list[tuple[str, str]]]:
    text = resources.files(__package__).joinpath("currencies.tsv").read_text(encoding="utf-8")
    by_kind: dict[str, list[tuple[str, str]]] = {"prefix": [], "code": [], "suffix": [], "guarded": [],
                                                 "guarded-prefix": []}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("surface\t"):
            continue
        surface, code, kind = line.split("\t")
        by_kind[kind].append((surface, code))
    # every ISO 4217 code the table does not list already ("KES 1.3 billion", "3 billion NOK")
    import pycountry

    listed = {s for rows in by_kind.values() for s, _ in rows}
    by_kind["code"].extend((c.alpha_3, c.alpha_3) for c in pycountry.currencies
                           if c.alpha_3 not in listed and not c.alpha_3.startswith("X"))
    return by_kind


_CURRENCIES: Final = _load_currencies()
_PREFIX_CODE: Final = {" ".join(s.split()): c for s, c in _CURRENCIES["prefix"] + _CURRENCIES["code"]}
_SUFFIX_CODE: Final = {" ".join(s.split()): c for s, c in _CURRENCIES["code"]}
_SUFFIX_CODE.update({" ".join(s.casefold().split()): c for s, c in _CURRENCIES["suffix"] + _CURRENCIES["guarded"]})
_GUARDED: Final = {s.casefold() for s, _ in _CURRENCIES["guarded"]}
_PREFIX_CODE.update({s: c for s, c in _CURRENCIES["guarded-prefix"]})
_GUARDED_PREFIX: Final = {s for s, _ in _CURRENCIES["guarded-prefix"]}
_CUR_PRE: Final = (
    f"(?:{_alt(s for s, _ in _CURRENCIES['prefix'] + _CURRENCIES['code'] + _CURRENCIES['guarded-prefix'])})")
_CUR_SUF: Final = (f"(?:{_alt(s for s, _ in _CURRENCIES['code'])}"
                   f"|(?i:{_alt(s for s, _ in _CURRENCIES['suffix'] + _CURRENCIES['guarded'])}))")

# --------------------------------------------------------------------------- patterns

_X: Final = re.VERBOSE

_FISCAL_RE: Final = re.compile(rf"""
    (?<![\w$€£¥₹])
    (?: (?:J?FY)\s?['’]?(?P<a>\d{{4}}|\d{{2}})(?:[-–/](?P<a2>\d{{4}}|\d{{2}}))?   # FY2026, FY 26, FY2025-26
      | (?i:fiscal)(?:\s+(?i:year))?\s+(?P<b>{_YEAR4})(?:[-–/](?P<b2>\d{{4}}|\d{{2}}))?   # fiscal (year) 2026
      | (?P<c>{_YEAR4})(?:[-–/](?P<c2>\d{{4}}|\d{{2}}))?\s+(?i:fiscal\s+year)   # the 2026 fiscal year
      | (?P<d>{_YEAR4})[-–/](?P<d2>\d\d)(?![-–/]?\d)                      # 2025-26 (consecutive years)
    )
    (?![\w%])
""", _X)

_MONEY_PRE_RE: Final = re.compile(rf"""
    (?<![\w$€£¥₹₩₽₪])
    (?P<c1>{_CUR_PRE})\s?                                         # $, US$, EUR, Rs., ₹
    (?P<n1>{_DIGITS})(?:(?P<l1>{_LETTER_SCALE})|(?P<s1>{_DSCALES}))?   # 7 billion, 1.5B, 2.1m
    (?: (?P<sep>{_SEP})                                           # range: $1–2 billion, $1 to $2 billion
        (?:(?P<c2>{_CUR_PRE})\s?)?
        (?P<n2>{_DIGITS})(?:(?P<l2>{_LETTER_SCALE})|(?P<s2>{_DSCALES}))? )?
    (?:\s+(?P<tc>{_CUR_SUF})(?!\w))?                              # redundant: $7 billion USD
    (?!\w)
""", _X)

_MONEY_SUF_RE: Final = re.compile(rf"""
    {_NOT_GLUED}
    (?P<n1>{_NUM})                                                # 7 billion, a trillion, 2,500 crore
    (?: (?:[\s-]+(?P<c1>{_CUR_SUF})(?!\w))?                      # its own currency: "X yen or Y dollars"
        (?P<sep>{_SEP})(?P<n2>{_NUM}) )?                          # range: 1 to 2 trillion yen
    [\s-]+(?P<cur>{_CUR_SUF})(?!\w)                               # yen, dollars, Canadian dollars, EUR
""", _X)

_PERCENT_RE: Final = re.compile(rf"""
    {_NOT_GLUED}
    (?P<n1>{_DIGITS}|{_WORDNUM})
    (?:\s*(?:%|(?i:percentage\s+points?|per\s?cent)\b))?           # 2% to 3%
    (?:(?P<sep>{_SEP})(?P<n2>{_DIGITS}|{_WORDNUM}))?
    \s*(?P<unit>%|(?i:percentage\s+points?|per\s?cent|pct)\b)      # %, percent, per cent, percentage points
""", _X)

_FREQUENCY_RE: Final = re.compile(rf"""(?i:
    \b(?P<cnt>once|twice|thrice|(?:{_DIGITS}|{_WORDNUM})\s+times)\s+
    (?: (?:a|an|per|each)\s+(?P<u1>{_UNIT})\b                     # twice a year
      | every\s+(?:(?P<n>{_DIGITS}|{_WORDNUM}|other)\s+)?(?P<u2>{_UNIT})s?\b   # once every 10 minutes
      | (?P<adv>hourly|daily|weekly|monthly|quarterly|yearly|annually)\b )     # twice daily
  | \bevery\s+(?P<n3>{_DIGITS}|{_WORDNUM})\s+(?P<u3>{_UNIT})s?\b    # every 90 minutes
)""", _X)

_MULTIPLIER_RE: Final = re.compile(rf"""(?i:
    {_NOT_GLUED}(?P<n1>{_DIGITS}|{_WORDNUM})
        (?:(?P<sep>{_SEP})(?P<n2>{_DIGITS}|{_WORDNUM}))?[\s-]+times\b     # three times, 2-3 times
  | \b(?P<verb>doubl|tripl|quadrupl|quintupl)(?P<suffix>ed|es|ing|e)\b    # doubled, triple
  | \b(?P<fold>{_DIGITS}|{_BASIC}|hundred)-?fold\b       # twofold, 10-fold
  | {_NOT_GLUED}(?P<x>\d+(?:\.\d+)?)\s?[x×](?!\w)                         # 2x, 10×
  | \b(?P<twice>twice)(?=\s+(?:as|the|that|this|its|their|his|her|our|what)\b)   # twice as large
  | \bfactor\s+of\s+(?P<factor>{_DIGITS}|{_WORDNUM})                      # by a factor of three
)""", _X)

_DATE_RE: Final = re.compile(rf"""
    (?P<iso>\b{_YEAR4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b)      # 2025-03-03
  | \b(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH_RE})   # 3 March 2025
        (?:,?\s+(?P<y1>{_YEAR4})(?!\d))?
  | \b(?P<m2>{_MONTH_RE})
        (?: \s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<y2>{_YEAR4})(?!\d))?   # March 3, 2025
          | (?:\s+of)?,?\s+(?P<y3>{_YEAR4})(?!\d) )?                   # July 2025, July of 2025
""", _X)

_DURATION_RE: Final = re.compile(rf"""
    {_NOT_GLUED}
    (?P<n1>{_DIGITS}|{_WORDNUM})(?:(?P<sep>{_SEP})(?P<n2>{_DIGITS}|{_WORDNUM}))?
    (?:\s+|-)(?P<unit>(?i:{_UNIT}))s?(?!\w)                       # ten years, two-year, 18 months
""", _X)

_YEAR_RE: Final = re.compile(rf"""
    (?<![\w.,$€£¥₹/:#])(?<!\d[-–])
    (?P<n1>{_YEAR4})
    (?:(?P<sep>\s*[-–—]\s*|\s+(?:to|and|or|through|until)\s+)(?P<n2>{_YEAR4}))?   # 2025–2030
    (?![\w%]|[.,]\d|\s*%)
""", _X)

_COUNT_RE: Final = re.compile(rf"""
    {_NOT_GLUED}
    (?P<n1>{_NUM})
    (?:(?P<sep>\s*[-–]\s*|\s+(?:to|or)\s+)(?P<n2>{_NUM}))?          # 10–20 satellites, two or three
    (?=\s+[A-Za-z])
""", _X)

# The words every match of a pass holds (see cues.py): a sentence without them skips the pass.
_PERCENT: Final = Cue(_PERCENT_RE, (), ["%", "cent", "pct"])  # %, percent, per cent, percentage points, pct
_FREQUENCY: Final = Cue(_FREQUENCY_RE, ["once", "twice", "thrice", "times", "every"])
_DURATION: Final = Cue(_DURATION_RE, [u + s for u in _UNIT_CODES for s in ("", "s")])  # ten years, two-year
# The words a multiplier can start at ("doubled", "twofold", "twice as", "a factor of"): the
# multiplier pass's anchors (`_anchors`) besides the numbers.
_MULTIPLIER_WORDS: Final = [*(stem + end for stem in ("doubl", "tripl", "quadrupl", "quintupl") for end in ("e", "es", "ed", "ing")),
                            *(w + "fold" for w in [*_SMALL, *_TENS, "hundred"]), "twice", "factor"]
# every multiplier holds one of them, or "times" ("three times"), "fold" ("10-fold"), "x"/"×" ("2x")
_MULTIPLIER: Final = Cue(_MULTIPLIER_RE, ["times", "fold", "x", *_MULTIPLIER_WORDS], ["×"])
# every amount it finds ends with a currency written after it: that word's last word
_MONEY_SUFFIX: Final = Cue(_MONEY_SUF_RE, [s.split()[-1] for kind in ("code", "suffix", "guarded") for s, _ in _CURRENCIES[kind]])

# Bounds and qualifiers written just before a figure (read backwards from its start).
_MIN_WORDS: Final = ["over", "more than", "at least", "topped", "tops", "topping", "exceeding", "exceeded", "exceeds",
                     "in excess of", "upwards of", "upward of", "above", "greater than", "no less than",
                     "not less than", "a minimum of", "north of", "beyond", "surpassing", "surpassed"]
_MAX_WORDS: Final = ["under", "up to", "less than", "no more than", "not more than", "below", "fewer than", "at most",
                     "a maximum of", "as much as", "as many as", "as high as", "capped at", "within"]
_TIME_MAX_WORDS: Final = ["by", "before", "until", "till", "through", "no later than"]
_TIME_MIN_WORDS: Final = ["since", "after", "no earlier than"]
_QUALIFIERS: Final = [
    "about", "almost", "roughly", "around", "nearly", "approximately", "approx.", "some", "an estimated",
    "estimated", "close to", "circa", "just", "well"]
_TIME_QUALIFIERS: Final = ["late", "early", "mid", "last", "next", "this", "the end of", "end of", "the beginning of",
                           "the start of", "the middle of", "summer", "winter", "spring", "autumn", "fall"]
_ROLE: Final = {**{w: "min" for w in _MIN_WORDS}, **{w: "max" for w in _MAX_WORDS},
                **{w: "tmax" for w in _TIME_MAX_WORDS}, **{w: "tmin" for w in _TIME_MIN_WORDS},
                **{w: "q" for w in _QUALIFIERS}, **{w: "tq" for w in _TIME_QUALIFIERS}}
_CHANGE_VERBS: Final = frozenset("""rose rise rises rising risen increase increased increases increasing grew grow grows
    growing grown jumped jump jumps jumping climbed climb climbs climbing fell fall falls falling fallen dropped drop
    drops dropping declined decline declines declining cut cuts cutting raised raise raises raising boosted boost
    boosts boosting expanded expand expands shrank shrink shrinks shrunk slashed slash reduced reduce reduces went
    goes soared soar surged surge plunged plunge up down moved move""".split())
_ROLE_LAST: Final = frozenset(w.split()[-1] for w in _ROLE)
# The lengths (two words or more, longest first) of the phrases that end in a word: `_chain` joins
# only those ("to" → 3, 2 for "no more than"… "up to"; "about" → none, so it is read alone).
_ROLE_ENDS: Final[dict[str, tuple[int, ...]]] = {
    last: tuple(sorted({len(w.split()) for w in _ROLE if w.split()[-1] == last and " " in w}, reverse=True))
    for last in _ROLE_LAST}
_OPENERS: Final = "([{\"'“‘—–"
_LOOKBACK: Final = 48  # characters read backwards for bound and qualifier words

# Restating one amount in another currency: "X, or Y", "X (Y", "X (about Y", "X, i.e. Y".
_RESTATE_GAP_RE: Final = re.compile(r"""(?i)
    \s*,?\s*
    (?P<marker>\(|\[|—|–|/|or|i\.e\.,?|that\s+is,?|(?:the\s+)?equivalent\s+(?:to|of)|equal\s+to|which\s+is)
    \s*$""", _X)
_LIST_GAP_RE: Final = re.compile(r"\s*(?:,|/|or)\s*$")
_COMMA_GAP_RE: Final = re.compile(r"\s*,\s*$")
_RESTATE_QUALIFIERS: Final = {
    "about", "roughly", "approximately", "around", "nearly", "some", "almost", "close to", "circa",
    "approx."}

# What may follow a guarded currency word if it is a currency: not "won the", "won by", "pounds of thrust".
_GUARD_FOLLOW_RE: Final = re.compile(r"""(?i)\s+(?:the|a|an|its|their|his|her|our|this|that|these|those|by|over|out|
    against|approval|support|praise|of\s+(?:thrust|payload|force|cargo|fuel|weight|propellant|mass)|thrust|
    per\s+(?:square|cubic)|force)\b""", _X)
_YEAR_ONLY_RE: Final = re.compile(_YEAR4)
_OWN_PERCENT_RE: Final = re.compile(r"\s*(?:%|(?i:per))")
_NOT_PREFIX_DOUBLE_RE: Final = re.compile(r"(?i)\s+(?:as|down|up)\b|-")
_BARE_DOUBLE_NEXT: Final = {
    "or", "and", "the", "its", "their", "his", "her", "our", "this", "that", "these", "those", "in",
    "by", "over", "within", "from", "to", "again", "every", "each", "next", "between", "before",
    "after", "if", "when", "once", "twice", "during", "until", "by"}
_BARE_DOUBLE_PREV: Final = {
    "to", "will", "would", "could", "can", "may", "might", "should", "must", "shall", "probably",
    "likely", "almost", "nearly", "more", "than", "or", "and", "roughly", "about", "could"}
_NEXT_WORD_RE: Final = re.compile(r"\s*([A-Za-z]+|[,.;:)!?]|$)")

# A noun phrase after a count: modifiers, then the head noun.
_WORD_RE: Final = re.compile(r"\s+([A-Za-z][A-Za-z.'’-]*[A-Za-z]|[A-Za-z])")
_PRONOUN_ONE: Final = {"no", "any", "every", "each", "the", "this", "that", "which"}
_PER_UNIT_RE: Final = re.compile(rf"(?i)\s+(?:a|an|per|each)\s+(?P<u>{_UNIT})\b")
_STOP: Final = set("""a an the of or and but nor to in on at for with by from into onto over under about after before
    since until as than that which who whom whose this these those it its their his her our your my is are was were be
    been being am has have had will would can could may might shall should must do does did not no so if then also
    still now later ago earlier out up down off per via against among between through during without within like
    including versus vs more less fewer most least other others another each every such same percent per cent
    times time years year months month weeks week days day hours hour minutes minute decades decade seconds second
    quarters quarter such only just very too where when while what how why there here all both either neither any
    some several many much few one two three four five six seven eight nine ten hundred thousand million billion
    trillion dozen or""".split())
# Units of measure are not counted things: "30 tonnes" is a mass, which no QuantityKind holds yet.
_MEASURES: Final = set(
    """kg kgs kilogram kilograms kilo kilos g gram grams t tonne tonnes ton tons lb lbs pound pounds ounces
    km kms kilometer kilometers kilometre kilometres m meter meters metre metres cm mm nm mile miles ft feet foot
    inch inches yards au ly kph mph knots hz khz mhz ghz thz w kw mw gw watt watts kilowatts megawatts gigawatts
    kwh mwh gwh wh v kv volts amps bits bytes kb mb gb tb pb kbps mbps gbps tbps pixels degrees""".split())
_IRREGULAR_PLURALS: Final = {
    "people", "personnel", "staff", "aircraft", "spacecraft", "crew", "data", "media", "criteria",
    "series", "species", "men", "women", "children", "police", "troops", "feet"}

# Capitalised words that may stand right before a figure without making it part of a name.
_CAP_OK: Final = set(_STOP) | {w.split()[0] for w in _ROLE} | {m.casefold() for m in _MONTHS} | {
    m.casefold() for m in _MONTH_ABBR} | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                                 "sunday", "q1", "q2", "q3", "q4", "h1", "h2", "fy", "only", "nearly",
                                                 "approximately", "roughly", "almost", "today", "yet"}
_HYPHEN_PREFIXES: Final = {"mid", "pre", "post", "early", "late"}


# --------------------------------------------------------------------------- figures


def parse_figure(text: str) -> Decimal | None:
    """The value of a figure written in digits and/or words, or None if it is not one.

    >>> parse_figure("2,500 crore"), parse_figure("half a billion"), parse_figure("seven hundred million")
    (Decimal('25000000000'), Decimal('500000000'), Decimal('700000000'))
    """
    parsed = _figure(text)
    return parsed[0] if parsed else None


_FIGURE_TOKEN: Final = re.compile(r"\d[\d,]*(?:\.\d+)?|[A-Za-z]+")


@lru_cache(maxsize=4096)
def _figure(text: str) -> tuple[Decimal, Decimal] | None:
    """(value, trailing scale): "7 billion" → (7e9, 1e9); "40" → (40, 1); None if malformed."""
    tokens = _FIGURE_TOKEN.findall(text)
    total, current, last_chunk = _D0, None, _D0
    trailing = _D1  # the product of the scale words that end the figure
    prev_scale: Decimal | None = None
    seen = False
    for i, raw in enumerate(tokens):
        tok = raw if raw[0].isdigit() else raw.casefold()
        if tok[0].isdigit():
            if current is not None or seen:
                return None
            current, prev_scale, trailing, seen = Decimal(tok.replace(",", "")), None, _D1, True
            continue
        if tok == "and":
            continue
        if tok in ("a", "an"):
            if current is None and not (i + 1 < len(tokens) and tokens[i + 1].casefold() == "half"):
                current = _D1
            continue
        if tok == "half":
            if current is not None:
                current += _HALF
            elif prev_scale is not None:  # "a billion and a half"
                total += last_chunk * _HALF
            else:  # "half a billion"
                current = _HALF
            seen = True
            continue
        word = _WORD_VALUES.get(tok)
        if word is not None:
            if current is None:
                current = word
            elif (word < 10 and current % 10 == 0 and current % 100 != 0) or (word < 100 and current % 100 == 0):
                current += word
            else:
                return None
            prev_scale, trailing, seen = None, _D1, True
            continue
        if tok in ("hundred", "dozen"):
            if current is None:
                return None  # a scale needs a count: "a hundred", not "hundred"
            current *= 100 if tok == "hundred" else 12
            prev_scale, trailing, seen = None, _D1, True
            continue
        scale = _BIG_SCALES.get(tok)
        if scale is None:
            return None
        if current is None:
            if prev_scale is None or scale <= prev_scale:
                return None  # "billion" on its own, "billion million"
            total += last_chunk * (scale - 1)  # "1 lakh crore"
            last_chunk *= scale
            trailing *= scale
        else:
            last_chunk = current * scale
            total += last_chunk
            trailing = scale
        current, prev_scale, seen = None, scale, True
    if not seen:
        return None
    return _clean(total + (current or _D0)), trailing


def _clean(value: Decimal) -> Decimal:
    integral = value.to_integral_value()
    return integral if value == integral else value.normalize()


def _pair(text: str, m: re.Match, g1: str = "n1", g2: str = "n2", extra1: str = "", extra2: str = ""):
    """The one or two figures of a match, with the scale of the second carried to a bare first."""
    first = _figure(m.group(g1) + " " + extra1)
    if first is None:
        return None
    if not m.group(g2):
        return [first[0]]
    second = _figure(m.group(g2) + " " + extra2)
    if second is None:
        return [first[0]]
    v1, t1 = first
    v2, t2 = second
    if t1 == _D1 and t2 > _D1 and v1 < v2 / t2:  # "$1–2 billion", "between 1 and 2 trillion yen"
        v1 = _clean(v1 * t2)
    return [v1, v2]


# --------------------------------------------------------------------------- context


@lru_cache(maxsize=256)
def _chain(text: str, start: int) -> tuple[tuple[str, ...], int]:
    """The bound and qualifier phrases written right before `start` ("has topped over" → ["topped",
    "over"]), in reading order, and the offset where the first one begins (`start` if none)."""
    # quick exit: most figures have no bound word right before them
    j = start
    if j and text[j - 1] == "-":  # "mid-2025"
        j -= 1
    k = j
    while k and text[k - 1].isspace():
        k -= 1
    if k == start:
        return (), start
    if text[text.rfind(" ", 0, k) + 1:k].lstrip(_OPENERS).casefold() not in _ROLE_LAST:
        return (), start
    lo = max(0, start - _LOOKBACK)
    window = text[lo:j]
    parts = window.split()
    if lo and not text[lo - 1].isspace() and not window[:1].isspace():
        parts = parts[1:]  # a word cut by the window
    phrases: list[str] = []
    i = len(parts)
    first = ""
    while i:
        head = parts[i - 1]
        for n in _ROLE_ENDS.get(head.casefold(), ()):  # a phrase of several words ending here, longest first
            if n <= i:
                head = parts[i - n]
                bare = head.lstrip(_OPENERS)
                phrase = " ".join([bare, *parts[i - n + 1:i]]).casefold()
                if phrase in _ROLE:
                    break
        else:  # or the word alone
            n, head = 1, parts[i - 1]
            bare = head.lstrip(_OPENERS)
            phrase = bare.casefold()
            if phrase not in _ROLE:
                break
        phrases.append(phrase)
        i -= n
        first = bare
        if bare != head:
            break  # "(about $4.3 billion": the chain starts after the bracket
    if not phrases:
        return (), start
    pos = len(window)
    for part in reversed(parts[i + 1:]):
        pos = window.rfind(part, 0, pos)
    pos = window.rfind(first, 0, pos)
    return tuple(reversed(phrases)), lo + pos


def _word_before(text: str, pos: int) -> str:
    """The lowercased word ending just before `pos` (skipping white space), or ''."""
    j = pos
    while j > 0 and text[j - 1].isspace():
        j -= 1
    i = j
    while i > 0 and text[i - 1].isalpha():
        i -= 1
    return text[i:j].casefold()


def _prefix(text: str, start: int, kind: QuantityKind) -> tuple[str | None, str | None]:
    """(bound, qualifier) from the words right before `start` ("has topped over", "about")."""
    phrases, chain_start = _chain(text, start)
    if not phrases:
        return None, None
    bound: str | None = None
    qualifiers: list[str] = []
    temporal = kind in (QuantityKind.YEAR, QuantityKind.DATE, QuantityKind.FISCAL_YEAR)
    for word in phrases:
        role = _ROLE[word]
        if temporal and role in ("min", "max") and word not in ("beyond", "up to"):
            continue  # "24% less than FY2025": the bound belongs to the comparison, not the year
        if role == "min":
            if word == "over" and kind is QuantityKind.DURATION and _word_before(text, chain_start) not in (
                    "for", "of", "after"):
                continue  # "over ten years" = during ten years; "for over ten years" = more than
            bound = "min"
        elif role == "max":
            if word == "within" and kind is not QuantityKind.DURATION:
                continue
            bound = "max"
        elif role == "tmin" and temporal:
            bound = "min"
        elif role == "tmax" and temporal:
            bound = "max"
        elif role == "q":
            if temporal and word not in ("about", "around", "roughly", "approximately", "circa", "almost", "nearly"):
                continue
            qualifiers.append(word)
        elif role == "tq":
            if temporal or (kind is QuantityKind.DURATION and word in ("last", "next")):
                qualifiers.append(word)
    return bound, (" ".join(qualifiers) or None)


def _prev_token(text: str, pos: int) -> tuple[str, int] | None:
    """The white-space-delimited token before the white space that ends at `pos`."""
    j = pos
    while j > 0 and text[j - 1].isspace():
        j -= 1
    if j == pos or j == 0:
        return None
    i = text.rfind(" ", 0, j) + 1
    return text[i:j], i


def _hyphen_word(text: str, pos: int) -> str | None:
    """The word glued to `pos` by a hyphen ("Chandrayaan" for "Chandrayaan-3"), lowercased."""
    if pos < 2 or text[pos - 1] not in "-‐":
        return None
    i = pos - 1
    while i > 0 and text[i - 1].isalpha():
        i -= 1
    return text[i:pos - 1].casefold() or None


def _is_identifier(text: str, start: int) -> bool:
    """True when the figure at `start` belongs to a name: "Falcon 9", "Chandrayaan-3", "CLPS 2.0"."""
    if start == 0:
        return False
    before = text[start - 1]
    if before.isalnum():
        return True
    if before in "-‐":
        word = _hyphen_word(text, start)
        return bool(word) and word not in _HYPHEN_PREFIXES
    if not before.isspace():
        return False
    prev = _prev_token(text, start)
    if not prev:
        return False
    token, token_start = prev
    if token in ("No.", "no.", "Nos."):
        return True
    if token[-1] in ",;:)]}.!?\"'’”" or token.endswith(("'s", "’s")):
        return False
    if not (token[0].isupper() or token[0].isdigit()):
        return False
    if token.casefold() in _CAP_OK:
        # a month can itself be part of a name: "Long March 5"
        return token in _MONTHS and _is_identifier(text, token_start)
    return True


def _month_ok(text: str, start: int, month: str, has_day_or_year: bool) -> bool:
    """A month name is a date unless it is part of a name ("Long March") or an ordinary word ("may")."""
    token = _prev_token(text, start)
    prev = token[0] if token else ""
    if prev and prev[0].isupper() and prev.casefold() not in _CAP_OK and prev[-1] not in ",;:)":
        return False  # "Long March 5", "Theresa May"
    if has_day_or_year or month not in _AMBIGUOUS_MONTHS:
        return True
    if start > 0 and text[start - 1] == "-":
        return True  # mid-May
    return prev.casefold() in {"in", "of", "since", "until", "by", "before", "after", "from", "through", "during",
                               "late", "early", "mid", "last", "next", "this", "between", "and", "or", "to",
                               "throughout", "till", "every", "each"}


def _noun_after(text: str, pos: int, plural: bool) -> tuple[str, int] | None:
    """The head noun of the phrase after a count, and where the phrase ends."""
    candidate: tuple[str, int] | None = None
    for _ in range(4):
        m = _WORD_RE.match(text, pos)
        if not m:
            break
        word = m.group(1)
        low = word.casefold()
        if low in _STOP:
            break
        if word[0].isupper() or word.isupper():  # "40 Starlink satellites", "three ISR satellites"
            pos = m.end()
            continue
        if low.endswith(("ed", "ing")) or low.endswith("ly"):
            if candidate:
                break
            pos = m.end()
            continue
        is_plural = low in _IRREGULAR_PLURALS or (low.endswith("s") and not low.endswith(("ss", "us", "is")))
        if plural and is_plural:
            return word, m.end()
        if not plural:
            if is_plural:
                break  # "one knows", "one says": a pronoun and its verb
            candidate = (word, m.end())
        pos = m.end()
    return candidate


# --------------------------------------------------------------------------- passes


class _Found:
    """A quantity under construction (frozen `Quantity` is built at the end)."""

    __slots__ = ("kind", "start", "end", "value", "currency", "unit_code", "unit_text", "bound", "qualifier",
                 "temporal", "unit", "group")

    def __init__(self, kind: QuantityKind, start: int, end: int, value: Decimal | None = None, *,
                 currency: str | None = None, unit_code: str | None = None, unit_text: str | None = None,
                 bound: str | None = None, qualifier: str | None = None, temporal: str | None = None) -> None:
        self.kind, self.start, self.end, self.value = kind, start, end, value
        self.currency, self.unit_code, self.unit_text = currency, unit_code, unit_text
        self.bound, self.qualifier, self.temporal = bound, qualifier, temporal
        self.unit: int | None = None  # which match (for ranges restated as ranges)
        self.group: int | None = None


def _range_items(text, m, kind, values, spans, *, can_range=True, **fields) -> list[_Found]:
    """One or two quantities from a match; a range ("1–2", "1 to 2", "between 1 and 2") gets min and max,
    an alternative ("X or Y", "X and Y") keeps the words in front of each figure."""
    items = [_Found(kind, s, e, v, **fields) for v, (s, e) in zip(values, spans)]
    if len(items) == 2 and can_range and _is_range(text, m, items[0].start):
        qualifier = _prefix(text, items[0].start, kind)[1]
        items[0].bound, items[1].bound = "min", "max"
        items[0].qualifier = items[1].qualifier = qualifier
    else:
        for it in items:
            it.bound, it.qualifier = _prefix(text, it.start, kind)
    return items


def _is_range(text: str, m: re.Match, start: int) -> bool:
    sep = m.group("sep").strip().casefold()
    before = _chain(text, start)[1]
    if sep == "to" and _word_before(text, before) == "from":
        # "rose from €7.2 billion to €7.7 billion" states a change, not a range
        from_at = text.rfind("from", 0, before)
        return _word_before(text, from_at) not in _CHANGE_VERBS
    if sep in ("-", "–", "—", "to", "through", "until"):
        return True
    return sep == "and" and _word_before(text, before) == "between"


def _fiscal(text: str, starts: list[int]):
    for m in _matches(_FISCAL_RE, text, starts):
        first, second = next((m.group(a), m.group(a + "2")) for a in "abcd" if m.group(a))
        if m.group("d") and int(second) != (int(first) + 1) % 100:
            continue  # "2025-27" is not a split fiscal year
        year = int(first)
        if len(first) == 2:
            year += 2000 if year < 70 else 1900
        end = m.end()
        if second and m.group("d") is None:
            nxt = int(second[-2:])
            if nxt != (year + 1) % 100:  # "FY2025-30": keep only the first year
                end = m.start(next(a for a in "abc" if m.group(a))) + len(first)
        bound, qualifier = _prefix(text, m.start(), QuantityKind.FISCAL_YEAR)
        yield [_Found(QuantityKind.FISCAL_YEAR, m.start(), end, Decimal(year), temporal=f"{year:04d}", bound=bound,
                      qualifier=qualifier)]


def _money_prefix(text: str, starts: list[int]):
    for m in _matches(_MONEY_PRE_RE, text, starts):
        c1 = _PREFIX_CODE[" ".join(m.group("c1").split())]
        if m.group("c1") in _GUARDED_PREFIX and not (m.group("l1") or m.group("s1")):
            continue  # "SAR 2" is a radar satellite, "SAR 2 billion" is money
        values = _pair(text, m, extra1=m.group("l1") or m.group("s1") or "",
                       extra2=m.group("l2") or m.group("s2") or "")
        if values is None:
            continue
        end1 = max(m.end("n1"), m.end("l1"), m.end("s1"))
        second_ok = len(values) == 2 and (
            m.group("c2") or m.group("l2") or m.group("s2") or m.group("sep").strip() in ("-", "–", "—", "to")
        ) and not (m.group("c2") in _GUARDED_PREFIX and not (m.group("l2") or m.group("s2")))
        trail = m.group("tc")
        if len(values) == 2 and second_ok:
            c2 = _PREFIX_CODE[" ".join(m.group("c2").split())] if m.group("c2") else c1
            end2 = m.end("tc") if trail and _SUFFIX_CODE.get(_key(trail)) == c2 else max(
                m.end("n2"), m.end("l2"), m.end("s2"))
            spans = [(m.start(), end1), (m.start("c2") if m.group("c2") else m.start("n2"), end2)]
            # "¥1 trillion to $7 billion" is no range
            items = _range_items(text, m, QuantityKind.MONEY, values, spans, can_range=c1 == c2)
            items[0].currency, items[1].currency = c1, c2
            yield items
        else:
            if not m.group("n2") and trail and _SUFFIX_CODE.get(_key(trail)) == c1:
                end1 = m.end("tc")
            bound, qualifier = _prefix(text, m.start(), QuantityKind.MONEY)
            yield [_Found(QuantityKind.MONEY, m.start(), end1, values[0], currency=c1, bound=bound,
                          qualifier=qualifier)]


def _key(surface: str) -> str:
    key = " ".join(surface.split())
    return key if key in _SUFFIX_CODE else key.casefold()


def _money_suffix(text: str, starts: list[int]):
    if not _MONEY_SUFFIX.may_occur(text):
        return
    for m in _matches(_MONEY_SUF_RE, text, starts):
        cur = _SUFFIX_CODE[_key(m.group("cur"))]
        c1 = _SUFFIX_CODE[_key(m.group("c1"))] if m.group("c1") else cur
        values = _pair(text, m)
        if values is None or not _money_words_ok(text, m, "n1", "c1" if m.group("c1") else "cur"):
            continue
        if len(values) == 2 and not _money_words_ok(text, m, "n2", "cur"):
            values = values[:1]
        if len(values) == 2:
            end1 = m.end("c1") if m.group("c1") else m.end("n1")
            items = _range_items(text, m, QuantityKind.MONEY, values, [(m.start(), end1), (m.start("n2"), m.end())],
                                 can_range=c1 == cur)
            items[0].currency, items[1].currency = c1, cur
            yield items
        elif m.group("c1"):  # "7 billion yen or 50 satellites": only the first is money
            bound, qualifier = _prefix(text, m.start(), QuantityKind.MONEY)
            yield [_Found(QuantityKind.MONEY, m.start(), m.end("c1"), values[0], currency=c1, bound=bound,
                          qualifier=qualifier)]
        elif not m.group("n2"):
            bound, qualifier = _prefix(text, m.start(), QuantityKind.MONEY)
            yield [_Found(QuantityKind.MONEY, m.start(), m.end(), values[0], currency=cur, bound=bound,
                          qualifier=qualifier)]


def _money_words_ok(text: str, m: re.Match, num: str, cur: str) -> bool:
    figure = m.group(num)
    parsed = _figure(figure)
    if parsed is None:
        return False
    value, trailing = parsed
    written = m.group(cur)
    word = " ".join(written.casefold().split())
    if trailing == _D1 and _YEAR_ONLY_RE.fullmatch(figure) and not written.isupper():
        return False  # "in 2020 dollars" is a year
    if word in _GUARDED:
        if trailing == _D1 and "," not in figure:
            return False  # "two real problems", "Japan won"
        if _GUARD_FOLLOW_RE.match(text, m.end(cur)):
            return False  # "2 billion won the contract"
    return True


def _percent(text: str, starts: list[int]):
    if not _PERCENT.may_occur(text):
        return
    for m in _matches(_PERCENT_RE, text, starts):
        values = _pair(text, m)
        if values is None:
            continue
        unit = " ".join(m.group("unit").casefold().split())
        unit_text = "percentage points" if unit.startswith("percentage") else None
        spans = [(m.start(), m.end("n1")), (m.start("n2"), m.end())] if len(values) == 2 else [(m.start(), m.end())]
        if len(values) == 2 and _OWN_PERCENT_RE.match(text, m.end("n1")):  # "2% to 3%"
            spans[0] = (m.start(), m.start("sep"))
        yield _range_items(text, m, QuantityKind.PERCENT, values, spans, unit_code="P1", unit_text=unit_text)


def _frequency(text: str, starts: list[int]):
    if not _FREQUENCY.may_occur(text):
        return
    for m in _matches(_FREQUENCY_RE, text, starts):
        if m.group("n3"):
            count, period, unit = _D1, _figure(m.group("n3")), m.group("u3")
        else:
            cnt = m.group("cnt").casefold()
            if cnt in ("once", "twice", "thrice"):
                count = Decimal({"once": 1, "twice": 2, "thrice": 3}[cnt])
            else:
                parsed = _figure(cnt.rsplit(None, 1)[0])
                if parsed is None:
                    continue
                count = parsed[0]
                if _is_identifier(text, m.start()):
                    continue
            if m.group("adv"):
                period, unit = None, _ADVERB_UNIT[m.group("adv").casefold()]
            elif m.group("u1"):
                period, unit = None, m.group("u1")
            else:
                n = m.group("n")
                period = (Decimal(2), _D1) if n and n.casefold() == "other" else (_figure(n) if n else None)
                unit = m.group("u2")
        unit = unit.casefold()
        if period is not None and period[0] != 1:
            unit_text = f"per {period[0]} {unit}s"
        else:
            unit_text = f"per {unit}"
        bound, qualifier = _prefix(text, m.start(), QuantityKind.FREQUENCY)
        yield [_Found(QuantityKind.FREQUENCY, m.start(), m.end(), count, unit_code=_UNIT_CODES[unit],
                      unit_text=unit_text, bound=bound, qualifier=qualifier)]


_VERB_VALUES: Final = {"doubl": 2, "tripl": 3, "quadrupl": 4, "quintupl": 5}


def _multiplier(text: str, starts: list[int]):
    if not _MULTIPLIER.may_occur(text):
        return
    for m in _matches(_MULTIPLIER_RE, text, starts):
        if m.group("verb"):
            if _NOT_PREFIX_DOUBLE_RE.match(text, m.end()):
                continue  # "doubles as", "doubled down", "double-digit"
            if m.group("suffix").casefold() == "e" and not _bare_double_ok(text, m):
                continue  # "double standard"
            values = [Decimal(_VERB_VALUES[m.group("verb").casefold()])]
            spans = [(m.start(), m.end())]
        elif m.group("twice"):
            values, spans = [Decimal(2)], [(m.start(), m.end())]
        else:
            group = next(g for g in ("n1", "fold", "x", "factor") if m.group(g))
            if group in ("n1", "x", "fold") and m.group(group)[0].isdigit() and _is_identifier(text, m.start()):
                continue
            if group == "n1":
                values = _pair(text, m)
                if values is None:
                    continue
                spans = [(m.start(), m.end("n1")), (m.start("n2"), m.end())] if len(values) == 2 else [
                    (m.start(), m.end())]
                yield _range_items(text, m, QuantityKind.MULTIPLIER, values, spans, unit_text="times")
                continue
            figure = m.group(group)
            parsed = _figure("one hundred" if figure.casefold() == "hundred" else figure)  # "hundredfold"
            if parsed is None:
                continue
            values, spans = [parsed[0]], [(m.start(), m.end())]
        bound, qualifier = _prefix(text, m.start(), QuantityKind.MULTIPLIER)
        yield [_Found(QuantityKind.MULTIPLIER, spans[0][0], spans[0][1], values[0], unit_text="times", bound=bound,
                      qualifier=qualifier)]


def _bare_double_ok(text: str, m: re.Match) -> bool:
    """ "double" / "triple" as a verb ("will double or triple"), not an adjective ("double standard")."""
    nxt = _NEXT_WORD_RE.match(text, m.end())
    if nxt and (not nxt.group(1) or not nxt.group(1)[0].isalpha() or nxt.group(1).casefold() in _BARE_DOUBLE_NEXT):
        return True
    return _word_before(text, m.start()) in _BARE_DOUBLE_PREV


def _month_number(name: str) -> int:
    return _MONTHS.get(name) or _MONTH_ABBR[name.rstrip(".")]


def _date(text: str, starts: list[int]):
    for m in _matches(_DATE_RE, text, starts):
        if m.group("iso"):
            temporal = m.group("iso")
        else:
            name = m.group("m1") or m.group("m2")
            day = m.group("d1") or m.group("d2")
            year = m.group("y1") or m.group("y2") or m.group("y3")
            if not _month_ok(text, m.start("m2") if m.group("m2") else m.start(), name.rstrip("."),
                             bool(day or year)):
                continue
            month = _month_number(name)
            if day and not 1 <= int(day) <= monthrange(int(year) if year else 2024, month)[1]:
                continue
            if year:
                temporal = f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else "")
            else:
                temporal = f"--{month:02d}" + (f"-{int(day):02d}" if day else "")
        bound, qualifier = _prefix(text, m.start(), QuantityKind.DATE)
        yield [_Found(QuantityKind.DATE, m.start(), m.end(), None, temporal=temporal, bound=bound,
                      qualifier=qualifier)]


def _duration(text: str, starts: list[int]):
    if not _DURATION.may_occur(text):
        return
    for m in _matches(_DURATION_RE, text, starts):
        if m.group("n1")[0].isdigit() and _is_identifier(text, m.start()):
            continue
        values = _pair(text, m)
        if values is None:
            continue
        unit = m.group("unit").casefold()
        spans = [(m.start(), m.end("n1")), (m.start("n2"), m.end())] if len(values) == 2 else [(m.start(), m.end())]
        yield _range_items(text, m, QuantityKind.DURATION, values, spans, unit_code=_UNIT_CODES[unit],
                           unit_text=unit + "s")


def _year(text: str, starts: list[int]):
    for m in _matches(_YEAR_RE, text, starts):
        start = m.start()
        bound = qualifier = None
        if start and text[start - 1] in "-‐":
            prefix = _hyphen_word(text, start)
            if prefix not in _HYPHEN_PREFIXES:
                continue
            bound = {"pre": "max", "post": "min"}.get(prefix)
            qualifier = None if bound else prefix
        elif _is_identifier(text, start):
            continue
        values = [Decimal(int(m.group("n1")))] + ([Decimal(int(m.group("n2")))] if m.group("n2") else [])
        spans = [(start, m.end("n1"))] + ([(m.start("n2"), m.end())] if m.group("n2") else [])
        items = _range_items(text, m, QuantityKind.YEAR, values, spans)
        for it in items:
            it.temporal = f"{int(cast(Decimal, it.value)):04d}"  # a year's figure is always read
        if bound or qualifier:
            items[0].bound, items[0].qualifier = bound or items[0].bound, qualifier or items[0].qualifier
        yield items


def _count(text: str, starts: list[int]):
    for m in _matches(_COUNT_RE, text, starts):
        if m.group("n1")[0].isdigit() and _is_identifier(text, m.start()):
            continue
        values = _pair(text, m)
        if values is None:
            continue
        if m.group("n1").casefold() == "one" and _word_before(text, m.start()) in _PRONOUN_ONE:
            continue  # "no one", "any one", "the one"
        noun = _noun_after(text, m.end(), plural=values[-1] != 1)
        if noun is None:
            continue
        word, end = noun
        if word.casefold() in _MEASURES:
            continue
        per = _PER_UNIT_RE.match(text, end)
        if per and len(values) == 1:  # "40 launches a year"
            unit = per.group("u").casefold()
            bound, qualifier = _prefix(text, m.start(), QuantityKind.FREQUENCY)
            yield [_Found(QuantityKind.FREQUENCY, m.start(), per.end(), values[0], unit_code=_UNIT_CODES[unit],
                          unit_text=f"{word} per {unit}", bound=bound, qualifier=qualifier)]
            continue
        spans = [(m.start(), m.end("n1")), (m.start("n2"), end)] if len(values) == 2 else [(m.start(), end)]
        yield _range_items(text, m, QuantityKind.COUNT, values, spans, unit_text=word)


# --------------------------------------------------------------------------- anchors
#
# Scanning every pattern over the whole sentence is slow in `re` (each position tries every
# number word). Instead the sentence's words (the one word set the cue tests share,
# `cues.sentence_words`) tell where a quantity can start (a figure, a number word, a currency
# sign, a month, "fiscal", "doubled"…) and each pattern is only tried there with `match`; a
# sentence without such a word or a figure costs one set intersection and one `search`.

_FIG, _FY, _MON, _MULT, _FREQ, _SCALE = 1, 2, 4, 8, 16, 32
_WORD_ANCHORS: Final[dict[str, int]] = {}


def _flag(words, flag: int) -> None:
    for w in words:
        _WORD_ANCHORS[w] = _WORD_ANCHORS.get(w, 0) | flag


_flag(list(_SMALL) + list(_TENS), _FIG)
_flag(["fy", "jfy", "fiscal"], _FY)
_flag([m.casefold() for m in list(_MONTHS) + list(_MONTH_ABBR)], _MON)
_flag(_MULTIPLIER_WORDS, _MULT)
_flag(["once", "twice", "thrice", "every"], _FREQ)
_flag(["hundred", "thousand", "million", "billion", "trillion", "lakh", "lakhs", "lac", "lacs", "crore", "crores",
       "dozen"], _SCALE)
_ANCHOR_WORDS: Final = frozenset(_WORD_ANCHORS)
# Each anchor word's position lists (of `_FIG`, `_FY`, `_MON`, `_MULT`, `_FREQ`), read once per word.
_WORD_LISTS: Final = {
    w: tuple(f for f in (_FIG, _FY, _MON, _MULT, _FREQ) if flags & f) for w, flags in _WORD_ANCHORS.items()}
_SIGNS: Final = "$€£¥₹₩₽₪₺₦₫"
_QUICK_RE: Final = re.compile(rf"[\d{_SIGNS}]")
# A run of digits not glued to a "," or "." before it (not the "000" of "1,000" nor the "5" of "2.5");
# written to start with `\d` so that `re` skips to each digit in C before testing what stands before it.
_DIGIT_RUN_RE: Final = re.compile(r"\d(?<![,.\d]\d)\d*")
_SIGN_RE: Final = re.compile(rf"[{_SIGNS}]")
_PREFIXES: Final = _CURRENCIES["prefix"] + _CURRENCIES["code"] + _CURRENCIES["guarded-prefix"]
# What may stand glued before a sign ("US" of "US$", "U.S." of "U.S.$", "US " of "US $").
_SIGN_LEADS: Final = sorted({s[:i] for s, _ in _PREFIXES for i, ch in enumerate(s) if ch in _SIGNS and i}, key=len)
# Currency prefixes made of letters only ("EUR", "Rs", "RMB"), by their lowercase form.
_CUR_BY_LOWER: Final[dict[str, list[str]]] = {}
for _surface, _ in _PREFIXES:
    _word = _surface.rstrip(".")
    if _word.isalpha():
        _CUR_BY_LOWER.setdefault(_word.lower(), []).append(_word)
_CUR_WORDS: Final = frozenset(w for words in _CUR_BY_LOWER.values() for w in words)
_CUR_LOWER: Final = frozenset(_CUR_BY_LOWER)  # a set, so intersecting walks the sentence's few words, not every code


def _anchors(text: str) -> dict[str, list[int]] | None:
    """Where each pass may find a quantity, or None when nothing in `text` can start one."""
    lower = text.lower()
    words = sentence_words(text)  # shared with the cue tests (one word list per sentence)
    hits = _ANCHOR_WORDS.intersection(words)
    if not hits and not _QUICK_RE.search(text):
        return None
    if len(lower) != len(text):  # lowercasing moved the offsets ("İ"): read token by token
        return _anchors_by_token(text)
    lists: dict[int, list[int]] = {_FIG: [], _FY: [], _MON: [], _MULT: [], _FREQ: []}
    for word in hits:
        flags = _WORD_ANCHORS[word]
        targets = [lists[flag] for flag in _WORD_LISTS[word]]
        size = len(word)
        pos = lower.find(word)
        while pos >= 0:
            end = pos + size
            if (pos == 0 or not lower[pos - 1].isalpha()) and (end == len(lower) or not lower[end].isalpha()):
                for found in targets:
                    found.append(pos)
                if flags & _SCALE:  # "a trillion", "half a billion"
                    prev = _prev_word(lower, pos)
                    if prev and prev[0] in ("a", "an", "half"):
                        lists[_FIG].append(prev[1])
                        prev2 = _prev_word(lower, prev[1])
                        if prev[0] != "half" and prev2 and prev2[0] == "half":
                            lists[_FIG].append(prev2[1])
            pos = lower.find(word, pos + 1)
    digits: list[int] = []
    years: list[int] = []
    for m in _DIGIT_RUN_RE.finditer(text):
        pos, end = m.span()
        digits.append(pos)
        if end - pos == 4:
            years.append(pos)
    cur = []
    for m in _SIGN_RE.finditer(text):
        pos = m.start()
        cur.append(pos)
        for lead in _SIGN_LEADS:
            if text.startswith(lead, pos - len(lead), pos):
                cur.append(pos - len(lead))
    for word in words.intersection(_CUR_LOWER):
        for tok in _CUR_BY_LOWER[word]:
            size = len(tok)
            pos = text.find(tok)
            while pos >= 0:
                end = pos + size
                if (pos == 0 or not text[pos - 1].isalpha()) and (end == len(text) or not text[end].isalpha()):
                    cur.append(pos)
                pos = text.find(tok, pos + 1)
    return _by_pass(lists[_FIG], digits, years, sorted(set(cur)), lists[_FY], lists[_MON], lists[_MULT],
                    lists[_FREQ])


def _prev_word(lower: str, pos: int) -> tuple[str, int] | None:
    j = pos
    while j > 0 and lower[j - 1].isspace():
        j -= 1
    if j == pos:
        return None
    i = j
    while i > 0 and lower[i - 1].isalpha():
        i -= 1
    return (lower[i:j], i) if i < j else None


def _by_pass(figures, digits, years, cur, fiscal, months, mult, freq) -> dict[str, list[int]]:
    numbers = sorted(digits + figures)
    return {
        "fiscal": sorted(fiscal + years), "cur": cur, "num": numbers, "freq": sorted(freq + numbers),
        "mult": sorted(mult + numbers), "date": sorted(months + digits), "year": years,
    }


_TOKEN_RE: Final = re.compile(rf"[A-Za-z]+|\d+|[{_SIGNS}]")


def _anchors_by_token(text: str) -> dict[str, list[int]]:
    """`_anchors` for the rare text whose lowercase form has other offsets: one token at a time."""
    figures: list[int] = []
    digits: list[int] = []
    years: list[int] = []
    cur: list[int] = []
    fiscal: list[int] = []
    months: list[int] = []
    mult: list[int] = []
    freq: list[int] = []
    prev = prev2 = ("", 0)
    for m in _TOKEN_RE.finditer(text):
        tok, pos = m.group(), m.start()
        if tok[0].isdigit():
            if pos == 0 or text[pos - 1] not in ",.":
                digits.append(pos)
                if len(tok) == 4:
                    years.append(pos)
            prev = prev2 = ("", 0)
            continue
        if not tok[0].isalpha():
            cur.append(pos)
            cur.extend(pos - len(lead) for lead in _SIGN_LEADS if text.startswith(lead, pos - len(lead), pos))
            prev = prev2 = ("", 0)
            continue
        if tok in _CUR_WORDS:
            cur.append(pos)
        low = tok.lower()
        flags = _WORD_ANCHORS.get(low, 0)
        if flags:
            for flag, found in ((_FIG, figures), (_FY, fiscal), (_MON, months), (_MULT, mult), (_FREQ, freq)):
                if flags & flag:
                    found.append(pos)
            if flags & _SCALE and prev[0] in ("a", "an", "half"):
                figures.append(prev[1])
                if prev2[0] == "half":
                    figures.append(prev2[1])
        prev2, prev = prev, (low, pos)
    return _by_pass(figures, digits, years, sorted(set(cur)), fiscal, months, mult, freq)


def _matches(rx: re.Pattern, text: str, starts: list[int]):
    """Like `rx.finditer(text)`, but only trying the anchor positions."""
    last = -1
    for pos in starts:
        if pos >= last:
            m = rx.match(text, pos)
            if m:
                last = m.end()
                yield m


_PASSES: Final = ((_fiscal, "fiscal"), (_money_prefix, "cur"), (_money_suffix, "num"), (_percent, "num"),
                  (_frequency, "freq"), (_multiplier, "mult"), (_date, "date"), (_duration, "num"), (_year, "year"),
                  (_count, "num"))


# --------------------------------------------------------------------------- restatements


def _group_restatements(text: str, money: list[_Found]) -> None:
    """Give amounts that restate one another in another currency the same group number."""
    units: list[list[_Found]] = []  # a lone amount, or the two ends of a range
    for q in money:
        if units and units[-1][0].unit == q.unit:
            units[-1].append(q)
        else:
            units.append([q])
    next_group = 1
    chain: list[list[_Found]] | None = None
    in_parens = False
    for prev, cur in zip(units, units[1:]):
        gap = text[prev[-1].end:_chain(text, cur[0].start)[1]]
        marker = _RESTATE_GAP_RE.fullmatch(gap) if len(gap) <= 40 else None
        listed = bool(chain is not None and in_parens and _LIST_GAP_RE.fullmatch(gap))
        # "₹5,000 crore, roughly $600 million": a comma and a softened amount in another currency
        listed = listed or bool(_COMMA_GAP_RE.fullmatch(gap) and cur[0].qualifier in _RESTATE_QUALIFIERS)
        currencies = {q.currency for unit in (chain or [prev]) for q in unit}
        if (marker or listed) and cur[0].currency not in currencies and len(cur) == len(prev):
            if chain is None:
                chain = [prev]
                in_parens = marker is not None and marker.group("marker") in ("(", "[")
            chain.append(cur)
        else:
            next_group = _close(chain, next_group)
            chain, in_parens = None, False
    _close(chain, next_group)


def _close(chain: list[list[_Found]] | None, next_group: int) -> int:
    if chain:
        for i in range(len(chain[0])):
            for unit in chain:
                unit[i].group = next_group
            next_group += 1
    return next_group


# --------------------------------------------------------------------------- entry point


def extract_quantities(text: str) -> list[Quantity]:
    """Every quantity stated in `text`, sorted by start offset (see the module docstring)."""
    anchors = _anchors(text)
    if anchors is None:
        return []
    _chain.cache_clear()  # a memo for this sentence only (bound words are read several times)
    found: list[_Found] = []
    claimed = bytearray(len(text))  # 1 where an earlier quantity lies
    unit = 0
    for find, key in _PASSES:
        starts = anchors[key]
        if found:  # an anchor inside a span an earlier pass took starts nothing
            starts = [p for p in starts if not claimed[p]]
        if not starts:
            continue
        for items in find(text, starts):
            lo, hi = items[0].start, items[-1].end
            if claimed.find(1, lo, hi) >= 0:
                continue
            claimed[lo:hi] = b"\x01" * (hi - lo)
            is_range = len(items) == 2 and items[0].bound == "min" and items[1].bound == "max"
            for it in items:
                if it is items[0] or not is_range:
                    unit += 1
                it.unit = unit  # the two ends of a range are one unit when restated
            found.extend(items)
    found.sort(key=lambda q: q.start)
    money = [q for q in found if q.kind is QuantityKind.MONEY]
    if len(money) > 1:
        _group_restatements(text, money)
    return [Quantity(kind=q.kind, start=q.start, end=q.end, surface=text[q.start:q.end], value=q.value,
                     currency=q.currency, unit_code=q.unit_code, unit_text=q.unit_text,
                     bound=cast('Literal["min", "max"] | None', q.bound),
                     qualifier=q.qualifier, temporal=q.temporal, group=q.group) for q in found]
