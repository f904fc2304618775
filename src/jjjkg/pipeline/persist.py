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
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from jjjkg.core.errors import BuildError
from jjjkg.core.procs import die_with_parent
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
    """`write_store` in a child process (`python -m jjjkg.pipeline.persist`), started once its
    input files are written, while the build writes its other files.

    A child because a bulk load cannot be stopped from Python, and a child can be killed:
    Ctrl-C or an error elsewhere ends the build at once (`cancel`) instead of when the load
    would (minutes at 10M triples). Started afresh, not forked: a bulk load in a child forked
    after this process has bulk-loaded once hangs for good (Oxigraph's loader threads do not
    survive a fork), and a process may build more than once. The child's notes come back
    through its output, one a line, and so does its error.
    """

    def __init__(self, tmp: Path, say: Callable[[str], None]):
        self.tmp, self.say = tmp, say
        self.process: subprocess.Popen | None = None
        self.relay: threading.Thread | None = None
        self.failure = ""
        self.error: BaseException | None = None
        self.started = 0.0

    def start(self) -> None:
        self.started = time.perf_counter()
        package = Path(__file__).resolve().parents[2]  # the folder holding jjjkg/
        path = os.pathsep.join(filter(None, [str(package), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": path}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jjjkg.pipeline.persist", str(self.tmp), str(os.getpid())],
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            encoding="utf-8",
        )
        self.relay = threading.Thread(target=self._relay, name="jjjkg-store", daemon=True)
        self.relay.start()

    def _relay(self) -> None:
        for line in self.process.stdout:
            kind, _, text = line.rstrip("\n").partition("\t")
            if kind != "note":
                self.failure = line.rstrip("\n")
            elif self.error is None:
                try:
                    self.say(text)
                except BaseException as error:  # raised again by wait(), in the build's thread
                    self.error = error

    def wait(self) -> float:
        """Wait for the load (starting it if the writer never did); its time in seconds."""
        if self.process is None:
            self.start()
        code = self.process.wait()
        self.relay.join()
        if self.error is not None:
            raise self.error
        if code != 0:
            raise _failure(self.failure, code)
        return time.perf_counter() - self.started

    def cancel(self) -> None:
        """Stop the load, if it runs: kill the child and reap it."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.relay.join()


def _failure(line: str, code: int) -> Exception:
    """The error the child reported on its last line (see `main`)."""
    kind, _, text = line.partition("\t")
    if kind == "oserror":
        number, message, filename = text.split("\t")
        return OSError(int(number), message, filename or None)
    return BuildError(f"loading dist/store/ failed: {text or f'exit code {code}'}")


def main(argv: list[str]) -> int:
    """The child of `Loading`: load `argv[1]`/store/, its notes and error on stdout."""
    tmp, parent = Path(argv[1]), int(argv[2])
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's: it kills this
    die_with_parent(parent)
    try:
        write_store(tmp, lambda note: print(f"note\t{note}", flush=True))
    except OSError as error:
        message = (error.strerror or str(error)).replace("\t", " ").replace("\n", " ")
        print(f"oserror\t{error.errno or 0}\t{message}\t{error.filename or ''}")
        return 2
    except Exception as error:  # reported in one line by the build
        print(f"error\t{type(error).__name__}: {error}".replace("\n", " "))
        return 3
    return 0


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


if __name__ == "__main__":
    sys.exit(main(sys.argv))
