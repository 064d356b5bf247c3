"""How a projection looks: one colour per class, a size per mention count.

The palette is data (``palette.tsv`` beside this module): Paul Tol's *muted* qualitative
scheme, whose nine colours stay distinct for the common forms of colour blindness, given to
the nine classes of actors and things, with greys told apart by lightness for places,
assertion nodes and any class the palette does not know. The GEXF writer (``viz:color``,
``viz:size``) and ``spacekg plot`` both read it from here, so Gephi and the PNG agree.
docs/EXPORT.md shows the table.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacekg.errors import ExportError

__all__ = ["FALLBACK", "Colour", "colour_for", "node_size", "palette"]

FALLBACK = "*"  # the palette row used for a class it does not list


@dataclass(frozen=True, slots=True)
class Colour:
    """One palette entry: the class it colours, its sRGB hex code and its common name."""

    cls: str
    hex: str
    name: str

    @property
    def rgb(self) -> tuple[int, int, int]:
        return int(self.hex[1:3], 16), int(self.hex[3:5], 16), int(self.hex[5:7], 16)


@cache
def palette() -> dict[str, Colour]:
    """The palette, class → colour, in the order of ``palette.tsv``."""
    try:
        text = resources.files(__package__).joinpath("palette.tsv").read_text(encoding="utf-8")
    except OSError as exc:
        raise ExportError("the packaged palette.tsv is missing; reinstall spacekg") from exc
    rows = csv.DictReader(io.StringIO(text), delimiter="\t")
    colours = {r["class"]: Colour(r["class"], r["hex"].upper(), r["colour"]) for r in rows}
    if FALLBACK not in colours:
        raise ExportError("palette.tsv has no '*' row for classes it does not list; add one")
    return colours


def colour_for(cls: str | None) -> Colour:
    """The colour of a class (a local name such as ``Country``), or the fallback grey."""
    colours = palette()
    return colours.get(cls or FALLBACK, colours[FALLBACK])


def node_size(mentions: int | None, *, assertion: bool = False) -> float:
    """Node size for Gephi's ``viz:size``: 10 for an entity no kept assertion mentions, growing
    with the square root of its mentions (so area, not radius, tracks the count); assertion
    nodes get a fixed 6, smaller than any entity."""
    if assertion:
        return 6.0
    return round(10.0 + 6.0 * math.sqrt(max(mentions or 0, 0)), 2)
