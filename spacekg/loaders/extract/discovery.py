"""Entities the ontology does not know: proper names found in the text and typed by evidence.

A name is a run of capitalised words ("Korea AeroSpace Administration", "Skyroot
Aerospace", "Director-General Ahmed Khan") outside the names the gazetteer already knows
and outside stated quantities. Its class comes, in order, from: a title before it (a
person), the word it ends or starts with (``name_heads.tsv``: "… Agency" is a government
body, "… Aerospace" a company, "… Strategy" a policy document), the common noun written
beside it ("the Gaganyaan mission", "startup Skyroot"), or a person cue after it ("X, a
senior associate…", "X said"). A name with no such evidence is not minted.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacekg.model import EntityClass

__all__ = ["Candidate", "Title", "acronym_definitions", "discover", "name_heads", "title_pattern", "titles"]


@dataclass(frozen=True, slots=True)
class Title:
    text: str
    role: str  # head, member or none
    scope: str  # country or organization


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proper name the text supports as an entity of class `cls`."""

    label: str
    cls: EntityClass
    start: int
    end: int
    reason: str
    acronym: str | None = None


def _read_tsv(name: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t"))


@cache
def titles() -> dict[str, Title]:
    """Titles by their casefolded text (``titles.tsv``)."""
    return {row["title"].casefold(): Title(row["title"], row["role"], row["scope"]) for row in _read_tsv("titles.tsv")}


@cache
def name_heads() -> dict[tuple[str, ...], EntityClass]:
    """Head words of names by casefolded word tuple (``name_heads.tsv``)."""
    return {tuple(row["head"].casefold().split()): EntityClass(row["class"]) for row in _read_tsv("name_heads.tsv")}


@cache
def title_pattern() -> re.Pattern[str]:
    """Any title of ``titles.tsv`` as a whole word."""
    alternatives = sorted((re.escape(t.text) for t in titles().values()), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")


# A word: "U.S." abbreviations, or letters/digits with inner hyphens and apostrophes ("Jae-myung").
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Z]\.(?=\s)|[\w’']+(?:[-‐][\w’']+)*")
_CONNECTORS = frozenset({"of", "for", "on", "de", "du", "des", "the", "and", "&"})
# Capitalised only because they open a sentence or are generic: never the start of a name.
_NOT_NAME_START = frozenset("""
a an the this that these those there their its it his her our we they he she i in on at by for with
while although after before during despite since both all most some many such other each every any
no not yet but and or if as when where which who what how why also however meanwhile moreover
private public cooperation budgets budget space experts expert officials new recent
""".split())
_LOWER_SUFFIXES = re.compile(r"(?i)-(?:based|built|led|made|funded|owned|related|focused|backed|class|style|era|"
                             r"level|wide|anchored|made|sized|specific|centric|run|developed|designed|launched)$")
_COMPANY_NOUN = r"(?:start-?up|company|firm|manufacturer|operator|provider|maker|contractor|venture|integrator)"
_PROGRAM_NOUN = (r"(?:mission|missions|rocket|launcher|satellite|satellites|spacecraft|lander|rover|probe|program|"
                 r"programme|constellation|telescope|module|capsule|vehicle|initiative|project)")
_PERSON_AFTER = re.compile(
    r"""^(?:\s*,\s*(?:a|an|the|who|now|currently|formerly|previously|its|his|her)\b
        | \s+(?:is|was|has|had)\s+(?:been\s+)?(?:a|an|the|also|now|currently|formerly|previously|named)\b
        | \s+(?:said|says|told|noted|argued|added|stated|met|visited|announced|warned|emphasi[sz]ed|stressed|
               believes|thinks|explained|observed|led|leads|heads|chairs|joined|previously|formerly)\b)""",
    re.VERBOSE,
)
_ACRONYM = r"[A-Z][A-Za-z0-9&\-]{1,11}"
_DEFINED_AFTER = re.compile(rf"^\s*\(\s*(?P<acr>{_ACRONYM})\s*\)")


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    start: int
    end: int

    @property
    def capitalised(self) -> bool:
        w = self.text
        return w[:1].isupper() and not _LOWER_SUFFIXES.search(w)


