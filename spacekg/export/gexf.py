"""A streaming GEXF 1.3 writer, for Gephi.

networkx writes GEXF 1.2draft only, and builds the whole XML tree before writing it; this
writer emits GEXF 1.3 (``http://gexf.net/1.3``, viz ``http://gexf.net/1.3/viz``) element by
element in bounded chunks, so a million-edge projection costs the output buffer, not a
tree (docs/BENCHMARKS.md). The output validates against the official RELAX NG grammar
(tests/data/gexf-1.3/gexf.rng).

What it writes, from a graph made by `spacekg.export.projection.project`:

- ``<attributes>`` declaring the projection's node and edge columns with GEXF types;
- node ``label``, ``attvalues``, ``viz:color`` by class (`spacekg.export.style`) and
  ``viz:size`` by mention count;
- edge ``label``, ``weight``, ``kind`` (the predicate, in a multigraph, as GEXF 1.3 asks
  for parallel edges) and ``type="undirected"`` for a symmetric fact in a directed graph;
- ``mode="static"``, unless some node or edge has ``spells`` (budget fiscal years): then
  ``mode="dynamic"`` with ``<spells>`` so Gephi's timeline works.

Edges are rendered in batches: a function generated once per export writes a batch column
by column with one f-string per edge, and hands any batch it cannot render exactly (a float
weight, an unseen label, a list item that needs quoting) to the general edge-by-edge
renderer, which writes the same text. With ``parallel=True`` and from `_PARALLEL_EDGES`
edges on, a forked worker process renders the last part of the edge section into an unnamed temporary file while this
process writes the nodes and the first part, then appends it (same bytes; `_write_in_two`).

Text and attribute values are escaped (``xml.sax.saxutils``), characters XML 1.0 forbids
(most C0 controls, lone surrogates, U+FFFE/U+FFFF) are dropped, and labels are
whitespace-collapsed because the grammar types them ``xsd:token``.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, filterfalse, islice, repeat
from multiprocessing.connection import Connection
from operator import is_, itemgetter
from typing import BinaryIO
from xml.sax.saxutils import escape

import networkx as nx

from spacekg import __version__
from spacekg.errors import ExportError
from spacekg.export.formatting import format_scalar, format_value
from spacekg.export.projection import RESERVED, Attribute
from spacekg.export.style import colour_for, node_size

__all__ = ["GEXF_NS", "VIZ_NS", "write_gexf"]

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"

# Characters XML 1.0 does not allow anywhere, even escaped (§2.2 Char).
_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Anything that needs more than copying: markup characters, white space an attribute value
# would lose, or an illegal character.
_NEEDS_WORK = re.compile("[&<>\"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# ... and for a token: also white space other than single spaces between words.
_TOKEN_NEEDS_WORK = re.compile("[&<>\"\x00-\x1f\ud800-\udfff\ufffe\uffff]|[^\\S ]|  |^ | $")
_ATTR_ENTITIES = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
_CHUNK = 1 << 16  # characters buffered before each write
_FAST = True  # render qualifying batches of edges in one comprehension (tests switch it off to compare)
_BATCH = 512  # edges rendered and handed over together (small enough to stay in the CPU's cache)


def clean(text: str) -> str:
    """`text` without the characters XML 1.0 forbids."""
    return _ILLEGAL.sub("", text)


def attr(value: str) -> str:
    """`value` escaped for a double-quoted XML attribute (quotes not included)."""
    if _NEEDS_WORK.search(value) is None:
        return value
    return escape(clean(value), _ATTR_ENTITIES)


def text(value: str) -> str:
    """`value` escaped as XML character data."""
    return escape(clean(value))


def token(value: str) -> str:
    """`value` as an ``xsd:token``: white space collapsed, then escaped for an attribute."""
    if _TOKEN_NEEDS_WORK.search(value) is None:
        return value
    return attr(" ".join(clean(value).split()))


def _infer(items: Iterable[dict]) -> tuple[Attribute, ...]:
    """Columns of a graph that does not declare them (not made by `project`)."""
    types: dict[str, str] = {}
    for data in items:
        for key, value in data.items():
            if key in RESERVED or key in types or value is None:
                continue
            if isinstance(value, bool):
                types[key] = "boolean"
            elif isinstance(value, int):
                types[key] = "long"
            elif isinstance(value, float):
                types[key] = "double"
            elif isinstance(value, (list, tuple, set, frozenset)):
                types[key] = "liststring"
            else:
                types[key] = "string"
    return tuple(Attribute(k, t, "") for k, t in types.items())


def _spells(spells: Iterable[tuple[object, object]]) -> str:
    parts = ["<spells>"]
    for start, end in spells:
        bounds = ""
        if start is not None:
            bounds += f' start="{attr(format_scalar(start))}"'
        if end is not None:
            bounds += f' end="{attr(format_scalar(end))}"'
        parts.append(f"<spell{bounds}/>")
    parts.append("</spells>")
    return "".join(parts)


_INTEGER_TYPES = frozenset({"integer", "long", "short", "byte", "biginteger"})
_REAL_TYPES = frozenset({"double", "float", "bigdecimal"})
_NON_FINITE = {math.inf: "INF", -math.inf: "-INF"}


def _real(value: object) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return _NON_FINITE.get(value, "NaN")
    return format_scalar(value)


def _string(memo: dict[str, str] | None = None) -> Callable[[object], str]:
    """A string column's formatter, remembering in `memo` the escaped form of values that
    repeat (predicates, classes, countries) so the hot loop escapes each of them once."""
    memo = {} if memo is None else memo

    def fmt(value: object) -> str:
        if type(value) is not str:
            return attr(format_value(value))
        out = memo.get(value)
        if out is None:
            out = attr(value)
            if len(memo) < 4096:
                memo[value] = out
        return out

    return fmt


def _integer(value: object) -> str:
    if isinstance(value, int):  # bool too: 1 and 0, as int() and the fast path's {x:d} spell it
        return str(int(value))
    return attr(format_scalar(value))


def _formatter(gexf_type: str) -> Callable[[object], str]:
    """How a column's values are spelled, chosen once per column (this is the hot loop)."""
    if gexf_type in _INTEGER_TYPES:
        return _integer
    if gexf_type in _REAL_TYPES:
        return _real
    if gexf_type == "boolean":
        return lambda v: "true" if v else "false"
    if gexf_type.startswith("list"):
        return _list
    return _string()


