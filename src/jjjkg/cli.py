"""The `jjjkg` command line: thin wrappers over the library.

Each command parses its options, makes one library call and formats the result. Heavy
imports (rdflib, pyshacl, owlrl, networkx, ...) happen inside the commands, so
`import jjjkg.cli` stays cheap and `jjjkg build` on an up-to-date dist/ returns at once.
Library errors (`jjjkg.core.errors.JjjkgError`) become one-line messages with exit code 2 (bad
input or usage) or 1 (the data fails its checks); never a traceback. Ctrl-C exits 130, an
unexpected exception (a bug) `internal error: …` with exit 3, so a crash never looks like
"checks failed". Every text written to the terminal has its control characters escaped.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

import click

from jjjkg.core import registry
from jjjkg.core.errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    JjjkgError,
    ValidationError,
)

# -- shared options --


def root_option(command):
    return click.option(
        "--root",
        type=click.Path(path_type=Path),
        default=".",
        show_default=True,
        envvar="JJJKG_ROOT",
        help="Project folder (holds ontology/, graph/, queries/).",
    )(command)


def dist_option(command):
    return click.option(
        "--dist",
        type=click.Path(path_type=Path),
        default=None,
        help="Build output folder [default: ROOT/dist].",
    )(command)


def inferred_option(command):
    return click.option(
        "--inferred", is_flag=True, help="Include the reasoner's inferred triples."
    )(command)


def label_language(command):
    return click.option(
        "--lang",
        type=click.Choice(registry.LANGUAGES),
        default="zh",
        show_default=True,
        help="Label language.",
    )(command)


class Seconds(click.ParamType):
    """A finite number of seconds above 0 (no nan, no inf) and at most a day."""

    name = "seconds"

    def convert(self, value, param, ctx):
        import math

        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(seconds) or not 0 < seconds <= 86400:
            self.fail(f"{value!r} is not between 0 and 86400 seconds", param, ctx)
        return seconds


def endpoint_url(ctx, param, value: str | None) -> str | None:
    """An http(s) URL, else a usage error (rather than a failure deep in urllib)."""
    if value is not None and not value.lower().startswith(("http://", "https://")):
        raise click.BadParameter(f"{value!r} is not an http:// or https:// URL")
    return value


# -- error handling --


class Failure(click.ClickException):
    """A JjjkgError shown the jjjkg way: `file:line:col: message`, or `Error: message`."""

    def __init__(self, error: JjjkgError):
        super().__init__(str(error))
        self.error = error
        self.exit_code = error.exit_code

    def show(self, file=None) -> None:
        if isinstance(self.error, ValidationError) and not getattr(self.error, "shown", False):
            for line in report_lines(self.error.report):
                click.echo(line, err=True)
        if getattr(self.error, "path", None) is not None:
            click.echo(str(self.error), err=True)
        else:
            click.echo(f"Error: {self.error}", err=True)


class JjjkgCommand(click.Command):
    def get_short_help_str(self, limit: int = 45) -> str:
        """The docstring's whole first paragraph: the command list wraps it, never cuts it."""
        if self.short_help or not self.help:
            return super().get_short_help_str(limit)
        return " ".join(self.help.split("\n\n", 1)[0].split())


