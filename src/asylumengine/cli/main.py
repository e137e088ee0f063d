"""The `asylum` command line (Typer + Rich).

Every command reads the law and data layers through the engines' Python APIs; nothing
here computes law. Errors from bad input are printed as one line naming the file, row
and field, with exit code 2 - never a traceback.
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from asylumengine import __version__
from asylumengine.cli import render, render_routes
from asylumengine.data.figures import DataError, get_vintage, vintages
from asylumengine.data.member_states import UnknownMemberState, to_iso
from asylumengine.law import ParameterError, law_parameters
from asylumengine.solidarity import (
    InputFileError,
    Interpretation,
    PoolError,
    SolidarityError,
    compute_cycle,
    load_classifications,
    load_pledges,
)

app = typer.Typer(
    name="asylum",
    help="AsylumEngine: the EU/Dutch asylum and migration system as runnable software.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)

from asylumengine.routes import CaseError, RouteError, case_schema, evaluate_population, load_case
from asylumengine.routes import route as compute_route

USER_ERRORS = (InputFileError, SolidarityError, PoolError, ParameterError, DataError, UnknownMemberState, CaseError, RouteError)


class Format(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"


def _console() -> Console:
    return Console(width=None if sys.stdout.isatty() else 160)


def _fail(exc: Exception) -> None:
    Console(stderr=True).print(f"[bold red]Error:[/] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
) -> None:
    if version:
        typer.echo(f"asylumengine {__version__}")
        raise typer.Exit()


@app.command()
def overview() -> None:
    """The Netherlands in the 2026 solidarity cycle, and what AsylumEngine can do so far."""
    try:
        result = compute_cycle(2026)
    except USER_ERRORS as exc:  # pragma: no cover - shipped defaults are tested
        _fail(exc)
    render.overview(_console(), result)


@app.command()
def solidarity(
    year: Annotated[int, typer.Option(help="Cycle year (the Pool adopted for that year is the default).")] = 2026,
    on: Annotated[
        Optional[dt.datetime],
        typer.Option(formats=["%Y-%m-%d"], help="Date whose law applies (default: 1 Jan of the year, or 12 Jun 2026 if later)."),
    ] = None,
    pool_relocations: Annotated[Optional[float], typer.Option(help="Pool size in relocations (EUR follows from the Art 12(3) ratio).")] = None,
    pool_eur: Annotated[Optional[float], typer.Option(help="Pool size in EUR (relocations follow from the ratio).")] = None,
    proposed_relocations: Annotated[
        Optional[float], typer.Option(help="Relocations in the Commission's Art 12 proposal (Art 63(1) test); default: the pool's.")
    ] = None,
    pledges: Annotated[Optional[Path], typer.Option(help="Pledge file (CSV/YAML/JSON): member_state, relocations, financial_eur, ...")] = None,
    classification: Annotated[
        Optional[Path], typer.Option(help="Classification file: member_state, status, benefitting, deduction, ...")
    ] = None,
    vintage: Annotated[Optional[str], typer.Option(help="Data vintage for the key (see `asylum vintages`).")] = None,
    state: Annotated[Optional[str], typer.Option(help="Show one Member State step by step (ISO or Eurostat code).")] = None,
    shortcomings_effect: Annotated[
        str, typer.Option(help="Art 60(3): pledges towards a state with systemic shortcomings are 'release'd or 'redistribute'd.")
    ] = "release",
    offset_ceiling: Annotated[
        str, typer.Option(help="Art 63(3) ceiling counts 'relocations_and_offsets' or 'offsets_only'.")
    ] = "relocations_and_offsets",
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
) -> None:
    """One solidarity cycle (AMMR Part IV): fair shares, pool, pledges, offsets, deductions, who owes what to whom."""
    try:
        interp = Interpretation(systemic_shortcomings_effect=shortcomings_effect, mandatory_offset_ceiling_counts=offset_ceiling)
    except ValueError:
        _fail(
            ValueError(
                "--shortcomings-effect must be 'release' or 'redistribute'; "
                "--offset-ceiling must be 'relocations_and_offsets' or 'offsets_only'"
            )
        )
    try:
        result = compute_cycle(
            year,
            on=on.date() if on else None,
            pool_relocations=pool_relocations,
            pool_eur=pool_eur,
            proposed_relocations=proposed_relocations,
            pledges=load_pledges(pledges) if pledges else None,
            classifications=load_classifications(classification) if classification else None,
            vintage=vintage,
            interpretation=interp,
        )
        focus = to_iso(state) if state else None
    except USER_ERRORS as exc:
        _fail(exc)
    if format is Format.json:
        typer.echo(render.cycle_json(result))
    elif format is Format.csv:
        typer.echo(render.cycle_csv(result), nl=False)
    elif focus:
        render.state_detail(_console(), result, focus)
    else:
        render.cycle_table(_console(), result)


class Lang(str, Enum):
    en = "en"
    nl = "nl"


class RouteFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def route(
    case: Annotated[Optional[Path], typer.Argument(help="Case file (YAML or JSON).")] = None,
    on: Annotated[
        Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"], help="Date the route is computed on (default: the case's).")
    ] = None,
    regime: Annotated[str, typer.Option(help="auto (by date), dublin-iii or pact.")] = "auto",
    return_regime: Annotated[
        str, typer.Option(help="return-directive (law now) or return-regulation-council-2025 (scenario).")
    ] = "return-directive",
    lang: Annotated[Lang, typer.Option(help="Language of the timeline.")] = Lang.en,
    format: Annotated[RouteFormat, typer.Option("--format", "-f", help="Output format.")] = RouteFormat.text,
    schema: Annotated[bool, typer.Option("--schema", help="Print the case JSON Schema and exit.")] = False,
) -> None:
    """The procedural route of one case under the law in force: steps, deadlines, articles."""
    if schema:
        typer.echo(__import__("json").dumps(case_schema(), indent=2))
        return
    if case is None:
        _fail(ValueError("give a case file (YAML or JSON), or --schema"))
    try:
        result = compute_route(load_case(case), on=on.date() if on else None, regime=regime, return_regime=return_regime)
    except USER_ERRORS as exc:
        _fail(exc)
    if format is RouteFormat.json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        render_routes.route_timeline(_console(), result, lang.value)


@app.command()
def routes(
    population: Annotated[Path, typer.Argument(help="Population table (Parquet), e.g. from `asylum population`.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the results (Parquet).")],
    on: Annotated[Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"], help="Date the routes are computed on.")] = None,
    regime: Annotated[str, typer.Option(help="auto, dublin-iii or pact.")] = "auto",
    return_regime: Annotated[str, typer.Option(help="return-directive or return-regulation-council-2025.")] = "return-directive",
    chunk: Annotated[int, typer.Option(help="Cases per batch.")] = 250_000,
) -> None:
    """Routes for a whole population table, vectorised, with a progress bar."""
    import polars as pl
    from rich.progress import Progress

    try:
        table = pl.read_parquet(population)
    except (OSError, pl.exceptions.PolarsError) as exc:
        _fail(ValueError(f"{population}: cannot read Parquet ({exc.__class__.__name__})"))
    parts = []
    try:
        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("routes", total=table.height)
            for start in range(0, table.height, chunk):
                part = table.slice(start, chunk)
                parts.append(evaluate_population(part, on=on.date() if on else None, regime=regime, return_regime=return_regime))
                progress.advance(task, part.height)
    except (ValueError, *USER_ERRORS) as exc:
        _fail(exc)
    result = pl.concat(parts) if parts else pl.DataFrame()
    result.write_parquet(output)
    Console(stderr=True).print(f"{result.height:,} routes written to {output}")


@app.command()
def population(
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the population (Parquet).")],
    size: Annotated[int, typer.Option("-n", "--size", help="Number of cases.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same population).")] = 1,
    state: Annotated[str, typer.Option(help="Member State where the applications are registered.")] = "NL",
    year: Annotated[int, typer.Option(help="Year of registration.")] = 2026,
) -> None:
    """A synthetic population of cases from the sourced data (nationality mix, families, routes, documents)."""
    from asylumengine.routes.synth import synthetic_population

    try:
        table = synthetic_population(size, seed=seed, member_state=state, year=year).to_polars()
    except USER_ERRORS as exc:
        _fail(exc)
    table.write_parquet(output)
    Console(stderr=True).print(f"{table.height:,} synthetic cases written to {output}")


class SimFormat(str, Enum):
    text = "text"
    json = "json"


def _run_scenarios(paths, years, replications, seed, scheduler, workers):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from asylumengine.sim import ScenarioError, load_scenario
    from asylumengine.sim import run as run_sim

    try:
        scenarios = [load_scenario(p) for p in paths]
    except ScenarioError as exc:
        _fail(exc)
    results = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as progress:  # fmt: skip
        for sc in scenarios:
            task = progress.add_task(f"simulating {sc.name}", total=replications)
            try:
                results.append(run_sim(sc, years=years, replications=replications, seed=seed, scheduler=scheduler, workers=workers,
                                       progress=lambda n, task=task: progress.advance(task, n)))  # fmt: skip
            except (ValueError, OSError) as exc:
                _fail(exc)
    return results


def _emit(results, format, html, png, lang):
    import json as _json

    from asylumengine.reports import simulation as report

    if html:
        report.charts_html(results, html, lang.value)
    if png:
        report.charts_png(results, png, lang.value)
    if format is SimFormat.json:
        typer.echo(_json.dumps(report.to_json(results), indent=2))
    else:
        report.summary_table(_console(), results, lang.value)
    for path in [p for p in (html, png) if p]:
        Console(stderr=True).print(f"written: {path}")


@app.command()
def simulate(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML), e.g. scenarios/baseline.yaml.")],
    years: Annotated[int, typer.Option(help="Years to simulate.")] = 10,
    replications: Annotated[int, typer.Option(help="Monte Carlo replications.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same result.")] = 1,
    scheduler: Annotated[
        Optional[str], typer.Option(help="Dask scheduler address (tcp://...), or 'synchronous'; default: a local cluster.")
    ] = None,
    workers: Annotated[Optional[int], typer.Option(help="Workers of the local Dask cluster (default: one per core).")] = None,
    html: Annotated[Optional[Path], typer.Option(help="Write the charts to this self-contained HTML file.")] = None,
    png: Annotated[Optional[Path], typer.Option(help="Write the charts as PNG files into this folder.")] = None,
    lang: Annotated[Lang, typer.Option(help="Language of the tables.")] = Lang.en,
    format: Annotated[SimFormat, typer.Option("--format", "-f", help="Output format.")] = SimFormat.text,
) -> None:
    """The asylum chain simulated for one scenario: indicators with 90% intervals, costs, end states."""
    results = _run_scenarios([scenario], years, replications, seed, scheduler, workers)
    _emit(results, format, html, png, lang)


@app.command()
def compare(
    scenarios: Annotated[list[Path], typer.Argument(help="Two or more scenario files.")],
    years: Annotated[int, typer.Option(help="Years to simulate.")] = 10,
    replications: Annotated[int, typer.Option(help="Monte Carlo replications per scenario.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed (shared: common random numbers).")] = 1,
    scheduler: Annotated[Optional[str], typer.Option(help="Dask scheduler address, or 'synchronous'.")] = None,
    workers: Annotated[Optional[int], typer.Option(help="Workers of the local Dask cluster.")] = None,
    html: Annotated[Optional[Path], typer.Option(help="Write the comparison charts to this HTML file.")] = None,
    png: Annotated[Optional[Path], typer.Option(help="Write the comparison charts as PNG files into this folder.")] = None,
    lang: Annotated[Lang, typer.Option(help="Language of the tables.")] = Lang.en,
    format: Annotated[SimFormat, typer.Option("--format", "-f", help="Output format.")] = SimFormat.text,
) -> None:
    """Several scenarios side by side, with the same random numbers, so differences are the policy's."""
    results = _run_scenarios(scenarios, years, replications, seed, scheduler, workers)
    _emit(results, format, html, png, lang)


@app.command()
def params(
    on: Annotated[
        Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"], help="Date (default: 12 June 2026).")
    ] = None,
    name: Annotated[Optional[str], typer.Argument(help="Only parameters whose name contains this.")] = None,
) -> None:
    """The dated law parameters in force on a date, each with its article and source."""
    day = on.date() if on else dt.date(2026, 6, 12)
    render.parameters(_console(), law_parameters(), day, name)


@app.command("vintages")
def list_vintages() -> None:
    """The data vintages for the solidarity key, and where their figures come from."""
    try:
        render.vintages(_console(), [get_vintage(v) for v in vintages()])
    except USER_ERRORS as exc:  # pragma: no cover
        _fail(exc)


from asylumengine.cli.serve import serve  # noqa: E402

app.command()(serve)


if __name__ == "__main__":  # pragma: no cover
    app()
