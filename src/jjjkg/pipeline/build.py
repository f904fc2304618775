"""The one pipeline: load → validate (SHACL) → reason → check → write dist/ atomically.

The up-to-date test runs first and uses only the standard library (no rdflib import), so
a build with nothing to do returns in a fraction of a second.

Everything from loading to writing happens in one in-memory Oxigraph store (pyoxigraph),
whatever the size of the graph: parsing, SHACL (compiled to SPARQL), the OWL 2 RL rules
(SPARQL updates), the check queries and the sorted serialisations. rdflib comes in only for
what needs it: pySHACL when the shapes use SHACL beyond the compiled subset, owlrl when asked
for (`reasoner="owlrl"`). The site is read from the build's own store. A graph of more than
`SITE_MAX_TRIPLES` triples gets no site: a browser view of millions of nodes shows nothing,
and the files and queries serve such graphs better.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import shutil
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jjjkg.core import names
from jjjkg.core.counts import entity_classes
from jjjkg.core.errors import ValidationError, ValidationReport
from jjjkg.core.project import (
    MANIFEST,
    NAMES,
    check_root,
    code_hashes,
    input_digest,
    input_hashes,
    is_fresh,
    read_hashing,
    sha256,
    tool_version,
    write_hashing,
)
from jjjkg.core.registry import DEFAULT_REASONER
from jjjkg.core.terms import INFERRED_GRAPH
from jjjkg.pipeline import distdir
from jjjkg.pipeline.parallel import Job, can_fork, fork_fits

if TYPE_CHECKING:
    from jjjkg.pipeline.load import Sources

SITE_MAX_TRIPLES = 100_000  # above this, no site/ (see the module doc)
PARALLEL_MIN_QUADS = 100_000  # from this size on, validation runs alongside (see `prepare`)


@dataclass
class BuildResult:
    """What a build did; the CLI turns it into the summary."""

    dist: Path
    up_to_date: bool
    triples: int
    asserted: int = 0
    inferred: int = 0
    graphs: int = 0
    entities: int = 0
    classes: list[tuple[str, int]] = field(default_factory=list)
    report: ValidationReport | None = None
    files: list[str] = field(default_factory=list)
    site_files: int = 0
    site_note: str = ""  # why there is no site/, when there is none
    timings: dict[str, float] = field(default_factory=dict)
    elapsed: float = 0.0


@contextmanager
def _no_gc():
    """Pause Python's cycle collector: a build makes millions of short-lived objects and no
    cycles worth collecting, and each full collection walks them all (worse as graphs grow)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _timed(function: Callable, *args) -> tuple[object, float]:
    started = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - started


def prepare(
    root: Path,
    timings: dict[str, float],
    progress: Callable[[str], None] | None = None,
    reasoner: str = DEFAULT_REASONER,
    parallel: bool | None = None,
    after_shacl: Callable[[Sources], object] | None = None,
    after_checks: Callable[[Sources], object] | None = None,
) -> tuple[Sources, ValidationReport, Job, object]:
    """Load, validate with SHACL, reason, and start the check queries.

    Returns the sources (with their inferred graph), the SHACL report, the job of the checks
    (`.result()` is their report and its time, and what `after_checks(sources)` returned:
    reading the store, done after the checks in their process) and what
    `after_shacl(sources)` returned (work that needs only the asserted data, done after SHACL
    in the same process). With `parallel` (default: on Linux, for graphs of
    `PARALLEL_MIN_QUADS` or more), SHACL runs in a child process while this one reasons, and
    the checks in another while the caller writes: the machine's second core does the
    validating. Each child is started only if it fits in memory (`fork_fits`).
    Raises SourceError/QueryError on bad input; does not raise on violations.
    """
    from jjjkg.core.errors import ReasonerError
    from jjjkg.core.registry import REASONERS
    from jjjkg.pipeline.load import load_sources
    from jjjkg.pipeline.reason import add_inferred
    from jjjkg.pipeline.validate import check_report, shacl_report

    if reasoner not in REASONERS:
        raise ReasonerError(f"unknown reasoner '{reasoner}' (choose from {', '.join(REASONERS)})")
    say = progress or (lambda _: None)
    with _no_gc():
        say("load")
        sources, timings["load"] = _timed(load_sources, Path(root), progress)
        big = sources.quads >= PARALLEL_MIN_QUADS
        fork = can_fork() and (big if parallel is None else parallel)
        forked = fork and fork_fits()
        notes = None if forked else progress  # a child's notes would garble the parent's
        say(f"shacl: {sources.quads:,} asserted quads")

        def validate_asserted() -> tuple[tuple[ValidationReport, float], object]:
            shacl = _timed(shacl_report, sources, notes)
            later = after_shacl is not None and shacl[0].conforms
            return shacl, (after_shacl(sources) if later else None)

        shacl_job = Job(validate_asserted, forked)
        try:  # whatever stops this process here (Ctrl-C too) stops the child first
            say("reason" + (" (SHACL alongside)" if forked else ""))
            _, timings["reason"] = _timed(add_inferred, sources, reasoner, progress)
            (shacl, timings["shacl"]), extra = shacl_job.result()
        except BaseException:
            shacl_job.cancel()
            raise
        forked = fork and fork_fits()
        notes = None if forked else progress
        alone = fork and not forked
        say("checks" + (" (no second process: too little free memory)" if alone else ""))

        def validate_inferred() -> tuple[tuple[ValidationReport, float], object]:
            checks = _timed(check_report, sources, Path(root), notes)
            later = after_checks is not None and checks[0].conforms
            return checks, (after_checks(sources) if later else None)

        checks_job = Job(validate_inferred, forked)
    return sources, shacl, checks_job, extra


