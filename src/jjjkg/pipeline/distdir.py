"""The output folder's safety: what a build may replace, one build at a time, no leftovers,
and one atomic swap.

- A build replaces only a folder jjjkg made: one holding the marker `.jjjkg-dist` and a
  jjjkg manifest (the default `ROOT/dist` may also be a build of older jjjkg, manifest only),
  or an empty folder. It never writes into the sources or above the project.
- One build per output folder at a time: an `flock` on the folder that holds it. The lock
  dies with its process, so whoever holds it knows every temporary folder of that output is
  a dead build's, and removes it.
- The swap is one step: `renameat2(RENAME_EXCHANGE)` trades the new folder and the old one
  atomically (Linux ≥ 3.15), and the old one is removed afterwards, from the temporary name.
  A kill at any moment leaves `dist/` the old or the new build, whole. Where the exchange is
  not available (another system, a file system without it), two renames remain, and a build
  that died between them is repaired by the next one (the old folder is put back).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from jjjkg.core.errors import BuildError, DistRefused
from jjjkg.core.project import MANIFEST, RDF_FOLDERS, read_manifest

MARKER = ".jjjkg-dist"
MARKER_TEXT = "Made by `jjjkg build`: the next build replaces this whole folder.\n"
SOURCE_FOLDERS = (*RDF_FOLDERS, "queries")
RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_target(root: Path, dist: Path, default: bool) -> None:
    """Raise DistRefused unless a build may write `dist` (see the module doc)."""
    root, where = root.resolve(), dist.resolve()
    for parent in dist.absolute().parents:
        if parent.exists() and not parent.is_dir():
            raise DistRefused(f"{dist}: cannot be created, {parent} is a file")
    if _inside(root, where):
        raise DistRefused(f"{dist}: refused, the folder holds the project {root}")
    for name in SOURCE_FOLDERS:
        if _inside(where, root / name):
            raise DistRefused(f"{dist}: refused, it is inside the sources ({name}/)")
    if not dist.exists() and not dist.is_symlink():
        return
    if not dist.is_dir():
        raise DistRefused(f"{dist}: exists and is not a directory")
    manifest = read_manifest(dist) or {}
    ours = manifest.get("tool") == "jjjkg" and "input_digest" in manifest
    if ours and ((dist / MARKER).is_file() or default):
        return
    if not any(dist.iterdir()):
        return
    raise DistRefused(
        f"{dist}: refused, not a folder jjjkg built (no {MARKER} and {MANIFEST}); "
        "give a new or empty folder"
    )


def _leftovers(dist: Path) -> Iterator[Path]:
    name = re.escape(dist.name)
    temporary = re.compile(rf"\.{name}-(\d+-)?[a-z0-9_]+\.tmp")
    for path in dist.parent.glob(f".{dist.name}-*"):
        if temporary.fullmatch(path.name):
            yield path


def remove_leftovers(dist: Path) -> list[Path]:
    """Remove what dead builds of `dist` left beside it (call with the lock held)."""
    removed = []
    for path in sorted(_leftovers(dist)):
        remove(path)
        removed.append(path)
    stranded = sorted(dist.parent.glob(f".{dist.name}-old-*"))
    for path in stranded:  # left by a two-rename swap that died between its renames
        if not dist.exists():
            os.rename(path, dist)
        else:
            remove(path)
        removed.append(path)
    return removed


@contextmanager
def locked(dist: Path, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the build lock of `dist`; wait (saying so to `waiting`) while another build has it.

    The lock is an `flock` on the folder that holds `dist` (so no lock file is left behind);
    builds of two outputs in one folder take turns too.
    """
    import fcntl

    fd = os.open(dist.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting(f"waiting for another build in {dist.parent}")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def prepared(dist: Path, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Make the folder of `dist`, hold its lock, and clear what dead builds left there."""
    try:
        dist.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise cannot_write(dist, error) from None
    with locked(dist, waiting):
        remove_leftovers(dist)
        yield


def make_temporary(dist: Path) -> Path:
    """A new temporary folder beside `dist`, named so a later build can tell it is one."""
    prefix = f".{dist.name}-{os.getpid()}-"
    tmp = Path(tempfile.mkdtemp(prefix=prefix, suffix=".tmp", dir=dist.parent))
    os.chmod(tmp, 0o755)
    (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    return tmp


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when the system cannot."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(tmp: Path, dist: Path) -> None:
    """Put `tmp` in the place of `dist` in one step, then remove the old build."""
    if not dist.exists():
        os.rename(tmp, dist)
        return
    if _exchange(tmp, dist):
        remove(tmp)  # now the old build
        return
    old = dist.with_name(f".{dist.name}-old-{os.getpid()}")
    os.rename(dist, old)
    os.rename(tmp, dist)
    remove(old)


def remove(path: Path) -> None:
    """Remove a folder (or a symlink to one: the link, not what it points to)."""
    if path.is_symlink():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def cannot_write(dist: Path, error: OSError) -> BuildError:
    """An OSError while writing the build (a full disk, no permission) as one line."""
    where = error.filename or dist
    return BuildError(f"{where}: {error.strerror or error} (the build was not written)")
