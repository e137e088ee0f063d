"""Population and GDP figures for the solidarity key, by data vintage.

The figures are package data (``data/files/member_state_figures.csv``, long format, one
row per figure with its ``source`` and ``ref_date``). A *vintage* names which rows make
up one consistent key input: the population on 1 January of a year and the GDP of a
year in one unit. Vintages are declared in ``data/files/vintages.yaml``; a vintage that
is only a proxy for the legal key (e.g. IMF GDP in US dollars instead of Eurostat GDP in
euro) says so, and the output repeats it.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict

from asylumengine.data.member_states import to_iso


class DataError(ValueError):
    """A figure a computation needs is missing from the shipped data."""


class Figure(BaseModel):
    model_config = ConfigDict(frozen=True)

    member_state: str  # ISO 3166-1 alpha-2
    indicator: str
    value: float
    unit: str
    ref_date: str
    source: str
    note: str = ""


class Selector(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    indicator: str
    ref_date: str


class Vintage(BaseModel):
    """Which population and GDP rows together form one key input."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    label: str
    population: Selector
    gdp: Selector
    proxy: bool = False
    note: str = ""


class StateFigures(BaseModel):
    model_config = ConfigDict(frozen=True)

    member_state: str
    population: Figure
    gdp: Figure


def _files():
    return resources.files("asylumengine.data") / "files"


@lru_cache(maxsize=1)
def figures() -> tuple[Figure, ...]:
    rows: list[Figure] = []
    with (_files() / "member_state_figures.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if not row["geo"] or row["geo"].startswith("EU"):
                continue  # EU aggregates are kept in the file for reference only
            rows.append(
                Figure(
                    member_state=to_iso(row["geo"]),
                    indicator=row["indicator"],
                    value=float(row["value"]),
                    unit=row["unit"],
                    ref_date=row["ref_date"],
                    source=row["source"],
                    note=row.get("note") or "",
                )
            )
    return tuple(rows)


@lru_cache(maxsize=1)
def vintages() -> dict[str, Vintage]:
    raw = yaml.safe_load((_files() / "vintages.yaml").read_text(encoding="utf-8"))
    return {name: Vintage(name=name, **body) for name, body in raw["vintages"].items()}


def default_vintage() -> str:
    return yaml.safe_load((_files() / "vintages.yaml").read_text(encoding="utf-8"))["default"]


def get_vintage(name: str | None) -> Vintage:
    name = name or default_vintage()
    try:
        return vintages()[name]
    except KeyError:
        raise DataError(f"unknown data vintage '{name}'; choose one of: {', '.join(vintages())}") from None


def _pick(member_state: str, selector: Selector) -> Figure:
    for fig in figures():
        if (
            fig.member_state == member_state
            and fig.indicator == selector.indicator
            and fig.ref_date == selector.ref_date
        ):
            return fig
    raise DataError(f"no {selector.indicator} figure for {member_state} with reference date {selector.ref_date}")


def key_inputs(vintage: Vintage, member_states: list[str]) -> dict[str, StateFigures]:
    """Population and GDP of each of ``member_states`` in ``vintage``."""
    return {
        ms: StateFigures(member_state=ms, population=_pick(ms, vintage.population), gdp=_pick(ms, vintage.gdp))
        for ms in member_states
    }