class Stop(click.ClickException):
    """A one-line stop that is not a JjjkgError: interrupted, an OS error, a bug."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(self.message, err=True)


class Terminated(KeyboardInterrupt):
    """SIGTERM: stopped as cleanly as by Ctrl-C (temporary files removed), exit 143."""


def _terminated(signum, frame) -> None:
    raise Terminated


class JjjkgGroup(click.Group):
    command_class = JjjkgCommand

    def invoke(self, ctx):
        from jjjkg.core.terminal import SafeStream

        streams = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _terminated) if main else None
        try:
            return super().invoke(ctx)
        except JjjkgError as error:
            raise Failure(error) from None
        except click.UsageError as error:  # one line, as every other error (no usage text)
            raise Stop(f"Error: {error.format_message()}", error.exit_code) from None
        except Terminated:
            raise Stop("Terminated.", 128 + signal.SIGTERM) from None
        except KeyboardInterrupt:
            raise Stop("Interrupted.", EXIT_INTERRUPTED) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            sys.stdout = open(os.devnull, "w")  # the reader left: say nothing more
            raise SystemExit(141) from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            raise Stop(f"Error: {where}{error.strerror or error}", EXIT_USAGE) from None
        except Exception as error:
            raise Stop(f"internal error: {type(error).__name__}: {error}", EXIT_INTERNAL) from None
        finally:
            sys.stdout, sys.stderr = streams
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


@click.group(cls=JjjkgGroup)
@click.version_option()
def cli():
    """jjjkg: a knowledge graph of Beijing–Tianjin–Hebei (京津冀) coordinated development.

    Build the graph from ontology/ and graph/ into dist/, validate it, count it, export it.
    """


# -- formatting helpers --


def shown_path(path: Path) -> str:
    """`path` relative to the working directory when inside it, with a trailing slash."""
    try:
        text = os.path.relpath(path)
    except ValueError:
        text = str(path)
    if text.startswith(".."):
        text = str(path)
    return text.rstrip("/") + "/"


def table(rows: list[tuple], indent: str = "  ") -> list[str]:
    """Align columns (wide CJK characters counted as two); numbers right-aligned."""
    from wcwidth import wcswidth

    def width(cell: str) -> int:
        return max(wcswidth(cell), len(cell) if wcswidth(cell) < 0 else 0)

    cells = [[str(c) for c in row] for row in rows]
    widths = [max(width(row[i]) for row in cells) for i in range(len(cells[0]))] if cells else []
    lines = []
    for raw, row in zip(rows, cells, strict=True):
        parts = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - width(cell))
            last = i == len(row) - 1
            if isinstance(raw[i], (int, float)):
                parts.append(pad + cell)
            else:
                parts.append(cell if last else cell + pad)
        lines.append(indent + "  ".join(parts).rstrip())
    return lines


def report_lines(report) -> list[str]:
    lines = [str(v) for v in report.violations]
    lines += [f"{w.severity.lower()}: {w}" for w in report.warnings]
    return lines


# -- commands --


@cli.command()
@root_option
@dist_option
@click.option("--force", is_flag=True, help="Rebuild even when dist/ is up to date.")
@click.option(
    "--reasoner",
    type=click.Choice(list(registry.REASONERS)),
    default=registry.DEFAULT_REASONER,
    show_default=True,
    help="OWL 2 RL engine: " + registry.described(registry.REASONERS) + ".",
)
def build(root: Path, dist: Path | None, force: bool, reasoner: str):
    """Build dist/: load, validate, reason, write the exports and the site.

    Does nothing (and says so) when no input changed since the last build. On a terminal,
    long builds show their progress (stage, count, rate) on standard error.

    Example: jjjkg build --root . --force
    """
    from jjjkg.pipeline.build import build as run_build

    progress = TerminalProgress() if sys.stderr.isatty() else None
    try:
        result = run_build(root, dist, force=force, progress=progress, reasoner=reasoner)
    finally:
        if progress is not None:
            progress.done()
    where = shown_path(result.dist)
    if result.up_to_date:
        click.echo(f"{where} is up to date ({result.triples} triples); nothing to do")
        return
    phases = ", ".join(f"{name} {secs:.2f}" for name, secs in result.timings.items())
    click.echo(f"Built {where} in {result.elapsed:.2f} s ({phases})")
    click.echo(
        f"  triples     {result.triples} ({result.asserted} asserted + "
        f"{result.inferred} inferred) in {result.graphs} named graphs"
    )
    top = ", ".join(f"{name} {count}" for name, count in result.classes[:6])
    more = len(result.classes) - 6
    click.echo(
        f"  entities    {result.entities}: {top}" + (f", … {more} more classes" if more > 0 else "")
    )
    click.echo(f"  validation  {result.report.summary()}")
    for warning in result.report.warnings:
        click.echo(f"warning: {warning}", err=True)
    site = f" site/ ({result.site_files} files)" if result.site_files else ""
    click.echo(f"  files       {' '.join(result.files)}{site}")
    if result.site_note:
        click.echo(f"  note        {result.site_note}")


class TerminalProgress:
    """Shows the build's progress notes on one line of standard error, each over the last."""

    def __init__(self) -> None:
        import time

        self.clock = time.perf_counter
        self.started = self.clock()
        self.shown = False

    def __call__(self, note: str) -> None:
        seconds = self.clock() - self.started
        terminal = getattr(sys.stderr, "raw", sys.stderr)  # its own ESC codes, not escaped
        terminal.write(f"\r\x1b[K{seconds:6.1f} s  {note}")
        terminal.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            terminal = getattr(sys.stderr, "raw", sys.stderr)
            terminal.write("\r\x1b[K")
            terminal.flush()


