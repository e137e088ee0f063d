"""Simulation results for the API: the CLI's JSON, differences against the baseline, CSV, chart data.

Differences are taken per replication (the scenarios share their random numbers), then
summarised: median and 90% band of the difference, so a band says how sure the difference is.
"""

from __future__ import annotations

import csv
import io

import numpy as np

from asylumengine.reports.simulation import TABLE_ROWS, to_json
from asylumengine.sim import SimulationResult

CHART_INDICATORS = ("occupancy", "backlog", "emergency_occupancy", "grants", "returns_forced", "cost_total")


def _band(values: np.ndarray) -> dict[str, list[float]]:
    p05, med, p95 = np.percentile(values, [5, 50, 95], axis=0)
    return {"median": med.tolist(), "p05": p05.tolist(), "p95": p95.tolist()}


def differences(results: list[SimulationResult]) -> list[dict]:
    """For each scenario after the first: yearly difference against the first, per indicator."""
    base = results[0]
    out = []
    for r in results[1:]:
        out.append({"name": r.scenario.name, "against": base.scenario.name,
                    "indicators": {n: _band(r.yearly(n) - base.yearly(n)) for n in TABLE_ROWS}})  # fmt: skip
    return out


def result_json(results: list[SimulationResult], manifest: dict) -> dict:
    return {"manifest": manifest, **to_json(results), "differences": differences(results)}


def result_csv(results: list[SimulationResult]) -> str:
    """One row per scenario, indicator and year: median, p05, p95 (and the difference for variants)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["scenario", "indicator", "year", "median", "p05", "p95", "diff_median", "diff_p05", "diff_p95"])
    diffs = {d["name"]: d["indicators"] for d in differences(results)}
    for i, r in enumerate(results):
        summary = r.summary()
        for name in TABLE_ROWS:
            s, d = summary[name], diffs.get(r.scenario.name, {}).get(name) if i else None
            for y in range(r.years):
                dcells = [d["median"][y], d["p05"][y], d["p95"][y]] if d else ["", "", ""]
                w.writerow([r.scenario.name, name, y + 1, s["median"][y], s["p05"][y], s["p95"][y], *dcells])
    return buf.getvalue()


def months(r: SimulationResult) -> list[str]:
    s = r.scenario.start
    return [f"{s.year + (s.month - 1 + m) // 12}-{(s.month - 1 + m) % 12 + 1:02d}" for m in range(r.months)]


def chart_data(results: list[SimulationResult]) -> dict:
    """Monthly bands per scenario for the web charts, and yearly differences against the baseline."""
    years = [results[0].scenario.start.year + y for y in range(results[0].years)]
    return {"months": months(results[0]), "years": years, "indicators": list(CHART_INDICATORS),
            "scenarios": [{"name": r.scenario.name, "bands": {n: _band(r.indicators[n]) for n in CHART_INDICATORS}}
                          for r in results],
            "differences": [{"name": d["name"], "against": d["against"],
                             "indicators": {n: d["indicators"][n] for n in CHART_INDICATORS}} for d in differences(results)]}  # fmt: skip
