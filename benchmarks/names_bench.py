"""Asking by name at scale: `show`, `cite`, `find`, `path` and a mistyped name, as whole
processes, beside the script a user would otherwise write.

    python benchmarks/names_bench.py                       # the article (this repository)
    python benchmarks/names_bench.py --root CORPUS         # a corpus of benchmarks/scale.py
    python benchmarks/names_bench.py --root CORPUS --endpoint http://127.0.0.1:7878/query

Each jjjkg command runs as a child process (`--runs` times, median wall time, output
included) in the project folder, whose dist/ must be built and fresh. The naive script
parses `dist/jjjkg.nq` into an in-memory pyoxigraph store, finds the entity by its label
and runs the same question: the claims in both directions with their graphs (show, cite),
the labels containing a text (find), or networkx's shortest paths over the IRI-to-IRI
triples (path). `viz --focus` (a page of one entity's neighbourhood) and mistyped names
have no naive twin. With `--endpoint` (`jjjkg serve` in the same folder, say), an entity
bound by name, slug and prefixed name to a query run there too. The table gives both
medians, their ratio and the load averages.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
JJJKG = [sys.executable, "-m", "jjjkg"]
PAGE = Path(tempfile.gettempdir()) / "jjjkg-names-bench.html"

NAIVE = r"""
import sys, pyoxigraph as ox
kind, args = sys.argv[1], sys.argv[2:]
store = ox.Store()
store.load(path="dist/jjjkg.nq", format=ox.RdfFormat.N_QUADS)
P = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
def named(label):
    q = P + 'SELECT ?e WHERE { GRAPH ?g { ?e skos:prefLabel ?l } FILTER(STR(?l) = "%s") }'
    return next(iter(store.query(q % label)))[0]
if kind == "claims":
    e = named(args[0])
    q = "SELECT ?s ?p ?o ?g WHERE { { GRAPH ?g { %s ?p ?o } } UNION { GRAPH ?g { ?s ?p %s } } }"
    rows = list(store.query(q % (e, e)))
elif kind == "find":
    q = 'SELECT DISTINCT ?e ?l { GRAPH ?g { ?e skos:prefLabel ?l } FILTER(CONTAINS(?l, "%s")) }'
    rows = list(store.query(P + q % args[0]))
else:
    import networkx as nx
    a, b = named(args[0]), named(args[1])
    graph = nx.Graph()
    for q in store.quads_for_pattern(None, None, None, None):
        if isinstance(q.object, ox.NamedNode) and not q.predicate.value.endswith("#type"):
            graph.add_edge(q.subject, q.object)
    rows = list(nx.all_shortest_paths(graph, a, b))
print(len(rows))
"""

CASES = [  # (jjjkg arguments, naive arguments)
    (["show", "中海油"], ["claims", "中海油"]),
    (["show", "天津港"], ["claims", "天津港"]),
    (["cite", "中海油"], ["claims", "中海油"]),
    (["find", "中海油"], ["find", "中海油"]),
    (["path", "雄安新区", "中海油"], ["path", "河北雄安新区", "中海油"]),
    (["path", "雄安新区", "天津港", "--article-only"], ["path", "河北雄安新区", "天津港"]),
    (["viz", "--focus", "京津物流园", "-o", str(PAGE)], None),
    (["viz", "--focus", "中海油", "-o", str(PAGE)], None),
    (["show", "天津不存在"], None),
    (["query", "entity-claims", "--bind", "entity=jfac:tianjin-port"], None),
]


def median_time(command: list[str], cwd: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        clock = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - clock)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=REPO, help="project folder (built)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each jjjkg command")
    parser.add_argument("--naive-runs", type=int, default=1, help="runs of the naive script")
    parser.add_argument("--endpoint", help="also bind names for a query on this endpoint")
    args = parser.parse_args()
    cases = list(CASES)
    for entity in ("中海油", "cnooc", "jorg:cnooc") if args.endpoint else ():
        bound = ["query", "entity-claims", "--bind", f"entity={entity}"]
        cases.append(([*bound, "--endpoint", args.endpoint], None))
    root = args.root.resolve()
    if not (root / "dist" / "jjjkg.nq").is_file():
        sys.exit(f"{root}: no dist/jjjkg.nq; run `jjjkg build` there first")
    subprocess.run([*JJJKG, "stats"], cwd=root, stdout=subprocess.DEVNULL, check=True)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'command':58}  {'jjjkg':>8}  {'naive':>8}  ratio")
    for command, naive in cases:
        ours = median_time([*JJJKG, *command], root, args.runs)
        line = f"{' '.join(command):58}  {ours:7.2f}s"
        if naive is not None:
            theirs = median_time([sys.executable, "-c", NAIVE, *naive], root, args.naive_runs)
            line += f"  {theirs:7.2f}s  {ours / theirs:5.2f}"
        print(line, flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
