"""The persistent store: `dist/store/`, an on-disk Oxigraph store bulk-loaded by the build.

Laid out as the queries expect, so a reader opens it read-only instead of parsing:

- default graph: `jjjkg.ttl` and `jjjkg-inferred.ttl`, as a set (the same answers as the
  in-memory view of `jjjkg.dist.store`; Oxigraph's `--union-default-graph` would be a bag);
- named graphs: every graph of `jjjkg.nq`, and the data set's description (`void.ttl`, its
  file IRIs resolved against the final dist/) in `jgraph:dataset`, as `jjjkg serve` shows it.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from jjjkg.core.project import DESCRIPTION, INFERRED_TTL, NQ, STORE, TTL, sha256
from jjjkg.core.terms import DATASET_GRAPH

# Below this many triples a reader that runs many queries parses dist/ into memory rather than
# opening dist/store/: each query runs faster in memory, and parsing costs tens of milliseconds
# (a reader that runs a few opens dist/store/ at any size: see `jjjkg.dist.store`).
MEMORY_BELOW = 200_000


def write_store(tmp: Path, say: Callable[[str], None]) -> None:
    """Bulk-load `tmp/store/` from the data files already written in `tmp`."""
    store = ox.Store(str(tmp / STORE))
    parts = [
        (NQ, ox.RdfFormat.N_QUADS, None),
        (TTL, ox.RdfFormat.TURTLE, ox.DefaultGraph()),
        (INFERRED_TTL, ox.RdfFormat.TURTLE, ox.DefaultGraph()),
    ]
    for n, (name, fmt, graph) in enumerate(parts, 1):
        clock = time.perf_counter()
        say(f"store: {n}/{len(parts)} bulk-loading {name}")
        # lenient: our own build wrote these files
        store.bulk_load(path=tmp / name, format=fmt, to_graph=graph, lenient=True)
        say(f"store: {n}/{len(parts)} {name} loaded in {time.perf_counter() - clock:.1f} s")


def finish_store(tmp: Path, dist: Path, say: Callable[[str], None]) -> dict:
    """Add the description (written last) to `tmp/store/`, compact it; its manifest entry."""
    store = ox.Store(str(tmp / STORE))
    if (tmp / DESCRIPTION).is_file():
        base = Path(dist).resolve().as_uri() + "/"
        graph = ox.NamedNode(DATASET_GRAPH)
        store.bulk_load(
            path=tmp / DESCRIPTION, format=ox.RdfFormat.TURTLE, to_graph=graph, base_iri=base
        )
    say("store: compacting")
    store.optimize()
    store.flush()
    del store
    # RocksDB's files carry timestamps and random ids: the manifest names what was loaded
    # (deterministic), not the bytes of the store.
    return {"dir": STORE, "loaded": loaded_digest(tmp), "memory_below": MEMORY_BELOW}


def loaded_digest(folder: Path) -> str:
    """One sha256 over the files the store is loaded from (name and content)."""
    digest = hashlib.sha256()
    for name in (NQ, TTL, INFERRED_TTL, DESCRIPTION):
        if (Path(folder) / name).is_file():
            digest.update(f"{name}\0{sha256(Path(folder) / name)}\n".encode())
    return digest.hexdigest()
