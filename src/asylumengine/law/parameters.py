"""Dated legal parameters: values that change over time, each with its legal basis.

A parameter is a named series of periods. Each period carries a value, the dates it
is valid from and to (inclusive; ``valid_to: null`` = open-ended), the article it rests
on (``citation``, e.g. ``AMMR Art 12(2)``) and the published text it was read from
(``source``). Parameters live in YAML files in ``asylumengine/law/params/`` and are
validated when loaded: within one parameter, periods may neither overlap nor leave a
gap, so "which value was in force on date D" always has one answer or a clear
"not in force".

Style borrowed from OpenFisca: the law's numbers are data, not code.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from asylumengine.io import YamlInputError, load_yaml


class ParameterError(ValueError):
    """A parameter file is invalid, or a value is asked for a date it does not cover."""


class DatedValue(BaseModel):
    """One value of a legal parameter and the period in which it is in force."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Any
    valid_from: dt.date
    valid_to: dt.date | None = None
    citation: str = Field(min_length=3, description="Article the value rests on, e.g. 'AMMR Art 12(2)'.")
    source: str = Field(min_length=3, description="URL (or document reference) of the text read.")
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "DatedValue":
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self

    def covers(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class Parameter(BaseModel):
    """A legal parameter: a description, a unit and its dated values (no overlaps, no gaps)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str
    unit: str | None = None
    values: tuple[DatedValue, ...] = Field(min_length=1)

    @field_validator("values")
    @classmethod
    def _contiguous(cls, values: tuple[DatedValue, ...]) -> tuple[DatedValue, ...]:
        ordered = tuple(sorted(values, key=lambda v: v.valid_from))
        for prev, nxt in zip(ordered, ordered[1:]):
            if prev.valid_to is None or prev.valid_to >= nxt.valid_from:
                raise ValueError(
                    f"periods overlap: one valid from {prev.valid_from} to "
                    f"{prev.valid_to or 'open end'}, the next from {nxt.valid_from}"
                )
            if prev.valid_to + dt.timedelta(days=1) != nxt.valid_from:
                raise ValueError(
                    f"gap in validity: nothing in force from {prev.valid_to + dt.timedelta(days=1)} "
                    f"to {nxt.valid_from - dt.timedelta(days=1)}"
                )
        return ordered

    def at(self, on: dt.date) -> DatedValue:
        for period in self.values:
            if period.covers(on):
                return period
        first, last = self.values[0], self.values[-1]
        raise ParameterError(
            f"parameter '{self.name}' has no value in force on {on.isoformat()} "
            f"(it covers {first.valid_from.isoformat()} to "
            f"{last.valid_to.isoformat() if last.valid_to else 'open end'})"
        )


EPOCH = dt.date(1970, 1, 1)


def _day(day: dt.date) -> int:
    return (day - EPOCH).days


class ParameterSet:
    """All parameters loaded from a set of YAML files, queried by name and date."""

    def __init__(self, parameters: dict[str, Parameter]):
        self._parameters = parameters
        self._day_bounds: dict[str, tuple] = {}

    def day_bounds(self, name: str) -> tuple[tuple[int, int | None, DatedValue], ...]:
        """Each period of ``name`` as (first day, last day or None, period), days counted from 1970:
        what a vectorised reader compares integer day numbers with (read once per name)."""
        if name not in self._day_bounds:
            self._day_bounds[name] = tuple((_day(p.valid_from), _day(p.valid_to) if p.valid_to else None, p)
                                           for p in self.parameter(name).values)  # fmt: skip
        return self._day_bounds[name]

    def __contains__(self, name: str) -> bool:
        return name in self._parameters

    def names(self) -> list[str]:
        return sorted(self._parameters)

    def parameter(self, name: str) -> Parameter:
        try:
            return self._parameters[name]
        except KeyError:
            raise ParameterError(f"unknown parameter '{name}'") from None

    def at(self, name: str, on: dt.date) -> DatedValue:
        """The dated value (with citation) of ``name`` in force on ``on``."""
        return self.parameter(name).at(on)

    def value(self, name: str, on: dt.date) -> Any:
        return self.at(name, on).value

    @classmethod
    def from_files(cls, paths: list[Path]) -> "ParameterSet":
        parameters: dict[str, Parameter] = {}
        for path in paths:
            for name, param in _load_file(path).items():
                if name in parameters:
                    raise ParameterError(f"{path}: parameter '{name}' is defined twice")
                parameters[name] = param
        return cls(parameters)


def _load_file(path: Path) -> dict[str, Parameter]:
    try:
        raw = load_yaml(Path(path).read_bytes(), path, dates_as_text=True)  # dates stay text: validated with their field
    except (OSError, YamlInputError) as exc:
        raise ParameterError(f"{path}: cannot read parameter file: {exc}") from None
    if not isinstance(raw, dict):
        raise ParameterError(f"{path}: expected a mapping of parameter names")
    prefix = raw.pop("namespace", None)
    out: dict[str, Parameter] = {}
    for key, body in raw.items():
        name = f"{prefix}.{key}" if prefix else key
        if not isinstance(body, dict):
            raise ParameterError(f"{path}: parameter '{name}' must be a mapping")
        try:
            out[name] = Parameter(name=name, **body)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'parameter'}: {err['msg']}" for err in exc.errors()
            )
            raise ParameterError(f"{path}: parameter '{name}': {problems}") from None
    return out


@lru_cache(maxsize=1)
def law_parameters() -> ParameterSet:
    """The parameters shipped with the package (``asylumengine/law/params/*.yaml``)."""
    folder = resources.files("asylumengine.law") / "params"
    paths = sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".yaml"))
    return ParameterSet.from_files(paths)
