"""The synthetic population: deterministic, every row a valid case, a lossless round trip through
pydantic cases, and the one-case path (``route``) agreeing with the population path (``evaluate``)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from asylumengine.routes import route
from asylumengine.routes import synth
from asylumengine.routes.case import Case
from asylumengine.routes.columns import SLOTS, countries, population_from_cases, schema
from asylumengine.routes.engine import evaluate
from asylumengine.routes.rules.outcome import T
from asylumengine.routes.rules.procedure import PROC_ACCELERATED, PROC_BORDER, PROC_REGULAR
from asylumengine.routes.synth import cases_from_population, synthetic_population

N = 20_000


@pytest.fixture(scope="module")
def pop():
    return synthetic_population(N, seed=7)


@pytest.fixture(scope="module")
def results(pop):
    return evaluate(pop)


def _sample(n: int, size: int, seed: int) -> np.ndarray:
    return np.sort(np.random.default_rng(seed).choice(n, size=size, replace=False))


# --- determinism ---------------------------------------------------------------------------


def test_same_seed_same_arrays():
    a, b = synthetic_population(3000, seed=11), synthetic_population(3000, seed=11)
    assert a.arrays.keys() == b.arrays.keys() == schema().keys()
    for name in a.arrays:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)
        assert a[name].dtype == schema()[name].dtype, name
    assert list(a.ids) == list(b.ids)


def _same(x: np.ndarray, y: np.ndarray) -> bool:
    """Equal values, NaT equal to NaT (np.array_equal says NaT != NaT)."""
    try:
        np.testing.assert_array_equal(x, y)
    except AssertionError:
        return False
    return True


def test_different_seed_different_arrays():
    a, b = synthetic_population(3000, seed=11), synthetic_population(3000, seed=12)
    differ = [name for name in a.arrays if not _same(a[name], b[name])]
    for name in ("a_nationality", "a_dob", "app_made", "app_registered", "mov0_date", "mov0_country"):
        assert name in differ


# --- validity --------------------------------------------------------------------------------


@pytest.mark.parametrize("member_state", ["NL", "GR"])
def test_sampled_rows_are_valid_cases(member_state):
    p = synthetic_population(5000, seed=3, member_state=member_state)
    rows = _sample(p.n, 300, seed=1)
    cases = cases_from_population(p, rows)
    assert len(cases) == 300
    for case, row in zip(cases, rows):
        assert isinstance(case, Case)
        assert case.id == str(p.ids[row])
        assert case.application.member_state == member_state


def test_column_invariants(pop):
    """The Case model's checks and the slot conventions, over every row (vectorised)."""
    made, reg = pop["app_made"], pop["app_registered"]
    assert not np.isnat(made).any() and not np.isnat(reg).any()
    delay = (reg - made).astype(int)
    assert delay.min() >= 0 and delay.max() <= 5
    assert (reg.astype("datetime64[Y]").astype(int) + 1970 == 2026).mean() > 0.99  # spread over the year
    assert (pop["a_dob"] <= reg).all()
    lodged = pop["app_lodged"]
    assert (np.isnat(lodged) | (lodged >= reg)).all()
    assert (pop["computed_on"] == reg).all()
    # registration never before the first entry; movements sorted and filled from slot 0
    mk = SLOTS["mov"][2]["kind"][0].choices
    prev_date, prev_present = None, np.ones(pop.n, dtype=bool)
    for i in range(SLOTS["mov"][0]):
        date, kind = pop[f"mov{i}_date"], pop[f"mov{i}_kind"]
        present = kind != 0
        assert (present == ~np.isnat(date)).all()
        assert not (present & ~prev_present).any(), f"mov{i} filled after an empty slot"
        if prev_date is not None:
            assert (~present | (date >= prev_date)).all(), f"mov{i} before mov{i - 1}"
        entry = present & (kind != mk.index("departure"))
        assert (~entry | (date <= reg)).all()
        assert (~present | (date >= pop["a_dob"])).all()
        prev_date, prev_present = date, present
    # documents: valid_to >= valid_from, cancellation dates for cancelled documents
    for i in range(SLOTS["doc"][0]):
        present = pop[f"doc{i}_kind"] != 0
        assert (~present | (pop[f"doc{i}_to"] >= pop[f"doc{i}_from"])).all()
        cancelled = present & (pop[f"doc{i}_status"] != 0)
        assert (~cancelled | ~np.isnat(pop[f"doc{i}_cancelled"])).all()
    # every slotted list is filled from slot 0 upward
    for prefix, (size, _, fields) in SLOTS.items():
        first = next(iter(fields))
        empty = schema()[f"{prefix}0_{first}"].empty
        prev = np.ones(pop.n, dtype=bool)
        for i in range(size):
            col = pop[f"{prefix}{i}_{first}"]
            present = ~np.isnat(col) if col.dtype.kind == "M" else col != empty
            assert not (present & ~prev).any(), f"{prefix}{i} filled after an empty slot"
            prev = present
    # prior applications registered before this one, after entering
    for i in range(SLOTS["pri"][0]):
        present = pop[f"pri{i}_state"] != 0
        assert (~present | (pop[f"pri{i}_registered"] <= made)).all()
        assert (~present | (pop[f"pri{i}_registered"] >= pop["mov0_date"]) | np.isnat(pop["mov0_date"])).all()


