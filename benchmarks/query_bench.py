"""Whole-process time of `jjjkg query NAME` against the naive rdflib script, per query.

    .venv/bin/python benchmarks/query_bench.py                 # every query in queries/
    .venv/bin/python benchmarks/query_bench.py --runs 9 --naive-runs 3 park-figures

The naive script is what a researcher would write without jjjkg: start Python, parse
dist/jjjkg.trig with rdflib into a Dataset whose default graph is the union, run the query
text (with the PREFIX lines it needs), print the rows. Both run as fresh processes, taking
turns, so machine load hits them alike; the table shows medians in milliseconds. The
package is byte-compiled first, as an installed one would be.
Targets: jjjkg median <= 150 ms, and >= 5x faster than the naive script.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_MS = 150.0
TARGET_SPEEDUP = 5.0

NAIVE = """\
import sys
from rdflib import Dataset, URIRef

ds = Dataset(default_union=True)
ds.parse(sys.argv[1], format="trig")
text = open(sys.argv[2], encoding="utf-8").read()
bindings = {k: URIRef(v) for k, v in (arg.split("=", 1) for arg in sys.argv[3:])}
result = ds.query(text, initBindings=bindings)
for row in result:
    print(row)
"""


def timed(command: list[str]) -> float:
    """Wall-clock milliseconds of one run; raises if the command fails."""
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="queries to time (default: all)")
    parser.add_argument("--runs", type=int, default=7, help="runs of jjjkg query per query")
    parser.add_argument("--naive-runs", type=int, default=3, help="runs of the naive script")
    args = parser.parse_args()

    from jjjkg.core.terms import prologue
    from jjjkg.dist import ensure_built
    from jjjkg.readers import query

    dist = ensure_built(REPO)
    # Byte-compile the package as `pip install` does, so that neither side pays for
    # compiling source at every start (PYTHONDONTWRITEBYTECODE=1 would otherwise force it).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src" / "jjjkg")])
    jjjkg = Path(sys.executable).with_name("jjjkg")
    base = [str(jjjkg)] if jjjkg.exists() else [sys.executable, "-m", "jjjkg"]
    chosen = [q for q in query.library(REPO) if not args.names or q.name in args.names]
    tmp = Path(tempfile.mkdtemp(prefix="jjjkg-bench-"))
    naive = tmp / "naive.py"
    naive.write_text(NAIVE, encoding="utf-8")

    rows, fast_all, slow_all = [], [], []
    for item in chosen:
        text = tmp / f"{item.name}.rq"
        text.write_text(prologue() + item.text, encoding="utf-8")
        binds = [f"{var}={term.value}" for var, term in query.bindings(item).items()]
        ours = base + ["query", item.name, "--root", str(REPO)]  # default format: table or ttl
        theirs = [sys.executable, str(naive), str(dist / "jjjkg.trig"), str(text), *binds]
        fast, slow = [], []
        for run in range(max(args.runs, args.naive_runs)):
            if run < args.runs:
                fast.append(timed(ours))
            if run < args.naive_runs:
                slow.append(timed(theirs))
        fast_ms, slow_ms = statistics.median(fast), statistics.median(slow)
        fast_all += fast
        slow_all += slow
        rows.append((item.name, fast_ms, slow_ms, slow_ms / fast_ms))
        ratio = slow_ms / fast_ms
        print(f"  {item.name:38} {fast_ms:7.0f} {slow_ms:8.0f} {ratio:6.1f}x", flush=True)

    fast_ms, slow_ms = statistics.median(fast_all), statistics.median(slow_all)
    worst = max(r[1] for r in rows)
    print()
    print(f"{'query':40} {'jjjkg ms':>8} {'naive ms':>9} {'speed-up':>8}")
    for name, fast, slow, ratio in rows:
        print(f"{name:40} {fast:8.0f} {slow:9.0f} {ratio:7.1f}x")
    print(f"{'median of all runs':40} {fast_ms:8.0f} {slow_ms:9.0f} {slow_ms / fast_ms:7.1f}x")
    ok_time = fast_ms <= TARGET_MS
    ok_ratio = slow_ms / fast_ms >= TARGET_SPEEDUP
    print(
        f"\njjjkg median {fast_ms:.0f} ms (target <= {TARGET_MS:.0f}): "
        f"{'met' if ok_time else 'MISSED'}; slowest query median {worst:.0f} ms"
    )
    print(
        f"speed-up {slow_ms / fast_ms:.1f}x (target >= {TARGET_SPEEDUP:.0f}x): "
        f"{'met' if ok_ratio else 'MISSED'}"
    )
    return 0 if ok_time and ok_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
