"""`asylum relocation CASE`: the route of a relocated person (AMMR Arts 67-68), step by step, with dates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from asylumengine.cli.render_procedure import Format


def relocation(
    case: Annotated[Path, typer.Argument(help="Relocation case file (YAML): person, benefitting_state, relocation_state, dates.")],
    lang: Annotated[str, typer.Option(help="Language of the steps: en or nl.")] = "en",
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format (text or json).")] = Format.text,
) -> None:
    """The relocation procedure of one person (AMMR Arts 67-68): confirmation, transfer decision, transfer, after."""
    from asylumengine.cli.main import _console, _fail
    from asylumengine.routes.relocation import RelocationCaseError, load_relocation_case, relocation_route

    if lang not in ("en", "nl"):
        _fail(ValueError(f"--lang {lang}: choose en or nl"))
    try:
        result = relocation_route(load_relocation_case(case))
    except RelocationCaseError as exc:
        _fail(exc)
    if format is Format.json:
        typer.echo(result.model_dump_json(indent=2))
        return
    nl = lang == "nl"
    table = Table(title=("Herplaatsing" if nl else "Relocation") + f": {result.case_id}", header_style="bold", show_lines=True)
    for col in (("Stap", "Begin", "Termijn", "Uitkomst", "Toelichting", "Artikelen") if nl else
                ("Step", "Start", "Deadline", "Outcome", "Explanation", "Articles")):  # fmt: skip
        table.add_column(col, overflow="fold")
    for s in result.steps:
        table.add_row(getattr(s.title, lang), str(s.start or "-"), str(s.deadline or "-"), _outcome(s.outcome, lang),
                      getattr(s.explanation, lang), "; ".join(s.citations))  # fmt: skip
    console = _console()
    console.print(table)
    for p in result.open_points:
        console.print(f" - {'Open punt' if nl else 'Open point'}: {getattr(p, lang)}", highlight=False)


OUTCOMES_NL = {
    "eligible": "komt in aanmerking", "not_eligible": "komt niet in aanmerking", "confirmed": "bevestigd",
    "deemed_confirmed": "geacht bevestigd", "security_alert": "veiligheidssignaal", "within_time_limit": "binnen de termijn",
    "after_time_limit": "na de termijn", "open": "open", "status_granted": "status verleend",
    "responsibility_transferred": "verantwoordelijkheid overgegaan", "determine_responsibility": "verantwoordelijkheid te bepalen",
}  # fmt: skip


def _outcome(code: str | None, lang: str) -> str:
    if code is None:
        return "-"
    return OUTCOMES_NL.get(code, code) if lang == "nl" else code.replace("_", " ")
