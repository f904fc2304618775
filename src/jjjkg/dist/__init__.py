"""The only code that opens dist/: find it built and fresh (building it when a source
changed), and check it holds what a reader needs. `dataset` is its rdflib view, `store`
its read-only Oxigraph view.

The freshness test is the build's own (`core.project.is_fresh`: the content hashes of every
input and of the package code against the manifest), so a reader and `jjjkg build` always
agree on whether dist/ is current.
"""

from __future__ import annotations

from pathlib import Path

from jjjkg.core.errors import NotBuilt
from jjjkg.core.project import (
    INFERRED_TTL,
    MANIFEST,
    NAMES,
    NQ,
    TTL,
    check_root,
    code_hashes,
    input_digest,
    input_hashes,
    is_fresh,
    read_hashing,
)

READ_FILES = (NQ, TTL, INFERRED_TTL, MANIFEST, NAMES)  # what every reader may open


def ensure_built(root: Path, dist: Path | None = None) -> Path:
    """dist/ of the project at `root`, built first if it is missing or stale.

    A folder named by the caller (`dist`, `--dist DIR`) is built into only if it exists: a
    reader never makes a folder out of a mistyped path (`jjjkg build --dist DIR` does).
    """
    root = check_root(Path(root))
    if dist is not None and not Path(dist).exists():
        raise NotBuilt(dist, f"no such folder; `jjjkg build --dist {dist}` makes a build there")
    dist = Path(dist) if dist is not None else root / "dist"
    hashing = read_hashing(dist)
    digest = input_digest(input_hashes(root, hashing), code_hashes(hashing))
    if is_fresh(dist, digest) is None:
        from jjjkg.pipeline.build import build

        dist = build(root, dist).dist
    return require(dist)


def require(dist: Path, files: tuple[str, ...] = READ_FILES) -> Path:
    """`dist` if it holds `files`, else NotBuilt (the one "dist/ is missing" error)."""
    dist = Path(dist)
    for name in files:
        if not (dist / name).is_file():
            raise NotBuilt(dist)
    return dist
