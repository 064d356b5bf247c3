"""Entities the ontology does not know: proper names found in the text and typed by evidence.

A name is a run of capitalised words ("Korea AeroSpace Administration", "Skyroot
Aerospace", "Director-General Ahmed Khan"), split at titles and possessives. A run that the
reference entities already cover ("U.S. National Security Strategy" = United States + the
strategy) adds nothing; any other run becomes an entity only with evidence for its class,
tried in this order:

1. a title before it ("Administrator Yoon Young-bin") → a person;
2. the word the name is headed by (``name_heads.tsv``: "… Agency" a government body,
   "… Aerospace" a company, "Mission for …" a program); a country name or demonym in front
   is part of such an official name ("Indian Navy", "Japan Coast Guard");
3. a common noun beside it (``class_nouns.tsv``): an apposition ("Tyche, the first
   satellite …"), a noun after it ("the Gaganyaan mission"), a title implying its kind
   ("Innospace CEO …" → company); "a Bremen startup" makes Bremen a place;
4. coordination with an entity of known class ("Airbus and Safran", "SES, Eutelsat and
   Hispasat");
5. an affiliation ("an analyst at Euroconsult") → organization; a place preposition
   ("from Andøya", "in Tamil Nadu") → place;
6. a person cue after a full name ("X, a senior associate…", "X said").

A name with no such evidence is not minted: a missed entity costs less than a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final, NamedTuple

from spacekg.loaders.extract.cues import Cue
from spacekg.loaders.extract.gazetteer import pattern_words
from spacekg.loaders.extract.tables import read_table
from spacekg.model import EntityClass

__all__ = [
    "Candidate",
    "Known",
    "Title",
    "acronym_definitions",
    "class_nouns",
    "discover",
    "name_heads",
    "title_cue",
    "title_pattern",
    "titles",
]


@dataclass(frozen=True, slots=True)
class Title:
    text: str
    role: str  # head, member or none
    scope: str  # country or organization
    implies: EntityClass | None  # the class of an unknown organization right before the title


class Candidate(NamedTuple):
    """A proper name the text supports as an entity of class `cls` (a named tuple, like
    `Known`: cheap to build)."""

    label: str
    cls: EntityClass
    start: int
    end: int
    reason: str
    acronym: str | None = None


class Known(NamedTuple):
    """A span the gazetteer already resolved, with its class (used as context); a named tuple,
    built for every name of every sentence."""

    start: int
    end: int
    cls: EntityClass
    kind: str  # "name", "acronym" or "demonym"


@cache
def titles() -> dict[str, Title]:
    """Titles by their casefolded text (``titles.tsv``)."""
    return {
        row["title"].casefold(): Title(row["title"], row["role"], row["scope"],
                                       EntityClass(row["implies"]) if row.get("implies") else None)
        for row in read_table("titles.tsv")
    }


@cache
def name_heads() -> dict[tuple[str, ...], EntityClass]:
    """Head words of names by casefolded word tuple (``name_heads.tsv``)."""
    return {tuple(row["head"].casefold().split()): EntityClass(row["class"]) for row in read_table("name_heads.tsv")}


@cache
def class_nouns() -> dict[str, EntityClass]:
    """Common nouns that tell an unknown name's class (``class_nouns.tsv``)."""
    return {row["noun"]: EntityClass(row["class"]) for row in read_table("class_nouns.tsv")}


@cache
def title_pattern() -> re.Pattern[str]:
    """Any title of ``titles.tsv`` as a whole word (capitalised titles case-sensitively)."""
    return re.compile(rf"(?:{by_first_character(t.text for t in titles().values())})(?![\w-])")


def by_first_character(words: Iterable[str], *, whole_word: bool = True) -> str:
    """An alternation of `words` (longest first) grouped by first character:
    "P(?<![\\w-].)(?:resident|rime Minister)|…". With `whole_word`, no word is glued to a word
    character or hyphen before it. It matches what the flat alternation (after ``(?<![\\w-])``)
    does, but `re` reads a pattern opening with a choice of literal characters as a set to skip
    ahead to, and tries one group per position instead of every word (case-sensitive patterns only)."""
    groups: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    # the look-behind stands after the first character: it sees the one before the match
    guard = r"(?<![\w-].)" if whole_word else ""
    return "|".join(rf"{re.escape(first)}{guard}(?:{'|'.join(rest)})" for first, rest in groups.items())


