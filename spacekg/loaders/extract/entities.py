"""Entity mentions: known names from the gazetteer, resolved in the record's context.

A record is read twice. The first pass (`RecordContext.scan`) learns what the record
itself defines: which person holds which title. The second (`find_mentions`) maps every
name in a sentence to an entity, resolving an ambiguous name ("National Security Strategy"
of two countries) to the candidate whose country the sentence or record talks about.
"""

from __future__ import annotations

from typing import Final

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from spacekg.loaders.extract.discovery import Candidate, Known, acronym_definitions, discover, title_cue
from spacekg.loaders.extract.gazetteer import Gazetteer, NameMatch, Token, Tokens, tokenize
from spacekg.loaders.extract.quantities import extract_quantities
from spacekg.model import AssertionRecord, EntityClass, Mention, Quantity, QuantityKind, slugify
from spacekg.ontology import ReferenceEntity, reference_entities

__all__ = ["RecordContext", "default_gazetteer", "find_mentions"]


_new_known = tuple.__new__  # a `Known` for every name of every sentence: skip __new__'s Python frame


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer of the packaged reference entities plus every other country of the
    ISO 3166 list (pycountry), built once per process."""
    known = reference_entities()
    return Gazetteer((*known, *_listed_countries(known)))


def _listed_countries(known: Iterable[ReferenceEntity]) -> list[ReferenceEntity]:
    """ISO 3166 countries the reference data lacks, named as pycountry names them."""
    import pycountry

    taken = {n.casefold() for e in known for n in (e.label, *e.alt_labels, *e.acronyms)}
    listed = []
    for c in pycountry.countries:
        label = getattr(c, "common_name", None) or c.name
        names = {label, c.name, getattr(c, "official_name", None) or label}
        if names & {n for n in names if n.casefold() in taken} or "," in label:
            continue
        listed.append(ReferenceEntity(key=slugify(label), iri="", label=label, cls=EntityClass.COUNTRY,
                                      alt_labels=tuple(sorted(n for n in names - {label} if "," not in n)),
                                      minted=True, source="ISO 3166 country list (pycountry)"))
    return listed


def _titles_in(text: str) -> list[re.Match[str]]:
    """The capitalised titles of ``titles.tsv`` written in `text` ("Prime Minister",
    "Director-General"); a lowercase role ("engineer") is no title a record refers back to."""
    return [t for t in title_cue().finditer(text) if t.group()[:1].isupper()]


def _norm_title(title: str) -> str:
    return " ".join(title.replace("-", " ").casefold().split())


@dataclass
class RecordContext:
    """What a record says about itself, used to resolve names in each of its sentences:
    the entities it introduces, the acronyms it defines, who holds which title."""

    gazetteer: Gazetteer
    title_holders: dict[str, set[str]] = field(default_factory=dict)  # normalised title → person keys
    country_weight: Counter = field(default_factory=Counter)  # country key → mentions in the record
    quantities: dict[str, list[Quantity]] = field(default_factory=dict)  # sentence → its quantities
    tokens: dict[str, Tokens] = field(default_factory=dict)  # sentence → its tokens
    matches: dict[str, list[NameMatch]] = field(default_factory=dict)  # sentence → names, record layer included
    titles: dict[str, list[re.Match[str]]] = field(default_factory=dict)  # sentence → its capitalised titles
    reasons: dict[str, str] = field(default_factory=dict)  # minted key → why it was minted

    @classmethod
    def scan(cls, record: AssertionRecord, gazetteer: Gazetteer | None = None) -> RecordContext:
        base = gazetteer or default_gazetteer()
        context = cls(base)
        texts = [t for t in (record.summary, *(a.text for a in record.assertions)) if t]
        minted: dict[str, ReferenceEntity] = {}
        names: list[tuple[str, str, str]] = []
        record_text = "\n".join(texts)
        base_matches: dict[str, list[NameMatch]] = {}
        entities = base.entities
        for text in texts:
            quantities = context.quantities.setdefault(text, extract_quantities(text))
            tokens = context.tokens.setdefault(text, tokenize(text))
            matches = base_matches[text] = base.find(tokens)
            known = [_new_known(Known, (m.start, m.end, entities[m.keys[0]].cls, m.kind)) for m in matches]
            spans: list[tuple[int, int, str]] = [(m.start, m.end, m.keys[0]) for m in matches if len(m.keys) == 1]
            for c in discover(text, known, [(q.start, q.end) for q in quantities], record_text):
                key = slugify(c.label)
                if key in base.entities or base.lookup(c.label):
                    continue  # a known entity written differently: not a new one
                if key not in minted:
                    minted[key] = _minted_entity(key, c)
                    context.reasons[key] = c.reason
                elif c.acronym and c.acronym not in minted[key].acronyms:
                    minted[key] = replace(minted[key], acronyms=(*minted[key].acronyms, c.acronym))
                spans.append((c.start, c.end, key))
            for acronym, key in acronym_definitions(text, spans):
                names.append((acronym, key, "acronym"))  # the record's own definition wins
        context.gazetteer = base.extended(minted.values(), names + _surnames(minted.values(), base))
        entities = context.gazetteer.entities
        for text in texts:
            matches = context.matches[text] = context.gazetteer.find(context.tokens[text], below=base_matches[text])
            for m in matches:
                if len(m.keys) == 1 and entities[m.keys[0]].cls is EntityClass.COUNTRY:
                    context.country_weight[m.keys[0]] += 1
            context.titles[text] = _titles_in(text)
            for title, person in _titled_people(text, matches, context.gazetteer, context.titles[text]):
                context.title_holders.setdefault(_norm_title(title), set()).add(person)
        return context

    def entity(self, key: str) -> ReferenceEntity:
        return self.gazetteer.entities[key]

    def holder_of(self, title: str) -> str | None:
        holders = self.title_holders.get(_norm_title(title), set())
        return next(iter(holders)) if len(holders) == 1 else None


def _minted_entity(key: str, c: Candidate) -> ReferenceEntity:
    return ReferenceEntity(key=key, iri="", label=c.label, cls=c.cls,
                           acronyms=(c.acronym,) if c.acronym else (), minted=True)


_SURNAME_PARTICLES: Final = frozenset(
    {"al", "el", "bin", "ibn", "van", "von", "de", "da", "di", "du", "le", "la", "dos"})


def _surnames(entities: Iterable[ReferenceEntity], base: Gazetteer) -> list[tuple[str, str, str]]:
    """A new person's surname refers to them later in the record, when no one else shares it."""
    by_surname: dict[str, list[str]] = {}
    for e in entities:
        parts = e.label.split()
        if e.cls is not EntityClass.PERSON or len(parts) < 2:
            continue
        # "Yoon Young-bin", "Park Min-seo": a hyphenated given name comes last, the family name first;
        # "Mariam Al Suwaidi", "Ursula von der Leyen": the family name starts at its particle
        particle = next((i for i, p in enumerate(parts[1:-1], start=1) if p.casefold() in _SURNAME_PARTICLES), None)
        if re.fullmatch(r"[A-Z][a-z]+-[a-z]+", parts[-1]):
            surnames = [parts[0]]
        elif particle is not None:
            surnames = [" ".join(parts[particle:]), parts[-1]]
        else:
            surnames = [parts[-1]]
        for surname in surnames:
            if not base.lookup(surname):
                by_surname.setdefault(surname, []).append(e.key)
    return [(name, keys[0], "name") for name, keys in by_surname.items() if len(keys) == 1]


