"""Child processes that never outlive their parent.

On Linux, `prctl(PR_SET_PDEATHSIG, SIGKILL)` makes the kernel kill a child when its parent
dies, however it dies (kill -9 included); elsewhere this is a no-op and the parent's own
cleanup is all there is.
"""

from __future__ import annotations

import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a freshly forked child of `parent`: be killed when the parent dies."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def child_setup():
    """A `preexec_fn` for subprocess.Popen: the child dies with this process."""
    parent = os.getpid()
    return lambda: die_with_parent(parent)
