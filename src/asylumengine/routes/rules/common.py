"""What every rule may read besides the columns: the law (``Ctx``), read by path for a date.

A rule is ``f(pop, v, ctx) -> dict``: ``pop`` the population columns, ``v`` the values earlier
rules produced, ``ctx`` the law parameters. Rules are pure functions of these: no clock, no
randomness, no I/O (tests/test_routes_properties.py checks that evaluating twice, or in any
split, gives identical results). Every parameter a rule reads goes through ``Ctx.value`` or
``Ctx.dated``, which record the read against the running rule: ``asylum route --trace`` shows
them, and tests/test_rules.py checks that a rule reads exactly the parameters it declares.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import numpy as np

from asylumengine.law import ParameterSet
from asylumengine.law.time import FEW_ROWS
from asylumengine.routes.columns import Population
from asylumengine.routes.criteria import RegimeCodes as Regime
from asylumengine.routes.rules.time_limits import add_period
from asylumengine.routes.vector import (  # noqa: F401 - the helpers rules use, in one import
    bitmask,
    in_codes,
    months_after,
    plus_months,
    state_mask,
)

# A regime is chosen per case (AMMR Art 84; APR Art 79): its numbers are read from the regime's
# own parameters whatever the date the population is evaluated on.
# (The pre-APR parameters hold one open-ended period each: any date from their start reads it.)
REGIME_PARAMETERS = ("responsibility.", "procedure.apr", "procedure.apd", "procedure.screening", "procedure.nl_appeal_period")


@dataclass
class Ctx:
    """The law and the date it is read for; records which rule read which parameter."""

    params: ParameterSet
    on: dt.date  # the date whose dated policy parameters apply (regimes are chosen per case)
    forced_regime: int | None = None  # --regime dublin-iii|pact overrides the date-based choice
    cache: dict = field(default_factory=dict)
    reads: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule name -> {parameter: (date, value)}
    current: str = ""  # the rule running now
    trace: list | None = None  # a list: record every rule's inputs and outputs (a population of one)

    def value(self, name: str, on: dt.date | None = None) -> Any:
        """The parameter ``name`` in force on ``on`` (default: the evaluation date)."""
        day = self._day(name, on or self.on)
        value = self.params.value(name, day)
        self.reads.setdefault(self.current, {})[name] = (day, value)
        return value

    def _day(self, name: str, day: dt.date) -> dt.date:
        if name.startswith(REGIME_PARAMETERS):
            return max(day, self.params.parameter(name).values[0].valid_from)
        return day

    def dated(self, name: str, dates: np.ndarray) -> Iterator[tuple[np.ndarray, Any]]:
        """(rows, value) for a parameter read on each case's own date: one pass per validity
        period (a handful), not per distinct date. Rows whose date no period covers get ``None``."""
        used = self.reads.setdefault(self.current, {})
        days = np.asarray(dates, dtype="datetime64[D]").view(np.int64)  # NaT is the smallest int64: before every period
        periods = self._periods_few(name, days) if days.size <= FEW_ROWS else self._periods(name, days)
        covered = np.zeros(days.shape, dtype=bool)
        for rows, period in periods:
            covered |= rows
            used[name] = (period.valid_from, period.value)
            yield rows, period.value
        used.setdefault(name, (None, None))
        rest = ~covered
        if rest.any():
            yield rest, None

    def _periods(self, name: str, days: np.ndarray) -> Iterator[tuple[np.ndarray, Any]]:
        for first, last, period in self.params.day_bounds(name):
            rows = days >= first
            if last is not None:
                rows &= days <= last
            if rows.any():
                yield rows, period

    def _periods_few(self, name: str, days: np.ndarray) -> Iterator[tuple[np.ndarray, Any]]:
        """The same for a few rows, compared as Python ints (numpy's set-up costs more on them)."""
        values = days.tolist()
        for first, last, period in self.params.day_bounds(name):
            rows = [first <= d and (last is None or d <= last) for d in values]
            if any(rows):
                yield np.array(rows, dtype=bool).reshape(days.shape), period

    def run(self, func: Callable, pop: Population, v: dict, step: str = "") -> dict[str, np.ndarray]:
        """Apply one registered rule; with tracing on, keep what it read and produced."""
        self.current = func.rule.name
        out = func(pop, v, self)
        if self.trace is not None:
            self.trace.append((step, func.rule, dict(v), dict(self.reads.get(self.current, {})), out))
        self.current = ""
        return out


def applies_from(name: str) -> dt.date:
    """A rule's declared validity, from the shipped date parameter that starts its regime (AMMR Art 84,
    APR Art 79, SR Art 25): what `asylum explain` shows; the engine chooses each case's regime itself."""
    from asylumengine.law import law_parameters

    return dt.date.fromisoformat(str(law_parameters().parameter(name).values[-1].value))


AMMR_FROM = applies_from("responsibility.ammr_applies_to_applications_registered_from")
APR_FROM = applies_from("procedure.apr_applies_to_applications_lodged_from")
SR_FROM = applies_from("procedure.screening_applies_from")


def regime_period(ctx: Ctx, name: str, variant: str, regime: int) -> tuple[int, str]:
    """A period such as (2, 'months') from a regime's parameter, e.g. ammr_take_charge_request/after_hit."""
    prefix = "ammr" if regime == Regime.PACT else "dublin3"
    value = ctx.value(f"responsibility.{prefix}_{name}")
    amount, unit = value[variant] if isinstance(value, dict) else value
    return int(amount), unit


def cached_rows(pop: Population, ctx: Ctx, key: str, rows: Callable, prefixes: tuple[str, ...]):
    """The rows a slot rule needs (slots fill from the first), taken once per evaluation."""
    cached = ctx.cache.get(key)
    if cached is None or cached[0] is not pop:
        idx = np.flatnonzero(rows(pop))
        cached = ctx.cache[key] = (pop, idx, pop.take(idx, prefixes))
    _, idx, sub = cached
    return idx, sub


def codes(table: tuple[str, ...], *names: str) -> np.ndarray:
    """The integer codes of ``names`` in a column's code table."""
    return np.array([table.index(n) for n in names], dtype=np.int8)


__all__ = ["Ctx", "add_period", "bitmask", "cached_rows", "codes", "in_codes", "months_after", "plus_months", "regime_period", "state_mask"]
