"""Time limits as each regime counts them (AMMR Art 75, APR Art 73: roll forward; Dublin III Art 42: not).

The counting itself (day of the event excluded, same date in the last month, end-of-month clip)
is ``asylumengine.law.time``; this rule applies it per case, with each case's regime and calendar."""

from __future__ import annotations

import numpy as np

from asylumengine.law.rules import rule
from asylumengine.law.time import DUBLIN_III_TIME_RULE, PACT_TIME_RULE, Unit, deadlines, deadlines_by_state, next_weekday, roll_over_holidays
from asylumengine.routes.columns import NAT, countries
from asylumengine.routes.criteria import Regime


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


