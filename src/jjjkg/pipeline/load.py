"""Find the input files of a jjjkg project, hash them, and parse them into one Oxigraph store.

Inputs are every file under `ontology/` and `graph/` plus the check queries in
`queries/checks/`. Finding and hashing use only the standard library, so the no-op build
can decide that nothing changed without importing rdflib (or even pyoxigraph).

Parsing is pyoxigraph's (Rust): a file without blank nodes is loaded straight into the store;
a file with blank nodes is parsed into Python quads first so that each blank node gets a
stable label, `_:f{n}b{k}` (the k-th blank node of the n-th input file, in parse order), and
the same sources give byte-identical output.

Where each file goes:
- `ontology/shapes.ttl` → named graph `jjjr:graph/shapes` (used for validation only);
- any other `ontology/**/*.ttl` → `jjjr:graph/ontology`;
- `graph/**/*.trig` → its own named graphs; triples outside a `GRAPH` block, and every
  triple of a `graph/**/*.ttl`, go to `jjjr:graph/<file stem>`.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from jjjkg.core.errors import SourceError
from jjjkg.core.project import SHAPES_FILE, check_root, rdf_files, relative
from jjjkg.core.terms import ONTOLOGY_GRAPH, RESOURCE, SHAPES_GRAPH

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Graph as RdflibGraph

SOURCE_BASE = "https://w3id.org/jjjkg/source/"
FORMATS = {".ttl": "turtle", ".trig": "trig"}

# -- parsing (pyoxigraph; no rdflib) --

# Strings, IRIs and comments of a Turtle/TriG line: what may hold "(" without making a list.
_STRIP = re.compile(rb'"(?:[^"\\\n]|\\.)*"' rb"|'(?:[^'\\\n]|\\.)*'" rb"|<[^<>\s]*>" rb"|#[^\n]*")
# oxigraph's "Parser error at line 5 between columns 3 and 10: " (the location, said again)
_LOCATION = re.compile(
    r"^Parser error (at line \d+ (between columns \d+ and \d+|column \d+)"
    r"|between line \d+ column \d+ and line \d+ column \d+): "
)
# Read and load this many bytes of N-Triples/N-Quads at a time.
_CHUNK = 1 << 24


@dataclass
class Sources:
    """The parsed inputs.

    `store` holds every asserted named graph as the files place it (ontology, catalogue,
    paragraphs, ...); reasoning adds `jjjr:graph/inferred`. Queries over the data read the
    union of the named graphs (`use_default_graph_as_union`; a triple stated in two graphs is
    there twice, which changes no rule and no SHACL constraint: they ask whether, or count
    DISTINCT). The shapes are kept apart in `shapes` (graph `jjjr:graph/shapes` of a store of
    their own): they validate the data and are never part of it.

    For the writers, the asserted named graphs are also kept as N-Quads in the temporary file
    `asserted`, and the reasoner leaves its triples as N-Triples lines in `inferred`: the
    files of dist/ are written from these lines (sorted in Python), not from the store, whose
    own order is not stable from one run to the next.
    """

    store: ox.Store
    shapes: ox.Store
    files: int = 0
    quads: int = 0  # asserted quads, over all named graphs
    asserted: BinaryIO | None = None
    inferred: list[bytes] = field(default_factory=list)

    def asserted_rdflib(self) -> RdflibGraph:
        """The asserted union (every asserted graph, merged) as an rdflib Graph, with the
        blank-node labels of the store (for pySHACL and owlrl)."""
        from rdflib import Graph

        from jjjkg.core.rdfio import KeepLabels, bind_prefixes

        graph = Graph()
        bind_prefixes(graph)
        data = b"\n".join(strip_graph(line) for line in self.asserted_lines())
        with quiet_rdflib():
            graph.parse(data=data.decode("utf-8"), format="nt", bnode_context=KeepLabels())
        return graph

    def asserted_lines(self) -> list[bytes]:
        """The asserted quads as N-Quads lines (`S P O G .`), in no particular order."""
        if self.asserted is None:
            return []
        return [line for block in _blocks(self.asserted) for line in block.split(b"\n") if line]


@contextmanager
def quiet_rdflib():
    """Silence rdflib's own notes on ill-typed literals: validation reports each in one line
    (`jjjkg.pipeline.literals`)."""
    import logging
    import warnings

    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def strip_graph(line: bytes) -> bytes:
    """`S P O G .` → `S P O .` (the graph name is an IRI or a blank node: no spaces)."""
    return line[: line.rindex(b" ", 0, len(line) - 2)] + b" ."


def _blocks(file: BinaryIO, size: int = _CHUNK) -> Iterable[bytes]:
    """The file from its start in blocks of whole lines.

    Reads with `os.pread`, which leaves the file's offset alone: a forked child reading the
    same open file (see `jjjkg.pipeline.build.prepare`) must not move the parent's.
    """
    fd, offset, rest = file.fileno(), 0, b""
    while True:
        data = os.pread(fd, size, offset)
        if not data:
            break
        offset += len(data)
        data = rest + data
        cut = data.rfind(b"\n") + 1
        rest = data[cut:]
        if cut:
            yield data[:cut]
    if rest:
        yield rest


def target_graph(rel: str) -> str:
    """The named graph for triples of `rel` that are not inside a GRAPH block."""
    if rel == SHAPES_FILE:
        return SHAPES_GRAPH
    if rel.startswith("ontology/"):
        return ONTOLOGY_GRAPH
    return RESOURCE + "graph/" + Path(rel).stem


def _read(path: Path, rel: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror}", rel) from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError("not UTF-8 text", rel, line) from None
    return data


def _syntax_error(exc: SyntaxError, rel: str) -> SourceError:
    """pyoxigraph's SyntaxError as `file:line:col: bad syntax: why`."""
    text = str(exc.args[0]) if exc.args else str(exc)
    why = _LOCATION.sub("", text.strip().splitlines()[0] if text.strip() else "syntax error")
    line = exc.lineno if isinstance(exc.lineno, int) else None
    col = exc.offset if isinstance(exc.offset, int) and line is not None else None
    return SourceError(f"bad syntax: {why}", rel, line, col)


