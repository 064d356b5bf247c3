"""The named query library: ``*.rq`` files with a header, listed, bound and run.

A query file starts with comment lines that describe it::

    # title: Everything said about an actor, strongest evidence first
    # description: Every assertion that mentions the entity …
    # param: ?entity entity  an entity: label, acronym, alias, IRI or Wikidata ID  example: MOD

Parameter kinds: ``entity`` (resolved to one entity IRI; an ambiguous value is an error
listing the candidates; an unknown one lists close names), ``iri`` (an IRI, or a CURIE with one of
spacekg's prefixes such as ``skg:Organization``), ``string``, ``integer``. Values are bound as RDF terms
through the store's substitutions, never pasted into the query text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pyoxigraph as ox

from spacekg.errors import ParameterError, QueryError
from spacekg.graph.store import QueryResult, Store, Term
from spacekg.graph.values import with_slice
from spacekg.vocab import PREFIXES, SKGID, WD, XSD

__all__ = ["NamedQuery", "Param", "QueryLibrary", "bind_params", "library", "resolve_entity", "run_query"]

_HEADER = re.compile(r"^#\s*(?P<key>title|description|param)\s*:\s*(?P<value>.*)$")
_PARAM = re.compile(
    r"^\?(?P<name>[A-Za-z_]\w*)\s+(?P<kind>entity|iri|string|integer)\b\s*(?P<desc>.*?)\s*(?:example:\s*(?P<example>.+))?$"
)
_KINDS = ("entity", "iri", "string", "integer")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    description: str
    example: str | None


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    theme: str = ""

    @property
    def federated(self) -> bool:
        """Does it call an external endpoint (``SERVICE``)? It then needs that endpoint up, so
        the library's offline tests leave it to tests/linking (a served fixture)."""
        body = "\n".join(line for line in self.text.splitlines() if not line.lstrip().startswith("#"))
        return re.search(r"(?i)\bSERVICE\b", body) is not None

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "theme": self.theme,
            "params": [{"name": p.name, "kind": p.kind, "description": p.description, "example": p.example}
                       for p in self.params],
        }


