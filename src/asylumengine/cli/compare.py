"""`asylum compare`: scenarios side by side, then each one's paired difference from the first."""

from __future__ import annotations

import json

import typer
from rich.console import Console


def emit_differences(results, format, html, png, lang, emit) -> None:
    from asylumengine.reports import simulation as report
    from asylumengine.sim.compare import against_first

    diffs = against_first(results)
    if format.value == "json":
        data = report.to_json(results)
        data["differences"] = diffs
        if html:
            report.charts_html(results, html, lang.value)
        if png:
            report.charts_png(results, png, lang.value)
        typer.echo(json.dumps(data, indent=2))
        return
    emit(results, format, html, png, lang)
    report.differences_table(Console(width=200), diffs, results, lang.value)
