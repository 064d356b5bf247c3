"""Build hook for the compiled extraction (everything else about the package is in pyproject.toml).

`SPACEKG_COMPILE=1 pip install .` compiles the extraction modules with mypyc, the compiler
mypy ships for type-annotated Python (as black and mypy itself are built): the same source,
about 1.4x faster, the same output (tests/loaders/test_compiled_extraction.py checks both
builds give byte-identical extractions). Without the variable the modules stay plain Python.
An editable install is refused with it: a compiled module beside its source is imported
first, so an edited module would silently run stale code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from setuptools import setup

# The record pass and the per-assertion stages: every module of the extraction but the
# package's __init__ (its public entry points stay plain functions, easy to read in a traceback).
COMPILED_MODULES = sorted(
    str(p) for p in Path("spacekg/loaders/extract").glob("*.py") if p.name != "__init__.py"
)


def _compiled_extensions() -> list:
    if os.environ.get("SPACEKG_COMPILE") != "1":
        return []
    if "editable_wheel" in sys.argv or "develop" in sys.argv:
        raise SystemExit("SPACEKG_COMPILE=1 needs a regular install (pip install .), not an editable one: "
                         "a compiled module would shadow its edited source")
    from mypyc.build import mypycify

    return mypycify(["--follow-imports=silent", "--ignore-missing-imports", *COMPILED_MODULES], opt_level="3")


setup(ext_modules=_compiled_extensions())