def check(
    root: Path,
    timings: dict[str, float] | None = None,
    progress: Callable[[str], None] | None = None,
    reasoner: str = DEFAULT_REASONER,
    parallel: bool | None = None,
) -> tuple[Sources, ValidationReport]:
    """Load, validate and reason: the sources with their inferred graph, and the report.

    Raises SourceError/QueryError on bad input; does not raise on violations.
    """
    from jjjkg.pipeline.validate import merge

    timings = {} if timings is None else timings
    sources, shacl, checks_job, _ = prepare(root, timings, progress, reasoner, parallel)
    (checks, timings["checks"]), _ = checks_job.result()
    return sources, merge(shacl, checks)


def _up_to_date(dist: Path, manifest: dict, started: float) -> BuildResult:
    return BuildResult(
        dist=dist,
        up_to_date=True,
        triples=manifest["triples"]["total"],
        elapsed=time.perf_counter() - started,
    )


def build(
    root: Path,
    dist: Path | None = None,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
    reasoner: str = DEFAULT_REASONER,
    parallel: bool | None = None,
) -> BuildResult:
    """Build `dist/` from the project at `root`, unless it is already up to date.

    `progress`, if given, receives short one-line notes (stage, count, rate) as the build
    goes; `reasoner` is "rules" (fast, any size) or "owlrl" (the reference; small graphs);
    `parallel` runs validation in child processes (see `prepare`; default: for big graphs).

    Raises SourceError/QueryError (exit 2) on bad input and ValidationError (exit 1) when
    the data fails SHACL or a check; in both cases the existing dist/ is left untouched.
    Raises DistRefused (exit 2) for a `dist` it may not replace (`distdir.check_target`).
    One build of a `dist` at a time: a second waits for the first (`distdir.locked`).
    """
    started = time.perf_counter()
    root = check_root(Path(root))
    dist = Path(dist) if dist is not None else root / "dist"
    default = dist.resolve() == (root / "dist").resolve()
    distdir.check_target(root, dist, default)
    hashing = read_hashing(dist)
    hashes, code = input_hashes(root, hashing), code_hashes(hashing)
    digest = input_digest(hashes, code)
    if not force:
        manifest = is_fresh(dist, digest, reasoner)
        if manifest is not None:
            return _up_to_date(dist, manifest, started)
    with distdir.prepared(dist, progress):
        if not force and (manifest := is_fresh(dist, digest, reasoner)) is not None:
            return _up_to_date(dist, manifest, started)  # another build just made it
        return _build(root, dist, (hashes, code), digest, progress, reasoner, parallel, started)