@cli.command()
@root_option
def validate(root: Path):
    """Validate the sources: SHACL shapes and queries/checks/*.rq (each must return no rows).

    Prints one line per violation (node, shape or check, message); exits 1 if any.

    Example: jjjkg validate --root .
    """
    from jjjkg.pipeline.build import check

    _, report = check(root)
    for line in report_lines(report):
        click.echo(line)
    click.echo(report.summary())
    if not report.conforms:
        error = ValidationError(report)
        error.shown = True
        raise error


@cli.command()
@root_option
@dist_option
def stats(root: Path, dist: Path | None):
    """Count the graph: entities per class, triples per property, labels, claims per section.

    Builds dist/ first if it is stale.

    Example: jjjkg stats --root .
    """
    from jjjkg.dist import ensure_built
    from jjjkg.dist.store import open_store
    from jjjkg.readers.stats import compute_stats

    result = compute_stats(open_store(ensure_built(root, dist), few_queries=True).named())
    click.echo(
        f"{result.triples} triples ({result.inferred} inferred), {result.entities} typed "
        "resources (every IRI with a type in the data graphs: entities, figures, indicators, "
        "paragraphs, …; the pages draw the entities alone)"
    )
    click.echo("\nTyped resources per asserted class (one with two classes counts in both)")
    click.echo("\n".join(table(result.classes)))
    click.echo("\nTriples per property (asserted, data graphs)")
    click.echo("\n".join(table(result.properties)))
    click.echo("\nLabel coverage (typed resources but sentences, which their text names)")
    coverage = [
        (
            lang,
            f"{n}/{result.named}",
            f"{100 * n / result.named:.1f}%" if result.named else "-",
        )
        for lang, n in result.labels
    ]
    click.echo("\n".join(table(coverage)))
    click.echo("\nClaims per article section (triples in its paragraph and sentence graphs)")
    rows = [
        ("" if s.number is None else s.number, s.label, s.paragraphs, s.claims)
        for s in result.sections
    ]
    click.echo(
        "\n".join(table([("#", "section", "paragraphs", "claims"), *rows])) if rows else "  (none)"
    )


@cli.command()
@root_option
@dist_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(registry.EXPORT_FORMATS)),
    default=None,
    help="Output format [default: from the extension of -o, else ttl]: "
    + registry.described(registry.EXPORT_FORMATS)
    + ".",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to FILE."
)
@inferred_option
def export(root: Path, dist: Path | None, fmt: str | None, output: Path | None, inferred: bool):
    """Export the built graph in another format, to a file or standard output.

    Shapes are never exported; inferred triples only with --inferred.

    Example: jjjkg export --format gexf -o jjjkg.gexf
    """
    from jjjkg.core.output import write_file
    from jjjkg.dist import ensure_built
    from jjjkg.readers import export as exporter

    if fmt is None:
        fmt = exporter.guess_format(output) if output is not None else "ttl"
    exporter.check_format(fmt)
    data = exporter.export(ensure_built(root, dist), fmt, inferred=inferred)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_file(output, data)
    click.echo(f"Wrote {output} ({fmt}, {len(data)} bytes)")


# -- queries (jjjkg.readers.query over jjjkg.dist.store: pyoxigraph, no rdflib on this path) --