# Characters that make a list item need quoting (Gephi's list syntax) or escaping (XML).
_LIST_NEEDS_WORK = re.compile("[\\s,\\[\\]()\"'\\\\&<>\x00-\x1f\ud800-\udfff\ufffe\uffff]")
# The printable ASCII characters that need neither: deleting them from an ASCII item leaves
# nothing exactly when the item can be written as it is (a C loop, ~20× cheaper than the
# regex on a million edges' assertion ids).
_LIST_PLAIN_BYTES = bytes(c for c in range(0x21, 0x7F) if _LIST_NEEDS_WORK.match(chr(c)) is None)


def _plain_items(joined: str) -> bool:
    """Whether the list items joined in `joined` need neither quoting nor escaping."""
    if joined.isascii():
        return not joined.encode("ascii").translate(None, _LIST_PLAIN_BYTES)
    return _LIST_NEEDS_WORK.search(joined) is None


def _list(value: object) -> str:
    if type(value) is list and value and "" not in value and "null" not in value:
        try:
            joined = "".join(value)  # TypeError unless every item is a str
        except TypeError:
            joined = None
        if joined is not None and _plain_items(joined):
            return "[" + ", ".join(value) + "]"  # the common case (assertion ids): nothing to quote or escape
    return attr(format_value(value))


def _fstring(before: str, after: str) -> str:
    """The source of an f-string literal: `before`, the value of ``x``, `after`."""
    def literal(text: str) -> str:
        return text.replace("{", "{{").replace("}", "}}")

    return "f" + repr(literal(before) + "{x}" + literal(after))


