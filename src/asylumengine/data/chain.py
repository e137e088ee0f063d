"""Sourced figures of the Dutch asylum chain (IND, COA, housing, DT&V, Dublin), by period.

Copies of the project's sourced files in ``shared/data`` ship in ``data/files/`` with their source
columns (docs/data.md). ``figure(file, indicator, ref_date, **match)`` returns one published row as
a :class:`Figure` (value, reference date, source, note); the series below pick, per period, the rows
the simulation uses as inputs (time-varying capacities, warm-start stocks) or as observations (the
backcast). Where a value is derived from published rows the ``note`` says how, starting with
"DERIVED"; nothing here is estimated or invented.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


class DataMissing(LookupError):
    """A figure asked for is not in the shipped files."""


@dataclass(frozen=True)
class Figure:
    value: float
    ref_date: str
    source: str  # "file.csv: indicator ref_date (source of the row)"
    note: str = ""


@lru_cache(maxsize=None)
def rows(name: str) -> tuple[dict, ...]:
    path = resources.files("asylumengine.data") / "files" / name
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def figure(name: str, indicator: str, ref_date: str, **match: str) -> Figure:
    """The one row of ``name`` with this indicator and reference date (and column values)."""
    found = [r for r in rows(name) if r["indicator"] == indicator and r["ref_date"] == ref_date
             and all(r.get(k) == v for k, v in match.items())]  # fmt: skip
    if not found:
        raise DataMissing(f"{name}: no row {indicator} {ref_date} {match or ''}".strip())
    r = found[0]
    return Figure(float(r["value"]), ref_date, f"{name}: {indicator} {ref_date} ({r['source']})", r.get("note", ""))


def derived(value: float, ref_date: str, how: str, *parts: Figure) -> Figure:
    """A value computed from published rows; the source lists them, the note says how."""
    return Figure(value, ref_date, "; ".join(p.source for p in parts), f"DERIVED: {how}")


def _mean(name: str, indicator: str, dates: tuple[str, ...], label: str, **match: str) -> Figure:
    figs = [figure(name, indicator, d, **match) for d in dates]
    return derived(sum(f.value for f in figs) / len(figs), label, f"mean of {', '.join(dates)}", *figs)


# --- inflow -----------------------------------------------------------------------------------
def first_applications() -> dict[int, Figure]:
    """First asylum applications per calendar year (CBS persons; 2025 rounded)."""
    return {y: figure("nl_asylum.csv", "first_asylum_applications", str(y), nationality="total", unit="persons")
            for y in (2022, 2023, 2024, 2025)}  # fmt: skip


def nareis_arrivals() -> dict[int, Figure]:
    """Arriving family members (nareizigers) per calendar year (CBS)."""
    return {y: figure("nl_asylum.csv", "family_reunification_arrivals_nareizigers", str(y), nationality="total")
            for y in (2021, 2022, 2023, 2024, 2025)}  # fmt: skip


# --- IND ----------------------------------------------------------------------------------------
def ind_first_decisions_per_month() -> dict[int, Figure]:
    """IND first-instance decisions on first asylum applications per month, by year.

    2022 has no published count on this basis (gap 11 in shared/data): the backcast fits it."""
    f = "nl_ind_decisions.csv"
    y2023 = figure(f, "eurostat_first_instance_decisions_total", "2023", procedure="first_instance_eurostat")
    y2024 = _mean(f, "ind_decisions", ("2024-04", "2024-07", "2024-08", "2024-09", "2024-12"), "2024", procedure="first_asylum")
    grants = figure(f, "ind_grants", "2025-01-01/2025-09-22", procedure="first_asylum")
    rate = figure(f, "ind_grant_rate", "2025-01-01/2025-09-22", procedure="first_asylum")
    months_2025 = 8 + 22 / 30
    y2025 = derived(grants.value / (rate.value / 100) / months_2025, "2025",
                    "4 730 grants = 33% of decisions, 1 Jan - 22 Sep 2025 (8.73 months)", grants, rate)  # fmt: skip
    return {2023: derived(y2023.value / 12, "2023", "Eurostat persons covered by first-instance decisions / 12", y2023),
            2024: y2024, 2025: y2025}  # fmt: skip


def ind_decisions_per_year() -> dict[int, Figure]:
    """Observed first-instance decisions per year (the backcast's observation)."""
    f = "nl_ind_decisions.csv"
    y2023 = figure(f, "eurostat_first_instance_decisions_total", "2023", procedure="first_instance_eurostat")
    more = figure(f, "ind_decisions_change_vs_previous_year", "2024", procedure="all_asylum")
    per_month_2025 = ind_first_decisions_per_month()[2025]
    return {2023: y2023, 2024: derived(y2023.value + more.value, "2024", "2023 (Eurostat) + the IND's 5 480 more decisions in 2024", y2023, more),
            2025: derived(per_month_2025.value * 12, "2025", per_month_2025.note + " x 12", per_month_2025)}  # fmt: skip


def ind_grant_rate() -> dict[int, Figure]:
    """The Dutch first-instance recognition rate per year (all nationalities)."""
    f = "nl_ind_decisions.csv"
    out = {y: figure(f, "recognition_rate_first_instance", str(y), procedure="first_instance_eurostat") for y in (2021, 2022, 2023, 2024)}
    out[2025] = figure(f, "ind_grant_rate", "2025-01-01/2025-09-22", procedure="first_asylum")
    return out


def ind_backlog() -> dict[str, Figure]:
    """Asylum applications pending at the IND (all asylum tracks), at dated points."""
    f = "nl_ind_backlog.csv"
    return {
        "2022-01": figure(f, "ind_pending", "2022-01-01", procedure="all_asylum"),
        "2022-12": figure(f, "ind_pending", "2022-12-31", procedure="all_asylum"),
        "2023-12": figure(f, "ind_pending", "2023-12-31", procedure="all_asylum"),
        "2025-01": figure(f, "ind_pending", "2025-01", procedure="all_asylum"),
        "2026-01": figure(f, "ind_pending", "2026-01", procedure="all_asylum"),
    }


# --- COA reception ------------------------------------------------------------------------------
def coa_total() -> dict[str, Figure]:
    """Persons entitled to COA reception (in regular, emergency and outside-COA locations)."""
    f = "nl_coa_occupancy.csv"
    return {"2021-12": figure(f, "coa_persons_entitled_to_reception", "2021-12-31"),
            "2022-12": figure(f, "coa_persons_entitled_to_reception", "2022-12-05"),
            "2023-12": figure(f, "coa_persons_entitled_to_reception", "2024-01-01"),
            "2024-12": figure(f, "coa_persons_entitled_to_reception", "2025-01-06")}  # fmt: skip


def coa_status_holders() -> dict[str, Figure]:
    """Status holders in COA waiting for housing, at dated points."""
    f = "nl_coa_occupancy.csv"
    return {"2021-12": figure(f, "coa_residents_status_holders", "2021-12-31"),
            "2022-06": figure(f, "coa_residents_status_holders", "2022-07-01"),
            "2022-12": figure(f, "coa_residents_status_holders", "2023-01-02"),
            "2023-12": figure(f, "coa_residents_status_holders", "2024-01-01"),
            "2024-06": figure(f, "coa_residents_status_holders", "2024-07"),
            "2024-12": figure(f, "coa_residents_status_holders", "2025-01-06"),
            "2025-02": figure(f, "coa_residents_status_holders", "2025-03")}  # fmt: skip


def coa_places() -> dict[int, tuple[Figure, Figure]]:
    """(regular, emergency) residents at the start of each year, taken as the places in use."""
    f = "nl_coa_occupancy.csv"
    return {y: (figure(f, "coa_residents_in_regular_locations", d), figure(f, "coa_residents_in_emergency_locations", d))
            for y, d in ((2023, "2023-01-02"), (2024, "2024-01-01"), (2025, "2025-01-06"))}  # fmt: skip


# --- housing ------------------------------------------------------------------------------------
def housing_task() -> dict[str, Figure]:
    """The municipalities' housing task (taakstelling) per half year; 2024-H2 is not published."""
    f = "nl_housing.csv"
    out = {h: figure(f, "taakstelling", h) for h in ("2022-H2", "2023-H1", "2023-H2", "2024-H1", "2025-H1", "2025-H2")}
    out["2022-H1"] = figure(f, "taakstelling", "2022-H1", unit="persons")
    h1 = out["2024-H1"]
    out["2024-H2"] = derived(h1.value, "2024-H2", "2024-H2 task not found (shared/data gap 12): the 2024-H1 task carried forward", h1)
    return dict(sorted(out.items()))


def housed() -> dict[str, Figure]:
    """Status holders housed (realised), where published: half-years 2022 and COA outflow 2024."""
    f = "nl_housing.csv"
    return {"2022-H1": figure(f, "housed", "2022-H1"), "2022-H2": figure(f, "housed", "2022-H2"),
            "2024": figure("nl_reception.csv", "coa_outflow_permit_holders", "2024")}  # fmt: skip


# --- Dublin and return --------------------------------------------------------------------------
def dublin_transfers_out() -> dict[int, Figure]:
    f = "dublin.csv"
    return {y: figure(f, "outgoing_transfers", str(y), geo="NL", partner="TOTAL", unit="persons") for y in (2023, 2024)}


def departures() -> dict[int, Figure]:
    """DT&V departures (independent verified + forced + without supervision) per year."""
    f = "returns.csv"
    out = {}
    for y in (2022, 2024):
        parts = [figure(f, k, str(y)) for k in ("departure_independent_verified", "departure_forced", "departure_independent_unsupervised")]
        out[y] = derived(sum(p.value for p in parts), str(y), "verified + forced + without supervision", *parts)
    return out


def nareis_pending() -> dict[str, Figure]:
    """Family-reunification (nareis) applications pending at the IND, at dated points."""
    f = "nl_ind_backlog.csv"
    return {"2022-12": figure(f, "ind_pending", "2022-12-31", procedure="nareis_family_reunification"),
            "2023-12": figure(f, "ind_pending", "2023-12-31", procedure="nareis_family_reunification"),
            "2024-12": figure(f, "ind_pending", "2024-12", procedure="nareis_family_reunification")}  # fmt: skip


def nareis_grant_rate() -> Figure:
    return figure("nl_ind_decisions.csv", "ind_grant_rate", "2025-01-01/2025-09-22", procedure="nareis_mvv")


def dtv_other_referrals() -> dict[int, Figure]:
    """DT&V intake referred by the police, the KMar and others (not by the IND) per year: people
    with a duty to leave who did not pass through the asylum chain modelled."""
    f = "returns.csv"
    out = {}
    for y in (2022, 2023, 2024):
        parts = [figure(f, k, str(y)) for k in ("dtv_intake_from_police", "dtv_intake_from_KMar", "dtv_intake_other")]
        out[y] = derived(sum(p.value for p in parts), str(y), "police + KMar + other referrals", *parts)
    return out


def dtv_caseload() -> Figure:
    return figure("returns.csv", "dtv_caseload", "2024-08-31")
