"""The fault suite: one case a file in tests/faults/ (TOML), each a small project change, a
command, its exit code and its message; run over the tiny project of `conftest`.

A case's keys: `command` (arguments of `jjjkg`, `{root}` the project), `exit`, `message` (the
last line of the output, exact), optional `files` (relative path → text written into the
project), `bytes` (relative path → hex), `remove`, `dirs`, `symlinks` (path → target),
`before` (commands run first), `lines` (lines the output must hold, exact), `absent` (text
the output must not hold). Every case also
asserts that no traceback is shown and, when it fails, that no source file changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tomllib
from click.testing import CliRunner
from conftest import write_project

from jjjkg.cli import cli

CASES = sorted((Path(__file__).parent / "faults").glob("*.toml"))


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and "dist" not in p.relative_to(root).parts[:1]
    }


def prepare(root: Path, case: dict) -> None:
    write_project(root)
    write_project(root, case.get("files", {}))
    for rel, data in case.get("bytes", {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(bytes.fromhex(data))
    for rel in case.get("remove", []):
        (root / rel).unlink()
    for rel in case.get("dirs", []):
        (root / rel).mkdir(parents=True)
    for rel, target in case.get("symlinks", {}).items():
        (root / rel).symlink_to(target)


def arguments(command: list[str], root: Path) -> list[str]:
    return [part.replace("{root}", str(root)) for part in command]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fault(path: Path, tmp_path: Path, monkeypatch):
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    root = tmp_path / "project"
    prepare(root, case)
    monkeypatch.chdir(root)
    runner = CliRunner()
    for command in case.get("before", []):
        done = runner.invoke(cli, arguments(command, root))
        assert done.exit_code == 0, done.output
    before = snapshot(root)
    result = runner.invoke(cli, arguments(case["command"], root))
    output = result.output.replace(str(root), "{root}")
    assert "Traceback" not in output
    assert result.exit_code == case["exit"], output
    last = [line for line in output.splitlines() if line.strip()][-1]
    assert last == case["message"]
    for line in case.get("lines", []):
        assert line in output.splitlines()
    for text in case.get("absent", []):
        assert text not in output
    if case["exit"] != 0:
        assert snapshot(root) == before, "a failing command changed the project"


def test_every_class_has_cases():
    """The suite covers each class of issue 11 (the case names start with it)."""
    classes = {path.stem.split("-", 1)[0] for path in CASES}
    assert classes >= {"dist", "service", "serve", "literal", "input", "error", "terminal"}
