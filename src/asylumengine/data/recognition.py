"""Union-wide first-instance recognition rates by citizenship (for APR Art 42(1)(j), 45(1)).

The APR asks for "the latest available yearly Union-wide average Eurostat data". The
shipped table (``data/files/recognition_rates.csv``, every row with its source) holds
EUAA EU+ rates by citizenship for some years: a proxy (EUAA counts refugee + subsidiary
protection over all decisions; Eurostat's list uses the same numerator, EU without
Denmark). We take, per citizenship, the latest *yearly* figure (not half-years or
months) among the years whose figures were out on the date (``up_to_year``: the route engine
passes the last year available on the case's date, APR Art 42(1)(j) "latest available"). A nationality without a figure is reported as unknown - the engine then keeps
the ground open instead of guessing.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

import pycountry
from pydantic import BaseModel

_NAMES = {"Syria": "SY", "Turkiye": "TR", "Palestine": "PS", "Moldova": "MD", "Venezuela": "VE", "Russia": "RU", "Iran": "IR",
          "Kosovo": "XK", "North Macedonia": "MK", "Bolivia": "BO", "Tanzania": "TZ", "Congo (DR)": "CD"}  # fmt: skip


class Rate(BaseModel):
    nationality: str
    percent: float
    year: int
    source: str
    measure: str


def _iso(name: str) -> str | None:
    if name in _NAMES:
        return _NAMES[name]
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None


@lru_cache(maxsize=16)
def union_rates(up_to_year: int | None = None) -> dict[str, Rate]:
    """Latest yearly Union-wide first-instance recognition rate per nationality (ISO alpha-2),
    of ``up_to_year`` or earlier (default: whatever year)."""
    out: dict[str, Rate] = {}
    path = resources.files("asylumengine.data") / "files" / "recognition_rates.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["scope"] not in ("EU+", "EU27") or row["measure"] != "first_instance_recognition_rate_EUAA":
                continue
            if not row["ref_date"].isdigit():  # yearly figures only
                continue
            if up_to_year is not None and int(row["ref_date"]) > up_to_year:
                continue
            iso = _iso(row["citizenship"])
            if iso is None:
                continue
            rate = Rate(nationality=iso, percent=float(row["value"]), year=int(row["ref_date"]), source=row["source"],
                        measure=row["measure"])  # fmt: skip
            if iso not in out or rate.year > out[iso].year:
                out[iso] = rate
    return out


class DatedRate(BaseModel):
    nationality: str  # ISO alpha-2, or ALL
    percent: float
    ref_date: str  # as published: 2024, 2025-H1, 2025-09
    year: int
    period_end: int  # for ordering within a year: the month it ends, 13 for a whole year
    source: str


def _period_end(ref: str) -> int:
    if ref.isdigit():
        return 13
    tail = ref[5:]
    return {"H1": 6, "H2": 12}.get(tail, int(tail) if tail.isdigit() else 12)


@lru_cache(maxsize=None)
def dated_rates(nationality: str) -> tuple[DatedRate, ...]:
    """Every Union-wide (EUAA EU+) first-instance rate shipped for a nationality (or ``ALL``), any
    period: the one table both the route engine (:func:`union_rates`: latest yearly figure, APR
    Art 42(1)(j)) and the simulation (latest figure of any period, by year) read."""
    out = []
    path = resources.files("asylumengine.data") / "files" / "recognition_rates.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["scope"] not in ("EU+", "EU27") or row["measure"] != "first_instance_recognition_rate_EUAA":
                continue
            iso = "ALL" if row["citizenship"] == "ALL" else _iso(row["citizenship"])
            if iso != nationality or "/" in row["ref_date"]:
                continue
            ref = row["ref_date"]
            out.append(DatedRate(nationality=iso, percent=float(row["value"]), ref_date=ref, year=int(ref[:4]),
                                 period_end=_period_end(ref), source=row["source"]))  # fmt: skip
    return tuple(sorted(out, key=lambda r: (r.year, r.period_end)))
