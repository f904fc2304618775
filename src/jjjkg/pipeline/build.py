"""The one pipeline: load → validate (SHACL) → reason → check → write dist/ atomically.

The up-to-date test runs first and uses only the standard library (no rdflib import), so
a build with nothing to do returns in a fraction of a second.

Everything from loading to writing happens in one in-memory Oxigraph store (pyoxigraph),
whatever the size of the graph: parsing, SHACL (compiled to SPARQL), the OWL 2 RL rules
(SPARQL updates), the check queries and the sorted serialisations. rdflib comes in only for
what needs it: pySHACL when the shapes use SHACL beyond the compiled subset, owlrl when asked
for (`reasoner="owlrl"`), and the site, built from the written `jjjkg.nq` by the same loader
every reader uses. A graph of more than `SITE_MAX_TRIPLES` triples gets no site: a browser
view of millions of nodes shows nothing, and the files and queries serve such graphs better.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import os
import pickle
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jjjkg.core.errors import BuildError, JjjkgError, ValidationError, ValidationReport
from jjjkg.core.terms import INFERRED_GRAPH, ONTOLOGY_GRAPH, RDF_TYPE, SHAPES_GRAPH
from jjjkg.pipeline.load import check_root, input_digest, input_hashes

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Dataset

    from jjjkg.pipeline.load import Sources

MANIFEST = "manifest.json"
OUTPUTS = ("jjjkg.trig", "jjjkg.nq", "jjjkg.ttl", "jjjkg-inferred.ttl", "jjjkg.jsonld")
SITE_MAX_TRIPLES = 100_000  # above this, no site/ (see the module doc)
PARALLEL_MIN_QUADS = 100_000  # from this size on, validation runs alongside (see `prepare`)
DEFAULT_REASONER = "rules"


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


def tool_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jjjkg")
    except PackageNotFoundError:
        return "0+unknown"


def read_manifest(dist: Path) -> dict | None:
    try:
        return json.loads((dist / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_fresh(dist: Path, digest: str, reasoner: str = DEFAULT_REASONER) -> dict | None:
    """The manifest of `dist` if it was built from exactly these inputs and is complete."""
    manifest = read_manifest(dist)
    if not manifest or manifest.get("input_digest") != digest:
        return None
    if manifest.get("reasoner", DEFAULT_REASONER) != reasoner:
        return None
    if not all((dist / name).is_file() for name in manifest.get("files", {})):
        return None
    if manifest.get("site_files") and not (dist / "site").is_dir():
        return None
    return manifest


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


class _Job:
    """A function run in a forked child process, its result read back through a pipe; or,
    when not forked, run at once in this process.

    The child inherits the store (copy-on-write), so it can query it while the parent goes
    on; an error in the child is raised again in the parent by `result()`.
    """

    def __init__(self, function: Callable[[], object], fork: bool):
        self.pid: int | None = None
        if not fork:
            try:
                self.outcome = ("ok", function())
            except Exception as exc:  # raised again by result(), as in the forked case
                self.outcome = ("error", exc)
            return
        sys.stdout.flush()
        sys.stderr.flush()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: run, send the outcome, leave without any cleanup
            os.close(read)
            try:
                outcome = ("ok", function())
            except JjjkgError as exc:  # custom __init__: send its state, not its arguments
                outcome = ("jjjkg-error", (type(exc), exc.args, dict(vars(exc))))
            except BaseException as exc:
                outcome = ("error", exc)
            try:
                data = pickle.dumps(outcome)
            except Exception:
                text = "".join(traceback.format_exception(outcome[1]))
                data = pickle.dumps(("error", BuildError(f"validation failed:\n{text}")))
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
            os._exit(0)
        os.close(write)
        self.pid, self.pipe = pid, read

    def result(self):
        if self.pid is not None:
            with os.fdopen(self.pipe, "rb") as pipe:
                data = pipe.read()
            os.waitpid(self.pid, 0)
            self.pid = None
            if not data:
                raise BuildError("a validation process stopped without a result")
            kind, value = pickle.loads(data)
            if kind == "jjjkg-error":
                cls, args, attributes = value
                kind, value = "error", cls.__new__(cls)
                value.args = args
                value.__dict__.update(attributes)
            self.outcome = (kind, value)
        kind, value = self.outcome
        if kind == "error":
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child (if any) and forget it."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            os.close(self.pipe)
            self.pid = None


def can_fork() -> bool:
    """Whether validation may run in child processes: Linux (fork is safe there)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _kib(path: str, field: str) -> int:
    with open(path, encoding="ascii") as lines:
        for line in lines:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise ValueError(f"no {field} in {path}")


