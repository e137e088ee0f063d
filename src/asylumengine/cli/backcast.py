"""`asylum backcast`: the calibrated model against published figures, fit 2022-2023, validation 2024-2025."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table


def backcast(
    replications: Annotated[int, typer.Option(help="Monte Carlo replications.")] = 200,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    fit: Annotated[bool, typer.Option("--fit", help="Refit the free parameters on 2022-2023 and rewrite sim/calibration.yaml.")] = False,
    png: Annotated[Optional[Path], typer.Option(help="Write the chart to this PNG file.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Backcast 2022-2025: per series, observed vs modelled with error, for the fit and the validation windows."""
    from asylumengine.sim import backcast as bc

    if format not in ("text", "json"):
        Console(stderr=True).print(f"--format: must be text or json, got {format!r}")
        raise typer.Exit(2)
    if fit:
        Console(stderr=True).print(f"written: {bc.write_calibration(bc.fit())}")
        from asylumengine.sim.inputs import calibration

        calibration.cache_clear()
    result = bc.backcast_run(replications, seed)
    report = bc.compare(result)
    if png:
        from asylumengine.reports.simulation import backcast_png

        Console(stderr=True).print(f"written: {backcast_png(result, report, png)}")
    if format == "json":
        typer.echo(json.dumps(report, indent=2))
        return
    table = Table(title="Backcast: mean absolute error per series", title_justify="left")
    for col in ("Series", "Fit 2022-2023", "Validation 2024-2025", "Within 10%"):
        table.add_column(col, justify="left" if col == "Series" else "right")
    for r in report["scores"]:
        f, v = r["fit"], r["validation"]
        table.add_row(r["label"], bc._pct(f["mean_abs_error"]) + f" ({f['points']})", bc._pct(v["mean_abs_error"]) + f" ({v['points']})",
                      "-" if not v["points"] else ("yes" if v["within_10_percent"] else "no"))  # fmt: skip
    console = Console(width=160)
    console.print(table)
    points = Table(title="Points", title_justify="left")
    for col in ("Series", "Date", "Window", "Observed", "Model median [90%]", "Error"):
        points.add_column(col)
    for p in report["points"]:
        points.add_row(p["label"], p["at"], p["window"], f"{p['observed']:,.0f}", f"{p['model_median']:,.0f} [{p['p05']:,.0f} - {p['p95']:,.0f}]",
                       f"{p['error']:+.1%}")  # fmt: skip
    console.print(points)
