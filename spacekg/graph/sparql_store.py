"""A store on an external SPARQL 1.1 server: Oxigraph server, Apache Jena Fuseki, Virtuoso,
QLever, GraphDB… — for when one machine's embedded store is outgrown.

STORE string::

    sparql:QUERY_URL[|update=UPDATE_URL][|timeout=SECONDS][|batch=QUADS][|retries=N]

``update=`` may be relative to the query URL (``sparql:http://127.0.0.1:7878/query|update=/update``);
without it the store is read-only. Credentials come from the URL's userinfo
(``http://user:secret@host/…``, basic authentication) or else from the environment:
``SPACEKG_SPARQL_TOKEN`` (bearer) or ``SPACEKG_SPARQL_USER`` / ``SPACEKG_SPARQL_PASSWORD``
(basic). They are stripped from every URL the store keeps or reports, and never logged.

Reads go through SPARQLWrapper (GET, or a form POST once the encoded query is longer than
`GET_LIMIT`); SELECT/ASK answers are SPARQL 1.1 Query Results JSON turned into pyoxigraph
terms, CONSTRUCT/DESCRIBE answers N-Triples or Turtle parsed by pyoxigraph. Parameters are
bound by the audited ``VALUES`` renderer of `spacekg.graph.values`, never pasted as text.
Requests time out (`timeout`); on 429, 502, 503 and 504 they are retried with exponential
back-off honouring ``Retry-After``, within `retries` attempts and `retry_budget` seconds.
Every failure becomes a `StoreError` (or `QueryError` for a request the server rejects as
malformed) naming the endpoint and HTTP status.

What atomicity a remote server gives: SPARQL 1.1 Update asks that a request be applied as
one unit, and Oxigraph server and Fuseki (TDB2) do so — each request is one transaction.
So a record is replaced by ONE update request (its deletions, then ``INSERT DATA``), and
readers see either the old or the new record; records are packed into requests of at most
`batch` quads, each record whole. A build of many records is therefore atomic per record,
not as a whole: if request k fails, the requests before it stay applied — building again is
safe, because IRIs are deterministic and each request replaces what it writes (retrying a
request is safe for the same reason). Servers that commit statement by statement (Virtuoso
with autocommit, some QLever versions) give weaker guarantees than the one-request rule.
"""

from __future__ import annotations

import ast
import base64
import http.client
import json
import os
import re
import time
import urllib.error
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import BinaryIO

import pyoxigraph as ox
from SPARQLWrapper import POST, POSTDIRECTLY, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from spacekg import __version__
from spacekg.errors import QueryError, SpacekgError, StoreError
from spacekg.graph.oxigraph_store import insert_data
from spacekg.graph.store import QueryResult, Term
from spacekg.graph.values import query_form, with_values

__all__ = ["USER_AGENT", "Endpoint", "SparqlStore", "parse_sparql_spec", "term_from_json"]

USER_AGENT = f"spacekg/{__version__} (SPARQL client; +https://w3id.org/spacekg) SPARQLWrapper"
GET_LIMIT = 2000  # characters of the encoded query a GET carries before switching to POST
RETRY_STATUSES = frozenset({429, 502, 503, 504})
_XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_SELECT_ACCEPT = "application/sparql-results+json, application/json;q=0.9"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_QUADS = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
_OPTIONS = ("update", "timeout", "batch", "retries")


@dataclass(frozen=True)
class Endpoint:
    """One URL of the server and the credentials it is called with (never shown)."""

    url: str
    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    def authorization(self) -> str | None:
        if self.user is not None:
            pair = f"{self.user}:{self.password or ''}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        if self.token:
            return f"Bearer {self.token}"
        return None


