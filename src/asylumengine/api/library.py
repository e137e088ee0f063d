"""The shipped example cases and scenarios the API and the web app offer.

They live in the repository (``examples/cases``, ``scenarios``); ``ASYLUM_EXAMPLES`` and
``ASYLUM_SCENARIOS`` point elsewhere. Without a checkout only the packaged baseline remains.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import yaml

from asylumengine.sim.scenario import packaged

ROOT = Path(__file__).resolve().parents[3]
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")


def examples_dir() -> Path:
    return Path(os.environ.get("ASYLUM_EXAMPLES", ROOT / "examples" / "cases"))


def scenarios_dir() -> Path:
    return Path(os.environ.get("ASYLUM_SCENARIOS", ROOT / "scenarios"))


def _files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.yaml")) if _ID.match(p.stem)}


def example_files() -> dict[str, Path]:
    return _files(examples_dir())


def scenario_files() -> dict[str, Path]:
    """Scenario id -> file; the packaged baseline when no scenarios folder is there."""
    found = _files(scenarios_dir())
    return found or {"baseline": packaged("baseline")}


@lru_cache(maxsize=64)
def _first_comment(path: Path, mtime: float) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    return " ".join(line.lstrip("# ").strip() for line in lines[:3] if line.startswith("#")).strip()


def example_summary(name: str, path: Path) -> dict:
    """Name, the file's opening comment (what it shows), and its expected answer if it has one."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {"id": name, "title": raw.get("title") or _first_comment(path, path.stat().st_mtime),
            "expect": {k: str(v) for k, v in (raw.get("expect") or {}).items()}}  # fmt: skip