def may_have_blank_nodes(data: bytes) -> bool:
    """False only if Turtle/TriG `data` surely has no blank node (`_:x`, `[ ]`, `( )`).

    A cheap byte test: `_:` or `[` anywhere, or `(` outside strings, IRIs and comments.
    A false alarm only sends the file down the slower path that labels blank nodes.
    """
    if b"_:" in data or b"[" in data:
        return True
    if b"(" not in data:
        return False
    if b'"""' in data or b"'''" in data:  # long strings span lines: do not guess
        return True
    at = data.find(b"(")
    while at >= 0:
        start = data.rfind(b"\n", 0, at) + 1
        end = data.find(b"\n", at)
        end = len(data) if end < 0 else end
        if b"(" in _STRIP.sub(b" ", data[start:end]):
            return True
        at = data.find(b"(", end)
    return False


def _format(path: Path, rel: str):
    import pyoxigraph as ox

    fmt = FORMATS.get(path.suffix)
    if fmt is None or (rel.startswith("ontology/") and fmt != "turtle"):
        expected = ".ttl" if rel.startswith("ontology/") else ".ttl or .trig"
        raise SourceError(f"unknown format '{path.suffix}' (expected {expected})", rel)
    return ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.TRIG


def parse_quads(data: bytes, fmt, rel: str, index: int, target: str) -> list[ox.Quad]:
    """Parse one file into quads placed in their graphs, blank nodes labelled `f{index}b{k}`."""
    import pyoxigraph as ox

    blank, default = ox.BlankNode, ox.DefaultGraph
    graph = ox.NamedNode(target)
    turtle = fmt == ox.RdfFormat.TURTLE
    labels: dict[str, ox.BlankNode] = {}

    def label(node: ox.BlankNode) -> ox.BlankNode:
        new = labels.get(node.value)
        if new is None:
            new = labels[node.value] = blank(f"f{index}b{len(labels)}")
        return new

    quads = []
    try:
        for quad in ox.parse(data, fmt, base_iri=SOURCE_BASE + rel):
            s, o, g = quad.subject, quad.object, quad.graph_name
            if type(s) is blank:
                s = label(s)
            if type(o) is blank:
                o = label(o)
            if turtle or type(g) is default:
                g = graph
            elif type(g) is blank:
                g = label(g)
            quads.append(ox.Quad(s, quad.predicate, o, g))
    except SyntaxError as exc:
        raise _syntax_error(exc, rel) from None
    return quads


def load_sources(root: Path, progress: Callable[[str], None] | None = None) -> Sources:
    """Parse every RDF input of the project at `root` into one store (see `Sources`).

    Raises SourceError (with file, line and column) on the first file that does not parse.
    """
    import pyoxigraph as ox

    check_root(root)
    files = rdf_files(root)
    if not files:
        raise SourceError("no .ttl or .trig files under ontology/ or graph/", str(root))
    if not any(target_graph(relative(path, root)) == ONTOLOGY_GRAPH for path in files):
        raise SourceError(
            "no ontology: ontology/ holds no .ttl file besides the shapes "
            "(is ontology/jjjkg.ttl missing?)",
            str(root / "ontology"),
        )
    sources = Sources(store=ox.Store(), shapes=ox.Store(), files=len(files))
    started = shown = time.perf_counter()
    read = 0
    for index, path in enumerate(files):
        rel = relative(path, root)
        fmt = _format(path, rel)
        data = _read(path, rel)
        target = target_graph(rel)
        read += len(data)
        if rel == SHAPES_FILE:
            sources.shapes.extend(parse_quads(data, fmt, rel, index, target))
        elif may_have_blank_nodes(data):
            sources.store.extend(parse_quads(data, fmt, rel, index, target))
        else:
            try:
                sources.store.load(
                    data, format=fmt, base_iri=SOURCE_BASE + rel, to_graph=ox.NamedNode(target)
                )
            except SyntaxError as exc:
                raise _syntax_error(exc, rel) from None
        now = time.perf_counter()
        if progress and now - shown > 0.5:
            shown = now
            rate = read / (now - started) / 1e6
            progress(f"load: {index + 1}/{len(files)} files, {read / 1e6:.1f} MB ({rate:.1f} MB/s)")
    sources.asserted = tempfile.TemporaryFile()  # deleted when closed or collected
    sources.store.dump(sources.asserted, format=ox.RdfFormat.N_QUADS)
    sources.quads = sum(block.count(b"\n") for block in _blocks(sources.asserted))
    return sources