@cache
def _capability_words() -> frozenset[str]:
    """Words that start a capability's name (a closed list in the reference data): only
    phrases holding one can nest a capability."""
    return frozenset(t.text for e in default_gazetteer().entities.values() if e.cls is EntityClass.CAPABILITY
                     for name in (e.label, *e.alt_labels, *e.acronyms) for t in tokenize(name)[:1])


def _titled_people(text: str, matches: list[NameMatch], gazetteer: Gazetteer, titles: list[re.Match[str]]):
    """(title, person key) for each "Title Name" in the text whose name is a known person."""
    starts = {m.start: m for m in matches}
    for t in titles:
        after = t.end()
        while after < len(text) and text[after] == " ":
            after += 1
        m = starts.get(after)
        if m and len(m.keys) == 1 and gazetteer.entities[m.keys[0]].cls is EntityClass.PERSON:
            yield t.group(), m.keys[0]


def _resolve(match: NameMatch, sentence_countries: set[str], context: RecordContext) -> str | None:
    """Pick one entity for an ambiguous name: the candidate whose country the sentence
    mentions, else the one whose country the record mentions most; else give up."""
    if len(match.keys) == 1:
        return match.keys[0]
    by_country = [k for k in match.keys if context.entity(k).country in sentence_countries]
    if len(by_country) == 1:
        return by_country[0]
    weights = {k: context.country_weight.get(context.entity(k).country or "", 0) for k in match.keys}
    best = max(weights.values())
    top = [k for k, w in weights.items() if w == best]
    return top[0] if best > 0 and len(top) == 1 else None


