"""Write the RDF files of dist/ from the build's Oxigraph store, deterministically.

Every file is written from quads sorted on the N-Triples text of (graph, subject, predicate,
object), with the shared prefixes (`jjjkg.prefixes`), so the same sources give the same bytes
whatever the hash seed or the store's internal order:

- `jjjkg.nq`: every named graph (asserted and inferred), lines sorted by graph, then triple;
- `jjjkg.trig`: the same, one block per graph;
- `jjjkg.ttl`: the asserted union (ontology + data graphs), each triple once;
- `jjjkg-inferred.ttl`: the inferred graph alone;
- `jjjkg.jsonld`: every named graph, one object per graph, IRIs compacted with the prefixes.

Oxigraph dumps each graph as N-Triples, Python sorts the lines, and Oxigraph's Turtle writer
turns them into text in chunks of whole subjects, so memory stays near the size of the largest
graph, not of all the output. JSON-LD is written here (Oxigraph's writer ignores prefixes).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from jjjkg.prefixes import PREFIXES

if TYPE_CHECKING:
    import pyoxigraph as ox

INFERRED_GRAPH = "https://w3id.org/jjjkg/resource/graph/inferred"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
NQ, TRIG, TTL, INFERRED_TTL, JSONLD = (
    "jjjkg.nq",
    "jjjkg.trig",
    "jjjkg.ttl",
    "jjjkg-inferred.ttl",
    "jjjkg.jsonld",
)
FILES = (TRIG, NQ, TTL, INFERRED_TTL, JSONLD)
CHUNK = 100_000  # lines per Turtle chunk (extended to the end of its last subject)
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


@dataclass
class Written:
    """What `write_dataset` wrote: sha256 per file, triples per named graph."""

    files: dict[str, str] = field(default_factory=dict)
    graphs: dict[str, int] = field(default_factory=dict)


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


def _body(triples: list, indent: bytes = b"") -> bytes:
    """Turtle for `triples` (in their order) without the `@prefix` lines, maybe indented."""
    import pyoxigraph as ox

    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    start = 0
    while text.startswith(b"@prefix ", start):
        start = text.index(b"\n", start) + 1
    body = text[start:]
    if indent:
        body = b"".join(indent + line for line in body.splitlines(keepends=True))
    return body


def _chunks(lines: list[bytes], size: int = CHUNK) -> Iterable[list[bytes]]:
    """Consecutive runs of sorted N-Triples lines, each ending at the end of a subject."""
    start = 0
    while start < len(lines):
        end = min(start + size, len(lines))
        if end < len(lines):
            subject = lines[end - 1][: lines[end - 1].index(b" ") + 1]
            while end < len(lines) and lines[end].startswith(subject):
                end += 1
        yield lines[start:end]
        start = end


def _parse(lines: list[bytes]) -> list:
    import pyoxigraph as ox

    return list(ox.parse(b"\n".join(lines) + b"\n", format=ox.RdfFormat.N_TRIPLES))


def _sorted_lines(store: ox.Store, graph) -> list[bytes]:
    """The triples of one graph as sorted N-Triples lines (each `S P O .`)."""
    import pyoxigraph as ox

    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    lines.sort()
    return lines


def graph_label(graph) -> str:
    """How TriG names a graph: `jart:p01` when a shared prefix fits, else `<iri>`."""
    import pyoxigraph as ox

    if isinstance(graph, ox.NamedNode):
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
            local = graph.value[len(namespace) :]
            if graph.value.startswith(namespace) and _LOCAL.fullmatch(local):
                return f"{prefix}:{local}"
    return str(graph)


class JsonLdWriter:
    """Streams JSON-LD: a context of the shared prefixes, then one object per named graph.

    Every value is an object (`@id`, or `@value` with `@language`/`@type`), so the file parses
    back to exactly the same quads.
    """

    def __init__(self, out: _Output):
        self.out = out
        self.namespaces = sorted(PREFIXES.items(), key=lambda item: (-len(item[1]), item[0]))
        self.cache: dict[str, str] = {}
        self.graphs = 0
        self.nodes = 0
        context = ",\n".join(
            f"    {_json(name)}: {_json(iri)}" for name, iri in sorted(PREFIXES.items())
        )
        out.write(f'{{\n  "@context": {{\n{context}\n  }},\n  "@graph": ['.encode())

    def compact(self, iri: str) -> str:
        """The IRI as a JSON string, compacted with the longest fitting prefix."""
        found = self.cache.get(iri)
        if found is None:
            found = _json(iri)
            for prefix, namespace in self.namespaces:
                if iri.startswith(namespace) and len(iri) > len(namespace):
                    rest = iri[len(namespace) :]
                    if not rest.startswith("//"):
                        found = _json(f"{prefix}:{rest}")
                        break
            if len(self.cache) < 1_000_000:
                self.cache[iri] = found
        return found

    def node_id(self, term) -> str:
        return self.compact(term.value) if type(term).__name__ == "NamedNode" else _json(str(term))

    def value(self, term) -> str:
        kind = type(term).__name__
        if kind != "Literal":
            return "{" + f'"@id": {self.node_id(term)}' + "}"
        text = f'{{"@value": {_json(term.value)}'
        if term.language:
            return text + f', "@language": {_json(term.language)}}}'
        if term.datatype.value != XSD_STRING:
            return text + f', "@type": {self.compact(term.datatype.value)}}}'
        return text + "}"

    def begin_graph(self, graph) -> None:
        sep = "," if self.graphs else ""
        self.graphs += 1
        self.nodes = 0
        self.out.write(
            f'{sep}\n    {{\n      "@id": {self.node_id(graph)},\n      "@graph": ['.encode()
        )

    def add(self, triples: list) -> None:
        """Triples of the current graph, sorted by subject (a subject never spans two calls)."""
        parts: list[str] = []
        subject = None
        keys: dict[str, list[str]] = {}
        for triple in triples:
            if triple.subject != subject:
                if subject is not None:
                    parts.append(self._node(subject, keys))
                subject, keys = triple.subject, {}
            predicate = triple.predicate.value
            obj = triple.object
            if predicate == RDF_TYPE and type(obj).__name__ != "Literal":
                keys.setdefault('"@type"', []).append(self.node_id(obj))
            else:
                keys.setdefault(self.compact(predicate), []).append(self.value(obj))
        if subject is not None:
            parts.append(self._node(subject, keys))
        self.out.write("".join(parts).encode("utf-8"))

    def _node(self, subject, keys: dict[str, list[str]]) -> str:
        sep = "," if self.nodes else ""
        self.nodes += 1
        lines = [f'          "@id": {self.node_id(subject)}']
        lines += [f"          {key}: [{', '.join(values)}]" for key, values in keys.items()]
        return f"{sep}\n        {{\n" + ",\n".join(lines) + "\n        }"

    def end_graph(self) -> None:
        self.out.write(b"\n      ]\n    }")

    def close(self) -> None:
        self.out.write(b"\n  ]\n}\n")


def _json(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def write_dataset(
    store: ox.Store, out: Path, progress: Callable[[str], None] | None = None
) -> Written:
    """Write the five RDF files of dist/ into `out` from `store` (see the module doc).

    `store` holds the named graphs to write (shapes never among them) and, in its default
    graph, the union of asserted and inferred triples.
    """
    import pyoxigraph as ox

    written = Written()
    outputs = {name: _Output(out / name) for name in FILES}
    header = prefix_header()
    outputs[TRIG].write(header)
    outputs[INFERRED_TTL].write(header)
    outputs[TTL].write(header)
    jsonld = JsonLdWriter(outputs[JSONLD])
    graphs = sorted(
        (g for g in store.named_graphs() if isinstance(g, (ox.NamedNode, ox.BlankNode))), key=str
    )
    inferred: set[bytes] = set()
    started = shown = time.perf_counter()
    done = 0
    try:
        for graph in graphs:
            lines = _sorted_lines(store, graph)
            if not lines:
                continue
            name = graph.value if isinstance(graph, ox.NamedNode) else str(graph)
            written.graphs[name] = len(lines)
            suffix = str(graph).encode() + b" .\n"
            outputs[NQ].write(b"".join(line[:-1] + suffix for line in lines))
            sep = "\n" if len(written.graphs) > 1 else ""
            outputs[TRIG].write(f"{sep}{graph_label(graph)} {{\n".encode())
            jsonld.begin_graph(graph)
            for chunk in _chunks(lines):
                triples = _parse(chunk)
                body = _body(triples)
                outputs[TRIG].write(b"".join(b"\t" + line for line in body.splitlines(True)))
                if name == INFERRED_GRAPH:
                    outputs[INFERRED_TTL].write(body)
                jsonld.add(triples)
                done += len(chunk)
                now = time.perf_counter()
                if progress and now - shown > 0.5:
                    shown = now
                    progress(f"write: {done:,} quads ({done / (now - started):,.0f}/s)")
            outputs[TRIG].write(b"}\n")
            jsonld.end_graph()
            if name == INFERRED_GRAPH:
                inferred = set(lines)
        jsonld.close()
        # The asserted union: the default graph (asserted + inferred) without the inferred.
        union = _sorted_lines(store, ox.DefaultGraph())
        if inferred:
            union = [line for line in union if line not in inferred]
        for chunk in _chunks(union):
            outputs[TTL].write(_body(_parse(chunk)))
    finally:
        for name, output in outputs.items():
            written.files[name] = output.close()
    written.files = {name: written.files[name] for name in FILES}
    return written