@cache
def title_cue() -> Cue:
    """`title_pattern` with its triggers: the first word of every title."""
    return Cue(title_pattern(), (m.group() for t in titles().values() if (m := re.match(r"\w+", t.text))))


@cache
def _noun_pattern() -> str:
    """The class nouns, longest first, grouped by first character (see `by_first_character`):
    the cues search a name's surroundings for them at every position."""
    return by_first_character(class_nouns(), whole_word=False)


@cache
def _longest_noun() -> int:
    return max(map(len, class_nouns()))


@cache
def _noun_cues() -> dict[str, re.Pattern[str]]:
    """The patterns that find a class noun beside a name, compiled once (the noun list is long)."""
    nouns = _noun_pattern()
    return {
        # "Tyche, the first satellite …", "Orbex, Scotland's launch company"
        "appositive": re.compile(rf"^\s*,\s+(?:a|an|the|[A-Z][\w.-]*['’]s)\s+(?:[\w-]+\s+){{0,5}}?(?P<n>{nouns})\b"),
        "following": re.compile(rf"^\s+(?:[a-z][\w-]*\s+){{0,3}}?(?P<n>{nouns})\b"),  # "the Gaganyaan mission"
        "named": re.compile(rf"\b(?P<n>{nouns}),\s+$"),  # "its first satellite, Taifa-1, …"
        "preceding": re.compile(rf"\b(?P<n>{nouns})\s+$"),  # "the startup Skyroot"
        "copula": re.compile(rf"\s+(?:is|was|remains)\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,5}}?(?P<n>{nouns})\b"),
    }


# A word: "U.S." abbreviations, an initial ("V."), "&", or letters/digits with inner hyphens
# and apostrophes ("Jae-myung", "Chang'e").
# (Written, like the gazetteer's token pattern, so that a plain word costs `re` no repeat context:
# `(?:[A-Za-z]\.){2,}|[A-Z]\.(?=\s)|&|[\w’']+(?:[-‐][\w’']+)*` is what it matches.)
_WORD: Final = re.compile(r"[A-Za-z]\.(?:[A-Za-z]\.)+|[A-Z]\.(?=\s)|&|[\w’']++(?![-‐][\w’'])|[\w’']+(?:[-‐][\w’']+)*")
_CONNECTORS: Final = frozenset({"of", "for", "on", "de", "du", "des", "the", "and", "&", "la", "le", "del"})
# lowercase particles inside personal names ("Mohamed bin Zayed Al Nahyan", "Ursula von der Leyen")
_PARTICLES: Final = frozenset({"bin", "bint", "ibn", "al", "el", "van", "von", "der", "den", "da", "dos", "di", "du", "de", "la"})
_MONTHS: Final = ("january february march april may june july august september october november december "
                  "monday tuesday wednesday thursday friday saturday sunday").split()
# Capitalised only because they open a sentence or are generic: never the start of a name.
_NOT_NAME_START: Final = frozenset("""
a an the this that these those there their its it his her our we they he she i in on at by for with
while although after before during despite since both all most some many such other each every any
no not yet but and or if as when where which who what how why also however meanwhile moreover
experts expert officials new recent earlier later today
under over about around across between among within without through
""".split()) | frozenset(_MONTHS)
_LOWER_SUFFIXES: Final = re.compile(r"(?i)-(?:based|built|led|made|funded|owned|related|focused|backed|class|style|era|"
                                    r"level|wide|anchored|sized|specific|centric|run|developed|designed|launched)$")
