"""The persistent store: `dist/store/`, an on-disk Oxigraph store bulk-loaded by the build.

Laid out as the queries expect, so a reader opens it read-only instead of parsing:

- default graph: the triples of `jjjkg.ttl` and `jjjkg-inferred.ttl`, as a set (the same
  answers as the in-memory view of `jjjkg.dist.store`; Oxigraph's `--union-default-graph`
  would be a bag), loaded from N-Triples the writer leaves (`STORE_INPUT`);
- named graphs: every graph of `jjjkg.nq`, and the data set's description (`void.ttl`, its
  file IRIs resolved against the final dist/) in `jgraph:dataset`, as `jjjkg serve` shows it.
"""

from __future__ import annotations

import hashlib
import threading
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


# Written by the build beside the data files (`rdfio.write_dataset(store_input=…)`), removed
# once loaded: the triple of every quad, the default graph (the store keeps each once).
# Loading N-Triples is twice as fast as loading the Turtle files (at 1M triples: 8 s, 16 s),
# and one file per graph kind leaves less to compact. Blank nodes: each load gives each label
# of its document a fresh node, so the default graph's blank nodes are not the named graphs'
# (a single file of both took longer and more memory beside the build's writing).
STORE_INPUT = "store-default.nt"


def write_store(tmp: Path, say: Callable[[str], None]) -> None:
    """Bulk-load `tmp/store/` from `jjjkg.nq` and `STORE_INPUT`, already written in `tmp`."""
    store = ox.Store(str(tmp / STORE))
    parts = [
        (NQ, ox.RdfFormat.N_QUADS, None, "named graphs"),
        (STORE_INPUT, ox.RdfFormat.N_TRIPLES, ox.DefaultGraph(), "default graph"),
    ]
    for n, (name, fmt, graph, part) in enumerate(parts, 1):
        clock = time.perf_counter()
        say(f"store: {n}/{len(parts)} bulk-loading the {part}")
        # lenient: our own build wrote these files
        store.bulk_load(path=tmp / name, format=fmt, to_graph=graph, lenient=True)
        say(f"store: {n}/{len(parts)} {part} loaded in {time.perf_counter() - clock:.1f} s")
    (tmp / STORE_INPUT).unlink()


class Loading:
    """`write_store` in a thread, started once its input files are written: Oxigraph loads
    without holding the GIL, so the build writes its other files meanwhile.

    Not a forked child (which Ctrl-C could kill instead of waiting for the load to end): a
    bulk load in a child forked after this process has bulk-loaded once hangs for good
    (Oxigraph's loader threads do not survive a fork), and a process may build twice.
    """

    def __init__(self, tmp: Path, say: Callable[[str], None]):
        self.tmp, self.say = tmp, say
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None
        self.seconds = 0.0

    def start(self) -> None:
        def run() -> None:
            clock = time.perf_counter()
            try:
                write_store(self.tmp, self.say)
            except BaseException as error:  # raised again by wait(), in the build's thread
                self.error = error
            self.seconds = time.perf_counter() - clock

        self.thread = threading.Thread(target=run, name="jjjkg-store", daemon=True)
        self.thread.start()

    def wait(self) -> float:
        """Wait for the load (starting it if the writer never did); its time in seconds."""
        if self.thread is None:
            self.start()
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.seconds


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
    """One sha256 over the files whose data the store holds (name and content)."""
    digest = hashlib.sha256()
    for name in (NQ, TTL, INFERRED_TTL, DESCRIPTION):
        if (Path(folder) / name).is_file():
            digest.update(f"{name}\0{sha256(Path(folder) / name)}\n".encode())
    return digest.hexdigest()