@cli.command()
@click.argument("name", required=False)
@click.option("-e", "--expression", metavar="SPARQL", help="Run this SPARQL text instead.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(registry.QUERY_FORMATS)),
    default=None,
    help="SELECT: table, csv, tsv, json, srj, srx [default: table]; ASK: table, json, srj, "
    "srx; CONSTRUCT: ttl, nt, table [default: ttl].",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en", "none"]),
    default=None,
    help="Names of IRIs in this language: in tables [default: zh], and as a VARLabel column "
    "beside each IRI column in csv, tsv and json (without --lang: W3C SPARQL CSV/TSV). "
    "none: prefixed names.",
)
@click.option(
    "--max-width",
    type=click.IntRange(20),
    default=None,
    metavar="N",
    help="Wrap table cells to fit N columns [default: the terminal's width; piped: never cut].",
)
@click.option(
    "--bind",
    "binds",
    multiple=True,
    metavar="VAR=VALUE",
    help='Set a variable: <iri>, prefix:name, "text"@zh, a number or plain text; an entity '
    "parameter also takes a zh/en name or slug (entity=天津港, section=4).",
)
@click.option(
    "--inferred/--asserted",
    default=True,
    show_default=True,
    help="Include the reasoner's triples, or only the asserted ones.",
)
@click.option(
    "--timeout",
    type=Seconds(),
    default=30.0,
    show_default=True,
    help="Stop a query that runs longer than this many seconds.",
)
@click.option("--show", is_flag=True, help="Print the query as standalone SPARQL; do not run it.")
@click.option(
    "--endpoint",
    metavar="URL",
    callback=endpoint_url,
    help="Run on this SPARQL 1.1 endpoint instead of the built graph.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let a SERVICE clause send its request to the other host (refused otherwise).",
)
@click.option("--limit", type=click.IntRange(0), default=None, help="Print at most N rows.")
@click.option("--offset", type=click.IntRange(0), default=0, help="Skip the first N rows.")
@root_option
@dist_option
def query(
    name: str | None,
    expression: str | None,
    fmt: str | None,
    lang: str | None,
    max_width: int | None,
    binds: tuple[str, ...],
    inferred: bool,
    timeout: float,
    show: bool,
    endpoint: str | None,
    allow_service: bool,
    limit: int | None,
    offset: int,
    root: Path,
    dist: Path | None,
):
    """Run a named query (queries/NAME.rq), a .rq file, or -e 'SPARQL' on the built graph.

    `jjjkg queries` lists the named queries and their parameters. Read-only; builds dist/
    first if it is stale. Queries may use the shared prefixes (jjj:, jorg:, jpark:, skos:,
    ...) without declaring them. An entity parameter takes a name, slug, prefixed name or
    IRI (--bind entity=天津港); quote a value to pass it as text.

    Example: jjjkg query entity-claims --lang en --bind entity=中海油
    """
    from jjjkg.dist import ensure_built
    from jjjkg.dist.store import open_store
    from jjjkg.readers import query as queries

    if (name is None) == (expression is None):
        raise click.UsageError("give a query NAME or FILE, or -e 'SPARQL' (one of them)")
    if expression is not None:
        chosen = queries.from_text(expression, None, "-e")
    else:
        chosen = queries.find_query(root, name)
    if not allow_service:
        from jjjkg.core.service import refuse_service

        refuse_service(chosen.text, chosen.source, "; pass --allow-service to send it")
    if endpoint and not inferred:
        raise click.UsageError(
            "--asserted is for the built graph; an endpoint answers from its own graphs"
        )
    if endpoint:
        store = queries.RemoteLabels(endpoint, timeout)
    else:
        store = open_store(ensure_built(root, dist), few_queries=True)
    values = queries.bindings(chosen, binds, names_of(store))
    if show:
        click.echo(queries.show_text(chosen, values), nl=False)
        return
    if endpoint:
        width = table_width(max_width)
        output = queries.run_remote(
            endpoint, chosen, values, fmt, lang, timeout, width, limit, offset
        )
        click.echo(output, nl=False)
        return
    from jjjkg.readers.stream import FORMATS, stream

    if fmt in FORMATS:  # rows written as they come, in constant memory
        out = sys.stdout.buffer
        stream(store, chosen, out, fmt, values, lang, inferred, timeout, limit, offset)
        out.flush()
        return
    width = table_width(max_width)
    output = queries.run(store, chosen, values, fmt, lang, inferred, timeout, width, limit, offset)
    click.echo(output, nl=False)


def table_width(asked: int | None) -> int | None:
    """The width tables wrap to: --max-width, else the terminal's; None when piped."""
    if asked is not None or not sys.stdout.isatty():
        return asked
    import shutil

    return shutil.get_terminal_size().columns


