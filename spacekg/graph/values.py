"""The one audited way to bind query parameters for an engine without substitutions.

A remote SPARQL endpoint (SPARQLWrapper has no ``initBindings``) gets its parameters as a
``VALUES`` block placed at the start of the query's top-level group::

    SELECT ?rank ?entity WHERE { ?a skg:mentions ?entity … }
    →  SELECT ?rank ?entity WHERE {
         VALUES (?entity) { (<https://w3id.org/spacekg/id/nasa>) }
         ?a skg:mentions ?entity … }

Why this is safe: the text inserted is built only from (1) variable names that match
``[A-Za-z_][A-Za-z0-9_]*`` and (2) IRIs and literals serialised by pyoxigraph, whose
N-Triples escaping turns every quote, backslash and line break of a value into an escape
sequence; each serialised term is parsed back and must equal the term given, so nothing a
value holds can close the literal or the block. Blank nodes and quoted triples are refused
(``VALUES`` cannot carry them). The insertion point is found by a small scanner that skips
comments, string literals and IRIs, so a ``WHERE {`` inside any of those is never taken.

The join semantics match Oxigraph's substitutions for the queries of the library: the
variable is bound to the value for the whole top-level group and stays projected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox

from spacekg.errors import ParameterError, QueryError

__all__ = ["query_form", "render_slice", "render_term", "render_value_list", "render_values", "with_blocks",
           "with_slice", "with_update_blocks", "with_values"]

Bindable = ox.NamedNode | ox.Literal

_VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-.:%]*")
_VARIABLE = re.compile(r"[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]*")
_QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATE_FORMS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")


def _tokens(sparql: str) -> Iterator[tuple[int, str]]:
    """(offset, token) for every keyword-like word and every ``{`` / ``}`` outside comments,
    string literals, IRIs and variables. Each step advances, so the scan is bounded by the
    length of the text."""
    i, n = 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            end = sparql.find("\n", i)
            i = n if end < 0 else end + 1
        elif c in "\"'":
            i = _skip_string(sparql, i)
        elif c == "<" and (m := _IRIREF.match(sparql, i)):
            i = m.end()
        elif c in "?$":
            i = _VARIABLE.match(sparql, i).end()  # always matches at least the sigil
        elif c in "{}":
            yield i, c
            i += 1
        elif c.isalpha() or c == "_":
            m = _WORD.match(sparql, i)
            if m:
                yield i, m.group()
                i = m.end()
            else:  # a non-ASCII letter: part of a prefixed name, never a keyword
                i += 1
        else:
            i += 1


def _skip_string(sparql: str, start: int) -> int:
    quote = sparql[start]
    long = sparql.startswith(quote * 3, start)
    i = start + (3 if long else 1)
    n = len(sparql)
    while i < n:
        c = sparql[i]
        if c == "\\":
            i += 2
            continue
        if long:
            if sparql.startswith(quote * 3, i):
                return i + 3
        elif c == quote:
            return i + 1
        elif c in "\r\n":
            break
        i += 1
    raise QueryError(f"SPARQL syntax error: unterminated string starting at character {start}")


def query_form(sparql: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``, or ``UPDATE`` for an update request;
    found by scanning past the prologue, comments and strings."""
    for _, token in _tokens(sparql):
        word = token.upper()
        if word in _QUERY_FORMS:
            return word
        if word in _UPDATE_FORMS:
            return "UPDATE"
    raise QueryError("SPARQL syntax error: no SELECT, ASK, CONSTRUCT or DESCRIBE in the query")


def _group_end(tokens: list[tuple[int, str]], first: int) -> int | None:
    """Index of the token closing the brace group that `tokens[first]` opens (nested groups
    counted), or None when the text never closes it."""
    depth = 0
    for k in range(first, len(tokens)):
        token = tokens[k][1]
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                return k
    return None


