"""The package tells the truth about its version: one source (asylumengine.__version__), shown by
`asylum --version`, installed as the package metadata, and the newest release in CHANGELOG.md."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import asylumengine
from test_routes_cli import asylum


def test_asylum_version_answers_from_the_package():
    out = asylum("--version")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"asylumengine {asylumengine.__version__}"


def test_version_matches_metadata_and_changelog():
    assert version("asylumengine") == asylumengine.__version__
    changelog = (Path(__file__).parents[1] / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, flags=re.M)
    assert released and released[0] == asylumengine.__version__, released[:1]
