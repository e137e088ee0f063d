"""AMMR Art 42(1) and AMMR Art 43(2): the transfer decision is notified within 2 weeks of acceptance or
confirmation, and the remedy against it may be lodged within 1 to 3 weeks of notification (the
range national law picks in). Computed from the latest reply date, as every later Dublin date is."""

from __future__ import annotations

import datetime as dt

import numpy as np

from asylumengine.routes import Case
from asylumengine.routes.engine import evaluate_cases


def _day(x) -> dt.date | None:
    return None if np.isnat(x) else x.astype("datetime64[D]").astype(dt.date)


def _case(registered: str, crossed: str = "2026-06-20") -> Case:
    return Case.model_validate({
        "applicant": {"date_of_birth": "1995-03-01", "nationality": "SY"},
        "application": {"member_state": "NL", "made_on": registered, "registered_on": registered},
        "movements": [{"date": crossed, "country": "DE", "kind": "irregular_crossing"}],
    })  # fmt: skip


def test_ammr_art_42_1_and_43_2_transfer_decision_and_remedy():
    """Registered Wed 1 Jul 2026 in NL, Eurodac hit for DE: request by Mon 3 Aug (1 month, Sat 1 Aug
    rolled, Art 75), reply by Mon 17 Aug (2 weeks); transfer decision by Mon 31 Aug (2 weeks, Art 42(1));
    remedy from 1 week (Mon 7 Sep) to 3 weeks (Mon 21 Sep) after it (Art 43(2))."""
    _, r = evaluate_cases([_case("2026-07-01")])
    assert _day(r["reply_deadline"][0]) == dt.date(2026, 8, 17)
    assert _day(r["transfer_decision_deadline"][0]) == dt.date(2026, 8, 31)
    assert _day(r["transfer_remedy_deadline"][0]) == dt.date(2026, 9, 7)
    assert _day(r["transfer_remedy_deadline_latest"][0]) == dt.date(2026, 9, 21)


def test_no_transfer_decision_under_dublin_iii_or_without_a_request():
    _, r = evaluate_cases([_case("2026-05-04", crossed="2026-04-20")])  # registered before the AMMR applies
    assert r["request_kind"][0] != 0 and np.isnat(r["transfer_decision_deadline"][0])
    alone = Case.model_validate({"applicant": {"date_of_birth": "1995-03-01", "nationality": "SY"},
                                 "application": {"member_state": "NL", "made_on": "2026-07-01", "registered_on": "2026-07-01"}})  # fmt: skip
    _, r = evaluate_cases([alone])
    assert r["request_kind"][0] == 0 and np.isnat(r["transfer_decision_deadline"][0]) and np.isnat(r["transfer_remedy_deadline"][0])
