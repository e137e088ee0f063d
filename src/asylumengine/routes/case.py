"""A case: the facts of one asylum application, as the law needs them.

The model is the interface: YAML or JSON in, validated here, with errors that name the
field (``applicant.date_of_birth``, ``documents[1].valid_to``). Its JSON Schema is
published in docs/case-schema.json (``asylum route --schema``).

Countries are ISO 3166-1 alpha-2 codes (Eurostat's ``EL`` is read as ``GR``, ``UK`` as
``GB``). Dates are ISO dates (YYYY-MM-DD).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Literal

import pycountry
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from asylumengine.data.member_states import EU27

# States applying the Dublin/AMMR responsibility rules: the EU and the four associated
# states (agreements with IS, NO, CH, LI; Denmark through its own agreement).
DUBLIN_STATES: tuple[str, ...] = tuple(sorted(EU27 + ("IS", "LI", "NO", "CH")))
_ALIASES = {"EL": "GR", "UK": "GB"}
# Kosovo has no ISO 3166-1 code; XK is the code the EU and Eurostat use (user-assigned range).
EXTRA_COUNTRIES = {"XK": "Kosovo"}


def country(code: str) -> str:
    """Normalise a country code to ISO 3166-1 alpha-2, or raise ValueError naming it."""
    if not isinstance(code, str) or not code.strip():
        raise ValueError("empty country code")
    key = _ALIASES.get(code.strip().upper(), code.strip().upper())
    if key == "XX":  # "unknown" in some registries: refuse rather than guess
        raise ValueError("'XX' is not a country; use stateless: true or leave nationality empty")
    if key in EXTRA_COUNTRIES:
        return key
    if len(key) != 2 or pycountry.countries.get(alpha_2=key) is None:
        raise ValueError(f"unknown country code '{code}' (use ISO 3166-1 alpha-2, e.g. SY, AF, NL)")
    return key


def dublin_state(code: str) -> str:
    iso = country(code)
    if iso not in DUBLIN_STATES:
        raise ValueError(f"'{code}' is not a Member State applying the Dublin/AMMR rules")
    return iso


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Vulnerability(str, Enum):
    """Grounds named in AMMR Art 34(1), APR Art 20-21 and RCD Art 24."""

    PREGNANCY = "pregnancy"
    NEWBORN = "newborn"
    SERIOUS_ILLNESS = "serious_illness"
    SEVERE_DISABILITY = "severe_disability"
    SEVERE_TRAUMA = "severe_trauma"
    TORTURE_VICTIM = "torture_victim"
    OLD_AGE = "old_age"
    TRAFFICKING_VICTIM = "trafficking_victim"
    SPECIAL_PROCEDURAL_NEEDS = "special_procedural_needs"


class Applicant(_Model):
    date_of_birth: dt.date | None = Field(None, description="Date of birth; or give `age`.")
    age: int | None = Field(None, ge=0, le=120, description="Age in years on the registration date, if no date of birth.")
    nationality: str | None = Field(None, description="ISO 3166-1 alpha-2; empty for a stateless person.")
    stateless: bool = Field(False, description="Stateless person (APR Art 42(1)(j) then uses former habitual residence).")
    former_habitual_residence: str | None = Field(None, description="Stateless persons: country of former habitual residence.")
    sex: Literal["female", "male", "other", "unknown"] = Field("unknown", description="Sex as recorded; 'male' with no accompanying family and no vulnerability is the 'single man' profile of the Dutch transfer table.")
    marital_status: Literal["single", "married", "partner", "divorced", "widowed", "unknown"] = Field("unknown", description="Marital status (a married minor: AMMR Art 25(2), second sentence).")
    vulnerabilities: list[Vulnerability] = Field(default_factory=list, description="Identified vulnerabilities.")
    unaccompanied: bool = Field(
        False, description="Arrived without an adult responsible for them (a minor so arriving is an unaccompanied minor, AMMR Art 2(11))."
    )

    _c = field_validator("nationality", "former_habitual_residence")(lambda v: country(v) if v else None)

    @model_validator(mode="after")
    def _nationality_or_stateless(self) -> "Applicant":
        if self.stateless and self.nationality:
            raise ValueError("nationality: a stateless applicant has no nationality")
        if not self.stateless and not self.nationality:
            raise ValueError("nationality: required unless stateless is true")
        if self.date_of_birth is None and self.age is None:
            raise ValueError("date_of_birth: give date_of_birth or age")
        return self


class FamilyMember(_Model):
    relation: Literal["spouse", "partner", "child", "parent", "sibling", "aunt_uncle", "grandparent", "responsible_adult"] = Field(description="Relation to the applicant (AMMR Art 2(8)-(9)).")
    date_of_birth: dt.date | None = Field(None, description="Date of birth (to tell minor children).")
    age: int | None = Field(None, ge=0, le=120, description="Age in years, if no date of birth.")
    location: str = Field(description="Country where the family member is (ISO alpha-2).")
    status: Literal[
        "beneficiary_of_protection",
        "applicant_no_first_decision",
        "applicant_decided",
        "long_term_resident",
        "legally_resident",
        "citizen",
        "irregular",
        "unknown",
    ] = Field(description="The family member's status where they are (AMMR Art 25-27, 34).")
    existed_before_arrival: bool = Field(True, description="The family existed before arrival on Member State territory (AMMR Art 2(8)).")
    written_consent: bool = Field(False, description="Both persons consented in writing (AMMR Art 26, 27, 34).")
    able_to_care: bool | None = Field(None, description="Relative able to take care of the minor / dependent (AMMR Art 25(3), 34).")
    dependency: Literal["none", "applicant_dependent", "member_dependent"] = Field(
        "none", description="Dependency on grounds of AMMR Art 34(1) (pregnancy, new-born, illness, disability, trauma, old age)."
    )
    accompanies_applicant: bool = Field(False, description="Travels with the applicant (same application procedure).")
    evidence_submitted_on: dt.date | None = Field(None, description="Day the evidence of this family link was submitted (AMMR Art 17(3)); after dublin.evidence_time_limit it counts only if decisive (Art 18(2)).")
    evidence_decisive: bool = Field(False, description="The authority finds the late evidence decisive for the correct application of the Regulation (AMMR Art 18(2)).")

    _c = field_validator("location")(lambda v: country(v))


class ResidenceDocument(_Model):
    kind: Literal["residence_document", "long_stay_visa", "short_stay_visa", "airport_transit_visa"] = Field(description="Residence document or visa type (AMMR Art 2(13)-(14)).")
    issuing_state: str = Field(description="Member State that issued it.")
    on_behalf_of: str | None = Field(None, description="Visa issued on behalf of another Member State (AMMR Art 29(2)).")
    valid_from: dt.date = Field(description="First day of validity.")
    valid_to: dt.date = Field(description="Last day of validity (expiry; AMMR Art 29(4) windows run from it).")
    status: Literal["valid", "annulled", "revoked", "withdrawn"] = Field(
        "valid", description="Cancellation; expiry follows from valid_to."
    )
    cancelled_on: dt.date | None = Field(None, description="Date of annulment, revocation or withdrawal.")
    fraud_after_issue: bool = Field(False, description="Issuing state shows the fraud was committed after issue (AMMR Art 29(5)).")

    _c = field_validator("issuing_state", "on_behalf_of")(lambda v: dublin_state(v) if v else None)

    @model_validator(mode="after")
    def _period(self) -> "ResidenceDocument":
        if self.valid_to < self.valid_from:
            raise ValueError(f"valid_to: {self.valid_to} is before valid_from {self.valid_from}")
        if self.status != "valid" and self.cancelled_on is None:
            raise ValueError(f"cancelled_on: required for a document that was {self.status}")
        if self.status == "valid" and self.cancelled_on is not None:
            raise ValueError("cancelled_on: given for a document whose status is 'valid'; give status annulled, revoked or withdrawn")
        if self.cancelled_on is not None and self.cancelled_on < self.valid_from:
            raise ValueError(f"cancelled_on: {self.cancelled_on} is before valid_from {self.valid_from}")
        return self


class Diploma(_Model):
    issuing_state: str = Field(description="Member State of the education establishment (AMMR Art 30).")
    issued_on: dt.date = Field(description="Date of issue.")
    academic_years: float = Field(1.0, ge=0, description="Academic years of study on Member State territory (AMMR Art 2(15): at least one).")
    isced_level: int = Field(2, ge=0, le=8, description="ISCED level; at least 2 counts (AMMR Art 2(15)).")
    distance_learning: bool = Field(False, description="Obtained through online or distance learning (does not count, AMMR Art 2(15)).")

    _c = field_validator("issuing_state")(lambda v: dublin_state(v))


class Movement(_Model):
    date: dt.date = Field(description="Date of the crossing, disembarkation, entry or departure.")
    country: str = Field(description="Country entered, disembarked in or left (ISO alpha-2).")
    kind: Literal[
        "irregular_crossing", "sar_disembarkation", "lawful_entry", "visa_waived_entry", "departure", "airport_transit"
    ] = Field(description="Irregular crossing, search-and-rescue disembarkation, lawful entry, visa-waived entry, departure, airport transit.")
    from_third_country: bool = Field(True, description="The crossing came from outside the Member States (AMMR Art 33(1)).")
    eurodac_record: bool = Field(True, description="Recorded in Eurodac (a 'hit' for the state where the person later applies).")

    _c = field_validator("country")(lambda v: country(v))


class PriorApplication(_Model):
    member_state: str = Field(description="Member State of the earlier application.")
    registered_on: dt.date = Field(description="When it was registered.")
    outcome: Literal["pending", "withdrawn", "implicitly_withdrawn", "rejected", "inadmissible", "protection_granted"] = Field(description="Its outcome so far.")
    final: bool = Field(False, description="The decision is final (no more remedy).")
    protection_kind: Literal["refugee", "subsidiary", "none"] = Field("none", description="Status granted, if protection was granted.")
    new_elements: bool = Field(False, description="A later application here presents new elements (APR Art 55).")
    final_on: dt.date | None = Field(None, description="Date the decision became final (AMMR Art 37(2): 15 months after a border-procedure rejection).")
    border_procedure: bool = Field(False, description="The application was examined in the border procedure (AMMR Art 37(2)).")
    eurodac_hit: bool = Field(True, description="Shows up as a Eurodac hit.")

    _c = field_validator("member_state")(lambda v: dublin_state(v))

    @model_validator(mode="after")
    def _order(self) -> "PriorApplication":
        if self.final_on is not None and self.final_on < self.registered_on:
            raise ValueError(f"final_on: {self.final_on} is before registered_on {self.registered_on}")
        if self.protection_kind != "none" and self.outcome != "protection_granted":
            raise ValueError(f"protection_kind: '{self.protection_kind}' given but the outcome is '{self.outcome}'")
        return self


class ThirdCountryLink(_Model):
    country: str = Field(description="Third country (ISO alpha-2).")
    kind: Literal["transit", "stay", "connection", "first_country_of_asylum", "agreement"] = Field(description="Transit, stay, connection (family, prior stay, ties), first country of asylum (APR Art 58-59), or agreement: no other link, only an agreement or arrangement with that country covering the applicant (APR Art 59(5)(b)(iii) as amended by Reg. (EU) 2026/463; not for unaccompanied minors).")
    date_from: dt.date | None = Field(None, description="From.")
    date_to: dt.date | None = Field(None, description="To.")
    agreement: bool = Field(False, description="An agreement or arrangement with that country covers the applicant (APR Art 59(5)(b)(iii)); implied by kind: agreement.")
    safe_third_country: bool = Field(False, description="The country is a safe third country for the applicant (APR Art 59(1)-(4)).")
    protection_still_available: bool = Field(False, description="First country of asylum: protection can still be availed of (APR Art 58).")

    @field_validator("country")
    @classmethod
    def _third_country(cls, v: str) -> str:
        iso = country(v)
        if iso in DUBLIN_STATES:
            raise ValueError(f"'{iso}' is a Member State applying the Dublin/AMMR rules, not a third country")
        return iso

    @model_validator(mode="after")
    def _period(self) -> "ThirdCountryLink":
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValueError(f"date_to: {self.date_to} is before date_from {self.date_from}")
        if self.kind == "agreement":
            self.agreement = True  # the link is the agreement itself
        return self

    @property
    def agreement_only(self) -> bool:
        return self.kind == "agreement"


class Event(_Model):
    kind: Literal["absconding", "imprisonment", "detention", "return_detention", "reappearance", "departure_from_eu"] = Field(description="What happened: absconding, imprisonment, detention (Dublin), return detention, reappearance, departure from the EU.")
    start: dt.date = Field(description="Start date.")
    end: dt.date | None = Field(None, description="End date, if over.")
    in_state: str | None = Field(None, description="Country where it happened.")
    under_return_decision: bool = Field(
        False, description="A departure from the EU in compliance with a return decision or removal order (AMMR Art 37(5); Dublin III Art 19(3))."
    )
    note: str | None = Field(None, description="Free text.")

    _c = field_validator("in_state")(lambda v: country(v) if v else None)

    @model_validator(mode="after")
    def _period(self) -> "Event":
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end: {self.end} is before start {self.start}")
        return self


REPLIES = ("accepted", "refused", "none")


class DublinEvents(_Model):
    """What happened in the take charge / take back procedure, with dates (AMMR Art 39-46; Dublin III Art 21-29).

    Each field is optional: where a date is given, the time limits that run from it are counted
    from it; where it is not, the route keeps the latest date the law allows and says so."""

    kind: Literal["take_charge", "take_back"] | None = Field(None, description="The request made: take charge request or take back notification (request under Dublin III); checked against the route.")
    requested_state: str | None = Field(None, description="Member State requested or notified.")
    based_on_hit: bool | None = Field(None, description="The request is based on a Eurodac or VIS hit (AMMR Art 39(1), second subpara; 40(2); 41(1)).")
    hit_received_on: dt.date | None = Field(None, description="Day the Eurodac or VIS hit was received: the hit-based request limit runs from it (AMMR Art 39(1), second subpara; 41(1)).")
    urgent_reply_requested: bool = Field(False, description="An urgent reply was asked (AMMR Art 39(2)): silence counts after two weeks (Art 40(7)-(8)).")
    request_sent_on: dt.date | None = Field(None, description="Day the request or notification was sent (DubliNet).")
    request_received_on: dt.date | None = Field(None, description="Day the requested state received it: the reply period runs from it (AMMR Art 40(1), 41(3)).")
    reply: Literal["accepted", "refused", "none"] | None = Field(None, description="The reply: accepted (take back: receipt confirmed), refused (take back: not responsible shown, Art 41(3)), or none (no reply).")
    reply_on: dt.date | None = Field(None, description="Day of the reply (not for reply: none).")
    reexamination_requested_on: dt.date | None = Field(None, description="Day the requesting state asked for a re-examination of a refusal.")
    reexamination_reply: Literal["accepted", "refused", "none"] | None = Field(None, description="Reply to the request for re-examination.")
    reexamination_reply_on: dt.date | None = Field(None, description="Day of that reply.")
    transfer_decision_notified_on: dt.date | None = Field(None, description="Day the transfer decision was notified to the person (AMMR Art 42; 43(2) remedy period runs from it).")
    appeal_lodged_on: dt.date | None = Field(None, description="Day an appeal or review against the transfer decision was lodged (AMMR Art 43).")
    appeal_suspensive: bool | None = Field(None, description="The appeal has suspensive effect (AMMR Art 43(3)): the transfer period then runs from the final decision (Art 46(1)).")
    appeal_final_decision_on: dt.date | None = Field(None, description="Day of the final decision on the appeal or review.")
    transfer_carried_out_on: dt.date | None = Field(None, description="Day the transfer was carried out.")
    evidence_time_limit: dt.date | None = Field(None, description="The reasonable time limit the competent authority set after the interview for evidence of the elements given (AMMR Art 17(3)); evidence after it counts only if decisive (Art 18(2)).")
    absconding_informed_on: dt.date | None = Field(None, description="Day the requesting state informed the responsible state that the person absconded (AMMR Art 46(2): the three years run from it); needs an absconding event.")

    _c = field_validator("requested_state")(lambda v: dublin_state(v) if v else None)

    def given(self) -> list[str]:
        """The fields given that presuppose a request sent."""
        before = ("request_sent_on", "kind", "requested_state", "based_on_hit", "hit_received_on", "evidence_time_limit")  # before a request
        return [k for k, v in self if v not in (None, False) and k not in before]

    def accepted(self) -> bool | None:
        """Accepted (explicitly, on re-examination or by silence); None when no reply is stated."""
        if self.reexamination_reply == "accepted":
            return True
        return None if self.reply is None else self.reply != "refused"

    @model_validator(mode="after")
    def _order(self) -> "DublinEvents":
        for name in self._problems():
            raise ValueError(name)
        return self

    def _problems(self):
        if self.request_sent_on is None and self.given():
            yield f"{self.given()[0]}: given, but no request was sent (give request_sent_on)"
        yield from _before(self, "hit_received_on", "request_sent_on", "the request")
        yield from _before(self, "request_sent_on", "request_received_on", "its receipt")
        if self.reply in ("accepted", "refused") and self.reply_on is None:
            yield f"reply_on: required for reply '{self.reply}'"
        if self.reply in (None, "none") and self.reply_on is not None:
            yield "reply_on: given, but there is no reply (give reply: accepted or refused)"
        yield from _before(self, "request_received_on" if self.request_received_on else "request_sent_on", "reply_on", "the reply")
        if self.reexamination_requested_on is not None and self.reply != "refused":
            yield "reexamination_requested_on: a re-examination is asked after a refusal (reply: refused)"
        if self.reexamination_reply is not None and self.reexamination_requested_on is None:
            yield "reexamination_reply: given, but no re-examination was requested"
        if self.reexamination_reply in ("accepted", "refused") and self.reexamination_reply_on is None:
            yield "reexamination_reply_on: required for the re-examination reply"
        yield from _before(self, "reply_on", "reexamination_requested_on", "the request for re-examination")
        yield from _before(self, "reexamination_requested_on", "reexamination_reply_on", "the re-examination reply")
        yield from self._transfer_problems()

    def _transfer_problems(self):
        acceptance = "reexamination_reply_on" if self.reexamination_reply == "accepted" else "reply_on"
        for name in ("transfer_decision_notified_on", "transfer_carried_out_on"):
            if getattr(self, name) is not None and self.accepted() is False:
                yield f"{name}: the request was refused; there is no acceptance to transfer on"
            yield from _before(self, acceptance, name, "acceptance")
        if (self.appeal_suspensive is not None or self.appeal_final_decision_on) and self.appeal_lodged_on is None:
            yield "appeal_lodged_on: required for appeal_suspensive / appeal_final_decision_on"
        if self.appeal_lodged_on is not None and self.transfer_decision_notified_on is None:
            yield "appeal_lodged_on: an appeal against a transfer decision that was not notified (give transfer_decision_notified_on)"
        yield from _before(self, "transfer_decision_notified_on", "appeal_lodged_on", "the appeal")
        yield from _before(self, "appeal_lodged_on", "appeal_final_decision_on", "the final decision")
        yield from _before(self, "transfer_decision_notified_on", "transfer_carried_out_on", "the transfer")
        if self.appeal_suspensive and self.transfer_carried_out_on is not None:
            if self.appeal_final_decision_on is None:
                yield "transfer_carried_out_on: the appeal has suspensive effect and no final decision is given"
            yield from _before(self, "appeal_final_decision_on", "transfer_carried_out_on", "the transfer")


def _before(events: "DublinEvents", first: str, then: str, what: str):
    a, b = getattr(events, first), getattr(events, then)
    if a is not None and b is not None and b < a:
        yield f"{then}: {b} is before {first.replace('_', ' ')} {a} ({what} cannot come first)"


SCREENING_PLACES = ("external_border", "sar_disembarkation", "border_crossing_point", "territory")


class Screening(_Model):
    """A third-country national met by the authorities, with or without an application for protection
    (Screening Regulation (EU) 2024/1356 Arts 5, 7, 8, 18). A case with a ``screening`` block and no
    ``application`` is a person who has not applied: the route gives the screening and what follows."""

    member_state: str = Field(description="Member State where the person was apprehended, disembarked, presented or found.")
    place: Literal[SCREENING_PLACES] = Field(description="How the person was met: apprehended in connection with an unauthorised crossing of the external border (SR Art 5(1)(a)), disembarked after a search-and-rescue operation (Art 5(1)(b)), presented at a border crossing point or transit zone (Art 5(2), which screens only those who apply there), or found illegally staying within the territory (Art 7(1)).")  # type: ignore[valid-type]
    date: dt.date = Field(description="Day of the apprehension, disembarkation or presentation, or the apprehension within the territory: the screening period runs from it (SR Art 8(3)-(4)).")
    crossed_external_border_irregularly: bool = Field(True, description="Found within the territory: entered the Member States by crossing an external border in an unauthorised manner (SR Art 7(1)); false: no screening within the territory.")
    meets_entry_conditions: bool = Field(False, description="Fulfils the entry conditions of Regulation (EU) 2016/399 Art 6: then no screening (SR Art 5(1)-(2)).")
    held_at_border_over_72h: bool = Field(False, description="Apprehended at the external border (Art 5(1)(a)) and kept there more than 72 hours before the screening: screening within 4 days (SR Art 8(3), second sentence).")
    screened_in: str | None = Field(None, description="Member State that already screened the person: no new screening within the territory (SR Art 7(1): 'have not already been subjected to the screening in a Member State').")
    screened_on: dt.date | None = Field(None, description="Day that earlier screening started (not after `date`, nor after the day the route is computed on).")

    _c = field_validator("member_state", "screened_in")(lambda v: dublin_state(v) if v else None)

    @model_validator(mode="after")
    def _coherent(self) -> "Screening":
        if self.screened_on is not None and self.screened_in is None:
            raise ValueError("screened_on: given without screened_in (the Member State that screened)")
        if self.screened_on is not None and self.screened_on > self.date:
            raise ValueError(f"screened_on: {self.screened_on} is after {self.date}, the day the person was met here (an earlier screening comes first)")
        if self.held_at_border_over_72h and self.place != "external_border":
            raise ValueError(f"held_at_border_over_72h: applies to persons apprehended at the external border (SR Art 8(3), Art 5(1)(a)), not to place '{self.place}'")
        return self


class Application(_Model):
    member_state: str = Field(description="Member State where the application is made and registered.")
    made_on: dt.date = Field(description="Day the wish for protection was expressed to an authority (APR Art 26).")
    registered_on: dt.date = Field(description="Day the application was registered (APR Art 27); the frozen moment for responsibility if first (AMMR Art 24(2)).")
    lodged_on: dt.date | None = Field(None, description="If lodged already; else the lodging deadline is computed.")
    place: Literal[
        "territory", "border_crossing_point", "transit_zone", "airport_transit_area", "after_apprehension_at_border", "after_sar"
    ] = Field("territory", description="Where the application was made: inside the territory, at a border crossing point or transit zone, after apprehension at the border, after a search-and-rescue disembarkation (APR Art 43(1)), or in an airport transit area (AMMR Art 32).")
    meets_entry_conditions: bool = Field(False, description="Meets the Schengen entry conditions (then no screening or border procedure).")
    held_at_border_over_72h: bool = Field(
        False, description="Kept at the external border more than 72 hours before screening: screening within 4 days (Screening Regulation Art 8(3))."
    )
    in_detention: bool = Field(False, description="Detained for a Dublin transfer (AMMR Art 44-45).")
    return_decision_received_on: dt.date | None = Field(None, description="Return decision notified before applying (APR Art 38(1)(e)).")
    relocated_to: str | None = Field(None, description="Relocated under AMMR Art 67 to this Member State.")
    relocated_on: dt.date | None = Field(None, description="Date of the relocation (AMMR Art 33(3)).")

    _c = field_validator("member_state", "relocated_to")(lambda v: dublin_state(v) if v else None)

    @model_validator(mode="after")
    def _order(self) -> "Application":
        if self.registered_on < self.made_on:
            raise ValueError(f"registered_on: {self.registered_on} is before made_on {self.made_on}")
        if self.lodged_on is not None and self.lodged_on < self.registered_on:
            raise ValueError(f"lodged_on: {self.lodged_on} is before registered_on {self.registered_on}")
        return self


class RecognitionRate(_Model):
    """A Union-wide recognition rate for this applicant's nationality given with the case (APR Art 42(1)(j)), e.g. a
    newer Eurostat figure than the shipped table; it replaces the table for this case."""

    value: float = Field(description="The proportion of decisions granting international protection, as a share from 0 to 1 (12% is 0.12).")
    source: str = Field(min_length=1, description="Where the figure comes from (publication, table, date): shown in the route.")
    reference_year: int | None = Field(None, description="The year the figure covers.")

    @field_validator("value")
    @classmethod
    def _share(cls, v: float) -> float:
        if not 0 <= v <= 1:  # also refuses NaN
            raise ValueError(f"{v} is not a share from 0 to 1 (a rate of 12% is written 0.12)")
        return v


class ProcedureFacts(_Model):
    """Facts for the examination procedure given with the case."""

    recognition_rate: RecognitionRate | None = Field(None, description="The Union-wide recognition rate to use for ground (j) (APR Art 42(1)(j), 42(3)(e), 45(1)); not given: the shipped dated table (latest yearly figure available on the case's date).")


class Flags(_Model):
    """Facts the authorities have established (the engine routes; it does not judge them)."""

    security_threat: bool = Field(False, description="Reasonable grounds: danger to national security or public order (AMMR 16(4); APR 42(1)(f)).")
    misled_authorities: bool = Field(False, description="Misled with false information or documents, or destroyed documents (APR 42(1)(c)).")
    irrelevant_issues_only: bool = Field(False, description="Only issues not relevant to protection raised (APR 42(1)(a)).")
    inconsistent_statements: bool = Field(False, description="Clearly inconsistent, false or improbable statements (APR 42(1)(b)).")
    only_to_delay_removal: bool = Field(False, description="Applied only to delay or frustrate removal (APR 42(1)(d)).")
    late_application_without_reason: bool = Field(False, description="APR 42(1)(h)-(i).")
    special_procedural_needs_unmet_at_border: bool = Field(False, description="Needed support cannot be given at the border (APR 53(2)).")
    border_capacity_reached: bool = Field(False, description="Adequate capacity notified as reached (APR Art 47(2), 48).")
    discretionary_clause_state: str | None = Field(None, description="State that decides to examine the application anyway (AMMR Art 35(1)).")
    systemic_risk_states: list[str] = Field(default_factory=list, description="Transfer there would risk Charter Art 4 treatment (AMMR 16(3)).")
    health_prevents_travel: bool = Field(False, description="Applicant's health prevents travel for a significant period (AMMR Art 34(2)).")

    _c = field_validator("discretionary_clause_state")(lambda v: dublin_state(v) if v else None)
    _l = field_validator("systemic_risk_states")(lambda v: [dublin_state(x) for x in v])


class Outcomes(_Model):
    """Decisions the engine does not make. 'open' keeps every branch in the route."""

    take_charge_reply: Literal["open", "accepted", "refused", "no_reply"] = Field("open", description="Reply of the requested state: accepted, refused or no reply (implicit acceptance).")
    merits: Literal["open", "refugee", "subsidiary", "rejected"] = Field("open", description="First-instance decision on the merits: refugee, subsidiary protection or rejected.")
    appeal: Literal["open", "not_lodged", "allowed", "dismissed"] = Field("open", description="Appeal: not lodged, allowed or dismissed.")
    departure: Literal["open", "voluntary", "forced", "unknown_destination"] = Field("open", description="After a final rejection: voluntary, forced, or to an unknown destination.")


class Case(_Model):
    """A case: an applicant with an `application`; or a person who has not applied for protection - no `application`, a `screening` block (Screening Regulation Arts 5, 7), and the route is the screening and what follows (Art 18)."""

    id: str = Field("case", description="Identifier used in outputs.")
    title: str | None = Field(None, description="Free text title.")
    computed_on: dt.date | None = Field(None, description="Date the route is computed on (law in force); default: registration date.")
    applicant: Applicant = Field(description="Who applies.")
    application: Application | None = Field(None, description="Where and when the application was made, registered and lodged. Leave it out for a person who has not applied for protection (then give `screening`).")
    screening: Screening | None = Field(None, description="The screening (Screening Regulation Arts 5, 7): how, where and when the person was met, and any screening in another Member State. Required without `application`; with one, the application was made at or after that moment.")
    family: list[FamilyMember] = Field(default_factory=list, description="Family members and relatives, wherever they are (up to 6).")
    documents: list[ResidenceDocument] = Field(default_factory=list, description="Residence documents and visas issued by Member States (up to 4).")
    diplomas: list[Diploma] = Field(default_factory=list, description="Diplomas or qualifications from Member State education establishments (up to 3).")
    movements: list[Movement] = Field(default_factory=list, description="Entries into and departures from countries, in any order (up to 8).")
    prior_applications: list[PriorApplication] = Field(default_factory=list, description="Earlier applications in Member States, with their outcome (up to 3).")
    third_countries: list[ThirdCountryLink] = Field(default_factory=list, description="The route through third countries: transit, stays, connections, agreements (up to 4).")
    events: list[Event] = Field(default_factory=list, description="Absconding, imprisonment, detention, reappearance, departure (up to 6).")
    dublin: DublinEvents = Field(default_factory=DublinEvents, description="What happened in the take charge / take back procedure, with dates (a case in progress); empty: the latest dates the law allows.")
    procedure: ProcedureFacts = Field(default_factory=ProcedureFacts, description="Facts for the examination procedure (a recognition rate given with the case).")
    flags: Flags = Field(default_factory=Flags, description="Facts established by the authorities.")
    outcomes: Outcomes = Field(default_factory=Outcomes, description="Decisions the engine does not make; 'open' keeps all branches.")
    holidays: Literal["official", "none"] = Field("official", description="Roll deadlines over official holidays, or weekends only.")

    @model_validator(mode="after")
    def _coherent(self) -> "Case":
        if self.application is None:
            return self._non_applicant_coherent()
        reg = self.application.registered_on
        first_entry = min((m.date for m in self.movements if m.kind != "departure"), default=None)
        if first_entry is not None and reg < first_entry:
            raise ValueError(f"application.registered_on: {reg} is before the first entry on {first_entry}")
        if self.applicant.date_of_birth and self.applicant.date_of_birth > reg:
            raise ValueError("applicant.date_of_birth: after the registration date")
        if self.applicant.date_of_birth and self.applicant.age is not None and self.applicant.age != self.age_on(reg):
            raise ValueError(f"applicant.age: {self.applicant.age} does not match date_of_birth {self.applicant.date_of_birth} "
                             f"(age {self.age_on(reg)} on registration, {reg}); give one of the two")  # fmt: skip
        for i, prior in enumerate(self.prior_applications):
            if prior.registered_on > reg:
                raise ValueError(f"prior_applications[{i}].registered_on: {prior.registered_on} is after this application's registration ({reg})")
        if len(self.family) > 6 or len(self.documents) > 4 or len(self.diplomas) > 3 or len(self.movements) > 8:
            raise ValueError("too many items: at most 6 family members, 4 documents, 3 diplomas and 8 movements per case")
        if len(self.prior_applications) > 3 or len(self.third_countries) > 4 or len(self.events) > 6:
            raise ValueError("too many items: at most 3 prior applications, 4 third-country links and 6 events per case")
        self._screening_before_application()
        self._dublin_coherent(reg)
        return self

    def _non_applicant_coherent(self) -> "Case":
        """No application: the screening block says who the person is and when they were met."""
        if self.screening is None:
            raise ValueError("application: required unless a screening block describes a person who has not applied")
        s, today = self.screening, self.computed_on or self.screening.date
        if self.computed_on is not None and self.computed_on < s.date:
            raise ValueError(f"computed_on: {self.computed_on} is before screening.date {s.date}")
        if s.screened_on is not None and s.screened_on > today:
            raise ValueError(f"screening.screened_on: {s.screened_on} is after the case's date {today}")
        first_entry = min((m.date for m in self.movements if m.kind != "departure"), default=None)
        if first_entry is not None and s.date < first_entry:
            raise ValueError(f"screening.date: {s.date} is before the first entry on {first_entry}")
        if self.applicant.date_of_birth and self.applicant.date_of_birth > s.date:
            raise ValueError("applicant.date_of_birth: after the screening date")
        unused = [name for name in ("family", "documents", "diplomas", "prior_applications", "third_countries", "events") if getattr(self, name)]
        unused += [name for name, empty in (("dublin", DublinEvents()), ("flags", Flags()), ("outcomes", Outcomes())) if getattr(self, name) != empty]
        if unused:  # they bear on an application only: refused rather than silently ignored
            raise ValueError(f"application: {', '.join(unused)} given, but no application (a person who has not applied): "
                             "give the application, or leave them out")  # fmt: skip
        return self

    def _screening_before_application(self) -> None:
        """An application is made at or after the crossing and the screening, never before."""
        made = self.application.made_on
        first = min((m for m in self.movements if m.kind != "departure"), key=lambda m: m.date, default=None)
        if first is not None and made < first.date:
            raise ValueError(f"application.made_on: {made} is before the crossing on {first.date} ({first.kind.replace('_', ' ')} into "
                             f"{first.country}, the first entry given; an application is made after arriving)")  # fmt: skip
        s = self.screening
        if s is None:
            return
        if made < s.date:
            raise ValueError(f"application.made_on: {made} is before screening.date {s.date} (the application is made at or after being met)")
        if s.member_state != self.application.member_state:
            raise ValueError(f"screening.member_state: '{s.member_state}' is not the state of the application ('{self.application.member_state}')")
        today = self.computed_on or self.application.registered_on
        if s.screened_on is not None and s.screened_on > today:
            raise ValueError(f"screening.screened_on: {s.screened_on} is after the case's date {today}")

    def _dublin_coherent(self, reg: dt.date) -> None:
        d = self.dublin
        if d.evidence_time_limit is not None and d.evidence_time_limit < reg:
            raise ValueError(f"dublin.evidence_time_limit: {d.evidence_time_limit} is before the registration ({reg})")
        if d.request_sent_on is not None and d.request_sent_on < reg:
            raise ValueError(f"dublin.request_sent_on: {d.request_sent_on} is before the registration ({reg})")
        if d.requested_state is not None and d.requested_state == self.application.member_state:
            raise ValueError(f"dublin.requested_state: '{d.requested_state}' is the state where the application was made")
        stated = self.outcomes.take_charge_reply
        if d.reply is not None and stated != "open" and {"accepted": "accepted", "refused": "refused", "none": "no_reply"}[d.reply] != stated:
            raise ValueError(f"dublin.reply: '{d.reply}' contradicts outcomes.take_charge_reply '{stated}'; give one of the two")
        if d.absconding_informed_on is not None:
            absconded = [e.start for e in self.events if e.kind == "absconding"]
            if not absconded:
                raise ValueError("dublin.absconding_informed_on: given, but no absconding event (events: kind absconding)")
            if d.absconding_informed_on < min(absconded):
                raise ValueError(f"dublin.absconding_informed_on: {d.absconding_informed_on} is before the absconding on {min(absconded)}")

    @property
    def met_on(self) -> dt.date:
        """The case's first day: the registration, or for a person who has not applied the screening."""
        return self.application.registered_on if self.application else self.screening.date

    def age_on(self, day: dt.date) -> int:
        a = self.applicant
        if a.date_of_birth is None:
            return int(a.age)
        dob = a.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
