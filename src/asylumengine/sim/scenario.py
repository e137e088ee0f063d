"""Scenarios: YAML files of sourced parameters that overlay a baseline.

    name: dublin-resumed
    extends: baseline                  # a file beside this one, or the packaged baseline
    description: Transfers to Greece and Italy work again.
    parameters:
      dublin.blocked_share_of_claims:
        value: 0.0
        source: "assumption: scenario - transfers to GR and IT resume (seed 000)"

Every parameter is a leaf ``{value, source}`` (``source`` is a reference, or starts with
``assumption``), optionally with ``sd`` (relative standard deviation: Monte Carlo draws).
Keys are dotted names from the registry below; an unknown key, a wrong type, a share
outside [0, 1], a negative capacity, an overlay naming a key the base does not have, or an
unknown ``extends`` is one clear error naming the file, the key and the problem.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any


from asylumengine.io import YamlInputError, load_yaml


class ScenarioError(ValueError):
    def __init__(self, path: Path | str, key: str | None, problem: str):
        self.path, self.key, self.problem = str(path), key, problem
        super().__init__(f"{path}" + (f", key '{key}'" if key else "") + f": {problem}")


@dataclass(frozen=True)
class Spec:
    kind: str  # share | count | rate | eur | months | bool | yearly | factor
    description: str


def _s(kind: str, description: str) -> Spec:
    return Spec(kind, description)


# The parameters the model reads. Kinds decide validation: share in [0, 1]; count, eur, months,
# rate (per month) >= 0; factor > 0; yearly = {year: count}; bool.
REGISTRY: dict[str, Spec] = {
    # inflow
    "inflow.first_applications_per_year": _s("count", "First asylum applications per year in the Netherlands"),
    "inflow.first_applications_by_year": _s("yearly", "First asylum applications per calendar year (overrides the level, e.g. for a backcast)"),
    "inflow.trend_per_year": _s("factor", "Multiplier per year on the inflow level (1 = flat)"),
    "inflow.seasonality_q1": _s("share", "Share of the year's applications in Q1"),
    "inflow.seasonality_q2": _s("share", "Share in Q2"),
    "inflow.seasonality_q3": _s("share", "Share in Q3"),
    "inflow.seasonality_q4": _s("share", "Share in Q4"),
    "inflow.share_group_syria": _s("share", "Share of Syrians among first applicants"),
    "inflow.share_group_high": _s("share", "Share of nationalities with a Union-wide recognition rate of 50% or more (not Syria)"),
    "inflow.share_group_low": _s("share", "Share of nationalities at or below 20% (border/accelerated procedure)"),
    "inflow.resettlement_per_year": _s("count", "Resettled refugees per year (status on arrival)"),
    "inflow.nareis_per_grant": _s("factor", "Family members arriving (nareis) per person granted protection"),
    "inflow.nareis_delay_months": _s("months", "Months between a grant and the family's arrival"),
    "inflow.nareis_pipeline_per_month": _s("count", "Family members arriving per month from grants made before the start, while the pending ones last"),
    "inflow.nareis_pending": _s("count", "Family members of status holders granted before the start who have yet to arrive (pending nareis)"),
    "inflow.nareis_subsidiary_factor": _s("share", "Nareis for subsidiary protection relative to refugees (two-status system)"),
    "inflow.relocations_in_per_year": _s("count", "Relocations into the Netherlands under the solidarity mechanism"),
    "inflow.transfers_in_per_year": _s("count", "Persons handed over to the Netherlands by other Member States (incoming Dublin transfers)"),
    "inflow.nareis_by_year": _s("yearly", "Family members arriving per calendar year (the published count replaces the modelled arrivals in those years)"),
    # legal paths from the route engine
    "legal.paths_from_route_engine": _s("bool", "Take the border-procedure shares per group and the share of Dublin claims that cannot be transferred from the route engine (a synthetic cohort routed under the law in force at the start)"),
    # Dublin
    "dublin.claim_share": _s("share", "Share of first applicants for whom another Member State is responsible (outgoing requests)"),
    "dublin.acceptance_rate": _s("share", "Share of outgoing requests accepted"),
    "dublin.blocked_share_of_claims": _s("share", "Share of accepted claims on Member States to which the Netherlands does not transfer"),
    "dublin.transfer_rate_feasible": _s("share", "Share of accepted, feasible claims actually transferred within the time limit"),
    "dublin.months_to_transfer": _s("months", "Mean months from application to transfer or to the end of the time limit"),
    "dublin.absconding_share": _s("share", "Share of Dublin claimants not transferred who leave for an unknown destination"),
    "dublin.offsets_per_year": _s("count", "Responsibility offsets (AMMR Art 63): persons the Netherlands examines itself instead of transferring them, from 12 June 2026"),
    "dublin.warm_start": _s("bool", "Start with a full Dublin pipeline: the claims of the last months_to_transfer months at the start's rate (no ramp-up)"),
    # IND
    "ind.decisions_per_month": _s("count", "IND first-instance asylum decision capacity per month (outside the periods below)"),
    "ind.decisions_per_month_by_period": _s("periods", "IND first-instance decision capacity per month, by year or half year"),
    "ind.initial_backlog": _s("count", "Applicants waiting for a first-instance decision at the start"),
    "ind.recognition_syria": _s("share", "Recognition rate at first instance, Syrians"),
    "ind.recognition_high": _s("share", "Recognition rate, high-recognition nationalities"),
    "ind.recognition_mid": _s("share", "Recognition rate, other nationalities"),
    "ind.recognition_low": _s("share", "Recognition rate, nationalities at or below 20%"),
    "ind.recognition_syria_by_period": _s("share_periods", "Recognition rate of Syrians by year (outside: the value above)"),
    "ind.recognition_high_by_period": _s("share_periods", "Recognition rate of the high group by year"),
    "ind.recognition_mid_by_period": _s("share_periods", "Recognition rate of the other nationalities by year"),
    "ind.recognition_low_by_period": _s("share_periods", "Recognition rate of the low group by year"),
    "ind.refugee_share_of_grants": _s("share", "Share of grants that are refugee status (the rest subsidiary protection)"),
    "ind.low_group_border_share": _s("share", "Share of the low-recognition group examined in the border or accelerated procedure"),
    "ind.border_capacity": _s("count", "Persons the border procedure can hold at a time (0 = no limit); the rest go to the regular procedure (APR Art 47-48)"),
    # courts
    "courts.appeal_share": _s("share", "Share of rejected applicants who appeal"),
    "courts.appeal_success": _s("share", "Share of appeals that lead to protection"),
    "courts.decisions_per_month": _s("count", "Court decisions per month on asylum appeals"),
    "courts.initial_backlog": _s("count", "Appeals pending at the start"),
    # return
    "return.departure_per_month": _s("rate", "Monthly probability that a finally rejected person departs"),
    "return.cooperation_syria": _s("factor", "Relative return rate for Syrians (third-country cooperation; 1 = average)"),
    "return.cooperation_high": _s("factor", "Relative return rate for the high-recognition group"),
    "return.cooperation_mid": _s("factor", "Relative return rate for the other nationalities"),
    "return.cooperation_low": _s("factor", "Relative return rate for the low-recognition group"),
    "return.forced_share": _s("share", "Share of departures that are forced"),
    "return.voluntary_share": _s("share", "Share of departures that are independent and verified"),
    "return.other_referrals_per_year": _s("count", "Persons with a duty to leave referred to the DT&V by the police, the KMar and others (outside the asylum chain), per year"),
    "return.other_referrals_by_year": _s("yearly", "The same, per calendar year (published counts)"),
    "return.initial_stock": _s("count", "Rejected persons with a duty to leave at the start (in reception or not)"),
    "return.in_reception_share": _s("share", "Share of rejected persons awaiting departure who stay in COA reception"),
    "return.detention_places": _s("count", "Immigration detention places"),
    "return.detention_share_of_forced": _s("share", "Share of forced returns that pass through detention"),
    "return.detention_months": _s("months", "Mean months in detention before a forced return"),
    # reception (COA) and housing
    "reception.regular_places": _s("count", "Regular COA places (outside the periods below)"),
    "reception.regular_places_by_period": _s("periods", "Regular COA places by year or half year"),
    "reception.emergency_places": _s("count", "COA emergency places; occupancy above regular + emergency is reception outside COA locations"),
    "reception.emergency_places_by_period": _s("periods", "COA emergency places by year or half year"),
    "reception.initial_status_holders": _s("count", "Status holders in COA waiting for housing at the start"),
    "reception.housing_task_per_half_year": _s("count", "Municipal housing task for status holders per half year (taakstelling; outside the periods below)"),
    "reception.housing_task_by_period": _s("periods", "Municipal housing task per half year, by half year"),
    "reception.housing_realisation": _s("factor", "Status holders housed per person in the task (realised / taakstelling)"),
    "reception.cost_regular": _s("eur", "Cost per occupied regular place per year"),
    "reception.cost_emergency": _s("eur", "Cost per occupied emergency place per year"),
    # costs
    "costs.ind_per_decision": _s("eur", "IND cost per first-instance decision"),
    "costs.court_per_appeal": _s("eur", "Cost of one appeal (courts, legal aid)"),
    "costs.solidarity_per_year": _s("eur", "Solidarity contribution per year (money; from the solidarity module)"),
    "costs.relocation_cost_per_person": _s("eur", "One-off cost of taking in a relocated person (besides reception)"),
    "costs.monitoring_per_year": _s("eur", "Human-rights monitoring of external arrangements per year"),
    "costs.region_per_year": _s("eur", "Spending on reception in the region per year (scenario input)"),
    "costs.forced_return_per_person": _s("eur", "Cost of a forced return"),
    "costs.detention_per_place_year": _s("eur", "Cost of a detention place per year"),
}

EXTERNAL_MODELS = {
    "hub": "return/transit hub: a share of finally rejected persons is moved to a hub in a third country",
    "stc": "safe third country partnership: a share of new applicants is declared inadmissible and transferred",
    "platform": "disembarkation platform: a share of sea arrivals is disembarked outside the EU and does not apply here",
    "external_procedure": "external border procedure in a non-EU country: a share of applicants is processed outside",
    "route_screening": "screening along the migration route (long term): a share of would-be applicants is screened out before arrival",
}
SAFEGUARDS = ("non_refoulement", "child_rights", "legal_aid", "education", "health_care", "stability")
SAFEGUARD_STATUS = {"met": "met", "partly": "partly", "not met": "not met", True: "met", False: "not met"}  # true/false: met / not met
for _m, _d in EXTERNAL_MODELS.items():
    REGISTRY[f"{_m}.enabled"] = _s("bool", f"{_d}: on/off")
    REGISTRY[f"{_m}.share"] = _s("share", f"{_d}: share diverted")
    REGISTRY[f"{_m}.capacity_per_year"] = _s("count", f"{_d}: persons per year at most")
    REGISTRY[f"{_m}.success_rate"] = _s("share", f"{_d}: share of diverted persons who do not come back into the Dutch chain")
    REGISTRY[f"{_m}.cost_per_person"] = _s("eur", f"{_d}: cost per person")
    REGISTRY[f"{_m}.fixed_cost_per_year"] = _s("eur", f"{_d}: fixed yearly cost")
    REGISTRY[f"{_m}.partly_met_effect"] = _s("share", f"{_d}: share of the effect that counts while a safeguard is only partly met (scenario input)")
    for _g in SAFEGUARDS:
        REGISTRY[f"{_m}.safeguards.{_g}"] = _s("safeguard", f"{_d}: {_g.replace('_', ' ')} in the partner country - met, partly or not met (seed 002)")


# numeric parameters the model reads per replication (so an sd on them is drawn); the rest are
# structural (seasonality and group shares must add up, cooperation factors are normalised, the
# trend compounds) and refuse an sd
STRUCTURAL = {f"inflow.seasonality_q{q}" for q in range(1, 5)} | {f"inflow.share_group_{g}" for g in ("syria", "high", "low")} | {
    f"return.cooperation_{g}" for g in ("syria", "high", "mid", "low")} | {"inflow.trend_per_year"}  # fmt: skip
DRAWABLE = tuple(k for k, s in REGISTRY.items() if s.kind in ("share", "count", "rate", "eur", "factor") and k not in STRUCTURAL)


@dataclass(frozen=True)
class Param:
    value: Any
    source: str
    sd: float = 0.0  # relative standard deviation (0 = fixed)


@dataclass
class Scenario:
    name: str
    description: str
    start: dt.date
    params: dict[str, Param]
    path: str
    chain: tuple[str, ...]  # the files it was built from, base first
    identical_to_baseline: str | None = None  # declared: the reason it equals the baseline

    def value(self, key: str):
        return self.params[key].value

    def safeguard_status(self, model: str) -> dict[str, str]:
        return {g: SAFEGUARD_STATUS[self.value(f"{model}.safeguards.{g}")] for g in SAFEGUARDS}

    def external_effect(self, model: str) -> float:
        """The safeguards gate: 0 if the arrangement is off or any safeguard is not met; the
        scenario's partly-met share if some are only partly met; 1 if all are met."""
        if not self.value(f"{model}.enabled"):
            return 0.0
        status = self.safeguard_status(model).values()
        if "not met" in status:
            return 0.0
        return float(self.value(f"{model}.partly_met_effect")) if "partly" in status else 1.0

    def external_active(self, model: str) -> tuple[bool, list[str]]:
        """An arrangement counts only if enabled and no safeguard is 'not met'; the list names those not met."""
        if not self.value(f"{model}.enabled"):
            return False, []
        missing = [g for g, s in self.safeguard_status(model).items() if s == "not met"]
        return not missing, missing


