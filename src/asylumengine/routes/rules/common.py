"""Shared helpers for the vectorised rules: ages, periods from parameters, deadlines.

Rules are pure functions of the population columns and the law parameters: no clock,
no randomness, no I/O (tests/test_routes_properties.py checks that evaluating twice, or
in any split, gives identical results).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from asylumengine.law import ParameterSet
from asylumengine.law.time import (
    DUBLIN_III_TIME_RULE,
    PACT_TIME_RULE,
    Unit,
    add_months,
    deadlines,
    deadlines_by_state,
    next_weekday,
    roll_over_holidays,
)
from asylumengine.routes.columns import NAT, Population, countries
from asylumengine.routes.criteria import Regime


REGIME_PARAMETERS = ("responsibility.", "procedure.apr", "procedure.apd", "procedure.screening_days")


@dataclass
class Ctx:
    """What every rule may read besides the columns: the law, and where it was read."""

    params: ParameterSet
    on: dt.date  # the date whose dated policy parameters apply (regimes are chosen per case)
    forced_regime: int | None = None  # --regime dublin-iii|pact overrides the date-based choice
    cache: dict = field(default_factory=dict)

    def value(self, name: str, on: dt.date | None = None):
        day = on or self.on
        if name.startswith(REGIME_PARAMETERS):
            # A regime is chosen per case (AMMR Art 84; APR Art 79); its numbers are read from the
            # regime's own parameters whatever the date the population is evaluated on.
            first = self.params.parameter(name).values[0].valid_from
            day = max(day, first)
        return self.params.value(name, day)


def age_at(pop: Population, when: np.ndarray) -> np.ndarray:
    """Age in whole years on ``when`` (from the date of birth, else the age given)."""
    dob = pop["a_dob"]
    has = ~np.isnat(dob)
    safe_dob = np.where(has, dob, when)
    y_w = when.astype("datetime64[Y]").astype(int)
    y_b = safe_dob.astype("datetime64[Y]").astype(int)
    # one year less if the birthday (month, day) has not come yet that year
    age = y_w - y_b - (_month_day(when) < _month_day(safe_dob))
    return np.where(has, age, pop["a_age"])


def _month_day(d: np.ndarray) -> np.ndarray:
    """month * 32 + day-of-month, from the calendar lookup tables where the date is covered."""
    from asylumengine.law.time import _T0, _calendar_tables

    month_of_day, day_of_month, _, _ = _calendar_tables()
    idx = (d - _T0).astype(np.int64)
    ok = (idx >= 0) & (idx < month_of_day.size)
    safe = np.where(ok, idx, 0)
    md = (month_of_day[safe] % 12) * 32 + day_of_month[safe]
    if not ok.all():  # outside 1990-2079 (old dates of birth): numpy calendar arithmetic
        rest = d[~ok]
        m = rest.astype("datetime64[M]")
        md[~ok] = (m - rest.astype("datetime64[Y]").astype("datetime64[M]")).astype(int) * 32 + (rest - m.astype("datetime64[D]")).astype(int)
    return md


def regime_of(pop: Population, ctx: Ctx) -> np.ndarray:
    """Per case: Dublin III if registered before the AMMR applies, else the Pact (AMMR Art 84)."""
    if ctx.forced_regime is not None:
        return np.full(pop.n, ctx.forced_regime, dtype=np.int8)
    switch = np.datetime64(ctx.value("responsibility.ammr_applies_to_applications_registered_from"), "D")
    return np.where(pop["app_registered"] >= switch, Regime.PACT, Regime.DUBLIN_III).astype(np.int8)


def period(ctx: Ctx, name: str, variant: str, regime: int) -> tuple[int, str]:
    """A period such as (2, 'months') from a regime's parameter, e.g. ammr_take_charge_request/after_hit."""
    prefix = "ammr" if regime == Regime.PACT else "dublin3"
    value = ctx.value(f"responsibility.{prefix}_{name}")
    amount, unit = value[variant] if isinstance(value, dict) else value
    return int(amount), unit


