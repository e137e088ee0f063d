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