_MONTH_SET: Final = frozenset(_MONTHS)
_NUMBERED: Final = re.compile(r"\d{1,2}[A-Z]?|[IVX]{1,4}")  # "Artemis 2", "Falcon 9B", "Artemis II"
_DIRECTIONS: Final = frozenset("northern southern eastern western central north south east west upper lower".split())
_POSSESSIVE: Final = re.compile(r"['’]s?$")
_PERSON_AFTER: Final = re.compile(
    r"""^(?:\s*,\s*(?:a|an|the|who|now|currently|formerly|previously|its|his|her)\b
        | \s+(?:is|was|has|had)\s+(?:been\s+)?(?:a|an|the|also|now|currently|formerly|previously|named)\b
        | \s+(?:said|says|told|noted|argued|added|stated|met|visited|announced|warned|emphasi[sz]ed|stressed|
               believes|thinks|explained|observed|led|leads|heads|chairs|joined|previously|formerly|held\s+talks)\b)""",
    re.VERBOSE,
)
_AFFILIATION_BEFORE: Final = re.compile(
    r"\b(?:analyst|engineer|fellow|researcher|official|director|scientist|associate|officer|advis[eo]r|professor|"
    r"member|employee|executive|economist|expert|partner|manager|spokesperson|consultant|lecturer|head|chief|"
    r"served|worked|works|work|joined)\s+(?:at|with|of|for|in)\s+(?:the\s+)?$"
)
_PLACE_BEFORE: Final = re.compile(r"\b(?:in|at|from|near|off|outside|inside)\s+$")
_ACRONYM: Final = r"[A-Z][A-Za-z0-9&\-]{1,11}"
_HAS_INNER_CAPITAL: Final = re.compile(r"(?<=\S)\s+\W*[A-Z]")
_OPENING_APPOSITION: Final = re.compile(r"\W*[A-Z]\w*[,(]")
_DEFINED_AFTER: Final = re.compile(rf"^\s*\(\s*(?P<acr>{_ACRONYM})\s*\)")
_DEFINED_BEFORE: Final = re.compile(rf"(?P<acr>{_ACRONYM})\s*\(\s*(?:the\s+)?$")
# the cues `_classify` reads around a name, compiled once
_MISSION_NUMBER: Final = re.compile(r"\d{1,3}[A-Z]?|[IVX]{1,4}")
_RELATIVE_AFTER: Final = re.compile(r"^\s*,\s+(?:who|which)")
_ARTICLE_BEFORE: Final = re.compile(r"\b(?:a|an)\s+$")
_COMPANY_AFTER: Final = re.compile(r"^\s+(?:start-?up|company|firm)\b")
_CLOSED_AFTER: Final = re.compile(r"^\s*(?:[,.;]|$)")
_ROLE_BEFORE: Final = re.compile(r"\b(?P<t>[a-z]+)\s+$")
_TITLE_AFTER: Final = re.compile(r"^\s*,\s+(?:(?:the|a|an|former)\s+|[A-Z][\w.&-]*['’]s\s+)?"
                                 r"(?P<t>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)?)")
_SOURCE_BEFORE: Final = re.compile(r"(?i)\b(?:by|according\s+to|with)\s+$")
_NAME_WORD: Final = re.compile(r"[A-Z][\w’'-]*\.?|[A-Z]\.")


class _Word(NamedTuple):
    text: str
    start: int
    end: int

    @property
    def capitalised(self) -> bool:
        w = self.text
        return (w[:1].isupper() or w == "&") and not ("-" in w and _LOWER_SUFFIXES.search(w))

    @property
    def possessive(self) -> bool:
        w = self.text  # ends with an apostrophe, or an apostrophe and "s" (`_POSSESSIVE`)
        return len(w) > 2 and (w[-1] in "'’" or (w[-1] == "s" and w[-2] in "'’"))


_new_word = tuple.__new__  # skip __new__'s Python frame
_JOINING: Final = _CONNECTORS | _PARTICLES


