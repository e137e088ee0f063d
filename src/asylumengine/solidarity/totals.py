"""Reconciliation of a cycle: the three identities that must hold (docs/solidarity.md, step 7)."""

from __future__ import annotations

from asylumengine.solidarity.context import TOLERANCE_EUR
from asylumengine.solidarity.models import Totals
from asylumengine.solidarity.run import Run


def totals(run: Run) -> None:
    states = run.states
    s = lambda attr: sum(getattr(x, attr) for x in states)  # noqa: E731
    delivered = sum(d.value_eur for x in states for d in x.owes if not d.released)
    implemented = sum(x.pledge_value_eur * run.keep[x.member_state] for x in states) + s("offsets_value_eur")
    checks = [
        abs(s("reference_eur") - run.pool.financial_eur) < TOLERANCE_EUR,
        abs(s("obligation_eur") + s("deduction_eur") + s("exempted_eur") - s("reference_eur")) < TOLERANCE_EUR,
        abs(delivered + s("released_eur") + run.undrawn - implemented) < TOLERANCE_EUR,
    ]
    run.totals = Totals(
        fair_share=s("fair_share"), reference_relocations=s("reference_relocations"), reference_eur=s("reference_eur"),
        deduction_eur=s("deduction_eur"), exempted_eur=s("exempted_eur"), obligation_eur=s("obligation_eur"),
        pledge_value_eur=s("pledge_value_eur"), offsets_value_eur=s("offsets_value_eur"), delivered_value_eur=delivered,
        released_eur=s("released_eur"), reconciles=all(checks),
    )  # fmt: skip
