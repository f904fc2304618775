"""Writing a file the user named (`export -o`, `viz -o`): whole, or not at all.

The bytes go to a temporary file beside the target, which then replaces it in one rename:
a full disk or an interrupted write leaves the user's old file as it was, never half of the
new one. No folder is made: a missing one is an error, as a mistyped path should be.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from jjjkg.core.errors import JjjkgError


def write_file(path: Path | str, data: bytes) -> Path:
    """Write `data` to `path` atomically; a one-line JjjkgError naming the file otherwise."""
    path = Path(path)
    target = path.resolve() if path.is_symlink() else path  # write through a link, keep it
    try:
        mode = target.stat().st_mode & 0o7777 if target.exists() else _default_mode()
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise JjjkgError(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as error:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise JjjkgError(f"cannot write {path}: {error.strerror}") from None
        raise
    return path


def _default_mode() -> int:
    """What a new file gets from open(): 0o666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
