"""How values are written in every network format: one spelling for booleans, numbers and lists.

Lists use the syntax Gephi parses for its list columns (``[a, b, "c d"]``), in GEXF, GraphML
and the CSV tables alike, so a column reads the same whichever file an analyst opens.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

__all__ = ["format_scalar", "format_value", "list_value"]

_LIST_SPECIAL = re.compile(r"[\s,\[\]()\"'\\]")


def list_value(values: Iterable[object]) -> str:
    """A list in the syntax Gephi parses for list columns: ``[a, b, "c d"]``."""
    items = [format_scalar(v) for v in values]
    if all(items) and _LIST_SPECIAL.search("".join(items)) is None and "null" not in items:
        return "[" + ", ".join(items) + "]"  # the common case: nothing to quote
    out = []
    for s in items:
        if s == "" or s == "null" or _LIST_SPECIAL.search(s):
            s = '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
        out.append(s)
    return "[" + ", ".join(out) + "]"


def format_scalar(value: object) -> str:
    """A value as GEXF (and GraphML, CSV) write it: ``true``/``false``, integers bare, floats
    in the shortest round-tripping form."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def format_value(value: object) -> str:
    """A scalar as `format_scalar` writes it, a list or set as `list_value` (sets sorted)."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return list_value(sorted(value) if isinstance(value, (set, frozenset)) else value)
    return format_scalar(value)
