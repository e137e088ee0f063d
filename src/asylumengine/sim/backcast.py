"""The backcast: run 2023-2025 with published inflows and compare with figures the model did not use.

    python -m asylumengine.sim.backcast [--replications 500] [--out docs/img]

Targets are published figures (shared/data rows, sources below) that are *not* inputs of
scenarios/backcast-2023-2025.yaml nor of the calibration of the baseline (the Dublin transfer
rate is calibrated on 2024, so only 2023 transfers are a check).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from asylumengine.sim.run import SimulationResult, run
from asylumengine.sim.scenario import load


@dataclass(frozen=True)
class Target:
    label: str
    indicator: str
    month: int | None  # month index from January 2023 (stock at the end of that month); None: year total
    year: int | None
    value: float
    source: str


TARGETS = (
    Target("COA residents, 25 Sep 2023", "occupancy", 8, None, 31087 + 20834,
           "COA capaciteit en bezetting 2023-09-25: 31 087 regular + 20 834 emergency (nl_reception.csv)"),
    Target("COA asylum seekers + status holders, Nov 2024", "occupancy", 22, None, 53000 + 19000,
           "NOS 2024-11: 53 000 asylum seekers and 19 000 status holders (nl_reception.csv)"),
    Target("Status holders in COA, Nov 2024", "occupancy_status_holders", 22, None, 19000, "NOS 2024-11 (nl_reception.csv)"),
    Target("Asylum seekers in COA, Nov 2024", "occupancy_asylum_seekers", 22, None, 53000, "NOS 2024-11 (nl_reception.csv)"),
    Target("Dublin transfers out, 2023", "transfers", None, 0, 1807, "AIDA citing Eurostat, 2023 (dublin.csv)"),
)  # fmt: skip


def compare(result: SimulationResult) -> list[dict]:
    rows = []
    for t in TARGETS:
        if t.month is not None:
            v = result.indicators[t.indicator][:, t.month]
        else:
            v = result.yearly(t.indicator)[:, t.year]
        med = float(np.median(v))
        rows.append({
            "label": t.label, "observed": t.value, "model_median": med, "p05": float(np.percentile(v, 5)),
            "p95": float(np.percentile(v, 95)), "error": (med - t.value) / t.value, "within_10_percent": abs(med - t.value) <= 0.1 * t.value,
            "source": t.source,
        })  # fmt: skip
    return rows


def chart(result: SimulationResult, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    months = np.arange(result.months)
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    for name, colour, label in (("occupancy", "tab:blue", "COA occupancy"), ("occupancy_status_holders", "tab:orange", "of which status holders")):
        v = result.indicators[name]
        ax.fill_between(months, np.percentile(v, 5, axis=0), np.percentile(v, 95, axis=0), color=colour, alpha=0.2)
        ax.plot(months, np.median(v, axis=0), color=colour, label=f"{label} (model median, 90% band)")
    for t in TARGETS:
        if t.month is not None and t.indicator in ("occupancy", "occupancy_status_holders"):
            colour = "tab:blue" if t.indicator == "occupancy" else "tab:orange"
            ax.scatter([t.month], [t.value], color=colour, edgecolor="black", zorder=5, s=50)
    ax.set_xticks(range(0, result.months, 6))
    ax.set_xticklabels([f"{2023 + m // 12}-{m % 12 + 1:02d}" for m in range(0, result.months, 6)], rotation=30)
    ax.set_ylabel("persons")
    ax.set_title("Backcast 2023-2025: model (lines, bands) against published figures (dots)")
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
    return path


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description="Backcast 2023-2025 against published figures")
    ap.add_argument("--replications", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path("docs/img"))
    args = ap.parse_args(argv)
    scenario_file = Path(__file__).parents[3] / "scenarios" / "backcast-2023-2025.yaml"
    result = run(load(scenario_file), years=3, replications=args.replications, seed=args.seed, scheduler="synchronous")
    rows = compare(result)
    chart(result, args.out / "backcast.png")
    for r in rows:
        print(f"{r['label']:<48} observed {r['observed']:>8,.0f}  model {r['model_median']:>8,.0f} "
              f"[{r['p05']:,.0f} - {r['p95']:,.0f}]  {r['error']:+.1%}  {'ok' if r['within_10_percent'] else 'MISS'}")  # fmt: skip
    return rows


if __name__ == "__main__":  # pragma: no cover
    main()