def _mention(context: RecordContext, key: str, text: str, start: int, end: int, reason: str,
             form: str = "name") -> Mention:
    e = context.entity(key)
    if e.minted:
        reason = context.reasons.get(key) or e.source or "defined in the record"
    return Mention(key=key, label=e.label, cls=e.cls, start=start, end=end, surface=text[start:end],
                   known=not e.minted, reason=reason, form=form)


# what tells a bare title ("the Prime Minister") from one before a name or an "of"
_NAME_AFTER: Final = re.compile(r"\s+(?:[A-Z]\.\s*)*[A-Z][\w'’-]")
_OF_AFTER: Final = re.compile(r"\s+of\b")
_THE_BEFORE: Final = re.compile(r"\bthe$", re.IGNORECASE)


def find_mentions(text: str, context: RecordContext, tokens: Sequence[Token] | None = None) -> list[Mention]:
    """Every entity mention in `text`, in text order, each with its span and the reason."""
    if tokens is None:
        tokens = context.tokens[text] if text in context.tokens else tokenize(text)
    elif not isinstance(tokens, Tokens):
        tokens = Tokens.of(tokens)
    gazetteer = context.gazetteer
    matches = context.matches.get(text)
    if matches is None:
        matches = gazetteer.find(tokens)
    countries = {
        m.keys[0] for m in matches if len(m.keys) == 1 and context.entity(m.keys[0]).cls is EntityClass.COUNTRY
    }
    mentions: list[Mention] = []
    covered: list[tuple[int, int]] = []
    amounts = [(q.start, q.end) for q in context.quantities.get(text, ()) if q.kind is QuantityKind.MONEY]
    for m in matches:
        key = _resolve(m, countries, context)
        if key is None or amounts and any(s < m.end and m.start < e for s, e in amounts):
            continue  # "US$65 million" names a currency, not the United States
        mentions.append(_mention(context, key, text, m.start, m.end, f"gazetteer {m.kind}", m.kind))
        covered.append((m.start, m.end))
        if m.last > m.first and not _capability_words().isdisjoint(tokens.words[m.first + 1:m.last + 1]) \
                and any(c.islower() for c in text[m.start:m.end]):
            # a descriptive phrase ("PFI-based ISR procurement") also mentions the capabilities it names
            for inner in gazetteer.find_inside(tokens, m):
                if len(inner.keys) == 1 and context.entity(inner.keys[0]).cls is EntityClass.CAPABILITY:
                    mentions.append(_mention(context, inner.keys[0], text, inner.start, inner.end, "nested capability"))
    # a bare title ("the Prime Minister's visit") refers to the one person the record names with it
    titles = context.titles.get(text)
    for t in titles if titles is not None else _titles_in(text):
        if any(s <= t.start() < e for s, e in covered):
            continue
        rest = text[t.end():]
        if _NAME_AFTER.match(rest) or _OF_AFTER.match(rest):
            continue  # "Prime Minister Someone" or "President of X": not a bare title
        before = text[:t.start()].rstrip()
        if not _THE_BEFORE.search(before):
            continue
        holder = context.holder_of(t.group())
        if holder:
            mentions.append(_mention(context, holder, text, t.start(), t.end(), f"bare title '{t.group()}'",
                                     "title"))
    mentions.sort(key=lambda x: (x.start, x.end))
    return mentions
