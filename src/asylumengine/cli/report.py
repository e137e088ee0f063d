"""`asylum report route|solidarity|compare`: memo-ready reports as HTML and PDF, in English or Dutch.

Each writes --html FILE and/or --pdf FILE atomically (temp file beside it, then rename), or prints
the HTML when neither is given. Bad input is one line naming the file and field, exit code 2.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from asylumengine.data.figures import DataError
from asylumengine.data.member_states import UnknownMemberState
from asylumengine.law import ParameterError
from asylumengine.reports.manifest import manifest
from asylumengine.reports.pdf import PdfError
from asylumengine.routes import CaseError, RouteError
from asylumengine.solidarity import InputFileError, PoolError, SolidarityError

report_app = typer.Typer(name="report", help="Memo-ready reports (HTML, PDF; English or Dutch) of a route, a solidarity cycle or a "
                         "scenario comparison.", no_args_is_help=True, pretty_exceptions_enable=False)  # fmt: skip

USER_ERRORS = (InputFileError, SolidarityError, PoolError, ParameterError, DataError, UnknownMemberState, CaseError, RouteError, PdfError)


class Lang(str, Enum):
    en = "en"
    nl = "nl"


LangOpt = Annotated[Lang, typer.Option(help="Language of the report.")]
HtmlOpt = Annotated[Optional[Path], typer.Option(help="Write the self-contained HTML report to this file.")]
PdfOpt = Annotated[Optional[Path], typer.Option(help="Write the report as PDF (Chromium print-to-PDF) to this file.")]


def fail(message: str) -> None:
    Console(stderr=True).print(f"[bold red]Error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temp file in the same folder, then rename: readers never see half a file."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a report is an ordinary file
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        fail(f"{path}: cannot write ({exc.strerror or exc.__class__.__name__})")


def emit(html: str, html_path: Path | None, pdf_path: Path | None) -> None:
    if html_path is None and pdf_path is None:
        sys.stdout.write(html)
        return
    if html_path is not None:
        write_atomic(html_path, html.encode("utf-8"))
    if pdf_path is not None:
        from asylumengine.reports.memo import pdf_from_html

        try:
            write_atomic(pdf_path, pdf_from_html(html))
        except PdfError as exc:
            fail(str(exc))
    for p in (html_path, pdf_path):
        if p is not None:
            Console(stderr=True).print(f"written: {p}", highlight=False)


@report_app.command("route")
def route_cmd(
    case: Annotated[Path, typer.Argument(help="Case file (YAML or JSON).")],
    on: Annotated[Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"], help="Date the route is computed on (default: the case's).")] = None,
    regime: Annotated[str, typer.Option(help="auto (by date), dublin-iii or pact.")] = "auto",
    return_regime: Annotated[str, typer.Option(help="return-directive or return-regulation-council-2025 (scenario).")] = "return-directive",
    lang: LangOpt = Lang.en,
    html: HtmlOpt = None,
    pdf: PdfOpt = None,
) -> None:
    """A case's route: responsible state, deadlines, articles, timeline, every citation and open point."""
    from asylumengine.reports.memo import route_report
    from asylumengine.routes import load_case, route

    try:
        c = load_case(case)
        r = route(c, on=on.date() if on else None, regime=regime, return_regime=return_regime, lang=str(getattr(lang, 'value', lang)))
    except USER_ERRORS as exc:
        fail(str(exc))
    inputs = {"case_file": str(case), "case": c.model_dump(mode="json"), "on": on.date().isoformat() if on else None, "regime": regime,
              "return_regime": return_regime}  # fmt: skip
    emit(route_report(r, lang.value, manifest(inputs=inputs)), html, pdf)


