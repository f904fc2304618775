"""Named SPARQL queries: find them, bind their parameters, run them with a timeout, format.

A named query is `queries/NAME.rq` (or `queries/checks/NAME.rq` as `checks/NAME`). Its
header lines give `#+ summary:` (en), `#+ question:` (zh), `#+ tags:` and any number of
`#+ param: VAR DEFAULT` (DEFAULT is written like a `--bind` value; no default: unbound
unless bound). Queries use the shared prefixes of `jjjkg.core.terms` without declaring them.

Parameters are RDF terms. pyoxigraph gets them as a VALUES block opening the WHERE group
(`jjjkg.readers.values`: planned as constants, terms written by pyoxigraph in escaped N-Triples, so
a value cannot inject SPARQL), or as substitutions where no such block can go (a blank node,
CONSTRUCT WHERE); rdflib gets initBindings. A parameter should be used in triple patterns
or FILTERs, not only in a BIND (there the engines differ); as substitutions, it must also
be selected (pyoxigraph's rule).

Runs on the pyoxigraph store of `jjjkg.dist.store`; rdflib stays out of this module's import
path (`run_rdflib` imports it only when called, for the engine cross-check in the tests).
"""

from __future__ import annotations

import io
import re
import sys
import threading
from collections.abc import Callable
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from jjjkg.core.errors import JjjkgError, QueryError
from jjjkg.core.names import KINDS
from jjjkg.core.project import read_text
from jjjkg.core.registry import QUERY_FORMATS
from jjjkg.core.terms import XSD, expand, prologue, shorten
from jjjkg.dist.store import Store, _code
from jjjkg.readers.render import DECIMAL_TYPES, INTEGER_TYPES, render, sorted_triples
from jjjkg.readers.values import with_values

QUERIES_FOLDER = "queries"
FORMATS = tuple(QUERY_FORMATS)
DEFAULT_TIMEOUT = 30.0

_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}
_W3C_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "srj": ox.QueryResultsFormat.JSON,
    "srx": ox.QueryResultsFormat.XML,
}


# -- the library of named queries --


class NamedQuery:
    """One query: its text and header. `name` is None for a query given with -e."""

    def __init__(
        self,
        name: str | None,
        text: str,
        source: str,  # how errors name it: "queries/NAME.rq", a file path, or "-e"
        summary: str = "",
        question: str = "",
        tags: list[str] | None = None,
        params: dict[str, str] | None = None,
        kinds: dict[str, str] | None = None,
    ):
        self.name, self.text, self.source = name, text, source
        self.summary, self.question = summary, question
        self.tags = tags or []
        self.params = params or {}  # {variable: default, written like a --bind value}
        self.kinds = kinds or {}  # {variable: kind of value}, see `jjjkg.readers.resolve`

    def __repr__(self) -> str:
        return f"NamedQuery({self.name or self.source!r})"


def parse_header(text: str) -> dict:
    """The `#+ key: value` lines of a query (params as {var: default text})."""
    header: dict = {"summary": "", "question": "", "tags": [], "params": {}, "kinds": {}}
    for line in text.splitlines():
        match = re.match(r"#\+\s*(\w+)\s*:\s*(.*?)\s*$", line)
        if not match:
            continue
        key, value = match.groups()
        if key == "tags":
            header["tags"] = [t.strip() for t in value.split(",") if t.strip()]
        elif key == "param":  # VAR DEFAULT KIND, DEFAULT and KIND optional
            var, _, default = value.partition(" ")
            var = var.lstrip("?$")
            words = default.split()
            if words and words[-1] in KINDS:
                header["kinds"][var] = words[-1]
                default = default.strip().removesuffix(words[-1])
            header["params"][var] = default.strip()
        elif key in ("summary", "question"):
            header[key] = value
    return header


def from_text(text: str, name: str | None, source: str) -> NamedQuery:
    return NamedQuery(name=name, text=text, source=source, **parse_header(text))


def queries_dir(root: Path) -> Path:
    return Path(root) / QUERIES_FOLDER