def _attvalue_lines(columns: tuple[Attribute, ...], namespace: dict[str, object]) -> list[str]:
    """Source lines appending each present column's ``<attvalue>`` to ``att``."""
    namespace["_format_int"] = _integer
    lines = []
    for j, column in enumerate(columns):
        element = _fstring(f'<attvalue for="{attr(column.name)}" value="', '"/>')
        lines += [f"    x = get({column.name!r})", "    if x is not None:"]
        if column.type in _INTEGER_TYPES:
            lines += ["        if type(x) is not int:", "            x = _format_int(x)"]
        elif column.type in _REAL_TYPES or column.type == "boolean" or column.type.startswith("list"):
            namespace[f"_format_{j}"] = _formatter(column.type)
            lines.append(f"        x = _format_{j}(x)")
        else:  # a string: look the escaped value up before calling the formatter that fills the memo
            memo: dict[str, str] = {}
            namespace[f"_memo_{j}"], namespace[f"_format_{j}"] = memo, _string(memo)
            lines += [f"        v = _memo_{j}.get(x) if type(x) is str else None",
                      f"        x = _format_{j}(x) if v is None else v"]
        lines.append(f"        att += {element}")
    return lines


def _compile(name: str, lines: list[str], namespace: dict[str, object]) -> Callable[[dict], str]:
    exec(compile("\n".join(lines), f"<gexf {name}>", "exec"), namespace)
    return namespace["render"]  # type: ignore[return-value]


def _compile_attvalues(columns: tuple[Attribute, ...]) -> Callable[[dict], str]:
    """A function rendering a node's ``<attvalues>`` for these columns (see `_compile_edge`)."""
    namespace: dict[str, object] = {}
    lines = ["def render(data):", "    get = data.get", "    att = ''", *_attvalue_lines(columns, namespace),
             "    return '<attvalues>' + att + '</attvalues>' if att else ''"]
    return _compile("node attvalues", lines, namespace)


def _compile_edge(columns: tuple[Attribute, ...], *, directed: bool, multigraph: bool,
                  dynamic: bool) -> Callable[[dict], str]:
    """A function rendering everything of an ``<edge>`` after its id, source and target.

    This is the hot loop of a million-edge export, so the per-edge work is unrolled into a
    function generated once per export (as dataclasses generate ``__init__``): no loop over
    columns, no branch on the graph's kind, no call for integers. Column names enter the
    generated code only as ``repr`` strings and formatters as bound names, never as code.
    """
    namespace: dict[str, object] = {"_token": token, "_real": _real, "_spells": _spells, "_labels": {}}
    lines = ["def render(data):", "    get = data.get", "    out = ''"]
    if directed:  # a symmetric fact (skg:metWith) in a directed graph
        lines += ["    if get('symmetric'):", "        out = ' type=\"undirected\"'"]
    lines += ["    x = get('label')", "    if x is not None:",
              # edge labels repeat: escape each once; strings only, as 1, 1.0 and True are one key
              "        e = _labels.get(x) if type(x) is str else None",
              "        if e is None:",
              "            e = _token(str(x))",
              "            if len(_labels) < 4096 and type(x) is str:",
              "                _labels[x] = e",
              "        out += f' label=\"{e}\" kind=\"{e}\"'" if multigraph else "        out += f' label=\"{e}\"'",
              "    x = get('weight')", "    if x is not None:",
              "        if type(x) is not int:", "            x = _real(float(x))",
              "        out += f' weight=\"{x}\"'",
              "    att = ''", *_attvalue_lines(columns, namespace),
              "    body = '<attvalues>' + att + '</attvalues>' if att else ''"]
    if dynamic:
        lines += ["    x = get('spells')", "    if x:", "        body += _spells(x)"]
    lines += ["    return out + '>' + body + '</edge>\\n' if body else out + '/>\\n'"]
    return _compile("edge", lines, namespace)


_SEQUENCES = frozenset({list, tuple})
_BOOLEANS = {True: "true", False: "false"}
_SYMMETRIC = {True: ' type="undirected"', False: ""}
_SAFE_KEY = re.compile(r"[A-Za-z_][\w.\-]*")


class _NotFast(Exception):
    """A batch the fast path cannot render exactly as `render` would."""


