"""The project on disk: its input files and their hashes, the files of dist/, the manifest,
and the one freshness test (is dist/ built from exactly these inputs and this code?).

Standard library only, so the no-op build and every reader decide freshness without
importing rdflib or pyoxigraph.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from jjjkg.core.errors import SourceError
from jjjkg.core.registry import DEFAULT_REASONER

# The files the build writes into dist/ (the site and the manifest aside).
NQ, TRIG, TTL, INFERRED_TTL, JSONLD = (
    "jjjkg.nq",
    "jjjkg.trig",
    "jjjkg.ttl",
    "jjjkg-inferred.ttl",
    "jjjkg.jsonld",
)
RDF_OUTPUTS = (TRIG, NQ, TTL, INFERRED_TTL, JSONLD)
MANIFEST = "manifest.json"
DESCRIPTION = "void.ttl"  # the data set's VoID/DCAT description
SITE = "site"
NAMES = "names.tsv"  # the resolver's index of every resource's names (`jjjkg.core.names`)
HASHING = ".jjjkg-hashing.json"  # the stat of each file the build hashed (`hash_files`)
STORE = "store"  # the on-disk Oxigraph store (`jjjkg.pipeline.persist`); "store/" in the manifest

RDF_FOLDERS = ("ontology", "graph")
CHECKS_FOLDER = "queries/checks"
SHAPES_FILE = "ontology/shapes.ttl"
# Inputs that are not data: the data set's version and the shapes of its description
# (`jjjkg.pipeline.describe` reads both); hashed with the inputs, never parsed as data.
VERSION_FILE = "graph/VERSION"
DESCRIPTION_SHAPES_FILE = "ontology/dataset-shapes.ttl"
NOT_DATA = (VERSION_FILE, DESCRIPTION_SHAPES_FILE)
# Files that may sit next to the data without being data.
IGNORED_SUFFIXES = {".md", ".txt"}


def check_root(root: Path) -> Path:
    """Return `root` if it looks like a jjjkg project, else raise SourceError."""
    if not root.is_dir():
        raise SourceError("no such directory", str(root))
    if not any((root / folder).is_dir() for folder in RDF_FOLDERS):
        raise SourceError("not a jjjkg project (no ontology/ or graph/ folder)", str(root))
    return root


def _walk(folder: Path) -> Iterable[Path]:
    if not folder.is_dir():
        return []
    return (
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def rdf_files(root: Path) -> list[Path]:
    """The RDF input files under ontology/ and graph/, sorted by relative path."""
    files = [
        path
        for folder in RDF_FOLDERS
        for path in _walk(root / folder)
        if path.suffix not in IGNORED_SUFFIXES and relative(path, root) not in NOT_DATA
    ]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def check_files(root: Path) -> list[Path]:
    """The check queries `queries/checks/*.rq` (files, not folders so named), sorted by name."""
    folder = root / CHECKS_FOLDER
    return sorted(p for p in folder.glob("*.rq") if p.is_file()) if folder.is_dir() else []


def skipped_inputs(root: Path) -> list[tuple[str, str]]:
    """Input-like paths the build cannot read: (relative path, why), to warn about.

    A dangling symlink, or a folder named like a data file (`x.trig`) or a query (`x.rq`).
    """
    found = []
    for folder in (*RDF_FOLDERS, CHECKS_FOLDER):
        base = root / folder
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            if any(part.startswith(".") for part in path.relative_to(base).parts):
                continue
            if path.is_symlink() and not path.exists():
                found.append((relative(path, root), "a dangling symlink, skipped"))
            elif path.is_dir() and path.suffix in (".ttl", ".trig", ".rq"):
                found.append((relative(path, root), "a folder, not a file: skipped"))
    return sorted(found)


def read_text(path: Path, rel: str) -> str:
    """A UTF-8 input file's text; SourceError (one line) if unreadable or not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror}", rel) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError("not UTF-8 text", rel, line) from None


def input_files(root: Path) -> list[Path]:
    """Every file whose content decides the build output."""
    extra = [root / rel for rel in NOT_DATA if (root / rel).is_file()]
    return rdf_files(root) + extra + check_files(root)


