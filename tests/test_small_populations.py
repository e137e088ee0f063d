"""The engine's paths for a case or a few (the API's batches) give exactly what the general paths give:
every output of every example, alone and in mixed batches, with the small-population paths switched
off (the slots in use, time limits without tables) and on."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from asylumengine.law import time as law_time
from asylumengine.routes import columns, load_case
from asylumengine.routes.columns import population_from_cases
from asylumengine.routes.engine import evaluate
from asylumengine.routes.rules import common, time_limits
from asylumengine.routes.vector import select

EXAMPLES = sorted((Path(__file__).parents[1] / "examples" / "cases").glob("*.yaml"))


def example_cases() -> list[tuple[str, object]]:
    return [(path.stem, load_case(path)) for path in EXAMPLES]


def outputs(pops, **kw) -> list[dict[str, np.ndarray]]:
    return [evaluate(p, **kw) for p in pops]


def bits(x: np.ndarray) -> np.ndarray:
    return x.view(np.int64) if x.dtype.kind == "M" else x  # NaT equals NaT


def same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(a[k].dtype == b[k].dtype and np.array_equal(bits(a[k]), bits(b[k]), equal_nan=a[k].dtype.kind == "f")
                                        for k in a)  # fmt: skip


@pytest.fixture(scope="module")
def pops():
    cases = [case for _, case in example_cases()]
    rnd = random.Random(5)
    batches = [population_from_cases(rnd.sample(cases, rnd.randint(2, 8))) for _ in range(25)]
    return [population_from_cases([c]) for c in cases] + batches


@pytest.mark.parametrize("regime", ["auto", "dublin-iii", "pact"])
def test_small_population_paths_change_nothing(pops, regime, monkeypatch):
    fast = outputs(pops, regime=regime, return_regime="return-regulation-council-2025")
    monkeypatch.setattr(columns, "SMALL_POPULATION", -1)  # every slot looked at
    monkeypatch.setattr(time_limits, "FEW_ROWS", -1)  # period tables for every population
    monkeypatch.setattr(law_time, "FEW_ROWS", -1)
    monkeypatch.setattr(common, "FEW_ROWS", -1)  # dated parameters compared as arrays
    general = outputs(pops, regime=regime, return_regime="return-regulation-council-2025")
    assert all(same(a, b) for a, b in zip(fast, general, strict=True))


def test_only_the_slots_in_use_are_looked_at():
    cases = dict(example_cases())
    one = population_from_cases([cases["visa-issued-by-france"]])  # one document, one movement
    assert (one.slots("doc"), one.slots("mov"), one.slots("fam")) == (1, 1, 0)
    big = population_from_cases([cases["visa-issued-by-france"]] * (columns.SMALL_POPULATION + 1))
    assert big.slots("mov") == columns.SLOTS["mov"][0]  # a large population: every slot, no scan


@settings(max_examples=examples(200), deadline=None)
@given(st.integers(1, 6), st.lists(st.integers(-3, 9), min_size=1, max_size=5), st.integers(0, 2**31), st.sampled_from(["int", "int8", "float", "bool"]))
def test_select_is_np_select(n, choices, seed, kind):
    rng = np.random.default_rng(seed)
    conds = [rng.random(n) < 0.4 for _ in choices]
    cast = {"int": int, "int8": np.int8, "float": float, "bool": bool}[kind]
    values = [cast(c) for c in choices]
    values[0] = rng.integers(0, 5, n).astype(np.int16) if kind == "int" else values[0]  # an array among the scalars
    want, got = np.select(conds, values, cast(0)), select(conds, values, cast(0))
    assert want.dtype == got.dtype and np.array_equal(want, got)
