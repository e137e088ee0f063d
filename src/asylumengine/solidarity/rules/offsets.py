"""Responsibility offsets: AMMR Art 63 (procedure Art 69; the reconvened Forum of Art 13(4)).

Art 63(1): pledges "equal to or above 50 %" of the proposal -> a benefitting state may ask.
Art 63(2): a contributing state may offer if (a) that threshold is reached, or (b) it pledged
"50 % or more" of its own fair share as relocations.
Art 63(3): "following the meeting of the High-Level Forum convened in accordance with
Article 13(4)", pledges "below" 30,000 (Art 12(2)(a)) or "below 60 %" of the reference
number -> contributing states must take responsibility "up to the higher of the two numbers";
Art 63(4): the same for the pledges "to be implemented" after deductions and exemptions.
Art 63(5): after the year, up to the relocations pledged and not implemented, on request.
Art 63(7): no state beyond its fair share.
Which basis a state's offsets have is the first row of ``OFFSET_BASIS`` that holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import BaseModel

from asylumengine.law.rules import rule
from asylumengine.solidarity.context import EPSILON, Law

TEXT = "ammr-part4-texts#Article 63(1)-(9)"
PROPOSAL_PARAMS = ("solidarity.offsets_voluntary_share_of_proposal",)  # Art 63(1)
OWN_SHARE_PARAMS = ("solidarity.offsets_voluntary_share_of_own_fair_share",)  # Art 63(2)(b)
MANDATORY_PARAMS = ("solidarity.minimum_pool_relocations", "solidarity.offsets_mandatory_share_of_reference")  # Art 63(3)
THRESHOLD_PARAMS = PROPOSAL_PARAMS + OWN_SHARE_PARAMS + MANDATORY_PARAMS


class Thresholds(BaseModel):
    voluntary_share_of_proposal: float  # Art 63(1)
    voluntary_share_of_own_fair_share: float  # Art 63(2)(b)
    mandatory_absolute: float  # Art 63(3)(a) -> Art 12(2)(a)
    mandatory_share_of_reference: float  # Art 63(3)(b)


def offsets_in_force(law: Law) -> bool:
    """Art 63 applies from 12 June 2026 (Art 85): its thresholds are dated from then."""
    return all(law.in_force(name) for name in PROPOSAL_PARAMS)


def thresholds(law: Law) -> Thresholds:
    if not offsets_in_force(law):
        return Thresholds(voluntary_share_of_proposal=0, voluntary_share_of_own_fair_share=0, mandatory_absolute=0,
                          mandatory_share_of_reference=0)  # fmt: skip
    return Thresholds(**dict(zip(Thresholds.model_fields, (law(name) for name in THRESHOLD_PARAMS), strict=True)))


@rule("AMMR Art 63(1)", "Voluntary offsets: relocation pledges equal to or above 50% of the proposal's relocations",
      engine="solidarity", reads=("total_pledged_relocations", "proposed_relocations"), params=PROPOSAL_PARAMS,
      produces=("voluntary_available",), text=TEXT)  # fmt: skip
def voluntary_available(pledged: float, proposed: float, t: Thresholds) -> bool:
    return pledged >= t.voluntary_share_of_proposal * proposed


@rule("AMMR Art 63(2)", "A contributing state may offer offsets: Art 63(1) threshold reached, or 50% or more of its "
      "fair share pledged as relocations", engine="solidarity", also=("AMMR Art 63(2)(a)", "AMMR Art 63(2)(b)"),
      reads=("pledged_relocations", "reference_relocations", "voluntary_available"), params=OWN_SHARE_PARAMS,
      produces=("may_offer_offsets",), text=TEXT)  # fmt: skip
def contributor_may_offer(own_pledged: float, own_fair_share_relocations: float, regime_voluntary: bool, t: Thresholds) -> bool:
    return regime_voluntary or own_pledged >= t.voluntary_share_of_own_fair_share * own_fair_share_relocations


@rule("AMMR Art 63(3)", "Mandatory offsets: relocation pledges below 30,000 or below 60% of the reference number",
      engine="solidarity", also=("AMMR Art 63(3)(a)", "AMMR Art 63(3)(b)", "AMMR Art 63(4)"),
      reads=("total_pledged_relocations", "pool_relocations"), params=MANDATORY_PARAMS,
      produces=("mandatory_triggered",), text=TEXT)  # fmt: skip
def mandatory_triggered(pledged: float, reference: float, t: Thresholds) -> bool:
    return pledged < t.mandatory_absolute or pledged < t.mandatory_share_of_reference * reference


@rule("AMMR Art 63(3)", "Mandatory offsets run up to the higher of 30,000 and 60% of the reference number",
      engine="solidarity", reads=("pool_relocations",), params=MANDATORY_PARAMS, produces=("mandatory_ceiling",),
      text=TEXT)  # fmt: skip
def mandatory_ceiling(reference: float, t: Thresholds) -> float:
    return max(t.mandatory_absolute, t.mandatory_share_of_reference * reference)


@rule("AMMR Art 63(7)", "Mandatory offsets spread over contributing states by the key, none beyond its fair share",
      engine="solidarity", reads=("fair_share", "mandatory_needed"), produces=("mandatory_offsets_up_to",), text=TEXT)  # fmt: skip
def allocate_mandatory(needed: float, shares: Mapping[str, float], caps: Mapping[str, float]) -> dict[str, float]:
    """What a capped state cannot take goes to the others in proportion, until nothing is left
    or everyone is at its cap. The split is not written in Art 63; by the key is the reading of
    Art 63(7) + Recital 33 documented in docs/solidarity.md."""
    alloc = {ms: 0.0 for ms in shares}
    open_ = {ms for ms in shares if caps[ms] > 0 and shares[ms] > 0}
    left = needed
    while left > EPSILON and open_:
        total = sum(shares[ms] for ms in open_)
        step = {ms: left * shares[ms] / total for ms in open_}
        left = 0.0
        for ms in sorted(open_):
            take = min(caps[ms] - alloc[ms], step[ms])
            alloc[ms] += take
            left += step[ms] - take
        open_ = {ms for ms in open_ if caps[ms] - alloc[ms] > EPSILON}
    return alloc


@dataclass(frozen=True)
class OffsetFacts:
    """What decides the basis of one state's offsets."""

    in_force: bool
    exempt: bool
    mandatory: bool
    voluntary: bool
    may_offer: bool


