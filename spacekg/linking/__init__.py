"""Linking our entities to Wikidata and DBpedia: the datasets, their class constraints and
enrichment properties (data files beside this module), reconciliation and enrichment.

The curated links themselves are data in ``spacekg/ontology/mappings/*.sssom.tsv`` (read by
`spacekg.ontology.sssom` and loaded by every build); this package finds new candidates
(`reconcile`) and copies facts about linked items into a named graph per source (`enrich`).
See docs/LINKING.md.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pyoxigraph as ox

from spacekg.errors import LinkingError

__all__ = [
    "Dataset",
    "EnrichReport",
    "LinkReport",
    "dataset",
    "datasets",
    "drop_enrichment",
    "enrich",
    "reconcile",
]


@dataclass(frozen=True)
class Dataset:
    """An external dataset: its public endpoint, item namespace, and the class constraints
    (`classes`: our class name → its classes) and properties used to link and enrich."""

    name: str
    endpoint: str
    namespace: str
    prefix: str
    country: str
    classes: dict[str, tuple[str, ...]]
    properties: dict[str, str]  # property IRI → its name

    @property
    def graph(self) -> ox.NamedNode:
        """The named graph holding what `enrich` copied from this dataset."""
        return ox.NamedNode(f"https://w3id.org/spacekg/graph/enrichment/{self.name}")

    def query_text(self, kind: str) -> str:
        """The packaged ``<kind>-<name>.rq`` query (candidates, types, enrich)."""
        return _read(f"{kind}-{self.name}.rq")


def _read(name: str) -> str:
    try:
        return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise LinkingError(f"the packaged linking file {name} is missing; reinstall spacekg") from exc


def _table(name: str) -> list[dict[str, str]]:
    lines = [line for line in _read(name).splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@cache
def datasets() -> dict[str, Dataset]:
    """The datasets of ``datasets.tsv`` with their ``classes.tsv`` and ``properties.tsv`` rows."""
    classes: dict[str, dict[str, list[str]]] = {}
    for row in _table("classes.tsv"):
        classes.setdefault(row["dataset"], {}).setdefault(row["skg_class"], []).append(row["external_class"])
    properties: dict[str, dict[str, str]] = {}
    for row in _table("properties.tsv"):
        properties.setdefault(row["dataset"], {})[row["property"]] = row["label"]
    return {
        row["name"]: Dataset(
            name=row["name"], endpoint=row["endpoint"], namespace=row["namespace"], prefix=row["prefix"],
            country=row["country"],
            classes={k: tuple(v) for k, v in classes.get(row["name"], {}).items()},
            properties=properties.get(row["name"], {}),
        )
        for row in _table("datasets.tsv")
    }


def dataset(name: str) -> Dataset:
    """The dataset called `name`; an unknown name is a `LinkingError` listing the known ones."""
    try:
        return datasets()[name]
    except KeyError:
        raise LinkingError(f"unknown dataset {name!r}; choose one of {', '.join(sorted(datasets()))}") from None


from spacekg.linking.enrich import EnrichReport, drop_enrichment, enrich  # noqa: E402
from spacekg.linking.reconcile import LinkReport, reconcile  # noqa: E402
