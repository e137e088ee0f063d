"""The backcast: calibrate on 2022-2023, validate on 2024-2025 without refitting.

    python -m asylumengine.sim.backcast [--format text|json] [--replications 200]
    python -m asylumengine.sim.backcast --fit      # refit and rewrite sim/calibration.yaml

``scenarios/backcast-2022-2025.yaml`` runs the chain from the stocks of end 2021 with the
published inputs of each year (first applications, nareis, IND decisions, housing tasks, COA
places, Dutch recognition rates). The free parameters in ``FIT`` are fitted with
``scipy.optimize.least_squares`` (log errors, bounded) on the observations dated in the fit window;
the observations of the validation window are then compared with the same run. Every observation
is a published row of ``data/files`` (see ``OBSERVATIONS``); one error score per series and window
is the mean absolute relative error of its points.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import numpy as np

from asylumengine.data import chain
from asylumengine.sim.model import simulate
from asylumengine.sim.run import SimulationResult, run
from asylumengine.sim.scenario import Scenario, load

FIT_WINDOW, VALIDATION_WINDOW = (2022, 2023), (2024, 2025)
START_YEAR = 2022
MONTHS = 48
COMMAND = "python -m asylumengine.sim.backcast --fit"
# free parameters: (lower, upper) bounds; everything else is published data or the baseline's value
FIT = {
    "ind.decisions_per_month": (500.0, 3000.0),  # the IND's 2022 capacity (not published on this basis)
    "reception.housing_realisation": (0.3, 1.5),
    "return.departure_per_month": (0.005, 0.15),
    "return.in_reception_share": (0.0, 1.0),
    "dublin.transfer_rate_feasible": (0.05, 1.0),
    "courts.decisions_per_month": (200.0, 5000.0),
}


def scenario_file() -> Path:
    return Path(__file__).parents[3] / "scenarios" / "backcast-2022-2025.yaml"


@dataclass(frozen=True)
class Observation:
    series: str  # one of SERIES
    indicator: str
    kind: str  # "stock" (end of month ``at``), "year" (calendar year ``at``), "half" (half year ``at``)
    at: str  # "2023-12", "2023", "2022-H1"
    figure: chain.Figure
    note: str = ""

    @property
    def year(self) -> int:
        return int(self.at[:4])

    def window(self) -> str:
        return "fit" if FIT_WINDOW[0] <= self.year <= FIT_WINDOW[1] else "validation"

    def modelled(self, indicators: dict[str, np.ndarray]) -> np.ndarray:
        """(R,) the model's value comparable with this observation."""
        v = indicators[self.indicator]
        if self.kind == "stock":
            return v[:, (self.year - START_YEAR) * 12 + int(self.at[5:7]) - 1]
        first = (self.year - START_YEAR) * 12 + (6 if self.at.endswith("H2") else 0)
        return v[:, first : first + (6 if self.kind == "half" else 12)].sum(axis=1)


SERIES = {
    "coa_total": "COA residents (entitled to reception)",
    "coa_status_holders": "of which status holders",
    "coa_asylum_seekers": "of which asylum seekers (and others)",
    "ind_backlog": "IND backlog (asylum, all tracks)",
    "decisions": "IND first-instance decisions per year",
    "dublin_transfers": "Dublin transfers out per year",
    "housed": "status holders housed",
    "departures": "DT&V departures per year",
}


def observations() -> list[Observation]:
    out = []
    total, holders = chain.coa_total(), chain.coa_status_holders()
    for at in ("2022-12", "2023-12", "2024-12"):
        out.append(Observation("coa_total", "occupancy", "stock", at, total[at]))
        seekers = chain.derived(total[at].value - holders[at].value, at, "COA residents - status holders", total[at], holders[at])
        out.append(Observation("coa_asylum_seekers", "occupancy_asylum_seekers", "stock", at, seekers, "incl. rejected persons still in COA"))
    out += [Observation("coa_status_holders", "occupancy_status_holders", "stock", at, holders[at])
            for at in ("2022-06", "2022-12", "2023-12", "2024-06", "2024-12", "2025-02")]  # fmt: skip
    backlog = chain.ind_backlog()
    for at, key in (("2022-12", "2022-12"), ("2023-12", "2023-12"), ("2024-12", "2025-01"), ("2025-12", "2026-01")):
        out.append(Observation("ind_backlog", "backlog", "stock", at, backlog[key]))
    for y, f in chain.ind_decisions_per_year().items():
        note = "the 2025 input is derived from the same rows: a check that capacity binds, not an independent test" if y == 2025 else ""
        out.append(Observation("decisions", "decisions", "year", str(y), f, note))
    out += [Observation("dublin_transfers", "transfers", "year", str(y), f) for y, f in chain.dublin_transfers_out().items()]
    for at, f in chain.housed().items():
        kind = "half" if "H" in at else "year"
        note = "COA outflow of permit holders (includes other exits than municipal housing)" if at == "2024" else ""
        out.append(Observation("housed", "housed", kind, at, f, note))
    out += [Observation("departures", "departures", "year", str(y), f) for y, f in chain.departures().items()]
    return out


# --- the fit ------------------------------------------------------------------------------------------
def with_values(sc: Scenario, values: dict[str, float]) -> Scenario:
    params = dict(sc.params)
    for k, v in values.items():
        params[k] = replace(params[k], value=float(v))
    return replace(sc, params=params)