# First row that holds decides the basis (and whether the offsets count).
OFFSET_BASIS = (
    (lambda f: not f.in_force, "none: Art 63 does not apply on {on}", False),
    (lambda f: f.exempt, "none: state is exempt this year", False),
    (lambda f: f.mandatory, "mandatory (AMMR Art 63(3))", True),
    (lambda f: f.voluntary, "voluntary (AMMR Art 63(1))", True),
    (lambda f: f.may_offer, "voluntary (AMMR Art 63(2))", True),
    (lambda f: True, "none: neither the Art 63(1)/(2) thresholds are met nor Art 63(3) triggered", False),
)


@rule("AMMR Art 63(6)", "The basis of a state's offsets, by precedence: not in force, exempt, mandatory, voluntary",
      engine="solidarity", also=("AMMR Art 63(1)", "AMMR Art 63(2)", "AMMR Art 63(3)"),
      reads=("offsets", "exempt", "mandatory_triggered", "voluntary_available", "may_offer_offsets"),
      produces=("offset_basis", "offsets_counted"), text=TEXT)  # fmt: skip
def offset_basis(facts: OffsetFacts, on: str) -> tuple[str, bool]:
    basis, counts = next((b, c) for applies, b, c in OFFSET_BASIS if applies(facts))
    return basis.format(on=on), counts


# Art 63(4) without a reconvened Forum: "Paragraph 3 ... also applies" - with or without its
# precondition "following the meeting of the High-Level Forum convened in accordance with Article 13(4)"?
ART_63_4_READINGS = {
    "with_forum": "Art 63(4) applies paragraph 3 with its precondition: only after the reconvened Forum",
    "without_forum": "Art 63(4) stands alone: deductions and exemptions trigger mandatory offsets without the Forum",
}


@rule("AMMR Art 63(4)", "Mandatory offsets apply after the Art 13(4) Forum when pledges, or pledges left to implement "
      "after deductions and exemptions, fall below a threshold", engine="solidarity", also=("AMMR Art 63(3)", "AMMR Art 13(4)"),
      reads=("forum_reconvened", "total_pledged_relocations", "implemented_relocations"), produces=("mandatory_triggered",),
      text=TEXT)  # fmt: skip
def mandatory_applies(forum: bool, pledged_below: bool, implemented_below: bool, reading: str = "with_forum") -> bool:
    if pledged_below and forum:
        return True
    return implemented_below and (forum or reading == "without_forum")


@rule("AMMR Art 63(3)", "How many applications contributing states must still take over: the ceiling, less pledged "
      "relocations to implement where the ceiling counts them (two readings)", engine="solidarity",
      reads=("mandatory_ceiling", "implemented_relocations"), produces=("mandatory_needed",), text=TEXT)  # fmt: skip
def mandatory_needed(ceiling: float, implemented_total: float, counts: str) -> float:
    return max(0, ceiling - implemented_total if counts == "relocations_and_offsets" else ceiling)


@rule("AMMR Art 63(7)", "A state's cap: its fair share in relocations left to implement, less its own relocations "
      "where the ceiling counts them", engine="solidarity", reads=("reference_relocations", "implemented_share"),
      produces=("offset_cap",), text=TEXT)  # fmt: skip
def offset_cap(reference_reloc: float, keep: float, implemented_reloc: float, counts: str) -> float:
    return max(0, reference_reloc * keep - (implemented_reloc if counts == "relocations_and_offsets" else 0))


@rule("AMMR Art 63(5)", "After the year, a state that did not implement its pledged relocations takes over applications "
      "on a benefitting state's request, up to the relocations pledged (two readings of 'up to')", engine="solidarity",
      reads=("pledged_relocations", "relocations_implemented", "on"), produces=("year_end_offsets",), text=TEXT)  # fmt: skip
def year_end_offsets(pledged: float, implemented: int | None, after_year: bool, exempt: bool) -> tuple[str, list[tuple[str, float]]]:
    """The answer, and the two readings of the number: all relocations pledged, or those not implemented."""
    if exempt:
        return "no: the state is not obliged to implement its pledges this year (Art 60(3), third subpara)", []
    if not pledged:
        return "no: no relocations pledged", []
    readings = [("up to the number of relocations pledged (Art 57(3))", pledged)]
    if implemented is not None:
        if implemented >= pledged:
            return "no: the pledged relocations were implemented", []
        readings.append(("up to the pledged relocations not implemented", pledged - implemented))
    if not after_year:
        return "not yet: applies as soon as possible after the end of the year, at a benefitting state's request", readings
    if implemented is None:
        return "open: relocations implemented by the end of the year not given (relocations_implemented)", readings
    return "yes: at the request of a benefitting state, as soon as possible after the end of the year", readings