def names_of(store):
    """A callable giving the resolver's names of `store`, read once and only when needed."""
    from functools import cache

    from jjjkg.readers.resolve import names_from_store

    return cache(lambda: names_from_store(store))


@cli.command("queries")
@root_option
@click.option("--checks", is_flag=True, help="List the convention checks (queries/checks/) too.")
def list_queries(root: Path, checks: bool):
    """List the named queries with their summaries (run one with `jjjkg query NAME`).

    Example: jjjkg queries --checks
    """
    from jjjkg.readers.query import library

    found = library(root, checks=checks)
    if not found:
        raise click.ClickException(f"no queries in {shown_path(root / 'queries')}")
    rows = []
    for item in found:
        params = " ".join(f"--bind {var}=…" for var in item.params)
        rows.append((item.name, item.summary + (f"  [{params}]" if params else "")))
    click.echo("\n".join(table(rows, indent="")))


@cli.command()
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--waivers",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Reviewed waiver file (TSV) [default: ROOT/coverage/waivers.tsv if present].",
)
@click.option("--all", "show_all", is_flag=True, help="List encoded figures too (text format).")
@root_option
@dist_option
def coverage(
    source: Path, fmt: str, waivers: Path | None, show_all: bool, root: Path, dist: Path | None
):
    """Audit a source text: which figures and names the built graph does not hold.

    Reports by paragraph: figures (万/亿 resolved, %, ranges) and years not encoded,
    waived or encoded in another paragraph; quoted and 《》 names no label holds. Exits 1
    when a figure is neither encoded nor waived, so CI can run it.

    Example: jjjkg coverage ../shared/seeds/000_981a720ff13f0452.txt
    """
    from jjjkg.readers.coverage import audit_file, render_json, render_text

    report = audit_file(source, root, dist, waivers)
    click.echo(render_json(report) if fmt == "json" else render_text(report, show_all), nl=False)
    if report.failures:
        raise SystemExit(1)


# -- graph pages and network analysis (jjjkg.readers.viz, facts, analysis) --


def load_facts(root: Path, dist: Path | None):
    """The facts of the built graph (builds dist/ first if it is stale)."""
    from jjjkg.dist import ensure_built
    from jjjkg.dist.store import open_store
    from jjjkg.readers.facts import load_facts as read

    return read(open_store(ensure_built(root, dist)))


def open_network(root: Path, dist: Path | None, article_only: bool = False):
    """The built graph's store, the resolver's names and the entity network walked on it."""
    from jjjkg.readers.facts import ontology_facts
    from jjjkg.readers.paths import Network

    store, names = open_names(root, dist)
    return store, names, Network(store, ontology_facts(store.named()), names, article_only)


def focus_facts(root: Path, dist: Path | None, name: str, depth: int):
    """(facts, IRI) for a neighbourhood page: the facts of the entity's neighbourhood only,
    walked on the store (a figure's, which the walk does not take, from the whole graph)."""
    from jjjkg.readers import paths as walk
    from jjjkg.readers.facts import load_facts as read

    _, every, network = open_network(root, dist)
    iri = every.resolve(name, accept=network.is_entity_candidate)
    if not network.is_node(iri):
        return load_facts(root, dist), iri
    return read(walk.local_store(network, walk.neighbourhood(network, iri, depth))), iri


