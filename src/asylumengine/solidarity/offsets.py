"""Responsibility offsets (AMMR Art 63, procedure Art 69).

Art 63(1): if the relocations pledged in the Council act reach at least 50% of the
number in the Commission's Art 12 proposal, a benefitting state may ask for offsets
instead of relocations (voluntary).
Art 63(2): a contributing state may offer offsets if that threshold is met, or if it
pledged at least 50% of its own fair share (in relocations) as relocations.
Art 63(3): after the High-Level Forum reconvened under Art 13(4), if pledged
relocations are below 30,000 (the Art 12(2)(a) number) or below 60% of the reference
number, contributing states *must* take over applications, up to the higher of those
two numbers; Art 63(4) applies the same test to pledges left to implement after
deductions and exemptions.
Art 63(7): no state has to go beyond its fair share.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel


class Thresholds(BaseModel):
    voluntary_share_of_proposal: float  # Art 63(1): 0.5
    voluntary_share_of_own_fair_share: float  # Art 63(2): 0.5
    mandatory_absolute: float  # Art 63(3) -> Art 12(2)(a): 30,000
    mandatory_share_of_reference: float  # Art 63(3): 0.6


def voluntary_available(pledged: float, proposed: float, t: Thresholds) -> bool:
    """Art 63(1): pledges "reach at least" 50% of the proposed relocations."""
    return pledged >= t.voluntary_share_of_proposal * proposed


def contributor_may_offer(own_pledged: float, own_fair_share_relocations: float, regime_voluntary: bool, t: Thresholds) -> bool:
    """Art 63(2): the Art 63(1) threshold is met, or the state pledged >= 50% of its fair share as relocations."""
    return regime_voluntary or own_pledged >= t.voluntary_share_of_own_fair_share * own_fair_share_relocations


def mandatory_triggered(pledged: float, reference: float, t: Thresholds) -> bool:
    """Art 63(3)-(4): pledges (to be implemented) "below" 30,000 or "below" 60% of the reference number."""
    return pledged < t.mandatory_absolute or pledged < t.mandatory_share_of_reference * reference


def mandatory_ceiling(reference: float, t: Thresholds) -> float:
    """Art 63(3): "up to the higher of those two numbers"."""
    return max(t.mandatory_absolute, t.mandatory_share_of_reference * reference)


def allocate_mandatory(needed: float, shares: Mapping[str, float], caps: Mapping[str, float]) -> dict[str, float]:
    """Spread ``needed`` offsets over contributing states by their key share, each capped
    at ``caps`` (its fair share, Art 63(7)); what a capped state cannot take goes to the
    others in proportion, until nothing is left or everyone is at its cap.

    How the obligation is split is not written in Art 63; splitting by the key is the
    reading of Art 63(7) + Recital 33 documented in docs/solidarity.md.
    """
    alloc = {ms: 0.0 for ms in shares}
    open_ = {ms for ms in shares if caps[ms] > 0 and shares[ms] > 0}
    left = needed
    while left > 1e-9 and open_:
        total = sum(shares[ms] for ms in open_)
        step = {ms: left * shares[ms] / total for ms in open_}
        left = 0.0
        for ms in sorted(open_):
            room = caps[ms] - alloc[ms]
            take = min(room, step[ms])
            alloc[ms] += take
            left += step[ms] - take
        open_ = {ms for ms in open_ if caps[ms] - alloc[ms] > 1e-9}
    return alloc
