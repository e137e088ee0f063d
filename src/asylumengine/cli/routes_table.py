"""`asylum routes` and `asylum population`: whole populations as Parquet, streamed in chunks.

`asylum routes FILE -o OUT` routes a population file chunk by chunk (memory follows ``--chunk``,
not the file); `asylum routes FOLDER -o OUT_FOLDER` routes each partition of a Parquet dataset,
in-process or on a Dask cluster (``--scheduler``). Outputs appear only when complete.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from asylumengine.io import OutputPathError, check_output


def routes(
    population: Annotated[Path, typer.Argument(help="Population table (Parquet), e.g. from `asylum population`, or a folder of them (a dataset).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the results (Parquet; a folder for a dataset).")],
    on: Annotated[Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"], help="Date the routes are computed on.")] = None,
    regime: Annotated[str, typer.Option(help="auto, dublin-iii or pact.")] = "auto",
    return_regime: Annotated[str, typer.Option(help="return-directive or return-regulation-council-2025.")] = "return-directive",
    chunk: Annotated[int, typer.Option(min=1, help="Cases read, routed and written at a time (memory follows this, not the file).")] = 250_000,
    scheduler: Annotated[Optional[str], typer.Option(
        help="Dataset folder only: 'synchronous' (default: in this process), 'local' (a local Dask cluster) or a Dask scheduler address (tcp://...).")] = None,
    workers: Annotated[Optional[int], typer.Option(min=1, max=64, help="Workers of the local Dask cluster (--scheduler local).")] = None,
) -> None:
    """Routes for a whole population table (or dataset), vectorised and streamed, with a progress bar."""
    from asylumengine.cli.main import USER_ERRORS, _fail
    from asylumengine.routes.columns import PopulationFileError
    from asylumengine.routes.engine import RouteError
    from asylumengine.routes.stream import partitions, population_rows, route_dataset, route_file

    dataset = population.is_dir()
    options = dict(chunk=chunk, on=on.date() if on else None, regime=regime, return_regime=return_regime)
    try:
        check_output(output, "--output", inputs=[population], folder=dataset)
        if not dataset and (scheduler or workers):
            raise RouteError(f"--{'scheduler' if scheduler else 'workers'}: only for a dataset folder; {population} is a file")
        total = sum(population_rows(p) for p in partitions(population)) if dataset else population_rows(population)
    except (OutputPathError, PopulationFileError, RouteError) as exc:
        _fail(exc)
    try:
        with _progress(total) as advance:
            if dataset:
                rows = route_dataset(population, output, scheduler=scheduler, workers=workers, progress=advance, **options)
            else:
                rows = route_file(population, output, progress=advance, **options)
    except (ValueError, *USER_ERRORS) as exc:
        _fail(exc)
    Console(stderr=True).print(f"{rows:,} routes written to {output}")


def population(
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the population (Parquet).")],
    size: Annotated[int, typer.Option("-n", "--size", min=0, max=100_000_000, help="Number of cases.")] = 10_000,
    seed: Annotated[int, typer.Option(min=0, max=2**63 - 1, help="Random seed (same seed, same population).")] = 1,
    state: Annotated[str, typer.Option(help="Member State where the applications are registered.")] = "NL",
    year: Annotated[int, typer.Option(min=2000, max=2100, help="Year of registration.")] = 2026,
) -> None:
    """A synthetic population of cases from the sourced data (nationality mix, families, routes, documents)."""
    from asylumengine.cli.main import USER_ERRORS, _fail
    from asylumengine.routes.case import dublin_state
    from asylumengine.routes.stream import write_population

    try:
        check_output(output, "--output")
        try:
            dublin_state(state)  # a bad --state fails before anything is written
        except ValueError as exc:  # the error names the option the text came from
            raise ValueError(f"--state: {exc}") from None
        with _progress(size, "population") as advance:
            write_population(output, size, seed=seed, member_state=state, year=year, progress=advance)
    except (*USER_ERRORS, ValueError) as exc:
        _fail(exc)
    Console(stderr=True).print(f"{size:,} synthetic cases written to {output}")


class _progress:
    """A transient progress bar on stderr; the context value is ``advance(n)``."""

    def __init__(self, total: int, label: str = "routes"):
        from rich.progress import Progress

        self.bar = Progress(console=Console(stderr=True), transient=True)
        self.task = self.bar.add_task(label, total=total)

    def __enter__(self):
        self.bar.__enter__()
        return lambda n: self.bar.advance(self.task, n)

    def __exit__(self, *exc):
        return self.bar.__exit__(*exc)