def library(root: Path, checks: bool = False) -> list[NamedQuery]:
    """The named queries of the project at `root`, sorted by name (checks if asked)."""
    folder = queries_dir(root)
    paths = sorted(folder.glob("*.rq"))
    if checks:
        paths += sorted((folder / "checks").glob("*.rq"))
    return [_load(path, root) for path in paths if path.is_file()]


def _name(path: Path, root: Path) -> str:
    rel = path.relative_to(queries_dir(root)).as_posix()
    return rel.removesuffix(".rq")


def _load(path: Path, root: Path) -> NamedQuery:
    text = read_text(path, f"{QUERIES_FOLDER}/{_name(path, root)}.rq")
    return from_text(text, _name(path, root), f"{QUERIES_FOLDER}/{_name(path, root)}.rq")


def find_query(root: Path, name: str) -> NamedQuery:
    """A query by name (`parks-enterprise-counts`, `checks/entity-without-type`) or file path.

    An unknown name raises QueryError listing the nearest names.
    """
    folder = queries_dir(root)
    named = folder / f"{name.removesuffix('.rq')}.rq"
    if named.is_file() and named.resolve().is_relative_to(folder.resolve()):
        return _load(named, root)
    path = Path(name)
    if path.is_file():
        return from_text(read_text(path, name), None, name)
    names = [q.name for q in library(root, checks=True)]
    import difflib

    probe = Path(name).stem if name.endswith(".rq") else name  # a file: by its name
    near = difflib.get_close_matches(probe, names, n=5, cutoff=0.5)
    near += [n for n in names if probe and probe in n and n not in near][: 5 - len(near)]
    hint = f"; did you mean: {', '.join(near)}?" if near else "; `jjjkg queries` lists them"
    if name.endswith(".rq"):  # meant as a file
        raise QueryError(f"no such file, and no such query{hint}", name)
    raise QueryError(f"unknown query '{name}'{hint}")


def answer_of(
    root: Path | str,
    dist: Path | str | None,
    name_or_sparql: str,
    bind: dict[str, object],
    inferred: bool = True,
    source: str = "query",
):
    """The library's way in (`jjjkg.query`, `jjjkg.dataframe`): a named query, a .rq file or
    SPARQL text, run on dist/ (built first when stale) with `bind` resolved as `--bind`
    resolves names. (store, the query, its Result)."""
    from jjjkg.dist import ensure_built
    from jjjkg.dist.store import open_store
    from jjjkg.readers.resolve import names_from_store

    text = name_or_sparql.strip()
    if re.search(r"\s|\{", text):  # SPARQL text; a name or a .rq path has neither
        chosen = from_text(text, None, source)
    else:
        chosen = find_query(Path(root), text)
    store = open_store(ensure_built(Path(root), None if dist is None else Path(dist)))
    given = [f"{var}={value}" for var, value in bind.items()]
    values = bindings(chosen, given, lambda: names_from_store(store))
    return store, chosen, execute(store, chosen, values, inferred=inferred)


# -- parameters --

_LITERAL = re.compile(r'^"(.*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(\S+))?$', re.DOTALL)


