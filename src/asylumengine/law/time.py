"""Computing time limits the way the Regulations say, for one date or a million.

AMMR Art 75 and APR Art 73 (and RBPR Art 11) read, in substance:

  (a) the day of the event that starts a period does not count;
  (b) a period in weeks or months ends on the same weekday / the same date in the last
      week or month; if that date does not exist in the last month, on that month's
      last day;
  (c) periods include Saturdays, Sundays and official holidays;
  (d) a period whose last day is a Saturday, Sunday or official holiday ends on the
      next working day.

Dublin III (Regulation 604/2013) Art 42 has (a)-(c) but no (d): before the Pact a
limit could end on a weekend. Each regime therefore names its own ``TimeRule``.

The month rule is named ``END_OF_MONTH_CLIP`` (a 31 January start plus one month ends
on 28/29 February). The scalar path uses python-dateutil's ``relativedelta``, which
implements exactly that rule; the vectorised path does the same arithmetic on numpy
``datetime64[D]`` arrays, and a property test checks the two agree date for date.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from functools import lru_cache

import numpy as np
from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict

END_OF_MONTH_CLIP = "end_of_month_clip"  # Art 75(b) / 73(b), second sentence


class Unit(str, Enum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"
    WORKING_DAYS = "working_days"


class TimeRule(BaseModel):
    """How one regime counts time limits."""

    model_config = ConfigDict(frozen=True)

    name: str
    roll_forward_to_working_day: bool
    month_rule: str = END_OF_MONTH_CLIP
    citation: str


PACT_TIME_RULE = TimeRule(
    name="pact", roll_forward_to_working_day=True, citation="AMMR Art 75; APR Art 73; RBPR Art 11"
)
DUBLIN_III_TIME_RULE = TimeRule(
    name="dublin-iii", roll_forward_to_working_day=False, citation="Regulation (EU) No 604/2013 Art 42"
)

WEEKMASK = "1111100"  # Monday-Friday are working days


# --- holidays -------------------------------------------------------------------------

HOLIDAY_YEARS = range(2010, 2041)


@lru_cache(maxsize=64)
def official_holidays(member_state: str) -> np.ndarray:
    """Official public holidays of a Member State (ISO alpha-2), from the `holidays` package,
    as a sorted ``datetime64[D]`` array covering 2010-2040."""
    import holidays  # imported lazily: building the calendars takes time

    days = holidays.country_holidays(member_state, years=HOLIDAY_YEARS)
    return np.array(sorted(days), dtype="datetime64[D]")


NO_HOLIDAYS = np.array([], dtype="datetime64[D]")


# --- scalar path ----------------------------------------------------------------------


def add_period(start: dt.date, amount: int, unit: Unit | str) -> dt.date:
    """The last day of a period of ``amount`` ``unit`` starting on the day of ``start``'s event,
    before any roll-forward (Art 75(a)-(b)). Working days need a calendar: use ``deadline``."""
    unit = Unit(unit)
    if unit is Unit.DAYS:
        return start + dt.timedelta(days=amount)
    if unit is Unit.WEEKS:
        return start + dt.timedelta(weeks=amount)
    if unit is Unit.MONTHS:
        return start + relativedelta(months=amount)  # clips to the month's last day: END_OF_MONTH_CLIP
    if unit is Unit.YEARS:
        return start + relativedelta(years=amount)
    raise ValueError("working days need a holiday calendar; use deadline()")


def deadline(
    start: dt.date,
    amount: int,
    unit: Unit | str,
    rule: TimeRule = PACT_TIME_RULE,
    holidays: np.ndarray = NO_HOLIDAYS,
) -> dt.date:
    """The date on which a time limit expires (a single case; see ``deadlines`` for arrays)."""
    out = deadlines(np.array([start], dtype="datetime64[D]"), amount, unit, rule, holidays)[0]
    return out.astype(dt.date)


# --- vectorised path ------------------------------------------------------------------


def add_months(starts: np.ndarray, months: int | np.ndarray) -> np.ndarray:
    """Vectorised ``start + n months`` with END_OF_MONTH_CLIP; NaT stays NaT."""
    starts = np.asarray(starts, dtype="datetime64[D]")
    month0 = starts.astype("datetime64[M]")
    day = (starts - month0.astype("datetime64[D]")).astype(np.int64)  # 0-based day of month
    target = month0 + np.asarray(months, dtype=np.int64)
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    return target.astype("datetime64[D]") + np.minimum(day, length - 1)


def deadlines(
    starts: np.ndarray,
    amount: int | np.ndarray,
    unit: Unit | str,
    rule: TimeRule = PACT_TIME_RULE,
    holidays: np.ndarray = NO_HOLIDAYS,
) -> np.ndarray:
    """Expiry dates for an array of start dates (``datetime64[D]``; NaT in, NaT out)."""
    unit = Unit(unit)
    starts = np.asarray(starts, dtype="datetime64[D]")
    missing = np.isnat(starts)
    safe = np.where(missing, np.datetime64("2000-01-03"), starts)
    amount = np.asarray(amount, dtype=np.int64)
    if unit is Unit.DAYS:
        end = safe + amount
    elif unit is Unit.WEEKS:
        end = safe + 7 * amount
    elif unit is Unit.MONTHS:
        end = add_months(safe, amount)
    elif unit is Unit.YEARS:
        end = add_months(safe, 12 * amount)
    else:  # working days: the event day does not count; Saturday's event counts from Monday
        end = np.busday_offset(safe, amount, roll="backward", weekmask=WEEKMASK, holidays=holidays)
    if rule.roll_forward_to_working_day:
        end = np.busday_offset(end, 0, roll="forward", weekmask=WEEKMASK, holidays=holidays)
    return np.where(missing, np.datetime64("NaT"), end).astype("datetime64[D]")


def deadlines_by_state(
    starts: np.ndarray,
    amount: int | np.ndarray,
    unit: Unit | str,
    state_codes: np.ndarray,
    code_to_iso: list[str],
    rule: TimeRule = PACT_TIME_RULE,
    calendar: str = "official",
) -> np.ndarray:
    """``deadlines`` with each row rolled forward on the holidays of its own Member State.

    ``state_codes`` are small integers indexing ``code_to_iso`` (ISO alpha-2; '' = no state).
    ``calendar='none'`` ignores official holidays (weekends still are not working days)."""
    starts = np.asarray(starts, dtype="datetime64[D]")
    amount = np.broadcast_to(np.asarray(amount, dtype=np.int64), starts.shape)
    needs_calendar = rule.roll_forward_to_working_day or Unit(unit) is Unit.WORKING_DAYS
    if calendar == "none" or not needs_calendar:
        return deadlines(starts, amount, unit, rule, NO_HOLIDAYS)
    out = np.empty(starts.shape, dtype="datetime64[D]")
    codes = np.asarray(state_codes)
    present = np.bincount(codes, minlength=len(code_to_iso)) if codes.size else np.zeros(0, int)
    for code in np.flatnonzero(present):
        rows = codes == code
        iso = code_to_iso[code]
        hol = official_holidays(iso) if len(iso) == 2 else NO_HOLIDAYS
        out[rows] = deadlines(starts[rows], amount[rows], unit, rule, hol)
    return out
