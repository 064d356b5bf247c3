"""Facts between mentioned entities, and budgets, each evidenced by a span of the sentence.

Rules follow the annotation guidelines: a relation is extracted only when the sentence
itself states it —

* a title beside a name (``titles.tsv``): "NASA Administrator Jared Isaacman",
  "Director-General Kazeki of the …", "Prime Minister Takaichi" (a country's head whose
  country the reference data knows), "KARI senior researcher Park" (member);
* what follows a name, clause by clause: "X, who heads Y, is a career officer of Z",
  "X is the former director … on Y and a senior associate with Z", "X, an engineer at Y,
  previously served at Z", "X has led Y since 2022";
* a meeting verb between two named actors ("met with", "held talks with"); a meeting with
  unnamed "officials" or "counterparts" gives nothing;
* a budget: an amount, a budget word (budget, allocation, funding, subscribed, raised,
  received…) and a holder — the possessor ("Japan's … budget", "Britain's MOD will spend"),
  the subject of the amount's clause, or "(€3.6 billion)" right after an actor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Final, cast

from spacekg.loaders.extract.cues import Caseless, Cue, sentence_words
from spacekg.loaders.extract.discovery import Title, title_pattern, titles
from spacekg.loaders.extract.entities import RecordContext
from spacekg.loaders.extract.polarity import negation_positions
from spacekg.loaders.extract.tables import read_table
from spacekg.model import ACTOR_CLASSES, Budget, EntityClass, Fact, Mention, Quantity, QuantityKind

__all__ = ["find_budgets", "find_facts"]

_ORGS: Final = frozenset({EntityClass.ORGANIZATION, EntityClass.GOVERNMENT_BODY, EntityClass.COMPANY})
_ACTORS: Final = ACTOR_CLASSES

_MEET: Final = Cue(re.compile(r"(?i)\b(?:met|meets|meeting)(?:\s+with)?\s+|\bheld\s+talks\s+with\s+|\btalks\s+with\s+|"
                              r"\bhosted\s+|\bsat\s+down\s+with\s+"), "met meets meeting talks hosted sat".split())
_UNNAMED: Final = re.compile(
    r"(?i)^\s*(?:officials|counterparts|representatives|delegations?|staff|leaders|officers)\b")
_FORMER: Final = re.compile(r"(?i)\b(?:former|formerly|previously|ex-|once|until\s+recently|earlier)\b")
_LEAD_VERB: Final = re.compile(
    r"(?i)\b(?:leads|led|heads|headed|chairs|chaired|runs|ran|directs|directed)\s+(?:the\s+)?$")
_ROLE: Final = re.compile(r"(?i)\b(?:a|an|the|as|served|worked|works|joined|member|officer|official)\b")
# A clause after a name continues the description of that person when it opens like this.
_DESCRIBES: Final = re.compile(
    r"(?i)^(?:who|a|an|the|former|formerly|previously|now|currently|once|also|is|was|has|had|served|worked|"
    r"leads|heads|led|headed|chairs|runs|senior|chief|deputy)\b"
)
_BUDGET_WORD: Final = Caseless(re.compile(
    r"\b(?:budgets?|appropriations?|appropriated|allocat\w+|earmark\w*|funding|funded|fund\s+of|pledg\w+|"
    r"subscri\w+|spending|spends?|spent|invest(?:s|ed|ing|ment)?|outlays?|set\s+aside|committed|contribut\w+|"
    r"share|raised|raises|raising|received|receives|receive|secured|granted)\b", re.IGNORECASE
))
_NOT_BUDGET: Final = Caseless(re.compile(
    r"\b(?:cost|costs|costing|price[sd]?|contract|contracts|worth|valued|valuation|market|acquisition|"
    r"acquired|revenue|sales|deal)\b", re.IGNORECASE
))
_CLAUSE_BREAK: Final = re.compile(r";|,\s+(?:while|whereas|but|and|with)\s+|\s+while\s+|\s+whereas\s+"
                                  r"|\b(?:said|says|argued|argues|noted|notes|added|told\s+\w+)\s+(?:that\s+)?")
# the holder of an allocation is who receives it: "allocation to the SSA", "a budget of $12 million for AfSA"
_ALLOCATION: Final = re.compile(
    r"(?i)\b(?:budgets?|allocations?|appropriations?|funding|grants?|allocated|appropriated|"
    r"granted|approved|earmarked)\b")


def _is(m: Mention, classes: Iterable[EntityClass]) -> bool:
    return m.cls in classes


@cache
def _head_titles() -> str:
    return "|".join(sorted((re.escape(t.text) for t in titles().values() if t.role == "head"), key=len, reverse=True))


@cache
def _head_of() -> re.Pattern[str]:
    """ "the chief executive of (the)", "as director at": a head title, then its organization."""
    return re.compile(rf"(?i)(?:^|\bthe\s+|\bas\s+)(?:[\w-]+\s+){{0,2}}?(?:{_head_titles()})\s+(?:of|at)\s+(?:the\s+)?$")


# the cues `_from_title` and `_from_description` read around a person, compiled once
_OF_AFTER: Final = re.compile(r"\s+of\s+(?:the\s+)?")
_ORG_TITLE_GAP: Final = re.compile(r"(?:['’]s)?\s+(?:[a-z][\w-]*\s+){0,2}")
_FORMER_BEFORE: Final = re.compile(r"(?i)\b(?:former|ex-)\s*$")
_SENTENCE_END: Final = re.compile(r"[.;](?:\s|$)")
_SEGMENT_BREAK: Final = re.compile(r",\s*|\s+and\s+(?=(?:a|an|the|former|previously|now|currently|is|was|has)\b)"
                                   r"|\s+(?=who\s)")
_OWNED_TITLE: Final = re.compile(r"['’]s?\s+(?:[\w-]+\s+){0,2}?(?P<t>[\w-]+(?:\s+[\w-]+)?)\s*$")
_SERVED_AT: Final = re.compile(r"(?i)^(?:who\s+)?(?:worked|served)\s+(?:at|with|for|in)\b")
_STOP: Final = re.compile(r"[.;]")
_PREPOSITION_END: Final = re.compile(r"(?i)\b(?:at|with|of|on|for|in)\s+(?:the\s+)?$")


@dataclass(frozen=True)
class _Verb:
    predicate: str
    active: re.Pattern[str]
    passive: re.Pattern[str] | None
    subject: frozenset[EntityClass]
    object: frozenset[EntityClass]
    forms: frozenset[str]  # every verb form as written in the table


def _classes(spec: str) -> frozenset[EntityClass]:
    out: set[EntityClass] = set()
    for name in spec.split("|"):
        out |= _ACTORS if name == "Actor" else {EntityClass(name)}
    return frozenset(out)


@cache
def relation_verbs() -> tuple[_Verb, ...]:
    """The verb table (``relation_verbs.tsv``), compiled once."""
    rows = read_table("relation_verbs.tsv")
    return tuple(
        _Verb(row["predicate"], re.compile(rf"\b(?:{row['active']})\b"),
              re.compile(rf"\b(?:is|are|was|were|been|being)\s+(?:\w+ly\s+)?(?:{row['passive']})\s+by\b")
              if row["passive"] else None,
              _classes(row["subject"]), _classes(row["object"]),
              frozenset(f.strip() for f in f"{row['active']}|{row['passive']}".split("|") if f.strip()))
        for row in rows
    )


def find_facts(text: str, mentions: list[Mention], context: RecordContext) -> list[Fact]:
    """Facts stated in the sentence: headOf, memberOf, formerMemberOf, metWith and the
    verb relations of ``relation_verbs.tsv``. A fact with a negation cue among its words
    ("X did not meet Y") is negated; other facts of the sentence are not."""
    facts: list[Fact] = []
    for person in (m for m in mentions if m.cls is EntityClass.PERSON):
        facts.extend(_from_title(text, person, mentions, context))
        facts.extend(_from_description(text, person, mentions))
    facts.extend(_meetings(text, mentions))
    facts.extend(_verb_relations(text, mentions))
    cues = negation_positions(text)
    unique: dict[tuple[str, str, str], Fact] = {}
    for f in facts:
        if f.subject != f.object:
            if any(f.start <= c < f.end for c in cues):
                f = replace(f, negated=True)
            unique.setdefault((f.subject, f.predicate, f.object), f)
    return list(unique.values())


_GAP: Final = re.compile(r"^[^,;:.()]*$")  # no clause punctuation between the verb and its arguments
_POSSESSIVE_GAP: Final = re.compile(r"['’]s?\s+")  # "Britain's | Ministry of Defence": the possessive between two names


@cache
def _verb_rows() -> dict[str, frozenset[int]]:
    """Rows of the verb table by the first word of each of their forms (auxiliaries aside):
    a sentence is scanned only for the verbs whose words it holds."""
    auxiliaries = {"is", "are", "was", "were", "will", "has", "have", "had", "be", "been"}
    rows: dict[str, set[int]] = {}
    for i, v in enumerate(relation_verbs()):
        for form in v.forms:
            rows.setdefault(next(w for w in form.split() if w not in auxiliaries), set()).add(i)
    return {word: frozenset(found) for word, found in rows.items()}


@cache
def _verb_words() -> frozenset[str]:
    """The words of `_verb_rows` as a set: a set intersects a sentence's words faster than a dict's keys."""
    return frozenset(_verb_rows())


@lru_cache(maxsize=256)  # one entry per set of verbs that occur together; few in practice
def _verb_scanners(rows: tuple[int, ...]) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """The active forms of these rows of the verb table in one pattern and the passive ones in
    another (group ``v<i>`` names the row), so a sentence is scanned twice, not twice per verb.
    A row left out cannot match: none of its words is in the sentence."""
    verbs = relation_verbs()
    active = "|".join(f"(?P<v{i}>{verbs[i].active.pattern})" for i in rows)
    passive = "|".join(f"(?P<v{i}>{p.pattern})" for i in rows if (p := verbs[i].passive) is not None)
    return re.compile(active), re.compile(passive) if passive else None


def _verb_relations(text: str, mentions: list[Mention]) -> list[Fact]:
    facts: list[Fact] = []
    if len(mentions) < 2:
        return facts
    words = sentence_words(text) & _verb_words()
    if not words:
        return facts
    rows = sorted(set().union(*map(_verb_rows().__getitem__, words)))
    verbs = relation_verbs()
    active, passive = _verb_scanners(tuple(rows))
    for v in active.finditer(text):
        verb = verbs[int(cast(str, v.lastgroup)[1:])]  # every alternative is a named group
        subject = next((m for m in reversed(mentions) if m.end <= v.start() and m.cls in verb.subject
                        and m.form != "demonym" and _GAP.match(text[m.end:v.start()])
                        and len(text[m.end:v.start()].split()) <= 5), None)
        obj = next((m for m in mentions if m.start >= v.end() and m.cls in verb.object
                    and _GAP.match(text[v.end():m.start]) and len(text[v.end():m.start].split()) <= 5), None)
        if subject and obj:
            facts.append(Fact(subject.key, verb.predicate, obj.key, subject.start, obj.end))
    for v in passive.finditer(text) if passive is not None else ():
        verb = verbs[int(cast(str, v.lastgroup)[1:])]  # every alternative is a named group
        obj = next((m for m in reversed(mentions) if m.end <= v.start() and m.cls in verb.object
                    and len(text[m.end:v.start()].split()) <= 12), None)
        subject = next((m for m in mentions if m.start >= v.end() and m.cls in verb.subject
                        and len(text[v.end():m.start].split()) <= 2), None)
        if subject and obj:
            facts.append(Fact(subject.key, verb.predicate, obj.key, obj.start, subject.end))
    return facts


def _title_before(text: str, start: int) -> re.Match[str] | None:
    """The title written right before position `start` ("NASA Administrator |Jared Isaacman")."""
    best = None
    for t in title_pattern().finditer(text, max(0, start - 40), start):
        if not text[t.end():start].strip():
            best = best if best is not None and best.start() < t.start() else t
    return best


def _from_title(text: str, person: Mention, mentions: list[Mention], context: RecordContext) -> list[Fact]:
    t = _title_before(text, person.start)
    title = titles().get(t.group().casefold()) if t else None
    if t is None:  # "Brian Weeden of the Secure World Foundation"
        of = _OF_AFTER.match(text[person.end:])
        org = next((m for m in mentions if of and m.start == person.end + of.end() and m.cls in _ORGS), None)
        return [Fact(person.key, "org:memberOf", org.key, person.start, org.end)] if org else []
    if title is None or title.role == "none":
        return []
    predicate = "org:headOf" if title.role == "head" else "org:memberOf"
    holders = _ORGS | ({EntityClass.COUNTRY} if title.scope == "country" else set())
    # "<Org> <Title> <Name>" (adjectives may stand between: "KARI senior researcher")
    org = next((m for m in reversed(mentions) if m.end <= t.start() and m.cls in holders
                and _ORG_TITLE_GAP.fullmatch(text[m.end:t.start()])), None)
    after = _OF_AFTER.match(text[person.end:])
    if org is None and after:  # "<Title> <Name> of <Org>"
        org = next((m for m in mentions if m.start == person.end + after.end() and m.cls in holders), None)
    if org is not None:
        if _FORMER_BEFORE.search(text[:org.start]):  # "former MBRSC engineer Hamad Al Kaabi"
            predicate = "skg:formerMemberOf"
        return [Fact(person.key, predicate, org.key, min(org.start, t.start()), max(person.end, org.end))]
    if title.scope == "country" and title.role == "head" and (country := context.entity(person.key).country):
        return [Fact(person.key, predicate, country, t.start(), person.end)]
    return []


def _title_in(phrase: str) -> Title | None:
    """The title a short phrase ends with ("chief executive", "senior engineer")."""
    words = phrase.casefold().split()
    for n in range(len(words), 0, -1):
        title = titles().get(" ".join(words[-n:]))
        if title is not None:
            return title
    return None


def _title_opening(segment: str) -> bool:
    """The clause opens with a title, in any case ("chair of the UAE Space Agency")."""
    words = segment.split()
    return any(_title_in(" ".join(words[:n])) is not None and " ".join(words[:n]).casefold() in titles()
               for n in (1, 2, 3))


def _segments(text: str, start: int) -> list[tuple[int, int]]:
    """The clauses after a name, up to the end of the sentence: split at commas, at
    semicolons and at "and" before a new description ("… and a senior associate …")."""
    end_match = _SENTENCE_END.search(text[start:])
    end = start + end_match.start() if end_match else len(text)
    cuts = [start]
    for sep in _SEGMENT_BREAK.finditer(text[start:end]):
        cuts.append(start + sep.start())
        cuts.append(start + sep.end())
    cuts.append(end)
    return [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]


def _from_description(text: str, person: Mention, mentions: list[Mention]) -> list[Fact]:
    facts = []
    heads = _head_of()
    for index, (s, e) in enumerate(_segments(text, person.end)):
        segment = text[s:e].strip()
        if not segment:
            continue
        opening = _DESCRIBES.match(segment) or _title_opening(segment)
        orgs = [m for m in mentions if s <= m.start and m.end <= e and m.cls in _ORGS]
        owned = orgs and orgs[0].start == s + (len(text[s:e]) - len(text[s:e].lstrip())) and _OWNED_TITLE.match(text[orgs[0].end:e])
        if owned:  # "Thabo Mokoena, SANSA's chief executive, …"
            title = _title_in(owned.group("t"))
            if title is not None and title.role != "none":
                facts.append(Fact(person.key, "org:headOf" if title.role == "head" else "org:memberOf",
                                  orgs[0].key, s, e))
            continue
        if not opening:
            if index == 0 and not text[person.end:s].strip():
                continue
            break
        if not orgs:
            continue
        org = orgs[0]
        before = text[s:org.start]
        # "previously served at X", "worked at X before joining": past employment
        former = bool(_FORMER.search(before)) or bool(_SERVED_AT.search(before.strip()))
        leads = _LEAD_VERB.search(before) or heads.search(before.strip() + " ")
        if leads:
            predicate = "skg:formerMemberOf" if former else "org:headOf"
        elif _ROLE.search(before) or _PREPOSITION_END.search(before):
            predicate = "skg:formerMemberOf" if former else "org:memberOf"
        else:
            continue
        facts.append(Fact(person.key, predicate, org.key, s, org.end))
    return facts


def _meetings(text: str, mentions: list[Mention]) -> list[Fact]:
    facts = []
    actors = None
    for verb in _MEET.finditer(text):
        if actors is None:
            actors = [m for m in mentions if _is(m, _ACTORS)]
        left = [m for m in actors if m.end <= verb.start() and not _STOP.search(text[m.end:verb.start()])]
        right = [m for m in actors if m.start >= verb.end() and not _STOP.search(text[verb.end():m.start])]
        if not left or not right:
            continue
        subject = next((m for m in left if m.cls is EntityClass.PERSON), left[0])
        person = next((m for m in right if m.cls is EntityClass.PERSON
                       and len(text[verb.end():m.start].split()) <= 8 and "," not in text[verb.end():m.start]), None)
        other = person or right[0]
        if person is None and (len(text[verb.end():other.start].split()) > 2 or _UNNAMED.match(text[other.end:])):
            continue  # "held talks with Brazilian Air Force officials": no named counterpart
        facts.append(Fact(subject.key, "skg:metWith", other.key, subject.start, other.end))
    return facts


def find_budgets(text: str, mentions: list[Mention], quantities: list[Quantity], context: RecordContext) -> list[Budget]:
    """One budget per stated amount (restatements in another currency join it) when the
    sentence names a budget-like allocation and who holds it."""
    money = [i for i, q in enumerate(quantities) if q.kind is QuantityKind.MONEY]
    word = _BUDGET_WORD.span(text) if money else None
    if word is None:
        return []
    word_start, word_end = word
    first_money = quantities[money[0]].start
    if _NOT_BUDGET.search(text[:first_money]) and not _BUDGET_WORD.search(text[:first_money]):
        return []
    fiscal = _fiscal_year(text, quantities)
    purpose = _purpose(text, mentions, word_end)
    groups: dict[object, list[int]] = {}
    for i in money:
        q = quantities[i]
        groups.setdefault(q.group if q.group is not None else ("solo", i), []).append(i)
    budgets = []
    for indexes in groups.values():
        qs = [quantities[i] for i in indexes]
        if any(_is_price(text, q) for q in qs):
            continue  # "a $1.2 billion contract", "will cost $175 billion": money, not a budget
        holder = _holder(text, mentions, qs[0])
        if holder is None:
            continue
        budgets.append(Budget(holder=holder.key, amounts=tuple(indexes), fiscal_year=fiscal,
                              purpose=purpose.key if purpose else None,
                              start=min(holder.start, word_start, *(q.start for q in qs)),
                              end=max(holder.end, word_end, *(q.end for q in qs))))
    return budgets


_PRICE_AFTER: Final = re.compile(
    r"\s*(?:\w+\s+){0,2}?(?:contracts?|deals?|orders?|market|acquisition|valuation|price|sale)\b",
    re.I)
_PRICE_BEFORE: Final = re.compile(r"(?i)\b(?:cost|costs|costing|worth|valued\s+at|priced\s+at|market\s+of|price\s+of|"
                                  r"contract\s+(?:worth|valued\s+at|of))\s+(?:\w+\s+){0,3}$")


def _is_price(text: str, amount: Quantity) -> bool:
    """The amount is a cost, price, contract value or market size, by the words beside it."""
    before = text[:amount.start]
    # the cue before holds at most six words ("contract valued at" and three more) and ends where
    # the amount starts: it is searched from the sixth word before on, not from every position
    words = before.rsplit(None, 6)
    near = len(words[0]) if len(words) == 7 else 0
    return bool(_PRICE_AFTER.match(text[amount.end:]) or _PRICE_BEFORE.search(before, near))


def _fiscal_year(text: str, quantities: list[Quantity]) -> str | None:
    fiscal = next((q.temporal for q in quantities if q.kind is QuantityKind.FISCAL_YEAR and q.temporal), None)
    if fiscal is None:  # "the 2026 budget", "ESA's budget for 2025"
        year = next((q for q in quantities if q.kind is QuantityKind.YEAR and q.temporal and (
            re.match(r"\s*(?:budget|appropriation|spending)", text[q.end:], re.I)
            or re.search(r"(?i)\b(?:budget|appropriation|spending)\s+(?:for|in)\s+$", text[:q.start]))), None)
        fiscal = year.temporal if year else None
    return fiscal[:4] if fiscal else None


_HOLDERS: Final = _ACTORS - {EntityClass.PERSON}
# "France (€3.6 billion)", "ESA, at about €7 billion": the actor right before the amount holds it
_RIGHT_BEFORE: Final = re.compile(r"\s*(?:\(|at|with|:)\s*(?:about|around|roughly|some|nearly|almost)?\s*")
_BUDGET_OWNER: Final = re.compile(
    r"['’]s?\s+(?:[\w-]+\s+){0,4}?(?:budgets?|allocation|appropriation|funding|spending|outlays?)\b")
_TO_BEFORE: Final = re.compile(r"(?i)\b(?:to|for)\s+(?:the\s+)?$")  # "allocated $X to (the) ISRO"


def _holder(text: str, mentions: list[Mention], amount: Quantity) -> Mention | None:
    """Who holds the amount: "France (€3.6 billion)"; else the possessor or subject of the
    amount's clause; a subject that only moves money to a program ("raised the funding for
    Gaganyaan") holds nothing."""
    # an adjective ("Indian space startups") describes something else; it holds nothing
    actors = [m for m in mentions if m.cls in _HOLDERS and m.form != "demonym"]
    right_before = next((m for m in actors if _RIGHT_BEFORE.fullmatch(text, m.end, amount.start)), None)
    if right_before:
        return right_before
    clause_start = max((b.end() for b in _CLAUSE_BREAK.finditer(text, 0, amount.start)), default=0)
    # "China's annual civil space budget", "CONAE's budget": the possessor of the budget noun
    owner = next((m for m in actors if clause_start <= m.start and _BUDGET_OWNER.match(text, m.end)), None)
    if owner:
        return owner
    if _ALLOCATION.search(text[clause_start:amount.end]):
        recipient = next((m for m in actors if m.start > clause_start and re.search(
            r"(?i)(?:\b(?:allocations?|budgets?|funding|appropriations?|grants?)\s+(?:\w+\s+)?(?:to|for)"
            r"|[\d)]\s*(?:\w+\s+){0,2}(?:to|for))\s+(?:the\s+)?$", text[max(clause_start, m.start - 60):m.start])),
            None)
        if recipient:
            return recipient
    in_clause = [m for m in actors if clause_start <= m.start and m.end <= amount.start]
    # "Britain's Ministry of Defence": the possessor modifies the actor after it
    in_clause = [m for m in in_clause if not ((gap := _POSSESSIVE_GAP.match(text, m.end))
                                              and any(o.start == gap.end() for o in in_clause))]
    if in_clause:
        holder = in_clause[0]
        program = next((m for m in mentions if m.start > holder.end and m.cls is EntityClass.PROGRAM), None)
        moves_money_to_program = program is not None and re.search(
            r"(?i)\b(?:funding|budget|money)\s+for\s+(?:the\s+)?$", text[holder.end:program.start])
        possessed = re.match(r"['’]s?\b", text[holder.end:])
        return None if moves_money_to_program and not possessed else holder
    # "a budget of $X for NASA" / "went to ESA's programmes" / "allocated $X to ISRO"
    after = [m for m in actors if m.start > amount.end and _TO_BEFORE.search(text, 0, m.start)]
    return after[0] if after else None


def _purpose(text: str, mentions: list[Mention], word_end: int) -> Mention | None:
    for m in mentions:
        if m.start >= word_end and m.cls in (EntityClass.CAPABILITY, EntityClass.PROGRAM):
            if re.search(r"\b(?:for|on|to)\s+(?:the\s+)?(?:\w+\s+){0,3}$", text[word_end:m.start]):
                return m
    return None