def _words(text: str) -> list[_Word]:
    return [_Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def _chunks(text: str, words: list[_Word], blocked: list[tuple[int, int]]) -> Iterable[list[_Word]]:
    """Maximal runs of capitalised words joined by single spaces (and inner connectors)."""

    def free(w: _Word) -> bool:
        return not any(s < w.end and w.start < e for s, e in blocked)

    run: list[_Word] = []
    pending: list[_Word] = []  # connectors waiting for a capitalised word
    for i, w in enumerate(words):
        gap = text[words[i - 1].end:w.start] if i else ""
        joined = bool(run) and gap.strip() == "" and "\n" not in gap
        if not free(w) or (not joined and run):
            if run:
                yield run
            run, pending = [], []
            if not free(w):
                continue
        if w.capitalised or (run and not pending and re.fullmatch(r"\d{1,2}|[IVX]{1,4}", w.text)):
            run.extend(pending)
            pending = []
            run.append(w)
        elif run and w.text.casefold() in _CONNECTORS and w.text.islower():
            if w.text == "and" and not any(x.text in ("of", "for") for x in run):
                yield run
                run, pending = [], []
            else:
                pending.append(w)
        else:
            if run:
                yield run
            run, pending = [], []
    if run:
        yield run


def _head_class(names: list[str]) -> tuple[EntityClass | None, str]:
    heads = name_heads()
    folded = [n.casefold().rstrip(".") for n in names]
    for n in (3, 2, 1):  # longest head first, at the end of the name
        if len(folded) > n - 1 and tuple(folded[-n:]) in heads and len(folded) > n:
            return heads[tuple(folded[-n:])], " ".join(names[-n:])
    if len(folded) >= 3 and folded[1] in ("of", "for", "on"):  # "Ministry of …", "Partnership for …"
        if (folded[0],) in heads:
            return heads[(folded[0],)], names[0]
    return None, ""


def _strip_title(chunk: list[_Word]) -> tuple[Title | None, list[_Word]]:
    """Split "Director-General Ahmed Khan" into its title and the name."""
    table = titles()
    for n in (4, 3, 2, 1):
        if len(chunk) > n:
            t = table.get(" ".join(w.text for w in chunk[:n]).casefold())
            if t is None:
                t = table.get(" ".join(w.text for w in chunk[:n]).casefold().replace("-", " "))
            if t:
                return t, chunk[n:]
    return None, chunk


def _looks_like_name(words: list[_Word]) -> bool:
    return 1 <= len(words) <= 4 and all(re.fullmatch(r"[A-Z][\w’'-]*\.?|[A-Z]\.", w.text) for w in words) and \
        words[0].text.casefold() not in _NOT_NAME_START and (words[-1].text,) != ("'s",)


def discover(text: str, blocked: list[tuple[int, int]]) -> list[Candidate]:
    """Candidate entities in `text` outside the `blocked` spans (known names, quantities)."""
    words = _words(text)
    found: list[Candidate] = []
    title_re = title_pattern()
    for chunk in _chunks(text, words, blocked):
        while chunk and chunk[0].text.casefold() in _NOT_NAME_START:
            chunk = chunk[1:]
        while chunk and chunk[-1].text in _CONNECTORS:
            chunk = chunk[:-1]
        if not chunk:
            continue
        start, end = chunk[0].start, chunk[-1].end
        label = text[start:end]
        after, before = text[end:], text[:start]
        acronym = _DEFINED_AFTER.match(after)
        title, rest = _strip_title(chunk)
        lower_title = re.search(r"(?:^|\s)(?P<t>[a-z]+)\s+$", before)
        if title is not None and rest and _looks_like_name(rest):
            found.append(Candidate(text[rest[0].start:end], EntityClass.PERSON, rest[0].start, end,
                                   f"title '{title.text}' before a name"))
            continue
        if title is not None and not rest:
            continue  # a bare title: resolved against the record's named holders
        cls, head = _head_class([w.text for w in chunk])
        if cls is not None:
            found.append(Candidate(label, cls, start, end, f"name ends/starts with '{head}'",
                                   acronym.group("acr") if acronym else None))
            continue
        following = re.match(rf"^\s+(?P<n>{_COMPANY_NOUN}|{_PROGRAM_NOUN})\b", after, re.IGNORECASE)
        preceding = re.search(rf"\b(?P<n>{_COMPANY_NOUN}|{_PROGRAM_NOUN})\s+$", before, re.IGNORECASE)
        noun = (following or preceding)
        if noun and len(chunk) <= 4:
            kind = EntityClass.COMPANY if re.fullmatch(_COMPANY_NOUN, noun.group("n"), re.I) else EntityClass.PROGRAM
            found.append(Candidate(label, kind, start, end, f"named beside '{noun.group('n')}'",
                                   acronym.group("acr") if acronym else None))
            continue
        if lower_title and titles().get(lower_title.group("t")) and _looks_like_name(chunk):
            found.append(Candidate(label, EntityClass.PERSON, start, end,
                                   f"role '{lower_title.group('t')}' before a name"))
            continue
        if len(chunk) >= 2 and _looks_like_name(chunk) and (_PERSON_AFTER.match(after) or re.search(
                r"(?i)\b(?:by|according\s+to)\s+$", before)) and not title_re.fullmatch(label):
            found.append(Candidate(label, EntityClass.PERSON, start, end, "person cue around a full name"))
    return found


def acronym_definitions(text: str, spans: Iterable[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """(acronym, entity key) for "Long Name (ACR)" and "ACR (Long Name)" around known spans."""
    pairs = []
    for start, end, key in spans:
        m = _DEFINED_AFTER.match(text[end:])
        if m:
            pairs.append((m.group("acr"), key))
        before = re.search(rf"(?P<acr>{_ACRONYM})\s*\(\s*(?:the\s+)?$", text[:start])
        if before and text[end:].lstrip().startswith(")"):
            pairs.append((before.group("acr"), key))
    return pairs

