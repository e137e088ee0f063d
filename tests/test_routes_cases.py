"""Runs the lawyer-readable route cases in tests/cases/routes/*.yaml.

Each file has a `base` case; each case overrides part of it (mappings merge, lists replace)
and states the expected answer with the article it comes from. Keys:
  responsible_state, request_deadline, ...       fields of the route
  steps.<code>.<field>                            a field of the step with that code
  admissibility.<ground>.<available|mandatory>    one admissibility ground
  regime.<responsibility|procedure|return>        the regimes applied
A key ending in '~' checks containment (substring / list member) instead of equality.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml

from asylumengine.routes import Case, route

CASES = Path(__file__).parent / "cases" / "routes"


def merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in (over or {}).items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else copy.deepcopy(v)
    return out


def load() -> list:
    params = []
    for path in sorted(CASES.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            assert case.get("article"), f"{path.name}: '{case['name']}' has no article"
            params.append(pytest.param(doc.get("base", {}), case, id=f"{path.stem}: {case['name']}"))
    return params


def resolve(r, key: str):
    parts = key.split(".")
    if parts[0] == "steps":
        step = next((s for s in r.steps if s.code == parts[1]), None)
        assert step is not None, f"no step '{parts[1]}' in {[s.code for s in r.steps]}"
        obj = step
        for p in parts[2:]:
            obj = getattr(obj, p)
        return obj
    if parts[0] == "admissibility":
        name, attr = ".".join(parts[1:-1]), parts[-1]
        ground = next(g for g in r.admissibility_grounds if g.ground == name)
        return getattr(ground, attr)
    if parts[0] == "regime":
        return r.regime[parts[1]]
    obj = r
    for p in parts:
        obj = getattr(obj, p)
    return obj


def norm(v):
    return v.isoformat() if isinstance(v, dt.date) else v


@pytest.mark.parametrize("base, case", load())
def test_route_case(base, case):
    facts = merge(base, case.get("case", {}))
    r = route(Case.model_validate(facts), return_regime=case.get("return_regime", "return-directive"))
    for key, expected in case["expect"].items():
        contains = key.endswith("~")
        actual = norm(resolve(r, key.rstrip("~")))
        expected = norm(expected)
        if contains:
            assert str(expected) in actual if isinstance(actual, str) else expected in actual, (key, actual)
        else:
            assert actual == expected, f"{key}: got {actual!r}, expected {expected!r}"
