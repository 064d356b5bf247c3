"""The curated public API: sorted, every name importable, and no name shadows a sub-package."""

from __future__ import annotations

import importlib
import pkgutil

import spacekg


def test_all_is_sorted_and_every_name_resolves():
    names = [n for n in spacekg.__all__ if n != "__version__"]
    assert names == sorted(names, key=lambda n: (not n[0].isupper(), n))
    for name in spacekg.__all__:
        assert getattr(spacekg, name) is not None


def test_submodules_import_with_their_dotted_names():
    for module in pkgutil.walk_packages(spacekg.__path__, prefix="spacekg."):
        if module.name.endswith("__main__"):
            continue
        imported = importlib.import_module(module.name)
        exec(f"import {module.name} as alias", {})  # fails when a package attribute shadows a sub-package
        assert imported.__name__ == module.name
