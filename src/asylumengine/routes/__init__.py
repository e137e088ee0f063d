"""Law as code: the procedural route of an asylum case, for one case or a million.

    >>> from asylumengine.routes import load_case, route
    >>> r = route(load_case("examples/cases/dublin-greece-irregular-entry.yaml"))
    >>> r.responsible_state, r.responsibility_citation
    ('GR', 'AMMR Art 33(1)')

A single case is a population of one: ``route`` evaluates the same vectorised rules as
``evaluate_population``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from pydantic import ValidationError

from asylumengine.io import YamlInputError, load_json, load_yaml
from asylumengine.routes.assemble import build_route
from asylumengine.routes.case import Case
from asylumengine.routes.columns import Population, population_from_cases
from asylumengine.routes.columns import countries
from asylumengine.routes.engine import RouteError, evaluate, results_table
from asylumengine.routes.messages import LANGS
from asylumengine.routes.model import Route, Step
from asylumengine.routes.row_checks import check_rows


EXAMPLE_KEYS = ("expect", "return_regime")
CHECKED = ("uam", "request_kind", "responsible")  # the results that the checks on the case itself read


class CaseError(ValueError):
    """A case file that cannot be read or validated; the message names the field."""


def route(
    case: Case, on: dt.date | None = None, regime: str = "auto", return_regime: str = "return-directive", lang: str = "en"
) -> Route:
    """The case's route; ``lang`` (en, nl) is the language of outcomes, branches, open points and notes."""
    if lang not in LANGS:
        raise RouteError(f"--lang: '{lang}' is not one of {', '.join(LANGS)}")
    pop = population_from_cases([case])
    results = evaluate(pop, on=on, regime=regime, return_regime=return_regime)
    return case_route(case, pop, results, 0, lang)


def case_route(case: Case, pop: Population, results: dict, i: int, lang: str = "en") -> Route:
    """Row ``i`` of an evaluated population as ``case``'s route: the checks that need the case itself, then the steps
    (used by ``route`` and by the API's batches, so a case in a batch gets exactly its own route)."""
    row = {key: results[key][i] for key in CHECKED}  # only what the checks read (not a slice of every result)
    check_dublin_events(case, row)
    check_safe_third_country(case, row)
    rate = case.procedure.recognition_rate
    return build_route(pop, results, i, lang, rate_source=rate.source if rate else "")


def check_safe_third_country(case: Case, row: dict) -> None:
    """An agreement alone is no link for an unaccompanied minor (APR Art 59(5), as amended by Reg. (EU) 2026/463): refused, not ignored.
    ``row``: the case's values of the ``CHECKED`` results."""
    if not row["uam"]:
        return
    for i, link in enumerate(case.third_countries):
        if link.agreement_only:
            raise RouteError(f"third_countries[{i}].kind: 'agreement' (no other link with {link.country}) cannot be used for an "
                             "unaccompanied minor (APR Art 59(5)(b)(iii) does not apply to them, Reg. (EU) 2026/463); give the "
                             "connection or transit, if any")  # fmt: skip


def check_dublin_events(case: Case, row: dict) -> None:
    """Events for a request the route does not have are an error naming the field (not ignored).
    ``row``: the case's values of the ``CHECKED`` results."""
    d, kind = case.dublin, ("none", "take_charge", "take_back")[int(row["request_kind"])]
    if d.request_sent_on is not None and kind == "none":
        responsible = countries()[int(row["responsible"])]
        raise RouteError(f"dublin.request_sent_on: the route has no take charge request or take back notification "
                         f"({responsible} is responsible and examines the application itself)")  # fmt: skip
    if d.kind is not None and d.request_sent_on is not None and d.kind != kind:
        raise RouteError(f"dublin.kind: '{d.kind}' given, but the route calls for a {kind.replace('_', ' ')} "
                         f"({'AMMR Art 36(1)(b), 41' if kind == 'take_back' else 'AMMR Art 36(1)(a), 39'})")  # fmt: skip


def evaluate_population(
    table: pl.DataFrame, on: dt.date | None = None, regime: str = "auto", return_regime: str = "return-directive"
) -> pl.DataFrame:
    pop = Population.from_polars(table)
    check_rows(pop.arrays, "population table")  # dates in order, as in a case file
    return results_table(pop, evaluate(pop, on=on, regime=regime, return_regime=return_regime))


def case_errors(exc: ValidationError, source: str) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in err["loc"]).replace(".[", "[")
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"].startswith(("date_", "datetime_")):
            msg = "must be a date written YYYY-MM-DD"
        field_in_msg = msg.split(":", 1)[0] if ":" in msg and " " not in msg.split(":", 1)[0] else None
        if field_in_msg:  # model-level checks name their field first ("registered_on: ...")
            loc = f"{loc}.{field_in_msg}" if loc else field_in_msg
            msg = msg.split(":", 1)[1].strip()
        given = err.get("input")
        shown = f" (got {given!r})" if isinstance(given, (str, int, float)) and err["type"] not in ("missing",) else ""
        parts.append(f"{loc or 'case'}: {msg}{shown}")
    return f"{source}: " + "; ".join(parts)


def load_case(path: str | Path) -> Case:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CaseError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseError(f"{path}: cannot read file ({exc.__class__.__name__})") from None
    try:
        data = load_json(text, path) if path.suffix.lower() == ".json" else load_yaml(text, path, dates_as_text=True)
    except YamlInputError as exc:
        raise CaseError(str(exc)) from None
    if not isinstance(data, dict):
        raise CaseError(f"{path}: expected a mapping with applicant, application, ...")
    for key in EXAMPLE_KEYS:  # example files may carry their expected answer and run options
        data.pop(key, None)
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        raise CaseError(case_errors(exc, str(path))) from None


def case_schema() -> dict:
    return Case.model_json_schema()


__all__ = ["Case", "CaseError", "Route", "RouteError", "Step", "case_route", "case_schema", "evaluate_population", "load_case", "route"]
