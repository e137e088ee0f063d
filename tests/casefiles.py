"""Loader for the YAML case files in tests/cases/: each case has a name, an article, the facts
given, and the expected answer (or expected error), so a lawyer can read and write them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

CASES = Path(__file__).parent / "cases"


def load(folder: str, kind: str) -> list:
    """pytest params for every case of ``kind`` in tests/cases/<folder>/*.yaml."""
    params = []
    for path in sorted((CASES / folder).glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if doc.get("kind") != kind:
            continue
        for case in doc["cases"]:
            assert case.get("article"), f"{path.name}: case '{case['name']}' has no article"
            params.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return params


_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+|[A-Za-z_][A-Za-z0-9_]*")


def evaluate(expr: str, resolve) -> float:
    """'= states.NL.reference_eur / 2' -> a number; dotted names are looked up with ``resolve``."""
    body = expr.lstrip("=").strip()
    names: dict[str, object] = {}

    def sub(m: re.Match) -> str:
        key = f"_v{len(names)}"
        names[key] = resolve(m.group(0))
        return key

    return eval(_PATH.sub(sub, body), {"__builtins__": {}}, names)  # noqa: S307 - test-only, own files


def check(actual, expected, resolve, where: str) -> None:
    if isinstance(expected, str) and expected.startswith("="):
        expected = evaluate(expected, resolve)
    if isinstance(expected, dict) and "value" in expected:
        assert actual == pytest.approx(expected["value"], abs=expected["tolerance"]), where
    elif isinstance(expected, bool) or expected is None:
        assert actual is expected, f"{where}: {actual!r} != {expected!r}"
    elif isinstance(expected, (int, float)):
        assert actual == pytest.approx(expected, rel=1e-9, abs=0.01), f"{where}: {actual!r} != {expected!r}"
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"
