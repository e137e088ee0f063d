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


_T0_DAY = int(_T0.astype(np.int64))  # 1990-01-01 in days since 1970
_NAT_DAY = np.datetime64("NaT", "D").astype(np.int64)


@lru_cache(maxsize=64)
def _month_shift(months: tuple[int, ...]) -> np.ndarray:
    """For each ``months`` value, each day of 1990-2079 plus that many months (END_OF_MONTH_CLIP),
    as days since 1970: month arithmetic for a million dates becomes one gather."""
    days = np.arange(_T0, _T1, dtype="datetime64[D]")
    table = np.stack([_add_months_numpy(days, m).astype(np.int64) for m in months])
    table.flags.writeable = False  # shared by every thread
    return table


def add_months_by_code(starts: np.ndarray, which: np.ndarray | int, months: tuple[int, ...]) -> np.ndarray:
    """``starts + months[which[i]]`` months per row (END_OF_MONTH_CLIP); NaT stays NaT."""
    starts = np.asarray(starts, dtype="datetime64[D]")
    table = _month_shift(tuple(int(m) for m in months))
    idx = starts.view(np.int64) - _T0_DAY  # NaT wraps to a large number: outside the table
    ok = idx.view(np.uint64) < table.shape[1]
    if ok.all():
        return (table[which, idx] if np.ndim(which) else table[which][idx]).view("datetime64[D]")
    safe = np.where(ok, idx, 0)
    out = np.where(ok, table[which, safe] if np.ndim(which) else table[which][safe], _NAT_DAY)
    rest = np.flatnonzero(~ok & ~np.isnat(starts))  # outside 1990-2079: plain numpy calendar arithmetic
    if rest.size:
        per_row = np.asarray(months, dtype=np.int64)[np.broadcast_to(which, starts.shape)[rest]]
        out[rest] = _add_months_numpy(starts[rest], per_row).astype(np.int64)
    return out.view("datetime64[D]")


def add_months(starts: np.ndarray, months: int | np.ndarray) -> np.ndarray:
    """Vectorised ``start + n months`` with END_OF_MONTH_CLIP (AMMR Art 75(c)); NaT stays NaT."""
    months = np.asarray(months, dtype=np.int64)
    if months.ndim == 0:
        return add_months_by_code(starts, 0, (int(months),))
    starts = np.asarray(starts, dtype="datetime64[D]")
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
    return out.astype("datetime64[D]", copy=False)


def period_parts(amount: int, unit: Unit | str) -> tuple[int, int]:
    """A period as (months, days) to add: weeks are 7 days, years 12 months (Art 75(b))."""
    unit = Unit(unit)
    parts = {Unit.DAYS: (0, amount), Unit.WEEKS: (0, 7 * amount), Unit.MONTHS: (amount, 0), Unit.YEARS: (12 * amount, 0)}
    if unit not in parts:
        raise ValueError("working days need a holiday calendar; use deadlines()")
    return parts[unit]


def period_end(starts: np.ndarray, amount: int | np.ndarray, unit: Unit | str) -> np.ndarray:
    """The last day of each period before any roll-forward (Art 75(a)-(b)), NaT in, NaT out; days,
    weeks, months or years (working days need a calendar: ``deadlines``)."""
    starts = np.asarray(starts, dtype="datetime64[D]")
    months, days = period_parts(np.asarray(amount, dtype=np.int64), unit)
    return (add_months(starts, months) if np.any(months) else starts) + days


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


_EPOCH_DAY = _EPOCH.astype(np.int64)  # an int64 scalar: the int32 table entries add up in int64
FEW_ROWS = 64  # up to this many rows: Python sets and lists and one-month tables, not numpy set-up and period tables
_MARGIN = 40  # days past the holiday span a roll may end in (runs of holidays and weekends are short)

# Per code table: the next working day on or after each day, as an index from _EPOCH, one row per
# state code (its weekends and official holidays), then a weekends-only row and a row that does not
# roll. One integer gather then does a whole roll-forward (AMMR Art 75(d)), for a million rows.
_TABLES: dict[tuple[str, ...], np.ndarray] = {}
_FILLED: dict[tuple[str, ...], set[int]] = {}
_TABLES_LOCK = threading.Lock()


