"""The manifest every result carries, so it can be cited and reproduced (PolicyEngine's lesson:
results pinned to code and data versions).

    >>> manifest(inputs={"scenario": "baseline", "years": 10}, seed=1)
    {'code_version': '0.1.0', 'law_hash': 'sha256:…', 'data_hash': 'sha256:…', 'seed': 1, 'inputs': {...}}

Deterministic: no clock in it, so the same inputs give the same manifest (and the same bits).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from typing import Any

import asylumengine


def _tree_hash(package: str, folder: str) -> str:
    """sha256 over the names and bytes of every file in a package folder, in name order."""
    h = hashlib.sha256()
    root = resources.files(package) / folder
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.is_file():
            h.update(entry.name.encode())
            h.update(entry.read_bytes())
    return "sha256:" + h.hexdigest()


@lru_cache(maxsize=1)
def law_hash() -> str:
    """Hash of the dated law parameters (``law/params/*.yaml``)."""
    return _tree_hash("asylumengine.law", "params")


@lru_cache(maxsize=1)
def data_hash() -> str:
    """Hash of the shipped sourced figures (``data/files``)."""
    return _tree_hash("asylumengine.data", "files")


def manifest(inputs: dict[str, Any] | None = None, seed: int | None = None) -> dict[str, Any]:
    """Code version, law and data hashes, the seed and the inputs of a result."""
    return {
        "code_version": asylumengine.__version__,
        "law_hash": law_hash(),
        "data_hash": data_hash(),
        "seed": seed,
        "inputs": inputs or {},
    }
