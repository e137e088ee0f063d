"""Why a case's route is what it is: for a population of one, each rule the engine applied - step,
article, code location - with the inputs it read (column values, earlier determinations), the law
parameters it read with their dated values, what it produced, and whether it fired (its first
declared output says something: a state, a date, true, a ground).

OpenFisca's /trace, for the route engine: ``trace_case(case)`` -> a list of plain dicts (JSON-ready).
"""

from __future__ import annotations

import datetime as dt
import fnmatch

import numpy as np

from asylumengine.law import law_parameters
from asylumengine.routes.case import Case
from asylumengine.routes.columns import countries, population_from_cases, schema
from asylumengine.routes.criteria import Criterion
from asylumengine.routes.engine import _default_day, evaluate  # noqa: F401
from asylumengine.routes.rules.border import EXEMPTIONS
from asylumengine.routes.rules.common import Ctx
from asylumengine.routes.rules.dublin import REQUESTS
from asylumengine.routes.rules.procedure import PROCEDURES
from asylumengine.routes.rules.screening import SCREENINGS

STATE_VALUES = ("responsible", "examining_state", "protected_in")  # determinations holding a Member State code
CRITERION_VALUES = ("criterion", "examining_criterion", "dependency_criterion", "document_criterion", "entry_criterion")
LABELLED = {"regime": ("dublin-iii", "pact"), "procedure_regime": ("apd-2013", "apr"), "request_kind": REQUESTS,
            "screening": SCREENINGS, "procedure": PROCEDURES, "border_exemption": EXEMPTIONS}  # fmt: skip


def trace_case(case: Case, on: dt.date | None = None, regime: str = "auto", return_regime: str = "return-directive") -> list[dict]:
    pop = population_from_cases([case])
    params = law_parameters()
    ctx = Ctx(params=params, on=on or _pact_day(params), trace=[])
    evaluate(pop, on=on, regime=regime, return_regime=return_regime, params=params, ctx=ctx)
    columns = schema()
    out = []
    for step, rule, before, param_reads, produced in ctx.trace:
        inputs = {}
        for pattern in rule.reads:
            for name in _names(pattern, before, pop.arrays):
                value = before[name][0] if name in before else pop[name][0]
                if "*" not in pattern or _present(value):  # slots: only those that hold something
                    inputs[name] = _plain(name, value, columns)
        file, line = rule.location
        outputs = {k: _plain(k, v[0], columns) for k, v in produced.items()}
        out.append({"step": step, "rule": rule.name, "citation": rule.citation, "also": list(rule.also), "summary": rule.summary,
                    "location": f"{file}:{line}", "fired": _present(produced[rule.produces[0]][0]), "inputs": inputs,
                    "parameters": {k: _parameter(params, k, d) for k, (d, _) in param_reads.items()},
                    "outputs": outputs})  # fmt: skip
    return out


def _pact_day(params) -> dt.date:
    return _default_day(params)


def _parameter(params, name: str, day: dt.date | None) -> dict:
    """The dated value a rule read, with its validity and article (None: not in force on the case's date)."""
    if day is None:
        return {"value": None, "valid_from": None, "valid_to": None, "citation": None}
    dv = params.at(name, day)
    return {"value": _json(dv.value), "valid_from": dv.valid_from.isoformat(),
            "valid_to": dv.valid_to.isoformat() if dv.valid_to else None, "citation": dv.citation}  # fmt: skip


def _names(pattern: str, before: dict, columns: dict) -> list[str]:
    if "*" not in pattern:
        return [pattern] if pattern in before or pattern in columns else []
    return sorted(n for n in columns if fnmatch.fnmatchcase(n, pattern))


def _present(value) -> bool:
    """Does a value say something: a date, a non-zero code, true, a non-empty text, a number?"""
    if isinstance(value, np.datetime64):
        return not np.isnat(value)
    if isinstance(value, (float, np.floating)):
        return not np.isnan(value) and value != 0
    return bool(value)


def _plain(name: str, value, columns: dict):
    """A JSON-ready value, codes turned back into words (country ISO codes, enum choices, criteria)."""
    col = columns.get(name)
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(value.astype("datetime64[D]"))
    if col is not None and col.kind == "country" or name in STATE_VALUES or name.endswith("_state"):
        code = int(value)
        return countries()[code] if 0 < code < len(countries()) else None
    if name in LABELLED:
        return LABELLED[name][int(value)]
    if col is not None and col.kind == "enum":
        return col.choices[int(value)]
    if name in CRITERION_VALUES and 0 <= int(value) < len(Criterion):
        return Criterion(int(value)).name.lower()
    return _json(value.item() if isinstance(value, np.generic) else value)


def _json(value):
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value
