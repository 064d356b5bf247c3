"""Reconciliation: candidate Wikidata items (or DBpedia resources) for every entity of the
store that has no link to the dataset yet, found by exact English label or alias in batched
``VALUES`` queries, checked against the class constraints of ``classes.tsv``, and scored.

Score = weighted mean of name similarity (rapidfuzz token-sort ratio over our label, aliases
and acronyms against the candidate's label and aliases; 0.6), type agreement (0.25, only when
the class has a constraint) and country agreement (0.15; unknown counts half). A candidate is
proposed as ``owl:sameAs`` only when it scores at least `threshold`, its name similarity is at
least `min_similarity`, neither type nor country disagrees, no other candidate of the same
entity comes within `margin`, no other entity claims the same item, and the item is not
already linked to another entity; every other candidate goes to the review file as
``skos:closeMatch``. Acronyms and one-word short forms (a surname) never count as a full-name
match: their similarity is capped below `min_similarity`. Curated mappings are never touched:
entities that have one are skipped, and the output files may not be the packaged ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from spacekg.errors import LinkingError
from spacekg.graph.sparql_store import SparqlStore
from spacekg.graph.store import Store
from spacekg.graph.values import render_term, render_value_list, with_blocks
from spacekg.linking import Dataset, dataset as get_dataset
from spacekg.model import EntityClass
from spacekg.ontology.sssom import MappingRow, MappingSet, curated_mappings, write_sssom
from spacekg.vocab import SKG, SKGID

__all__ = ["Candidate", "LinkReport", "Scored", "Subject", "find_candidates", "reconcile", "score_candidates",
           "similarity", "subjects_to_link", "write_link_files"]

WEIGHTS = {"name": 0.6, "type": 0.25, "country": 0.15}
SHORT_FORM_CAP = 0.8  # the most an acronym or one-word short form can contribute to name similarity
Progress = Callable[[int, int], None]

_SUBJECTS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skg: <https://w3id.org/spacekg/ontology#>
SELECT ?entity ?class ?label ?name ?countryLink ?linked WHERE {
  ?entity a ?class ; rdfs:label ?label .
  FILTER(STRSTARTS(STR(?class), STR(skg:)))
  OPTIONAL { ?entity skos:altLabel|skg:acronym ?name }
  OPTIONAL { ?entity skg:country/owl:sameAs ?countryLink FILTER(STRSTARTS(STR(?countryLink), STR(?ns))) }
  OPTIONAL { ?entity owl:sameAs|skos:exactMatch|skos:closeMatch ?linked FILTER(STRSTARTS(STR(?linked), STR(?ns))) }
}
"""


@dataclass(frozen=True)
class Subject:
    """One of our entities to link: its names and the dataset IRI of its country, if linked."""

    iri: str
    cls: str
    label: str
    names: tuple[str, ...]  # label, aliases and acronyms
    country: str | None = None


@dataclass
class Candidate:
    """An external item some of a subject's names matched exactly."""

    item: str
    label: str = ""
    names: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    matched: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Scored:
    """A subject, a candidate, and why it was or was not proposed."""

    subject: Subject
    item: str
    item_label: str
    score: float
    similarity: float
    type_ok: bool | None
    country_ok: bool | None
    accepted: bool
    reason: str


