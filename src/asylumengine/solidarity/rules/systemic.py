"""Systemic shortcomings: AMMR Art 60(3), fourth subpara.

Contributing states "shall not be required to implement their pledges ... or to apply
responsibility offsets ... towards a benefitting Member State" in which the Commission has
identified systemic shortcomings "in a decision as referred to in Article 11 or Article
59(4)". A finding counts from the date of the Commission's decision (the seeds name the
checks of Greece and Italy on 12 July and 15 October 2026).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from asylumengine.law import ParameterError
from asylumengine.law.rules import rule
from asylumengine.solidarity.context import Law
from asylumengine.solidarity.models import StateClassification, SystemicFinding

TEXT = "ammr-part4-texts#Article 60(3)"


@rule("AMMR Art 60(3), fourth subpara", "The Commission's announced checks of systemic shortcomings in the cycle year "
      "(state -> dates); their outcome is an input", engine="solidarity", params=("solidarity.systemic_shortcomings_checks",),
      produces=("systemic_checks",), text=TEXT)  # fmt: skip
def announced_checks(law: Law, year: int) -> tuple[dict[str, list[dt.date]], str]:
    first = dt.date(year, 1, 1)
    try:
        checks = law.on_date("solidarity.systemic_shortcomings_checks", first)
    except ParameterError:
        return {}, ""
    source = law.params.at("solidarity.systemic_shortcomings_checks", first).source
    return {ms: [dt.date.fromisoformat(d) for d in days] for ms, days in checks.items()}, source


@rule("AMMR Art 60(3), fourth subpara",
      "Systemic shortcomings apply to a benefitting state from the date of the Commission decision finding them",
      engine="solidarity", reads=("systemic_shortcomings", "systemic_findings", "on"), produces=("systemic_shortcomings",),
      text=TEXT)  # fmt: skip
def shortcomings_on(c: StateClassification, findings: Iterable[SystemicFinding], on: dt.date) -> bool:
    dated = [f for f in findings if f.member_state == c.member_state and f.decided_on <= on]
    latest = max(dated, key=lambda f: f.decided_on, default=None)
    return latest.found if latest is not None else c.systemic_shortcomings


@rule("AMMR Art 60(3), fourth subpara",
      "The part of a pledge towards a state with systemic shortcomings is released, or redistributed (open point)",
      engine="solidarity", reads=("need_weights", "systemic_shortcomings"), produces=("delivery_weights", "released"),
      text=TEXT)  # fmt: skip
def delivery_weights(weights: Mapping[str, float], blocked: set[str], effect: str) -> dict[str, float]:
    """Weights of each benefitting state in a pledge's deliveries: as needed (``release``: the
    blocked part is delivered to nobody), or with the blocked part spread over the others."""
    if not blocked or effect != "redistribute":
        return dict(weights)
    open_total = sum(w for ms, w in weights.items() if ms not in blocked)
    if open_total <= 0:
        return dict(weights)
    return {ms: (0 if ms in blocked else w / open_total) for ms, w in weights.items()}
