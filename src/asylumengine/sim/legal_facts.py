"""The law's durations for the chain, read from ``law/params`` (the same dated values the route engine reads).

Nothing here is retyped: the border procedure's total duration (APR Art 51(2): 12 weeks, 16 after
a relocation; before 12 June 2026 Directive 2013/32/EU Art 43(2): 4 weeks), the Dublin transfer
time limit (AMMR Art 46(1): 6 months; Dublin III Art 29(1) before) and the appeal periods are
looked up per month, at the middle of the month, so a run that starts before 12 June 2026 switches
law on that date (from the June 2026 month on).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from asylumengine.law import law_parameters

DAYS_PER_MONTH = 365.25 / 12
UNIT_DAYS = {"days": 1.0, "working_days": 7 / 5, "weeks": 7.0, "months": DAYS_PER_MONTH, "years": 365.25}


def months(period: list) -> float:
    """A law period ``[n, unit]`` in months (working days at 5 a week)."""
    n, unit = period
    return float(n) * UNIT_DAYS[unit] / DAYS_PER_MONTH


def mid_month(d: dt.date) -> dt.date:
    return d.replace(day=15)


def apr_applies(on: dt.date) -> bool:
    param = law_parameters().parameter("procedure.apr_applies_to_applications_lodged_from")
    return any(on >= dt.date.fromisoformat(str(p.value)) for p in param.values if p.covers(on))


def border_months(on: dt.date, after_relocation: bool = False) -> float:
    """Maximum duration of the (asylum) border procedure in force on ``on``, in months."""
    law = law_parameters()
    if apr_applies(on):
        limits = law.value("procedure.apr_examination", on)
        return months(limits["border_total_after_relocation" if after_relocation else "border_total"])
    return months(law.value("procedure.apd_examination", on)["border_total"])


def border_months_by_month(dates: list[dt.date]) -> np.ndarray:
    return np.array([border_months(mid_month(d)) for d in dates])


def ammr_applies(on: dt.date) -> bool:
    param = law_parameters().parameter("responsibility.ammr_applies_to_applications_registered_from")
    return any(on >= dt.date.fromisoformat(str(p.value)) for p in param.values if p.covers(on))


def transfer_limit_months(on: dt.date) -> float:
    """The standard Dublin transfer time limit from acceptance (AMMR Art 46(1); Dublin III Art 29(1))."""
    law = law_parameters()
    name = "responsibility.ammr_transfer" if ammr_applies(on) else "responsibility.dublin3_transfer"
    return months(law.value(name, on)["standard"])


def regime(on: dt.date) -> str:
    return "APR/AMMR" if apr_applies(on) else "Directive 2013/32/EU, Dublin III"