@cli.command()
@click.option(
    "--focus", metavar="ENTITY", help="Draw this entity's neighbourhood (IRI, slug or name)."
)
@click.option(
    "--depth",
    type=click.IntRange(0, 6),
    default=1,
    show_default=True,
    help="Links to follow from --focus.",
)
@click.option(
    "--query",
    "query_name",
    metavar="NAME|FILE",
    help="Draw a CONSTRUCT or SELECT query's result, on the asserted triples.",
)
@click.option(
    "--bind",
    "binds",
    multiple=True,
    metavar="VAR=VALUE",
    help="Set a query variable (with --query).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to FILE [default: VIEW.html].",
)
@click.option(
    "--lang",
    type=click.Choice(registry.LANGUAGES),
    default="zh",
    show_default=True,
    help="Language the page opens in.",
)
@root_option
@dist_option
def viz(focus, depth, query_name, binds, output, lang, root, dist):
    """Write one interactive graph page: the overview, a neighbourhood, or a query's graph.

    The page is one HTML file that works offline (no other host is asked for anything).

    Example: jjjkg viz --focus 中海油 --depth 2 -o cnooc.html
    """
    from jjjkg.core.output import write_file
    from jjjkg.readers import viz as views

    if focus is not None and query_name is not None:
        raise click.UsageError("give --focus or --query, not both")
    if binds and query_name is None:
        raise click.UsageError("--bind sets a variable of --query; give --query NAME|FILE")
    given = click.get_current_context().get_parameter_source("depth")
    if focus is None and given is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError("--depth sets how far --focus reaches; give --focus ENTITY")
    if focus is not None:
        facts, iri = focus_facts(root, dist, focus, depth)
        view = views.focus_view(facts, iri, depth)
    elif query_name is not None:
        from jjjkg.core.service import refuse_service
        from jjjkg.readers import paths as walk
        from jjjkg.readers import query as queries
        from jjjkg.readers.facts import load_facts as read

        chosen = queries.find_query(root, query_name)
        refuse_service(chosen.text, chosen.source)
        store, names, network = open_network(root, dist)
        values = queries.bindings(chosen, binds, lambda: names)
        result = queries.execute(store, chosen, values, inferred=False)
        # the facts of the answer's IRIs only, read from the store (not the whole graph)
        facts = read(walk.local_store(network, views.answer_iris(result)))
        view = views.query_view(facts, result, chosen.name or Path(query_name).stem)
    else:
        facts = load_facts(root, dist)
        view = views.overview(facts)
    path = write_file(
        output or Path(f"{view.name}.html"),
        views.render(facts, view, lang, home=None).encode("utf-8"),
    )
    nodes, links = len(view.nodes), len(view.links)
    click.echo(f"Wrote {path} ({nodes} node{'s' * (nodes != 1)}, {links} link{'s' * (links != 1)})")
    if query_name is not None and not nodes:
        click.echo(
            "Note: the page is empty: --query answers on the asserted triples, where this query"
            " finds nothing (`jjjkg query` answers on the inferred ones too)",
            err=True,
        )


@cli.command()
@click.argument("source", metavar="A")
@click.argument("target", metavar="B")
@click.option(
    "--limit", type=click.IntRange(1), default=5, show_default=True, help="Show at most N paths."
)
@click.option(
    "--article-only", is_flag=True, help="Walk only links the article states (no background)."
)
@label_language
@root_option
@dist_option
def path(source, target, limit, article_only, lang, root, dist):
    """Show the shortest paths between two entities, each step with its property and paragraph.

    Links are walked either way (←…— marks a link read backwards); a step no paragraph
    states is marked [背景] / [background]. Exits 1 if there is no path.

    Example: jjjkg path 雄安新区 天津港 --article-only
    """
    from jjjkg.readers import paths as walk

    store, every, network = open_network(root, dist, article_only)
    is_node = network.is_node_candidate
    a, b = every.resolve(source, accept=is_node), every.resolve(target, accept=is_node)

    def name(iri: str, lang: str = lang) -> str:
        return every.get(iri).name(lang)

    count, found = walk.shortest_paths(network, a, b, lambda iri: name(iri, "en"), limit)
    ends = f"{name(a)} → {name(b)}"
    if not found:
        click.echo(f"No path: {ends}")
        raise SystemExit(1)
    steps = len(found[0])
    plural = "s" * (count != 1), "s" * (steps != 1)
    shown = f" ({len(found)} shown; --limit N for more)" if count > len(found) else ""
    click.echo(f"{ends}: {count} shortest path{plural[0]} of {steps} step{plural[1]}{shown}")
    places = walk.step_places(store, found)
    for number, path_ in enumerate(found, 1):
        click.echo(f"\n{number}. {name(a)}")
        for step in path_:
            label = network.ontology.name(step.prop, lang)
            arrow = f"—{label}→" if step.forward else f"←{label}—"
            click.echo(f"   {arrow} {name(step.target)}  {walk.mark(places, step, lang)}")


