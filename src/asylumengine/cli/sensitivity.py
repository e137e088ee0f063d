"""`asylum sensitivity SCENARIO`: which uncertain parameters drive the main indicators (Sobol indices, SALib)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table


def sensitivity(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML).")],
    years: Annotated[int, typer.Option(help="Years to simulate.")] = 10,
    samples: Annotated[int, typer.Option(help="Sobol base samples (a power of 2; runs = samples x (parameters + 2)).")] = 256,
    all_numeric: Annotated[bool, typer.Option("--all-numeric", help="Vary every non-zero numeric parameter (sd 0.2 where none is given).")] = False,
    top: Annotated[int, typer.Option(help="Parameters shown per indicator.")] = 8,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Global sensitivity analysis (Sobol, SALib) over the scenario's uncertain parameters, ranked per main indicator."""
    from asylumengine.sim import ScenarioError, load_scenario
    from asylumengine.sim.sensitivity import analyse

    err = Console(stderr=True)
    if format not in ("text", "json") or years < 1 or years > 50 or samples < 2:
        err.print("--format must be text or json, --years 1-50, --samples at least 2")
        raise typer.Exit(2)
    try:
        result = analyse(load_scenario(scenario), years=years, base_samples=samples, all_numeric=all_numeric)
    except (ScenarioError, ValueError) as exc:
        err.print(str(exc))
        raise typer.Exit(2) from None
    if format == "json":
        typer.echo(json.dumps(result, indent=2))
        return
    console = Console(width=160)
    console.print(f"{result['scenario']}: {len(result['parameters'])} parameters, {result['base_samples']} base samples, "
                  f"{result['runs']:,} runs of {years} years")  # fmt: skip
    for name, out in result["outputs"].items():
        table = Table(title=f"{out['label']} (mean {out['mean']:,.0f})", title_justify="left")
        for col in ("Parameter", "total effect ST", "first order S1"):
            table.add_column(col, justify="left" if col == "Parameter" else "right")
        for r in out["ranking"][:top]:
            table.add_row(r["parameter"], f"{r['ST']:.2f} +- {r['ST_conf']:.2f}", f"{r['S1']:.2f} +- {r['S1_conf']:.2f}")
        console.print(table)