def _check_lists(values: list) -> None:
    """Raise `_NotFast` unless every value is a list (or tuple) of strings that need neither
    quoting (Gephi's list syntax) nor escaping (XML): the batch renderer joins them as they are."""
    if not set(map(type, values)) <= _SEQUENCES:
        raise _NotFast
    items = list(chain.from_iterable(values))
    if "" in items or "null" in items or not _plain_items("".join(items)):  # join: TypeError unless str
        raise _NotFast


def _compile_fast_edges(columns: tuple[Attribute, ...], first: dict, render: Callable[[dict], str], *,
                        directed: bool, multigraph: bool,
                        plain_ids: bool = False) -> Callable[[list, int], str | None] | None:
    """A function rendering a whole batch of edges with one f-string per edge, or ``None``
    when this graph's edges do not suit it.

    The function is generated once per export (as dataclasses generate ``__init__``): a list
    comprehension whose f-string reads each column straight from the edge's data, with the
    checks that keep its text identical to `render`'s done for the whole batch at C speed.
    A batch qualifies when every edge has the same keys as `first`, integers are ints,
    every string value has already been escaped once (it is looked up in the memos `render`
    fills: a miss raises KeyError) and no list item needs quoting or escaping; a batch that
    does not qualify returns ``None`` and is rendered edge by edge by `render`, which writes
    the same text (a test holds the two paths to that). Column names enter the generated
    code only after matching a plain-name pattern. With `plain_ids` (every node is a string
    that is its own escaped id, as CURIEs are) the endpoints are written as they are, without
    a lookup per endpoint (a cache miss each, a fifth of the time at a million edges).
    """
    memos = render.__globals__  # the slow path's memos (_labels, _memo_<j>) and the node ids (_ids)
    keys = set(first)
    used = keys & ({"label", "weight"} | {c.name for c in columns} | ({"symmetric"} if directed else set()))
    if keys - used or not all(_SAFE_KEY.fullmatch(k) for k in keys):
        return None  # keys the writer ignores (a batch could hide a column behind them), or odd names
    source, target = ("{u}", "{v}") if plain_ids else ("{_ids[u]}", "{_ids[v]}")
    pieces = ['      <edge id="', "{i}", '" source="', source, '" target="', target, '"']
    checks: list[str] = []
    if directed and "symmetric" in keys:
        pieces.append('{_SYMMETRIC[d["symmetric"]]}')
    if "label" in keys:
        label = '{_labels[d["label"]]}'
        pieces += [' label="', label, '" kind="', label, '"'] if multigraph else [' label="', label, '"']
    if "weight" in keys:
        pieces += [' weight="', '{d["weight"]:d}', '"']  # ValueError for a float: the slow path writes those
    attvalues: list[str] = []
    for j, column in enumerate(columns):
        name = column.name
        if name not in keys:
            continue
        if column.type in _INTEGER_TYPES:
            value = [f'{{d["{name}"]:d}}']
        elif column.type == "boolean":
            value = [f'{{_BOOLEANS[d["{name}"]]}}']
        elif column.type.startswith("list"):
            value = ["[", f'{{", ".join(d["{name}"])}}', "]"]
            checks.append(f'_check_lists(list(map(_itemgetter("{name}"), datas)))')
        elif f"_memo_{j}" in memos:  # a string column
            value = [f'{{_memo_{j}[d["{name}"]]}}']
        else:
            return None  # real numbers are left to the slow path (INF, NaN)
        attvalues += [f'<attvalue for="{attr(name)}" value="', *value, '"/>']
    pieces += [">", "<attvalues>", *attvalues, "</attvalues>", "</edge>\n"] if attvalues else ["/>\n"]
    literal = "".join(p if p.startswith("{") and p.endswith("}") else p.replace("{", "{{").replace("}", "}}")
                      for p in pieces)
    quotes = "'" * 3
    if "\\" in literal or quotes in literal:
        return None  # cannot be written as a triple-quoted f-string: the slow path does it
    source = "\n".join([
        "def fast(batch, start):",
        "    datas = [d for _, _, d in batch]",
        f"    if set(map(len, datas)) != {{{len(keys)}}}:",
        "        return None",
        "    try:",
        *(f"        {check}" for check in checks),
        f"        return ''.join([f{quotes}{literal}{quotes} for i, (u, v, d) in enumerate(batch, start)])",
        "    except (_NotFast, KeyError, TypeError, ValueError):",
        "        return None",
    ])
    memos.update({"_SYMMETRIC": _SYMMETRIC, "_BOOLEANS": _BOOLEANS, "_NotFast": _NotFast,
                  "_check_lists": _check_lists, "_itemgetter": itemgetter})
    exec(compile(source, "<gexf fast edges>", "exec"), memos)
    return memos["fast"]  # type: ignore[return-value]