def _runs(text: str, blocked: Sequence[tuple[int, int]] = ()) -> Iterable[list[_Word]]:
    """Maximal runs of capitalised words joined by spaces and inner connectors; a
    possessive word ends its run; "of/for" names may continue over ", X and Y". Words that
    overlap a `blocked` span are left out.

    Only words that can be part of a run are looked at (capitalised, a figure, "&", a
    connector or particle): any other word ends the run it follows, and the gap before the
    next word looked at, which then holds it, ends the run just the same."""
    mask = None
    if blocked:
        mask = bytearray(len(text))  # 1 on every blocked character
        for s, e in blocked:
            mask[s:e] = b"\x01" * (e - s)
    run: list[_Word] = []
    pending: list[_Word] = []
    previous_end = 0
    for t, start, end in zip(*pattern_words(text, _WORD)):
        first = t[0]
        if first.islower():  # most words: one test, then the connectors
            if t not in _JOINING:
                continue
        elif not (first.isupper() or first.isdigit() or t == "&"):
            continue
        if mask is not None and mask.find(1, start, end) >= 0:
            continue
        w = _new_word(_Word, (t, start, end))
        if run:
            gap = text[previous_end:start]
            if not (gap == " " or (gap == ", " and any(x.text in ("of", "for") for x in run) and w.capitalised)):
                yield run
                run, pending = [], []
        previous_end = end
        # `w.capitalised` and `w.possessive`, inlined (this loop runs for every word looked at)
        name_word = (first.isupper() or t == "&") and not ("-" in t and _LOWER_SUFFIXES.search(t)) \
            and t.casefold() not in _MONTH_SET
        if name_word or (run and not pending and _NUMBERED.fullmatch(t)):
            run.extend(pending)
            pending = []
            run.append(w)
            if len(t) > 2 and (t[-1] in "'’" or (t[-1] == "s" and t[-2] in "'’")):
                yield run
                run = []
        elif run and t in _JOINING:
            pending.append(w)
        elif run:
            yield run
            run, pending = [], []
    if run:
        yield run


def _trim(run: list[_Word]) -> list[_Word]:
    while run and (run[0].text.casefold() in _NOT_NAME_START or run[0].text in _CONNECTORS
                   or run[0].text in _PARTICLES):
        run = run[1:]
    while run and (run[-1].text in _CONNECTORS or run[-1].text in _PARTICLES):
        run = run[:-1]
    return run


def _strip_possessive(word: _Word) -> _Word:
    m = _POSSESSIVE.search(word.text) if word.possessive else None
    return _Word(word.text[:m.start()], word.start, word.start + m.start()) if m else word


@cache
def _title_first_words() -> frozenset[str]:
    return frozenset(t.text.split()[0].split("-")[0].casefold() for t in titles().values())


def _split_at_title(run: list[_Word]) -> tuple[list[_Word], Title | None, list[_Word]]:
    """[organization words] [title] [name words]: "Gilmour Space CEO Adam Gilmour"."""
    table = titles()
    firsts = _title_first_words()
    for i in range(len(run)):
        if run[i].text.split("-")[0].casefold() not in firsts:
            continue
        for n in (4, 3, 2, 1):
            if i + n > len(run):
                continue
            text = " ".join(w.text for w in run[i:i + n])
            t = table.get(text.casefold()) or table.get(text.casefold().replace("-", " "))
            if t is None or not text[:1].isupper():
                continue
            rest = run[i + n:]
            if i == 0 and len(rest) == 1 and (rest[0].text.casefold(),) in name_heads():
                continue  # "General Dynamics": a name, not a title
            return run[:i], t, rest
    return run, None, []


def _head_class(names: list[str]) -> tuple[EntityClass | None, str]:
    """The class given by the head word: the last word, or the last word before "of/for/on"."""
    heads = name_heads()
    folded = [n.casefold().rstrip(".") for n in names]
    for i, word in enumerate(folded[1:], start=1):  # "Ministry of …", "Center for … Strategy"
        if word in ("of", "for", "on"):
            for n in (3, 2, 1):
                if i - n >= 0 and tuple(folded[i - n:i]) in heads:
                    return heads[tuple(folded[i - n:i])], " ".join(names[i - n:i])
            break
    for n in (3, 2, 1):  # longest head first, at the end of the name
        if len(folded) > n and tuple(folded[-n:]) in heads:
            return heads[tuple(folded[-n:])], " ".join(names[-n:])
    return None, ""


class _KnownSpans:
    """The gazetteer's spans of one sentence, with a memo of which word starts they cover."""

    __slots__ = ("spans", "inside")

    def __init__(self, known: Iterable[Known]) -> None:
        self.spans: list[Known] = list(known)
        self.inside: dict[int, bool] = {}


def _covered(words: list[_Word], known: _KnownSpans) -> bool:
    """Every word is a connector or lies inside one known span (memoised by the word's start)."""
    inside = known.inside
    for text, start, end in words:
        if text in _CONNECTORS:
            continue
        hit = inside.get(start)
        if hit is None:
            hit = False
            for k in known.spans:
                if k.start <= start and end <= k.end:  # a loop, not `any(…)`: no generator per word
                    hit = True
                    break
            inside[start] = hit
        if not hit:
            return False
    return True