def _endpoint(url: str, env: Mapping[str, str], *, what: str) -> Endpoint:
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"sparql: the {what} URL must be an http:// or https:// URL with a host, "
                         f"e.g. sparql:http://127.0.0.1:7878/query")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    if parts.username is not None:
        return Endpoint(clean, urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""))
    if env.get("SPACEKG_SPARQL_TOKEN"):
        return Endpoint(clean, token=env["SPACEKG_SPARQL_TOKEN"])
    if env.get("SPACEKG_SPARQL_USER"):
        return Endpoint(clean, env["SPACEKG_SPARQL_USER"], env.get("SPACEKG_SPARQL_PASSWORD", ""))
    return Endpoint(clean)


def parse_sparql_spec(spec: str, env: Mapping[str, str] | None = None) -> dict[str, object]:
    """The keyword arguments of `SparqlStore` that a ``sparql:…`` STORE string names."""
    env = os.environ if env is None else env
    body = spec[len("sparql:"):] if spec.startswith("sparql:") else spec
    url, *options = body.split("|")
    kwargs: dict[str, object] = {"query_url": url}
    for option in options:
        key, sep, value = option.partition("=")
        key = key.strip()
        if not sep or key not in _OPTIONS:
            raise StoreError(f"sparql: unknown option {option!r}; write sparql:QUERY_URL|update=UPDATE_URL "
                             f"(options: {', '.join(_OPTIONS)})")
        if key == "update":
            kwargs["update_url"] = urllib.parse.urljoin(url.strip(), value.strip())
            continue
        try:
            number = float(value) if key == "timeout" else int(value)
        except ValueError:
            raise StoreError(f"sparql: option {key}={value!r} must be a number") from None
        if number <= 0 and key != "retries" or number < 0:
            raise StoreError(f"sparql: option {key}={value!r} must be positive")
        kwargs[{"batch": "batch_quads", "retries": "max_attempts"}.get(key, key)] = \
            number + 1 if key == "retries" else number
    kwargs["env"] = env
    return kwargs


def _blank(label: str) -> ox.BlankNode:
    """A blank node for a label from a results document; labels that pyoxigraph refuses
    (e.g. Virtuoso's ``nodeID://b1``) are mapped to a stable safe label."""
    try:
        return ox.BlankNode(label)
    except ValueError:
        return ox.BlankNode("x" + re.sub(r"[^A-Za-z0-9]", "_", label))


def term_from_json(value: Mapping[str, object]) -> Term:
    """A term of SPARQL 1.1 Query Results JSON (and the older ``typed-literal`` and RDF-star
    ``triple`` forms) as a pyoxigraph term."""
    kind = value.get("type")
    text = value.get("value")
    if kind == "uri":
        return ox.NamedNode(str(text))
    if kind == "bnode":
        return _blank(str(text))
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang")
        if lang:
            return ox.Literal(str(text), language=str(lang))
        datatype = value.get("datatype")
        if datatype and datatype != _RDF_LANG_STRING:
            return ox.Literal(str(text), datatype=ox.NamedNode(str(datatype)))
        return ox.Literal(str(text), datatype=_XSD_STRING)
    if kind == "triple" and isinstance(text, Mapping):
        return ox.Triple(term_from_json(text["subject"]), term_from_json(text["predicate"]),
                         term_from_json(text["object"]))
    raise ValueError(f"unknown term type {kind!r}")


def _server_message(raw: bytes | str | None) -> str:
    """The first meaningful line of an error response, short and on one line."""
    if raw is None:
        return ""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    text = re.sub(r"<[^>]+>", " ", text)  # an HTML error page
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = lines[0] if lines else ""
    return line[:300] + ("…" if len(line) > 300 else "")


def _wrapper_body(exc: SPARQLWrapperException) -> bytes | None:
    """The response body SPARQLWrapper folded into its exception message."""
    text = str(exc)
    if "Response:\n" not in text:
        return None
    try:
        body = ast.literal_eval(text.split("Response:\n", 1)[1].strip())
    except (ValueError, SyntaxError):
        return None
    return body if isinstance(body, bytes) else None