def calendar_rows(code_to_iso: tuple[str, ...]) -> tuple[int, int]:
    """The table rows of the two calendars without a state: (weekends only, no roll-forward)."""
    return len(code_to_iso), len(code_to_iso) + 1


def _next_working(holidays: np.ndarray) -> np.ndarray:
    """For each day of the span (+ margin): index of the first day on or after it that is neither a
    weekend nor one of ``holidays``."""
    days = np.arange(_SPAN + _MARGIN)
    working = (days + (_EPOCH.astype(np.int64) + 3)) % 7 < 5  # 1 Jan 1970 was a Thursday
    idx = (holidays - _EPOCH).astype(np.int64)
    working[idx[(idx >= 0) & (idx < working.size)]] = False
    nxt = np.where(working, days, days.size)
    return np.minimum.accumulate(nxt[::-1])[::-1].astype(np.int32)


def roll_table(code_to_iso: tuple[str, ...], rows: np.ndarray) -> np.ndarray:
    """The next-working-day table for ``code_to_iso``, with the calendar ``rows`` used filled (building
    a state's calendar takes time, so rows are filled on first use).

    Thread-safe: rows are filled under a lock and a code is marked filled only once its row is
    complete, so a thread never reads a row that another thread is still writing (the cause of
    deadlines left on holidays in threaded runs); a filled row is never written again."""
    filled = _FILLED.get(code_to_iso)
    if filled is not None and len(filled) == len(code_to_iso) + 2:  # every calendar built: no need to look at the rows
        return _TABLES[code_to_iso]
    if rows.size <= FEW_ROWS:  # a few ints: a Python set costs less than numpy's set-up
        needed = sorted(set(np.ravel(rows).tolist()))
    else:
        needed = np.flatnonzero(np.bincount(np.ravel(rows), minlength=len(code_to_iso) + 2)).tolist()
    if filled is not None and filled.issuperset(needed):
        return _TABLES[code_to_iso]
    with _TABLES_LOCK:
        if code_to_iso not in _TABLES:
            table = np.empty((len(code_to_iso) + 2, _SPAN), dtype=np.int32)
            weekends, no_roll = calendar_rows(code_to_iso)
            table[weekends] = _next_working(NO_HOLIDAYS)[:_SPAN]
            table[no_roll] = np.arange(_SPAN)
            _TABLES[code_to_iso] = table
            _FILLED[code_to_iso] = {weekends, no_roll}
        table, filled = _TABLES[code_to_iso], _FILLED[code_to_iso]
        for code in needed:
            if code in filled:
                continue
            iso = code_to_iso[code]
            days = NO_HOLIDAYS
            if len(iso) == 2:
                try:
                    days = official_holidays(iso)
                except NotImplementedError:  # a country the holidays package does not know: weekends only
                    pass
            table[code] = _next_working(days)[:_SPAN]
            filled.add(code)
    return table


def roll_forward(days: np.ndarray, rows: np.ndarray, code_to_iso: tuple[str, ...]) -> np.ndarray:
    """Each date moved to the next working day of its calendar row (a state code, or one of
    ``calendar_rows``): unchanged if it is one. NaT stays NaT; a date outside 2010-2040 (no holiday
    data) rolls over weekends only, or not at all on the no-roll row."""
    days = np.asarray(days, dtype="datetime64[D]")
    rows = np.asarray(rows)
    table = roll_table(code_to_iso, rows)
    idx = days.view(np.int64) - _EPOCH_DAY
    inside = idx.view(np.uint64) < _SPAN  # NaT and days before the span wrap to huge numbers: outside
    if inside.all():
        return (table[rows, idx] + _EPOCH_DAY).view("datetime64[D]")
    out = np.where(inside, table[rows, np.where(inside, idx, 0)] + _EPOCH_DAY, days.view(np.int64))
    outside = ~inside & ~np.isnat(days) & (rows != calendar_rows(code_to_iso)[1])
    if outside.any():
        out[outside] = next_weekday(days[outside]).view(np.int64)
    return out.view("datetime64[D]")


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
    """Move each date that is an official holiday (or weekend day) of its state to the next working day."""
    return roll_forward(days, state_codes, tuple(code_to_iso))
