"""The SPARQL 1.1 Protocol over a `Store`, on the standard library's ``ThreadingHTTPServer``.

Why the standard library: the protocol is three routes, form decoding and content
negotiation; ``http.server`` does that with no new dependency, while an ASGI stack
(starlette + uvicorn) would add two packages and an event loop only to call a blocking
store from worker threads anyway. It is not hardened for the open internet, which is why
the server binds to 127.0.0.1 unless told otherwise.

Routes (the same as Oxigraph server, so ``sparql:http://127.0.0.1:7878/query|update=/update``
works against either):

- ``GET /`` — the YASGUI page; ``/static/…`` its assets; ``GET /queries.json`` the named
  query library with each query's example parameters bound (a ``VALUES`` block).
- ``GET|POST /query`` — ``query=`` in the URL or a form, or an ``application/sparql-query``
  body; the answer format by the Accept header or ``format=``.
- ``POST /update`` — ``update=`` in a form, or an ``application/sparql-update`` body;
  refused with 403 unless the server is writable.
- ``GET|POST /sparql`` — either (what the page's editor calls).

Limits: a request body over `max_request_bytes` is refused with 413. Each query runs in a
worker thread and the client gets 500 "timed out" after `timeout` seconds; on the embedded
Oxigraph store the worker stops reading solutions at that point, but Oxigraph cannot be
interrupted while it sorts, groups or aggregates before the first solution, so such a query
keeps its worker until it ends. At most `max_workers` queries run at once — beyond that,
or while runaway queries hold every worker, requests get 503 with ``Retry-After``.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.parse
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any, TypeVar

from spacekg import __version__
from spacekg.errors import QueryError, QueryTimeoutError, SpacekgError, StoreError
from spacekg.graph.store import QueryResult, Store
from spacekg.graph.values import query_form, with_values
from spacekg.serve.formats import GRAPH_FORMATS, RESULT_FORMATS, AnswerFormat, negotiate, serialize

__all__ = ["SparqlServer"]

log = logging.getLogger("spacekg.serve")
T = TypeVar("T")

_STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                 ".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8",
                 ".svg": "image/svg+xml"}
_READ_ONLY = ("this endpoint is read-only; start it with 'spacekg serve --writable' to accept SPARQL Update")


class _HttpError(Exception):
    def __init__(self, status: HTTPStatus, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class _Workers:
    """At most `size` queries at a time, each in a daemon thread the caller waits for with a
    timeout; a query given up on keeps its slot until it really ends."""

    def __init__(self, size: int) -> None:
        self._slots = threading.BoundedSemaphore(size)
        self._active = 0
        self._idle = threading.Condition()

    def wait_idle(self, timeout: float) -> bool:
        """True once no query runs (False if some still do after `timeout` seconds)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._active == 0, timeout=timeout)

    def run(self, work: Callable[[], T], timeout: float) -> T:
        if not self._slots.acquire(blocking=False):
            raise _HttpError(HTTPStatus.SERVICE_UNAVAILABLE, "every query worker is busy; retry shortly",
                             {"Retry-After": "1"})
        box: dict[str, Any] = {}
        done = threading.Event()
        with self._idle:
            self._active += 1

        def target() -> None:
            try:
                box["value"] = work()
            except BaseException as exc:  # handed to the waiting request thread
                if not isinstance(exc, SpacekgError):
                    log.error("query worker failed", exc_info=exc)
                box["error"] = _detached(exc)
            finally:
                with self._idle:
                    self._active -= 1
                    self._idle.notify_all()
                self._slots.release()
                done.set()

        threading.Thread(target=target, name="spacekg-query", daemon=True).start()
        if not done.wait(timeout):
            raise QueryTimeoutError(f"the query did not finish within {timeout:g} s; simplify it, add a LIMIT, "
                                    "or raise 'spacekg serve --timeout'")
        if "error" in box:
            raise box["error"]
        return box["value"]