def fork_fits(rss_kib: int | None = None, available_kib: int | None = None) -> bool:
    """Whether a child process fits beside this one in the memory left.

    A forked child shares this process's pages only until one of the two writes to them:
    while the parent reasons or writes, the child comes to cost about as much as the parent
    did at the fork. So fork only when twice this process's size is free (a 10M-triple build
    forked without this check ran out of 24 GiB while writing).
    """
    try:
        rss = _kib("/proc/self/status", "VmRSS") if rss_kib is None else rss_kib
        available = (
            _kib("/proc/meminfo", "MemAvailable") if available_kib is None else available_kib
        )
    except (OSError, ValueError):
        return False
    return available >= 2 * rss


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
) -> tuple[Sources, ValidationReport, _Job, object]:
    """Load, validate with SHACL, reason, and start the check queries.

    Returns the sources (with their inferred graph), the SHACL report, the job of the checks
    (`.result()` is their report) and what `after_shacl(sources)` returned (work that needs
    only the asserted data, done after SHACL in the same process). With `parallel` (default:
    on Linux, for graphs of `PARALLEL_MIN_QUADS` or more), SHACL runs in a child process while
    this one reasons, and the checks in another while the caller writes: the machine's second
    core does the validating. Each child is started only if it fits in memory (`fork_fits`).
    Raises SourceError/QueryError on bad input; does not raise on violations.
    """
    from jjjkg.pipeline.load import load_sources
    from jjjkg.pipeline.reason import REASONERS, ReasonerError, add_inferred
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

        shacl_job = _Job(validate_asserted, forked)
        say("reason" + (" (SHACL alongside)" if forked else ""))
        try:
            _, timings["reason"] = _timed(add_inferred, sources, reasoner, progress)
        except BaseException:
            shacl_job.cancel()
            raise
        (shacl, timings["shacl"]), extra = shacl_job.result()
        forked = fork and fork_fits()
        notes = None if forked else progress
        alone = fork and not forked
        say("checks" + (" (no second process: too little free memory)" if alone else ""))
        checks_job = _Job(lambda: _timed(check_report, sources, Path(root), notes), forked)
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
    checks, timings["checks"] = checks_job.result()
    return sources, merge(shacl, checks)


def entity_classes(ds: Dataset) -> tuple[int, list[tuple[str, int]]]:
    """Typed resources of the data graphs of an rdflib Dataset (`jjjkg.readers.stats` uses this):
    how many, and how many per asserted class. Same counts as `store_entity_classes`.
    """
    from rdflib import URIRef

    from jjjkg.core.terms import short

    members: dict[str, set] = {}
    skip = {SHAPES_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH}
    for s, _, o, g in ds.quads((None, URIRef(RDF_TYPE), None, None)):
        if str(g) not in skip and isinstance(s, URIRef):
            members.setdefault(short(o), set()).add(s)
    entities = set().union(*members.values()) if members else set()
    counts = sorted(((c, len(m)) for c, m in members.items()), key=lambda cm: (-cm[1], cm[0]))
    return len(entities), counts


