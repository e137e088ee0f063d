"""The `asylum` command line (Typer + Rich).

Every command reads the law and data layers through the engines' Python APIs; nothing
here computes law. Errors from bad input are printed as one line naming the file, row
and field, with exit code 2 - never a traceback.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from asylumengine import __version__
from asylumengine.cli import render, render_routes
from asylumengine.cli import relocation as relocation_command
from asylumengine.cli import solidarity as solidarity_command
from asylumengine.cli import store as _store  # runs, rerun, token; --store on simulate/compare
from asylumengine.data.figures import DataError, get_vintage, vintages
from asylumengine.data.member_states import UnknownMemberState
from asylumengine.io import OutputPathError, YamlInputError, atomic_dir, atomic_path, check_output
from asylumengine.law import ParameterError, law_parameters
from asylumengine.solidarity import InputFileError, PoolError, SolidarityError, compute_cycle

app = typer.Typer(
    name="asylum",
    help="AsylumEngine: the EU/Dutch asylum and migration system as runnable software.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)

from asylumengine.routes import CaseError, RouteError, case_schema, load_case
from asylumengine.routes import route as compute_route
from asylumengine.routes.trace import trace_case
from asylumengine.cli import render_trace

USER_ERRORS = (InputFileError, SolidarityError, PoolError, ParameterError, DataError, UnknownMemberState, CaseError, RouteError,
               OutputPathError, YamlInputError)


def _console() -> Console:
    return Console(width=None if sys.stdout.isatty() else 160)


def _fail(exc: Exception) -> None:
    # user text (ids, file names, countries) may look like Rich markup: it is printed as text
    Console(stderr=True).print(f"[bold red]Error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


def main(argv: list[str] | None = None) -> None:
    """The `asylum` entry point: a user never sees a traceback. Known input errors are reported by
    the commands; anything else (a bug, a full disk) is one line naming what failed, exit 3;
    ASYLUM_DEBUG=1 shows the traceback for a bug report. ``argv``: the arguments (default: sys.argv)."""
    try:
        app(args=argv, prog_name="asylum")
    except (KeyboardInterrupt, SystemExit):
        raise
    except OSError as exc:
        name = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        Console(stderr=True).print(f"[bold red]Error:[/] cannot read or write{escape(name)}: {escape(exc.strerror or str(exc))}",
                                   highlight=False, soft_wrap=True)  # fmt: skip
        raise SystemExit(3) from None
    except Exception as exc:  # noqa: BLE001 - the last line of defence of a command-line tool
        if os.environ.get("ASYLUM_DEBUG"):
            raise
        Console(stderr=True).print(f"[bold red]Internal error:[/] {escape(type(exc).__name__)}: {escape(str(exc))} "
                                   "(please report it; ASYLUM_DEBUG=1 shows the details)", highlight=False, soft_wrap=True)  # fmt: skip
        raise SystemExit(3) from None


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"asylumengine {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", is_eager=True, callback=_show_version, help="Show the version and exit.")
    ] = False,
) -> None:
    """AsylumEngine: the EU/Dutch asylum and migration system as runnable software."""


@app.command()
def overview() -> None:
    """The Netherlands in the 2026 solidarity cycle, and what AsylumEngine can do so far."""
    try:
        result = compute_cycle(2026)
    except USER_ERRORS as exc:  # pragma: no cover - shipped defaults are tested
        _fail(exc)
    render.overview(_console(), result)


app.command()(solidarity_command.solidarity)  # options and helpers: cli/solidarity.py
app.command()(relocation_command.relocation)  # cli/relocation.py


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
    lang: Annotated[Lang, typer.Option(help="Language of the timeline and of the JSON texts.")] = Lang.en,
    format: Annotated[RouteFormat, typer.Option("--format", "-f", help="Output format.")] = RouteFormat.text,
    schema: Annotated[bool, typer.Option("--schema", help="Print the case JSON Schema and exit.")] = False,
    trace: Annotated[bool, typer.Option("--trace", help="Also show, per step, the rules that fired and the inputs and parameters behind them.")] = False,
) -> None:
    """The procedural route of one case under the law in force: steps, deadlines, articles."""
    if schema:
        typer.echo(__import__("json").dumps(case_schema(), indent=2))
        return
    if case is None:
        _fail(ValueError("give a case file (YAML or JSON), or --schema"))
    try:
        loaded = load_case(case)
        result = compute_route(loaded, on=on.date() if on else None, regime=regime, return_regime=return_regime, lang=lang.value)
        steps = trace_case(loaded, on=on.date() if on else None, regime=regime, return_regime=return_regime) if trace else None
    except USER_ERRORS as exc:  # an error found while routing names the case file too
        _fail(exc if str(case) in str(exc) else ValueError(f"{case}: {exc}"))
    if format is RouteFormat.json:
        typer.echo(result.model_dump_json(indent=2) if steps is None else __import__("json").dumps(
            {**__import__("json").loads(result.model_dump_json()), "trace": steps}, indent=2, ensure_ascii=False))
    else:
        render_routes.route_timeline(_console(), result, lang.value)
        if steps is not None:
            render_trace.trace_steps(_console(), steps, lang.value)


from asylumengine.cli import routes_table as _routes_table  # noqa: E402 - streamed in chunks, datasets on Dask

app.command("routes")(_routes_table.routes)
app.command("population")(_routes_table.population)


class SimFormat(str, Enum):
    text = "text"
    json = "json"


def _run_scenarios(paths, years, replications, seed, scheduler, workers, outputs=()):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from asylumengine.sim import ScenarioError, load_scenario
    from asylumengine.sim import run as run_sim

    try:
        scenarios = [load_scenario(p) for p in paths]
    except ScenarioError as exc:
        _fail(exc)
    for path, option, folder in outputs:
        try:
            check_output(path, option, inputs=paths, folder=folder)
        except OutputPathError as exc:
            _fail(exc)
    results = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as progress:  # fmt: skip
        for sc in scenarios:
            task = progress.add_task(f"simulating {escape(sc.name)}", total=replications)
            try:
                results.append(run_sim(sc, years=years, replications=replications, seed=seed, scheduler=scheduler, workers=workers,
                                       progress=lambda n, task=task: progress.advance(task, n)))  # fmt: skip
            except (ValueError, OSError) as exc:
                _fail(exc)
    return results


def _outputs(html, png) -> list:
    return [(p, opt, folder) for p, opt, folder in ((html, "--html", False), (png, "--png", True)) if p]


def _emit(results, format, html, png, lang, extra: dict | None = None):
    import json as _json

    from asylumengine.reports import simulation as report

    if html:
        with atomic_path(html) as tmp:
            report.charts_html(results, tmp, lang.value)
    if png:
        with atomic_dir(png) as tmp:
            report.charts_png(results, tmp, lang.value)
    if format is SimFormat.json:
        typer.echo(_json.dumps({**report.to_json(results), **(extra or {})}, indent=2))
    else:
        report.summary_table(_console(), results, lang.value)
    for path in [p for p in (html, png) if p]:
        Console(stderr=True).print(f"written: {path}")


@app.command()
def simulate(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML), e.g. scenarios/baseline.yaml.")],
    years: Annotated[int, typer.Option(min=1, max=50, help="Years to simulate.")] = 10,
    replications: Annotated[int, typer.Option(min=1, max=1_000_000, help="Monte Carlo replications.")] = 1000,
    seed: Annotated[int, typer.Option(min=0, max=2**63 - 1, help="Random seed: same seed, same result.")] = 1,
    scheduler: Annotated[
        Optional[str], typer.Option(help="Dask scheduler address (tcp://...), or 'synchronous'; default: a local cluster.")
    ] = None,
    workers: Annotated[Optional[int], typer.Option(min=1, max=64, help="Workers of the local Dask cluster (default: one per core).")] = None,
    html: Annotated[Optional[Path], typer.Option(help="Write the charts to this self-contained HTML file.")] = None,
    png: Annotated[Optional[Path], typer.Option(help="Write the charts as PNG files into this folder.")] = None,
    lang: Annotated[Lang, typer.Option(help="Language of the tables.")] = Lang.en,
    format: Annotated[SimFormat, typer.Option("--format", "-f", help="Output format.")] = SimFormat.text,
    store: _store.StoreOption = None,
    record: _store.RecordOption = False,
) -> None:
    """The asylum chain simulated for one scenario: indicators with 90% intervals, costs, end states."""
    keep = _store.recorder(store, record)  # opens the store first: a bad --store fails before the run
    results = _run_scenarios([scenario], years, replications, seed, scheduler, workers, _outputs(html, png))
    keep(results, [scenario], years, replications, seed)
    _emit(results, format, html, png, lang)


@app.command()
def compare(
    scenarios: Annotated[list[Path], typer.Argument(help="Two or more scenario files.")],
    years: Annotated[int, typer.Option(min=1, max=50, help="Years to simulate.")] = 10,
    replications: Annotated[int, typer.Option(min=1, max=1_000_000, help="Monte Carlo replications per scenario.")] = 1000,
    seed: Annotated[int, typer.Option(min=0, max=2**63 - 1, help="Random seed (shared: common random numbers).")] = 1,
    scheduler: Annotated[Optional[str], typer.Option(help="Dask scheduler address, or 'synchronous'.")] = None,
    workers: Annotated[Optional[int], typer.Option(min=1, max=64, help="Workers of the local Dask cluster.")] = None,
    html: Annotated[Optional[Path], typer.Option(help="Write the comparison charts to this HTML file.")] = None,
    png: Annotated[Optional[Path], typer.Option(help="Write the comparison charts as PNG files into this folder.")] = None,
    lang: Annotated[Lang, typer.Option(help="Language of the tables.")] = Lang.en,
    format: Annotated[SimFormat, typer.Option("--format", "-f", help="Output format.")] = SimFormat.text,
    store: _store.StoreOption = None,
    record: _store.RecordOption = False,
) -> None:
    """Several scenarios side by side, with the same random numbers, and each one's paired difference from the first."""
    from asylumengine.cli.compare import emit_differences

    keep = _store.recorder(store, record)
    results = _run_scenarios(scenarios, years, replications, seed, scheduler, workers, _outputs(html, png))
    keep(results, scenarios, years, replications, seed)
    emit_differences(results, format, html, png, lang, _emit)


from asylumengine.cli.backcast import backcast as _backcast  # noqa: E402
from asylumengine.cli.sensitivity import sensitivity as _sensitivity  # noqa: E402

app.command("backcast")(_backcast)
app.command("sensitivity")(_sensitivity)


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


from asylumengine.cli.report import report_app  # noqa: E402  (memo reports: asylum report ...)

app.add_typer(report_app, name="report")

from asylumengine.cli import explain as _explain  # noqa: E402 - commands in their own modules

app.command("explain")(_explain.explain)

from asylumengine.cli.serve import serve  # noqa: E402

app.command("runs")(_store.runs)
app.command("rerun")(_store.rerun)
app.add_typer(_store.token_app, name="token")

app.command()(serve)


if __name__ == "__main__":  # pragma: no cover
    main()
