"""The distribution key ("fair share"), AMMR Art 66 and Annex I.

    Share_MS = 0.5 x PopulationEffect_MS + 0.5 x GDPEffect_MS            (Annex I)
    PopulationEffect_MS = Pop_MS / sum(Pop_i),  GDPEffect_MS = GDP_MS / sum(GDP_i)

over the n Member States bound by Part IV (Annex I: "n: the overall number of Member
States"; which ones: parameter ``solidarity.participating_member_states``). The weights
are law parameters (AMMR Art 66(a)-(b)). Population and GDP come from a data vintage.

Pure arithmetic on plain numbers, so it can be tested on made-up states.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict


class KeyShare(BaseModel):
    """One Member State's share of the key, with its two components (all as fractions)."""

    model_config = ConfigDict(frozen=True)

    member_state: str
    population_share: float
    gdp_share: float
    share: float


def distribution_key(
    population: Mapping[str, float],
    gdp: Mapping[str, float],
    population_weight: float,
    gdp_weight: float,
) -> dict[str, KeyShare]:
    """Fair share of each state in ``population`` (the same states must be in ``gdp``)."""
    if set(population) != set(gdp):
        missing = sorted(set(population) ^ set(gdp))
        raise ValueError(f"population and GDP must cover the same states; differ on {missing}")
    if abs(population_weight + gdp_weight - 1.0) > 1e-12:
        raise ValueError("the key's weights must add up to 1")
    for label, series in (("population", population), ("GDP", gdp)):
        bad = [ms for ms, v in series.items() if not v > 0]
        if bad:
            raise ValueError(f"{label} must be positive for every state; not for {bad}")
    pop_total = sum(population.values())
    gdp_total = sum(gdp.values())
    out: dict[str, KeyShare] = {}
    for ms in population:
        p = population[ms] / pop_total
        g = gdp[ms] / gdp_total
        out[ms] = KeyShare(member_state=ms, population_share=p, gdp_share=g, share=population_weight * p + gdp_weight * g)
    return out
