"""The ``spacekg`` command: parse arguments, call one library function, format the result.

Exit status: 0 success; 1 ran but a check failed (e.g. the ontology is inconsistent);
2 user error (bad input, unknown query, unusable store), with a one-line reason on stderr.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from spacekg import __version__
from spacekg.errors import SpacekgError
from spacekg.graph.store import DEFAULT_STORE, opened

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE = 0, 1, 2

store_option = click.option(
    "--store", "store_spec", default=DEFAULT_STORE, show_default=True, metavar="STORE",
    help="A folder (embedded Oxigraph on disk), 'memory:' or 'rdflib:'.",
)


def _stdout() -> Console:
    return Console(soft_wrap=False)


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"spacekg: error: {message}", err=True)
    sys.exit(code)


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Map spacekg's exceptions to a one-line message and exit status 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except SpacekgError as exc:
            _fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="spacekg")
def main() -> None:
    """spacekg: assertion records about space policy, as an RDF knowledge graph.

    \b
    Example:
      spacekg build data/records/
      spacekg query assertions-about --param entity=MOD
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@store_option
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@handle_errors
def build(paths: tuple[str, ...], store_spec: str, quiet: bool) -> None:
    """Build record files (or folders of them) into the store.

    Every file is read and extracted before the store is touched, and a record replaces
    its earlier version in one transaction: a bad file leaves the store unchanged.

    \b
    Example:
      spacekg build data/records/us-japan-space-partnership.txt --store ./spacekg-store
    """
    from spacekg.build import build as build_records
    from spacekg.loaders.records import find_record_files

    files = find_record_files(paths)
    show = not quiet and sys.stderr.isatty() and len(files) > 1
    with opened(store_spec) as store, Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=Console(stderr=True), disable=not show, transient=True,
    ) as bar:
        tasks = {"read": bar.add_task("reading", total=len(files)), "extract": bar.add_task("extracting", total=None),
                 "write": bar.add_task("writing", total=1)}
        report = build_records(files, store, progress=lambda what, n: bar.advance(tasks[what], n))
    if quiet:
        return
    table = Table(title=f"Built into {store_spec}", title_justify="left")
    for col in ("record", "assertions", "entities", "quantities", "facts", "budgets", "negated"):
        table.add_column(col, justify="left" if col == "record" else "right")
    for r in report.records:
        table.add_row(r.source, *(str(x) for x in (r.assertions, r.entities, r.quantities, r.facts, r.budgets,
                                                   r.negated)))
    out = _stdout()
    out.print(table)
    classes = ", ".join(f"{n} {c}" for c, n in sorted(report.entities_by_class.items()))
    out.print(f"{len(report.records)} record(s), {report.assertions} assertions, {report.entities} entities "
              f"({classes}); store: {report.quads_after} quads ({report.quads_after - report.quads_before:+d})")
    for issue in report.issues:
        click.echo(str(issue), err=True)


@main.command()
@click.argument("query")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter; repeat for several. Values are bound as RDF terms.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "markdown"]), default="table",
              show_default=True)
