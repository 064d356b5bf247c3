"""The extraction's data tables (``*.tsv`` beside this module), read one way."""

from __future__ import annotations

import csv
import io
from importlib import resources

__all__ = ["read_table"]


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of a tab-separated table shipped in this package; lines starting with '#' are
    comments, the first other line names the columns."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t"))
