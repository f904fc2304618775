"""Serve the built dataset read-only over the SPARQL protocol with the Oxigraph server.

The server is an existing engine (the `oxigraph` package), not one of ours: this module only
starts it on loopback over the build's store `dist/store/` and stops it cleanly. No
`--union-default-graph` (a bag: a triple in two graphs would count twice): the store's
default graph is already the set union the local queries see.

The server never outlives `jjjkg serve`: it runs in its own process group (a terminal's
Ctrl-C reaches this process alone, which stops the server and waits for it), every catchable
signal that would end this process stops it the same way, and on Linux the kernel kills it
when this process dies of anything else (`PR_SET_PDEATHSIG`, e.g. kill -9). The server runs
SERVICE clauses (it sends the request and returns the reply): keep it on loopback.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from jjjkg.core.errors import NotBuilt, ServiceError
from jjjkg.core.procs import child_setup
from jjjkg.core.project import STORE
from jjjkg.dist import require


def oxigraph_binary() -> str:
    """The `oxigraph` executable installed beside this Python, else the one on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise ServiceError("the oxigraph server is not installed (pip install oxigraph)")
    return found


def prepare_store(dist: Path) -> Path:
    """The build's own on-disk store, `dist/store/` (`jjjkg.pipeline.persist`): its default
    graph is already the set union of the asserted and inferred triples, and the data set's
    description is in the graph `jgraph:dataset`."""
    store = require(dist) / STORE
    if not store.is_dir():
        raise NotBuilt(dist)
    return store


def check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        # As the server does: a port whose last connections wait out TIME_WAIT is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as err:
            raise ServiceError(f"cannot listen on {host}:{port}: {err.strerror}") from None


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            message = (process.stderr.read() if process.stderr else "").strip().splitlines()
            raise ServiceError(f"the oxigraph server stopped: {message[-1] if message else ''}")
        try:
            with urllib.request.urlopen(url + "/", timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    process.terminate()
    raise ServiceError(f"the oxigraph server did not answer at {url} within {seconds:.0f} s")


def start(
    dist: Path, host: str = "127.0.0.1", port: int = 7878, timeout: int = 30
) -> tuple[subprocess.Popen, str]:
    """Start a read-only Oxigraph server over the built dataset; return the process and its URL.

    `timeout`: seconds a query may run before the server stops it."""
    store = prepare_store(dist)
    check_port_free(host, port)
    process = subprocess.Popen(
        [
            oxigraph_binary(),
            "serve-read-only",
            "--location",
            str(store),
            "--bind",
            f"{host}:{port}",
            "--timeout-s",
            str(timeout),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        process_group=0,
        preexec_fn=child_setup(),
    )
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}"
    _wait_until_up(url, process, seconds=30)
    return process, url


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


# The signals whose default action ends this process and that a handler can catch.
STOP_SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM")
    if hasattr(signal, name)
)


def serve_forever(
    dist: Path, host: str, port: int, on_ready: Callable[[str], None], timeout: int = 30
) -> None:
    """Run the server until it exits or is interrupted (Ctrl-C, SIGTERM as from `kill` or a
    service manager, SIGHUP when the terminal closes, ...); always stop the child process."""
    process, url = start(dist, host, port, timeout)
    previous = {number: signal.signal(number, _interrupt) for number in STOP_SIGNALS}
    try:
        on_ready(url)
        process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop(process)
        for number, handler in previous.items():
            signal.signal(number, handler)