def _retry_after(value: str | None, now: float) -> float | None:
    """Seconds a ``Retry-After`` header asks for: delay-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


class _Retryable(Exception):
    def __init__(self, status: int, wait: float | None, message: str) -> None:
        super().__init__(message)
        self.status, self.wait, self.message = status, wait, message


class SparqlStore:
    """The `Store` protocol over the SPARQL 1.1 Protocol (see the module docstring)."""

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        timeout: float = 60.0,
        max_attempts: int = 5,
        retry_budget: float = 60.0,
        batch_quads: int = 10_000,
        page_size: int = 100_000,
        env: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        post: bool = False,
    ) -> None:
        env = os.environ if env is None else env
        self._query = _endpoint(query_url, env, what="query")
        self._update = _endpoint(update_url, env, what="update") if update_url else None
        self.supports_update = self._update is not None
        self.location = "sparql:" + self._query.url + (f"|update={self._update.url}" if self._update else "")
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.retry_budget = retry_budget
        self.batch_quads = max(1, batch_quads)
        self.page_size = max(1, page_size)
        self._sleep, self._clock = sleep, clock
        self.post = post  # send every query by POST (public endpoints such as Wikidata's ask for it)

    @classmethod
    def from_spec(cls, spec: str, **overrides: object) -> SparqlStore:
        """Open ``sparql:QUERY_URL[|update=URL][|timeout=S][|batch=N][|retries=N]``."""
        kwargs = parse_sparql_spec(spec, overrides.pop("env", None))  # type: ignore[arg-type]
        kwargs.update(overrides)
        return cls(**kwargs)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"SparqlStore({self.location!r})"

    # -- HTTP ---------------------------------------------------------------------------

    def _send_once(self, endpoint: Endpoint, text: str, form: str, accept: str) -> tuple[bytes, str]:
        wrapper = SPARQLWrapper(endpoint.url, updateEndpoint=endpoint.url, agent=USER_AGENT)
        wrapper.setOnlyConneg(True)
        wrapper.queryString = text  # set directly: our scanner knows the form better than its regex
        wrapper.queryType = "INSERT" if form == "UPDATE" else form
        wrapper.timeout = self.timeout  # a float; setTimeout() would truncate it to int
        if form == "UPDATE":
            wrapper.setMethod(POST)
            wrapper.setRequestMethod(POSTDIRECTLY)  # application/sparql-update
        elif self.post or len(urllib.parse.quote_plus(text)) > GET_LIMIT:
            wrapper.setMethod(POST)  # application/x-www-form-urlencoded
        wrapper.addCustomHttpHeader("Accept", accept)
        authorization = endpoint.authorization()
        if authorization:
            wrapper.addCustomHttpHeader("Authorization", authorization)
        response = wrapper.query().response
        try:
            return response.read(), response.headers.get("Content-Type", "") or ""
        finally:
            response.close()

    def _send(self, text: str, *, form: str, accept: str = "*/*") -> tuple[bytes, str]:
        """One request, retried on 429/502/503/504 within `max_attempts` and `retry_budget`."""
        endpoint = self._update if form == "UPDATE" else self._query
        if endpoint is None:
            raise StoreError(f"{self.location} is read-only: add an update endpoint, e.g. "
                             f"'sparql:{self._query.url}|update=/update'")
        what = "update" if form == "UPDATE" else "query"
        started = self._clock()
        for attempt in range(1, self.max_attempts + 1):
            try:
                return self._attempt(endpoint, text, form, accept, what)
            except _Retryable as retry:
                delay = retry.wait if retry.wait is not None else min(30.0, 0.5 * 2 ** (attempt - 1))
                left = self.retry_budget - (self._clock() - started)
                if attempt == self.max_attempts or delay > left:
                    why = (f"gave up after {attempt} attempt(s)" if delay <= left else
                           f"it asks to retry in {delay:.0f} s, beyond the {self.retry_budget:.0f} s retry budget")
                    raise StoreError(f"SPARQL {what} endpoint {endpoint.url}: HTTP {retry.status} "
                                     f"{retry.message}; {why}; try again later") from None
                self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(self, endpoint: Endpoint, text: str, form: str, accept: str, what: str) -> tuple[bytes, str]:
        where = f"SPARQL {what} endpoint {endpoint.url}"
        try:
            return self._send_once(endpoint, text, form, accept)
        except QueryBadFormed as exc:
            raise QueryError(f"{where} rejected the request (HTTP 400): "
                             f"{_server_message(_wrapper_body(exc)) or 'bad request'}") from None
        except Unauthorized:
            raise StoreError(f"{where}: HTTP 401 unauthorized; give credentials in the URL "
                             "(http://user:password@host/…) or set SPACEKG_SPARQL_USER and SPACEKG_SPARQL_PASSWORD, "
                             "or SPACEKG_SPARQL_TOKEN") from None
        except EndPointNotFound:
            raise StoreError(f"{where}: HTTP 404 not found; check the URL (Oxigraph: /query and /update, "
                             "Fuseki: /DATASET/query and /DATASET/update)") from None
        except URITooLong:
            raise StoreError(f"{where}: HTTP 414 URI too long") from None
        except EndPointInternalError as exc:
            raise StoreError(f"{where}: HTTP 500 server error: "
                             f"{_server_message(_wrapper_body(exc)) or 'no message'}") from None
        except urllib.error.HTTPError as exc:
            try:
                body = exc.read()
            except (OSError, http.client.HTTPException):
                body = b""
            message = _server_message(body) or str(exc.reason or "")
            if exc.code in RETRY_STATUSES:
                raise _Retryable(exc.code, _retry_after(exc.headers.get("Retry-After") if exc.headers else None,
                                                        time.time()), message) from None
            advice = "; the server refuses this request with these credentials" if exc.code == 403 else ""
            raise StoreError(f"{where}: HTTP {exc.code} {message}{advice}") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise StoreError(f"{where}: no answer within {self.timeout:g} s; raise it with |timeout=SECONDS "
                                 "or simplify the query") from None
            raise StoreError(f"{where} cannot be reached: {reason}; is the server running?") from None
        except TimeoutError:
            raise StoreError(f"{where}: no answer within {self.timeout:g} s; raise it with |timeout=SECONDS "
                             "or simplify the query") from None
        except (http.client.HTTPException, OSError) as exc:
            raise StoreError(f"{where}: the connection failed: {exc or type(exc).__name__}") from None
        except SPARQLWrapperException as exc:
            raise StoreError(f"{where}: {_server_message(str(exc))}") from None

    # -- reading --------------------------------------------------------------------------

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> QueryResult:
        form = query_form(sparql)
        if form == "UPDATE":
            raise QueryError("this is an update request; run it with 'update', not as a query")
        text = with_values(sparql, bindings)  # type: ignore[arg-type]
        if form in ("CONSTRUCT", "DESCRIBE"):
            body, ctype = self._send(text, form=form, accept=_GRAPH_ACCEPT)
            return QueryResult(kind="graph", triples=self._parse_graph(body, ctype))
        body, ctype = self._send(text, form=form, accept=_SELECT_ACCEPT)
        return self._parse_results(body, ctype)

    def _parse_results(self, body: bytes, ctype: str) -> QueryResult:
        try:
            data = json.loads(body)
            if "boolean" in data:
                return QueryResult(kind="ask", boolean=bool(data["boolean"]))
            variables = list(data["head"].get("vars", []))
            rows = [tuple(term_from_json(b[v]) if v in b else None for v in variables)
                    for b in data["results"]["bindings"]]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            kind = ctype.split(";")[0] or "no content type"
            raise StoreError(f"SPARQL query endpoint {self._query.url} answered with {kind}, not SPARQL JSON "
                             f"results ({exc}); is it the query URL (e.g. http://host:7878/query)?") from None
        return QueryResult(kind="select", variables=variables, rows=rows)

    def _parse_graph(self, body: bytes, ctype: str) -> list[ox.Triple]:
        media = ctype.split(";")[0].strip()
        fmt = ox.RdfFormat.from_media_type(media) if media else None
        fmt = fmt or ox.RdfFormat.TURTLE
        try:
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)]
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"SPARQL query endpoint {self._query.url} sent unreadable {fmt} ({exc})") from None

    def __len__(self) -> int:
        term = self.query(_COUNT).rows[0][0]
        return int(term.value) if term is not None else 0

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad, one request per `page_size` quads (ordered pages when there are several)."""
        total = len(self)
        if total <= self.page_size:
            yield from self._quad_rows(self.query(_QUADS))
            return
        pages = -(-total // self.page_size) + 2  # bounded: a store growing meanwhile ends here
        for page in range(pages):
            result = self.query(f"{_QUADS} ORDER BY ?g ?s ?p ?o LIMIT {self.page_size} OFFSET {page * self.page_size}")
            yield from self._quad_rows(result)
            if len(result.rows) < self.page_size:
                return

    @staticmethod
    def _quad_rows(result: QueryResult) -> Iterator[ox.Quad]:
        for s, p, o, g in result.rows:
            yield ox.Quad(s, p, o, ox.DefaultGraph() if g is None else g)  # type: ignore[arg-type]

    def dump(self, output: BinaryIO, *, format: ox.RdfFormat, prefixes: Mapping[str, str] | None = None) -> None:
        """Write the dataset in a quad format (TriG, N-Quads, JSON-LD)."""
        ox.serialize(self.quads(), output, format=format, prefixes=dict(prefixes or {}) or None)

    # -- writing --------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        """One SPARQL Update request (one transaction on servers that honour the spec)."""
        if sparql.strip():
            self._send(sparql, form="UPDATE")

    def replace(self, before: str, quads: Iterable[ox.Quad], *, after: str = "") -> None:
        """`before`, the insertion of `quads` and `after` as ONE update request."""
        self.update(_join(before, insert_data(quads), after))

    def replace_parts(self, parts: Sequence[tuple[str, Sequence[ox.Quad]]], *, after: str = "") -> None:
        """Each (deletion, quads) part — one record — whole in one request; parts are packed
        into requests of at most `batch_quads` quads; `after` ends the last request."""
        requests: list[list[tuple[str, Sequence[ox.Quad]]]] = [[]]
        size = 0
        for part in parts:
            if requests[-1] and size + len(part[1]) > self.batch_quads:
                requests.append([])
                size = 0
            requests[-1].append(part)
            size += len(part[1])
        for k, request in enumerate(requests):
            last = k == len(requests) - 1
            text = _join(*(_join(before, insert_data(quads)) for before, quads in request), after if last else "")
            try:
                self.update(text)
            except SpacekgError as exc:
                if k == 0:
                    raise
                raise type(exc)(f"{exc}; {k} of {len(requests)} update requests (whole records) were applied "
                                "before this one; build again to finish: it replaces what was written") from None

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Insert in requests of at most `batch_quads`; quads with blank nodes go together in
        one request, since a blank node label is scoped to one request."""
        plain: list[ox.Quad] = []
        blank: list[ox.Quad] = []
        for q in quads:
            (blank if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
             or isinstance(q.graph_name, ox.BlankNode) else plain).append(q)
        for start in range(0, len(plain), self.batch_quads):
            self.update(insert_data(plain[start:start + self.batch_quads]))
        if blank:
            self.update(insert_data(blank))

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""


def _join(*parts: str) -> str:
    return " ;\n".join(p.strip().rstrip(";").strip() for p in parts if p and p.strip())
