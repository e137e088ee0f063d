"""Array mechanics the rules share: ages, periods, deadlines, code lookups.

Nothing legal is decided here (no period, threshold or date of the law: those come from
``law/params`` through ``Ctx``); this module only does calendar and integer arithmetic on
numpy arrays, fast. The rule modules (``routes/rules/*.py``) hold no numeric literal
other than 0 and 1 (tests/test_rules.py), so the technical constants live here.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from asylumengine.law.time import _T0, _T0_DAY, _calendar_tables, add_months
from asylumengine.routes.columns import NAT, countries, country_index


def age_at(dob: np.ndarray, age_given: np.ndarray, when: np.ndarray) -> np.ndarray:
    """Age in whole years on ``when`` (from the date of birth, else the age given)."""
    has = ~np.isnat(dob)
    safe_dob = np.where(has, dob, when)
    (y_w, md_w), (y_b, md_b) = _year_and_month_day(when), _year_and_month_day(safe_dob)
    # one year less if the birthday (month, day) has not come yet that year
    age = y_w - y_b - (md_w < md_b)
    return np.where(has, age, age_given)


@lru_cache(maxsize=1)
def _day_tables() -> tuple[np.ndarray, np.ndarray]:
    """Per day of 1990-2079: its calendar year, and month * 32 + day-of-month (0-based)."""
    month_of_day, day_of_month, _, _ = _calendar_tables()
    year0 = int(_T0.astype("datetime64[Y]").astype(np.int64)) + 1970
    return (month_of_day // 12 + year0), (month_of_day % 12) * 32 + day_of_month


def _year_and_month_day(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(calendar year, month * 32 + day) of each date: two gathers in the day tables where the
    date is covered, numpy calendar arithmetic elsewhere (old dates of birth; NaT)."""
    d = np.asarray(d, dtype="datetime64[D]")
    year_of, md_of = _day_tables()
    idx = d.view(np.int64) - _T0_DAY  # NaT wraps to a large number: outside
    ok = idx.view(np.uint64) < year_of.size
    if ok.all():
        return year_of[idx], md_of[idx]
    safe = np.where(ok, idx, 0)
    year, md = year_of[safe], md_of[safe]
    rest = d[~ok]
    m = rest.astype("datetime64[M]")
    year[~ok] = rest.astype("datetime64[Y]").astype(int) + 1970
    md[~ok] = (m - rest.astype("datetime64[Y]").astype("datetime64[M]")).astype(int) * 32 + (rest - m.astype("datetime64[D]")).astype(int)
    return year, md


def months_after(starts: np.ndarray, months: int) -> np.ndarray:
    """Plain calendar arithmetic for windows ("less than 3 years before"), no roll-forward.
    Only rows with a date are computed: most slots of a population are empty."""
    out = np.full(starts.shape, NAT)
    has = ~np.isnat(starts)
    if has.any():
        out[has] = add_months(starts[has], months)
    return out


def plus_months(dates: np.ndarray, months: np.ndarray) -> np.ndarray:
    """dates + months[i] months, where ``months`` takes a handful of values (one per regime)."""
    out = np.full(dates.shape, NAT)
    has = ~np.isnat(dates)
    if not has.any():
        return out
    for m in set(np.asarray(months)[has].tolist()) if has.sum() < 64 else few_values(months):
        rows = has & (months == m)
        out[rows] = months_after(dates[rows], int(m))
    return out


def few_values(values: np.ndarray) -> list[int]:
    """The distinct values of a large array known to take very few (cheaper than np.unique)."""
    seen: list[int] = []
    rest = np.ones(values.shape, dtype=bool)
    while rest.any():
        v = int(values[np.argmax(rest)])
        seen.append(v)
        rest &= values != v
    return seen