@cli.command()
@click.option(
    "--by",
    type=click.Choice(list(registry.CENTRALITIES)),
    default="degree",
    show_default=True,
    help="Centrality measure: " + registry.described(registry.CENTRALITIES) + ".",
)
@click.option(
    "--class",
    "cls",
    metavar="CLASS",
    help="Only entities of this class or its subclasses: an IRI, jjj:Name, Name, or the "
    "class's zh or en label (jjj:Enterprise, Enterprise, enterprise, 企业).",
)
@click.option(
    "--top", type=click.IntRange(1), default=20, show_default=True, help="How many to show."
)
@label_language
@root_option
@dist_option
def rank(by, cls, top, lang, root, dist):
    """List the most central entities of the network (links taken either way).

    Example: jjjkg rank --by betweenness --class Enterprise --top 10
    """
    from jjjkg.readers import analysis

    facts = load_facts(root, dist)
    ranked = analysis.rank(facts, analysis.entity_graph(facts), by, cls, top)
    rows = [("#", by, "entity", "class")]
    for number, (iri, score) in enumerate(ranked, 1):
        value = int(score) if by == "degree" else f"{score:.4f}"
        rows.append(
            (number, value, facts.name(iri, lang), facts.name(facts.entities[iri].cls, lang))
        )
    click.echo("\n".join(table(rows, indent="")))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=7878,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--timeout",
    type=click.IntRange(1, 86400),
    default=30,
    show_default=True,
    help="Seconds a query may run before the server stops it.",
)
@root_option
@dist_option
def serve(host: str, port: int, timeout: int, root: Path, dist: Path | None):
    """Serve the built graph read-only as a SPARQL endpoint (Oxigraph server).

    The default graph is the set union of the asserted and inferred triples (as for `jjjkg
    query`), the named graphs those of dist/jjjkg.nq plus the description in jgraph:dataset;
    updates are refused. Ctrl-C stops it, and the server stops with this command however it
    ends. Note: the server runs SERVICE clauses, so a client can make it send requests to other
    hosts and return their replies; it listens on loopback by default, keep it there unless
    every client is trusted.

    Example: jjjkg serve --port 7878   (then query http://127.0.0.1:7878/query)
    """
    from jjjkg.dist import ensure_built
    from jjjkg.readers.serve import serve_forever

    built = ensure_built(root, dist)

    def ready(url: str) -> None:
        click.echo(f"Serving {shown_path(built)} read-only at {url}/")
        click.echo(f"  SPARQL endpoint  {url}/query   (query UI at {url}/)")
        click.echo("  Press Ctrl-C to stop.")

    serve_forever(built, host, port, ready, timeout)
    click.echo("Stopped.")


@cli.command()
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    callback=endpoint_url,
    help="Graph Store Protocol URL.",
)
@click.option("--graph", "graph", metavar="IRI", help="Put every triple into this one graph.")
@click.option(
    "--timeout",
    type=Seconds(),
    default=60,
    show_default=True,
    help="Seconds per request.",
)
@click.option(
    "--user",
    metavar="NAME",
    help="Log in as NAME; the password comes from $JJJKG_PASSWORD or ~/.netrc, never from "
    "the command line [default: the ~/.netrc entry of the host, if any].",
)
@root_option
@dist_option
def push(
    endpoint: str,
    graph: str | None,
    timeout: float,
    user: str | None,
    root: Path,
    dist: Path | None,
):
    """Load the built dataset into a SPARQL store through the Graph Store Protocol.

    Each named graph is PUT to its own IRI (replacing what the store held there).

    Example: jjjkg push --endpoint http://localhost:7878/store
    """
    from jjjkg.dist import ensure_built
    from jjjkg.readers.credentials import credentials
    from jjjkg.readers.remote import push as push_dataset

    auth = credentials(endpoint, user)
    sent = push_dataset(ensure_built(root, dist), endpoint, graph, timeout, auth)
    click.echo(f"Pushed {sum(sent.values())} triples in {len(sent)} graphs to {endpoint}")