def relative(path: Path, root: Path) -> str:
    """`path` relative to `root`, with forward slashes (as error messages show it)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# A file whose ctime is this close to when its stat was recorded may have changed again
# within the same clock tick, unseen by its stat: its recorded hash is not reused.
SETTLED_NS = 1_000_000_000


class Hashes(dict):
    """sha256 of each file, keyed by name; `stats` the stat of each (size, mtime, ctime,
    inode), taken before it was hashed, at `stamp` (ns since the epoch)."""

    def __init__(self, hashes: dict[str, str], stats: dict[str, list[int]], stamp: int):
        super().__init__(hashes)
        self.stats, self.stamp = stats, stamp

    def record(self) -> dict:
        """What a manifest keeps so the next `hash_files` may skip unchanged files."""
        return {"hashes": dict(self), "stats": self.stats, "stamp": self.stamp}


def hash_files(files: dict[str, Path], known: dict | None = None) -> Hashes:
    """sha256 of each of `files` (name → path).

    `known` is the `Hashes.record()` of an earlier call: a file whose stat is the one recorded
    there, and whose ctime was more than `SETTLED_NS` older than that record, keeps its
    recorded hash without being read. ctime moves on every write and every change of the
    mtime, so a file changed and its mtime put back still counts as changed. Saves reading
    every input in every reader process (0.16 s at 1M triples).
    """
    import time

    known = known if isinstance(known, dict) else {}
    old_hashes, old_stats, stamp = known.get("hashes"), known.get("stats"), known.get("stamp")
    if not (isinstance(old_hashes, dict) and isinstance(old_stats, dict) and type(stamp) is int):
        old_hashes, old_stats, stamp = {}, {}, 0  # none, or not one a build wrote: read all
    settled = stamp - SETTLED_NS
    stamp = time.time_ns()
    hashes: dict[str, str] = {}
    stats: dict[str, list[int]] = {}
    for name, path in files.items():
        st = path.stat()
        stat = stats[name] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        if name in old_hashes and old_stats.get(name) == stat and stat[2] < settled:
            hashes[name] = old_hashes[name]
        else:
            hashes[name] = sha256(path)
    return Hashes(hashes, stats, stamp)


def input_hashes(root: Path, hashing: dict | None = None) -> Hashes:
    """sha256 of each input file, keyed by relative path (a file unchanged since the build
    that wrote `hashing`, `read_hashing(dist)`, is not read again: `hash_files`)."""
    files = {relative(path, root): path for path in input_files(root)}
    return hash_files(files, (hashing or {}).get("inputs"))


def code_hashes(hashing: dict | None = None) -> Hashes:
    """sha256 of each of the jjjkg package's own files (as `input_hashes`)."""
    import os

    package = Path(__file__).parent.parent
    files = {}
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        rel = Path(folder).relative_to(package).as_posix()
        for name in names:
            if not name.endswith(".pyc"):
                files[name if rel == "." else f"{rel}/{name}"] = Path(folder, name)
    return hash_files(files, (hashing or {}).get("code"))


def write_hashing(folder: Path, inputs: Hashes, code: Hashes) -> None:
    """`HASHING` in `folder`: what lets readers skip reading unchanged files. Stats are this
    machine's (inodes, times), so they are kept apart from the manifest, whose bytes the
    sources alone decide."""
    record = {"inputs": inputs.record(), "code": code.record()}
    (Path(folder) / HASHING).write_text(json.dumps(record, sort_keys=True), encoding="utf-8")


def read_hashing(dist: Path) -> dict:
    """The `HASHING` record of a built dist/ ({} when there is none or it is unreadable)."""
    try:
        record = json.loads((Path(dist) / HASHING).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def input_digest(hashes: dict[str, str], code: dict[str, str] | None = None) -> str:
    """One sha256 over the input hashes and the package code's (new code means a new build)."""
    code = code_hashes() if code is None else code
    digest = hashlib.sha256()
    for name, value in sorted(hashes.items()):
        digest.update(f"{name}\0{value}\n".encode())
    for name, value in sorted(code.items()):
        digest.update(f"code/{name}\0{value}\n".encode())
    return digest.hexdigest()


_manifests: dict[tuple, dict] = {}


def read_manifest(dist: Path) -> dict | None:
    """The manifest of a built dist/, or None when there is none (or it is unreadable).

    Read once per process while the file stays the same (a build swaps in a new one): at 1M
    triples it is 2.6 MB, 20 ms to parse, and a reader needs it twice. Shared: do not change it.
    """
    path = Path(dist) / MANIFEST
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_ino, st.st_mtime_ns, st.st_size)
        if key not in _manifests:
            _manifests.clear()
            _manifests[key] = json.loads(path.read_text(encoding="utf-8"))
        return _manifests[key]
    except (OSError, ValueError):
        return None


def is_fresh(
    dist: Path, digest: str, reasoner: str = DEFAULT_REASONER, manifest: dict | None = None
) -> dict | None:
    """The manifest of `dist` if it was built from exactly these inputs (content hashes,
    `input_digest`) with this reasoner and every file it lists is there; else None.
    `manifest`: the manifest of `dist`, if read already."""
    manifest = read_manifest(dist) if manifest is None else manifest
    if not manifest or manifest.get("input_digest") != digest:
        return None
    if manifest.get("reasoner", DEFAULT_REASONER) != reasoner:
        return None
    for name in manifest.get("files", {}):
        path = Path(dist) / name
        if not (path.is_dir() if name.endswith("/") else path.is_file()):
            return None
    if manifest.get("site_files") and not (Path(dist) / SITE).is_dir():
        return None
    return manifest


def tool_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jjjkg")
    except PackageNotFoundError:
        return "0+unknown"
