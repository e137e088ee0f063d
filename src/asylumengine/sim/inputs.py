"""Scenario values taken from the shipped data or from the stored calibration.

A scenario parameter may say ``value: data`` (the published figures in ``data/files``, picked by
``asylumengine.data.chain`` for the scenario's start: a series by period, or the latest value at
or before the start) or ``value: calibrated`` (``sim/calibration.yaml``, written by
``python -m asylumengine.sim.backcast --fit``). The loader replaces the word by the value and
appends where it came from to the parameter's source, so the docs and the outputs show it.

Warm start (``value: data`` on the initial stocks): the IND backlog, the status holders in COA and
the DT&V caseload are the latest published counts at or before the start; appeals pending are not
published (shared/data gap 16), so they are the rest of the latest COA residents once the others
are counted (DERIVED, never below 0).
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache
from importlib import resources

import yaml

from asylumengine.data import chain
from asylumengine.data.recognition import dated_rates

# nationality groups as in the baseline's group shares (CBS 2023 mix, EU recognition rates); 'mid' is the rest
GROUP_NATIONALITIES = {"syria": ("SY",), "high": ("ER", "YE", "SO", "SD", "AF"), "low": ("TR", "MD", "NG", "PK", "MA", "TN", "CO", "EG")}
GROUP_KEYS = ("syria", "high", "mid", "low")


def _month(key: str) -> dt.date:
    return dt.date(int(key[:4]), int(key[5:7]), 1)


def _latest_dated(series: dict[str, chain.Figure], start: dt.date) -> chain.Figure:
    """The latest figure dated (YYYY-MM) at or before the start."""
    usable = [k for k in series if _month(k) <= start]
    if not usable:
        raise LookupError(f"no published figure at or before {start:%Y-%m}")
    return series[max(usable, key=_month)]


def _latest_period(series: dict, start: dt.date) -> chain.Figure:
    """The figure of the latest year or half year that began before the start."""
    def begins(k) -> dt.date:
        return dt.date(int(k), 1, 1) if isinstance(k, int) else dt.date(int(k[:4]), 1 if k.endswith("H1") else 7, 1)

    usable = [k for k in series if begins(k) < start]
    if not usable:
        raise LookupError(f"no published figure for a period before {start:%Y-%m}")
    return series[max(usable, key=begins)]


def _sources(figs) -> str:
    return "; ".join(sorted({f.source for f in figs}))


# --- recognition rates by group and year ----------------------------------------------------------
def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def union_group_rate(group: str, year: int) -> tuple[float, list[str]]:
    """Mean Union-wide rate (EUAA EU+, any period that began in or before ``year``, latest per
    nationality) of the group's nationalities; 'mid' is the all-nationality rate."""
    codes = GROUP_NATIONALITIES.get(group, ("ALL",))
    values, used = [], []
    for code in codes:
        rows = [r for r in dated_rates(code) if r.year <= year]
        if rows:
            best = max(rows, key=lambda r: (r.year, r.period_end))
            values.append(best.percent / 100)
            used.append(f"{code} {best.ref_date} {best.percent:g}%")
    if not values:  # before the first figure: the earliest one
        for code in codes:
            rows = dated_rates(code)
            if rows:
                best = min(rows, key=lambda r: (r.year, r.period_end))
                values.append(best.percent / 100)
                used.append(f"{code} {best.ref_date} {best.percent:g}% (earliest, carried back)")
    return sum(values) / len(values), used


def recognition_by_group_year(shares: dict[str, float]) -> dict[str, dict[int, float]]:
    """Group rates per year: the Union-wide group rates shifted on the logit scale by one amount
    per year, so that their mix-weighted mean is the Dutch first-instance rate of that year."""
    national = chain.ind_grant_rate()
    out: dict[str, dict[int, float]] = {g: {} for g in GROUP_KEYS}
    for year in (2022, 2023, 2024, 2025):
        union = {g: union_group_rate(g, year)[0] for g in GROUP_KEYS}
        target = national[year].value / 100
        lo, hi = -10.0, 10.0
        for _ in range(80):  # bisection: the weighted mean rises with the shift
            mid = (lo + hi) / 2
            mean = sum(shares[g] * _expit(_logit(union[g]) + mid) for g in GROUP_KEYS)
            lo, hi = (mid, hi) if mean < target else (lo, mid)
        for g in GROUP_KEYS:
            out[g][year] = round(_expit(_logit(union[g]) + (lo + hi) / 2), 4)
    return out


def _recognition_source(group: str) -> str:
    used = [f"{y}: {', '.join(union_group_rate(group, y)[1])}" for y in (2022, 2023, 2024, 2025)]
    nat = chain.ind_grant_rate()
    return ("recognition_rates.csv (EUAA EU+ by citizenship; " + "; ".join(used) + ") shifted per year (logit) to the Dutch "
            f"first-instance rate ({', '.join(f'{y} {f.value:g}%' for y, f in nat.items() if y >= 2022)}; {_sources(nat.values())})")


# --- the resolvers ----------------------------------------------------------------------------------
def _group_shares(params: dict) -> dict[str, float]:
    s = {g: float(params[f"inflow.share_group_{g}"].value) for g in ("syria", "high", "low")}
    s["mid"] = max(0.0, 1 - sum(s.values()))
    return s


