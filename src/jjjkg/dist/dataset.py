"""The one loader of the built dataset, and the helpers that keep datasets deterministic.

Readers (stats, export, viz, network, path, ...) call `ensure_built(root)` then
`load_built(dist)`; nothing else parses the sources a second way.

rdflib's in-memory store iterates in insertion order for triples but in hash order for
graphs and blank-node ids are random, so `new_dataset` relabels blank nodes from their
content (RGDA1 canonical hashes) and inserts quads in sorted order.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Dataset, Graph
    from rdflib.term import Node

NQ_FILE = "jjjkg.nq"


def term_key(term: Node) -> str:
    """A total, hash-seed independent sort key for an RDF term."""
    return term.n3()


def quad_key(quad: tuple) -> tuple[str, str, str, str]:
    s, p, o, g = quad
    return (term_key(g), term_key(s), term_key(p), term_key(o))


def canonical_bnodes(quads: list[tuple]) -> list[tuple]:
    """Replace blank nodes by labels computed from the graph around them."""
    from rdflib import BNode, Graph
    from rdflib.compare import _TripleCanonicalizer

    if not any(isinstance(t, BNode) for q in quads for t in q[:3]):
        return quads
    graph = Graph()
    for s, p, o, _ in quads:
        if isinstance(s, BNode) or isinstance(o, BNode):
            graph.add((s, p, o))
    canon = _TripleCanonicalizer(graph)
    coloring = canon._initial_color()
    coloring = canon._refine(coloring, coloring[:])
    if not canon._discrete(coloring):
        coloring = canon._traces(coloring, depth=[0])
    hashes = {c.nodes[0]: c.hash_color() for c in coloring if isinstance(c.nodes[0], BNode)}
    labels: dict[BNode, BNode] = {}
    used: set[str] = set()
    for node, value in sorted(hashes.items(), key=lambda item: (item[1], str(item[0]))):
        label = "b" + str(value)[:16]
        while label in used:  # a hash collision: keep labels unique, stably
            label += "x"
        used.add(label)
        labels[node] = BNode(label)

    def relabel(term):
        return labels.get(term, term) if isinstance(term, BNode) else term

    return [(relabel(s), p, relabel(o), g) for s, p, o, g in quads]


def bind_prefixes(graph: Graph) -> None:
    """Bind the project's shared prefixes (`jjjkg.core.terms`) on a graph or dataset."""
    from rdflib import Namespace

    from jjjkg.core.terms import PREFIXES

    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, Namespace(iri), override=True, replace=True)


def new_dataset(quads: Iterable[tuple], relabel: bool = True) -> Dataset:
    """A Dataset holding `quads` filled in sorted order, blank nodes relabelled.

    Pass `relabel=False` when the blank nodes already have canonical labels.
    """
    from rdflib import Dataset, URIRef

    quads = list(quads)
    ordered = sorted(canonical_bnodes(quads) if relabel else quads, key=quad_key)
    ds = Dataset()
    bind_prefixes(ds)
    graphs: dict[URIRef, Graph] = {}
    for s, p, o, g in ordered:
        graph = graphs.get(g)
        if graph is None:
            graph = graphs[g] = ds.graph(g)
        graph.add((s, p, o))
    return ds


def graph_names(ds: Dataset) -> list:
    """The named graphs of `ds` that hold triples, sorted (default graph left out)."""
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    names = {g.identifier for g in ds.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID}
    return sorted((n for n in names if len(ds.graph(n))), key=term_key)


class KeepLabels(dict):
    """A bnode context for rdflib's N-Triples/N-Quads parsers that maps each label to itself."""

    def get(self, key, default=None):
        return key


_KeepLabels = KeepLabels


def load_built(dist: Path) -> Dataset:
    """Load the built dataset (`dist/jjjkg.nq`: every named graph, inferred included)."""
    from rdflib import Dataset

    from jjjkg.core.errors import SourceError

    path = Path(dist) / NQ_FILE
    if not path.is_file():
        raise SourceError("no built dataset here; run `jjjkg build` first", str(path))
    parsed = Dataset()
    # Keep the canonical blank-node labels the build wrote instead of fresh random ones.
    parsed.parse(path, format="nquads", bnode_context=_KeepLabels())
    return new_dataset(parsed.quads((None, None, None, None)), relabel=False)


def ensure_built(root: Path, dist: Path | None = None) -> Path:
    """Build the project at `root` if its dist/ is stale; return the dist/ folder."""
    from jjjkg.pipeline.build import build

    return build(Path(root), dist).dist