@report_app.command("solidarity")
def solidarity_cmd(
    year: Annotated[int, typer.Option(help="Cycle year.")] = 2026,
    on: Annotated[Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"], help="Date whose law applies.")] = None,
    pool_relocations: Annotated[Optional[float], typer.Option(help="Pool size in relocations.")] = None,
    pool_eur: Annotated[Optional[float], typer.Option(help="Pool size in EUR.")] = None,
    proposed_relocations: Annotated[Optional[float], typer.Option(help="Relocations in the Commission's Art 12 proposal.")] = None,
    pledges: Annotated[Optional[Path], typer.Option(help="Pledge file (CSV/YAML/JSON).")] = None,
    classification: Annotated[Optional[Path], typer.Option(help="Classification file.")] = None,
    vintage: Annotated[Optional[str], typer.Option(help="Data vintage for the key (see `asylum vintages`).")] = None,
    shortcomings_effect: Annotated[str, typer.Option(help="Art 60(3): 'release' or 'redistribute'.")] = "release",
    offset_ceiling: Annotated[str, typer.Option(help="Art 63(3): 'relocations_and_offsets' or 'offsets_only'.")] = "relocations_and_offsets",
    lang: LangOpt = Lang.en,
    html: HtmlOpt = None,
    pdf: PdfOpt = None,
) -> None:
    """One solidarity cycle: every state's fair share and contribution, the Netherlands in detail, every input."""
    from asylumengine.reports.memo import solidarity_report
    from asylumengine.solidarity import Interpretation, compute_cycle, load_classifications, load_pledges

    try:
        interp = Interpretation(systemic_shortcomings_effect=shortcomings_effect, mandatory_offset_ceiling_counts=offset_ceiling)
    except ValueError:
        fail("--shortcomings-effect must be 'release' or 'redistribute'; --offset-ceiling must be 'relocations_and_offsets' or 'offsets_only'")
    try:
        result = compute_cycle(year, on=on.date() if on else None, pool_relocations=pool_relocations, pool_eur=pool_eur,
                               proposed_relocations=proposed_relocations, pledges=load_pledges(pledges) if pledges else None,
                               classifications=load_classifications(classification) if classification else None, vintage=vintage,
                               interpretation=interp)  # fmt: skip
    except USER_ERRORS as exc:
        fail(str(exc))
    inputs = {"year": year, "on": result.on.isoformat(), "pool_relocations": pool_relocations, "pool_eur": pool_eur,
              "proposed_relocations": proposed_relocations, "pledges": str(pledges) if pledges else None,
              "classification": str(classification) if classification else None, "vintage": result.vintage,
              "interpretation": interp.model_dump()}  # fmt: skip
    emit(solidarity_report(result, lang.value, manifest(inputs=inputs)), html, pdf)


@report_app.command("compare")
def compare_cmd(
    scenarios: Annotated[list[Path], typer.Argument(help="Two or more scenario files; the first is the baseline.")],
    years: Annotated[int, typer.Option(help="Years to simulate.")] = 10,
    replications: Annotated[int, typer.Option(help="Monte Carlo replications per scenario.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed (shared: differences are paired per replication).")] = 1,
    scheduler: Annotated[Optional[str], typer.Option(help="Dask scheduler address, or 'synchronous'.")] = None,
    workers: Annotated[Optional[int], typer.Option(help="Workers of the local Dask cluster.")] = None,
    lang: LangOpt = Lang.en,
    html: HtmlOpt = None,
    pdf: PdfOpt = None,
) -> None:
    """Scenarios against the baseline: results, differences with 90% bands, charts, every parameter with its source."""
    from asylumengine.reports.memo import comparison_report
    from asylumengine.sim import ScenarioError, load_scenario, run

    if len(scenarios) < 2:
        fail("give at least two scenario files: the baseline first, then the scenarios to compare with it")
    try:
        loaded = [load_scenario(p) for p in scenarios]
        results = [run(s, years=years, replications=replications, seed=seed, scheduler=scheduler, workers=workers) for s in loaded]
    except (ScenarioError, ValueError, OSError) as exc:
        fail(str(exc))
    inputs = {"scenarios": [str(p) for p in scenarios], "years": years, "replications": replications}
    emit(comparison_report(results, lang.value, manifest(inputs=inputs, seed=seed)), html, pdf)