def _build(root, dist, hashed, digest, progress, reasoner, parallel, started) -> BuildResult:
    """The build itself, with the lock of `dist` held; `hashed`: the input and code hashes."""

    from jjjkg.core.rdfio import write_dataset, write_union
    from jjjkg.pipeline import describe, persist
    from jjjkg.pipeline.validate import merge

    say = progress or (lambda _: None)
    timings: dict[str, float] = {}
    tmp = distdir.make_temporary(dist)
    checks_job = loading = None
    try:

        def write_asserted(sources: Sources) -> str | None:
            """jjjkg.ttl needs no reasoning: written beside SHACL, if SHACL passes."""
            return write_union(sources.asserted_lines(), tmp) if sources.quads else None

        def read_store(sources: Sources) -> tuple[int, list[tuple[str, int]], describe.Facts]:
            """What the manifest, names.tsv and the description need from the store."""
            names.write(names.fold(sources.store.query(names.ASSERTED_NAMES_QUERY)), tmp / NAMES)
            facts = describe.collect(root, sources.store)  # version checked, dates, source
            return (*entity_classes(sources.store), facts)

        sources, shacl, checks_job, union = prepare(
            root, timings, progress, reasoner, parallel, write_asserted, read_store
        )
        report = None

        def checked() -> tuple[int, list[tuple[str, int]], describe.Facts]:
            nonlocal report
            (checks, timings["checks"]), store_facts = checks_job.result()
            report = merge(shacl, checks)
            if not report.conforms:
                raise ValidationError(report)
            return store_facts

        if checks_job.pid is None or not shacl.conforms:  # checks done, or no need to write
            entities, classes, facts = checked()
        asserted, inferred = sources.asserted_lines(), sources.inferred
        # The site reads the store (every named graph); a graph too big for a site frees it.
        store = sources.store if len(asserted) + len(inferred) <= SITE_MAX_TRIPLES else None
        del sources  # the store is done with (in this process): free it before writing
        clock = time.perf_counter()
        say("write" + (" (checks alongside)" if report is None else ""))
        loading = persist.Loading(tmp, say)  # the store loads while the other files are written
        with _no_gc():
            written = write_dataset(
                asserted,
                inferred,
                tmp,
                progress,
                union,
                store_input=tmp / persist.STORE_INPUT,
                nq_written=loading.start,
            )
        del asserted, inferred
        timings["write"] = time.perf_counter() - clock
        say("store: waiting for the load")
        timings["store"] = loading.wait()
        if report is None:
            say("checks: waiting for the check queries")
            entities, classes, facts = checked()
        written.files[NAMES] = sha256(tmp / NAMES)  # written beside the checks
        per_graph = written.graphs
        inferred = per_graph.get(INFERRED_GRAPH, 0)
        total = sum(per_graph.values())
        site_files, site_note = 0, ""
        if total > SITE_MAX_TRIPLES:
            site_note = (
                f"site/ skipped: {total:,} triples, more than a browser view can show "
                f"(limit {SITE_MAX_TRIPLES:,})"
            )
        elif importlib.util.find_spec("jjjkg.readers.site") is not None:
            clock = time.perf_counter()
            say("site")
            from jjjkg.readers.site import build_site

            build_site(store, tmp / "site", version=facts.version)
            site_files = sum(1 for p in (tmp / "site").rglob("*") if p.is_file())
            timings["site"] = time.perf_counter() - clock
        written.files[describe.DESCRIPTION] = describe.write_description(
            tmp, root, facts, total, entities, classes, written.files
        )
        clock = time.perf_counter()
        store_entry = persist.finish_store(tmp, dist, say)
        written.files[f"{store_entry['dir']}/"] = store_entry["loaded"]
        timings["store"] += time.perf_counter() - clock

        manifest = {
            "tool": "jjjkg",
            "version": tool_version(),
            "input_digest": digest,
            "inputs": hashed[0],
            "reasoner": reasoner,
            "triples": {
                "total": total,
                "asserted": total - inferred,
                "inferred": inferred,
                "graphs": per_graph,
            },
            "entities": {"total": entities, "classes": dict(classes)},
            "validation": {
                "shapes": report.shapes,
                "checks": len(report.checks),
                "warnings": len(report.warnings),
            },
            "dataset": facts.manifest(),
            "files": written.files,
            "site_files": site_files,
            "store": store_entry,
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        (tmp / MANIFEST).write_text(text, encoding="utf-8")
        write_hashing(tmp, *hashed)
        distdir.swap_in(tmp, dist)
    except BaseException as error:
        if checks_job is not None:
            checks_job.cancel()
        if loading is not None:
            loading.cancel()
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(error, OSError):
            raise distdir.cannot_write(dist, error) from None
        raise
    files = list(written.files)
    order = ("load", "shacl", "reason", "checks", "write", "site", "store")
    timings = {name: timings[name] for name in order if name in timings}
    return BuildResult(
        dist=dist,
        up_to_date=False,
        triples=total,
        asserted=total - inferred,
        inferred=inferred,
        graphs=len(per_graph),
        entities=entities,
        classes=classes,
        report=report,
        files=[*files, MANIFEST],
        site_files=site_files,
        site_note=site_note,
        timings=timings,
        elapsed=time.perf_counter() - started,
    )
