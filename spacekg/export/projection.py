"""The one projection of the store to a network: the only place that decides nodes and edges.

Gephi, Cytoscape and igraph see graphs, not named graphs of RDF, so every network writer
(GEXF, GraphML, the CSV tables, the plot) starts from the networkx graph `project` returns.
Three projections:

``entities``
    entity → entity edges from the facts in the assertions' named graphs (``org:headOf``,
    ``org:memberOf``, ``skg:formerMemberOf``, ``skg:metWith`` and any other relation between
    two entities), plus holder → purpose for budgets that state a purpose. One edge per
    (source, predicate, target): a ``networkx.MultiDiGraph`` keyed by the predicate, because
    two people can both meet and belong to the same body. A symmetric property (``skg:metWith``)
    gives one undirected edge whichever way the facts were written. Nodes are the entities
    that take part in a kept fact.
``comention``
    entity — entity edges between entities mentioned in the same assertion (undirected).
    Nodes are all entities that kept assertions mention.
``assertions``
    the bipartite assertion → entity graph (``skg:mentions``), so the sentences themselves
    are in the picture. Nodes are the kept assertions and the entities they mention.

Edges carry ``weight`` (how many kept assertions support them), ``best_rank`` (the strongest
evidence: lowest rank) and ``assertions`` (their ids, strongest first). Nodes carry class,
label, Wikidata ID, country, mention count and best rank. Budget edges with a fiscal year
carry ``spells`` so Gephi's timeline can show them; see docs/EXPORT.md.

Filters: ``max_rank`` keeps evidence of rank ≤ K only; ``classes`` keeps entities of those
classes and their subclasses (``Organization`` keeps government bodies and companies too);
``record`` keeps one record (its source file name, its slug or its IRI). The SPARQL is data
(``projections/*.rq``); the filters apply to its rows here, so the queries stay the same for
every filter and every store.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import networkx as nx
import pyoxigraph as ox

from spacekg.errors import ExportError
from spacekg.graph.store import Store, Term
from spacekg.queries import compact
from spacekg.vocab import SKG

__all__ = [
    "EDGE_ATTRIBUTES",
    "NODE_ATTRIBUTES",
    "PROJECTIONS",
    "RESERVED",
    "Attribute",
    "Filters",
    "project",
]

PROJECTIONS = ("entities", "comention", "assertions")


@dataclass(frozen=True, slots=True)
class Attribute:
    """A node or edge column: its name in the networkx data, its GEXF type, and what it means.

    Types are GEXF 1.3 names (``string``, ``integer``, ``double``, ``boolean``,
    ``liststring``, ``listinteger``); the GraphML and CSV writers map them to their own.
    """

    name: str
    type: str
    description: str


# The columns every writer knows, in the order they are written. A projection declares the
# ones its nodes or edges actually carry. ``label``, ``weight`` and ``spells`` have their own
# place in each format (`RESERVED`) and are not listed here.
NODE_ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("kind", "string", "entity or assertion"),
    Attribute("class", "string", "ontology class (local name in skg:), Assertion for sentences"),
    Attribute("iri", "string", "the node's IRI in the knowledge graph"),
    Attribute("wikidata", "string", "Wikidata item ID(s) from owl:sameAs"),
    Attribute("country", "string", "label of skg:country"),
    Attribute("mentions", "integer", "how many kept assertions mention the entity"),
    Attribute("best_rank", "integer", "strongest evidence rank (1 = strongest) among kept assertions"),
    Attribute("record", "string", "source of the record the assertion comes from"),
    Attribute("text", "string", "the assertion as written"),
    Attribute("negated", "boolean", "the assertion denies something"),
    Attribute("modality", "string", "Stated, Hedged, Anticipated or Prescriptive"),
)
EDGE_ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("predicate", "string", "the RDF predicate (CURIE, or a SPARQL path for budgets)"),
    Attribute("best_rank", "integer", "strongest evidence rank among the supporting assertions"),
    Attribute("assertions", "liststring", "ids of the supporting assertions, strongest first"),
    Attribute("fiscal_years", "listinteger", "fiscal years a budget edge is stated for"),
    Attribute("symmetric", "boolean", "the predicate is symmetric (skg:metWith): the edge has no direction"),
)
# networkx data keys every writer treats specially (not written as plain columns).
RESERVED = frozenset({"label", "weight", "spells"})

_BUDGET_PREDICATE = "^skg:budgetHolder/skg:purpose"
_ENTITY_CLASS = SKG.Entity.value
_ASSERTION_CLASS = "Assertion"


@dataclass(frozen=True, slots=True)
class Filters:
    """What to keep: evidence of rank ≤ `max_rank`, entities of `classes`, one `record`."""

    max_rank: int | None = None
    classes: tuple[str, ...] = ()
    record: str | None = None

    def describe(self) -> str:
        parts = []
        if self.max_rank is not None:
            parts.append(f"max_rank={self.max_rank}")
        if self.classes:
            parts.append("classes=" + ",".join(self.classes))
        if self.record:
            parts.append(f"record={self.record}")
        return "; ".join(parts) or "none"


@cache
def _query(name: str) -> str:
    try:
        return resources.files(__package__).joinpath("projections", f"{name}.rq").read_text(encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"the packaged projection query {name}.rq is missing; reinstall spacekg") from exc


def _rows(store: Store, name: str) -> list[dict[str, Term | None]]:
    return store.query(_query(name)).dicts()


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _value(term: Term | None) -> str | None:
    return None if term is None else term.value


# ---------------------------------------------------------------------------------------------
# What the store holds, read once per projection


@dataclass
class _Assertion:
    iri: str
    rank: int
    record: str | None
    source: str | None
    text: str
    negated: bool | None
    modality: str | None


@dataclass
class _Entity:
    iri: str
    classes: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    wikidata: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    cls: str = ""


@dataclass
class _Edge:
    source: str
    target: str
    predicate: str
    label: str
    directed: bool
    assertions: set[str] = field(default_factory=set)
    fiscal_years: set[int] = field(default_factory=set)


def _subclasses(store: Store) -> dict[str, set[str]]:
    """class IRI → itself and every class below it (reflexive, transitive)."""
    children: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, "classes"):
        children[row["super"].value].add(row["class"].value)
    closure: dict[str, set[str]] = {}

    def below(cls: str, seen: frozenset[str] = frozenset()) -> set[str]:
        if cls in closure:
            return closure[cls]
        out = {cls}
        for child in children.get(cls, ()):
            if child not in seen:
                out |= below(child, seen | {cls})
        closure[cls] = out
        return out

    for cls in list(children):
        below(cls)
    return closure


def _entities(store: Store, entity_classes: set[str], subclasses: Mapping[str, set[str]]) -> dict[str, _Entity]:
    entities: dict[str, _Entity] = {}
    for row in _rows(store, "entities"):
        cls = row["class"].value
        if cls not in entity_classes:
            continue
        e = entities.setdefault(row["entity"].value, _Entity(row["entity"].value))
        e.classes.add(cls)
        if row["label"] is not None:
            e.labels.add(row["label"].value)
        if row["wikidata"] is not None:
            e.wikidata.add(_local(row["wikidata"].value))
        if row["country"] is not None:
            e.countries.add(row["country"].value)
    for e in entities.values():
        # the most specific class: one that has none of the entity's other classes below it
        specific = sorted(c for c in e.classes if not (subclasses.get(c, {c}) - {c}) & e.classes)
        e.cls = _local((specific or sorted(e.classes))[0])
    return entities


def _assertions(store: Store, *, full: bool = True) -> dict[str, _Assertion]:
    """Every assertion with its rank; with `full`, also its record, text, negation and
    modality (the assertions projection and the record filter need them; reading the text
    of every assertion is most of the time of a large store's comention projection)."""
    out: dict[str, _Assertion] = {}
    for row in _rows(store, "assertions" if full else "ranks"):
        iri = row["assertion"].value
        try:
            rank = int(row["rank"].value)
        except (TypeError, ValueError):
            continue
        if not full:
            out[iri] = _Assertion(iri=iri, rank=rank, record=None, source=None, text="", negated=None, modality=None)
            continue
        negated = row["negated"]
        out[iri] = _Assertion(
            iri=iri, rank=rank, record=_value(row["record"]), source=_value(row["source"]),
            text=_value(row["text"]) or "",
            negated=None if negated is None else negated.value in ("true", "1"),
            modality=_local(row["modality"].value) if row["modality"] is not None else None,
        )
    return out


def _fiscal_year(term: Term | None) -> int | None:
    if not isinstance(term, ox.Literal):
        return None
    m = re.match(r"^(-?\d{4,})", term.value.strip())
    return int(m.group(1)) if m else None


# ---------------------------------------------------------------------------------------------
# Filters


def _resolve_classes(wanted: Sequence[str], entity_classes: set[str], subclasses: Mapping[str, set[str]]) -> set[str]:
    by_name = {_local(c).lower(): c for c in entity_classes}
    kept: set[str] = set()
    for name in wanted:
        key = name.strip()
        key = _local(key) if key.startswith(("http://", "https://")) else key.removeprefix("skg:")
        iri = by_name.get(key.lower())
        if iri is None:
            names = ", ".join(sorted(_local(c) for c in entity_classes if c != _ENTITY_CLASS))
            raise ExportError(f"--class {name!r}: no such entity class; choose from {names}")
        kept |= subclasses.get(iri, {iri}) & entity_classes
    return kept


def _record_matches(value: str, a: _Assertion) -> bool:
    v = value.strip()
    candidates = {a.record, a.source}
    if a.record:
        candidates.add(a.record.rsplit("/", 1)[-1])
        candidates.add(compact(a.record))
    if a.source:
        candidates.add(a.source.rsplit("/", 1)[-1])
        candidates.add(re.sub(r"\.[^.]+$", "", a.source.rsplit("/", 1)[-1]))
    return v in candidates


def _kept_assertions(assertions: dict[str, _Assertion], filters: Filters) -> dict[str, _Assertion]:
    if filters.max_rank is not None and filters.max_rank < 1:
        raise ExportError(f"--max-rank {filters.max_rank}: ranks start at 1 (the strongest evidence); "
                          "give a positive number")
    kept = assertions
    if filters.record is not None:
        kept = {i: a for i, a in kept.items() if _record_matches(filters.record, a)}
        if not kept:
            known = sorted({a.source or a.record or "?" for a in assertions.values()})
            raise ExportError(f"--record {filters.record!r}: no such record in the store; it holds "
                              f"{', '.join(known) or 'no records (run spacekg build first)'}")
    if filters.max_rank is not None:
        kept = {i: a for i, a in kept.items() if a.rank <= filters.max_rank}
    return kept


# ---------------------------------------------------------------------------------------------
# Building the graph


class _NodeIds(dict[str, str]):
    """IRI → node id (its compact form), each worked out once per projection: a large
    store's projection asks for the same few thousand entities hundreds of thousands of times."""

    def __missing__(self, iri: str) -> str:
        node = self[iri] = compact(iri)
        return node


def _evidence(ids: Iterable[str], assertions: Mapping[str, _Assertion],
              node_id: Callable[[str], str]) -> tuple[int, list[str]]:
    ordered = sorted(ids, key=lambda i: (assertions[i].rank, i))
    return assertions[ordered[0]].rank, [node_id(i) for i in ordered]


def _entity_data(e: _Entity, mentions: int, best_rank: int | None) -> dict:
    data: dict = {
        "label": min(e.labels) if e.labels else _local(e.iri),
        "kind": "entity",
        "class": e.cls,
        "iri": e.iri,
    }
    if e.wikidata:
        data["wikidata"] = ", ".join(sorted(e.wikidata))
    if e.countries:
        data["country"] = ", ".join(sorted(e.countries))
    data["mentions"] = mentions
    if best_rank is not None:
        data["best_rank"] = best_rank
    return data


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def _assertion_data(a: _Assertion) -> dict:
    data: dict = {
        "label": f"{a.rank}: {_short(a.text)}",
        "kind": "assertion",
        "class": _ASSERTION_CLASS,
        "iri": a.iri,
        "best_rank": a.rank,
    }
    if a.source or a.record:
        data["record"] = a.source or _local(a.record or "")
    data["text"] = a.text
    if a.negated is not None:
        data["negated"] = a.negated
    if a.modality:
        data["modality"] = a.modality
    return data


def _declare(graph: nx.Graph, name: str, filters: Filters) -> None:
    node_keys = {k for _, d in graph.nodes(data=True) for k in d}
    edge_keys = {k for *_, d in graph.edges(data=True) for k in d}
    graph.graph.update({
        "projection": name,
        "filters": filters.describe(),
        "node_attributes": tuple(a for a in NODE_ATTRIBUTES if a.name in node_keys),
        "edge_attributes": tuple(a for a in EDGE_ATTRIBUTES if a.name in edge_keys),
    })
    if any("spells" in d for *_, d in graph.edges(data=True)) or any("spells" in d for _, d in graph.nodes(data=True)):
        graph.graph["timeformat"] = "integer"


def project(store: Store, projection: str = "entities", *, max_rank: int | None = None,
            classes: Sequence[str] = (), record: str | None = None) -> nx.Graph:
    """The store as a networkx graph for one projection (see the module docstring).

    Nodes and edges are inserted sorted by id, so every writer's output is deterministic.
    ``graph.graph`` holds ``projection``, ``filters`` (a description), ``node_attributes``
    and ``edge_attributes`` (the `Attribute` columns present) and ``timeformat`` when some
    edge has spells.
    """
    if projection not in PROJECTIONS:
        raise ExportError(f"unknown projection {projection!r}; choose one of {', '.join(PROJECTIONS)}")
    filters = Filters(max_rank, tuple(classes), record)
    subclasses = _subclasses(store)
    entity_classes = subclasses.get(_ENTITY_CLASS, set()) - {_ENTITY_CLASS}
    if not entity_classes:
        raise ExportError("the store has no ontology (no subclasses of skg:Entity); run 'spacekg build' first")
    entities = _entities(store, entity_classes, subclasses)
    if classes:
        keep = _resolve_classes(classes, entity_classes, subclasses)
        entities = {i: e for i, e in entities.items() if e.classes & keep}
    all_assertions = _assertions(store, full=projection == "assertions" or record is not None)
    node_id = _NodeIds().__getitem__
    assertions = _kept_assertions(all_assertions, filters)

    mentioned: dict[str, set[str]] = defaultdict(set)  # assertion → entities
    for row in _rows(store, "mentions"):
        a, e = row["assertion"].value, row["entity"].value
        if a in assertions and e in entities:
            mentioned[a].add(e)
    mentions: dict[str, set[str]] = defaultdict(set)  # entity → assertions
    for a, es in mentioned.items():
        for e in es:
            mentions[e].add(a)

    def entity_node(iri: str, extra_evidence: Iterable[str] = ()) -> tuple[str, dict]:
        evidence = mentions.get(iri, set()) | set(extra_evidence)
        best = min((assertions[a].rank for a in evidence), default=None)
        return node_id(iri), _entity_data(entities[iri], len(mentions.get(iri, ())), best)

    if projection == "entities":
        graph = _entities_graph(store, assertions, entities, entity_node, node_id)
    elif projection == "comention":
        graph = nx.Graph()
        for iri in sorted(mentions, key=node_id):
            graph.add_nodes_from([entity_node(iri)])
        pairs = _comention_pairs(mentioned, node_id)
        for (u, v), support in sorted(pairs.items(), key=lambda kv: (node_id(kv[0][0]), node_id(kv[0][1]))):
            best, ids = _evidence(support, assertions, node_id)
            graph.add_edge(node_id(u), node_id(v), label="co-mentioned", weight=len(ids),
                           predicate="skg:mentions", best_rank=best, assertions=ids)
    else:  # assertions
        graph = nx.DiGraph()
        kept = sorted((a for a in assertions if a in mentioned or not classes), key=node_id)
        nodes = [(node_id(a), _assertion_data(assertions[a])) for a in kept]
        nodes += [entity_node(e) for e in mentions]
        graph.add_nodes_from(sorted(nodes, key=lambda n: n[0]))
        edges = [(node_id(a), node_id(e), a) for a in kept for e in mentioned.get(a, ())]
        for u, v, a in sorted(edges):
            graph.add_edge(u, v, label="mentions", weight=1, predicate="skg:mentions",
                           best_rank=assertions[a].rank, assertions=[u])
    _declare(graph, projection, filters)
    return graph


def _comention_pairs(mentioned: Mapping[str, set[str]],
                     node_id: Callable[[str], str]) -> dict[tuple[str, str], set[str]]:
    """(entity, entity) → the kept assertions that mention both, the pair ordered by node id.

    Built from the mention rows (every mention of the store is read once); the one place to
    change should the store keep co-mention pairs of its own (a summary graph)."""
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a, es in mentioned.items():
        ordered = sorted(es, key=node_id)
        for i, u in enumerate(ordered):
            for v in ordered[i + 1:]:
                pairs[(u, v)].add(a)
    return pairs


def _entities_graph(store: Store, assertions: Mapping[str, _Assertion], entities: Mapping[str, _Entity],
                    entity_node: Callable[[str, Iterable[str]], tuple[str, dict]],
                    node_id: Callable[[str], str]) -> nx.MultiDiGraph:
    symmetric = {row["property"].value for row in _rows(store, "properties")}
    edges: dict[tuple[str, str, str], _Edge] = {}

    def add(a: str, s: str, p: str, o: str, label: str, predicate: str, fiscal_year: int | None = None) -> None:
        directed = p not in symmetric
        if not directed and node_id(o) < node_id(s):
            s, o = o, s
        edge = edges.setdefault((s, p, o), _Edge(s, o, predicate, label, directed))
        edge.assertions.add(a)
        if fiscal_year is not None:
            edge.fiscal_years.add(fiscal_year)

    for row in _rows(store, "facts"):
        a, s, p, o = (row[k].value for k in ("assertion", "subject", "predicate", "object"))
        if a in assertions and s in entities and o in entities and s != o:
            add(a, s, p, o, _local(p), compact(p))
    for row in _rows(store, "budgets"):
        a, h, pur = row["assertion"].value, row["holder"].value, row["purpose"].value
        if a in assertions and h in entities and pur in entities and h != pur:
            add(a, h, _BUDGET_PREDICATE, pur, "budget", _BUDGET_PREDICATE, _fiscal_year(row["fiscalYear"]))

    graph = nx.MultiDiGraph()
    evidence: dict[str, set[str]] = defaultdict(set)
    for e in edges.values():
        evidence[e.source] |= e.assertions
        evidence[e.target] |= e.assertions
    for iri in sorted(evidence, key=node_id):
        graph.add_nodes_from([entity_node(iri, evidence[iri])])
    for e in sorted(edges.values(), key=lambda e: (node_id(e.source), node_id(e.target), e.predicate)):
        best, ids = _evidence(e.assertions, assertions, node_id)
        data: dict = {"label": e.label, "weight": len(ids), "predicate": e.predicate, "best_rank": best,
                      "assertions": ids, "symmetric": not e.directed}
        if e.fiscal_years:
            years = sorted(e.fiscal_years)
            data["fiscal_years"] = years
            data["spells"] = [(y, y) for y in years]
        graph.add_edge(node_id(e.source), node_id(e.target), key=e.predicate, **data)
    return graph