def _edge_batches(graph: nx.Graph, first: int = 0,
                  last: int | None = None) -> Iterator[list[tuple[object, object, dict]]]:
    """The edges written from the nodes at positions `first` to `last` (exclusive) of the
    adjacency, as ``(u, v, data)`` in lists of about `_BATCH`, in the order of
    ``graph.edges(data=True)``; ``first=0, last=None`` gives every edge.

    An undirected edge is written from the endpoint met first, as networkx does. The
    adjacency is walked one node at a time with C-level iteration: reading a million edges
    through networkx's edge view costs a generator step per edge, about a third of the
    whole export.
    """
    undirected = not graph.is_directed()
    multigraph = graph.is_multigraph()
    seen: set[object] = set(islice(graph.adj, first)) if undirected else set()
    batch: list[tuple[object, object, dict]] = []
    for u, neighbours in islice(graph.adjacency(), first, last):
        targets = list(filterfalse(seen.__contains__, neighbours)) if undirected else list(neighbours)
        if undirected:
            seen.add(u)
        if multigraph:  # one entry per key, in key order
            for v in targets:
                batch += zip(repeat(u), repeat(v), neighbours[v].values())
        else:
            batch += zip(repeat(u), targets, map(neighbours.__getitem__, targets))
        if len(batch) >= _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _declarations(cls: str, columns: tuple[Attribute, ...]) -> Iterator[str]:
    if not columns:
        return
    yield f'    <attributes class="{cls}" mode="static">\n'
    for c in columns:
        yield f'      <attribute id="{attr(c.name)}" title="{attr(c.name)}" type="{c.type}"/>\n'
    yield "    </attributes>\n"


