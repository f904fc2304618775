"""The package's layers and the one direction of imports between them:
core ← pipeline ← dist ← readers ← cli (and the public API in jjjkg/__init__)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "jjjkg"
LAYERS = {"core": 0, "pipeline": 1, "dist": 2, "readers": 3}
TOP = 4  # cli.py, __init__.py, __main__.py
# The build's last stage writes the site, a reader of what it has just built.
ALLOWED = {("jjjkg.pipeline.build", "jjjkg.readers.site")}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.get(parts[1], TOP) if len(parts) > 1 else TOP


def imports(path: Path) -> set[str]:
    """Every jjjkg module `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("jjjkg"):
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(
                    name
                    if (PACKAGE.parent / name.replace(".", "/")).exists()
                    or (PACKAGE.parent / (name.replace(".", "/") + ".py")).exists()
                    else node.module
                )
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("jjjkg"))
    return found


def test_imports_run_one_way():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = module_name(path)
        for target in sorted(imports(path)):
            if layer(target) > layer(source) and (source, target) not in ALLOWED:
                wrong.append(f"{source} imports {target}")
    assert wrong == []


def test_every_module_is_in_a_layer():
    loose = [module_name(p) for p in PACKAGE.glob("*.py")]
    assert sorted(loose) == ["jjjkg", "jjjkg.__main__", "jjjkg.cli"]