def parse_query_file(name: str, text: str, *, theme: str = "", strict: bool = True) -> NamedQuery:
    """Read the header of a ``.rq`` file; a malformed param is an error, and so is a
    missing title in the packaged library (`strict`)."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group("key"), m.group("value").strip()
        if key == "param":
            p = _PARAM.match(value)
            if not p:
                raise QueryError(f"{name}.rq: cannot read '# param: {value}'; write '# param: ?name KIND description "
                                 f"example: VALUE' with KIND one of {', '.join(_KINDS)}")
            params.append(Param(p.group("name"), p.group("kind"), p.group("desc").strip(), p.group("example")))
        else:
            fields[key] = value
    if "title" not in fields and strict:
        raise QueryError(f"{name}.rq: the header has no '# title:' line")
    return NamedQuery(name, fields.get("title", name), fields.get("description", ""), tuple(params), text, theme)


class QueryLibrary:
    """The queries shipped in this package (or in any folder of ``.rq`` files)."""

    def __init__(self, root: Traversable | Path | None = None) -> None:
        self._root = root if root is not None else resources.files(__name__)
        self._queries: dict[str, NamedQuery] = {}
        for theme, entry in self._walk(self._root, ""):
            name = entry.name[:-3]
            if name in self._queries:
                raise QueryError(f"two named queries are called {name!r}; query names must be unique")
            self._queries[name] = parse_query_file(name, entry.read_text(encoding="utf-8"), theme=theme)

    def _walk(self, folder: Traversable | Path, theme: str) -> Iterator[tuple[str, Traversable | Path]]:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_dir() and not entry.name.startswith(("_", ".")):
                yield from self._walk(entry, entry.name)
            elif entry.name.endswith(".rq"):
                yield theme, entry

    def names(self) -> list[str]:
        return sorted(self._queries)

    def __iter__(self) -> Iterator[NamedQuery]:
        return iter(self._queries[n] for n in self.names())

    def __len__(self) -> int:
        return len(self._queries)

    def __contains__(self, name: object) -> bool:
        return name in self._queries

    def get(self, name: str) -> NamedQuery:
        try:
            return self._queries[name]
        except KeyError:
            raise QueryError(f"no named query {name!r}; 'spacekg queries' lists them") from None


@cache
def library() -> QueryLibrary:
    """The packaged library, read once."""
    return QueryLibrary()


_ENTITY_BY_NAME = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX skg: <https://w3id.org/spacekg/ontology#>
SELECT DISTINCT ?entity ?label ?class ?value WHERE {
  ?entity rdfs:label|skos:altLabel|skg:acronym|skg:demonym ?name .
  FILTER(LCASE(STR(?name)) = LCASE(STR(?value)))
  ?entity rdfs:label ?label ; a ?class .
  FILTER(STRSTARTS(STR(?class), STR(skg:)))
}
ORDER BY ?entity
"""
# The same lookup for a name exactly as written (all names are @en): an index lookup, where the
# case-insensitive form above must read every name in the store.
_ENTITY_BY_EXACT_NAME = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX skg: <https://w3id.org/spacekg/ontology#>
SELECT DISTINCT ?entity ?label ?class ?name WHERE {
  ?entity rdfs:label|skos:altLabel|skg:acronym|skg:demonym ?name ;
          rdfs:label ?label ; a ?class .
  FILTER(STRSTARTS(STR(?class), STR(skg:)))
}
ORDER BY ?entity
"""
_ENTITY_BY_WIKIDATA = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?entity ?label ?wd WHERE { ?entity owl:sameAs ?wd ; rdfs:label ?label }
"""
_ENTITY_EXISTS = "SELECT ?entity ?label WHERE { ?entity <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 1"
_ENTITY_NAMES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX skg: <https://w3id.org/spacekg/ontology#>
SELECT DISTINCT ?entity ?label ?name WHERE {
  ?entity rdfs:label ?label ; rdfs:label|skos:altLabel|skg:acronym ?name ; a ?class .
  FILTER(STRSTARTS(STR(?class), STR(skg:)))
}
"""


def _candidates(store: Store, value: str, limit: int = 5) -> dict[str, str]:
    """Entities whose name is close to `value` (a typo) or contains it as a word, for the
    error message of an unknown entity: {IRI: label}."""
    names: dict[str, dict[str, str]] = {}
    for entity, label, name in store.query(_ENTITY_NAMES).rows:
        names.setdefault(name.value.lower(), {})[entity.value] = label.value
    wanted = value.lower()
    close = difflib.get_close_matches(wanted, list(names), n=limit, cutoff=0.75)
    if len(wanted) >= 3:
        word = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
        close += sorted(n for n in names if n not in close and word.search(n))
    found: dict[str, str] = {}
    for name in close:
        for iri, label in sorted(names[name].items()):
            if len(found) < limit:
                found.setdefault(iri, label)
    return found


def resolve_entity(store: Store, value: str) -> ox.NamedNode:
    """The one entity a user means by a label, acronym, alias, IRI, ``skgid:`` CURIE or
    Wikidata ID; raises `ParameterError` naming the candidates when several match."""
    value = value.strip()
    iri = None
    if value.startswith(("http://", "https://")):
        iri = value
    elif value.startswith("skgid:"):
        iri = str(SKGID) + value[len("skgid:"):]
    if iri is not None:
        try:
            node = ox.NamedNode(iri)
        except ValueError as exc:
            raise ParameterError(f"{value!r} is not a valid IRI: {exc}") from None
        if store.query(_ENTITY_EXISTS, bindings={"entity": node}).rows:
            return node
        raise ParameterError(f"no entity {value} in the store")
    if re.fullmatch(r"Q\d+", value):
        rows = store.query(_ENTITY_BY_WIKIDATA, bindings={"wd": WD[value]}).rows
    else:  # a name as written wins over names that differ from it only in case
        rows = (store.query(_ENTITY_BY_EXACT_NAME, bindings={"name": ox.Literal(value, language="en")}).rows
                or store.query(_ENTITY_BY_NAME, bindings={"value": ox.Literal(value)}).rows)
    entities = {row[0].value: row[1].value for row in rows}
    if len(entities) == 1:
        return ox.NamedNode(next(iter(entities)))
    if not entities:
        near = _candidates(store, value)
        listed = "; ".join(f"{label} <{iri}>" for iri, label in near.items())
        hint = f"; close candidates: {listed}; pass one of them, or" if near else "; try"
        raise ParameterError(f"no entity is called {value!r}{hint} a label, acronym, IRI or Wikidata ID "
                             "('spacekg query entities-by-class' lists them)")
    listed = "; ".join(f"{label} <{iri}>" for iri, label in sorted(entities.items()))
    raise ParameterError(f"{value!r} is ambiguous: it names {len(entities)} entities: {listed}; pass one IRI instead")


def _expand(value: str) -> str:
    """``skg:Organization`` → its IRI when the prefix is one of ours; anything else as given."""
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return value


def bind_params(store: Store, query: NamedQuery, values: Mapping[str, str]) -> dict[str, Term]:
    """Turn ``--param`` strings into RDF terms for the query's declared parameters."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise ParameterError(f"query {query.name!r} has no parameter {', '.join(unknown)}; it takes "
                             f"{', '.join(declared) or 'none'}")
    missing = [p for p in query.params if p.name not in values]
    if missing:
        p = missing[0]
        raise ParameterError(f"query {query.name!r} needs --param {p.name}=… ({p.description}; "
                             f"for example --param {p.name}={p.example})")
    bindings: dict[str, Term] = {}
    for name, raw in values.items():
        kind = declared[name].kind
        if kind == "entity":
            bindings[name] = resolve_entity(store, raw)
        elif kind == "iri":
            try:
                bindings[name] = ox.NamedNode(_expand(raw.strip()))
            except ValueError as exc:
                raise ParameterError(f"--param {name}: {raw!r} is not a valid IRI ({exc})") from None
        elif kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", raw.strip()):
                raise ParameterError(f"--param {name}: {raw!r} is not an integer")
            bindings[name] = ox.Literal(raw.strip(), datatype=XSD.integer)
        else:
            bindings[name] = ox.Literal(raw)
    return bindings