@store_option
@handle_errors
def query(query: str, params: tuple[str, ...], fmt: str, store_spec: str) -> None:
    """Run a named query, a .rq file or inline SPARQL.

    \b
    Examples:
      spacekg query budgets
      spacekg query assertions-about --param entity=NASA --format csv
      spacekg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    from spacekg.queries import run_query
    from spacekg.queries.results import cell, render

    values = {}
    for p in params:
        name, sep, value = p.partition("=")
        if not sep or not name.strip():
            _fail(f"--param {p!r}: write NAME=VALUE")
        values[name.strip()] = value
    with opened(store_spec, create=False) as store:
        result = run_query(store, query, values)
    if fmt != "table" or result.kind != "select":
        sys.stdout.write(render(result, "json" if fmt == "table" and result.kind == "ask" else fmt))
        return
    table = Table(show_lines=False)
    for v in result.variables:
        table.add_column(v, overflow="fold")
    for row in result.rows:
        table.add_row(*(cell(t) for t in row))
    out = _stdout()
    out.print(table)
    out.print(f"{len(result.rows)} row(s)")


@main.command("queries")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@handle_errors
def list_queries(fmt: str) -> None:
    """List the named query library: name, title, description and parameters.

    \b
    Example:
      spacekg queries --format json
    """
    from spacekg.queries import library

    lib = library()
    if fmt == "json":
        click.echo(json.dumps([q.as_dict() for q in lib], indent=2, ensure_ascii=False))
        return
    table = Table()
    for col in ("name", "title", "params"):
        table.add_column(col, overflow="fold")
    for q in lib:
        table.add_row(q.name, q.title, ", ".join(f"{p.name} (e.g. {p.example})" for p in q.params))
    _stdout().print(table)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["trig", "nquads", "turtle", "jsonld"]), required=True)
@click.option("-o", "--output", default="-", show_default=True, type=click.Path(allow_dash=True),
              help="File to write; '-' is standard output.")
@store_option
@handle_errors
def export(fmt: str, output: str, store_spec: str) -> None:
    """Export the store as TriG, N-Quads, JSON-LD (all keep the named graphs) or Turtle
    (the union of all graphs).

    \b
    Example:
      spacekg export --format trig -o out/spacekg.trig
    """
    from spacekg.export import export as export_store

    with opened(store_spec, create=False) as store:
        if output == "-":
            export_store(store, sys.stdout.buffer, format=fmt)
            sys.stdout.buffer.flush()
        else:
            try:
                with open(output, "wb") as fh:
                    export_store(store, fh, format=fmt)
            except OSError as exc:
                _fail(f"cannot write {output}: {exc.strerror or exc}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@store_option
@handle_errors
def stats(fmt: str, store_spec: str) -> None:
    """Counts: records, assertions, named graphs, quads, and mentioned entities by class
    (with how many are linked to Wikidata).

    \b
    Example:
      spacekg stats --format json
    """
    from spacekg.stats import store_stats

    with opened(store_spec, create=False) as store:
        s = store_stats(store)
    if fmt == "json":
        click.echo(json.dumps({"records": s.records, "assertions": s.assertions, "named_graphs": s.named_graphs,
                               "quads": s.quads, "entities": s.entities, "entities_by_class": s.entities_by_class,
                               "wikidata_linked_by_class": s.linked_by_class}, indent=2))
        return
    table = Table(title="spacekg store", title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_column("linked to Wikidata", justify="right")
    for what, n in (("records", s.records), ("assertions", s.assertions), ("named graphs", s.named_graphs),
                    ("quads", s.quads)):
        table.add_row(what, str(n), "")
    for cls, n in s.entities_by_class.items():
        table.add_row(f"entities: {cls}", str(n), str(s.linked_by_class.get(cls, 0)))
    linked = sum(s.linked_by_class.values())
    table.add_row("entities (all)", str(s.entities),
                  f"{linked} ({linked / s.entities:.0%})" if s.entities else "0")
    _stdout().print(table)


@main.group()
def ontology() -> None:
    """The OWL ontology and reference entities shipped with spacekg."""


@ontology.command("check")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@handle_errors
def ontology_check(fmt: str) -> None:
    """Prove the ontology and reference entities consistent with HermiT (needs Java).

    Exits 0 when consistent, 1 when not.

    \b
    Example:
      spacekg ontology check
    """
    from spacekg.ontology.reasoning import check_consistency

    report = check_consistency()
    if fmt == "json":
        click.echo(json.dumps({"consistent": report.consistent, "message": report.message,
                               "inferred_hierarchy": report.inferred_hierarchy}, indent=2))
    else:
        out = _stdout()
        out.print(("consistent: " if report.consistent else "INCONSISTENT: ") + report.message)
        table = Table(title="inferred class hierarchy", title_justify="left")
        table.add_column("class")
        table.add_column("direct superclasses")
        for cls, supers in sorted(report.inferred_hierarchy.items()):
            table.add_row(cls, ", ".join(supers))
        out.print(table)
    sys.exit(EXIT_OK if report.consistent else EXIT_CHECK_FAILED)


if __name__ == "__main__":  # pragma: no cover
    main()