def _series(fn, unit=lambda f: f.value):
    def resolve(params, start):
        series = fn()
        return {k: round(unit(f), 2) for k, f in series.items()}, _sources(series.values())
    return resolve


def _latest(fn, pick, unit=lambda f: f.value):
    def resolve(params, start):
        f = pick(fn(), start)
        return round(unit(f), 2), f"{f.ref_date}: {f.source}" + (f" ({f.note})" if f.note.startswith("DERIVED") else "")
    return resolve


def _places(i):
    return lambda: {y: pair[i] for y, pair in chain.coa_places().items()}


def _recognition_series(group):
    def resolve(params, start):
        return recognition_by_group_year(_group_shares(params))[group], _recognition_source(group)
    return resolve


def _recognition_latest(group):
    def resolve(params, start):
        series = recognition_by_group_year(_group_shares(params))[group]
        years = [y for y in series if dt.date(y, 1, 1) < start] or [min(series)]
        return series[max(years)], f"{max(years)}: " + _recognition_source(group)
    return resolve


def _appeals_residual(params, start):
    """Appeals pending: the rest of the latest COA residents (not published)."""
    total = _latest_dated(chain.coa_total(), start)
    holders = _latest_dated(chain.coa_status_holders(), start)
    backlog = _latest_dated(chain.ind_backlog(), start)
    rejected = chain.dtv_caseload().value * float(params["return.in_reception_share"].value)
    value = max(0.0, total.value - holders.value - backlog.value - rejected)
    return round(value), (f"DERIVED: COA residents {total.ref_date} ({total.value:,.0f}) - status holders {holders.ref_date} - IND backlog "
                          f"{backlog.ref_date} - DT&V caseload x in-reception share; {_sources((total, holders, backlog))}")  # fmt: skip


def _nareis_pending(params, start):
    pending, rate = _latest_dated(chain.nareis_pending(), start), chain.nareis_grant_rate()
    return round(pending.value * rate.value / 100), (f"DERIVED: nareis applications pending {pending.ref_date} ({pending.value:,.0f}) x "
                                                      f"the MVV grant rate ({rate.value:g}%); {_sources((pending, rate))}")  # fmt: skip


DATA = {
    "inflow.nareis_pending": _nareis_pending,
    "return.other_referrals_by_year": _series(chain.dtv_other_referrals),
    "return.other_referrals_per_year": _latest(chain.dtv_other_referrals, _latest_period),
    "inflow.first_applications_by_year": _series(chain.first_applications),
    "inflow.nareis_by_year": _series(lambda: {y: f for y, f in chain.nareis_arrivals().items() if y >= 2022}),
    "ind.decisions_per_month_by_period": _series(chain.ind_first_decisions_per_month),
    "ind.decisions_per_month": _latest(chain.ind_first_decisions_per_month, _latest_period),
    "reception.housing_task_by_period": _series(chain.housing_task),
    "reception.housing_task_per_half_year": _latest(chain.housing_task, _latest_period),
    "reception.regular_places_by_period": _series(_places(0)),
    "reception.regular_places": _latest(_places(0), _latest_period),
    "reception.emergency_places_by_period": _series(_places(1)),
    "reception.emergency_places": _latest(_places(1), _latest_period),
    "ind.initial_backlog": _latest(chain.ind_backlog, _latest_dated),
    "reception.initial_status_holders": _latest(chain.coa_status_holders, _latest_dated),
    "return.initial_stock": lambda params, start: (chain.dtv_caseload().value, chain.dtv_caseload().source + " (the only caseload count shipped)"),
    "courts.initial_backlog": _appeals_residual,
    **{f"ind.recognition_{g}_by_period": _recognition_series(g) for g in GROUP_KEYS},
    **{f"ind.recognition_{g}": _recognition_latest(g) for g in GROUP_KEYS},
}
LAST = ("courts.initial_backlog",)  # depends on other resolved values


@lru_cache(maxsize=1)
def calibration() -> dict:
    path = resources.files("asylumengine.sim") / "calibration.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {"parameters": {}}


def _solidarity(field: str):
    def resolve(params, start):
        from asylumengine.solidarity import compute_cycle

        year = max(2026, start.year)  # the first AMMR cycle is 2026
        nl = compute_cycle(year).state("NL")
        return round(float(getattr(nl, field))), f"asylumengine.solidarity: the Netherlands' {field} in the {year} cycle (shipped pledges)"
    return resolve


SOLIDARITY = {"dublin.offsets_per_year": _solidarity("offsets_counted"), "costs.solidarity_per_year": _solidarity("obligation_eur")}


def can_resolve(key: str, kind: str) -> bool:
    if kind == "solidarity":
        return key in SOLIDARITY
    return key in DATA if kind == "data" else key in calibration().get("parameters", {})


def resolve(key: str, kind: str, params: dict, start: dt.date) -> tuple[object, str]:
    """(value, where it came from) for ``value: data`` or ``value: calibrated``."""
    if kind == "data":
        return DATA[key](params, start)
    if kind == "solidarity":
        return SOLIDARITY[key](params, start)
    cal = calibration()
    return cal["parameters"][key], f"calibrated on {cal['fit_window']} ({cal['command']}; sim/calibration.yaml)"