def test_population_has_the_situations_the_rules_need(pop, results):
    """Not a calibration: only that each situation occurs."""
    from asylumengine.routes.criteria import Criterion as C

    crit = set(np.unique(results["criterion"]).tolist())
    for c in (C.IRREGULAR_ENTRY, C.SAR_DISEMBARKATION, C.VISA, C.RESIDENCE_DOCUMENT, C.VISA_WAIVED_ENTRY,
              C.FIRST_REGISTRATION, C.UAM_FIRST_REGISTRATION, C.FAMILY_BENEFICIARY, C.FAMILY_APPLICANT,
              C.PROTECTION_ELSEWHERE, C.SECURITY, C.AIRPORT_TRANSIT):  # fmt: skip
        assert int(c) in crit, c.name
    assert set(np.unique(results["procedure"]).tolist()) == {PROC_BORDER, PROC_ACCELERATED, PROC_REGULAR}
    assert set(np.unique(results["request_kind"]).tolist()) == {0, 1, 2}
    assert set(np.unique(results["regime"]).tolist()) == {0, 1}  # registrations before and after 12 June 2026
    assert pop["a_stateless"].any() and pop["a_unaccompanied"].any() and pop["f_security"].any() and pop["f_misled"].any()


def test_nationality_mix_is_the_sourced_one():
    mix = synth.nationality_mix()
    assert abs(sum(mix.values()) - 1) < 1e-12
    assert mix["SY"] == pytest.approx(13030 / 38375)  # CBS 2023
    assert mix["ER"] == pytest.approx(2345 / 38375)
    assert all(k is None or k in countries() for k in mix)
    assert synth.uam_share() == pytest.approx(2191 / 24740)


def test_every_unsourced_constant_is_marked_as_an_assumption():
    sourced_or_technical = {"NATIONALITY_YEAR", "NATIONALITY_SOURCE", "CBS_NATIONALITY_ISO", "FORMER_SOVIET_UNION_LABEL",
                            "UAM_YEAR", "HERE", "ROUTE_NAMES", "YEAR_DAYS", "BLOCK"}  # fmt: skip
    imported = {"NAT", "PLACES", "SCALARS", "SLOTS", "VULNERABILITIES"}
    own = {k for k in vars(synth) if k.isupper() and not k.startswith("_")} - imported
    marked = set(synth.assumptions())
    assert own - sourced_or_technical == marked
    assert not marked & sourced_or_technical


# --- round trip ---------------------------------------------------------------------------------


def test_round_trip_through_cases(pop):
    rows = _sample(pop.n, 300, seed=2)
    back = population_from_cases(cases_from_population(pop, rows))
    expected = pop.take(rows)
    assert back.arrays.keys() == expected.arrays.keys()
    for name in expected.arrays:
        assert back[name].dtype == expected[name].dtype, name
        np.testing.assert_array_equal(back[name], expected[name], err_msg=name)
    assert list(back.ids) == list(expected.ids)