@dataclass
class LinkReport:
    """What `reconcile` found: proposals (`accepted`), candidates to review, and counts."""

    dataset: str
    endpoint: str
    subjects: int
    skipped_curated: int
    queries: int
    accepted: list[Scored]
    review: list[Scored]
    date: str = field(default_factory=lambda: dt.date.today().isoformat())

    def mapping_sets(self, ds: Dataset) -> tuple[MappingSet, MappingSet]:
        """The proposals (owl:sameAs) and the review candidates (skos:closeMatch) as SSSOM."""
        meta = {
            "curie_map": {"owl": "http://www.w3.org/2002/07/owl#", "semapv": "https://w3id.org/semapv/vocab/",
                          "skgid": str(SKGID), "skos": "http://www.w3.org/2004/02/skos/core#",
                          ds.prefix: ds.namespace},
            "mapping_set_id": f"https://w3id.org/spacekg/mappings/{ds.name}.proposed.sssom.tsv",
            "mapping_set_description": f"Written by 'spacekg link --dataset {ds.name}' against {self.endpoint} "
                                       f"on {self.date}; review, then copy rows into the curated "
                                       f"spacekg/ontology/mappings/{ds.name}.sssom.tsv with their source.",
            "license": "https://creativecommons.org/publicdomain/zero/1.0/",
        }
        probe = MappingSet(meta, ())
        accepted = MappingSet(meta, tuple(self._row(s, "owl:sameAs", probe) for s in self.accepted))
        review_meta = {**meta, "mapping_set_id": meta["mapping_set_id"].replace(".proposed.", ".review.")}
        review = MappingSet(review_meta, tuple(self._row(s, "skos:closeMatch", probe) for s in self.review))
        return accepted, review

    def _row(self, s: Scored, predicate: str, probe: MappingSet) -> MappingRow:
        agree = {True: "agrees", False: "disagrees", None: "unknown"}
        comment = (f"{s.reason}; name similarity {s.similarity:.2f}, type {agree[s.type_ok]}, "
                   f"country {agree[s.country_ok]}; candidate from {self.endpoint}")
        return MappingRow(subject_id=probe.compact(s.subject.iri), predicate_id=predicate,
                          object_id=probe.compact(s.item), mapping_justification="semapv:LexicalMatching",
                          subject_label=s.subject.label, object_label=s.item_label, confidence=round(s.score, 3),
                          author_label="spacekg link", mapping_date=self.date, comment=comment)

    @property
    def summary(self) -> str:
        return (f"{self.subjects} entities without a {self.dataset} link ({self.skipped_curated} with a curated "
                f"mapping skipped), {self.queries} queries: {len(self.accepted)} proposed owl:sameAs, "
                f"{len({s.subject.iri for s in self.review})} entities with candidates to review")


def _is_short_form(name: str, label: str) -> bool:
    """An acronym ("NSpC"), or one word standing for a longer label (a surname)."""
    letters = [c for c in name if c.isalpha()]
    acronym = " " not in name and len(name) <= 6 and sum(c.isupper() for c in letters) >= 2
    return acronym or (" " not in name.strip() and " " in label.strip())


def similarity(ours: Subject, theirs: Candidate) -> float:
    """Best token-sort ratio (0–1) between our names and the candidate's; short forms capped."""
    best = 0.0
    their_names = {theirs.label, *theirs.names} - {""}
    for a in ours.names:
        for b in their_names:
            s = fuzz.token_sort_ratio(a, b, processor=default_process) / 100
            if _is_short_form(a, ours.label) or _is_short_form(b, theirs.label or b):
                s = min(s, SHORT_FORM_CAP)
            best = max(best, s)
    return best


def subjects_to_link(store: Store, ds: Dataset) -> tuple[list[Subject], int]:
    """Entities of the store with no link into `ds` (and no curated mapping), and how many
    were skipped because they have one."""
    curated = set()
    for mapping_set in curated_mappings():
        curated |= {mapping_set.expand(r.subject_id) for r in mapping_set.rows
                    if mapping_set.expand(r.object_id).startswith(ds.namespace)}
    # the namespace comes from datasets.tsv; written into the text by the audited term renderer
    rows = store.query(_SUBJECTS.replace("STR(?ns)", render_term(ox.Literal(ds.namespace)))).dicts()
    classes = {SKG.term(c.value).value: c.value for c in EntityClass}
    info: dict[str, dict] = {}
    for row in rows:
        cls = classes.get(row["class"].value)
        if cls is None:
            continue
        e = info.setdefault(row["entity"].value, {"cls": cls, "label": row["label"].value, "names": set(),
                                                   "country": None, "linked": False})
        if row["name"] is not None:
            e["names"].add(row["name"].value)
        if row["countryLink"] is not None:
            e["country"] = row["countryLink"].value
        if row["linked"] is not None:
            e["linked"] = True
    subjects, skipped = [], 0
    for iri, e in sorted(info.items()):
        if e["linked"] or iri in curated:
            skipped += 1
            continue
        names = (e["label"], *sorted(e["names"] - {e["label"]}))
        subjects.append(Subject(iri, e["cls"], e["label"], names, e["country"]))
    return subjects, skipped


