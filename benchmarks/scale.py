"""How build and queries grow with the size of the graph.

Generates synthetic corpora shaped like ours and measures them. Each synthetic article is a
copy of the real encoded article with its own resource IRIs and labels (suffix `-cN`, `（N）`),
so it has the same kinds of entities, links and observations, one named graph per paragraph,
and the same ontology, shapes and checks; controlled vocabularies (units, statuses, qualifiers,
indicators, industries) and the places of the shared core catalogue stay shared, so the copies
connect like a corpus of articles about one region would.

    python benchmarks/scale.py                      # 100k and 1M triples
    python benchmarks/scale.py --sizes 100k 1M 10M  # add 10M (~18 GiB in use, ~30 min)

For each size: generate, then `jjjkg build` (load, validate, reason, write, store) in a child
process with its wall time and peak memory, then, for every library query, what a user waits
for: a whole `jjjkg query NAME --format table` process (labels included), the naive script
(a child process that parses `dist/jjjkg.nq` into an in-memory pyoxigraph store and prints
the rows) and `curl` to `jjjkg serve` (medians; `--runs`, `--naive-runs`), with the ratio
jjjkg / naive and the load averages before and after. `--json FILE` saves it all.
"""

from __future__ import annotations

import argparse
import json
import os
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
SIZES = {"article": 0, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
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


NAIVE = """import sys, pyoxigraph as ox
store = ox.Store()
store.load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
answer = store.query(open(sys.argv[2], encoding="utf-8").read(), use_default_graph_as_union=True)
if isinstance(answer, ox.QuerySolutions):
    for row in answer:
        print(*row, sep="\\t")
elif isinstance(answer, ox.QueryTriples):
    for triple in answer:
        print(triple)
else:
    print(bool(answer))
"""


def whole(command: list[str], runs: int, limit: float) -> float | None:
    """Median wall time (s) of `runs` whole child processes, output discarded; None when one
    fails or takes longer than `limit` seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            done = subprocess.run(command, stdout=subprocess.DEVNULL, timeout=limit)
        except subprocess.TimeoutExpired:
            return None
        if done.returncode != 0:
            return None
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def query_processes(
    root: Path, runs: int, naive_runs: int, limit: float, only: list[str] | None = None
) -> dict[str, dict]:
    """Per library query: a whole `jjjkg query NAME --format table` process (labels, zh),
    the naive pyoxigraph script (parse dist/jjjkg.nq into memory, run the query, print the
    rows) and `curl` to `jjjkg serve`; medians in seconds."""
    from jjjkg.readers import query as queries

    # Byte-compiled as `pip install` leaves it: no process pays for compiling the package
    # (PYTHONDONTWRITEBYTECODE=1 would otherwise make every start compile it).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src" / "jjjkg")])
    jjjkg = [sys.executable, "-m", "jjjkg"]
    scratch = Path(tempfile.mkdtemp(prefix="jjjkg-scale-scratch-"))
    script, query_file = scratch / "naive.py", scratch / "query.rq"
    script.write_text(NAIVE, encoding="utf-8")
    port = 17000 + root.stat().st_ino % 1000
    server = subprocess.Popen(
        [*jjjkg, "serve", "--root", str(root), "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    server.stdout.readline()  # "Serving … at URL": up
    out: dict[str, dict] = {}
    try:
        for named in queries.library(root):
            if only and named.name not in only:
                continue
            text = subprocess.run(
                [*jjjkg, "query", named.name, "--show", "--root", str(root)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            query_file.write_text(text, encoding="utf-8")
            out[named.name] = {
                "jjjkg": whole(
                    [
                        *jjjkg,
                        "query",
                        named.name,
                        "--format",
                        "table",
                        "--root",
                        str(root),
                        "--timeout",
                        str(limit),
                    ],
                    runs,
                    limit,
                ),
                "naive": whole(
                    [
                        sys.executable,
                        str(script),
                        str(root / "dist" / "jjjkg.nq"),
                        str(query_file),
                    ],
                    naive_runs,
                    limit,
                ),
                "curl": whole(
                    [
                        "curl",
                        "-sf",
                        "--data-urlencode",
                        f"query@{query_file}",
                        "-H",
                        "Accept: text/tab-separated-values",
                        f"http://127.0.0.1:{port}/query",
                    ],
                    runs,
                    limit,
                ),
            }
            print(named.name, out[named.name], flush=True)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(scratch, ignore_errors=True)
    return out


def summary(per_query: dict[str, dict]) -> dict:
    """Medians over the queries, and the ratio jjjkg / naive per query (its median, max)."""

    def median_ms(key):
        done = [q[key] for q in per_query.values() if q[key] is not None]
        return round(statistics.median(done) * 1000) if done else None

    ratios = [q["jjjkg"] / q["naive"] for q in per_query.values() if q["jjjkg"] and q["naive"]]
    return {
        "jjjkg_median_ms": median_ms("jjjkg"),
        "naive_median_ms": median_ms("naive"),
        "curl_median_ms": median_ms("curl"),
        "ratio_median": round(statistics.median(ratios), 3) if ratios else None,
        "ratio_max": round(max(ratios), 3) if ratios else None,
        "failed": sorted(n for n, q in per_query.items() if None in q.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["100k", "1M"], choices=list(SIZES))
    parser.add_argument("--runs", type=int, default=5, help="runs of each jjjkg and curl query")
    parser.add_argument("--naive-runs", type=int, default=1, help="runs of the naive script")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora")
    parser.add_argument("--corpus", type=Path, help="reuse this generated folder (one size)")
    parser.add_argument("--build-only", action="store_true", help="skip the query library")
    parser.add_argument("--queries", nargs="+", help="time only these library queries")
    parser.add_argument("--limit", type=float, default=300.0, help="stop a process after (s)")
    args = parser.parse_args()
    jjjkg = [sys.executable, "-m", "jjjkg"]
    rows = []
    for size in args.sizes:
        work = args.corpus or Path(tempfile.mkdtemp(prefix=f"jjjkg-scale-{size}-"))
        try:
            if args.corpus is None:
                triples = generate(SIZES[size], work)
            else:
                triples = None
            load_before = os.getloadavg()
            wall, peak, summary_line = timed([*jjjkg, "build", "--root", str(work)], work)
            row = {
                "size": size,
                "asserted_triples": triples,
                "build_s": round(wall, 1),
                "build_peak_mib": round(peak),
                "build_summary": summary_line,
            }
            if not args.build_only:
                per_query = query_processes(
                    work, args.runs, args.naive_runs, args.limit, args.queries
                )
                row.update(summary(per_query))
                row["queries"] = per_query
            row["load_average"] = [round(x, 2) for x in (*load_before, *os.getloadavg())]
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "queries"}), flush=True)
        finally:
            if not args.keep and args.corpus is None:
                shutil.rmtree(work, ignore_errors=True)
    for row in rows:
        if "queries" not in row:
            continue
        print(f"\n{row['size']}: query, jjjkg, naive, ratio, curl (ms)")
        for name, q in row["queries"].items():
            ms = {k: (round(v * 1000) if v is not None else "-") for k, v in q.items()}
            ratio = f"{q['jjjkg'] / q['naive']:.3f}" if q["jjjkg"] and q["naive"] else "-"
            print(f"| `{name}` | {ms['jjjkg']} | {ms['naive']} | {ratio} | {ms['curl']} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
