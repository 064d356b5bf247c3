"""Plain data passed along the pipeline: records → assertions → extractions.

The loader fills `AssertionRecord`/`Assertion`; the extraction stages fill an
`Extraction`; the writer (``spacekg.graph.writer``) alone turns these into RDF. Nothing
here knows about RDF terms, so every stage stays a small pure function that is easy to test.
All character offsets are Python string indices into ``Assertion.text`` (end exclusive).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Literal

__all__ = [
    "ACTOR_CLASSES",
    "Assertion",
    "AssertionRecord",
    "Budget",
    "EntityClass",
    "Extraction",
    "Fact",
    "Issue",
    "Mention",
    "Modality",
    "Quantity",
    "QuantityKind",
    "slugify",
]


class EntityClass(str, Enum):
    """The ontology classes an entity mention can be typed with (local names in ``skg:``)."""

    COUNTRY = "Country"
    GOVERNMENT_BODY = "GovernmentBody"
    COMPANY = "Company"
    ORGANIZATION = "Organization"
    PERSON = "Person"
    PROGRAM = "Program"
    POLICY_DOCUMENT = "PolicyDocument"
    FORUM = "Forum"
    CAPABILITY = "Capability"
    PLACE = "Place"


# The classes below skg:Actor in the ontology (a test holds the two together).
ACTOR_CLASSES = frozenset({EntityClass.COUNTRY, EntityClass.GOVERNMENT_BODY, EntityClass.COMPANY,
                           EntityClass.ORGANIZATION, EntityClass.PERSON})


class Modality(str, Enum):
    """How strongly an assertion commits to its claim (SPEC §3, local names in ``skg:``)."""

    STATED = "Stated"
    HEDGED = "Hedged"
    ANTICIPATED = "Anticipated"
    PRESCRIPTIVE = "Prescriptive"


@dataclass(frozen=True, slots=True)
class Assertion:
    """One assertion line: its text without list markup, its rank, and where it came from."""

    text: str
    rank: int
    line: int  # 1-based line number in the source file (row number for CSV/JSONL)
    start: int = 0  # character offset of `text` within its source line
    record: str = ""  # the record's name (file stem, or the `record` column)


@dataclass(frozen=True, slots=True)
class AssertionRecord:
    """A parsed record: summary prose plus its ranked assertions."""

    name: str  # stable record name (file stem or `record` column); the record IRI derives from it
    source: str  # file name or URL, kept as dcterms:source
    summary: str
    assertions: tuple[Assertion, ...]
    title: str | None = None


class QuantityKind(str, Enum):
    MONEY = "money"
    PERCENT = "percent"
    MULTIPLIER = "multiplier"
    COUNT = "count"
    FREQUENCY = "frequency"
    DURATION = "duration"
    YEAR = "year"
    FISCAL_YEAR = "fiscal_year"
    DATE = "date"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A quantity stated in an assertion, with its surface text and span.

    ``value`` always holds the stated figure in units (a trillion yen → 1e12); a bound
    ("over", "up to") is recorded in ``bound`` and never changes the value; softeners
    ("about", "almost") go to ``qualifier``. ``group`` ties restatements of one amount in
    another currency ("a trillion yen, or over $7 billion") together.
    """

    kind: QuantityKind
    start: int
    end: int
    surface: str
    value: Decimal | None = None
    currency: str | None = None  # ISO 4217 code, money only
    unit_code: str | None = None  # UN/CEFACT common code: P1 (percent), ANN (year), MIN, DAY…
    unit_text: str | None = None  # free-text unit: "times", "satellites", "per 10 minutes"…
    bound: Literal["min", "max"] | None = None
    qualifier: str | None = None  # "about", "almost", "roughly", "around"…
    temporal: str | None = None  # ISO 8601 value for dates and years: "2026", "2025-07", "--11"
    group: int | None = None  # restatement group: quantities sharing a group are one amount


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of the assertion text that refers to an entity.

    ``key`` is the entity's identity: the reference entity's IRI local name when the
    ontology knows it, else a slug of the canonical label for a minted entity.
    """

    key: str
    label: str
    cls: EntityClass
    start: int
    end: int
    surface: str
    known: bool = True  # False when the entity was minted from the text
    reason: str = ""  # why it was recognised/typed ("gazetteer", "title Prime Minister", …)
    form: str = "name"  # how the text refers to it: name, acronym, demonym (adjective), title


@dataclass(frozen=True, slots=True)
class Fact:
    """A binary relation between two entities, evidenced by a span of the text."""

    subject: str  # entity key
    predicate: str  # CURIE: "org:headOf", "org:memberOf", "skg:formerMemberOf", "skg:metWith"…
    object: str  # entity key
    start: int
    end: int
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Budget:
    """An amount allocated to, held by or to be spent by an actor (SPEC §3)."""

    holder: str  # entity key
    amounts: tuple[int, ...]  # indexes into Extraction.quantities (restatements share one budget)
    fiscal_year: str | None = None  # "2026"
    purpose: str | None = None  # entity key of a capability or program
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem found while reading or extracting; problems are data, not exceptions."""

    severity: Literal["warning", "error"]
    message: str
    source: str = ""
    line: int | None = None
    span: tuple[int, int] | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}: " if self.line else (f"{self.source}: " if self.source else "")
        return f"{where}{self.severity}: {self.message}"


@dataclass(slots=True)
class Extraction:
    """Everything extraction found in one assertion."""

    assertion: Assertion
    mentions: list[Mention] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    budgets: list[Budget] = field(default_factory=list)
    negated: bool = False
    modality: Modality = Modality.STATED
    issues: list[Issue] = field(default_factory=list)


@lru_cache(maxsize=65_536)  # a build slugs the same record and entity names over and over
def slugify(text: str) -> str:
    """ASCII, lowercase words joined by '-': the local part of entity and record IRIs."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")
    return slug or hashlib.sha256(text.encode()).hexdigest()[:12]
