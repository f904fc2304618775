"""Serialise the dataset deterministically, in the formats other tools read.

Every writer sorts: graphs by name, subjects and properties (rdflib's Turtle writer
sorts them itself), N-Quads/N-Triples lines, JSON-LD arrays. Blank nodes already carry
canonical labels (see `jjjkg.dist.dataset.new_dataset`), so the same sources give the same
bytes whatever PYTHONHASHSEED is.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from jjjkg.core.errors import ExportFormatError
from jjjkg.core.registry import EXPORT_ALIASES, EXPORT_FORMATS
from jjjkg.core.terms import INFERRED_GRAPH, ONTOLOGY_GRAPH, RDF_TYPE, SHAPES_GRAPH

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Dataset, Graph

LABELS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
)

FORMATS = EXPORT_FORMATS
EXTENSIONS = {f.extension: name for name, f in FORMATS.items()} | EXPORT_ALIASES


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


# -- choosing graphs --


def quads(ds: Dataset, inferred: bool = False) -> list[tuple]:
    """The quads to export, sorted: every graph but shapes; inferred only if asked."""
    from jjjkg.dist.dataset import quad_key

    skip = {SHAPES_GRAPH} if inferred else {SHAPES_GRAPH, INFERRED_GRAPH}
    return sorted(
        (q for q in ds.quads((None, None, None, None)) if str(q[3]) not in skip), key=quad_key
    )


def subset(ds: Dataset, inferred: bool = False) -> Dataset:
    from jjjkg.dist.dataset import new_dataset

    return new_dataset(quads(ds, inferred))


def union(ds: Dataset, inferred: bool = False, only: str | None = None) -> Graph:
    """One Graph of the chosen quads (or of the one graph `only`), filled in sorted order."""
    from rdflib import Graph

    from jjjkg.dist.dataset import bind_prefixes

    graph = Graph()
    bind_prefixes(graph)
    for s, p, o, g in quads(ds, inferred=inferred or only == INFERRED_GRAPH):
        if only is None or str(g) == only:
            graph.add((s, p, o))
    return graph


# -- RDF writers --


def to_turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


def to_trig(ds: Dataset) -> bytes:
    """TriG with the graphs in sorted order, each written by rdflib's Turtle writer."""
    from rdflib import Graph

    from jjjkg.core.terms import PREFIXES, short
    from jjjkg.dist.dataset import bind_prefixes, graph_names

    prefixes: set[str] = set()
    blocks = []
    for name in graph_names(ds):
        graph = Graph()
        bind_prefixes(graph)
        for triple in ds.graph(name):
            graph.add(triple)
        text = graph.serialize(format="turtle")
        body = []
        for line in text.splitlines():
            if line.startswith("@prefix ") and not body:
                prefixes.add(line)
            elif body or line.strip():
                body.append(line)
        label = short(name)
        if re.fullmatch(r"[A-Za-z][\w-]*:[A-Za-z0-9_][\w-]*", label):
            prefix = label.split(":", 1)[0]
            prefixes.add(f"@prefix {prefix}: <{PREFIXES[prefix]}> .")
        else:
            label = name.n3()
        blocks.append(f"{label} {{\n" + "\n".join(body).rstrip() + "\n}\n")
    head = "\n".join(sorted(prefixes))
    return (head + "\n\n" + "\n".join(blocks)).encode("utf-8")


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted({line for line in data.decode("utf-8").splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def to_nquads(ds: Dataset) -> bytes:
    return _sorted_lines(ds.serialize(format="nquads", encoding="utf-8"))


def to_ntriples(graph: Graph) -> bytes:
    return _sorted_lines(graph.serialize(format="nt", encoding="utf-8"))


def to_jsonld(ds: Dataset) -> bytes:
    """JSON-LD written directly from the sorted quads: one object per named graph.

    IRIs are compacted with the project's prefixes; every value is an object (`@id`, or
    `@value` with `@language`/`@type`), so the file parses back to exactly the same quads.
    """
    from rdflib import BNode, Literal
    from rdflib.namespace import XSD

    from jjjkg.core.terms import PREFIXES, compact

    context = dict(PREFIXES)

    def node_id(term) -> str:
        return term.n3() if isinstance(term, BNode) else compact(str(term))

    def value(term) -> dict:
        if isinstance(term, Literal):
            item: dict = {"@value": str(term)}
            if term.language:
                item["@language"] = term.language
            elif term.datatype is not None and term.datatype != XSD.string:
                item["@type"] = compact(str(term.datatype))
            return item
        return {"@id": node_id(term)}

    graphs: dict[str, dict[str, dict]] = {}
    for s, p, o, g in quads(ds, inferred=True):
        node = graphs.setdefault(node_id(g), {}).setdefault(node_id(s), {"@id": node_id(s)})
        if str(p) == RDF_TYPE and not isinstance(o, Literal):
            node.setdefault("@type", []).append(node_id(o))
        else:
            node.setdefault(compact(str(p)), []).append(value(o))
    document = {
        "@context": dict(sorted(context.items())),
        "@graph": [
            {"@id": name, "@graph": [nodes[key] for key in sorted(nodes)]}
            for name, nodes in sorted(graphs.items())
        ],
    }
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def to_rdfxml(graph: Graph) -> bytes:
    return graph.serialize(format="xml", encoding="utf-8")


# -- networks --


def _label(graph: Graph, node, lang: str) -> str:
    from rdflib import URIRef

    for prop in LABELS:
        values = sorted(
            str(o)
            for o in graph.objects(node, URIRef(prop))
            if getattr(o, "language", None) == lang
        )
        if values:
            return values[0]
    return ""


def to_networkx(ds: Dataset, inferred: bool = False) -> nx.MultiDiGraph:
    """Entities (typed resources of the data graphs) as nodes, links between them as edges.

    Node attributes: iri, label (zh, else en), label_zh, label_en, class. Edge attributes:
    property, graphs (space-separated named graphs stating the link). Built in sorted order.
    """
    import networkx as nx
    from rdflib import URIRef

    from jjjkg.core.terms import short

    chosen = quads(ds, inferred)
    data = [q for q in chosen if str(q[3]) != ONTOLOGY_GRAPH]
    types: dict = {}
    for s, p, o, _ in data:
        if str(p) == RDF_TYPE and isinstance(s, URIRef) and isinstance(o, URIRef):
            types.setdefault(s, set()).add(o)
    labels = union(ds, inferred)
    network = nx.MultiDiGraph()
    for node in sorted(types, key=str):
        zh, en = _label(labels, node, "zh"), _label(labels, node, "en")
        classes = sorted(types[node], key=str)
        jjj = [c for c in classes if "/jjjkg/ontology#" in str(c)]
        network.add_node(
            str(node),
            iri=str(node),
            label=zh or en or short(node),
            label_zh=zh,
            label_en=en,
            **{"class": short((jjj or classes)[0])},
        )
    edges: dict[tuple, set[str]] = {}
    for s, p, o, g in data:
        if s in types and o in types and str(p) != RDF_TYPE:
            edges.setdefault((str(s), str(p), str(o)), set()).add(short(g))
    for (s, p, o), graphs in sorted(edges.items()):
        prop = short(URIRef(p))
        network.add_edge(s, o, key=prop, property=prop, graphs=" ".join(sorted(graphs)))
    return network


def to_graphml(ds: Dataset, inferred: bool = False) -> bytes:
    from jjjkg.readers.network import to_graphml as graphml

    return graphml(to_networkx(ds, inferred))


def to_gexf(ds: Dataset, inferred: bool = False) -> bytes:
    from jjjkg.readers.network import to_gexf as gexf

    return gexf(to_networkx(ds, inferred))


def to_csv(ds: Dataset, inferred: bool = False) -> bytes:
    from rdflib import Literal

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["subject", "predicate", "object", "graph"])
    for s, p, o, g in quads(ds, inferred):
        obj = str(o) if isinstance(o, Literal) else (o.n3() if o.n3().startswith("_:") else str(o))
        subj = s.n3() if s.n3().startswith("_:") else str(s)
        writer.writerow([subj, str(p), obj, str(g)])
    return out.getvalue().encode("utf-8")


def export(ds: Dataset, fmt: str, inferred: bool = False) -> bytes:
    """The dataset in format `fmt` (see FORMATS); shapes never, inferred only if asked."""
    check_format(fmt)
    if fmt in ("trig", "nq", "jsonld"):
        chosen = subset(ds, inferred)
        return {"trig": to_trig, "nq": to_nquads, "jsonld": to_jsonld}[fmt](chosen)
    if fmt in ("ttl", "nt", "xml"):
        graph = union(ds, inferred)
        return {"ttl": to_turtle, "nt": to_ntriples, "xml": to_rdfxml}[fmt](graph)
    return {"graphml": to_graphml, "gexf": to_gexf, "csv": to_csv}[fmt](ds, inferred)