class _Document:
    """What a graph's GEXF document is made of, worked out once: the columns, the graph's
    kind, and the text before the nodes and after the edges."""

    def __init__(self, graph: nx.Graph, description: str | None) -> None:
        self.graph = graph
        self.node_columns = graph.graph.get("node_attributes") or _infer(d for _, d in graph.nodes(data=True))
        self.edge_columns = graph.graph.get("edge_attributes") or _infer(d for *_, d in graph.edges(data=True))
        self.directed = graph.is_directed()
        self.multigraph = graph.is_multigraph()
        self.dynamic = "timeformat" in graph.graph
        self.edge_count = graph.number_of_edges()
        if description is None:
            description = (f"spacekg projection '{graph.graph.get('projection', 'graph')}' "
                           f"(filters: {graph.graph.get('filters', 'none')})")
        self.description = description

    def head(self) -> Iterator[str]:
        """Everything up to and including ``<nodes>``."""
        graph = self.graph
        yield '<?xml version="1.0" encoding="UTF-8"?>\n'
        yield f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{VIZ_NS}" version="1.3">\n'
        yield f"  <meta>\n    <creator>spacekg {text(__version__)}</creator>\n"
        yield f"    <description>{text(self.description)}</description>\n  </meta>\n"
        mode = (f'mode="dynamic" timeformat="{attr(graph.graph["timeformat"])}"' if self.dynamic
                else 'mode="static"')
        yield (f'  <graph defaultedgetype="{"directed" if self.directed else "undirected"}" idtype="string" '
               f'{mode}>\n')
        yield from _declarations("node", self.node_columns)
        yield from _declarations("edge", self.edge_columns)
        yield f'    <nodes count="{graph.number_of_nodes()}">\n'

    def nodes(self, ids: dict[object, str]) -> Iterator[str]:
        """The ``<node>`` elements, filling `ids` (node → escaped id) for the edges."""
        node_attvalues = _compile_attvalues(self.node_columns)
        dynamic = self.dynamic
        viz: dict[tuple[object, object, bool], str] = {}  # (class, mentions, assertion?) → viz elements
        batch: list[str] = []
        for node, data in self.graph.nodes(data=True):
            nid = ids[node] = attr(str(node))
            label = data.get("label")
            head = f'      <node id="{nid}" label="{token(str(label))}">' if label is not None else \
                f'      <node id="{nid}">'
            key = (data.get("class"), data.get("mentions"), data.get("kind") == "assertion")
            style = viz.get(key)
            if style is None:
                r, g, b = colour_for(key[0] if isinstance(key[0], str) else None).rgb
                size = node_size(key[1] if isinstance(key[1], int) else None, assertion=key[2])
                style = viz[key] = f'<viz:color r="{r}" g="{g}" b="{b}"/><viz:size value="{size}"/>'
            spells = _spells(data["spells"]) if dynamic and data.get("spells") else ""
            batch.append(f"{head}{node_attvalues(data)}{spells}{style}</node>\n")
            if len(batch) >= 512:
                yield "".join(batch)
                batch.clear()
        yield "".join(batch)
        yield "    </nodes>\n"
        yield f'    <edges count="{self.edge_count}">\n'

    def edges(self, ids: dict[object, str], batches: Iterable[list[tuple[object, object, dict]]],
              start: int) -> Iterator[str]:
        """The ``<edge>`` elements of `batches`, numbered from `start`."""
        render = _compile_edge(self.edge_columns, directed=self.directed, multigraph=self.multigraph,
                               dynamic=self.dynamic)
        render.__globals__["_ids"] = ids
        fast = None
        compiled = False
        for batch in batches:  # hand over edges in batches: a yield per edge costs more
            if not compiled and _FAST and not self.dynamic:
                plain_ids = all(map(is_, ids, ids.values()))  # every node its own id: no escaping needed
                fast = _compile_fast_edges(self.edge_columns, batch[0][2], render, directed=self.directed,
                                           multigraph=self.multigraph, plain_ids=plain_ids)
                compiled = True
            chunk = fast(batch, start) if fast is not None else None
            if chunk is None:
                chunk = "".join([f'      <edge id="{i}" source="{ids[u]}" target="{ids[v]}"{render(d)}'
                                for i, (u, v, d) in enumerate(batch, start)])
            yield chunk
            start += len(batch)

    @staticmethod
    def tail() -> str:
        return "    </edges>\n  </graph>\n</gexf>\n"


def generate_gexf(graph: nx.Graph, *, description: str | None = None) -> Iterator[str]:
    """The GEXF document for `graph`, as a stream of text pieces, in the graph's node and
    edge order (which `project` sorts)."""
    document = _Document(graph, description)
    ids: dict[object, str] = {}  # node → escaped id, so edges reuse it instead of escaping again
    yield from document.head()
    yield from document.nodes(ids)
    yield from document.edges(ids, _edge_batches(graph), 0)
    yield document.tail()


def _write(pieces: Iterable[str], output: BinaryIO) -> None:
    """Encode and write `pieces` about `_CHUNK` characters at a time."""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= _CHUNK:
            output.write("".join(buffer).encode("utf-8"))
            buffer.clear()
            size = 0
    if buffer:
        output.write("".join(buffer).encode("utf-8"))


def write_gexf(graph: nx.Graph, output: BinaryIO, *, description: str | None = None,
               parallel: bool = False) -> None:
    """Write `graph` to the binary stream `output` as UTF-8 GEXF 1.3, a chunk at a time.

    With `parallel`, a graph of at least `_PARALLEL_EDGES` edges has the last part of its
    edges rendered by a forked worker process while this one writes the nodes and the first
    part (`_write_in_two`); the bytes are the same either way. Off by default: it cut the
    wall time of a million edges by ~30 % only with a core free, and costs ~0.7-2 CPU s and
    ~0.5 GiB (copy-on-write) more (docs/BENCHMARKS.md, "GEXF writer: session 5").
    """
    try:
        if parallel and _can_fork() and graph.number_of_edges() >= _PARALLEL_EDGES:
            _write_in_two(graph, output, description, _split(graph))
        else:
            _write(generate_gexf(graph, description=description), output)
    except OSError as exc:
        name = getattr(output, "name", "the GEXF file")
        raise ExportError(f"cannot write {name}: {exc.strerror or exc}; check the disk and the path") from exc


