"""Pledges (AMMR Art 56(2), 57(3)-(4), 65(1)): which are given, which assumed, and their value."""

from __future__ import annotations

from collections.abc import Iterable

from asylumengine.law.rules import rule
from asylumengine.solidarity.errors import SolidarityError
from asylumengine.solidarity.models import Pledge

TEXT_57 = "ammr-part4-texts#Article 57(3)-(4)"


@rule(
    "AMMR Art 57(3)",
    "Pledges must come from states bound by Part IV, once each; offsets name the benefitting state they relieve",
    engine="solidarity",
    also=("AMMR Art 63(1)", "AMMR Art 63(2)"),
    reads=("pledges",),
    produces=("pledges",),
    text=TEXT_57,
)
def checked_pledges(pledges: Iterable[Pledge], participating: list[str], benefitting: list[str]) -> dict[str, Pledge]:
    given: dict[str, Pledge] = {}
    for p in pledges:
        if p.member_state not in participating:
            raise SolidarityError(f"pledge for {p.member_state}: not bound by AMMR Part IV (Recitals 90-94)")
        if p.member_state in given:
            raise SolidarityError(f"pledge for {p.member_state}: given twice")
        if p.offsets and p.offsets_towards is None:
            raise SolidarityError(f"pledge for {p.member_state}: offsets given without offsets_towards")
        if p.offsets_towards is not None and p.offsets_towards not in benefitting:
            raise SolidarityError(
                f"pledge for {p.member_state}: offsets_towards {p.offsets_towards} is not a benefitting state "
                f"(Art 63(1)-(3) offsets take over a benefitting state's applications); benefitting: {benefitting}"
            )
        given[p.member_state] = p
    return given


@rule(
    "AMMR Art 57(4)",
    "Default for a state whose pledge is not given: its full fair share in money (benefitting states: nothing)",
    engine="solidarity",
    also=("AMMR Art 56(2)(b)", "AMMR Art 60(3), third subpara"),
    reads=("pledges", "benefitting", "reference_eur"),
    produces=("pledge", "pledge_source"),
    text=TEXT_57,
)
def pledge_of(ms: str, given: dict[str, Pledge], benefitting: bool, reference_eur: float) -> tuple[Pledge, str]:
    """The pledge of ``ms`` and whether it was ``given`` or ``assumed`` (the documented default)."""
    if ms in given:
        return given[ms], "given"
    if benefitting:
        return Pledge(member_state=ms), "assumed"
    return Pledge(member_state=ms, financial_eur=reference_eur), "assumed"


@rule(
    "AMMR Art 56(2)",
    "A pledge's value: relocations at the pool ratio, plus money, plus alternative measures at their agreed value",
    engine="solidarity",
    also=("AMMR Art 65(1)",),
    reads=("relocations", "financial_eur", "alternative_eur", "eur_per_relocation"),
    produces=("pledge_value_eur",),
    text="ammr-part4-texts#Article 56(2)",
)
def pledge_value(p: Pledge, eur_per_relocation: float) -> float:
    return p.relocations * eur_per_relocation + p.financial_eur + p.alternative_eur