def residuals(sc: Scenario, obs: list[Observation]) -> np.ndarray:
    ind = simulate(sc, np.arange(1), MONTHS, seed=1, central=True)
    return np.array([np.log(max(float(o.modelled(ind)[0]), 1.0) / o.figure.value) for o in obs])


def fit(sc: Scenario | None = None) -> dict:
    """Least squares on the fit window's log errors; returns the calibration record."""
    from scipy.optimize import least_squares

    sc = sc or load(scenario_file())
    obs = [o for o in observations() if o.window() == "fit"]
    keys = list(FIT)
    lo, hi = np.array([FIT[k][0] for k in keys]), np.array([FIT[k][1] for k in keys])
    x0 = np.clip(np.array([float(sc.value(k)) for k in keys]), lo, hi)
    scale = hi - lo

    def f(z):
        return residuals(with_values(sc, dict(zip(keys, lo + z * scale))), obs)

    res = least_squares(f, (x0 - lo) / scale, bounds=(0, 1), x_scale=1.0, diff_step=1e-3, max_nfev=400)
    values = lo + res.x * scale
    return {"fit_window": f"{FIT_WINDOW[0]}-{FIT_WINDOW[1]}", "command": COMMAND, "method": "scipy.optimize.least_squares (trf, log errors)",
            "observations": len(obs), "rms_log_error": round(float(np.sqrt(np.mean(res.fun**2))), 4),
            "parameters": {k: round(float(v), 4 if v < 10 else 1) for k, v in zip(keys, values)}}  # fmt: skip


def write_calibration(record: dict, path: Path | None = None) -> Path:
    import yaml

    path = path or Path(str(resources.files("asylumengine.sim") / "calibration.yaml"))
    text = "# Written by `python -m asylumengine.sim.backcast --fit`: do not edit by hand.\n" + yaml.safe_dump(record, sort_keys=False)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
    return path


# --- the comparison -----------------------------------------------------------------------------------
def backcast_run(replications: int = 200, seed: int = 1) -> SimulationResult:
    return run(load(scenario_file()), years=MONTHS // 12, replications=replications, seed=seed, scheduler="synchronous")


def compare(result: SimulationResult) -> dict:
    """Per observation and per series x window: observed, model median [5-95%], relative error."""
    points = []
    for o in observations():
        v = o.modelled(result.indicators)
        med = float(np.median(v))
        points.append({"series": o.series, "label": SERIES[o.series], "at": o.at, "window": o.window(), "observed": o.figure.value,
                       "model_median": med, "p05": float(np.percentile(v, 5)), "p95": float(np.percentile(v, 95)),
                       "error": (med - o.figure.value) / o.figure.value, "source": o.figure.source,
                       "note": "; ".join(x for x in (o.figure.note, o.note) if x)})  # fmt: skip
    scores = []
    for s, label in SERIES.items():
        row = {"series": s, "label": label}
        for w in ("fit", "validation"):
            errs = [p["error"] for p in points if p["series"] == s and p["window"] == w]
            row[w] = {"points": len(errs), "mean_abs_error": float(np.mean(np.abs(errs))) if errs else None,
                      "within_10_percent": bool(errs) and all(abs(e) <= 0.10 for e in errs)}  # fmt: skip
        scores.append(row)
    from asylumengine.sim.inputs import calibration

    return {"fit_window": f"{FIT_WINDOW[0]}-{FIT_WINDOW[1]}", "validation_window": f"{VALIDATION_WINDOW[0]}-{VALIDATION_WINDOW[1]}",
            "replications": result.replications, "seed": result.seed, "calibration": calibration(), "scores": scores, "points": points}  # fmt: skip


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1%}"


def score_table(report: dict) -> list[str]:
    lines = ["| Series | Fit 2022-2023: mean abs. error (points) | Validation 2024-2025: mean abs. error (points) | Validation within 10% |",
             "|---|---|---|---|"]  # fmt: skip
    for r in report["scores"]:
        f, v = r["fit"], r["validation"]
        ok = "-" if not v["points"] else ("yes" if v["within_10_percent"] else "**no**")
        lines.append(f"| {r['label']} | {_pct(f['mean_abs_error'])} ({f['points']}) | {_pct(v['mean_abs_error'])} ({v['points']}) | {ok} |")
    return lines


def point_table(report: dict) -> list[str]:
    lines = ["| Series | Date | Window | Observed | Model median [90% interval] | Error |", "|---|---|---|---|---|---|"]
    for p in report["points"]:
        lines.append(f"| {p['label']} | {p['at']} | {p['window']} | {p['observed']:,.0f} | {p['model_median']:,.0f} "
                     f"[{p['p05']:,.0f} - {p['p95']:,.0f}] | {p['error']:+.1%} |")  # fmt: skip
    return lines


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description="Backcast 2022-2025: calibrate on 2022-2023, validate on 2024-2025")
    ap.add_argument("--replications", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", choices=("text", "json"), default="text")
    ap.add_argument("--fit", action="store_true", help="refit the free parameters and rewrite sim/calibration.yaml")
    args = ap.parse_args(argv)
    if args.fit:
        record = fit()
        print(f"written: {write_calibration(record)}", file=sys.stderr)
        from asylumengine.sim.inputs import calibration

        calibration.cache_clear()
    report = compare(backcast_run(args.replications, args.seed))
    if args.format == "json":
        print(json.dumps(report, indent=2))
    else:
        print("\n".join(score_table(report) + [""] + point_table(report)))
    return report


if __name__ == "__main__":  # pragma: no cover
    main()
