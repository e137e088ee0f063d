"""Dependencies point one way: law + data -> engines -> interfaces."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "asylumengine"
LAYER = {"law": 0, "data": 0, "io": 0, "solidarity": 1, "routes": 1, "sim": 1, "cli": 2, "api": 2, "web": 2, "reports": 2, "store": 2}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("asylumengine."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("asylumengine."))
    return found


@pytest.mark.parametrize("package", sorted(p.name for p in SRC.iterdir() if p.is_dir() and p.name in LAYER))
def test_no_import_points_upward(package):
    for path in (SRC / package).rglob("*.py"):
        for target in imports(path):
            if target in LAYER:
                assert LAYER[target] <= LAYER[package], f"{path.relative_to(SRC)} imports {target}"
                if LAYER[package] == 1 and LAYER[target] == 1:
                    assert target == package or target in ("solidarity", "routes"), f"{path} imports engine {target}"
