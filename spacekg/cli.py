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
from rich.text import Text

from spacekg import __version__
from spacekg.errors import SpacekgError, ValidationError
from spacekg.graph.store import DEFAULT_STORE, opened

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE = 0, 1, 2

store_option = click.option(
    "--store", "store_spec", default=DEFAULT_STORE, show_default=True, metavar="STORE",
    help="A folder (embedded Oxigraph on disk), 'memory:', 'rdflib:' or 'sparql:QUERY_URL[|update=UPDATE_URL]' "
         "(an external SPARQL 1.1 server).",
)


def _stdout() -> Console:
    return Console(soft_wrap=False)


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"spacekg: error: {message}", err=True)
    sys.exit(code)


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Map spacekg's exceptions to a one-line message and exit status 2 (1 for data that
    fails the shapes: a check that ran and failed)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ValidationError as exc:
            _fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, EXIT_CHECK_FAILED)
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


MAX_RECORD_ROWS = 20  # rows of the per-record table printed by 'build'; the rest are summed in one row


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@store_option
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL check of the new records (for bulk builds).")
@click.option("--report", "show_report", is_flag=True,
              help="Also list the entities the reference data did not know, with why each was recognised and typed.")
@handle_errors
def build(paths: tuple[str, ...], store_spec: str, quiet: bool, no_validate: bool, show_report: bool) -> None:
    """Build record files (or folders of them) into the store.

    Every file is read and extracted before the store is touched, and a record replaces
    its earlier version in one transaction: a bad file leaves the store unchanged. What
    is about to be written is checked against the SHACL shapes first (exit 1 if it does
    not conform, store unchanged) unless --no-validate is given.

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
        report = build_records(files, store, progress=lambda what, n: bar.advance(tasks[what], n),
                               validate=not no_validate)
    if quiet:
        return
    table = Table(title=f"Built into {store_spec}", title_justify="left")
    for col in ("record", "assertions", "entities", "quantities", "facts", "budgets", "negated"):
        table.add_column(col, justify="left" if col == "record" else "right",
                         overflow="fold" if col == "record" else "ellipsis")
    for r in report.records[:MAX_RECORD_ROWS]:
        table.add_row(r.source, *(str(x) for x in (r.assertions, r.entities, r.quantities, r.facts, r.budgets,
                                                   r.negated)))
    hidden = report.records[MAX_RECORD_ROWS:]
    if hidden:  # an archive of thousands of records: one row each would bury the summary
        table.add_row(f"… {len(hidden)} more record(s)",
                      *(str(sum(getattr(r, k) for r in hidden)) if k != "entities" else ""  # not additive
                        for k in ("assertions", "entities", "quantities", "facts", "budgets", "negated")))
    out = _stdout()
    out.print(table)
    classes = ", ".join(f"{n} {c}" for c, n in sorted(report.entities_by_class.items()))
    out.print(f"{len(report.records)} record(s), {report.assertions} assertions, {report.entities} entities "
              f"({classes}); store: {report.quads_after} quads ({report.quads_after - report.quads_before:+d})")
    if show_report:
        found = Table(title=f"{len(report.new_entities)} new entities (not in the reference data)", title_justify="left")
        for col in ("entity", "class", "why", "first seen"):
            found.add_column(col, overflow="fold")
        for e in sorted(report.new_entities, key=lambda e: (e.cls, e.label)):
            found.add_row(e.label, e.cls, e.reason, f"{e.record}:{e.line}")
        out.print(found)
    for issue in report.issues:
        click.echo(str(issue), err=True)


@main.command()
@click.argument("query")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter; repeat for several. Values are bound as RDF terms.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "markdown"]), default="table",
              show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=None, metavar="N",
              help="Return at most N rows (a page of the ordered answer). Default: every row.")
@click.option("--offset", type=click.IntRange(min=0), default=None, metavar="N",
              help="Skip the first N rows (with --limit: the next page).")
@store_option
@handle_errors
def query(query: str, params: tuple[str, ...], fmt: str, store_spec: str, limit: int | None,
          offset: int | None) -> None:
    """Run a named query, a .rq file or inline SPARQL.

    \b
    Examples:
      spacekg query budgets
      spacekg query assertions-about --param entity=NASA --format csv
      spacekg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
      spacekg query heads --limit 50 --offset 100
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
        result = run_query(store, query, values, limit=limit, offset=offset)
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
@click.argument("target", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True)
@store_option
@handle_errors
def explain(target: tuple[str, ...], fmt: str, store_spec: str) -> None:
    """Show the evidence card of an ENTITY or a FACT: every supporting assertion with its
    record, line, rank, modality and negation, and the sentence with the evidencing span
    highlighted (bold in Markdown, offsets in JSON).

    ENTITY is a label, acronym, alias, IRI or Wikidata ID; a FACT is SUBJECT PREDICATE
    OBJECT with a relation such as org:headOf or skg:metWith.

    \b
    Example:
      spacekg explain MOD
      spacekg explain '"Takaichi" org:headOf Japan' --format markdown
      spacekg explain Trump skg:metWith Takaichi --format json
    """
    from spacekg.queries.explain import explain as explain_target

    with opened(store_spec, create=False) as store:
        card = explain_target(store, target)
    out = card.render(fmt)
    if isinstance(out, str):
        sys.stdout.write(out)
    else:
        _stdout().print(out)