def _group_start(sparql: str) -> int:
    """Offset of the ``{`` that opens the query's top-level WHERE group."""
    tokens = list(_tokens(sparql))
    form_at = next((k for k, (_, t) in enumerate(tokens) if t.upper() in _QUERY_FORMS + _UPDATE_FORMS), None)
    if form_at is None or tokens[form_at][1].upper() in _UPDATE_FORMS:
        raise QueryError("parameters can be bound only in a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    form = tokens[form_at][1].upper()
    rest = tokens[form_at + 1:]
    k = 0
    if form == "CONSTRUCT":
        if rest and rest[0][1].upper() == "WHERE":
            raise QueryError("parameters cannot be bound in the short form 'CONSTRUCT WHERE { … }'; "
                             "write 'CONSTRUCT { template } WHERE { pattern }'")
        if rest and rest[0][1] == "{":  # skip the template
            end = _group_end(rest, 0)
            k = len(rest) if end is None else end + 1
    for offset, token in rest[k:]:
        if token == "{":
            return offset
    raise QueryError(f"parameters cannot be bound: the {form} query has no WHERE group")


def render_term(term: Bindable) -> str:
    """A term in SPARQL syntax, written by pyoxigraph and checked by parsing it back."""
    if not isinstance(term, (ox.NamedNode, ox.Literal)):
        raise ParameterError(f"cannot bind {term!r}: only IRIs and literals can be sent as parameter values")
    text = str(term)
    if isinstance(term, ox.NamedNode) and not _IRIREF.fullmatch(text):
        raise ParameterError(f"cannot bind the IRI {text}: it holds characters an IRI may not")
    try:
        parsed = list(ox.parse(f"<urn:x:s> <urn:x:p> {text} .\n".encode(), format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError as exc:  # pragma: no cover - pyoxigraph always writes valid N-Triples
        raise ParameterError(f"cannot bind {text}: {exc}") from exc
    if len(parsed) != 1 or parsed[0].object != term or "\n" in text or "\r" in text:
        raise ParameterError(f"cannot bind {text}: it does not read back as the same term")
    return text


def render_values(bindings: Mapping[str, Bindable]) -> str:
    """``VALUES (?a ?b) { (term term) }``: one row binding every parameter."""
    names = list(bindings)
    for name in names:
        if not _VARNAME.match(name):
            raise ParameterError(f"{name!r} is not a usable parameter name; use letters, digits and '_'")
    variables = " ".join(f"?{name}" for name in names)
    row = " ".join(render_term(bindings[name]) for name in names)
    return f"VALUES ({variables}) {{ ({row}) }}"


def render_value_list(name: str, terms: Iterable[Bindable]) -> str:
    """``VALUES ?name { t1 t2 … }``: one variable, a row per term (a batch of lookups)."""
    if not _VARNAME.match(name):
        raise ParameterError(f"{name!r} is not a usable parameter name; use letters, digits and '_'")
    return f"VALUES ?{name} {{ {' '.join(render_term(t) for t in terms)} }}"


def with_blocks(sparql: str, blocks: Iterable[str]) -> str:
    """`sparql` with rendered VALUES `blocks` right after the opening brace of its top-level group."""
    at = _group_start(sparql) + 1
    return sparql[:at] + "".join(f"\n  {block}" for block in blocks) + "\n" + sparql[at:]


def with_update_blocks(update: str, blocks: Iterable[str], *, depth: int = 0) -> str:
    """`update` (one ``INSERT``/``DELETE … WHERE { … }`` operation) with rendered VALUES `blocks`
    right after the opening brace of its WHERE group — or, with `depth` 1, of the WHERE group of
    the sub-SELECT it reads (an aggregate: a VALUES block outside it would not narrow it)."""
    tokens = list(_tokens(update))
    level = 0
    for k, (_, token) in enumerate(tokens):
        level += {"{": 1, "}": -1}.get(token, 0)
        if level == depth and token.upper() == "WHERE" and k + 1 < len(tokens) and tokens[k + 1][1] == "{":
            at = tokens[k + 1][0] + 1
            return update[:at] + "".join(f"\n  {block}" for block in blocks) + "\n" + update[at:]
    raise QueryError("values can be bound only in an update with a WHERE group")


def render_slice(limit: int | None, offset: int | None) -> str:
    """``LIMIT n OFFSET m`` for a page of a result; both must be non-negative integers (not
    text, not booleans), so nothing but digits reaches the query."""
    parts = []
    for keyword, value in (("LIMIT", limit), ("OFFSET", offset)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ParameterError(f"{keyword.lower()} must be a non-negative integer, not {value!r}")
        parts.append(f"{keyword} {value:d}")
    return " ".join(parts)


def with_slice(sparql: str, limit: int | None = None, offset: int | None = None) -> str:
    """`sparql` answering one page: ``LIMIT``/``OFFSET`` after its solution modifiers (before
    a trailing ``VALUES`` clause). A query that already pages itself is refused rather than
    paged twice."""
    page = render_slice(limit, offset)
    if not page:
        return sparql
    start = _group_start(sparql)
    tokens = list(_tokens(sparql))
    end = _group_end(tokens, next(k for k, (at, _) in enumerate(tokens) if at == start))
    if end is None:
        raise QueryError("SPARQL syntax error: the WHERE group is not closed")
    insert_at = len(sparql)
    for offset_at, token in tokens[end + 1:]:
        word = token.upper()
        if word in ("LIMIT", "OFFSET"):
            raise QueryError("this query has its own LIMIT/OFFSET; remove it to page with limit/offset")
        if word == "VALUES":
            insert_at = offset_at
            break
    return sparql[:insert_at].rstrip() + f"\n{page}\n" + sparql[insert_at:]


def _union_branches(sparql: str, names: Iterable[str]) -> list[int]:
    """Offsets of the ``{`` opening each branch of a ``UNION`` written directly in the query's
    top-level group, except a branch that is a sub-SELECT (a VALUES block cannot open it) or
    that assigns one of the variables `names` (``AS ?name``: it would be bound twice)."""
    assigns = re.compile(r"\bAS\s+[?$](?:" + "|".join(map(re.escape, names)) + r")\b", re.IGNORECASE)
    start = _group_start(sparql)
    tokens = [(offset, token) for offset, token in _tokens(sparql) if offset >= start]
    opened: list[int] = []  # token indexes of the open braces
    branches = []
    for k, (_, token) in enumerate(tokens):
        if token == "{":
            opened.append(k)
        elif token == "}" and opened:
            first = opened.pop()
            if len(opened) != 1:  # not a group directly inside the top-level group
                continue
            before = tokens[first - 1][1].upper() if first > 0 else ""
            after = tokens[k + 1][1].upper() if k + 1 < len(tokens) else ""
            inner = tokens[first + 1][1].upper() if first + 1 < k else ""
            if "UNION" in (before, after) and inner != "SELECT" \
                    and not assigns.search(sparql, tokens[first][0], tokens[k][0]):
                branches.append(tokens[first][0])
    return branches


def with_values(sparql: str, bindings: Mapping[str, Bindable] | None) -> str:
    """`sparql` with `bindings` as a VALUES block right after the opening brace of its
    top-level group, and again at the start of each branch of a top-level ``UNION``: the block
    is one row, so joining it twice changes no answer, but Oxigraph 0.5 does not carry a
    binding from outside into a branch, which then reads every match of its own patterns
    (`fact-evidence`: 944 → 22 CPU-ms at 100k assertions). The text is unchanged when there
    are no bindings."""
    if not bindings:
        return sparql
    block = render_values(bindings)
    for at in sorted(_union_branches(sparql, bindings), reverse=True):
        sparql = sparql[:at + 1] + f" {block}\n" + sparql[at + 1:]
    return with_blocks(sparql, [block])
