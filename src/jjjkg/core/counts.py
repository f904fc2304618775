"""Counts over a pyoxigraph store holding the dataset as named graphs, in SPARQL: what the
build writes into the manifest and the description, what `jjjkg stats` and `jjjkg diff`
print. Aggregates run in the engine, so counting a million triples reads no triple into
Python.

"Data graphs" are every named graph but the ontology, the reasoner's output, the shapes and
the data set's description (`jgraph:dataset`, in the readers' stores).
"""

from __future__ import annotations

from jjjkg.core.terms import (
    DATASET_GRAPH,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    RDF_TYPE,
    SHAPES_GRAPH,
    short,
)

NOT_DATA = (SHAPES_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, DATASET_GRAPH)
IN_DATA = "?g NOT IN (" + ", ".join(f"<{g}>" for g in NOT_DATA) + ")"
_TYPED = f"GRAPH ?g {{ ?s <{RDF_TYPE}> ?c }} FILTER(isIRI(?s) && {IN_DATA})"


def by_count(pairs) -> list[tuple[str, int]]:
    """(name, count) pairs, most first, then by name."""
    return sorted(pairs, key=lambda kv: (-kv[1], kv[0]))


def entity_classes(store) -> tuple[int, list[tuple[str, int]]]:
    """Typed resources (IRIs with an rdf:type in the data graphs): how many, and how many
    per asserted class (one with two classes counts in both)."""
    per_class = store.query(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {_TYPED} }} GROUP BY ?c"
    )
    counts = by_count((short(c), int(n.value)) for c, n in per_class)
    total = store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {_TYPED} }}")
    return int(next(iter(total))[0].value), counts
