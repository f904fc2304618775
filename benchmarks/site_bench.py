"""Benchmark the site of issue 15: the whole build, the site stage, its size, the overview.

- `jjjkg build --force` end to end (a fresh process each run: imports included), the site
  stage's share as the build itself reports it;
- `jjjkg.readers.site.build_site` alone on the built dataset (every page: views, entity
  pages, class lists, article, map), in this process;
- the size of dist/site/ and its number of files;
- dist/site/overview.html in headless Debian chromium: navigation start → layout done and
  physics off (`window.jjjkg.ready`), fresh pages.
Prints the median and the worst of each; exits 1 if a median misses its target.

    .venv/bin/python benchmarks/site_bench.py [--root DIR] [--runs N]

Targets (issue 15): all pages ≤ 5 s; the site ≤ 30 MB; the overview ready ≤ 3 s.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"site stage (build)": 5.0, "build_site alone": 5.0, "overview ready": 3.0}
SIZE_TARGET = 30 * 2**20
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def time_full_build(root: Path, dist: Path, runs: int) -> tuple[list[float], list[float]]:
    """Wall time of `jjjkg build --force`, and the site stage as the build reports it."""
    jjjkg = Path(sys.executable).parent / "jjjkg"
    walls, sites = [], []
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run(
            [str(jjjkg), "build", "--force", "--root", str(root), "--dist", str(dist)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        walls.append(time.perf_counter() - started)
        sites.append(float(re.search(r"site ([0-9.]+)\)", out).group(1)))
    return walls, sites


def time_build_site(dist: Path, runs: int) -> list[float]:
    from jjjkg.dist.store import open_store
    from jjjkg.readers import analysis
    from jjjkg.readers.site import build_site

    dataset = open_store(dist).named()  # every named graph, as the build's store holds them
    times = []
    for _ in range(runs):
        analysis._communities.clear()  # no help from the previous run
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            build_site(dataset, Path(tmp) / "site")
            times.append(time.perf_counter() - started)
    return times


def time_overview(page: Path, runs: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for _ in range(runs):
            tab = browser.new_page(viewport={"width": 1280, "height": 800})
            tab.goto(page.as_uri())
            tab.wait_for_function("() => window.jjjkg && window.jjjkg.ready", timeout=60000)
            times.append(tab.evaluate("jjjkg.times.ready") / 1000)  # since navigation start
            tab.close()
        browser.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(tmp) / "dist"
        walls, sites = time_full_build(options.root, dist, options.runs)
        results = {
            "jjjkg build --force": walls,
            "site stage (build)": sites,
            "build_site alone": time_build_site(dist, options.runs),
        }
        files = [p for p in (dist / "site").rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        if Path(CHROMIUM).exists():
            results["overview ready"] = time_overview(dist / "site/overview.html", options.runs)
        else:
            print(f"(no {CHROMIUM}: overview not timed)")
    pages = sum(1 for p in files if p.suffix == ".html")
    verdict = "ok" if size <= SIZE_TARGET else "MISSED"
    print(f"site: {len(files)} files ({pages} pages), {size / 2**20:.1f} MB (target ≤ 30 MB: "
          f"{verdict}); {options.runs} runs each")  # fmt: skip
    missed = [] if size <= SIZE_TARGET else ["size"]
    for name, times in results.items():
        median = statistics.median(times)
        target = TARGETS.get(name)
        note = ""
        if target is not None:
            note = f"  (target ≤ {target:g} s: {'ok' if median <= target else 'MISSED'})"
            if median > target:
                missed.append(name)
        print(
            f"  {name:20} first {times[0]:5.2f} s  median {median:5.2f} s  "
            f"worst {max(times):5.2f} s{note}"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
