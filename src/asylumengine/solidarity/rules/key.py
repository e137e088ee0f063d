"""The reference key ("fair share"): AMMR Art 66 and Annex I.

    Share_MS = 50% PopulationEffect_MS + 50% GDPEffect_MS          (Annex I; weights: Art 66(a)-(b))

over the n Member States bound by Part IV (Annex I: "n: the overall number of MS"). The
what-ifs of a user (another set of states, other figures, a share fixed by hand) are
computed here too, and say what they did.
"""

from __future__ import annotations

from collections.abc import Mapping

from asylumengine.data import member_states as ms_codes
from asylumengine.law.rules import rule
from asylumengine.solidarity.context import Law
from asylumengine.solidarity.errors import SolidarityError
from asylumengine.solidarity.key import KeyShare, distribution_key

TEXT = "ammr-part4-texts#Article 66"


@rule(
    "AMMR Recitals 90-91",
    "The Member States bound by Part IV, over which the key is computed (Annex I, n)",
    engine="solidarity",
    params=("solidarity.participating_member_states",),
    produces=("participating", "not_participating"),
    text="ammr-part4-texts#Recitals 90 and 91",
)
def participating_states(law: Law) -> tuple[list[str], list[str]]:
    bound = sorted(ms_codes.to_iso(c) for c in law("solidarity.participating_member_states"))
    return bound, sorted(set(ms_codes.EU27) - set(bound))


@rule(
    "AMMR Art 66",
    "Each state's share: 50% of its population share plus 50% of its GDP share (Annex I)",
    engine="solidarity",
    also=("AMMR Annex I",),
    reads=("population", "gdp"),
    params=("solidarity.key_population_weight", "solidarity.key_gdp_weight"),
    produces=("population_share", "gdp_share", "fair_share"),
    text=TEXT,
)
def reference_key(population: Mapping[str, float], gdp: Mapping[str, float], law: Law) -> dict[str, KeyShare]:
    return distribution_key(population, gdp, law("solidarity.key_population_weight"), law("solidarity.key_gdp_weight"))


@rule(
    "AMMR Art 66",
    "What-if: some shares fixed by hand, the others' shares from the data scaled to fill the rest",
    engine="solidarity",
    reads=("fixed_shares", "fair_share"),
    produces=("fair_share", "key_scaling"),
    text=TEXT,
)
def with_fixed_shares(key: dict[str, KeyShare], fixed: Mapping[str, float]) -> tuple[dict[str, KeyShare], float]:
    """``fixed`` as fractions. The other states keep their relative shares, multiplied by one
    factor so that all shares add up to one; the factor is returned so the output can say it."""
    unknown = sorted(set(fixed) - set(key))
    if unknown:
        raise SolidarityError(f"fixed share for {', '.join(unknown)}: not in the set of states of the key ({', '.join(sorted(key))})")
    negative = sorted(ms for ms, v in fixed.items() if v < 0)
    if negative:
        raise SolidarityError(f"fixed share for {', '.join(negative)}: must not be negative")
    fixed_total = sum(fixed.values())
    if fixed_total > 1:
        raise SolidarityError(f"fixed shares add up to {fixed_total:.4%}: over 100%")
    free = [ms for ms in key if ms not in fixed]
    free_total = sum(key[ms].share for ms in free)
    if not free and fixed_total != 1:
        raise SolidarityError(f"every state has a fixed share and they add up to {fixed_total:.4%}, not 100%")
    factor = (1 - fixed_total) / free_total if free else 1
    out = {}
    for ms, k in key.items():
        share = fixed[ms] if ms in fixed else k.share * factor
        out[ms] = k.model_copy(update={"share": share})
    return out, factor