def _lookup_names(subject: Subject) -> list[str]:
    """The names a subject is looked up by: label and aliases, but not one-word short forms of a
    longer label (a surname alone would fetch every namesake); acronyms are looked up but capped."""
    one_word_label = " " not in subject.label.strip()
    return [n for n in subject.names if n == subject.label or " " in n.strip() or one_word_label
            or _is_short_form(n, n)]


def find_candidates(client: Store, ds: Dataset, subjects: Sequence[Subject], *, batch_size: int = 50,
                    progress: Progress | None = None) -> tuple[dict[str, list[Candidate]], dict[str, bool], int]:
    """Candidates per subject IRI, the type agreement of each (subject IRI, item) and the
    number of queries sent. Names go `batch_size` to a query."""
    by_name: dict[str, list[Subject]] = {}
    for s in subjects:
        for name in _lookup_names(s):
            by_name.setdefault(name, []).append(s)
    names = sorted(by_name)
    found: dict[str, dict[str, Candidate]] = {}
    queries = 0
    template = ds.query_text("candidates")
    total = len(names)
    for start in range(0, total, batch_size):
        chunk = names[start:start + batch_size]
        text = with_blocks(template, [render_value_list("name", (ox.Literal(n, language="en") for n in chunk))])
        result = client.query(text)
        queries += 1
        for row in result.dicts():
            item, name = row["item"], row["name"]
            if item is None or name is None:
                continue
            for s in by_name.get(name.value, ()):
                c = found.setdefault(s.iri, {}).setdefault(item.value, Candidate(item.value))
                c.matched.add(name.value)
                if row["label"] is not None:
                    c.label = row["label"].value
                    c.names.add(row["label"].value)
                if row["alt"] is not None:
                    c.names.add(row["alt"].value)
                if row["country"] is not None:
                    c.countries.add(row["country"].value)
        if progress:
            progress(min(start + batch_size, total), total)
    # type agreement, one query per constrained class and batch of items
    typed: dict[str, bool] = {}
    by_class: dict[str, set[str]] = {}
    subject_class = {s.iri: s.cls for s in subjects}
    for iri, cands in found.items():
        if subject_class[iri] in ds.classes:
            by_class.setdefault(subject_class[iri], set()).update(cands)
    type_template = ds.query_text("types")
    for cls, items in sorted(by_class.items()):
        ordered = sorted(items)
        for start in range(0, len(ordered), batch_size):
            chunk = ordered[start:start + batch_size]
            text = with_blocks(type_template, [render_value_list("item", (ox.NamedNode(i) for i in chunk)),
                                               render_value_list("want", (ox.NamedNode(w) for w in ds.classes[cls]))])
            queries += 1
            ok = {row[0].value for row in client.query(text).rows if row[0] is not None}
            for i in chunk:
                typed[f"{cls} {i}"] = i in ok
    return {k: list(v.values()) for k, v in found.items()}, typed, queries


def score_candidates(subject: Subject, candidates: Sequence[Candidate], typed: dict[str, bool],
                     ds: Dataset) -> list[Scored]:
    """Every candidate of one subject scored, best first (not yet accepted)."""
    scored = []
    for c in candidates:
        sim = similarity(subject, c)
        type_ok = typed.get(f"{subject.cls} {c.item}") if subject.cls in ds.classes else None
        country_ok = None if subject.country is None or not c.countries else subject.country in c.countries
        total = WEIGHTS["name"] * sim
        weight = WEIGHTS["name"]
        if type_ok is not None:
            total += WEIGHTS["type"] * type_ok
            weight += WEIGHTS["type"]
        total += WEIGHTS["country"] * (0.5 if country_ok is None else float(country_ok))
        weight += WEIGHTS["country"]
        scored.append(Scored(subject, c.item, c.label, total / weight, sim, type_ok, country_ok, False, ""))
    return sorted(scored, key=lambda s: (-s.score, s.item))