def parse_term(value: str) -> ox.NamedNode | ox.Literal:
    """A --bind value: `<iri>`, `prefix:name`, `http(s)://…`, `"text"@zh`, `"v"^^xsd:t`,
    a number, or any other text as a plain string."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        return _iri(value[1:-1])
    match = _LITERAL.match(value)
    if match:
        text, lang, datatype = match.groups()
        if lang:
            return ox.Literal(text, language=lang)
        if datatype:
            iri = datatype[1:-1] if datatype.startswith("<") else expand(datatype)
            if not iri:
                raise QueryError(f"unknown prefix in datatype {datatype}")
            return ox.Literal(text, datatype=_iri(iri))
        return ox.Literal(text)
    iri = expand(value)
    if iri is not None:
        return _iri(iri)
    if re.match(r"^https?://\S+$", value):
        return _iri(value)
    if re.match(r"^[+-]?\d+$", value):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "integer"))
    if re.match(r"^[+-]?\d*\.\d+$", value):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "decimal"))
    return ox.Literal(value)


def _iri(text: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise QueryError(f"not an IRI: <{text}> ({exc})") from None


def bindings(
    query: NamedQuery, binds: list[str] | tuple[str, ...] = (), names=None
) -> dict[str, object]:
    """The parameter defaults of `query`, overridden by `VAR=VALUE` strings.

    With `names` (a callable giving `jjjkg.readers.resolve.Names`), a given value for a
    parameter of a kind (`#+ param: VAR DEFAULT KIND`, or any parameter whose default is an
    IRI) is resolved as a name, and every IRI given must be in the graph; quoted values
    stay literals.
    """
    given: dict[str, str] = dict(query.params)
    chosen: dict[str, object] = {}
    seen: dict[str, str] = {}
    for bind in binds:
        var, sep, value = bind.partition("=")
        var = var.strip().lstrip("?$")
        if not sep or not re.match(r"^\w+$", var):
            raise QueryError(f"--bind wants VAR=VALUE, got '{bind}'")
        if not re.search(rf"[?$]{var}\b", query.text):
            raise QueryError(f"--bind {var}: the query has no variable ?{var}")
        if var in seen:
            raise QueryError(f"--bind {var} given twice ('{seen[var]}' and '{value}')")
        seen[var] = given[var] = value
        if names is not None:
            chosen[var] = _resolved(query, var, value.strip(), names)
    # a `#+ param: VAR` without a default stays unbound unless --bind sets it
    terms = {var: parse_term(value) for var, value in given.items() if value.strip()}
    return {**terms, **chosen}


def _resolved(query: NamedQuery, var: str, value: str, names) -> ox.NamedNode | ox.Literal:
    """A --bind value read through the resolver (see `bindings`)."""
    kind = query.kinds.get(var)
    if kind is None and isinstance(_default_term(query, var), ox.NamedNode):
        kind = "any"
    term = parse_term(value)
    if value.startswith('"') or (isinstance(term, ox.Literal) and kind is None):
        return term
    if isinstance(term, ox.Literal) and term.datatype.value != XSD + "string":
        if kind not in ("section", "paragraph"):
            return term  # a number
    try:
        return ox.NamedNode(names().resolve(value, kind or "any"))
    except JjjkgError as error:
        raise type(error)(f"--bind {var}: {error}") from None


def _default_term(query: NamedQuery, var: str):
    default = query.params.get(var, "").strip()
    return parse_term(default) if default else None


# -- running --


class Result:
    """What a query returned: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT).

    `serialized` holds the output bytes instead when a W3C results format was asked for.
    (Plain classes, not dataclasses: creating a dataclass costs milliseconds at import.)
    """

    def __init__(
        self,
        kind: str,  # "select", "ask" or "graph"
        variables: list[str] | None = None,
        rows: list[tuple] | None = None,
        boolean: bool | None = None,
        triples: list | None = None,
        serialized: bytes | None = None,
    ):
        self.kind = kind
        self.variables = variables or []
        self.rows = rows or []
        self.boolean = boolean
        self.triples = triples or []
        self.serialized = serialized


def refuse_updates(text: str, source: str) -> None:
    """Raise QueryError if `text` is a SPARQL update: jjjkg query is read-only."""
    code = re.sub(r"(^|\s)#[^\n]*", " ", text)
    code = re.sub(r"(?is)^\s*((PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", "", code)
    first = re.match(r"\s*([A-Za-z]+)", code)
    if first and first.group(1).upper() in _UPDATE_WORDS | {"WITH"}:
        raise QueryError(
            f"{first.group(1).upper()} refused: jjjkg query is read-only "
            "(SPARQL updates cannot change the built graph)",
            source,
        )


def syntax_error(exc: BaseException, query: NamedQuery) -> QueryError:
    """Turn pyoxigraph's `error at L:C: expected …` into one line with line and column."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else "syntax error"
    match = re.match(r"error at (\d+):(\d+): (.*)", message)
    if not match:
        return QueryError(f"bad query: {message}", query.source)
    line, col, why = int(match.group(1)), int(match.group(2)), match.group(3)
    if "Prefix not found" in why:
        lines = query.text.splitlines()
        before = lines[line - 1][: col - 1] if line <= len(lines) else ""
        prefix = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", before)
        why = f"unknown prefix '{prefix.group(1) or ''}:'" if prefix else "unknown prefix"
    if len(why) > 120:
        why = why[:117] + "…"
    return QueryError(f"bad query: {why}", query.source, line, col)


