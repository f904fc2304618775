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

import importlib.util
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jjjkg.errors import BuildError, ValidationError, ValidationReport
from jjjkg.sources import check_root, input_digest, input_hashes

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Dataset

    from jjjkg.sources import Sources

MANIFEST = "manifest.json"
OUTPUTS = ("jjjkg.trig", "jjjkg.nq", "jjjkg.ttl", "jjjkg-inferred.ttl", "jjjkg.jsonld")
SITE_MAX_TRIPLES = 100_000  # above this, no site/ (see the module doc)
DEFAULT_REASONER = "rules"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SHAPES_GRAPH = "https://w3id.org/jjjkg/resource/graph/shapes"
INFERRED_GRAPH = "https://w3id.org/jjjkg/resource/graph/inferred"
ONTOLOGY_GRAPH = "https://w3id.org/jjjkg/resource/graph/ontology"


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


def check(
    root: Path,
    timings: dict[str, float] | None = None,
    progress: Callable[[str], None] | None = None,
    reasoner: str = DEFAULT_REASONER,
) -> tuple[Sources, ValidationReport]:
    """Load, validate and reason: the sources with their inferred graph, and the report.

    Raises SourceError/QueryError on bad input; does not raise on violations.
    """
    from jjjkg.reason import REASONERS, ReasonerError, add_inferred
    from jjjkg.sources import load_sources

    if reasoner not in REASONERS:
        raise ReasonerError(f"unknown reasoner '{reasoner}' (choose from {', '.join(REASONERS)})")
    from jjjkg.validate import check_report, merge, shacl_report

    timings = {} if timings is None else timings
    say = progress or (lambda _: None)
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    say("load")
    sources = load_sources(Path(root), progress)
    lap("load")
    say(f"shacl: {sources.quads:,} asserted quads")
    shacl = shacl_report(sources, progress)
    lap("shacl")
    say("reason")
    add_inferred(sources, reasoner, progress)
    lap("reason")
    say("checks")
    checks = check_report(sources, Path(root), progress)
    lap("checks")
    return sources, merge(shacl, checks)


def entity_classes(ds: Dataset) -> tuple[int, list[tuple[str, int]]]:
    """Typed resources of the data graphs of an rdflib Dataset (`jjjkg.stats` uses this):
    how many, and how many per asserted class. Same counts as `store_entity_classes`.
    """
    from rdflib import URIRef

    from jjjkg.dataset import short

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
    from jjjkg.dataset import short

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
) -> BuildResult:
    """Build `dist/` from the project at `root`, unless it is already up to date.

    `progress`, if given, receives short one-line notes (stage, count, rate) as the build
    goes; `reasoner` is "rules" (fast, any size) or "owlrl" (the reference; small graphs).

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

    say = progress or (lambda _: None)
    timings: dict[str, float] = {}
    sources, report = check(root, timings, progress, reasoner)
    if not report.conforms:
        raise ValidationError(report)

    from jjjkg.write import write_dataset

    clock = time.perf_counter()
    dist.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dist.name}-", suffix=".tmp", dir=dist.parent))
    try:
        os.chmod(tmp, 0o755)
        say("write")
        written = write_dataset(sources.store, tmp, progress)
        entities, classes = store_entity_classes(sources.store)
        del sources  # the store is done with; free it before the site is built
        per_graph = written.graphs
        inferred = per_graph.get(INFERRED_GRAPH, 0)
        total = sum(per_graph.values())
        timings["write"] = time.perf_counter() - clock
        site_files, site_note = 0, ""
        if total > SITE_MAX_TRIPLES:
            site_note = (
                f"site/ skipped: {total:,} triples, more than a browser view can show "
                f"(limit {SITE_MAX_TRIPLES:,})"
            )
        elif importlib.util.find_spec("jjjkg.site") is not None:
            clock = time.perf_counter()
            say("site")
            from jjjkg.dataset import load_built
            from jjjkg.site import build_site

            build_site(load_built(tmp), tmp / "site")
            site_files = sum(1 for p in (tmp / "site").rglob("*") if p.is_file())
            timings["site"] = time.perf_counter() - clock

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
            "files": written.files,
            "site_files": site_files,
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        (tmp / MANIFEST).write_text(text, encoding="utf-8")
        _swap_in(tmp, dist)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    files = list(written.files)
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
