"""Time limits as each regime counts them (AMMR Art 75, APR Art 73: roll forward; Dublin III Art 42: not).

The counting itself (day of the event excluded, same date in the last month, end-of-month clip)
is ``asylumengine.law.time``; this rule applies it per case, with each case's regime and calendar."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from asylumengine.law.rules import rule
from asylumengine.law.time import DUBLIN_III_TIME_RULE, FEW_ROWS, PACT_TIME_RULE, Unit, add_months, add_months_by_code, calendar_rows, deadlines_by_state, period_end, period_parts, roll_forward
from asylumengine.routes.columns import NAT, countries
from asylumengine.routes.criteria import RegimeCodes as Regime


@rule("AMMR Art 75", "A time limit ending on a Saturday, Sunday or official holiday ends on the next working day (Pact); "
      "Dublin III Art 42: no roll-forward", engine="routes", also=("APR Art 73", "Dublin III Art 42"),
      reads=("holidays",), produces=("deadlines",), text="routes-texts#AMMR Art 75")  # fmt: skip
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

    One pass for all rows: the period arithmetic (NaT stays NaT), then one gather in the
    next-working-day table on each row's calendar (its state, weekends only, or no roll)."""
    starts = np.asarray(starts, dtype="datetime64[D]")
    if Unit(unit) is Unit.WORKING_DAYS:  # counted on each state's calendar: the per-state path
        return _working_days(starts, amount, states, regime, holidays_off, countries())
    return _rolled(period_end(starts, amount, unit), states, regime, holidays_off)


def _rolled(end: np.ndarray, states, regime, holidays_off) -> np.ndarray:
    """Each last day on its row's calendar: the state's (Pact), weekends only (holidays off), or
    not rolled at all (Dublin III Art 42)."""
    codes = countries()  # a tuple: key of the cached calendar table
    weekends, no_roll = calendar_rows(codes)
    calendar = np.where(regime == Regime.PACT, np.where(holidays_off, weekends, states), no_roll)
    return roll_forward(end, calendar, codes)


def _working_days(starts, amount, states, regime, holidays_off, codes) -> np.ndarray:
    has = ~np.isnat(starts)
    out = np.full(starts.shape, NAT)
    amount = np.broadcast_to(np.asarray(amount), starts.shape)
    for reg, time_rule in ((Regime.PACT, PACT_TIME_RULE), (Regime.DUBLIN_III, DUBLIN_III_TIME_RULE)):
        for off, calendar in ((False, "official"), (True, "none")):
            rows = has & (regime == reg) & (holidays_off == off)
            if rows.any():
                out[rows] = deadlines_by_state(starts[rows], amount[rows], Unit.WORKING_DAYS, states[rows], codes, time_rule, calendar)
    return out


def add_periods(
    starts: np.ndarray,
    which: np.ndarray,
    periods: dict[int, tuple[int, str]],
    states: np.ndarray,
    regime: np.ndarray,
    holidays_off: np.ndarray,
) -> np.ndarray:
    """``add_period`` with each row's own period: ``periods[which[row]]`` as (amount, unit); a row
    whose code has no period gets NaT. One pass over all rows (the periods are a small table
    gathered per row) instead of one pass per period over its rows."""
    starts = np.asarray(starts, dtype="datetime64[D]")
    if not periods or np.isnat(starts).all():  # no row has a limit (no Dublin request, say): nothing to count
        return np.full(starts.shape, NAT)
    which = np.asarray(which, dtype=np.intp)
    if any(Unit(unit) is Unit.WORKING_DAYS for _, unit in periods.values()):  # per-state calendars, per period
        out = np.full(starts.shape, NAT)
        for code, (amount, unit) in periods.items():
            rows = which == code
            out[rows] = add_period(starts[rows], amount, unit, states[rows], regime[rows], holidays_off[rows])
        return out
    if starts.size <= FEW_ROWS:  # a case or a few: no table to build or look up (the tables pay off on many rows)
        return _rolled(_few_period_ends(starts, which, periods), states, regime, holidays_off)
    months, days, known = _period_table(tuple(sorted(periods.items())))
    which = np.minimum(which, known.size - 1)  # a code above every period's: the last entry, which has none
    valid = known[which]
    if not valid.all():
        starts = np.where(valid, starts, NAT)
    end = add_months_by_code(starts, which, months) if any(months) else starts
    return _rolled(end + days[which], states, regime, holidays_off)


def _few_period_ends(starts: np.ndarray, which: np.ndarray, periods: dict[int, tuple[int, str]]) -> np.ndarray:
    """``starts`` plus each row's period, read row by row; NaT where the row's code has no period."""
    parts = [periods.get(code) for code in which.tolist()]
    months, days = zip(*(period_parts(*p) if p else (0, 0) for p in parts)) if parts else ((), ())
    starts = np.where([p is not None for p in parts], starts, NAT) if None in parts else starts
    if len(set(months)) == 1:  # one number of months for all (always so for one case): a gather in its cached table
        end = add_months_by_code(starts, 0, months[:1]) if months[0] else starts
    else:
        end = add_months(starts, np.array(months, dtype=np.int64))
    return end + np.array(days, dtype=np.int64)


@lru_cache(maxsize=None)  # a handful of period tables (populations above FEW_ROWS hold most codes)
def _period_table(periods: tuple) -> tuple[tuple[int, ...], np.ndarray, np.ndarray]:
    """Per code: months and days to add, and whether the code has a period. One entry more than the
    highest code, without a period, for every code above it."""
    size = max((code for code, _ in periods), default=0) + 1 + 1  # the codes, then the entry without a period
    months, days, known = np.zeros(size, np.int64), np.zeros(size, np.int64), np.zeros(size, bool)
    for code, (amount, unit) in periods:
        months[code], days[code] = period_parts(amount, unit)
        known[code] = True
    days.flags.writeable = known.flags.writeable = False  # cached: shared by every call and thread
    return tuple(months.tolist()), days, known
