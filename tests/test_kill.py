"""Faults at the process level: kill -9 at several moments of a build, Ctrl-C and SIGTERM,
two builds at once, and a server that never outlives `jjjkg serve`.

The corpus is generated (benchmarks/scale.py) big enough that a build lasts seconds and runs
its validation in forked children; its slowest check query is left out to keep the suite
under a minute.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import REPO, write_project

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux processes")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import scale

    root = tmp_path_factory.mktemp("corpus") / "project"
    scale.generate(60_000, root)
    shutil.copy(REPO / "graph" / "VERSION", root / "graph" / "VERSION")
    return root


def start(args: list[str], root: Path, token: str) -> subprocess.Popen:
    env = {**os.environ, "JJJKG_TEST_TOKEN": token}
    return subprocess.Popen(
        args, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def build_process(root: Path, token: str) -> subprocess.Popen:
    """A forced build with validation in forked children (as big graphs have it)."""
    code = "from jjjkg.pipeline.build import build; build('.', force=True, parallel=True)"
    return start([sys.executable, "-c", code], root, token)


def survivors(token: str) -> list[int]:
    """Processes still running with this test's token in their environment."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if f"JJJKG_TEST_TOKEN={token}".encode() in environ.split(b"\0"):
                found.append(int(entry.name))
    return found


def no_survivors(token: str, seconds: float = 3.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := survivors(token)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def whole(dist: Path) -> bool:
    """dist/ holds a complete build: its manifest, and every file it lists, unchanged."""
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    return all(
        hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest
        for name, digest in manifest["files"].items()
        if not name.endswith("/")  # a folder (the store) is listed by what it was loaded from
    )


def temporaries(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".dist-"))


def test_kill_9_at_any_moment_leaves_dist_whole(corpus):
    """kill -9 while loading, validating in children, writing and swapping: dist/ is always
    the old or the new build, no child lives on, the next build leaves no temporary folder."""
    token = uuid.uuid4().hex
    started = time.monotonic()
    first = build_process(corpus, token)
    assert first.wait() == 0, first.stderr.read()
    full = time.monotonic() - started
    assert whole(corpus / "dist")
    for fraction in (0.15, 0.4, 0.65, 0.9):
        process = build_process(corpus, token)
        time.sleep(full * fraction)
        process.kill()
        process.wait()
        assert no_survivors(token) == [], f"a child outlived the build killed at {fraction}"
        assert whole(corpus / "dist"), f"dist/ broken by a kill at {fraction}"
    last = build_process(corpus, token)
    assert last.wait() == 0, last.stderr.read()
    assert whole(corpus / "dist")
    assert temporaries(corpus) == []


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupted_build_exits_cleanly(corpus, signum, code):
    """Ctrl-C (or SIGTERM) during a build: one line, exit 130 (143), no temporary folder,
    the previous dist/ whole."""
    token = uuid.uuid4().hex
    if not (corpus / "dist" / "manifest.json").is_file():  # run alone: a dist/ to keep
        assert build_process(corpus, token).wait() == 0
    process = start([sys.executable, "-m", "jjjkg", "build", "--force"], corpus, token)
    time.sleep(2.5)
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == code
    assert err == ("Interrupted.\n" if code == 130 else "Terminated.\n")
    assert temporaries(corpus) == []
    assert no_survivors(token) == []
    assert whole(corpus / "dist")


def test_two_builds_take_turns(tmp_path):
    """Two builds of one root at once: the second waits, then finds dist/ up to date."""
    root = write_project(tmp_path / "project")
    token = uuid.uuid4().hex
    runs = [start([sys.executable, "-m", "jjjkg", "build"], root, token) for _ in range(2)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    firsts = sorted(out.split(" ", 1)[0] for out in outputs)
    assert firsts == ["Built", "dist/"], outputs
    assert "is up to date" in [out for out in outputs if out.startswith("dist/")][0]


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(n) for n in path.read_text().split()] if path.exists() else []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_process(root: Path, port: int, token: str) -> tuple[subprocess.Popen, int]:
    process = start(
        [sys.executable, "-m", "jjjkg", "serve", "--port", str(port), "--timeout", "5"], root, token
    )
    assert process.stdout.readline().startswith("Serving"), process.stderr.read()
    (server,) = children(process.pid)
    return process, server


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGHUP, signal.SIGTERM, signal.SIGQUIT])
def test_server_dies_with_serve(tmp_path, signum):
    """However `jjjkg serve` ends, the Oxigraph server ends with it."""
    root = write_project(tmp_path / "project")
    subprocess.run([sys.executable, "-m", "jjjkg", "build"], cwd=root, check=True)
    token = uuid.uuid4().hex
    process, server = serve_process(root, free_port(), token)
    assert "--timeout-s" in Path(f"/proc/{server}/cmdline").read_text()
    process.send_signal(signum)
    process.wait(timeout=20)
    assert no_survivors(token) == []


def test_restart_right_after_a_stop_with_a_client_connected(tmp_path):
    """The port is free again at once after a stop, though a client held a connection."""
    import http.client

    root = write_project(tmp_path / "project")
    subprocess.run([sys.executable, "-m", "jjjkg", "build"], cwd=root, check=True)
    port, token = free_port(), uuid.uuid4().hex
    process, _ = serve_process(root, port, token)
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    client.request("GET", "/query?query=ASK%7B%7D", headers={"Accept": "application/json"})
    assert client.getresponse().read()
    process.send_signal(signal.SIGINT)
    process.wait(timeout=20)
    again, _ = serve_process(root, port, token)
    again.send_signal(signal.SIGINT)
    assert again.wait(timeout=20) == 0
    client.close()
    assert no_survivors(token) == []