def run_query(store: Store, query: str | Path, params: Mapping[str, str] | None = None, *,
              limit: int | None = None, offset: int | None = None) -> QueryResult:
    """Run a named query, a ``.rq`` file or inline SPARQL with ``--param`` values bound as terms;
    `limit`/`offset` (non-negative integers) return one page of the ordered answer, written
    as ``LIMIT``/``OFFSET`` by the audited renderer (`spacekg.graph.values.with_slice`)."""
    params = dict(params or {})
    text = str(query)
    if text in library():
        named = library().get(text)
    elif text.endswith(".rq") and Path(text).is_file():
        path = Path(text)
        named = parse_query_file(path.stem, path.read_text(encoding="utf-8"), strict=False)
    elif re.search(r"(?i)\b(select|ask|construct|describe)\b", text):
        named = NamedQuery("inline", "inline", "", (), text)
        if params:  # inline SPARQL: every --param is a string literal unless it looks like an IRI
            named = NamedQuery("inline", "inline", "", tuple(
                Param(k, "iri" if re.match(r"https?://", v) else "string", "", None) for k, v in params.items()), text)
    else:
        raise QueryError(f"{text!r} is neither a named query, a .rq file nor SPARQL; 'spacekg queries' lists the names")
    bindings = bind_params(store, named, params)
    return store.query(with_slice(named.text, limit, offset), bindings=bindings)


def compact(iri: str) -> str:
    """``skgid:japan`` for an IRI under a known namespace, else the IRI."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and re.fullmatch(r"[\w.\-/]*", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return iri

