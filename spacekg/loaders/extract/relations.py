"""Facts between mentioned entities, and budgets, each evidenced by a span of the sentence.

Rules follow the annotation guidelines: a relation is extracted only when the sentence
itself states it — a title next to a name ("NASA Administrator Jared Isaacman"), an
affiliation ("a senior associate with X", "the former director … on Y"), a meeting verb
between two named actors ("met with", "held talks with"); a budget needs an amount, a
budget word and an identifiable holder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacekg.loaders.extract.discovery import title_pattern, titles
from spacekg.loaders.extract.entities import RecordContext
from spacekg.model import Budget, EntityClass, Fact, Mention, Quantity, QuantityKind

__all__ = ["find_budgets", "find_facts"]

_ACTORS = {EntityClass.PERSON, EntityClass.COUNTRY, EntityClass.ORGANIZATION, EntityClass.GOVERNMENT_BODY,
           EntityClass.COMPANY}
_ORGS = {EntityClass.ORGANIZATION, EntityClass.GOVERNMENT_BODY, EntityClass.COMPANY}

_MEET = re.compile(r"(?i)\b(?:met|meets|meeting)\s+(?:with\s+)?|\bheld\s+talks\s+with\b|\bhosted\b|\btalks\s+with\b")
_LEADS = re.compile(r"(?i),?\s*who\s+(?:leads|heads|chairs|runs|directs)\s+(?:the\s+)?$")
_FORMER = re.compile(r"(?i)\b(?:former|formerly|previously|ex-|once served|used to)\b")
_AFFILIATION = re.compile(
    r"(?i)\b(?:with|at|of|on|for|in)\s+(?:the\s+)?$"
)
_BUDGET_WORD = re.compile(
    r"(?i)\b(?:budgets?|appropriations?|appropriated|allocat\w+|earmark\w*|funding|funded|fund\s+of|pledg\w+|"
    r"subscri\w+|spending|spends?|spent|invest(?:s|ed|ing|ment)?|outlays?|set\s+aside|committed)\b"
)
_NOT_BUDGET = re.compile(
    r"(?i)\b(?:cost|costs|costing|price[sd]?|contract|contracts|worth|valued|valuation|market|acquisition|"
    r"acquired|revenue|sales|deal)\b"
)


def _between(text: str, a: Mention, b: Mention) -> str:
    return text[a.end:b.start]


def _is(m: Mention, classes: Iterable[EntityClass]) -> bool:
    return m.cls in classes


def find_facts(text: str, mentions: list[Mention], context: RecordContext) -> list[Fact]:
    """headOf, memberOf, formerMemberOf and metWith facts stated in the sentence."""
    facts: list[Fact] = []
    people = [m for m in mentions if m.cls is EntityClass.PERSON]
    for person in people:
        facts.extend(_headship(text, person, mentions, context))
        facts.extend(_affiliations(text, person, mentions))
    facts.extend(_meetings(text, mentions))
    unique: dict[tuple[str, str, str], Fact] = {}
    for f in facts:
        if f.subject != f.object:
            unique.setdefault((f.subject, f.predicate, f.object), f)
    return list(unique.values())


def _title_before(text: str, start: int) -> re.Match[str] | None:
    """The title written right before position `start` ("NASA Administrator |Jared Isaacman")."""
    for t in title_pattern().finditer(text, max(0, start - 40), start):
        if not text[t.end():start].strip():
            return t
    return None


def _headship(text: str, person: Mention, mentions: list[Mention], context: RecordContext) -> list[Fact]:
    """headOf/memberOf from a title beside the name: "<Org> <Title> <Name>",
    "<Title> <Name> of <Org>", a country head's title alone ("Prime Minister X"), or
    "<Name>, who leads <Org>"."""
    facts = []
    t = _title_before(text, person.start)
    title = titles().get(t.group().casefold()) if t else None
    if t and title and title.role != "none":
        predicate = "org:headOf" if title.role == "head" else "org:memberOf"
        holders = _ORGS | ({EntityClass.COUNTRY} if title.scope == "country" else set())
        org = next((m for m in mentions if m.end <= t.start() and not text[m.end:t.start()].strip(" '’s")
                    and m.cls in holders), None)
        after = re.match(r"\s+of\s+(?:the\s+)?", text[person.end:])
        if org is None and after:
            org = next((m for m in mentions if m.start == person.end + after.end() and m.cls in holders), None)
        if org is not None:
            facts.append(Fact(person.key, predicate, org.key, min(org.start, t.start()), max(person.end, org.end)))
        elif title.scope == "country" and title.role == "head":
            country = context.entity(person.key).country
            if country:
                facts.append(Fact(person.key, predicate, country, t.start(), person.end))
    for m in mentions:  # "X, who leads the Y"
        if m.start > person.end and _is(m, _ORGS) and _LEADS.search(text[person.end:m.start]):
            facts.append(Fact(person.key, "org:headOf", m.key, person.start, m.end))
    return facts


def _clauses_after(text: str, person: Mention) -> list[tuple[int, int]]:
    """The predicate of "X is the former director of … and a senior associate with …",
    split into its coordinated parts."""
    rest = text[person.end:]
    lead = re.match(r"(?i)\s*(?:,\s*|\s+(?:is|was|has\s+been|had\s+been|became|serves\s+as|served\s+as)\s+)", rest)
    if not lead:
        return []
    start = person.end + lead.end()
    end_match = re.search(r"[.;]\s|[.;]$|,\s+(?:who|which|and\s+(?:he|she|they))\b", text[start:])
    end = start + end_match.start() if end_match else len(text)
    parts, cursor = [], start
    for sep in re.finditer(r",?\s+and\s+(?=(?:a|an|the|former|previously|now|currently)\b)", text[start:end]):
        parts.append((cursor, start + sep.start()))
        cursor = start + sep.end()
    parts.append((cursor, end))
    return parts


def _affiliations(text: str, person: Mention, mentions: list[Mention]) -> list[Fact]:
    facts = []
    for start, end in _clauses_after(text, person):
        clause = text[start:end]
        if not re.match(r"(?i)(?:a|an|the|former|previously|now|currently|once)\b", clause):
            continue
        orgs = [m for m in mentions if start <= m.start and m.end <= end and _is(m, _ORGS)]
        for org in orgs[:1]:
            predicate = "skg:formerMemberOf" if _FORMER.search(clause) else "org:memberOf"
            facts.append(Fact(person.key, predicate, org.key, start, org.end))
    # "previously served at X" / "an engineer at X" anywhere after the person
    for m in mentions:
        if m.start > person.end and _is(m, _ORGS):
            gap = text[person.end:m.start]
            if re.search(r"(?i)\bpreviously\s+(?:served|worked)\s+(?:at|with|for|in)\s+(?:the\s+)?$", gap):
                facts.append(Fact(person.key, "skg:formerMemberOf", m.key, person.start, m.end))
    return facts


def _meetings(text: str, mentions: list[Mention]) -> list[Fact]:
    facts = []
    actors = [m for m in mentions if _is(m, _ACTORS)]
    for verb in _MEET.finditer(text):
        left = [m for m in actors if m.end <= verb.start()]
        right = [m for m in actors if m.start >= verb.end()]
        if not left or not right:
            continue
        a, b = left[-1], right[0]
        # the actor right after the verb; skip "met with U.S. counterparts" (no named actor)
        if re.search(r"[.;]", text[verb.end():b.start]) or len(text[verb.end():b.start].split()) > 2:
            continue
        subject = _subject_of(text, left, verb.start())
        facts.append(Fact(subject.key, "skg:metWith", b.key, subject.start, b.end))
    return facts


def _subject_of(text: str, left: list[Mention], verb_start: int) -> Mention:
    """The actor heading the clause before the verb: the first of a title-name chain."""
    subject = left[-1]
    for m in reversed(left[:-1]):
        if re.search(r"[,;]|\b(?:and|with|while)\b", text[m.end:subject.start]):
            break
        if m.cls is EntityClass.PERSON or subject.cls is not EntityClass.PERSON:
            subject = m
    return subject


def find_budgets(text: str, mentions: list[Mention], quantities: list[Quantity], context: RecordContext) -> list[Budget]:
    """One budget per stated amount (restatements in another currency join it) when the
    sentence names a budget-like allocation and who holds it."""
    money = [i for i, q in enumerate(quantities) if q.kind is QuantityKind.MONEY]
    if not money:
        return []
    word = _BUDGET_WORD.search(text)
    if not word:
        return []
    first_money = quantities[money[0]].start
    if _NOT_BUDGET.search(text[:first_money]) and not _BUDGET_WORD.search(text[:first_money]):
        return []
    holder = _budget_holder(text, mentions, word.start())
    if holder is None:
        return []
    fiscal = next((q.temporal for q in quantities if q.kind is QuantityKind.FISCAL_YEAR and q.temporal), None)
    if fiscal is None:
        year = next((q for q in quantities if q.kind is QuantityKind.YEAR and q.temporal
                     and re.match(r"\s*(?:budget|appropriation|spending)", text[q.end:], re.I)), None)
        fiscal = year.temporal if year else None
    purpose = _purpose(text, mentions, word.end())
    groups: dict[object, list[int]] = {}
    for i in money:
        q = quantities[i]
        groups.setdefault(q.group if q.group is not None else ("solo", i), []).append(i)
    budgets = []
    for indexes in groups.values():
        qs = [quantities[i] for i in indexes]
        budgets.append(Budget(holder=holder.key, amounts=tuple(indexes), fiscal_year=(fiscal or "")[:4] or None,
                              purpose=purpose.key if purpose else None,
                              start=min(holder.start, word.start(), *(q.start for q in qs)),
                              end=max(holder.end, word.end(), *(q.end for q in qs))))
    return budgets


def _budget_holder(text: str, mentions: list[Mention], word_start: int) -> Mention | None:
    actors = [m for m in mentions if _is(m, _ACTORS - {EntityClass.PERSON})]
    if not actors:
        return None
    # "Japan's … budget", "the ESA budget": the actor standing before the budget word in its clause
    before = [m for m in actors if m.end <= word_start and not re.search(r"[;]|\bwhile\b", text[m.end:word_start])]
    possessive = [m for m in before if re.match(r"['’]s?\b", text[m.end:])]
    if possessive:
        return possessive[0]
    if before:
        return before[0]
    # "a budget of $X for NASA" / "allocated $X to ISRO"
    after = [m for m in actors if m.start > word_start and re.search(r"\b(?:to|for)\s+(?:the\s+)?$", text[:m.start])]
    return after[0] if after else None


def _purpose(text: str, mentions: list[Mention], word_end: int) -> Mention | None:
    for m in mentions:
        if m.start >= word_end and m.cls in (EntityClass.CAPABILITY, EntityClass.PROGRAM):
            if re.search(r"\b(?:for|on|to)\s+(?:the\s+)?(?:\w+\s+){0,3}$", text[word_end:m.start]):
                return m
    return None
