"""Benchmark the site: building every page, and the overview settling in a real browser.

Builds dist/ first if it is stale, then
- times `jjjkg.readers.site.build_site` on the built dataset (every page, the ontology page and the
  network file), several runs;
- opens dist/site/overview.html from disk in headless Debian chromium (Playwright's
  client, no browser download) and times navigation start → layout done, physics off
  (`window.jjjkg.ready`), several fresh pages.
Prints the median and the worst of each, and exits 1 if a median misses its target.

    .venv/bin/python benchmarks/viz_bench.py [--root DIR] [--dist DIR] [--runs N]

Targets (issue 5): building all pages ≤ 2 s; overview still and interactive ≤ 3 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"build all pages": 2.0, "overview ready": 3.0}
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def time_build(store, runs: int) -> list[float]:
    """build_site's wall time; the first run includes importing pyvis and networkx."""
    from jjjkg.readers import analysis
    from jjjkg.readers.site import build_site

    times = []
    for _ in range(runs):
        analysis._communities.clear()  # no help from the previous run
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            build_site(store, Path(tmp) / "site")
            times.append(time.perf_counter() - started)
    return times


def time_overview(page_path: Path, runs: int) -> tuple[list[float], int]:
    from playwright.sync_api import sync_playwright

    times, nodes = [], 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(page_path.as_uri())
            page.wait_for_function("() => window.jjjkg && window.jjjkg.ready", timeout=60000)
            # from the navigation's start to the layout's end, as the page itself measures it
            times.append(page.evaluate("jjjkg.times.ready") / 1000)
            nodes = page.evaluate("jjjkg.network.body.data.nodes.length")
            page.close()
        browser.close()
    return times, nodes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--dist", type=Path, default=None, help="build output [ROOT/dist]")
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()

    from jjjkg.dist import ensure_built
    from jjjkg.dist.store import open_store

    dist = ensure_built(options.root, options.dist)
    store = open_store(dist).named()  # every named graph, as the build's store holds them
    results = {"build all pages": time_build(store, options.runs)}
    pages = len(list((dist / "site").glob("*.html")))
    if Path(CHROMIUM).exists():
        results["overview ready"], nodes = time_overview(
            dist / "site" / "overview.html", options.runs
        )
    else:
        nodes = 0
        print(f"(no {CHROMIUM}: overview not timed)")
    print(f"site of {pages} pages; overview of {nodes} nodes; {options.runs} runs each")
    missed = []
    for name, times in results.items():
        median = statistics.median(times)
        target = TARGETS[name]
        verdict = "ok" if median <= target else "MISSED"
        first, worst = times[0], max(times)
        print(
            f"  {name:16} first {first:5.2f} s  median {median:5.2f} s  worst {worst:5.2f} s"
            f"  (target ≤ {target:g} s: {verdict})"
        )
        if median > target:
            missed.append(name)
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
