"""Time computation (AMMR Art 75, APR Art 73, Dublin III Art 42): the vectorised path agrees with
python-dateutil date for date, and the roll-forward differs between the regimes."""

from __future__ import annotations

import datetime as dt

import numpy as np
from dateutil.relativedelta import relativedelta
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from asylumengine.law.time import (
    DUBLIN_III_TIME_RULE,
    PACT_TIME_RULE,
    add_months,
    deadline,
    deadlines,
    official_holidays,
)

dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 12, 31))


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(dates, min_size=1, max_size=50), st.integers(0, 40))
def test_vectorised_months_equal_dateutil(starts, months):
    arr = np.array(starts, dtype="datetime64[D]")
    got = add_months(arr, months).astype(dt.date)
    expected = [d + relativedelta(months=months) for d in starts]
    assert list(got) == expected


@settings(max_examples=examples(200), deadline=None)
@given(dates, st.integers(1, 24), st.sampled_from(["days", "weeks", "months"]))
def test_pact_deadline_never_on_a_weekend_or_holiday_and_never_early(start, amount, unit):
    hol = official_holidays("NL")
    end = deadline(start, amount, unit, PACT_TIME_RULE, hol)
    plain = deadline(start, amount, unit, DUBLIN_III_TIME_RULE)
    assert end >= plain > start
    assert end.weekday() < 5 and np.datetime64(end) not in set(hol)
    # moved only as far as the next working day
    assert (end - plain).days <= 6


def test_known_dates():
    nl = official_holidays("NL")
    assert deadline(dt.date(2026, 1, 31), 1, "months", DUBLIN_III_TIME_RULE) == dt.date(2026, 2, 28)  # month-end clip
    assert deadline(dt.date(2026, 1, 31), 1, "months", PACT_TIME_RULE, nl) == dt.date(2026, 3, 2)  # 28 Feb is a Saturday
    assert deadline(dt.date(2026, 12, 24), 1, "days", PACT_TIME_RULE, nl) == dt.date(2026, 12, 28)  # 25, 26 holidays, 27 Sunday
    assert deadline(dt.date(2026, 6, 13), 1, "working_days", PACT_TIME_RULE, nl) == dt.date(2026, 6, 15)  # event on a Saturday
    assert deadline(dt.date(2028, 2, 29), 1, "years", DUBLIN_III_TIME_RULE) == dt.date(2029, 2, 28)


def test_nat_in_nat_out():
    out = deadlines(np.array(["NaT", "2026-07-03"], dtype="datetime64[D]"), 1, "months", PACT_TIME_RULE)
    assert np.isnat(out[0]) and out[1] == np.datetime64("2026-08-03")


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(dates, min_size=1, max_size=40))
def test_next_weekday_equals_numpy_busday_roll(days):
    from asylumengine.law.time import next_weekday

    arr = np.array(days, dtype="datetime64[D]")
    assert (next_weekday(arr) == np.busday_offset(arr, 0, roll="forward", weekmask="1111100")).all()


# --- the lookup tables the vectorised engine uses (law.time: month shift, next working day) ----------


def test_month_shift_table_equals_dateutil_for_every_day():
    """add_months with one number of months is a gather in a table: every day of 2010-2040, for
    periods back and forward, equals python-dateutil (END_OF_MONTH_CLIP), NaT stays NaT."""
    days = np.arange(np.datetime64("2010-01-01"), np.datetime64("2041-01-01"), 7, dtype="datetime64[D]")
    for months in (-36, -1, 0, 1, 2, 6, 12, 18, 36):
        got = add_months(np.append(days, np.datetime64("NaT", "D")), months)
        expected = [d + relativedelta(months=months) for d in days.astype(dt.date)]
        assert list(got[:-1].astype(dt.date)) == expected and np.isnat(got[-1])


def test_month_shift_outside_the_tables_falls_back_to_calendar_arithmetic():
    old = np.array(["1950-01-31", "2095-03-31"], dtype="datetime64[D]")
    assert list(add_months(old, 1).astype(dt.date)) == [dt.date(1950, 2, 28), dt.date(2095, 4, 30)]


def test_roll_forward_equals_numpy_busday_roll_on_each_calendar():
    """roll_forward (one gather in the next-working-day table) = numpy's busday roll with the
    state's official holidays, on every day 2010-2040; the weekends-only and no-roll calendars."""
    from asylumengine.law.time import calendar_rows, roll_forward

    codes = ("", "NL", "DE", "IT")
    days = np.arange(np.datetime64("2010-01-01"), np.datetime64("2040-12-31"), dtype="datetime64[D]")
    for code, iso in enumerate(codes[1:], start=1):
        got = roll_forward(days, np.full(days.size, code), codes)
        assert (got == np.busday_offset(days, 0, roll="forward", weekmask="1111100", holidays=official_holidays(iso))).all(), iso
    weekends, no_roll = calendar_rows(codes)
    assert (roll_forward(days, np.full(days.size, weekends), codes) == np.busday_offset(days, 0, roll="forward", weekmask="1111100")).all()
    assert (roll_forward(days, np.full(days.size, no_roll), codes) == days).all()
    assert (roll_forward(days, np.zeros(days.size, int), codes) == np.busday_offset(days, 0, roll="forward", weekmask="1111100")).all()
    edge = np.array(["NaT", "2045-06-03"], dtype="datetime64[D]")  # no holiday data after 2040: weekends only
    assert np.isnat(roll_forward(edge, np.array([1, 1]), codes)[0]) and roll_forward(edge, np.array([1, 1]), codes)[1] == np.datetime64("2045-06-05")


def test_periods_per_row_equal_one_period_at_a_time():
    """add_periods (each row its own period, one pass) gives what add_period gives period by period;
    a row whose code has no period gets NaT; a working-days period takes the per-state path."""
    from asylumengine.routes.columns import country_index
    from asylumengine.routes.rules.time_limits import add_period, add_periods

    rng = np.random.default_rng(3)
    n = 5000
    starts = np.datetime64("2024-01-01") + rng.integers(0, 1500, n).astype("timedelta64[D]")
    starts[rng.random(n) < 0.1] = np.datetime64("NaT")
    states = rng.choice([country_index()[c] for c in ("NL", "DE", "BE", "IT")], n).astype(np.int16)
    regime, off = rng.integers(0, 2, n).astype(np.int8), rng.random(n) < 0.2
    for periods in ({1: (5, "days"), 2: (2, "weeks"), 3: (6, "months"), 4: (1, "years")}, {1: (3, "working_days"), 2: (1, "months")}):
        which = rng.integers(0, 5, n)
        got = add_periods(starts, which, periods, states, regime, off)
        assert np.isnat(got[which == 0]).all()
        for code, (amount, unit) in periods.items():
            rows = which == code
            expected = add_period(starts[rows], amount, unit, states[rows], regime[rows], off[rows])
            assert (got[rows].view(np.int64) == expected.view(np.int64)).all(), (code, unit)
