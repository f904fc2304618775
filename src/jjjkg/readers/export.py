"""The built graph in the formats other tools read, by the writers that write dist/.

Every export starts from the N-Quads lines of `dist/jjjkg.nq` (asserted: every graph but
`jgraph:inferred`) and goes through `jjjkg.core.rdfio`, so `--format trig|nq|jsonld
--inferred` and `--format ttl` give exactly the bytes of the dist/ file of that format, and
every other choice is written the same way (numbers in their canonical form, blank nodes as
the build labelled them). The networks (GEXF, GraphML) are `jjjkg.readers.netfiles`'s: the
same as site/network.gexf.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from jjjkg.core import rdfio
from jjjkg.core.errors import ExportFormatError, SourceError
from jjjkg.core.registry import EXPORT_ALIASES, EXPORT_FORMATS
from jjjkg.core.terms import INFERRED_GRAPH

FORMATS = EXPORT_FORMATS
EXTENSIONS = {f.extension: name for name, f in FORMATS.items()} | EXPORT_ALIASES
DATASET_FILES = {"trig": rdfio.TRIG, "nq": rdfio.NQ, "jsonld": rdfio.JSONLD}
CSV_HEAD = ["subject", "predicate", "object", "graph", "object_kind", "datatype", "language"]


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ExportFormatError(f"unknown export format '{fmt}' (choose from {', '.join(FORMATS)})")
    return fmt


def guess_format(path: Path | str) -> str:
    """The export format for a file name, from its extension."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise ExportFormatError(
            f"cannot guess the export format of '{path}'; use --format ({', '.join(FORMATS)})"
        )
    return EXTENSIONS[suffix]


def read_lines(dist: Path) -> tuple[list[bytes], list[bytes]]:
    """The lines of `dist/jjjkg.nq`: asserted N-Quads lines, and the inferred graph's lines
    as N-Triples."""
    path = Path(dist) / rdfio.NQ
    if not path.is_file():
        raise SourceError("no built dataset here; run `jjjkg build` first", str(path))
    ending = f" <{INFERRED_GRAPH}> .".encode()
    asserted, inferred = [], []
    for line in path.read_bytes().splitlines():
        if line.endswith(ending):
            inferred.append(rdfio.triple_of(line))
        elif line:
            asserted.append(line)
    return asserted, inferred


def export(dist: Path, fmt: str, inferred: bool = False) -> bytes:
    """The built graph of `dist` in format `fmt` (see FORMATS); inferred only if asked."""
    check_format(fmt)
    asserted, closure = read_lines(dist)
    if not inferred:
        closure = []
    if fmt in ("gexf", "graphml"):
        return _network(asserted, closure, fmt, inferred)
    if fmt == "csv":
        return _csv(asserted, closure)
    with tempfile.TemporaryDirectory(prefix="jjjkg-export-") as tmp:
        out = Path(tmp)
        if fmt in DATASET_FILES:
            rdfio.write_dataset(asserted, closure, out, only=[DATASET_FILES[fmt]])
            return (out / DATASET_FILES[fmt]).read_bytes()
        if fmt == "ttl":
            rdfio.write_union(asserted, out, closure, name="export.ttl")
            return (out / "export.ttl").read_bytes()
        writer = rdfio.write_ntriples if fmt == "nt" else rdfio.write_rdfxml
        writer(rdfio.union_lines(asserted, closure), out / "export")
        return (out / "export").read_bytes()


def _store(asserted: list[bytes], inferred: list[bytes]):
    import pyoxigraph as ox

    store = ox.Store()
    store.load(b"\n".join(asserted) + b"\n", format=ox.RdfFormat.N_QUADS)
    if inferred:
        graph = ox.NamedNode(INFERRED_GRAPH)
        store.load(b"\n".join(inferred) + b"\n", format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    return store


def _network(asserted: list[bytes], closure: list[bytes], fmt: str, inferred: bool) -> bytes:
    from jjjkg.readers.facts import load_facts
    from jjjkg.readers.netfiles import network_file

    return network_file(load_facts(_store(asserted, closure), inferred=inferred), fmt)


def _csv(asserted: list[bytes], inferred: list[bytes]) -> bytes:
    """One row a quad, in the order of jjjkg.nq; what CSV cannot say of a term (IRI, blank
    node or literal; datatype; language) in columns of its own."""
    import pyoxigraph as ox

    ending = f" <{INFERRED_GRAPH}> .".encode()
    quads = asserted + [line[:-2] + ending for line in inferred]
    lines = sorted(quads, key=lambda line: (rdfio.graph_of(line), line))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEAD)

    def cell(term) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value

    for quad in ox.parse(b"\n".join(lines) + b"\n", format=ox.RdfFormat.N_QUADS):
        o = quad.object
        literal = isinstance(o, ox.Literal)
        kind = "literal" if literal else "bnode" if isinstance(o, ox.BlankNode) else "iri"
        writer.writerow(
            [
                cell(quad.subject),
                quad.predicate.value,
                cell(o),
                cell(quad.graph_name),
                kind,
                o.datatype.value if literal else "",
                (o.language or "") if literal else "",
            ]
        )
    return out.getvalue().encode("utf-8")
