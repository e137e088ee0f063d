"""Runs the lawyer-readable solidarity cases in tests/cases/solidarity/*.yaml."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import BaseModel

from asylumengine.solidarity import (
    DeductionRequest,
    Interpretation,
    KeyRow,
    OffsetRequest,
    Pledge,
    StateClassification,
    SystemicFinding,
    compute_cycle,
    distribution_key,
)
from asylumengine.solidarity import offsets as off
from casefiles import check, load

THRESHOLDS = off.Thresholds(
    voluntary_share_of_proposal=0.5,
    voluntary_share_of_own_fair_share=0.5,
    mandatory_absolute=30000,
    mandatory_share_of_reference=0.6,
)


@pytest.mark.parametrize("case", load("solidarity", "key"))
def test_key_cases(case):
    given = case["given"]
    if "expect_error" in case:
        with pytest.raises(ValueError, match=case["expect_error"]):
            distribution_key(given["population"], given["gdp"], 0.5, 0.5)
        return
    key = distribution_key(given["population"], given["gdp"], 0.5, 0.5)
    for ms, share in case["expect"].items():
        assert key[ms].share == pytest.approx(share, abs=1e-12), ms
    assert sum(k.share for k in key.values()) == pytest.approx(1.0)


@pytest.mark.parametrize("case", load("solidarity", "offset_rules"))
def test_offset_rule_cases(case):
    rule = getattr(off, case["rule"])
    assert rule(**case["given"], t=THRESHOLDS) == case["expect"]


def run_cycle(given: dict):
    return compute_cycle(
        given.get("year", 2026),
        on=dt.date.fromisoformat(str(given["date"])) if "date" in given else None,
        pool_relocations=given.get("pool_relocations"),
        pool_eur=given.get("pool_eur"),
        proposed_relocations=given.get("proposed_relocations"),
        pledges=[Pledge(**p) for p in given["pledges"]] if "pledges" in given else None,
        classifications=[StateClassification(**c) for c in given.get("classifications", [])],
        vintage=given.get("vintage"),
        interpretation=Interpretation(**given.get("interpretation", {})),
        key_data=[KeyRow(**r) for r in given["key_data"]] if "key_data" in given else None,
        fixed_shares=given.get("fixed_shares"),
        deduction_requests=[DeductionRequest(**r) for r in given.get("deduction_requests", [])],
        systemic_findings=[SystemicFinding(**r) for r in given.get("systemic_findings", [])],
        sar_share=given.get("sar_share"),
        offset_requests=[OffsetRequest(**r) for r in given.get("offset_requests", [])],
    )


def _pick(items: list, key: str):
    """An item of a list by its member state, citation or reading (e.g. threshold_tests.AMMR Art 63(1))."""
    for item in items:
        if key in (getattr(item, "member_state", None), getattr(item, "citation", None), getattr(item, "reading", None)):
            return item
    raise KeyError(f"no item {key!r} in {[getattr(i, 'citation', getattr(i, 'member_state', i)) for i in items]}")


def resolver(result):
    def resolve(path: str):
        parts = path.split(".")
        obj = result
        i = 0
        while i < len(parts):
            part = parts[i]
            if part == "states" and i == 0:
                obj, i = result.state(parts[i + 1]), i + 2
                continue
            if part == "owes" and i + 1 < len(parts):
                target = parts[i + 1]
                obj = next((d for d in obj.owes if d.to == target and not d.offsets), None)
                i += 2
                continue
            if part == "count":
                obj, i = len(obj), i + 1
                continue
            if isinstance(obj, list) and obj and isinstance(obj[0], BaseModel):
                obj, i = _pick(obj, part), i + 1
                continue
            if part == "contains" and i + 1 < len(parts):  # open_points.contains.<words>: a text in the list
                needle = ".".join(parts[i + 1 :])
                return any(needle in str(x) for x in obj)
            obj = getattr(obj, part)
            i += 1
        if isinstance(obj, list) and obj and hasattr(obj[0], "value"):
            obj = [x.value for x in obj]
        return obj

    return resolve


@pytest.mark.parametrize("case", load("solidarity", "cycle"))
def test_cycle_cases(case):
    if "expect_error" in case:
        with pytest.raises(ValueError, match=case["expect_error"]):
            run_cycle(case["given"])
        return
    result = run_cycle(case["given"])
    resolve = resolver(result)
    for path, expected in case["expect"].items():
        check(resolve(path), expected, resolve, path)
