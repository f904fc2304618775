"""How build and queries grow with the size of the graph.

Generates synthetic corpora shaped like ours and measures them. Each synthetic article is a
copy of the real encoded article with its own resource IRIs and labels (suffix `-cN`, `（N）`),
so it has the same kinds of entities, links and observations, one named graph per paragraph,
and the same ontology, shapes and checks; controlled vocabularies (units, statuses, qualifiers,
indicators, industries) and the places of the shared core catalogue stay shared, so the copies
connect like a corpus of articles about one region would.

    python benchmarks/scale.py                      # 100k and 1M triples
    python benchmarks/scale.py --sizes 100k 1M 10M  # add 10M (~18 GiB in use, ~30 min)

For each size: generate, then `jjjkg build` (load, validate, reason, write) in a child process
with its wall time and peak memory, then every library query through `jjjkg query` (median of
`--runs` in-process runs over the built store). Prints a table; `--json FILE` saves it.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parent.parent
RESOURCE = "https://w3id.org/jjjkg/resource/"
ARTICLE = RESOURCE + "article/tianjin-jjj-decade"
SHARED_KINDS = ("unit/", "status/", "qualifier/", "scheme/", "indicator/", "industry/", "graph/")
SIZES = {"100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
SPACED = re.compile("[\u4e00-\u9fff] +[\u4e00-\u9fff]")


def real_quads() -> list[ox.Quad]:
    quads = []
    for path in sorted((REPO / "graph").rglob("*.trig")):
        quads.extend(ox.parse(path=str(path), format=ox.RdfFormat.TRIG))
    return quads


def shared_iris(quads: list[ox.Quad]) -> set[str]:
    """IRIs every copy reuses: vocabularies and the places of the core catalogue."""
    places = {q.subject.value for q in quads if q.subject.value.startswith(RESOURCE + "place/")}
    return places | {RESOURCE + kind for kind in SHARED_KINDS}


def renamer(copy: int, shared: set[str]):
    """Rename the resources of copy `copy`.

    Paragraphs stay under `jart:` (`jart:c7-p12`) and the article and its sections are shared:
    the copies read as more paragraphs of the same sections, so the convention checks that
    name this article's IRIs (`jart:`, `jart:s8`) hold for every copy as for the original.
    """
    cache: dict[str, ox.NamedNode] = {}
    paragraph = ARTICLE + "/"

    def rename(term):
        if isinstance(term, ox.NamedNode):
            iri = term.value
            if (
                not iri.startswith(RESOURCE)
                or iri in shared
                or any(iri.startswith(RESOURCE + kind) for kind in SHARED_KINDS)
            ):
                return term
            if iri == ARTICLE or re.fullmatch(re.escape(paragraph) + r"s\d+", iri):
                return term
            if iri not in cache:
                if iri.startswith(paragraph):
                    cache[iri] = ox.NamedNode(f"{paragraph}c{copy}-{iri[len(paragraph) :]}")
                else:
                    cache[iri] = ox.NamedNode(f"{iri}-c{copy}")
            return cache[iri]
        if isinstance(term, ox.Literal) and term.language:
            text = term.value
            if SPACED.search(text):  # the one spaced name the checks accept only when quoted
                text = f"“{text}”"
            return ox.Literal(f"{text}（{copy}）", language=term.language)
        return term

    return rename


def copy_quads(quads: list[ox.Quad], copy: int, shared: set[str]) -> list[ox.Quad]:
    """Copy 0 is the real article; later copies rename its resources.

    What copy 0 says about shared resources (vocabularies, places, sections) is said once:
    a copy keeps a triple about a shared subject only when it links to one of its own
    resources (`jplace:tianjin jjj:hosts jorg:cnooc-c7`).
    """
    if copy == 0:
        return quads
    rename = renamer(copy, shared)
    vocabulary = RESOURCE + "graph/vocabulary"
    out = []
    for q in quads:
        if q.graph_name.value == vocabulary:
            continue
        subject, obj = rename(q.subject), rename(q.object)
        if subject == q.subject and not (isinstance(obj, ox.NamedNode) and obj != q.object):
            continue
        out.append(ox.Quad(subject, q.predicate, obj, rename(q.graph_name)))
    return out


def generate(target: int, out: Path) -> int:
    """Write a project folder of about `target` triples into `out`; return its triple count."""
    quads = real_quads()
    shared = shared_iris(quads)
    for folder in ("ontology", "queries"):
        shutil.copytree(REPO / folder, out / folder)
    graph_dir = out / "graph"
    graph_dir.mkdir(parents=True)
    written = 0
    copy = 0
    while written < target:
        batch = copy_quads(quads, copy, shared)
        data = ox.serialize(batch, format=ox.RdfFormat.TRIG)
        (graph_dir / f"article-{copy:05d}.trig").write_bytes(data)
        written += len(batch)
        copy += 1
    return written


def timed(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """Run a child process; its wall time (s), peak RSS (MiB) and last output line."""
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    lines = (done.stdout + done.stderr).strip().splitlines()
    # ru_maxrss of children is the maximum over all children so far, hence max(before, peak).
    return wall, max(before, peak) / 1024, lines[-1] if lines else ""


def query_medians(root: Path, runs: int, limit: float) -> tuple[float, dict[str, float | None]]:
    """Seconds to load the store, and the median time of each library query (in process,
    over the loaded store, default parameters); None for a query stopped after `limit` s."""
    from jjjkg.core.errors import QueryError
    from jjjkg.dist.store import open_store
    from jjjkg.readers import query as queries

    started = time.perf_counter()
    store = open_store(root / "dist")
    bool(store.query("ASK { GRAPH ?g { ?s ?p ?o } }"))  # loads every part of the store
    loaded = time.perf_counter() - started
    medians: dict[str, float | None] = {}
    for named in queries.library(root):
        values = queries.bindings(named, ())
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            try:
                queries.execute(store, named, values, timeout=limit)
            except QueryError:
                times = []
                break
            times.append(time.perf_counter() - started)
        medians[named.name] = statistics.median(times) if times else None
    return loaded, medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["100k", "1M"], choices=list(SIZES))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora")
    parser.add_argument("--build-only", action="store_true", help="skip the query library")
    parser.add_argument("--limit", type=float, default=60.0, help="stop a query after this (s)")
    args = parser.parse_args()
    jjjkg = [sys.executable, "-m", "jjjkg"]
    rows = []
    for size in args.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"jjjkg-scale-{size}-"))
        try:
            started = time.perf_counter()
            triples = generate(SIZES[size], work)
            generated = time.perf_counter() - started
            wall, peak, summary = timed([*jjjkg, "build", "--root", str(work)], work)
            loaded, medians = (
                (None, {}) if args.build_only else query_medians(work, args.runs, args.limit)
            )
            timed_out = sorted(name for name, t in medians.items() if t is None)
            finished = {name: t for name, t in medians.items() if t is not None}
            row = {
                "size": size,
                "asserted_triples": triples,
                "generate_s": round(generated, 1),
                "build_s": round(wall, 1),
                "build_peak_mib": round(peak),
                "store_load_s": round(loaded, 2) if loaded is not None else None,
                "query_median_ms": round(statistics.median(finished.values()) * 1000, 1)
                if finished
                else None,
                "query_max_ms": round(max(finished.values()) * 1000, 1) if finished else None,
                "slowest_query": max(finished, key=finished.get) if finished else None,
                "queries_over_200ms": sum(t > 0.2 for t in finished.values()) + len(timed_out),
                "timed_out": timed_out,
                "query_ms": {name: round(t * 1000, 1) for name, t in sorted(finished.items())},
                "build_summary": summary,
            }
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
    header = [
        "size",
        "asserted_triples",
        "build_s",
        "build_peak_mib",
        "store_load_s",
        "query_median_ms",
        "query_max_ms",
        "slowest_query",
        "queries_over_200ms",
    ]
    print("\n| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(str(row[h]) for h in header) + " |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
