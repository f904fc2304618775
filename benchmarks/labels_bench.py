"""Labels for the IRIs of one answer, three ways: index look-ups (what `jjjkg query` does
locally), batched `VALUES ?s` + UNION queries (what it sends to an endpoint), and the one
query with two VALUES blocks used before issue 16.

    python benchmarks/labels_bench.py CORPUS QUERY   # CORPUS: a built project folder
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from jjjkg.core.terms import RDFS_LABEL, SKOS_PREF
from jjjkg.dist.store import Store
from jjjkg.readers import query as queries
from jjjkg.readers import render


def two_values(store: Store, iris: set[str]) -> int:
    values = " ".join(f"<{iri}>" for iri in sorted(iris))
    text = (
        f"SELECT ?s ?p ?l WHERE {{ VALUES ?s {{ {values} }} "
        f"VALUES ?p {{ <{SKOS_PREF}> <{RDFS_LABEL}> }} ?s ?p ?l }}"
    )
    return len(list(store.query(text)))


class QueryOnly:
    def __init__(self, store: Store):
        self.store = store

    def query(self, text: str):
        return self.store.query(text)


def main() -> None:
    root, name = Path(sys.argv[1]), sys.argv[2]
    store = Store(root / "dist")
    named = queries.find_query(root, name)
    result = queries.execute(store, named, queries.bindings(named, ()), timeout=600)
    iris = render.iris(t for row in result.rows for t in row)
    ways = (
        ("look-ups", lambda: render.labels(store, iris, "zh")),
        ("batched VALUES ?s + UNION", lambda: render.labels(QueryOnly(store), iris, "zh")),
        ("two VALUES blocks (before)", lambda: two_values(store, iris)),
    )
    for label, way in ways:
        started = time.perf_counter()
        way()
        elapsed = (time.perf_counter() - started) * 1000
        print(f"{name}: {len(iris)} IRIs, {label}: {elapsed:.0f} ms", flush=True)


if __name__ == "__main__":
    main()