def _country_prefix(words: list[_Word], known: list[Known]) -> bool:
    """The first words are a known country name or demonym ("Indian", "Japan")."""
    return any(k.start == words[0].start and k.cls is EntityClass.COUNTRY for k in known)


def _looks_like_name(words: list[_Word]) -> bool:
    named = [w for w in words if w.text not in _PARTICLES]
    return 1 <= len(named) <= 5 and all(_NAME_WORD.fullmatch(w.text) for w in named) and \
        words[0].text.casefold() not in _NOT_NAME_START and words[0].text not in _PARTICLES


def _noun_class(phrase: str) -> EntityClass | None:
    return class_nouns().get(phrase.casefold())


def discover(text: str, known: list[Known], blocked: Sequence[tuple[int, int]] = (),
             record_text: str = "") -> list[Candidate]:
    """Candidate entities in `text`; `known` are the gazetteer's spans, `blocked` spans
    (stated quantities) are never part of a name; `record_text` (the whole record) lets a
    defined acronym take its class from a sentence elsewhere ("DARC is a … program")."""
    if not _HAS_INNER_CAPITAL.search(text) and not _OPENING_APPOSITION.match(text):
        return []  # no capitalised word after the first, and no apposition after it: nothing to find
    spans = _KnownSpans(known)
    found: list[Candidate] = []
    nouns = _noun_pattern()
    for whole in _runs(text, blocked):
        for run in _split_coordination(_trim(whole)):
            _discover_run(text, run, spans, found, nouns, record_text)
    return found


def _split_coordination(run: list[_Word]) -> list[list[_Word]]:
    """ "Research and Development Agency" is one name (its head is after the "and");
    "Airbus and Safran" are two."""
    names = [w.text for w in run]
    if "and" not in names or _head_class(names)[0] is not None:
        return [run] if run else []
    parts: list[list[_Word]] = []
    current: list[_Word] = []
    for w in run:
        if w.text == "and":
            parts.append(_trim(current))
            current = []
        else:
            current.append(w)
    parts.append(_trim(current))
    return [p for p in parts if p]


def _discover_run(text: str, run: list[_Word], known: _KnownSpans, found: list[Candidate], nouns: str,
              record_text: str) -> None:
    """Add the candidates one run of capitalised words supports to `found`."""
    if _covered(run, known):
        return  # a known name (or several): nothing new
    run = [*run[:-1], _strip_possessive(run[-1])]
    before_org, title, name = _split_at_title(run)
    cut = next((i for i, w in enumerate(name) if w.text in ("of", "for", "at")), None)
    if title is not None and cut == 0:  # "Minister for Industry and Science Ed Husic": portfolio, then name
        tail = [w for w in name if w.text not in _CONNECTORS]
        name = tail[-2:] if len(tail) >= 3 and _looks_like_name(tail[-2:]) else []
    elif title is not None and cut:  # "Director-General Kazeki of the National Space Policy Secretariat"
        tail = _trim(name[cut:])
        name = name[:cut]
        candidate = _classify(text, tail, known, found, nouns, record_text) if tail else None
        if candidate is not None:
            found.append(candidate)
    if title is not None:
        if name and _looks_like_name(name) and not _covered(name, known):
            found.append(Candidate(_span(text, name), EntityClass.PERSON, name[0].start, name[-1].end,
                                   f"title '{title.text}' before a name"))
        if before_org and not _covered(before_org, known):
            cls = _head_class([w.text for w in before_org])[0] or title.implies
            if cls is not None and cls is not EntityClass.PERSON:
                found.append(Candidate(_span(text, before_org), cls, before_org[0].start, before_org[-1].end,
                                       f"written before the title '{title.text}'"))
        return
    person_of = _person_of_org(run)
    if person_of is not None:  # "Brian Weeden of the Secure World Foundation"
        name, org = person_of
        if not _covered(name, known):
            found.append(Candidate(_span(text, name), EntityClass.PERSON, name[0].start, name[-1].end,
                                   "a full name followed by 'of' an organization"))
        run = org
    candidate = _classify(text, run, known, found, nouns, record_text)
    if candidate is not None:
        found.append(candidate)