def add_period(
    starts: np.ndarray,
    amount: int | np.ndarray,
    unit: str,
    states: np.ndarray,
    regime: np.ndarray,
    holidays_off: np.ndarray,
) -> np.ndarray:
    """Deadlines with each regime's time rule: AMMR Art 75 / APR Art 73 roll a limit ending on a
    Saturday, Sunday or official holiday of ``states`` forward to the next working day; Dublin III
    Art 42 does not. ``holidays_off`` rows roll over weekends only (the case's calendar option).

    One pass for all rows: the period arithmetic first, then the roll-forward only where needed."""
    starts = np.asarray(starts, dtype="datetime64[D]")
    has = ~np.isnat(starts)
    out = np.full(starts.shape, NAT)
    if not has.any():
        return out
    amount = np.broadcast_to(np.asarray(amount), starts.shape)
    codes = countries()  # a tuple: key of the cached holiday table
    if Unit(unit) is Unit.WORKING_DAYS:  # counted on each state's calendar: the per-state path
        for reg, rule in ((Regime.PACT, PACT_TIME_RULE), (Regime.DUBLIN_III, DUBLIN_III_TIME_RULE)):
            for off, calendar in ((False, "official"), (True, "none")):
                rows = has & (regime == reg) & (holidays_off == off)
                if rows.any():
                    out[rows] = deadlines_by_state(starts[rows], amount[rows], unit, states[rows], codes, rule, calendar)
        return out
    out[has] = deadlines(starts[has], amount[has], unit, DUBLIN_III_TIME_RULE)  # plain: no roll-forward
    roll = has & (regime == Regime.PACT)
    if roll.any():
        official = roll & ~holidays_off
        out[roll] = next_weekday(out[roll])
        if official.any():
            out[official] = roll_over_holidays(out[official], states[official], codes)
    return out


def months_after(starts: np.ndarray, months: int) -> np.ndarray:
    """Plain calendar arithmetic for windows ("less than 3 years before"), no roll-forward.
    Only rows with a date are computed: most slots of a population are empty."""
    out = np.full(starts.shape, NAT)
    has = ~np.isnat(starts)
    if has.any():
        out[has] = add_months(starts[has], months)
    return out


def first_nonzero(*candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For criteria tried in order: the first candidate state per row, and which one it was (index)."""
    n = candidates[0].shape[0]
    state = np.zeros(n, dtype=np.int16)
    which = np.full(n, -1, dtype=np.int16)
    for i, cand in enumerate(candidates):
        take = (state == 0) & (cand != 0)
        state[take] = cand[take]
        which[take] = i
    return state, which


__all__ = ["Ctx", "Unit", "add_period", "age_at", "first_nonzero", "months_after", "period", "regime_of"]


def by_date(ctx: Ctx, name: str, dates: np.ndarray):
    """Yield (rows, value) for a dated parameter read on each case's own date: one pass per
    validity period of the parameter (a handful), not per distinct date. Rows whose date no
    period covers (or NaT) get ``None``."""
    covered = np.zeros(dates.shape, dtype=bool)
    for period in ctx.params.parameter(name).values:
        rows = dates >= np.datetime64(period.valid_from, "D")
        if period.valid_to is not None:
            rows &= dates <= np.datetime64(period.valid_to, "D")
        covered |= rows
        if rows.any():
            yield rows, period.value
    rest = ~covered
    if rest.any():
        yield rest, None


def state_mask(codes: list[str]) -> np.ndarray:
    """Boolean lookup over country codes: True for the given ISO codes."""
    from asylumengine.routes.columns import country_index

    mask = np.zeros(len(countries()), dtype=bool)
    for c in codes or []:
        mask[country_index()[c]] = True
    return mask


def in_codes(values: np.ndarray, codes) -> np.ndarray:
    """``np.isin`` for small integer codes, as one table gather (much faster on a million rows)."""
    table = np.zeros(256, dtype=bool)
    table[np.asarray(codes, dtype=np.int64)] = True
    return table[values.view(np.uint8)] if values.dtype == np.int8 else table[values.astype(np.int64) & 255]
