"""What every solidarity rule may read besides its arguments: the law on a date.

``Law`` reads a dated parameter by path for the date in force and records the article
it rests on, so the cycle's ``citations`` list every legal number that was used.
Numerical tolerances (not law) live here too, so rule modules hold no numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from asylumengine.law import ParameterError, ParameterSet

TOLERANCE_EUR = 0.01  # reconciliation tolerance: one cent over the whole pool
EPSILON = 1e-9  # what is left of a number after floating-point subtraction


@dataclass
class Law:
    """The law parameters read on one date, with the citations of what was read."""

    params: ParameterSet
    on: dt.date
    citations: dict[str, str] = field(default_factory=dict)

    def __call__(self, name: str) -> Any:
        dv = self.params.at(name, self.on)
        self.citations[name] = dv.citation
        return dv.value

    def on_date(self, name: str, day: dt.date) -> Any:
        """A parameter read for another date (e.g. the cycle year's Council act)."""
        dv = self.params.at(name, day)
        self.citations[name] = dv.citation
        return dv.value

    def in_force(self, name: str) -> bool:
        if name not in self.params:
            return False
        try:
            self.params.at(name, self.on)
        except ParameterError:
            return False
        return True

    def citation(self, name: str) -> str:
        dv = self.params.at(name, self.on)
        self.citations[name] = dv.citation
        return dv.citation

HALF_EURO = 0.5  # tolerance for a pool amount copied from a printed (rounded) number


def position(value: float, threshold: float, tolerance: float = 0) -> str:
    """Where ``value`` lies relative to ``threshold``: 'below', 'at' or 'above' (exact for counts;
    amounts in euro within a cent count as 'at')."""
    if abs(value - threshold) <= tolerance:
        return "at"
    return "below" if value < threshold else "above"
