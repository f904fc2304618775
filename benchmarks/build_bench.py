"""Benchmark `jjjkg build`: wall time and peak memory, cold and no-op.

Runs the build as a subprocess several times (a cold build into a fresh dist/ with --force,
and a no-op build on an up-to-date dist/), and prints the median wall time, the peak
resident memory of the process (from os.wait4), and the median time of each build phase.

    .venv/bin/python benchmarks/build_bench.py [--root DIR] [--runs N]

Targets (issue 2): cold ≤ 5 s for the whole article, no-op ≤ 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"cold": 5.0, "no-op": 0.3}


def jjjkg_command() -> list[str]:
    script = Path(sys.executable).parent / "jjjkg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "jjjkg"]


def run_measured(args: list[str]) -> tuple[float, float, str]:
    """Run a command and measure exactly its own peak RSS with os.wait4."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(args, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            sys.exit(f"{' '.join(args)} failed ({process.returncode}):\n{err.read()}")
        return wall, usage.ru_maxrss / 1024, out.read()


def phases(stdout: str) -> dict[str, float]:
    """The phase timings of the summary line `Built dist/ in 2.31 s (load 0.41, ...)`."""
    match = re.search(r"\(([^)]*)\)", stdout.splitlines()[0]) if stdout else None
    if not match:
        return {}
    return {
        name: float(value) for name, value in re.findall(r"([\w-]+) (\d+\.\d+)", match.group(1))
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()

    command = jjjkg_command()
    work = Path(tempfile.mkdtemp(prefix="jjjkg-bench-"))
    dist = work / "dist"
    base = [*command, "build", "--root", str(options.root), "--dist", str(dist)]
    results: dict[str, list[tuple[float, float, str]]] = {"cold": [], "no-op": []}
    try:
        for _ in range(options.runs):
            shutil.rmtree(dist, ignore_errors=True)
            results["cold"].append(run_measured([*base, "--force"]))
        run_measured(base)  # catch up with any source or code change made meanwhile
        for _ in range(3 * options.runs):
            if len(results["no-op"]) == options.runs:
                break
            run = run_measured(base)
            if "up to date" in run[2]:  # a rebuild (sources changed meanwhile) is not a no-op
                results["no-op"].append(run)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    triples = re.search(r"triples\s+(\d+)", results["cold"][0][2])
    print(
        f"jjjkg build on {options.root} ({triples.group(1) if triples else '?'} triples), "
        f"{options.runs} runs each, {os.cpu_count()} CPUs\n"
    )
    print(
        f"{'build':<8}{'median s':>10}{'min s':>8}{'max s':>8}{'peak MiB':>10}{'target s':>10}  ok"
    )
    for name, runs in results.items():
        walls = [wall for wall, _, _ in runs]
        peak = max(rss for _, rss, _ in runs)
        median = statistics.median(walls)
        ok = "yes" if median <= TARGETS[name] else "NO"
        print(
            f"{name:<8}{median:>10.2f}{min(walls):>8.2f}{max(walls):>8.2f}{peak:>10.0f}"
            f"{TARGETS[name]:>10.1f}  {ok}"
        )
    per_phase: dict[str, list[float]] = {}
    for _, _, stdout in results["cold"]:
        for name, secs in phases(stdout).items():
            per_phase.setdefault(name, []).append(secs)
    if per_phase:
        print(
            "\ncold build phases (median s): "
            + ", ".join(
                f"{name} {statistics.median(values):.2f}" for name, values in per_phase.items()
            )
        )


if __name__ == "__main__":
    main()
