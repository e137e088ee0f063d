"""The complete rules registry, as the interfaces see it: every engine's rule modules imported.

Lives on the interface side because it imports the engines (law -> engines -> interfaces)."""

from __future__ import annotations

import importlib
import pkgutil

from asylumengine.law.rules import RULES, Rule

RULE_PACKAGES = ("asylumengine.routes.rules", "asylumengine.solidarity.rules", "asylumengine.sim.rules")


def load_all() -> dict[str, Rule]:
    """Import every engine's rule modules so the registry is complete."""
    for package in RULE_PACKAGES:
        try:
            mod = importlib.import_module(package)
        except ModuleNotFoundError:
            continue  # an engine without registered rules (yet)
        for info in pkgutil.walk_packages(mod.__path__, package + "."):
            importlib.import_module(info.name)
    return RULES
