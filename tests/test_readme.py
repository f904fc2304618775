"""Every `$ jjjkg …` example in the README runs, and prints what the README shows.

The examples run in README order, in one clone of the repository's committed state (so `dist/`,
`-o FILE`, `--against REV` and `../shared/seeds/…` mean what they mean in a checkout), through
bash with the package's console scripts first on PATH. What may differ from run to run is
masked: build and stage timings. A line `…` alone in an example stands for any number of lines.
A command ending in `&` starts in the background (stopped at the end of its block); an example
whose output holds `^C` is interrupted there, as a user's Ctrl-C would.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO

README = REPO / "README.md"
BIN = Path(sys.executable).parent
TIMINGS = [
    (re.compile(r"in \d+\.\d+ s \([^)]*\)"), "in <time>"),
    (re.compile(r"\b\d+\.\d+ s\b"), "<secs> s"),
]


def examples(text: str) -> list[list[tuple[str, list[str]]]]:
    """The README's code blocks that hold `$ ` commands: per block, (command, output lines)."""
    blocks = []
    for body in re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.S | re.M):
        steps: list[tuple[str, list[str]]] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif steps:
                steps[-1][1].append(line)
        if any(command.startswith("jjjkg ") for command, _ in steps):
            blocks.append(steps)
    return blocks


def masked(line: str) -> str:
    for pattern, mask in TIMINGS:
        line = pattern.sub(mask, line)
    return line.rstrip()


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line after masking; a line `…` alone matches any run of lines. Blank lines at
    the end (the README's space between two commands) do not count."""
    while expected and not expected[-1].strip():
        expected = expected[:-1]
    while actual and not actual[-1].strip():
        actual = actual[:-1]
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head.strip() == "…":
        return any(matches(rest, actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and masked(head) == masked(actual[0]) and matches(rest, actual[1:])


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A clone of the repository beside a link to shared/, as a fresh checkout has it."""
    return clone(tmp_path_factory.mktemp("readme"))


def clone(top: Path) -> Path:
    copy = top / "main"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(copy)], check=True)
    if (REPO.parent / "shared").is_dir():
        (top / "shared").symlink_to(REPO.parent / "shared")
    return copy


def shell(command: str, cwd: Path, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "COLUMNS": "200"}
    env.pop("JJJKG_ROOT", None)
    return subprocess.Popen(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        **kwargs,
    )


def interrupted(command: str, cwd: Path, before: list[str]) -> list[str]:
    """Run a server, wait until it has printed `before`, press Ctrl-C, read the rest."""
    process = shell(command, cwd)
    lines: list[str] = []
    deadline = time.monotonic() + 60
    while len(lines) < len(before) and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
    os.killpg(process.pid, signal.SIGINT)
    rest, _ = process.communicate(timeout=30)
    return lines + rest.splitlines()


def wait_for_port(command: str, seconds: float = 20) -> None:
    """Wait until the port the command talks to (its URL's, or its --port) answers."""
    import socket
    from urllib.parse import urlsplit

    url = re.search(r"https?://\S+", command)
    port = re.search(r"--port (\d+)", command)
    if url:
        parts = urlsplit(url.group(0))
        host, number = parts.hostname, parts.port or 80
    elif port:
        host, number = "127.0.0.1", int(port.group(1))
    else:
        return
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex((host, number)) == 0:
                return
        time.sleep(0.1)


def output_of(command: str, cwd: Path, seconds: float = 300) -> list[str]:
    """The command's output lines; a command still running after `seconds` is stopped."""
    process = shell(command, cwd)
    try:
        output, _ = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output = process.communicate()[0] + f"\n(still running after {seconds:g} s)"
    return output.splitlines()


BLOCKS = examples(README.read_text(encoding="utf-8"))


def test_the_readme_has_examples():
    assert sum(len(block) for block in BLOCKS) >= 20


@pytest.mark.parametrize("number", range(len(BLOCKS)))
def test_readme_example(number, checkout):
    background = []
    try:
        for command, expected in BLOCKS[number]:
            command = re.sub(r"\s+#.*$", "", command)
            if "../shared/" in command and not (REPO.parent / "shared").is_dir():
                pytest.skip("the article is not beside the repository (../shared/)")
            if command.endswith("&"):
                background.append(shell(command[:-1], checkout))
                continue
            if background:
                wait_for_port(command)
            if any("^C" in line for line in expected):
                cut = next(i for i, line in enumerate(expected) if "^C" in line)
                actual = interrupted(command, checkout, expected[:cut])
                expected = [line.replace("^C", "") for line in expected]
            else:
                actual = output_of(command, checkout)
            assert matches(expected, actual), (
                f"$ {command}\n--- README\n"
                + "\n".join(expected)
                + "\n--- actual\n"
                + "\n".join(actual)
            )
    finally:
        for process in background:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