def _detached(exc: BaseException) -> BaseException:
    """`exc` without its tracebacks, so the worker's frames (and the pyoxigraph result
    iterators they hold, which must die in the thread that made them) are freed here."""
    seen: BaseException | None = exc
    for _ in range(16):  # bounded walk of the cause/context chain
        if seen is None:
            break
        seen.__traceback__ = None
        seen = seen.__cause__ or seen.__context__
    return exc


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    app: SparqlServer

    def handle_error(self, request: Any, client_address: Any) -> None:  # never print a traceback
        log.exception("error while serving %s", client_address[0] if client_address else "?")


class SparqlServer:
    """Serve `store` over the SPARQL 1.1 Protocol; ``start()``/``stop()`` for tests and
    embedding, ``serve_forever()`` for the command line. Port 0 picks a free port."""

    def __init__(self, store: Store, *, host: str = "127.0.0.1", port: int = 7878, writable: bool = False,
                 timeout: float = 30.0, max_request_bytes: int = 1 << 20, max_workers: int = 4) -> None:
        self.store = store
        self.writable = writable
        self.timeout = timeout
        self.max_request_bytes = max_request_bytes
        self._workers = _Workers(max_workers)
        from spacekg.graph.oxigraph_store import OxigraphStore
        from spacekg.graph.sparql_store import SparqlStore

        self._deadlines = isinstance(store, OxigraphStore)  # its query() can stop at a deadline
        concurrent = isinstance(store, (OxigraphStore, SparqlStore))  # safe to query from several threads
        self._store_lock: threading.Lock | None = None if concurrent else threading.Lock()
        self._write_lock = threading.Lock()
        self._examples: bytes | None = None
        self._thread: threading.Thread | None = None
        self._serving = False
        try:
            self._httpd = _Server((host, port), _Handler)
        except OSError as exc:
            raise SpacekgError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                               "pass another --port (0 picks a free one)") from exc
        self._httpd.app = self

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}"

    def start(self) -> SparqlServer:
        """Serve in a background thread; the socket already listens, so requests are accepted at once."""
        self._serving = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="spacekg-serve", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until `stop()` is called from another one (or Ctrl-C)."""
        self._serving = True
        self._httpd.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        """Stop accepting requests and close the socket (the store stays open: the caller owns it)."""
        if self._serving:
            self._serving = False
            self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until no query worker runs (a query given up on may still be finishing)."""
        return self._workers.wait_idle(timeout)

    def __enter__(self) -> SparqlServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- operations ------------------------------------------------------------------------

    def _with_store(self, work: Callable[[], T]) -> T:
        if self._store_lock is None:
            return work()
        with self._store_lock:
            return work()

    def run_query(self, sparql: str) -> QueryResult:
        """Run a query in a worker, giving up after `timeout` seconds."""
        deadline = time.monotonic() + self.timeout
        query = getattr(self.store, "query")

        def work() -> QueryResult:
            if self._deadlines:
                return self._with_store(lambda: query(sparql, deadline=deadline))
            return self._with_store(lambda: query(sparql))

        return self._workers.run(work, self.timeout)

    def run_update(self, sparql: str) -> None:
        """Run an update request in one transaction, one writer at a time. Updates are not
        cut off by the timeout: abandoning a write half-way is what transactions exist to avoid."""
        if not self.writable:
            raise _HttpError(HTTPStatus.FORBIDDEN, _READ_ONLY)
        with self._write_lock:
            self._with_store(lambda: self.store.update(sparql))
        self._examples = None  # entity examples may resolve differently now

    def examples(self) -> bytes:
        """The named library as JSON for the page: name, title, description, and the query
        with its example parameters bound as a VALUES block (raw text when they do not resolve)."""
        if self._examples is None:
            import json

            from spacekg.queries import bind_params, library

            items = []
            for q in library():
                text, note = q.text, ""
                try:
                    values = {p.name: p.example for p in q.params if p.example is not None}
                    bindings = self._with_store(lambda q=q, values=values: bind_params(self.store, q, values))
                    text = with_values(q.text, bindings)
                except SpacekgError as exc:
                    note = str(exc)
                items.append({"name": q.name, "title": q.title, "description": q.description, "theme": q.theme,
                              "params": [{"name": p.name, "example": p.example} for p in q.params],
                              "query": text, "note": note})
            self._examples = json.dumps(items, ensure_ascii=False).encode("utf-8")
        return self._examples


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = f"spacekg/{__version__}"
    sys_version = ""

    # -- plumbing ----------------------------------------------------------------------------

    def log_message(self, format: str, *args: Any) -> None:  # to logging, never to stderr directly
        log.info("%s %s", self.address_string(), format % args)

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str, headers: dict[str, str] | None = None) -> None:
        self.close_connection = True
        self._send(status, (message.splitlines()[0] if message else status.phrase).encode("utf-8") + b"\n",
                   "text/plain; charset=utf-8", headers)

    def _guard(self, action: Callable[[], None]) -> None:
        try:
            self._answer_or_error(action)
        except (BrokenPipeError, ConnectionResetError):  # the client left; nothing to tell it
            self.close_connection = True

    def _answer_or_error(self, action: Callable[[], None]) -> None:
        try:
            action()
        except _HttpError as exc:
            self._error(exc.status, exc.message, exc.headers)
        except QueryTimeoutError as exc:
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"query timed out: {exc}")
        except QueryError as exc:
            self._error(HTTPStatus.BAD_REQUEST, str(exc))
        except StoreError as exc:
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"store error: {exc}")
        except SpacekgError as exc:
            self._error(HTTPStatus.BAD_REQUEST, str(exc))
        except (BrokenPipeError, ConnectionResetError):
            raise
        except Exception as exc:  # a bug: answer, log it, keep serving
            log.exception("unexpected error on %s %s", self.command, self.path)
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {type(exc).__name__}: {exc}")

    @property
    def app(self) -> SparqlServer:
        return self.server.app

    # -- routes ------------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._guard(self._get)

    def do_HEAD(self) -> None:  # noqa: N802
        self._guard(self._get)

    def do_POST(self) -> None:  # noqa: N802
        self._guard(self._post)

    def _get(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        if path in ("/", "/index.html"):
            return self._static("index.html", cache=False)
        if path.startswith("/static/"):
            return self._static(path[len("/static/"):], cache=True)
        if path == "/favicon.ico":
            return self._static("favicon.svg", cache=True)
        if path == "/queries.json":
            return self._send(HTTPStatus.OK, self.app.examples(), "application/json; charset=utf-8")
        if path in ("/query", "/sparql"):
            params = self._params(url.query)
            if "update" in params:
                raise _HttpError(HTTPStatus.METHOD_NOT_ALLOWED, "updates must be sent with POST",
                                 {"Allow": "POST"})
            if "query" not in params:
                raise _HttpError(HTTPStatus.BAD_REQUEST, "no query: pass the SPARQL query as query=…")
            return self._answer(self._one(params, "query"), params)
        if path == "/update":
            raise _HttpError(HTTPStatus.METHOD_NOT_ALLOWED, "updates must be sent with POST", {"Allow": "POST"})
        raise _HttpError(HTTPStatus.NOT_FOUND, f"no such page {path}; the SPARQL endpoint is /query "
                                               "(updates: /update), the query editor is /")

    def _post(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        if path not in ("/query", "/update", "/sparql"):
            raise _HttpError(HTTPStatus.NOT_FOUND, f"no such endpoint {path}; POST to /query or /update")
        body = self._body()
        params = self._params(url.query)
        content_type = self.headers.get_content_type()
        if content_type == "application/x-www-form-urlencoded":
            params.update(self._params(body.decode("utf-8", "replace")))
        elif content_type == "application/sparql-query":
            params["query"] = [body.decode("utf-8", "replace")]
        elif content_type == "application/sparql-update":
            params["update"] = [body.decode("utf-8", "replace")]
        else:
            raise _HttpError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                             f"unsupported Content-Type {content_type}; send application/sparql-query, "
                             "application/sparql-update or application/x-www-form-urlencoded")
        if "update" in params and "query" in params:
            raise _HttpError(HTTPStatus.BAD_REQUEST, "send either query= or update=, not both")
        if "update" in params:
            if path == "/query":
                raise _HttpError(HTTPStatus.BAD_REQUEST, "updates go to /update, not /query")
            self.app.run_update(self._one(params, "update"))
            return self._send(HTTPStatus.NO_CONTENT, b"", "text/plain; charset=utf-8")
        if "query" not in params:
            raise _HttpError(HTTPStatus.BAD_REQUEST, "no query: send query=… or an application/sparql-query body")
        if path == "/update":
            raise _HttpError(HTTPStatus.BAD_REQUEST, "queries go to /query, not /update")
        return self._answer(self._one(params, "query"), params)

    # -- helpers -----------------------------------------------------------------------------

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            raise _HttpError(HTTPStatus.LENGTH_REQUIRED, "chunked requests are not accepted; send a Content-Length")
        length = self.headers.get("Content-Length")
        if length is None:
            raise _HttpError(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length")
        try:
            size = int(length)
        except ValueError:
            raise _HttpError(HTTPStatus.BAD_REQUEST, f"bad Content-Length {length!r}") from None
        if size < 0:
            raise _HttpError(HTTPStatus.BAD_REQUEST, f"bad Content-Length {length!r}")
        if size > self.app.max_request_bytes:
            raise _HttpError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                             f"the request body of {size} bytes is over this endpoint's limit of "
                             f"{self.app.max_request_bytes} bytes")
        return self.rfile.read(size)

    @staticmethod
    def _params(text: str) -> dict[str, list[str]]:
        try:
            return urllib.parse.parse_qs(text, keep_blank_values=True, max_num_fields=100)
        except ValueError as exc:
            raise _HttpError(HTTPStatus.BAD_REQUEST, f"cannot read the parameters: {exc}") from None

    @staticmethod
    def _one(params: dict[str, list[str]], name: str) -> str:
        values = params[name]
        if len(values) != 1:
            raise _HttpError(HTTPStatus.BAD_REQUEST, f"send exactly one {name}= parameter")
        return values[0]

    def _answer(self, sparql: str, params: dict[str, list[str]]) -> None:
        for name in ("default-graph-uri", "named-graph-uri"):
            if any(v.strip() for v in params.get(name, [])):
                raise _HttpError(HTTPStatus.BAD_REQUEST, f"{name} is not supported; use FROM / FROM NAMED in the query")
        form = query_form(sparql)
        if form == "UPDATE":
            raise _HttpError(HTTPStatus.BAD_REQUEST, "this is an update: send it as update=… with POST to /update")
        offered: tuple[AnswerFormat, ...]
        if form in ("CONSTRUCT", "DESCRIBE"):
            offered = GRAPH_FORMATS
        elif form == "ASK":
            offered = RESULT_FORMATS[:2]
        else:
            offered = RESULT_FORMATS
        requested = (params.get("format") or params.get("output") or [None])[0]
        fmt = negotiate(self.headers.get("Accept"), offered, requested=requested)
        if fmt is None:
            raise _HttpError(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer a {form} query in "
                             f"{requested or self.headers.get('Accept')}; available: "
                             f"{', '.join(f.media_type for f in offered)}")
        result = self.app.run_query(sparql)
        self._send(HTTPStatus.OK, serialize(result, fmt), fmt.content_type)

    def _static(self, name: str, *, cache: bool) -> None:
        folder = resources.files("spacekg.serve") / "static"
        if "/" in name or "\\" in name or name.startswith(".") or not name:
            raise _HttpError(HTTPStatus.NOT_FOUND, f"no such file {name}")
        entry = folder / name
        suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
        if suffix not in _STATIC_TYPES or not entry.is_file():
            raise _HttpError(HTTPStatus.NOT_FOUND, f"no such file {name}")
        headers = {"Cache-Control": "public, max-age=86400" if cache else "no-cache"}
        self._send(HTTPStatus.OK, entry.read_bytes(), _STATIC_TYPES[suffix], headers)
