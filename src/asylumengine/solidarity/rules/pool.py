"""The Annual Solidarity Pool (AMMR Art 12, 56, 57): its size, the relocation/money ratio,
the reference numbers of each state, and the search-and-rescue share.

The Regulation fixes two minimum numbers for the Commission's proposal (Art 12(2)(a)-(b))
and keeps their ratio for any size (Art 12(3), second subpara), so that the kinds of
measure are "of equal value" (Art 56(2)): one relocation is worth the ratio, derived here,
never written as a constant.
"""

from __future__ import annotations

import math

import datetime as dt

from asylumengine.law import ParameterError
from asylumengine.law.rules import rule
from asylumengine.solidarity.context import HALF_EURO, Law
from asylumengine.solidarity.errors import PoolError
from asylumengine.solidarity.models import Pool

TEXT_12 = "ammr-part4-texts#Article 12(2)-(3)"


@rule(
    "AMMR Art 12(3), second subpara",
    "One relocation is worth the ratio of the two Art 12(2) minimum numbers (equal value, Art 56(2))",
    engine="solidarity",
    also=("AMMR Art 56(2)",),
    params=("solidarity.minimum_pool_financial_eur", "solidarity.minimum_pool_relocations"),
    produces=("eur_per_relocation",),
    text=TEXT_12,
)
def eur_per_relocation(law: Law) -> float:
    return law("solidarity.minimum_pool_financial_eur") / law("solidarity.minimum_pool_relocations")


@rule(
    "AMMR Art 57(1)",
    "The pool: the Council act's reference numbers, or a pool given in one unit with the other from the ratio",
    engine="solidarity",
    also=("AMMR Art 12(2)", "AMMR Art 12(3)"),
    reads=("pool_relocations", "pool_eur"),
    params=("solidarity.annual_pool", "solidarity.minimum_pool_relocations"),
    produces=("pool",),
    text="ammr-part4-texts#Article 57(1)",
)
def make_pool(law: Law, year: int, relocations: float | None = None, financial_eur: float | None = None) -> Pool:
    ratio = eur_per_relocation(law)
    if relocations is None and financial_eur is None:
        adopted = law.params.at("solidarity.annual_pool", dt.date(year, 1, 1))
        law.citations["solidarity.annual_pool"] = adopted.citation
        relocations, financial_eur = adopted.value["relocations"], adopted.value["financial_eur"]
        source = f"{adopted.citation} ({adopted.source})"
    else:
        source = "input"
        for label, v in (("pool-relocations", relocations), ("pool-eur", financial_eur)):
            if v is not None and not (v > 0 and math.isfinite(v)):
                raise PoolError(f"{label}: must be a positive, finite number, got {v}")
        relocations = financial_eur / ratio if relocations is None else relocations
        financial_eur = relocations * ratio if financial_eur is None else financial_eur
    if abs(financial_eur - relocations * ratio) > HALF_EURO:
        raise PoolError(
            f"pool-eur {financial_eur:,.0f} with pool-relocations {relocations:,.0f} breaks the ratio of "
            f"AMMR Art 12(3) (EUR {ratio:,.0f} per relocation); give one of the two, or "
            f"pool-eur {relocations * ratio:,.0f}"
        )
    return Pool(
        relocations=relocations,
        financial_eur=financial_eur,
        eur_per_relocation=ratio,
        source=source,
        below_article_12_minimum=relocations < law("solidarity.minimum_pool_relocations"),
    )


@rule(
    "AMMR Art 12(2), second subpara",
    "A state's reference numbers: its fair share of the pool's relocations and of its money",
    engine="solidarity",
    also=("AMMR Art 57(3)",),
    reads=("fair_share", "pool"),
    produces=("reference_relocations", "reference_eur"),
    text=TEXT_12,
)
def reference_numbers(share: float, pool: Pool) -> tuple[float, float]:
    return share * pool.relocations, share * pool.financial_eur


@rule(
    "AMMR Art 57(2)",
    "The Council act's indicative SAR share of the Pool for the cycle year, if it sets one (None: not set or not found)",
    engine="solidarity",
    also=("AMMR Art 12(5)",),
    params=("solidarity.sar_indicative_share",),
    produces=("sar_share",),
    text="ammr-part4-texts#Article 57(2)",
)
def council_sar_share(law: Law, year: int) -> float | None:
    try:
        return law.on_date("solidarity.sar_indicative_share", dt.date(year, 1, 1))
    except ParameterError:
        return None


@rule(
    "AMMR Art 57(2)",
    "The Council act's indicative share of the Pool for states under pressure from SAR disembarkations goes to them",
    engine="solidarity",
    also=("AMMR Art 12(5)",),
    reads=("need_weights", "sar_pressure"),
    params=("solidarity.sar_indicative_share",),
    produces=("need_weights",),
    text="ammr-part4-texts#Article 12(5)",
)
def sar_weights(weights: dict[str, float], sar_states: list[str], share: float | None) -> dict[str, float]:
    """With a share S: the SAR states together get S of every draw, the other benefitting states
    1 - S, each group split by its own need weights. Without a share, or if every or no
    benefitting state is a SAR state, the weights are unchanged."""
    sar = [ms for ms in weights if ms in sar_states]
    rest = [ms for ms in weights if ms not in sar_states]
    sar_total, rest_total = sum(weights[ms] for ms in sar), sum(weights[ms] for ms in rest)
    if share is None or sar_total <= 0 or rest_total <= 0:
        return dict(weights)
    out = {ms: share * weights[ms] / sar_total for ms in sar}
    out.update({ms: (1 - share) * weights[ms] / rest_total for ms in rest})
    return {ms: out[ms] for ms in weights}