# Edges from which a second process renders part of the edge section: below this, forking
# (a few ms, plus the copy-on-write faults of the pages the worker reads) is not worth it.
_PARALLEL_EDGES = 200_000
# What rendering a node costs, in edges (measured on the benchmark's projection): used to
# give the worker the share of edges that makes both processes finish together.
_NODE_COST = 2.0


def _can_fork() -> bool:
    """Whether a worker can be forked (it inherits the graph instead of receiving a copy)
    and has a core of its own. Not on macOS, where forking a process that has used system
    frameworks is unsafe, nor where the process is held to one core."""
    if not hasattr(os, "fork") or sys.platform == "darwin":
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores >= 2


def _split(graph: nx.Graph) -> int:
    """The adjacency position from which the worker renders the edges, chosen so that the
    worker's edges cost about what this process's nodes and remaining edges cost.

    Edges written from each node are estimated, not counted (counting is a pass over every
    edge): all of its out-edges in a directed graph, and in an undirected one the share of
    its neighbours that come after it, if they were spread evenly. A poor estimate only
    unbalances the two processes; the output does not depend on it."""
    adjacency = graph.adj
    n = len(adjacency)
    if graph.is_multigraph():
        degrees = [sum(map(len, neighbours.values())) for neighbours in adjacency.values()]
    else:
        degrees = list(map(len, adjacency.values()))
    if graph.is_directed():
        written = degrees
    else:
        written = [d * (n - p) / n for p, d in enumerate(degrees)]
    total = sum(written)
    worker = (total + _NODE_COST * n) / 2  # what the worker should take
    rest = 0.0
    for position in range(n - 1, -1, -1):
        rest += written[position]
        if rest >= worker:
            return position
    return 0


def _write_in_two(graph: nx.Graph, output: BinaryIO, description: str | None, first: int) -> None:
    """Write the document with the edges written from adjacency positions `first` on
    rendered by a forked worker into an unnamed temporary file, appended after this
    process's own edges.

    The worker inherits the graph (no copy, no pickling), works out its own node ids and
    starting edge number (the edge count less its own edges), and reports success or its
    exception through a pipe. Whatever goes wrong here, the worker is killed and waited for
    and the temporary file, never named, vanishes when closed.
    """
    document = _Document(graph, description)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    with tempfile.TemporaryFile(prefix="spacekg-gexf-") as part:
        worker = context.Process(target=_render_part, args=(document, first, part.fileno(), send),
                                 name="spacekg-gexf-edges", daemon=True)
        worker.start()
        send.close()
        try:
            ids: dict[object, str] = {}
            _write(chain(document.head(), document.nodes(ids), document.edges(ids, _edge_batches(graph, 0, first), 0)),
                   output)
            try:
                error = receive.recv()
            except EOFError:  # it died without a word (killed, out of memory)
                worker.join()
                error = ExportError(f"the process rendering the GEXF edges stopped (exit code {worker.exitcode}); "
                                    f"check the memory available")
            if error is not None:
                raise error
            part.seek(0)
            shutil.copyfileobj(part, output, 1 << 20)
            output.write(document.tail().encode("utf-8"))
        finally:
            receive.close()
            if worker.is_alive():
                worker.kill()
            worker.join()


def _render_part(document: _Document, first: int, fd: int, report: Connection) -> None:
    """In the forked worker: render the edges written from adjacency position `first` on
    into the file open as `fd`, then send ``None``, or the exception that stopped it."""
    gc.disable()  # a full collection would touch every object of the graph, copying all its pages
    try:
        graph = document.graph
        ids = {node: attr(str(node)) for node in graph}
        batches = list(_edge_batches(graph, first))
        start = document.edge_count - sum(map(len, batches))
        with open(os.dup(fd), "wb") as out:
            _write(document.edges(ids, batches, start), out)
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        try:
            report.send(exc)
        except Exception:  # not picklable: its text then
            report.send(ExportError(f"rendering the GEXF edges failed: {type(exc).__name__}: {exc}"))
    else:
        report.send(None)
    finally:
        report.close()