def reconcile(store: Store, *, dataset: str = "wikidata", endpoint: str | None = None, batch_size: int = 50,
              threshold: float = 0.9, min_similarity: float = 0.95, margin: float = 0.05,
              client: Store | None = None, progress: Progress | None = None) -> LinkReport:
    """Candidates for every entity of `store` without a `dataset` link (see the module docstring)."""
    ds = get_dataset(dataset)
    if not 1 <= batch_size <= 500:
        raise LinkingError(f"--batch {batch_size}: choose between 1 and 500 names per query")
    url = endpoint or ds.endpoint
    client = client or SparqlStore(url, post=True, timeout=60.0, max_attempts=5, retry_budget=120.0)
    subjects, skipped = subjects_to_link(store, ds)
    found, typed, queries = find_candidates(client, ds, subjects, batch_size=batch_size, progress=progress)
    already = {row["o"].value: row["s"].value for row in store.query(
        "SELECT ?s ?o WHERE { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o }").dicts()
        if row["o"] is not None and row["o"].value.startswith(ds.namespace)}
    best: dict[str, list[Scored]] = {}
    for s in subjects:
        if s.iri in found:
            best[s.iri] = score_candidates(s, found[s.iri], typed, ds)
    proposals: dict[str, Scored] = {}
    for iri, ranked in best.items():
        top = ranked[0]
        why = None
        if top.score < threshold:
            why = f"score {top.score:.2f} below the threshold {threshold}"
        elif top.similarity < min_similarity:
            why = f"name similarity {top.similarity:.2f} below {min_similarity}"
        elif top.type_ok is False:
            why = "type disagrees"
        elif top.country_ok is False:
            why = "country disagrees"
        elif len(ranked) > 1 and ranked[1].score >= top.score - margin:
            why = f"ambiguous: {ranked[1].item} scores {ranked[1].score:.2f}"
        elif top.item in already and already[top.item] != iri:
            why = f"already linked to {already[top.item]}"
        if why is None:
            proposals[iri] = top
    claimed: dict[str, list[str]] = {}
    for iri, s in proposals.items():
        claimed.setdefault(s.item, []).append(iri)
    accepted, review = [], []
    for iri, ranked in sorted(best.items()):
        top = ranked[0]
        ok = iri in proposals and len(claimed[top.item]) == 1
        for k, s in enumerate(ranked[:5]):
            if k == 0 and ok:
                accepted.append(_with(s, True, "proposed: exact name, type and country consistent, unique"))
            else:
                reason = ("another entity claims the same item" if k == 0 and iri in proposals else
                          _reason(s, threshold, min_similarity, margin, ranked[1] if k == 0 and len(ranked) > 1
                                  else ranked[0] if k else None))
                review.append(_with(s, False, reason))
    return LinkReport(ds.name, url, len(subjects), skipped, queries, accepted, review)


def _with(s: Scored, accepted: bool, reason: str) -> Scored:
    return Scored(s.subject, s.item, s.item_label, s.score, s.similarity, s.type_ok, s.country_ok, accepted, reason)


def _reason(s: Scored, threshold: float, min_similarity: float, margin: float, other: Scored | None) -> str:
    if s.type_ok is False:
        return "type disagrees"
    if s.country_ok is False:
        return "country disagrees"
    if s.similarity < min_similarity:
        return f"name similarity below {min_similarity}"
    if s.score < threshold:
        return f"score below the threshold {threshold}"
    if other is not None and abs(other.score - s.score) < margin:
        return f"ambiguous: {other.item} scores {other.score:.2f}"
    if other is not None:
        return f"a better candidate exists ({other.item})"
    return "already linked to another entity"


def write_link_files(report: LinkReport, out: Path) -> tuple[Path, Path]:
    """Write ``<dataset>.proposed.sssom.tsv`` and ``<dataset>.review.sssom.tsv`` into `out`;
    refuses to write over the packaged, curated mapping files."""
    ds = get_dataset(report.dataset)
    out.mkdir(parents=True, exist_ok=True)
    packaged = (Path(__file__).resolve().parents[1] / "ontology" / "mappings").resolve()
    if out.resolve() == packaged:
        raise LinkingError(f"{out} holds the curated mappings; write proposals elsewhere (--out DIR) and copy "
                           "reviewed rows by hand")
    accepted, review = report.mapping_sets(ds)
    paths = (out / f"{ds.name}.proposed.sssom.tsv", out / f"{ds.name}.review.sssom.tsv")
    for path, mapping_set in zip(paths, (accepted, review)):
        with path.open("w", encoding="utf-8", newline="") as f:
            write_sssom(mapping_set, f)
    return paths
