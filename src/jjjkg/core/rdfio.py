"""Write the RDF files of dist/ from the build's lines of N-Quads, deterministically.

Every file is written from quads sorted on the N-Triples text of (graph, subject, predicate,
object), with the shared prefixes (`jjjkg.core.terms`), so the same sources give the same bytes
whatever the hash seed or the store's internal order (which changes from run to run):

- `jjjkg.nq`: every named graph (asserted and inferred), lines sorted by graph, then triple;
- `jjjkg.trig`: the same, one block per graph (a graph too big for one chunk gets several);
- `jjjkg.ttl`: the asserted union (ontology + data graphs), each triple once;
- `jjjkg-inferred.ttl`: the inferred graph alone;
- `jjjkg.jsonld`: every named graph, one object per graph and one line per node, IRIs
  compacted with the prefixes of its `@context`.

The lines come from the store as N-Quads/N-Triples (Oxigraph writes one canonical form per
term); Python sorts them. Oxigraph parses them back, a chunk of whole subjects at a time, and
writes Turtle and TriG; JSON-LD is written here, straight from the lines (Oxigraph's JSON-LD
writer ignores prefixes). Memory stays near the size of the sorted lines.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from jjjkg.core.project import INFERRED_TTL, JSONLD, NQ, RDF_OUTPUTS, TRIG, TTL
from jjjkg.core.terms import INFERRED_GRAPH, PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph

FILES = RDF_OUTPUTS
CHUNK = 100_000  # lines per chunk (extended to the end of its last subject)


@dataclass
class Written:
    """What `write_dataset` wrote: sha256 per file, triples per named graph."""

    files: dict[str, str] = field(default_factory=dict)
    graphs: dict[str, int] = field(default_factory=dict)


class _Discard:
    """Stands for a file `write_dataset` was asked not to write."""

    def write(self, data: bytes) -> None:
        pass

    def close(self) -> str:
        return ""


class _Output:
    """A binary file that hashes what goes through it."""

    def __init__(self, path: Path):
        self.file: BinaryIO = open(path, "wb")  # noqa: SIM115 (closed in close())
        self.hash = hashlib.sha256()

    def write(self, data: bytes) -> None:
        if data:
            self.file.write(data)
            self.hash.update(data)

    def close(self) -> str:
        self.file.close()
        return self.hash.hexdigest()


def prefix_header() -> bytes:
    """The `@prefix` lines of the shared prefixes, sorted by name."""
    lines = [f"@prefix {name}: <{iri}> .\n" for name, iri in sorted(PREFIXES.items())]
    return ("".join(lines) + "\n").encode("utf-8")


def _without_prefixes(text: bytes) -> bytes:
    start = 0
    while text.startswith(b"@prefix ", start):
        start = text.index(b"\n", start) + 1
    return text[start:].lstrip(b"\n")


def graph_of(line: bytes) -> bytes:
    """The graph term of an N-Quads line `S P O G .` (an IRI or blank node: no spaces)."""
    return line[line.rindex(b" ", 0, len(line) - 2) + 1 : -2]


def triple_of(line: bytes) -> bytes:
    """`S P O G .` → `S P O .`"""
    return line[: line.rindex(b" ", 0, len(line) - 2)] + b" ."


def _subject(line: bytes) -> bytes:
    return line[: line.index(b" ")]


def _chunks(lines: list[bytes], size: int = CHUNK) -> Iterable[list[bytes]]:
    """Consecutive runs of sorted lines, each ending with the last line of its subject."""
    start = 0
    while start < len(lines):
        end = min(start + size, len(lines))
        if end < len(lines):
            subject = _subject(lines[end - 1]) + b" "
            while end < len(lines) and lines[end].startswith(subject):
                end += 1
        yield lines[start:end]
        start = end


# -- JSON-LD --

RDF_TYPE_TERM = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD_STRING_TERM = b"<http://www.w3.org/2001/XMLSchema#string>"


class JsonLdWriter:
    """Streams one JSON-LD document straight from sorted N-Quads lines.

    The shared prefixes are its `@context`; each named graph is one object whose `@graph`
    holds one node object per subject, one line each, IRIs compacted with the longest fitting
    prefix, every value an object (`@id`, or `@value` with `@language`/`@type`) so the file
    parses back to exactly the same quads. Oxigraph writes each term in one canonical
    N-Triples form, whose string escapes are all valid in JSON, so a literal's text is copied
    as it is.
    """

    def __init__(self, out: _Output | _Discard):
        self.out = out
        self.namespaces = sorted(PREFIXES.items(), key=lambda item: (-len(item[1]), item[0]))
        self.ids: dict[bytes, bytes] = {}
        self.values: dict[bytes, bytes] = {}  # IRI objects repeat: so do their value objects
        self.graphs = 0
        self.nodes = 0
        context = ",\n".join(
            f"    {json.dumps(name)}: {json.dumps(iri)}" for name, iri in sorted(PREFIXES.items())
        )
        out.write(f'{{\n  "@context": {{\n{context}\n  }},\n  "@graph": ['.encode())

    def iri(self, term: bytes) -> bytes:
        """A JSON string for an IRI (`<...>`) or blank node (`_:b`) term, compacted."""
        found = self.ids.get(term)
        if found is None:
            if term.startswith(b"<"):
                iri = term[1:-1].decode("utf-8")
                text = iri
                for prefix, namespace in self.namespaces:
                    if iri.startswith(namespace) and not iri.startswith("//", len(namespace)):
                        text = f"{prefix}:{iri[len(namespace) :]}"
                        break
                found = json.dumps(text, ensure_ascii=False).encode("utf-8")
            else:
                found = b'"' + term + b'"'
            if len(self.ids) < 2_000_000:
                self.ids[term] = found
        return found

    def value(self, term: bytes) -> bytes:
        if not term.startswith(b'"'):
            return b'{"@id":' + self.iri(term) + b"}"
        end = term.rindex(b'"')
        text, suffix = term[1:end], term[end + 1 :]
        if suffix.startswith(b"@"):
            return b'{"@value":"' + text + b'","@language":"' + suffix[1:] + b'"}'
        if suffix.startswith(b"^^") and suffix[2:] != XSD_STRING_TERM:
            return b'{"@value":"' + text + b'","@type":' + self.iri(suffix[2:]) + b"}"
        return b'{"@value":"' + text + b'"}'

    def begin(self, graph: bytes) -> None:
        """Open the object of one named graph (then `add` its lines, then `end`)."""
        head = b"," if self.graphs else b""
        self.graphs += 1
        self.nodes = 0
        self.out.write(head + b'\n    {"@id": ' + self.iri(graph) + b', "@graph": [')

    def add(self, lines: list[bytes], quads: bool = True) -> None:
        """Lines of the open graph, sorted, a subject never split over two calls: N-Quads, or
        N-Triples with `quads=False`."""
        iri, value, ids = self.iri, self.value, self.ids
        values = self.values
        nodes = []
        subject = None
        keys: dict[bytes, list[bytes]] = {}
        for line in lines:
            s, p, rest = line.split(b" ", 2)
            o = rest[: rest.rindex(b" ", 0, len(rest) - 2)] if quads else rest[:-2]
            if s != subject:
                if subject is not None:
                    nodes.append(self._node(subject, keys))
                subject, keys = s, {}
            if p == RDF_TYPE_TERM and o[0] != 34:  # 34: '"', a literal
                key, item = b'"@type"', ids.get(o) or iri(o)
            else:
                key = ids.get(p) or iri(p)
                item = values.get(o)
                if item is None:
                    item = value(o)
                    if o[0] != 34 and len(values) < 1_000_000:
                        values[o] = item
            found = keys.get(key)
            if found is None:
                keys[key] = [item]
            else:
                found.append(item)
        if subject is not None:
            nodes.append(self._node(subject, keys))
        if nodes:
            head = b",\n      " if self.nodes else b"\n      "
            self.out.write(head + b",\n      ".join(nodes))
            self.nodes += len(nodes)

    def end(self) -> None:
        self.out.write(b"\n    ]}")

    def _node(self, subject: bytes, keys: dict[bytes, list[bytes]]) -> bytes:
        parts = [b'{"@id":' + self.iri(subject)]
        parts += [key + b":[" + b",".join(values) + b"]" for key, values in keys.items()]
        return b",".join(parts) + b"}"

    def close(self) -> None:
        self.out.write(b"\n  ]\n}\n")


# -- the writer --


def _graph_block(label: bytes, body: bytes, first: bool = False) -> bytes:
    """A TriG block for one graph from a Turtle body (literals never span lines)."""
    indented = b"".join(b"\t" + line for line in body.splitlines(keepends=True))
    return (b"" if first else b"\n") + label + b" {\n" + indented + b"}\n"


def graph_label(term: bytes) -> bytes:
    """How TriG names a graph: `jart:p01` when a shared prefix fits, else as in N-Triples."""
    import pyoxigraph as ox

    if term.startswith(b"<"):
        node = ox.NamedNode(term[1:-1].decode())
        text = ox.serialize(
            [ox.Triple(node, node, node)], format=ox.RdfFormat.TURTLE, prefixes=PREFIXES
        )
        return _without_prefixes(text).split(b" ", 1)[0]
    return term


def union_lines(asserted: list[bytes], inferred: Iterable[bytes] = ()) -> list[bytes]:
    """The N-Triples lines of the union of the asserted N-Quads lines (and of the inferred
    N-Triples lines, if given), each triple once, sorted."""
    return sorted({triple_of(line) for line in asserted}.union(inferred))


def _write_union(asserted: list[bytes], output: _Output, inferred: Iterable[bytes] = ()) -> None:
    """The union, each triple once, sorted, as Turtle: the body of jjjkg.ttl."""
    import pyoxigraph as ox

    union = union_lines(asserted, inferred)
    for chunk in _chunks(union):
        text = ox.serialize(
            ox.parse(b"\n".join(chunk) + b"\n", format=ox.RdfFormat.N_TRIPLES),
            format=ox.RdfFormat.TURTLE,
            prefixes=PREFIXES,
        )
        output.write(_without_prefixes(text))


def write_union(
    asserted: list[bytes], out: Path, inferred: Iterable[bytes] = (), name: str = TTL
) -> str:
    """Write `jjjkg.ttl` (the asserted union) into `out` from the asserted N-Quads lines;
    return its sha256. It needs no reasoning, so the build may write it early. With the
    inferred N-Triples lines, the file holds their union (the closure), under `name`."""
    output = _Output(out / name)
    try:
        output.write(prefix_header())
        _write_union(asserted, output, inferred)
    finally:
        digest = output.close()
    return digest


def write_ntriples(lines: list[bytes], path: Path) -> None:
    """N-Triples lines (sorted, each once: see `union_lines`) as an N-Triples file."""
    with open(path, "wb") as out:
        out.write(b"".join(line + b"\n" for line in lines))


def write_rdfxml(lines: list[bytes], path: Path) -> None:
    """N-Triples lines (sorted, each once) as RDF/XML, with the shared prefixes, by Oxigraph."""
    import pyoxigraph as ox

    triples = ox.parse(b"\n".join(lines) + b"\n", format=ox.RdfFormat.N_TRIPLES)
    ox.serialize(triples, output=str(path), format=ox.RdfFormat.RDF_XML, prefixes=PREFIXES)


def write_dataset(
    asserted: list[bytes],
    inferred: list[bytes],
    out: Path,
    progress: Callable[[str], None] | None = None,
    union: str | None = None,
    only: Iterable[str] | None = None,
    store_input: Path | None = None,
    nq_written: Callable[[], None] | None = None,
) -> Written:
    """Write the five RDF files of dist/ into `out` (see the module doc).

    `asserted` are the N-Quads lines of the asserted named graphs (shapes never among them);
    `inferred` the N-Triples lines of the inferred graph. Both lists are consumed (sorted and
    emptied) to save memory. `union`: the sha256 of a `jjjkg.ttl` written already (by
    `write_union`), which is then not written again. `only`: the names of the files to write
    (default: all five), as `jjjkg export` asks for one. `store_input`: also write there the
    triple of every quad as N-Triples, unsorted and with repeats (the input of the store's
    default graph, `jjjkg.pipeline.persist`; not a file of dist/). `nq_written` is called
    once `jjjkg.nq` and `store_input` are complete, before the other files are written.
    """
    import pyoxigraph as ox

    written = Written()
    wanted = set(FILES if only is None else only) - ({TTL} if union else set())
    outputs: dict[str, _Output | _Discard] = {
        name: _Output(out / name) if name in wanted else _Discard() for name in FILES
    }
    default = _Output(store_input) if store_input is not None else _Discard()
    header = prefix_header()
    for name in (TRIG, TTL, INFERRED_TTL):
        if name in outputs:
            outputs[name].write(header)
    jsonld = JsonLdWriter(outputs[JSONLD])
    started = shown = time.perf_counter()
    total = len(asserted) + len(inferred)
    done = 0

    def note(stage: str) -> None:
        nonlocal shown
        now = time.perf_counter()
        if progress and now - shown > 0.5:
            shown = now
            progress(f"write: {stage}, {done:,}/{total:,} quads ({done / (now - started):,.0f}/s)")

    try:
        if TTL in wanted:
            _write_union(asserted, outputs[TTL])
        # Every named graph, sorted by graph, then triple: the other four files.
        groups: dict[bytes, list[bytes]] = {}
        suffix = b"\n"  # ends no line
        current: list[bytes] = []
        for line in asserted:  # the store dumps a graph at a time: few lookups
            if not line.endswith(suffix):
                graph = graph_of(line)
                suffix = b" " + graph + b" ."
                current = groups.setdefault(graph, [])
            current.append(line)
        asserted.clear()
        inferred_term = f"<{INFERRED_GRAPH}>".encode()
        names = sorted({*groups, inferred_term} if inferred else groups)
        batch: list[bytes] = []  # N-Quads lines of small graphs, written as TriG together

        def flush() -> None:
            nonlocal done
            if batch and TRIG not in wanted:
                done += len(batch)
                batch.clear()
            if batch:
                data = b"\n".join(batch) + b"\n"
                text = ox.serialize(
                    ox.parse(data, format=ox.RdfFormat.N_QUADS),
                    format=ox.RdfFormat.TRIG,
                    prefixes=PREFIXES,
                )
                body = _without_prefixes(text).replace(b"\n}\n", b"\n}\n\n")
                outputs[TRIG].write((b"\n" if done else b"") + body.rstrip(b"\n") + b"\n")
                done += len(batch)
                batch.clear()
                note("graphs")

        # First jjjkg.nq (and the store's input), so a caller may start loading the store while
        # the other files are written.
        ending = b" " + inferred_term + b" .\n"
        for graph in names:
            if graph == inferred_term:
                for chunk in _chunks(inferred):
                    quads = b"".join(line[:-1] + ending[1:] for line in chunk)
                    outputs[NQ].write(quads)
                    default.write(b"\n".join(chunk) + b"\n")
                count = len(inferred)
            else:
                lines = groups[graph]
                lines.sort()
                quads = b"\n".join(lines) + b"\n"
                outputs[NQ].write(quads)
                cut = len(graph) + 3  # " <g> ." → " ."
                default.write(b"".join(line[:-cut] + b" .\n" for line in lines))
                count = len(lines)
            written.graphs[(graph[1:-1] if graph.startswith(b"<") else graph).decode()] = count
        written.files[NQ] = outputs.pop(NQ).close()
        default.close()
        if nq_written is not None:
            nq_written()
        for graph in names:
            jsonld.begin(graph)
            if graph != inferred_term:
                lines = groups.pop(graph)
                jsonld.add(lines)
                jsonld.end()
                batch.extend(lines)
                if len(batch) >= CHUNK:
                    flush()
                continue
            # The inferred graph, from its N-Triples lines (sorted): also its own Turtle file.
            flush()
            for chunk in _chunks(inferred):
                jsonld.add(chunk, quads=False)
                triples = ox.parse(b"\n".join(chunk) + b"\n", format=ox.RdfFormat.N_TRIPLES)
                body = _without_prefixes(
                    ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
                )
                outputs[INFERRED_TTL].write(body)
                outputs[TRIG].write(_graph_block(graph_label(graph), body, first=not done))
                done += len(chunk)
                note("graphs")
            jsonld.end()
            inferred.clear()
        flush()
        jsonld.close()
    finally:
        default.close()
        for name, output in outputs.items():
            written.files[name] = output.close()
    if union:
        written.files[TTL] = union
    written.files = {
        name: written.files[name] for name in FILES if name in wanted or (union and name == TTL)
    }
    return written


# -- rdflib (for pySHACL, owlrl and the rdflib view of dist/) --


def bind_prefixes(graph: Graph) -> None:
    """Bind the project's shared prefixes (`jjjkg.core.terms`) on a graph or dataset."""
    from rdflib import Namespace

    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, Namespace(iri), override=True, replace=True)


class KeepLabels(dict):
    """A bnode context for rdflib's N-Triples/N-Quads parsers that maps each label to itself."""

    def get(self, key, default=None):
        return key
