"""Evaluate the rules over a population; a single case is a population of one.

    evaluate(population, on=..., return_regime=...) -> dict of result columns
    results_table(population, results)             -> polars DataFrame (one row per case)
    route(case)                                     -> Route (steps assembled from row 0)
"""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl

from asylumengine.law import ParameterSet, law_parameters
from asylumengine.routes.columns import Population, enum_series, population_from_cases
from asylumengine.routes.criteria import Criterion, Regime, citation
from asylumengine.routes.labels import result_labels
from asylumengine.routes.rules.common import Ctx
from asylumengine.routes.rules.dublin import dublin_procedure
from asylumengine.routes.rules.outcome import RETURN_REGIMES, determine_outcome
from asylumengine.routes.rules.procedure import determine_procedure
from asylumengine.routes.rules.responsibility import determine_responsibility

REGIMES = ("auto", "dublin-iii", "pact")


class RouteError(ValueError):
    """A request the engine cannot answer (names the option and the problem)."""


PARALLEL_FROM = 200_000  # below this, threads cost more than they save


def evaluate(
    pop: Population,
    on: dt.date | None = None,
    regime: str = "auto",
    return_regime: str = "return-directive",
    params: ParameterSet | None = None,
    workers: int | None = None,
) -> dict[str, np.ndarray]:
    """All determinations for every case, as arrays. Pure: same inputs, same outputs.

    Large populations are cut into contiguous slices (views, no copies) evaluated on threads -
    numpy releases the GIL - and joined again; the rules are row-independent, so the result is
    identical whatever the number of workers (tested)."""
    if on is not None:  # a new Population: the caller's columns are not changed
        pop = Population({**pop.arrays, "computed_on": np.full(pop.n, np.datetime64(on, "D"))}, pop.ids, pop.id_series)
    workers = workers or min(os.cpu_count() or 1, 4)
    if workers > 1 and pop.n >= PARALLEL_FROM:
        bounds = np.linspace(0, pop.n, workers + 1).astype(int)
        slices = [pop.slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]
        with ThreadPoolExecutor(workers) as pool:
            parts = list(pool.map(lambda p: evaluate(p, None, regime, return_regime, params, workers=1), slices))
        return {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
    if regime not in REGIMES:
        raise RouteError(f"--regime: '{regime}' is not one of {', '.join(REGIMES)}")
    if return_regime not in RETURN_REGIMES:
        raise RouteError(f"--return-regime: '{return_regime}' is not one of {', '.join(RETURN_REGIMES)}")
    params = params or law_parameters()
    ctx_on = on or dt.date(2026, 6, 12)
    forced = None if regime == "auto" else (Regime.PACT if regime == "pact" else Regime.DUBLIN_III)
    ctx = Ctx(params=params, on=ctx_on, forced_regime=forced)
    resp = determine_responsibility(pop, ctx)
    dub = dublin_procedure(pop, resp, ctx)
    proc = determine_procedure(pop, resp, dub, ctx)
    out = determine_outcome(pop, resp, dub, proc, ctx, return_regime)
    return {**resp, **dub, **proc, **out, "return_regime": np.full(pop.n, RETURN_REGIMES.index(return_regime), dtype=np.int8)}


KEY_COLUMNS = {
    "regime": "regime",
    "procedure_regime": "procedure_regime",
    "responsible": "responsible_state",
    "criterion": "criterion_code",
    "examining_state": "examining_state",
    "examining_criterion": "examining_criterion_code",
    "request_kind": "request_kind",
    "request_deadline": "request_deadline",
    "reply_deadline": "reply_deadline",
    "transfer_deadline": "transfer_deadline",
    "transfer_feasible": "transfer_feasible",
    "screening": "screening_kind",
    "screening_deadline": "screening_deadline",
    "lodging_deadline": "lodging_deadline",
    "procedure": "procedure_code",
    "border_mandatory": "border_mandatory",
    "border_possible": "border_possible",
    "border_exemption": "border_exemption_code",
    "accelerated": "accelerated",
    "accelerated_grounds": "accelerated_grounds_mask",
    "admissibility_grounds": "admissibility_grounds_mask",
    "admissibility_mandatory": "admissibility_mandatory_mask",
    "decision_deadline": "decision_deadline",
    "appeal_suspensive": "appeal_suspensive",
    "terminals": "terminal_states_mask",
}


def results_table(pop: Population, results: dict[str, np.ndarray]) -> pl.DataFrame:
    """One row per case: the responsible state, the criterion (label and article), the procedure,
    the key dates, and the legal basis of each determination. Country and code columns are polars
    Enums with the fixed label lists of ``routes.labels`` (physical value = the engine's code)."""
    ids = pop.id_series if pop.id_series is not None else pl.Series(pop.ids.astype(str))
    data: dict[str, object] = {"id": ids}
    named = result_labels()
    for key, col in KEY_COLUMNS.items():
        value = results[key]
        data[col] = enum_series(value, named[key]) if key in named else value
    # article of the criterion: a small (regime x criterion) table, gathered per row
    table = [citation(r, c) if c < len(Criterion) else "" for r in (0, 1) for c in range(32)]
    key = results["regime"].astype(np.int64) * 32 + results["criterion"].astype(np.int64)
    data["criterion_citation"] = pl.Series(table, dtype=pl.String).gather(key)
    return pl.DataFrame(data)


def evaluate_cases(cases, **kwargs) -> tuple[Population, dict[str, np.ndarray]]:
    pop = population_from_cases(list(cases))
    return pop, evaluate(pop, **kwargs)
