"""The route of a person relocated under the solidarity mechanism (AMMR Arts 67-68), with dates.

    >>> from asylumengine.routes.relocation import load_relocation_case, relocation_route
    >>> r = relocation_route(load_relocation_case("examples/relocation/applicant-italy-to-netherlands.yaml"))
    >>> [s.code for s in r.steps][:2]
    ['relocation_eligibility', 'relocation_confirmation']

The steps come from the rules in ``routes/rules/relocation.py``, in the order of ``STEPS``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from asylumengine.data.member_states import to_iso
from asylumengine.io import YamlInputError, load_yaml
from asylumengine.law import ParameterSet, law_parameters
from asylumengine.routes.model import Step, Text
from asylumengine.routes.rules import relocation as rules


class RelocationCaseError(ValueError):
    """A relocation case file that cannot be read (names the file and field)."""


class RelocationCase(BaseModel):
    """The facts of one relocation: who, from where to where, and the dates so far (all optional but the first)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    person: Literal["applicant", "beneficiary"] = Field(description="Applicant for, or beneficiary of, international protection.")
    benefitting_state: str
    relocation_state: str
    information_received: dt.date = Field(description="Day the Member State of relocation receives the information (Art 67(7), (9)).")
    security_threat: bool = Field(False, description="Benefitting state has reasonable grounds of a security threat (Art 67(2)).")
    consent_in_writing: bool | None = Field(None, description="Beneficiary's written consent (Art 67(4)).")
    responsible_criterion: str | None = Field(None, description="Criterion making the benefitting state responsible, e.g. 'Art 33(1)', 'Art 27', 'Art 25(5)'.")
    responsibility_determined: bool = Field(False, description="The benefitting state was already determined as responsible (Art 68(3)).")
    postponement_notified_on: dt.date | None = Field(None, description="Day the postponement of the reply was communicated (Art 67(9), third subpara).")
    confirmed_on: dt.date | None = None
    security_alert_on: dt.date | None = Field(None, description="Day the Member State of relocation reported a security alert (Art 67(9), second subpara).")
    transfer_decision_on: dt.date | None = None
    appeal_final_decision_on: dt.date | None = Field(None, description="Final decision on an appeal with suspensive effect (Art 43(3), 67(11)).")
    notified_on: dt.date | None = None
    transfer_on: dt.date | None = None

    @field_validator("benefitting_state", "relocation_state", mode="before")
    @classmethod
    def _iso(cls, v: str) -> str:
        return to_iso(v)


class RelocationRoute(BaseModel):
    case_id: str
    relocated: bool | None = Field(description="True once transferred; False if relocation does not take place; None while open.")
    steps: list[Step]
    open_points: list[Text] = Field(default_factory=list, description="Where the text is open, in English and Dutch.")


def load_relocation_case(path: Path | str) -> RelocationCase:
    path = Path(path)
    try:
        raw = load_yaml(path.read_bytes(), path)
    except OSError as exc:
        raise RelocationCaseError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    except YamlInputError as exc:
        raise RelocationCaseError(str(exc)) from None
    if not isinstance(raw, dict):
        raise RelocationCaseError(f"{path}: expected a mapping of facts")
    raw.pop("expect", None)
    try:
        return RelocationCase(**raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "case"
        raise RelocationCaseError(f"{path}, field '{field}': {err['msg']}") from None
    except ValueError as exc:  # an unknown Member State code
        raise RelocationCaseError(f"{path}: {exc}") from None


def relocation_route(case: RelocationCase, params: ParameterSet | None = None) -> RelocationRoute:
    params = params or law_parameters()
    steps = [rules.eligibility(case)]
    if steps[0].outcome == "not_eligible":
        return _route(case, steps, relocated=False)
    step, confirmed = rules.confirmation(case, params)
    steps.append(step)
    if confirmed is None:
        return _route(case, steps, relocated=False)
    steps.append(rules.transfer_decision(case, confirmed, params))
    if case.transfer_on is not None:
        steps.append(rules.notification(case, params))
    steps.append(rules.transfer(case, confirmed, params))
    if case.transfer_on is None:
        return _route(case, steps, relocated=None)
    steps.append(rules.after_relocation(case))
    return _route(case, steps, relocated=True)


def _route(case: RelocationCase, steps: list[Step], relocated: bool | None) -> RelocationRoute:
    by_en = {t.en: t for t in rules.OPEN_POINTS.values()}
    points = [by_en[p] for p in dict.fromkeys(p for s in steps for p in s.open_points)]
    return RelocationRoute(case_id=case.id, relocated=relocated, steps=steps, open_points=points)
