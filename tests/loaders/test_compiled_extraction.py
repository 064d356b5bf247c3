"""The compiled extraction (`SPACEKG_COMPILE=1 pip install .`, mypyc) gives the plain build's
output byte for byte, so the faster build is the same loader, not a second one to trust.

The wheel is built here the way a user builds it (pip, the project's setup.py and its module
list), unpacked into a scratch folder and run in a child process, which must import the
compiled modules; its `repr` of every `Extraction` of every record in the repository (shipped,
development, held-out) and of a generated corpus is compared with this process's plain build.
The build takes about a minute; it is skipped, with the reason, where there is no C compiler.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from spacekg.loaders.extract import extract_record, is_compiled
from spacekg.loaders.records import read_records
from tests.conftest import FIXTURES, ROOT, SHIPPED_RECORD

# Prints the repr of every extraction of the files named on the command line, after checking
# that the extraction it runs is the compiled one (and not this checkout's source).
_DUMP = """
import sys
from pathlib import Path
from spacekg.loaders.extract import extract_record, is_compiled
from spacekg.loaders.records import read_records
if not is_compiled():
    sys.exit("the child imported the plain extraction: " + __import__("spacekg").__file__)
for name in sys.argv[1:]:
    for record in read_records(Path(name)):
        for extraction in extract_record(record):
            sys.stdout.write(repr(extraction) + "\\n")
"""


def _record_files(tmp_path: Path) -> list[Path]:
    generate = importlib.util.spec_from_file_location("spacekg_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(generate)
    generate.loader.exec_module(module)
    module.generate(1_200, tmp_path / "generated")
    return [SHIPPED_RECORD, *sorted((FIXTURES / "records").glob("*.txt")),
            *sorted((ROOT / "heldout" / "records").glob("*.txt")), *sorted((tmp_path / "generated").rglob("*.txt"))]


def _plain_dump(files: list[Path]) -> str:
    return "".join(repr(e) + "\n" for f in files for r in read_records(f) for e in extract_record(r))


def _compiler_missing() -> str | None:
    if importlib.util.find_spec("mypyc") is None:
        return "mypyc is not installed (pip install '.[test]')"
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        return f"no C compiler ({compiler}) on PATH"
    return None


@pytest.fixture(scope="module")
def compiled_site(tmp_path_factory) -> Path:
    """The compiled wheel, built from a copy of this checkout and unpacked."""
    reason = _compiler_missing()
    if reason:
        pytest.skip(reason)
    work = tmp_path_factory.mktemp("compiled")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "spacekg", source / "spacekg", ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "SPACEKG_COMPILE": "1"}
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                            "--wheel-dir", str(work / "dist"), str(source)],
                           env=env, capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stderr[-4000:]
    [wheel] = (work / "dist").glob("spacekg-*.whl")
    site = work / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def test_the_compiled_build_extracts_exactly_what_the_plain_build_does(compiled_site, tmp_path):
    files = _record_files(tmp_path)
    child = subprocess.run([sys.executable, "-c", _DUMP, *map(str, files)], cwd=tmp_path,
                           env={**os.environ, "PYTHONPATH": str(compiled_site)},
                           capture_output=True, text=True, timeout=600)
    assert child.returncode == 0, child.stderr[-4000:]
    plain = _plain_dump(files)
    assert plain.count("\n") > 1_200  # every assertion of every file, generated ones included
    assert child.stdout == plain


def test_the_compiled_wheel_holds_every_extraction_module_compiled(compiled_site):
    extract = compiled_site / "spacekg" / "loaders" / "extract"
    sources = {p.stem for p in extract.glob("*.py") if p.name != "__init__.py"}
    compiled = {p.name.split(".")[0] for p in extract.glob(f"*{sysconfig.get_config_var('EXT_SUFFIX')}")}
    assert sources and compiled == sources


def test_the_source_tree_runs_plain_python():
    """A compiled module beside its source would be imported instead of it (and go stale when the
    source is edited): the checkout the tests run must hold none."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    assert not list((ROOT / "spacekg").rglob(f"*{suffix}"))
    assert not is_compiled()
