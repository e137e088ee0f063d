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
import threading
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


def _add_months_numpy(starts: np.ndarray, months) -> np.ndarray:
    month0 = starts.astype("datetime64[M]")
    day = (starts - month0.astype("datetime64[D]")).astype(np.int64)  # 0-based day of month
    target = month0 + np.asarray(months, dtype=np.int64)
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    return target.astype("datetime64[D]") + np.minimum(day, length - 1)


_T0 = np.datetime64("1990-01-01", "D")
_T1 = np.datetime64("2080-01-01", "D")


@lru_cache(maxsize=1)
def _calendar_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Lookup tables over 1990-2079: month index and day of month for each day; first day and
    length of each month. Turns month arithmetic into integer gathers."""
    days = np.arange(_T0, _T1, dtype="datetime64[D]")
    months = days.astype("datetime64[M]")
    month_of_day = (months - _T0.astype("datetime64[M]")).astype(np.int64)
    day_of_month = (days - months.astype("datetime64[D]")).astype(np.int64)
    all_months = np.arange(_T0.astype("datetime64[M]"), _T1.astype("datetime64[M]") + 1, dtype="datetime64[M]")
    first = (all_months.astype("datetime64[D]") - _T0).astype(np.int64)
    length = np.diff(np.append(first, first[-1] + 31))
    return month_of_day, day_of_month, first, length


def add_months(starts: np.ndarray, months: int | np.ndarray) -> np.ndarray:
    """Vectorised ``start + n months`` with END_OF_MONTH_CLIP (AMMR Art 75(c)); NaT stays NaT."""
    starts = np.asarray(starts, dtype="datetime64[D]")
    months = np.asarray(months, dtype=np.int64)
    idx = (starts - _T0).astype(np.int64)
    month_of_day, day_of_month, first, length = _calendar_tables()
    ok = ~np.isnat(starts) & (idx >= 0) & (idx < month_of_day.size)
    safe = np.where(ok, idx, 0)
    target = month_of_day[safe] + months
    ok &= (target >= 0) & (target < first.size - 1)
    target = np.where(ok, target, 0)
    out = _T0 + first[target] + np.minimum(day_of_month[safe], length[target] - 1)
    if not ok.all():  # outside the tables (or NaT): plain numpy calendar arithmetic
        rest = ~ok
        m = np.broadcast_to(months, starts.shape)[rest]
        out[rest] = _add_months_numpy(starts[rest], m)
    return out.astype("datetime64[D]")


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


_EPOCH = np.datetime64("2010-01-01", "D")
_SPAN = int((np.datetime64("2041-01-01", "D") - _EPOCH).astype(np.int64))


_TABLES: dict[tuple[str, ...], np.ndarray] = {}
_FILLED: dict[tuple[str, ...], set[int]] = {}
_TABLES_LOCK = threading.Lock()


def holiday_table(code_to_iso: tuple[str, ...], needed: np.ndarray) -> np.ndarray:
    """Boolean table [state code, day since 2010-01-01]: official holiday of that state. Rows are
    filled on first use, for the codes in ``needed`` only (building a calendar takes time).

    Thread-safe: rows are filled under a lock and a code is marked filled only once its row is
    complete, so a thread never reads a row that another thread is still writing (the cause of
    deadlines left on holidays in threaded runs); a filled row is never written again."""
    with _TABLES_LOCK:
        table = _TABLES.setdefault(code_to_iso, np.zeros((len(code_to_iso), _SPAN), dtype=bool))
        filled = _FILLED.setdefault(code_to_iso, set())
        for code in needed.tolist():
            if code in filled:
                continue
            iso = code_to_iso[code]
            if len(iso) == 2:
                try:
                    days = official_holidays(iso)
                except NotImplementedError:  # a country the holidays package does not know: weekends only
                    days = NO_HOLIDAYS
                table[code, (days - _EPOCH).astype(np.int64)] = True
            filled.add(code)
    return table


def deadlines_by_state(
    starts: np.ndarray,
    amount: int | np.ndarray,
    unit: Unit | str,
    state_codes: np.ndarray,
    code_to_iso: tuple[str, ...] | list[str],
    rule: TimeRule = PACT_TIME_RULE,
    calendar: str = "official",
) -> np.ndarray:
    """``deadlines`` with each row rolled forward on the holidays of its own Member State.

    ``state_codes`` are small integers indexing ``code_to_iso`` (ISO alpha-2; '' = no state).
    ``calendar='none'`` ignores official holidays (weekends still are not working days).
    Roll-forward is done for all rows at once: weekends first, then, while a row's last day is an
    official holiday of its state, to the next working day (holidays come in short runs)."""
    starts = np.asarray(starts, dtype="datetime64[D]")
    amount = np.broadcast_to(np.asarray(amount, dtype=np.int64), starts.shape)
    unit = Unit(unit)
    if calendar == "none" or not (rule.roll_forward_to_working_day or unit is Unit.WORKING_DAYS):
        return deadlines(starts, amount, unit, rule, NO_HOLIDAYS)
    codes = np.asarray(state_codes)
    if unit is Unit.WORKING_DAYS:  # counting working days needs each state's calendar: per state
        out = np.empty(starts.shape, dtype="datetime64[D]")
        for code in np.flatnonzero(np.bincount(codes, minlength=len(code_to_iso))):
            rows = codes == code
            iso = code_to_iso[code]
            out[rows] = deadlines(starts[rows], amount[rows], unit, rule, official_holidays(iso) if len(iso) == 2 else NO_HOLIDAYS)
        return out
    out = deadlines(starts, amount, unit, rule, NO_HOLIDAYS)  # rolled over weekends
    return roll_over_holidays(out, codes, tuple(code_to_iso))


def next_weekday(days: np.ndarray) -> np.ndarray:
    """Saturday -> Monday, Sunday -> Monday, other days unchanged (integer arithmetic: 1 Jan 1970
    was a Thursday, so (days + 3) % 7 is 0 on Mondays)."""
    d = np.asarray(days, dtype="datetime64[D]")
    n = d.astype(np.int64)
    weekday = (n + 3) % 7
    shift = np.where(weekday >= 5, 7 - weekday, 0)
    return np.where(np.isnat(d), d, (n + shift).astype("datetime64[D]"))


def roll_over_holidays(days: np.ndarray, state_codes: np.ndarray, code_to_iso: tuple[str, ...]) -> np.ndarray:
    """Move each date that is an official holiday of its state to the next working day (dates are
    already on weekdays); repeat while a holiday follows (runs are short)."""
    out = np.array(days, dtype="datetime64[D]")
    codes = np.asarray(state_codes)
    table = holiday_table(code_to_iso, np.flatnonzero(np.bincount(codes, minlength=len(code_to_iso))))
    for _ in range(30):  # a run of holidays and weekends is never this long
        idx = (out - _EPOCH).astype(np.int64)
        inside = (idx >= 0) & (idx < _SPAN) & ~np.isnat(out)
        hit = np.zeros(out.shape, dtype=bool)
        hit[inside] = table[codes[inside], idx[inside]]
        if not hit.any():
            break
        out[hit] = next_weekday(out[hit] + 1)
    return out