def store_entity_classes(store: ox.Store) -> tuple[int, list[tuple[str, int]]]:
    """Typed resources (IRIs) of the data graphs of the build's store, in SPARQL."""
    from jjjkg.core.terms import short

    where = (
        f"GRAPH ?g {{ ?s <{RDF_TYPE}> ?c }} FILTER(isIRI(?s) "
        + "".join(f"&& ?g != <{g}> " for g in (SHAPES_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH))
        + ")"
    )
    per_class = store.query(f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {where} }} GROUP BY ?c")
    counts = sorted(
        ((short(c), int(n.value)) for c, n in per_class), key=lambda cm: (-cm[1], cm[0])
    )
    total = store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {where} }}")
    return int(next(iter(total))[0].value), counts


def _swap_in(tmp: Path, dist: Path) -> None:
    """Replace `dist` by `tmp` with two renames; the old dist/ is removed last."""
    old = None
    if dist.exists():
        old = dist.with_name(f".{dist.name}-old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.rename(dist, old)
    os.rename(tmp, dist)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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
    """
    started = time.perf_counter()
    root = check_root(Path(root))
    dist = Path(dist) if dist is not None else root / "dist"
    if dist.exists() and not dist.is_dir():
        raise BuildError(f"{dist}: exists and is not a directory")
    hashes = input_hashes(root)
    digest = input_digest(hashes)
    if not force:
        manifest = is_fresh(dist, digest, reasoner)
        if manifest is not None:
            return BuildResult(
                dist=dist,
                up_to_date=True,
                triples=manifest["triples"]["total"],
                elapsed=time.perf_counter() - started,
            )

    from jjjkg.core.rdfio import write_dataset, write_union
    from jjjkg.pipeline import describe
    from jjjkg.pipeline.validate import merge

    say = progress or (lambda _: None)
    timings: dict[str, float] = {}
    dist.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dist.name}-", suffix=".tmp", dir=dist.parent))
    checks_job = None
    try:
        os.chmod(tmp, 0o755)

        def write_asserted(sources: Sources) -> str | None:
            """jjjkg.ttl needs no reasoning: written beside SHACL, if SHACL passes."""
            return write_union(sources.asserted_lines(), tmp) if sources.quads else None

        sources, shacl, checks_job, union = prepare(
            root, timings, progress, reasoner, parallel, write_asserted
        )
        report = None
        if checks_job.pid is None or not shacl.conforms:  # checks done, or no need to write
            checks, timings["checks"] = checks_job.result()
            report = merge(shacl, checks)
            if not report.conforms:
                raise ValidationError(report)
        entities, classes = store_entity_classes(sources.store)
        facts = describe.collect(root, sources.store)  # version checked, dates, source
        asserted, inferred = sources.asserted_lines(), sources.inferred
        del sources  # the store is done with (in this process): free it before writing
        clock = time.perf_counter()
        say("write" + (" (checks alongside)" if report is None else ""))
        with _no_gc():
            written = write_dataset(asserted, inferred, tmp, progress, union)
        del asserted, inferred
        timings["write"] = time.perf_counter() - clock
        if report is None:
            say("checks: waiting for the check queries")
            checks, timings["checks"] = checks_job.result()
            report = merge(shacl, checks)
            if not report.conforms:
                raise ValidationError(report)
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
            from jjjkg.dist.dataset import load_built
            from jjjkg.readers.site import build_site

            build_site(load_built(tmp), tmp / "site", version=facts.version)
            site_files = sum(1 for p in (tmp / "site").rglob("*") if p.is_file())
            timings["site"] = time.perf_counter() - clock
        written.files[describe.DESCRIPTION] = describe.write_description(
            tmp, root, facts, total, entities, classes, written.files
        )

        manifest = {
            "tool": "jjjkg",
            "version": tool_version(),
            "input_digest": digest,
            "inputs": hashes,
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
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        (tmp / MANIFEST).write_text(text, encoding="utf-8")
        _swap_in(tmp, dist)
    except BaseException:
        if checks_job is not None:
            checks_job.cancel()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    files = list(written.files)
    order = ("load", "shacl", "reason", "checks", "write", "site")
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
