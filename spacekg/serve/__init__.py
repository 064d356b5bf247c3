"""``spacekg serve``: the store over the SPARQL 1.1 Protocol, with a YASGUI query editor
whose examples are the named query library (see `spacekg.serve.app`)."""

from __future__ import annotations

from spacekg.serve.app import SparqlServer

__all__ = ["SparqlServer"]