def projection_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--projection, --max-rank, --class and --record: which network to export or plot."""
    for option in reversed((
        click.option("--projection", type=click.Choice(["entities", "comention", "assertions"]), default=None,
                     help="Network to write (gexf, graphml, csv; default entities)."),
        click.option("--max-rank", type=click.IntRange(min=1), default=None, metavar="K",
                     help="Keep evidence of rank K or stronger only."),
        click.option("--class", "classes", multiple=True, metavar="CLASS",
                     help="Keep entities of this class (and its subclasses); repeat for several."),
        click.option("--record", default=None, metavar="RECORD", help="Keep one record (file name or slug)."),
    )):
        fn = option(fn)
    return fn


@main.command()
@click.option("--format", "fmt", type=click.Choice(["trig", "nquads", "turtle", "jsonld", "gexf", "graphml", "csv"]),
              required=True)
@click.option("-o", "--output", default="-", show_default=True, type=click.Path(allow_dash=True),
              help="File to write; '-' is standard output. csv writes FILE-nodes.csv and FILE-edges.csv.")
@projection_options
@store_option
@handle_errors
def export(fmt: str, output: str, projection: str | None, max_rank: int | None, classes: tuple[str, ...],
           record: str | None, store_spec: str) -> None:
    """Export the store as TriG, N-Quads, JSON-LD (all keep the named graphs) or Turtle
    (the union of all graphs); or a projection of it as a network for Gephi (GEXF 1.3),
    Cytoscape/igraph (GraphML) or Gephi's spreadsheet import (CSV node and edge tables).

    \b
    Example:
      spacekg export --format trig -o out/spacekg.trig
      spacekg export --format gexf --projection entities --max-rank 20 -o out/entities.gexf
    """
    from spacekg.export import export as export_store

    options = {"projection": projection, "max_rank": max_rank, "classes": classes, "record": record}
    with opened(store_spec, create=False) as store:
        if output == "-":
            export_store(store, sys.stdout.buffer, format=fmt, **options)
            sys.stdout.buffer.flush()
        else:
            export_store(store, output, format=fmt, **options)


@main.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Picture to write: .png, .svg or .pdf.")
@projection_options
@store_option
@handle_errors
def plot(output: str, projection: str | None, max_rank: int | None, classes: tuple[str, ...], record: str | None,
         store_spec: str) -> None:
    """Draw a projection of the store (default: entities) for people without Gephi:
    colour by class, size by mentions, edge width by weight, a legend by class.

    \b
    Example:
      spacekg plot --projection entities -o docs/graph-entities.png
    """
    from spacekg.export import plot as plot_store

    with opened(store_spec, create=False) as store:
        plot_store(store, output, projection=projection or "entities", max_rank=max_rank, classes=classes,
                   record=record)


@main.command()
@store_option
@handle_errors
def compact(store_spec: str) -> None:
    """Compact an embedded on-disk store (Oxigraph's optimize): run it after a large build, before
    the first queries, which would otherwise meet RocksDB compacting in the background.

    \b
    Example:
      spacekg compact --store ./spacekg-store
    """
    from spacekg.errors import StoreError
    from spacekg.graph.oxigraph_store import OxigraphStore

    with opened(store_spec, create=False) as store:
        if not isinstance(store, OxigraphStore) or store.location == "memory:":
            raise StoreError(f"only an embedded on-disk store can be compacted, not {store_spec!r}; "
                             "an external SPARQL server manages its own storage")
        store.optimize()
    click.echo(f"compacted {store_spec}", err=True)


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


@main.command()
@click.argument("file", required=False, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--engine", type=click.Choice(["sparql", "pyshacl"]), default="sparql", show_default=True,
              help="sparql: the shapes compiled to SPARQL, run by Oxigraph (fast); pyshacl: the reference engine.")
@store_option
@handle_errors
def validate(file: str | None, fmt: str, engine: str, store_spec: str) -> None:
    """Check the store, or an RDF FILE, against the SHACL shapes of the data contract.

    Exits 0 when the data conforms, 1 when it does not (every result is listed), 2 on
    error. FILE is TriG, N-Quads, N-Triples, Turtle, JSON-LD or RDF/XML, by extension;
    nothing is fetched and RDF/XML with a DOCTYPE is refused. Both engines run the same
    shapes and report the same results (a parity test keeps them so).

    \b
    Example:
      spacekg validate --store ./spacekg-store
      spacekg validate out/spacekg.trig --format json
    """
    from spacekg.validate import validate_file, validate_store

    if file is not None:
        report = validate_file(file, engine=engine)
    else:
        with opened(store_spec, create=False) as store:
            report = validate_store(store, engine=engine)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        out = _stdout()
        if report.results:
            table = Table(title="SHACL results", title_justify="left")
            for col in ("severity", "focus", "path", "message", "value"):
                table.add_column(col, overflow="fold")
            for r in report.results:  # Text: data may hold rich markup or :emoji: codes
                table.add_row(*(Text(x) for x in (r.severity, r.focus, r.path, r.message, r.value)))
            out.print(table)
        click.echo(report.summary())  # one unwrapped line, whatever the terminal width
    sys.exit(EXIT_OK if report.conforms else EXIT_CHECK_FAILED)


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any other than 127.0.0.1 exposes an endpoint without authentication.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one, printed at start).")
@click.option("--writable", is_flag=True, help="Accept SPARQL Update requests (refused with 403 otherwise).")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="Give up on a query after this long (the client gets 500 with a message).")
@handle_errors
def serve(store_spec: str, host: str, port: int, writable: bool, timeout: float) -> None:
    """Serve the store over the SPARQL 1.1 Protocol (GET and POST, content negotiation) at
    /query and /update, with a query editor (YASGUI) at / whose examples are the named
    queries. Read-only unless --writable; Ctrl-C stops it. The server owns the store while
    it runs: other processes query it through the endpoint.

    \b
    Example:
      spacekg serve --store ./spacekg-store --port 7878
      spacekg query heads --store 'sparql:http://127.0.0.1:7878/query'
    """
    import logging
    import signal

    from spacekg.serve import SparqlServer

    def stop_on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    access = logging.getLogger("spacekg.serve")
    if not access.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        access.addHandler(handler)
        access.setLevel(logging.INFO)
    signal.signal(signal.SIGTERM, stop_on_term)
    with opened(store_spec, create=writable) as store:
        server = SparqlServer(store, host=host, port=port, writable=writable, timeout=timeout)
        mode = f"updates at {server.url}/update" if writable else "read-only"
        click.echo(f"spacekg: serving {store_spec} at {server.url}/ (SPARQL endpoint {server.url}/query, {mode}); "
                   "Ctrl-C stops", err=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()


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


# -- linking to Wikidata / DBpedia (spacekg.linking; docs/LINKING.md) ----------------------------

def _bar(show: bool) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True), disable=not show, transient=True)


@main.command()
@click.option("--dataset", type=click.Choice(["wikidata", "dbpedia"]), default="wikidata", show_default=True)
@click.option("--endpoint", metavar="URL", help="SPARQL endpoint (default: the dataset's public one).")
@click.option("--out", "out_dir", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Folder for DATASET.proposed.sssom.tsv and DATASET.review.sssom.tsv.")
@click.option("--batch", "batch_size", default=50, show_default=True, type=click.IntRange(1, 500),
              help="Names per query.")
@click.option("--threshold", default=0.9, show_default=True, type=click.FloatRange(0, 1),
              help="Score from which a candidate is proposed as owl:sameAs.")
@store_option
@handle_errors
def link(dataset: str, endpoint: str | None, out_dir: str, batch_size: int, threshold: float,
         store_spec: str) -> None:
    """Find Wikidata (or DBpedia) candidates for every entity without a link: proposals
    (owl:sameAs) and candidates to review (skos:closeMatch) as SSSOM files. Curated mappings
    are never changed: review the proposals, then copy rows into
    spacekg/ontology/mappings/DATASET.sssom.tsv with their source.

    \b
    Example:
      spacekg link --dataset wikidata --out linking/
    """
    from pathlib import Path

    from spacekg.linking import dataset as get_dataset
    from spacekg.linking import reconcile
    from spacekg.linking.reconcile import write_link_files

    with opened(store_spec, create=False) as store, _bar(sys.stderr.isatty()) as bar:
        task = bar.add_task("looking up names", total=None)
        report = reconcile(store, dataset=dataset, endpoint=endpoint, batch_size=batch_size, threshold=threshold,
                           progress=lambda done, total: bar.update(task, completed=done, total=total))
    proposed, review = write_link_files(report, Path(out_dir))
    out = _stdout()
    table = Table(title=f"Proposed owl:sameAs ({report.dataset})", title_justify="left")
    for col in ("entity", "item", "label", "score"):
        table.add_column(col, justify="right" if col == "score" else "left")
    ds = get_dataset(report.dataset)
    for s in report.accepted:
        table.add_row(s.subject.label, s.item.replace(ds.namespace, f"{ds.prefix}:"), s.item_label, f"{s.score:.2f}")
    out.print(table)
    out.print(f"{report.summary}\nwrote {proposed} and {review}")


@main.command()
@click.option("--dataset", type=click.Choice(["wikidata", "dbpedia"]), default="wikidata", show_default=True)
@click.option("--endpoint", metavar="URL", help="SPARQL endpoint (default: the dataset's public one).")
@click.option("--batch", "batch_size", default=50, show_default=True, type=click.IntRange(1, 500),
              help="Items per query.")
@click.option("--drop", is_flag=True, help="Remove the dataset's enrichment graph instead; fetch nothing.")
@store_option
@handle_errors
def enrich(dataset: str, endpoint: str | None, batch_size: int, drop: bool, store_spec: str) -> None:
    """Copy country, inception, website, headquarters, heads and parent organization of every
    linked item into the named graph https://w3id.org/spacekg/graph/enrichment/DATASET, with
    PROV-O provenance; running it again replaces that graph.

    \b
    Example:
      spacekg enrich && spacekg query enriched-facts
    """
    from spacekg.linking import drop_enrichment
    from spacekg.linking import enrich as enrich_store

    if drop:
        with opened(store_spec, create=False) as store:
            removed = drop_enrichment(store, dataset=dataset)
        _stdout().print(f"removed the {dataset} enrichment graph ({removed} quads)")
        return
    with opened(store_spec, create=False) as store, _bar(sys.stderr.isatty()) as bar:
        task = bar.add_task("fetching", total=None)
        report = enrich_store(store, dataset=dataset, endpoint=endpoint, batch_size=batch_size,
                              progress=lambda done, total: bar.update(task, completed=done, total=total))
    _stdout().print(report.summary)


if __name__ == "__main__":  # pragma: no cover
    main()