def execute(
    store: Store,
    query: NamedQuery,
    binds: dict[str, object] | None = None,
    inferred: bool = True,
    timeout: float | None = DEFAULT_TIMEOUT,
    serialize: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Result:
    """Run `query` on `store` in a worker thread; give up after `timeout` seconds.

    `serialize` (csv, tsv, srj or srx) has pyoxigraph write the SELECT results directly.
    `limit` and `offset` page the rows (or triples); not with `serialize`.
    A query still running at the timeout is abandoned (its daemon thread ends with the
    process) and QueryError is raised.
    """
    refuse_updates(query.text, query.source)
    refuse_paging(serialize, limit, offset, query)
    return in_worker(
        store,
        query,
        binds,
        inferred,
        timeout,
        lambda r: _collect(r, serialize, limit, offset),
        rows=serialize not in _W3C_FORMATS,
    )


def refuse_paging(fmt: str | None, limit: int | None, offset: int, query: NamedQuery) -> None:
    """A format pyoxigraph writes whole (`fmt`: srj, srx; csv, tsv as `serialize`) is never
    paged: refused rather than printed whole."""
    if paged(limit, offset) and fmt in _W3C_FORMATS:
        raise QueryError(f"--limit and --offset are not for --format {fmt}", query.source)


def in_worker(
    store, query: NamedQuery, binds, inferred, timeout, answer: Callable, rows: bool = False
):
    """`answer(results)` of `query` on `store`, run in a worker thread; QueryError after
    `timeout` seconds (the abandoned daemon thread ends with the process). `rows`: `answer`
    only iterates the results (see `execute_text`)."""
    outcome: dict = {}

    def work() -> None:
        # pyoxigraph result objects must die on the thread that made them: keep them local
        # and hand over only plain values, or an exception stripped of its frames.
        try:
            results = execute_text(store, query, binds, inferred, rows)
            outcome["answer"] = answer(results)
            del results
        except BaseException as exc:
            outcome["error"] = exc.with_traceback(None)

    worker = threading.Thread(target=work, name="jjjkg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryError(
            f"query stopped after {timeout:g} s (raise --timeout to wait longer)",
            query.source,
        )
    error = outcome.get("error")
    if isinstance(error, (JjjkgError, BrokenPipeError)):  # the CLI ends quietly on a broken pipe
        raise error
    if error is not None:
        raise query_error(error, query)
    return outcome["answer"]


def execute_text(
    store: Store, query: NamedQuery, binds: dict[str, object] | None, inferred, rows=False
):
    """The lazy pyoxigraph answer of `query` with `binds` (a VALUES block where one fits).

    `rows`: the caller only iterates the answer, so on the on-disk store a final ORDER BY
    may be done in Python (`jjjkg.readers.ordering`: several times faster there).
    """
    if rows and store.on_disk(inferred):
        sorted_here = _sorted_in_python(store, query, binds, inferred)
        if sorted_here is not None:
            return sorted_here
    valued = with_values(query.text, binds or {})
    if valued is not None:
        try:
            return store.query(valued, inferred=inferred)
        except SyntaxError:
            pass  # the text as written gives the error, at its own line and column
    substitutions = {ox.Variable(k): v for k, v in (binds or {}).items()}
    return store.query(query.text, inferred=inferred, substitutions=substitutions)


def _sorted_in_python(store: Store, query: NamedQuery, binds, inferred):
    from jjjkg.readers.ordering import sorted_answer, split_order

    split = split_order(query.text)
    if split is None:
        return None
    unordered = NamedQuery(query.name, split[0], query.source, params=query.params)
    try:
        answer = execute_text(store, unordered, binds, inferred)
    except SyntaxError:
        return None  # the text as written gives the error, at its own line and column
    return sorted_answer(answer, split[1])


def query_error(error: BaseException, query: NamedQuery) -> QueryError:
    """The one-line error for what a query raised (syntax with line and column)."""
    if isinstance(error, SyntaxError):
        return syntax_error(error, query)
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    projection = re.search(r"variable \?(\w+) in its SELECT projection", message)
    if projection:
        message = f"--bind {projection.group(1)}: ?{projection.group(1)} must be selected"
    return QueryError(f"query failed: {message}", query.source)


def paged(limit: int | None, offset: int) -> bool:
    return limit is not None or offset > 0


def page(items, limit: int | None = None, offset: int = 0):
    """The items from `offset` on, at most `limit` of them (None: all), for numbers of any
    size (islice takes none above sys.maxsize: past it, nothing is left or nothing is cut)."""
    start = min(offset, sys.maxsize)
    stop = None if limit is None or start + limit > sys.maxsize else start + limit
    return islice(items, start, stop)


def page_triples(triples, limit: int | None = None, offset: int = 0):
    """A page of a CONSTRUCT's triples: of the sorted set, as pages must be from run to run
    (Oxigraph yields a CONSTRUCT's triples in an order that varies between processes)."""
    if not paged(limit, offset):
        return triples
    return list(page(sorted_triples(triples), limit, offset))


def _collect(results, serialize: str | None, limit=None, offset: int = 0) -> Result:
    if isinstance(results, ox.QueryBoolean):
        if serialize in ("srj", "srx"):
            return Result("ask", serialized=results.serialize(format=_W3C_FORMATS[serialize]))
        return Result("ask", boolean=bool(results))
    if isinstance(results, ox.QueryTriples):
        if serialize in _W3C_FORMATS:
            raise QueryError(
                f"--format {serialize} is not for CONSTRUCT queries; use ttl, nt or table"
            )
        return Result("graph", triples=list(page_triples(results, limit, offset)))
    variables = [v.value for v in results.variables]
    if serialize in _W3C_FORMATS:
        data = results.serialize(format=_W3C_FORMATS[serialize])
        return Result("select", variables=variables, serialized=data)
    rows = [tuple(solution) for solution in page(results, limit, offset)]  # None if unbound
    return Result("select", variables=variables, rows=rows)


def run(
    store: Store,
    query: NamedQuery,
    binds: dict[str, object] | None = None,
    fmt: str | None = None,
    lang: str | None = None,
    inferred: bool = True,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_width: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> bytes:
    """Run a query and format its result: what `jjjkg query` prints (see `render`)."""
    if fmt is not None and fmt not in FORMATS:
        raise QueryError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    serialize = _serialized(fmt, lang)
    result = execute(store, query, binds, inferred, timeout, serialize, limit, offset)
    return render(result, fmt, store, lang, max_width)


def _serialized(fmt: str | None, lang: str | None) -> str | None:
    """The format pyoxigraph writes itself: W3C results, unless names are asked for."""
    if fmt in ("csv", "tsv") and lang not in (None, "none"):
        return None
    return fmt


# -- comparable rows (tests, pins, the rdflib cross-check) --


def term_text(term) -> str:
    """A stable, readable text for a term: prefixed name, or a literal's value (`@lang`).

    Numbers compare by value (4900.0 and 4900 are the same), so two engines that write a
    computed number differently still agree.
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:b"
    if term.datatype.value in INTEGER_TYPES | DECIMAL_TYPES:
        from decimal import Decimal

        try:
            number = Decimal(term.value)
        except ArithmeticError:
            return term.value
        text = format(number.normalize(), "f")
        return text if number else "0"
    return f"{term.value}@{term.language}" if term.language else term.value


_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


class RemoteLabels:
    """Looks labels up on the remote endpoint, so tables show names there too."""

    def __init__(self, endpoint: str, timeout: float):
        self.endpoint, self.timeout = endpoint, timeout

    def query(self, text: str) -> list[tuple]:
        from jjjkg.readers.remote import remote_select

        return remote_select(self.endpoint, text, self.timeout)[1]


def remote_text(query: NamedQuery, binds: dict[str, object] | None = None) -> str:
    """The query as a remote endpoint needs it: PREFIX lines, bindings as a VALUES block
    (opening the WHERE group where it can, else at the end of the query)."""
    valued = with_values(query.text, binds or {})
    if valued is not None:
        return prologue() + valued
    values = "".join(f"VALUES ?{var} {{ {term} }}\n" for var, term in (binds or {}).items())
    return prologue() + query.text.rstrip() + "\n" + values


# Printed before a query by `jjjkg query NAME --show`: the library's queries read patterns
# outside GRAPH { } from the union of the named graphs, which is not every store's default.
UNION_HEADER = """\
# This query needs a default graph that is the union of all named graphs (jjjkg puts every
# triple in a named graph: one per sentence, plus catalogue, background, source, inferred...).
# On a store whose default graph is empty or separate, it answers differently, often with 0 rows.
#   Oxigraph:  oxigraph serve --location DB --union-default-graph   (also serve-read-only, query;
#              or the union-default-graph parameter of one request; pyoxigraph:
#              Store.query(..., use_default_graph_as_union=True)); jjjkg serve sets it.
#   Jena:      a TDB dataset with tdb:unionDefaultGraph true (TDB2: tdb2:unionDefaultGraph true)
#              in the Fuseki/assembler description, or tdbquery --set tdb:unionDefaultGraph=true;
#              arq --data dist/jjjkg.trig keeps an empty default graph: load into TDB first.
#   GraphDB:   nothing to set: a query without FROM reads the statements of every graph.
#   Virtuoso:  nothing to set: a query without FROM reads every graph; do not narrow it with
#              define input:default-graph-uri or the default-graph-uri request parameter.
"""


def show_text(query: NamedQuery, binds: dict[str, object] | None = None) -> str:
    """What `jjjkg query --show` prints: the union-default-graph note, then the query as
    standalone SPARQL (`remote_text`)."""
    return UNION_HEADER + remote_text(query, binds)


def run_remote(
    endpoint: str,
    query: NamedQuery,
    binds: dict[str, object] | None = None,
    fmt: str | None = None,
    lang: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_width: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> bytes:
    """Run a query on a SPARQL 1.1 endpoint and format the answer as `run` does locally,
    paged as locally (the server sends the whole answer; the page is cut here)."""
    from jjjkg.readers.remote import read_answer, remote_answer, remote_query, remote_serialized
    from jjjkg.readers.stream import FORMATS as STREAMED
    from jjjkg.readers.stream import write_answer

    if fmt is not None and fmt not in FORMATS:
        raise QueryError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    refuse_updates(query.text, query.source)
    text = remote_text(query, binds)
    form = _FORM.search(_code(query.text))
    kind = form.group(1).upper() if form else "SELECT"
    labels_from = RemoteLabels(endpoint, timeout)
    if kind in ("CONSTRUCT", "DESCRIBE"):
        body = remote_query(endpoint, text, "application/n-triples", timeout)
        quads = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        triples = page_triples([quad.triple for quad in quads], limit, offset)
        return render(Result("graph", triples=triples), fmt, labels_from, lang, max_width)
    if fmt in ("srj", "srx"):
        refuse_paging(fmt, limit, offset, query)
        return remote_serialized(endpoint, text, _W3C_FORMATS[fmt], timeout)
    answer = remote_answer(endpoint, text, timeout)
    if fmt in STREAMED:  # written as a local answer is (`jjjkg.readers.stream`)
        out = io.BytesIO()
        read_answer(
            endpoint, answer, lambda a: write_answer(a, out, fmt, labels_from, lang, limit, offset)
        )
        return out.getvalue()
    if isinstance(answer, ox.QueryBoolean):
        return render(Result("ask", boolean=bool(answer)), fmt, labels_from, lang)
    rows = read_answer(endpoint, answer, lambda a: [tuple(r) for r in page(a, limit, offset)])
    result = Result("select", variables=[v.value for v in answer.variables], rows=rows)
    return render(result, fmt, labels_from, lang, max_width)
