"""The rdflib view of a built dist/: `load_built(dist)` parses `jjjkg.nq` into a Dataset.

For readers that need rdflib (stats, the rdflib cross-checks of the tests); the others use
the Oxigraph view (`jjjkg.dist.store`). rdflib iterates graphs in hash order and makes fresh
blank-node ids, so the Dataset keeps the build's blank-node labels and is filled in sorted
order: the same dist/ gives the same iteration order every time.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from jjjkg.core.project import NQ
from jjjkg.core.rdfio import KeepLabels, bind_prefixes
from jjjkg.dist import require

if TYPE_CHECKING:
    from rdflib import Dataset, Graph
    from rdflib.term import Node


def term_key(term: Node) -> str:
    """A total, hash-seed independent sort key for an RDF term."""
    return term.n3()


def quad_key(quad: tuple) -> tuple[str, str, str, str]:
    s, p, o, g = quad
    return (term_key(g), term_key(s), term_key(p), term_key(o))


def new_dataset(quads: Iterable[tuple]) -> Dataset:
    """A Dataset holding `quads` (their blank nodes labelled by the build) in sorted order."""
    from rdflib import Dataset, URIRef

    quads = list(quads)
    ordered = sorted(quads, key=quad_key)
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


def load_built(dist: Path) -> Dataset:
    """Load the built dataset (`dist/jjjkg.nq`: every named graph, inferred included)."""
    from rdflib import Dataset

    path = require(dist, (NQ,)) / NQ
    parsed = Dataset()
    # Keep the canonical blank-node labels the build wrote instead of fresh random ones.
    parsed.parse(path, format="nquads", bnode_context=KeepLabels())
    return new_dataset(parsed.quads((None, None, None, None)))