# --- one case = population of one ------------------------------------------------------------------


def _date(x) -> dt.date | None:
    return None if np.isnat(x) else x.astype("datetime64[D]").astype(dt.date)


PROCEDURE_TITLES = {"Asylum border procedure": PROC_BORDER, "Accelerated procedure": PROC_ACCELERATED, "Regular procedure": PROC_REGULAR}


def _comparison_rows(results, size: int = 200) -> np.ndarray:
    """Up to 3 rows of each (criterion, procedure, request kind) combination, then random rows."""
    rng = np.random.default_rng(5)
    key = results["criterion"].astype(np.int64) * 100 + results["procedure"] * 10 + results["request_kind"]
    picked: list[int] = []
    for k in np.unique(key):
        where = np.flatnonzero(key == k)
        picked.extend(rng.choice(where, size=min(3, where.size), replace=False).tolist())
    rest = np.setdiff1d(np.arange(key.size), picked)
    picked.extend(rng.choice(rest, size=max(size - len(picked), 0), replace=False).tolist())
    return np.sort(np.array(picked[:size]))


def test_one_case_gives_the_population_answer(pop, results):
    rows = _comparison_rows(results)
    assert rows.size == 200
    names = countries()
    cases = cases_from_population(pop, rows)
    for i, case in zip(rows, cases):
        single = route(case)
        got = {
            "responsible": single.responsible_state,
            "criterion": single.legal_basis_codes["criterion"],
            "examining_state": single.examining_state,
            "request_deadline": single.request_deadline,
            "reply_deadline": single.reply_deadline,
            "transfer_deadline": single.transfer_deadline,
            "procedure": PROCEDURE_TITLES[next(s.title.en for s in single.steps if s.code == "procedure")],
            "border_mandatory": single.border_procedure.mandatory,
            "terminals": sum(T[name] for name in single.terminal_states),
        }
        want = {
            "responsible": names[results["responsible"][i]],
            "criterion": int(results["criterion"][i]),
            "examining_state": names[results["examining_state"][i]],
            "request_deadline": _date(results["request_deadline"][i]),
            "reply_deadline": _date(results["reply_deadline"][i]),
            "transfer_deadline": _date(results["transfer_deadline"][i]),
            "procedure": int(results["procedure"][i]),
            "border_mandatory": bool(results["border_mandatory"][i]),
            "terminals": int(results["terminals"][i]),
        }
        assert got == want, f"row {i} ({case.id})"


def test_same_results_whatever_the_number_of_workers(monkeypatch):
    """Threads cut the population into slices; the answer must not depend on how many."""
    import asylumengine.routes.engine as engine

    pop = synthetic_population(3_000, seed=7)
    monkeypatch.setattr(engine, "PARALLEL_FROM", 10)
    one = engine.evaluate(pop, workers=1)
    for workers in (2, 3):
        many = engine.evaluate(pop, workers=workers)
        for key in one:
            np.testing.assert_array_equal(one[key], many[key], err_msg=f"{key} with {workers} workers")


def _fresh_holiday_tables():
    """Empty the shared holiday tables, as in a new process (where the race showed)."""
    from asylumengine.law import time as law_time

    law_time._TABLES.clear()
    law_time._FILLED.clear()
    law_time.official_holidays.cache_clear()


def test_threaded_and_single_thread_routes_of_200k_cases_are_identical():
    """Regression: the holiday calendar was marked as filled before it was filled, so a second
    thread read it empty and left ~300 deadlines per 200k on 25 December or 1 January."""
    import asylumengine.routes.engine as engine
    from asylumengine.routes.engine import results_table

    pop = synthetic_population(200_000, seed=5)
    _fresh_holiday_tables()
    threaded = results_table(pop, engine.evaluate(pop, workers=2))
    _fresh_holiday_tables()
    single = results_table(pop, engine.evaluate(pop, workers=1))
    assert threaded.equals(single)