@cli.command()
@click.argument("old", required=False, type=click.Path(path_type=Path))
@click.argument("new", required=False, type=click.Path(path_type=Path))
@click.option(
    "--against",
    "revision",
    metavar="GIT_REV",
    help="Compare the build of this git revision (built in a temporary folder) with dist/.",
)
@label_language
@root_option
@dist_option
def diff(old, new, revision, lang, root, dist):
    """What changed between two builds: counts, and claims added (+) or removed (−) per
    paragraph, with names in --lang.

    Give two dist/ folders, or --against a git revision to compare with the project's own
    dist/ (built first if stale). Claims are compared by paragraph, so claims moved between a
    paragraph's graph and its sentences' graphs do not count as changes.

    Example: jjjkg diff old/dist dist   or   jjjkg diff --against HEAD~3
    """
    from jjjkg.readers import diff as diffs

    if revision is not None and (old or new):
        raise click.UsageError("give OLD NEW folders or --against GIT_REV, not both")
    if revision is None and not (old and new):
        raise click.UsageError("give OLD and NEW dist/ folders, or --against GIT_REV")
    if revision is None:
        found = diffs.diff_dists(old, new)
    else:
        from jjjkg.dist import ensure_built

        current = ensure_built(root, dist)
        with diffs.revision_built(root, revision) as built:
            found = diffs.diff_dists(built, current)
    click.echo("\n".join(diffs.report_lines(found, lang)))


# -- asking by name: find, show, cite (jjjkg.readers.resolve and its readers) --


def open_names(root: Path, dist: Path | None):
    """The built graph's store and the resolver's names of it."""
    from jjjkg.dist import ensure_built
    from jjjkg.dist.store import open_store
    from jjjkg.readers.resolve import names_from_store

    store = open_store(ensure_built(root, dist), few_queries=True)
    return store, names_from_store(store)


@cli.command()
@click.argument("name")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "bibtex", "csl-json"]),
    default="text",
    show_default=True,
    help="One line per claim, JSON objects, or the article per paragraph (BibTeX, CSL-JSON).",
)
@label_language
@root_option
@dist_option
def cite(name: str, fmt: str, lang: str, root: Path, dist: Path | None):
    """Cite every claim the article makes about an entity: sentence, article, paragraph, lines.

    NAME is a zh or en name, slug, prefixed name or IRI. The quote is the exact sentence
    when the data has sentences, else the paragraph's evidence (and the line says so).
    The article's date and newspaper are not in the data, so no citation gives them.

    Example: jjjkg cite 天津港 --format bibtex
    """
    from jjjkg.readers.cite import cite as citations

    store, names = open_names(root, dist)
    click.echo(citations(store, names.resolve(name, "entity"), fmt, lang), nl=False)


@cli.command()
@click.argument("text")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table, or JSON objects.",
)
@label_language
@root_option
@dist_option
def find(text: str, fmt: str, lang: str, root: Path, dist: Path | None):
    """Find entities whose zh, en or alternative names (or slug) contain TEXT.

    Lists each entity's IRI, class, zh and en names and the paragraphs that mention it;
    English is matched case-insensitively.

    Example: jjjkg find 天津港
    """
    import json

    from jjjkg.readers import find as finder

    store, names = open_names(root, dist)
    found = finder.find(store, names, text)
    if not found:
        raise JjjkgError(f"no entity name contains '{text}'")
    if fmt == "json":
        click.echo(json.dumps(finder.render_json(store, found, lang), ensure_ascii=False, indent=1))
    else:
        click.echo(finder.render_text(store, found, lang, table_width(None)), nl=False)


@cli.command()
@click.argument("name")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "ttl"]),
    default="text",
    show_default=True,
    help="A card, JSON, or Turtle (the triples about the entity and its figures).",
)
@label_language
@root_option
@dist_option
def show(name: str, fmt: str, lang: str, root: Path, dist: Path | None):
    """Show an entity's card: names, class, every claim both ways with its paragraph, figures.

    NAME is a zh or en name, slug, prefixed name or IRI. Background facts (not stated in
    the article) are marked as background.

    Example: jjjkg show 天津港 --lang en
    """
    from jjjkg.readers.show import show as card

    store, names = open_names(root, dist)
    output = card(store, names, names.resolve(name, "entity"), fmt, lang, table_width(None))
    if fmt == "text":
        from jjjkg.core.terminal import escape_controls

        output = escape_controls(output.decode("utf-8")).encode("utf-8")
    sys.stdout.flush()
    sys.stdout.buffer.write(output)
    sys.stdout.buffer.flush()
