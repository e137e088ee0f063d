"""`asylum compare`: scenarios side by side, then each one's paired difference from the first."""

from __future__ import annotations

from rich.console import Console


def emit_differences(results, format, html, png, lang, emit) -> None:
    """The scenarios' tables (or JSON) and charts through ``emit``, then the paired differences."""
    from asylumengine.reports import simulation as report
    from asylumengine.sim.compare import against_first

    diffs = against_first(results)
    emit(results, format, html, png, lang, extra={"differences": diffs})
    if format.value != "json":
        report.differences_table(Console(width=200), diffs, results, lang.value)