def _person_of_org(run: list[_Word]) -> tuple[list[_Word], list[_Word]] | None:
    """Split "First Last of the Some Foundation" into a person and an organization: the part
    before "of" has no head word and reads as a name, the part after has a head word."""
    cut = next((i for i, w in enumerate(run) if w.text == "of"), None)
    if cut is None or cut < 2:
        return None
    name, org = run[:cut], _trim(run[cut + 1:])
    if not org or _head_class([w.text for w in name])[0] or not _looks_like_name(name) or len(name) > 3:
        return None
    if (name[0].text.casefold(),) in name_heads() or not _head_class([w.text for w in org])[0]:
        return None
    return name, org


def _span(text: str, words: list[_Word]) -> str:
    return text[words[0].start:words[-1].end]


def _classify(text: str, run: list[_Word], known: _KnownSpans, found: list[Candidate],
              nouns: str, record_text: str) -> Candidate | None:
    if _covered(run, known):
        return None
    start, end = run[0].start, run[-1].end
    # the cues are within a few words of the name: look no further (the searches anchor at the ends)
    label, after, before = text[start:end], text[end:end + 160], text[max(0, start - 80):start]
    acronym = _DEFINED_AFTER.match(after)
    acr = acronym.group("acr") if acronym else None
    names = [w.text for w in run]

    def make(cls: EntityClass, reason: str, first: int = start) -> Candidate:
        return Candidate(text[first:end], cls, first, end, reason, acr)

    cls, head = _head_class(names)
    if cls is not None:
        return make(cls, f"headed by '{head}'")
    numbered = _MISSION_NUMBER.fullmatch(run[-1].text) and len(run) >= 2
    if numbered and any(k.start == start and k.end == run[-2].end and k.cls is EntityClass.PROGRAM for k in known.spans):
        return make(EntityClass.PROGRAM, f"a numbered mission of the program '{text[start:run[-2].end]}'")
    if run[0].text.casefold() in _DIRECTIONS and len(run) >= 2 and _covered(run[1:], known):
        return make(EntityClass.PLACE, f"direction '{run[0].text}' before a place")
    if _country_prefix(run, known.spans) or _covered(run[:1], known):
        return None  # a known name followed by unknown words, without a head: no evidence
    cues = _noun_cues()
    appositive = cues["appositive"].match(after)
    if appositive and (noun_cls := _noun_class(appositive.group("n"))) and not _RELATIVE_AFTER.match(after):
        return make(noun_cls, f"apposition '{appositive.group('n')}'")
    if len(run) == 1 and _ARTICLE_BEFORE.search(before, max(0, len(before.rstrip()) - 2)) \
            and _COMPANY_AFTER.match(after):  # "a Bremen startup": the article ends `before`
        return make(EntityClass.PLACE, "a place naming where a company is")
    following = cues["following"].match(after)
    if following and len(run) <= 3 and (noun_cls := _noun_class(following.group("n"))) is not None \
            and noun_cls is not EntityClass.PLACE \
            and following.group("n") != "group":
        return make(noun_cls, f"named before '{following.group('n')}'")
    # a noun ending `before` (before a comma and spaces) starts no earlier than the longest noun
    # from its end: the searches start there instead of trying every position of `before`
    tail = max(0, len(before.rstrip()) - _longest_noun() - 1)
    named = cues["named"].search(before, tail)
    if named and _CLOSED_AFTER.match(after) and (noun_cls := _noun_class(named.group("n"))):
        return make(noun_cls, f"named after '{named.group('n')},'")
    preceding = cues["preceding"].search(before, tail)
    if preceding and _noun_class(preceding.group("n")) is EntityClass.COMPANY:
        return make(EntityClass.COMPANY, f"named after '{preceding.group('n')}'")
    neighbour = _coordinated_class(text, start, end, known.spans, found)
    if neighbour is not None and len(run) <= 4:
        return make(neighbour, "listed with an entity of that class")
    # the cues below end where the name starts and hold at most three words ("analyst at the"):
    # they are searched from the fourth word before the name on, not from every position of `before`
    words = before.rsplit(None, 3)
    near = len(words[0]) if len(words) == 4 else 0
    role = _ROLE_BEFORE.search(before, near)
    if role and role.group("t") in titles() and _looks_like_name(run):  # "ESA astronaut Sophie Adenot"
        return make(EntityClass.PERSON, f"role '{role.group('t')}' before a name")
    if _AFFILIATION_BEFORE.search(before, near):
        return make(EntityClass.ORGANIZATION, "an affiliation 'at/with' it")
    if _PLACE_BEFORE.search(before, near) and len(run) <= 2 and not any(w.text.isupper() for w in run) \
            and not _PERSON_AFTER.match(after):
        return make(EntityClass.PLACE, "after a place preposition")
    titled = _TITLE_AFTER.match(after)
    title_after = titled and (titled.group("t").casefold() in titles()
                              or titled.group("t").split()[0].casefold() in titles())
    if len(run) >= 2 and _looks_like_name(run) and (
            _PERSON_AFTER.match(after) or title_after
            or _SOURCE_BEFORE.search(before, near)):
        return make(EntityClass.PERSON, "person cue around a full name")
    if acr:  # a defined acronym: its class may be stated elsewhere in the record
        copula = _copula(acr, record_text)
        if copula and (noun_cls := _noun_class(copula.group("n"))):
            return make(noun_cls, f"'{acr} is a … {copula.group('n')}'")
    return None


