"""The Annual Solidarity Pool (AMMR Art 12, 57): the rules live in ``solidarity/rules/pool.py``;
these wrappers keep the old call signatures (parameters and a date)."""

from __future__ import annotations

import datetime as dt

from asylumengine.law import ParameterSet
from asylumengine.solidarity.context import Law
from asylumengine.solidarity.errors import PoolError
from asylumengine.solidarity.models import Pool
from asylumengine.solidarity.rules import pool as rules

__all__ = ["PoolError", "eur_per_relocation", "make_pool"]


def eur_per_relocation(params: ParameterSet, on: dt.date) -> float:
    return rules.eur_per_relocation(Law(params, on))


def make_pool(params: ParameterSet, on: dt.date, year: int, relocations: float | None = None,
              financial_eur: float | None = None) -> Pool:  # fmt: skip
    return rules.make_pool(Law(params, on), year, relocations, financial_eur)
