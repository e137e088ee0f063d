"""Legal paths of a simulated cohort, from the route engine.

A synthetic cohort (``asylumengine.routes.synth``) applying in the Netherlands at the scenario's
start is routed by ``asylumengine.routes`` under the law in force on that date; per nationality
group it returns the share in the asylum border procedure and, among Dublin claims, the share the
Netherlands cannot transfer (its dated transfer table). A scenario that sets
``legal.paths_from_route_engine: true`` uses these shares instead of the calibrated parameters, so
that a change of law (the APR's mandatory border procedure, a destination reopening) reaches the
chain model. The cohort's entry routes and destinations are the generator's assumptions
(docs/population.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from asylumengine.routes.columns import country_index

GROUP_NATIONALITIES = {
    "syria": ("SY",),
    "high": ("ER", "YE", "SO", "SD", "AF"),
    "low": ("TR", "MD", "NG", "PK", "MA", "TN", "CO", "EG"),
}  # as in the baseline's group shares (CBS 2023 mix, EU recognition rates); the rest is 'mid'


@dataclass(frozen=True)
class LegalPaths:
    on: dt.date
    cases: int
    border_share: tuple[float, float, float, float]  # syria, high, mid, low
    blocked_share_of_claims: float
    claim_share: float


@lru_cache(maxsize=16)
def cohort_paths(on: dt.date, cases: int = 20_000, seed: int = 1) -> LegalPaths:
    from asylumengine.routes.engine import evaluate
    from asylumengine.routes.rules.procedure import PROC_BORDER
    from asylumengine.routes.synth import synthetic_population

    pop = synthetic_population(cases, seed=seed, member_state="NL", year=on.year)
    res = evaluate(pop, on=on)
    nat = pop["a_nationality"]
    group = np.full(pop.n, 2)  # mid
    for g, codes in (("syria", 0), ("high", 1), ("low", 3)):
        members = np.isin(nat, [country_index()[c] for c in GROUP_NATIONALITIES[g]])
        group[members] = codes
    border = res["procedure"] == PROC_BORDER
    shares = tuple(float(border[group == g].mean()) if (group == g).any() else 0.0 for g in range(4))
    claims = res["request_kind"] != 0
    blocked = float((~res["transfer_feasible"][claims]).mean()) if claims.any() else 0.0
    return LegalPaths(on=on, cases=cases, border_share=shares, blocked_share_of_claims=blocked, claim_share=float(claims.mean()))