def _copula(acronym: str, record_text: str) -> re.Match[str] | None:
    """The first "ACR is a … <class noun>" in the record ("DARC is a … program"): found by
    looking for the acronym as a word, then matching the rest there (one pattern for all acronyms)."""
    pos = record_text.find(acronym)
    while pos >= 0:
        if pos == 0 or not _WORD_CHAR.match(record_text, pos - 1):
            m = _noun_cues()["copula"].match(record_text, pos + len(acronym))
            if m:
                return m
        pos = record_text.find(acronym, pos + 1)
    return None


_WORD_CHAR: Final = re.compile(r"\w")
_JOINER: Final = re.compile(r"\s+(?:and|or)\s+|,\s+(?:and|or)\s+")
_COMMA_GAP: Final = re.compile(r",\s+")
_LIST_TAIL: Final = re.compile(r"^(?:,\s+[A-Z][^,;.()]{0,60}?)*,?\s+(?:and|or)\s+[A-Z]")


def _coordinated_class(text: str, start: int, end: int, known: list[Known],
                       found: list[Candidate]) -> EntityClass | None:
    """The class of a known entity this name is listed with ("Airbus and Safran", "SES,
    Eutelsat and Hispasat"). A bare comma is a list only when an "and"/"or" closes it, so an
    apposition ("Thabo Mokoena, SANSA's chief executive") is not read as a list."""
    spans = [(k.start, k.end, k.cls) for k in known if k.kind != "demonym"] + [(c.start, c.end, c.cls) for c in found]
    for s, e, cls in spans:
        if cls in (EntityClass.COUNTRY, EntityClass.CAPABILITY, EntityClass.PERSON):
            continue
        # both gaps open with a comma or a space: test that before cutting the gap out
        if e < start and (text[e] == "," or text[e].isspace()) and (_JOINER.fullmatch(text, e, start) or (
                _COMMA_GAP.fullmatch(text, e, start) and _LIST_TAIL.match(text[end:]))):
            return cls
        if s > end and (text[end] == "," or text[end].isspace()) and (_JOINER.fullmatch(text, end, s) or (
                _COMMA_GAP.fullmatch(text, end, s) and _LIST_TAIL.match(text[end:]))):
            return cls
    return None


def acronym_definitions(text: str, spans: Iterable[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """(acronym, entity key) for "Long Name (ACR)" and "ACR (Long Name)" around known spans."""
    pairs: list[tuple[str, str]] = []
    if "(" not in text:  # both forms need a parenthesis
        return pairs
    for start, end, key in spans:
        m = _DEFINED_AFTER.match(text[end:])
        if m:
            pairs.append((m.group("acr"), key))
        if text[end:].lstrip().startswith(")"):
            before = _DEFINED_BEFORE.search(text[:start])
            if before:
                pairs.append((before.group("acr"), key))
    return pairs