_SCENARIO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")  # a packaged scenario is named, never a path


def _exists(path: Path) -> bool:
    """False for a path the system cannot even look up (too long, a NUL byte): an unknown scenario."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def packaged(name: str) -> Path:
    return Path(str(resources.files("asylumengine.sim") / "scenarios" / f"{name}.yaml"))


def _read(path: Path) -> dict:
    try:
        raw = load_yaml(path.read_text(encoding="utf-8-sig"), path)
    except FileNotFoundError:
        raise ScenarioError(path, None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(path, None, f"cannot read file ({exc.__class__.__name__})") from None
    except YamlInputError as exc:
        raise ScenarioError(path, None, str(exc).removeprefix(f"{path}").lstrip(", :")) from None
    if not isinstance(raw, dict):
        raise ScenarioError(path, None, "expected a mapping with name, parameters, ...")
    allowed = {"name", "description", "extends", "start", "parameters", "identical_to_baseline"}
    unknown = set(raw) - allowed
    if unknown:
        raise ScenarioError(path, sorted(unknown)[0], f"unknown top-level key (allowed: {', '.join(sorted(allowed))})")
    same = raw.get("identical_to_baseline")
    if same is not None and (not isinstance(same, str) or len(same.strip()) < 4):
        raise ScenarioError(path, "identical_to_baseline", "give the reason in words (why this scenario is the baseline under another name)")
    return raw


def _check(path: Path, key: str, leaf: Any) -> Param:
    if key not in REGISTRY:
        raise ScenarioError(path, key, "unknown parameter (see docs/simulation.md for the list)")
    if not isinstance(leaf, dict) or "value" not in leaf or "source" not in leaf:
        raise ScenarioError(path, key, "give a mapping with 'value' and 'source' (a reference, or 'assumption: ...')")
    extra = set(leaf) - {"value", "source", "sd"}
    if extra:
        raise ScenarioError(path, key, f"unknown field '{sorted(extra)[0]}' (allowed: value, source, sd)")
    value, source, sd = leaf["value"], leaf["source"], leaf.get("sd", 0.0)
    if not isinstance(source, str) or len(source.strip()) < 4:
        raise ScenarioError(path, key, "source must name where the value comes from, or say 'assumption: ...'")
    if not isinstance(sd, (int, float)) or isinstance(sd, bool) or not math.isfinite(sd) or sd < 0 or sd > 2:
        raise ScenarioError(path, key, f"sd must be a number between 0 and 2, got {sd!r}")
    if sd and key not in DRAWABLE:
        raise ScenarioError(path, key, f"sd given, but this parameter ({REGISTRY[key].kind}) is never drawn: remove sd, or put the "
                                       "uncertainty on a drawn parameter (shares, counts, rates, costs and factors are drawn)")  # fmt: skip
    if value in ("data", "calibrated", "solidarity"):
        from asylumengine.sim.inputs import can_resolve

        if not can_resolve(key, value):
            raise ScenarioError(path, key, f"'{value}' is not available for this parameter (see docs/simulation.md)")
        return Param(value=value, source=source, sd=float(sd))
    _check_value(path, key, REGISTRY[key].kind, value)
    return Param(value=value, source=source, sd=float(sd))


def _check_value(path: Path, key: str, kind: str, value: Any) -> None:
    if kind == "safeguard":
        if not isinstance(value, (str, bool)) or value not in SAFEGUARD_STATUS:
            raise ScenarioError(path, key, f"must be 'met', 'partly' or 'not met' (or true / false), got {value!r}")
    elif kind == "bool":
        if not isinstance(value, bool):
            raise ScenarioError(path, key, f"must be true or false, got {value!r}")
    elif kind == "yearly":
        if not isinstance(value, dict):
            raise ScenarioError(path, key, "must be a mapping of year: count ({} for none)")
        for y, v in value.items():
            if not isinstance(y, int) or not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v) or v < 0:
                raise ScenarioError(path, key, f"entry {y!r}: {v!r} - years must be integers and counts >= 0")
    elif kind in ("periods", "share_periods"):
        if not isinstance(value, dict):
            raise ScenarioError(path, key, "must be a mapping of period (2024, or '2024-H1'): value ({} for none)")
        for y, v in value.items():
            ok_period = isinstance(y, int) or (isinstance(y, str) and len(y) == 7 and y[:4].isdigit() and y[4:] in ("-H1", "-H2"))
            ok_value = isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v >= 0 and (kind == "periods" or v <= 1)
            if not (ok_period and ok_value):
                raise ScenarioError(path, key, f"entry {y!r}: {v!r} - periods are years or 'YYYY-H1'/'YYYY-H2', values >= 0"
                                               + (" and <= 1 (shares)" if kind == "share_periods" else ""))  # fmt: skip
    else:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ScenarioError(path, key, f"must be a number, got {value!r}")
        if not math.isfinite(value):
            raise ScenarioError(path, key, f"must be a finite number, got {value}")
        if kind == "share" and not 0 <= value <= 1:
            raise ScenarioError(path, key, f"is a share and must be between 0 and 1, got {value}")
        if kind in ("count", "eur", "months", "rate") and value < 0:
            raise ScenarioError(path, key, f"must not be negative, got {value}")
        if kind == "rate" and value > 1:
            raise ScenarioError(path, key, f"is a monthly probability and must be at most 1, got {value}")
        if kind == "factor" and value <= 0:
            raise ScenarioError(path, key, f"must be positive, got {value}")


def load(path: str | Path) -> Scenario:
    """A scenario with its whole ``extends`` chain applied, validated, and its ``data`` and
    ``calibrated`` values filled in for its start (so an overlay with another start gets the
    stocks of its own start)."""
    sc = _load_chain(path)
    params = dict(sc.params)
    pending = [k for k, p in params.items() if isinstance(p.value, str) and p.value in ("data", "calibrated", "solidarity")]
    from asylumengine.sim.inputs import LAST, resolve

    for key in sorted(pending, key=lambda k: k in LAST):
        p = params[key]
        try:
            value, where = resolve(key, p.value, params, sc.start)
        except LookupError as exc:
            raise ScenarioError(sc.chain[-1], key, f"value '{p.value}': {exc}") from None
        params[key] = Param(value=value, source=f"{p.source} [{p.value}: {where}]", sd=p.sd)
    return Scenario(sc.name, sc.description, sc.start, params, sc.path, sc.chain, sc.identical_to_baseline)


def _load_chain(path: str | Path, _seen: tuple[str, ...] = ()) -> Scenario:
    path = Path(path) if not str(path).startswith("builtin:") else packaged(str(path)[8:])
    if str(path.resolve()) in _seen:
        raise ScenarioError(path, "extends", "circular extends")
    raw = _read(path)
    params_raw = raw.get("parameters") or {}
    if not isinstance(params_raw, dict):
        raise ScenarioError(path, "parameters", "must be a mapping of parameter name: {value, source}")
    base: Scenario | None = None
    if raw.get("extends"):
        name = str(raw["extends"])
        candidate = path.parent / f"{name}.yaml" if not name.endswith(".yaml") else path.parent / name
        if not _exists(candidate) and _SCENARIO_NAME.fullmatch(name.removesuffix(".yaml")):
            candidate = packaged(name.removesuffix(".yaml"))
        if not _exists(candidate):
            raise ScenarioError(path, "extends", f"unknown scenario '{name[:80]}' (no such .yaml beside this file, and none packaged)")
        base = _load_chain(candidate, _seen + (str(path.resolve()),))
    params = dict(base.params) if base else {}
    for key, leaf in params_raw.items():
        if base is not None and key not in base.params:
            if key in REGISTRY:
                raise ScenarioError(path, key, f"not in the scenario it extends ({base.name}): an overlay can only change existing keys")
        params[key] = _check(path, key, leaf)
    if base is None:
        missing = [k for k in REGISTRY if k not in params]
        if missing:
            raise ScenarioError(path, missing[0], f"missing in a scenario without 'extends' ({len(missing)} missing)")
    start = raw.get("start", base.start if base else None)
    try:
        start = dt.date.fromisoformat(str(start) + ("-01" if len(str(start)) == 7 else "")) if start else dt.date(2026, 1, 1)
    except ValueError:
        raise ScenarioError(path, "start", f"must be a month YYYY-MM, got {start!r}") from None
    shares = [params[f"inflow.seasonality_q{q}"].value for q in range(1, 5)]
    if abs(sum(shares) - 1) > 1e-6:
        raise ScenarioError(path, "inflow.seasonality_q1", f"the four quarterly shares must add up to 1, they add up to {sum(shares):.4f}")
    groups = sum(params[f"inflow.share_group_{g}"].value for g in ("syria", "high", "low"))
    if groups > 1 + 1e-9:
        raise ScenarioError(path, "inflow.share_group_syria", f"the nationality group shares add up to {groups:.3f}, more than 1")
    return Scenario(
        name=str(raw.get("name") or path.stem),
        description=str(raw.get("description") or (base.description if base else "")),
        start=start,
        params=params,
        path=str(path),
        chain=(base.chain if base else ()) + (str(path),),
        identical_to_baseline=raw.get("identical_to_baseline"),
    )