def lex_greater(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise lexicographic a > b."""
    gt = np.zeros(a.shape[0], dtype=bool)
    eq = np.ones(a.shape[0], dtype=bool)
    for j in range(a.shape[1]):
        gt |= eq & (a[:, j] > b[:, j])
        eq &= a[:, j] == b[:, j]
    return gt


LOWEST = -(10**9)  # below any sort key


def document_score(prefer_valid: np.ndarray, is_res: np.ndarray, length: np.ndarray, end: np.ndarray) -> np.ndarray:
    """One integer per document that orders them as AMMR Art 29(3) does: (valid now [Dublin III
    12(4) only], residence document, length of validity, expiry), packed in 64 bits."""
    length_key = np.clip(length, 0, (1 << 20) - 1)
    end_key = np.clip(end + 40_000, 0, (1 << 20) - 1)  # days since 1970, shifted to stay positive
    return (prefer_valid.astype(np.int64) << 42) | (is_res.astype(np.int64) << 41) | (length_key << 20) | end_key


def score_is_residence(score: np.ndarray) -> np.ndarray:
    """Whether the best document (by ``document_score``) is a residence document."""
    return np.where(score >= 0, (score >> 41) & 1, 0) == 1


def diploma_key(years: np.ndarray, issued: np.ndarray) -> np.ndarray:
    """Sort key for diplomas, AMMR Art 30(2): the longest study first, then the most recent."""
    return np.stack([(years * 100).astype(np.int64), issued.astype(np.int64)], axis=1)


def first_slot(n: int, picks: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """First slot whose condition holds -> its state (0 if none)."""
    out = np.zeros(n, dtype=np.int16)
    for cond, state in picks:
        take = (out == 0) & cond
        out[take] = state[take]
    return out


def distinct_states(picks: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Number of distinct states among the slots that qualify."""
    states = np.stack([np.where(c, s, 0) for c, s in picks], axis=1)
    states = np.sort(states, axis=1)
    distinct = (states[:, 1:] != states[:, :-1]) & (states[:, 1:] != 0)
    return distinct.sum(axis=1) + (states[:, 0] != 0)


def years_between(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Whole years from ``start`` to ``end`` by the mean Gregorian year (a family member's age)."""
    return ((end - start).astype(np.int64) / 365.2425).astype(np.int64)


def calendar_year(days: np.ndarray) -> np.ndarray:
    """The calendar year of each date (NaT gives a meaningless number: mask it)."""
    return _year_and_month_day(days)[0]


def hours_as_days(hours) -> int:
    """A period given in hours, in whole days (72 hours -> 3 days)."""
    return int(np.timedelta64(int(hours), "h") // np.timedelta64(1, "D"))


def state_mask(codes: list[str]) -> np.ndarray:
    """Boolean lookup over country codes: True for the given ISO codes (read-only, cached: the lists are the law's)."""
    return _state_mask(tuple(codes or ()))


@lru_cache(maxsize=256)
def _state_mask(codes: tuple[str, ...]) -> np.ndarray:
    mask = np.zeros(len(countries()), dtype=bool)
    for c in codes:
        mask[country_index()[c]] = True
    mask.flags.writeable = False
    return mask


def in_codes(values: np.ndarray, codes) -> np.ndarray:
    """``np.isin`` for small integer codes, as one table gather (much faster on a million rows)."""
    table = np.zeros(256, dtype=bool)
    table[np.asarray(codes, dtype=np.int64)] = True
    return table[values.view(np.uint8)] if values.dtype == np.int8 else table[values.astype(np.int64) & 255]


def select(conditions: list, choices: list, default=0) -> np.ndarray:
    """``np.select``, same values and dtype: the first condition that holds picks its choice. Built
    from the last condition back with ``np.where``; np.select's set-up costs more than the work
    itself on the small populations the API routes."""
    out = default
    for cond, choice in zip(reversed(conditions), reversed(choices), strict=True):
        out = np.where(cond, choice, out)
    dtype = np.result_type(*(c if type(c) in (int, float) else np.asarray(c) for c in (*choices, default)))  # as np.select: Python numbers are weak
    return out.astype(dtype, copy=False)


def bitmask(flags: list[np.ndarray]) -> np.ndarray:
    """Per row, bit i set where ``flags[i]`` holds."""
    out = np.zeros(flags[0].shape[0] if flags else 0, dtype=np.int32)
    for i, f in enumerate(flags):
        out |= f.astype(np.int32) << i
    return out


PERCENT = 100.0  # a share as a percentage (the law's thresholds are written in percent)


def as_percent(share: np.ndarray) -> np.ndarray:
    """Rounded so that 0.2 is 20 and not 20.000000000000004 (a threshold of 20% must hold at 0.2)."""
    return np.round(share * PERCENT, 9)
