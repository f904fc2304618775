"""Run validation beside the build: a function in a forked child process, its result read
back through a pipe, when the platform can fork and the child fits in the memory left."""

from __future__ import annotations

import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable

from jjjkg.core.errors import BuildError, JjjkgError
from jjjkg.core.procs import die_with_parent


class Job:
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
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: run, send the outcome, leave without any cleanup
            die_with_parent(parent)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
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
            pipe_fd, self.pipe = self.pipe, None  # the file object below owns and closes it
            with os.fdopen(pipe_fd, "rb") as pipe:
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
            if self.pipe is not None:
                os.close(self.pipe)
            self.pid, self.pipe = None, None


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
