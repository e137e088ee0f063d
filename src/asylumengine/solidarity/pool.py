"""The Annual Solidarity Pool (AMMR Art 12, 57) and the relocation / money equivalence.

The Regulation fixes two minimum numbers for the Commission's proposal - 30,000
relocations and EUR 600 million (Art 12(2)(a)-(b)) - and requires the ratio between
them to be kept when the numbers are raised (Art 12(3), second subpara), so that the
three kinds of measure are "of equal value" (Art 56(2)). The EUR value of one
relocation is therefore *derived*: 600,000,000 / 30,000 = EUR 20,000. It is never
written as a constant here.
"""

from __future__ import annotations

import datetime as dt

from asylumengine.law import ParameterSet
from asylumengine.solidarity.models import Pool


class PoolError(ValueError):
    """A pool that does not keep the Art 12(3) ratio, or a pool that cannot be found."""


def eur_per_relocation(params: ParameterSet, on: dt.date) -> float:
    """EUR equivalent of one relocation: the ratio of the two Art 12(2) minimum numbers."""
    money = params.value("solidarity.minimum_pool_financial_eur", on)
    relocations = params.value("solidarity.minimum_pool_relocations", on)
    return money / relocations


def make_pool(
    params: ParameterSet,
    on: dt.date,
    year: int,
    relocations: float | None = None,
    financial_eur: float | None = None,
) -> Pool:
    """The pool for ``year``: as given (one number is enough; the other follows from the
    ratio), or else the pool the Council adopted for that year (parameter
    ``solidarity.annual_pool``)."""
    ratio = eur_per_relocation(params, on)
    if relocations is None and financial_eur is None:
        adopted = params.at("solidarity.annual_pool", dt.date(year, 1, 1))
        relocations = adopted.value["relocations"]
        financial_eur = adopted.value["financial_eur"]
        source = f"{adopted.citation} ({adopted.source})"
    else:
        source = "input"
        for label, v in (("pool-relocations", relocations), ("pool-eur", financial_eur)):
            if v is not None and not v > 0:
                raise PoolError(f"{label}: must be a positive number, got {v}")
        if relocations is None:
            relocations = financial_eur / ratio
        elif financial_eur is None:
            financial_eur = relocations * ratio
    if abs(financial_eur - relocations * ratio) > 0.5:  # half a euro: tolerance for rounding in a printed number
        raise PoolError(
            f"pool-eur {financial_eur:,.0f} with pool-relocations {relocations:,.0f} breaks the ratio of "
            f"AMMR Art 12(3) (EUR {ratio:,.0f} per relocation); give one of the two, or "
            f"pool-eur {relocations * ratio:,.0f}"
        )
    minimum = params.value("solidarity.minimum_pool_relocations", on)
    return Pool(
        relocations=relocations,
        financial_eur=financial_eur,
        eur_per_relocation=ratio,
        source=source,
        below_article_12_minimum=relocations < minimum,
    )
