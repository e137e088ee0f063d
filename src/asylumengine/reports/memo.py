"""Memo-ready reports: one self-contained HTML file (and a PDF of it) for a route, a solidarity
cycle or a scenario comparison, in English or Dutch.

    >>> from asylumengine.reports.memo import route_report, pdf_from_html
    >>> html = route_report(route(load_case("examples/cases/dublin-greece-irregular-entry.yaml")), lang="nl")
    >>> pdf = pdf_from_html(html)

Each report: a summary generated from the numbers, tables, plotly charts (plotly.js inline, no
CDN), an annex of assumptions and sources, and the manifest (code version, law and data hashes,
seed, inputs). The same inputs give the same bytes: no clock, fixed element ids.
"""

from __future__ import annotations

from typing import Any

from asylumengine.reports import memo_compare, memo_route, memo_solidarity
from asylumengine.reports.i18n import Texts
from asylumengine.reports.manifest import manifest as make_manifest
from asylumengine.reports.memo_doc import render
from asylumengine.reports.pdf import pdf_from_html
from asylumengine.routes import Route
from asylumengine.sim import SimulationResult
from asylumengine.solidarity import CycleResult

__all__ = ["comparison_report", "pdf_from_html", "route_report", "solidarity_report"]


def route_report(route: Route, lang: str = "en", manifest: dict[str, Any] | None = None) -> str:
    """A case's route: responsible state, steps with deadlines and articles, timeline, citations, open points.
    A route computed in the report's language (``route(case, lang=...)``) is worded by the engine's own
    catalogue; otherwise its texts are translated by pattern where the report catalogue has them."""
    tx = Texts(lang, engine_native=route.language == lang)
    m = manifest or make_manifest(inputs={"case_id": route.case_id, "computed_on": route.computed_on.isoformat(),
                                          "regime": route.regime})  # fmt: skip
    return render(memo_route.build(route, tx, m), tx)


def solidarity_report(result: CycleResult, lang: str = "en", manifest: dict[str, Any] | None = None) -> str:
    """A solidarity cycle: every state's fair share and contribution, the Netherlands in detail, every input."""
    tx = Texts(lang)
    m = manifest or make_manifest(inputs={"year": result.year, "on": result.on.isoformat(), "vintage": result.vintage,
                                          "pool_relocations": result.pool.relocations, "pool_eur": result.pool.financial_eur,
                                          "interpretation": result.interpretation.model_dump()})  # fmt: skip
    return render(memo_solidarity.build(result, tx, m), tx)


def comparison_report(results: list[SimulationResult], lang: str = "en", manifest: dict[str, Any] | None = None) -> str:
    """Scenarios against the baseline (the first result): results, differences with 90% bands, charts, every parameter."""
    tx = Texts(lang)
    m = manifest or make_manifest(
        inputs={"scenarios": [r.scenario.path for r in results], "years": [r.years for r in results],
                "replications": [r.replications for r in results]},
        seed=results[0].seed if results else None)  # fmt: skip
    return render(memo_compare.build(results, tx, m), tx)
