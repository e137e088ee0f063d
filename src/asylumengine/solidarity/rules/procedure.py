"""A deduction request over dates: AMMR Art 61(1)-(4) and 62(1)-(5).

A state "may, at any time, request a partial or full deduction"; it submits the request to
the Commission (for information, to the Council); the Commission informs the Council of its
assessment "within four weeks following the receipt of the request" (and the Parliament);
"Following the receipt of the Commission's assessment, the Council shall adopt an
implementing act to determine whether the Member State is authorised to derogate". Nothing
is automatic, and the text sets no time limit for the Council. Which article applies is the
first row of ``REQUEST_BASIS`` that holds.
"""

from __future__ import annotations

import datetime as dt

from asylumengine.law.rules import rule
from asylumengine.law.time import PACT_TIME_RULE, deadline, official_holidays
from asylumengine.solidarity.context import Law
from asylumengine.solidarity.models import (
    DeductionAnswer,
    DeductionRequest,
    OffsetRequest,
    OffsetRequestAnswer,
    StateClassification,
    Status,
)

TEXT = "ammr-part4-texts#Article 61(1), (3)"

# (applies, basis, admissible, note) - first row that holds decides.
REQUEST_BASIS = (
    (lambda c: c.benefitting, "AMMR Art 61(1)", False,
     "the state uses the Pool: Art 61(1) is for a state that 'has not made use of the Annual Solidarity Pool', and a "
     "benefitting state is not obliged to implement its pledges anyway (Art 60(3), third subpara)"),
    (lambda c: c.has(Status.SIGNIFICANT_MIGRATORY_SITUATION), "AMMR Art 62(1)", True,
     "identified in the Art 11 decision as facing a significant migratory situation; the request includes "
     "the elements of Art 62(2)(a)-(d)"),
    (lambda c: c.has(Status.MIGRATORY_PRESSURE), "AMMR Art 61(1)", True,
     "identified in the Art 11 decision as under migratory pressure and not using the Pool"),
    (lambda c: True, "AMMR Art 61(1) or 62(1)", True,
     "not identified in the Art 11 decision: the state may still ask as one that 'considers itself' under "
     "migratory pressure (with the reasoning of Art 61(2)) or facing a significant situation (Art 62(2)-(3))"),
)  # fmt: skip


@rule(
    "AMMR Art 61(3)",
    "A deduction request: Commission assessment within four weeks of receipt, then a Council implementing act; not automatic",
    engine="solidarity",
    also=("AMMR Art 61(1)", "AMMR Art 61(4)", "AMMR Art 62(1)", "AMMR Art 62(4)", "AMMR Art 62(5)", "AMMR Art 75"),
    reads=("deduction_requests", "status", "benefitting"),
    params=("solidarity.deduction_assessment_weeks", "solidarity.part_iv_application_date"),
    produces=("deduction_requests",),
    text=TEXT,
)
def deduction_answer(req: DeductionRequest, c: StateClassification, law: Law) -> DeductionAnswer:
    basis, admissible, note = next((b, a, n) for applies, b, a, n in REQUEST_BASIS if applies(c))
    received = req.received_on or req.requested_on
    applies_from = dt.date.fromisoformat(str(law("solidarity.part_iv_application_date")))
    start = max(received, applies_from)
    weeks = law.on_date("solidarity.deduction_assessment_weeks", start)
    due = deadline(start, weeks, "weeks", PACT_TIME_RULE) if admissible else None
    article = "62" if "62" in basis and "61" not in basis else "61"
    council = "62(5)" if article == "62" else "61(4)"
    return DeductionAnswer(
        member_state=req.member_state, requested_on=req.requested_on, received_on=received, basis=basis,
        admissible=admissible, admissibility_note=note,
        submitted_to="the Commission (AMMR Art 61(1), 62(1), second subpara)",
        informed=["the Council, for information (by the requesting state)", "the European Parliament (by the Commission)"],
        assessed_by="the Commission", assessment_due=due,
        assessment_period=f"{weeks} weeks following the receipt of the request (AMMR Art 61(3), 62(4)), counted under Art 75",
        decided_by=f"the Council, by implementing act (AMMR Art {council})",
        decision_due="following the receipt of the Commission's assessment; the text sets no time limit",
        automatic=False,
        effect_until_decided="none: the pledge in the Council implementing act (Art 57) stands until the Council authorises "
        "the derogation (give a granted deduction as 'deduction' in the classification file)",
        open_points=_open_points(received, applies_from),
        citations=[basis, f"AMMR Art {article}(3)" if article == "61" else "AMMR Art 62(4)", f"AMMR Art {council}", "AMMR Art 75"],
    )  # fmt: skip


def _open_points(received: dt.date, applies_from: dt.date) -> list[str]:
    out = ["Art 75(d) rolls a time limit ending on an official holiday to the next working day: the Commission's "
           "official holidays are not encoded, so only Saturdays and Sundays roll the deadline forward."]  # fmt: skip
    if received < applies_from:
        out.append(f"Received before Arts 61-62 apply ({applies_from.isoformat()}, Art 85): the four weeks are counted "
                   "from that date (the Regulation does not say how an earlier request is treated).")  # fmt: skip
    return out


TEXT_69 = "ammr-part4-texts#Article 69(1)-(3)"

# (applies, basis, procedure, must accept?, may accept?) - first row that holds decides.
OFFSET_REQUEST_BASIS = (
    (lambda f: not f["in_force"], "none: Art 63 does not apply on this date", "-", False, False),
    (lambda f: f["exempt"], "not required: the requested state is exempt this year (AMMR Art 60(3), third subpara)",
     "voluntary only", False, True),
    (lambda f: f["blocked"], "not required: systemic shortcomings in the requesting state (AMMR Art 60(3), fourth subpara)",
     "voluntary only", False, True),
    (lambda f: f["mandatory"], "mandatory (AMMR Art 63(3), (7))",
     "AMMR Art 63(6): the contributing state identifies the applications and informs the benefitting state through "
     "DubliNet; the text sets no reply time limit (Art 69 covers Art 63(1)-(2))", True, True),
    (lambda f: f["voluntary"], "voluntary (AMMR Art 63(1))", "AMMR Art 69: reply within the time limit; a lower number may "
     "be accepted (Art 69(2), second subpara)", False, True),
    (lambda f: f["may_offer"], "voluntary (AMMR Art 63(2), second subpara: the state indicated willingness)",
     "AMMR Art 69: reply within the time limit; a lower number may be accepted", False, True),
    (lambda f: True, "no basis: neither Art 63(1) nor 63(2) is met and Art 63(3) does not apply", "-", False, False),
)  # fmt: skip


@rule(
    "AMMR Art 69(2)",
    "A request to take over applications: its basis, the reply due within 30 days of receipt (Art 69), and how many "
    "must or may be accepted (Art 63(3), (7))",
    engine="solidarity",
    also=("AMMR Art 69(1)", "AMMR Art 63(6)", "AMMR Art 63(7)", "AMMR Art 75"),
    reads=("offset_requests", "offset_basis", "mandatory_offsets_up_to", "reference_relocations"),
    params=("solidarity.offset_reply_days",),
    produces=("offset_requests",),
    text=TEXT_69,
)
def offset_request_answer(req: OffsetRequest, facts: dict, must_up_to: float, fair_share: float, law: Law) -> OffsetRequestAnswer:
    _, basis, how, must, may = next(row for row in OFFSET_REQUEST_BASIS if row[0](facts))
    art_69 = how.startswith("AMMR Art 69")
    days = law("solidarity.offset_reply_days") if art_69 else None
    due = deadline(req.received_on, days, "days", PACT_TIME_RULE, official_holidays(req.member_state)) if art_69 else None
    return OffsetRequestAnswer(
        member_state=req.member_state, requested_by=req.requested_by, applications=req.applications,
        received_on=req.received_on, basis=basis, procedure=how, reply_due=due,
        must_accept_up_to=min(req.applications, must_up_to) if must else 0,
        may_accept_up_to=min(req.applications, fair_share) if may else 0,
        note="No state has to take responsibility beyond its fair share (Art 63(7)); the reply counts days under "
             "Art 75 with the official holidays of the requested state.",
        citations=["AMMR Art 63(1)", "AMMR Art 63(2)", "AMMR Art 63(3)", "AMMR Art 63(7)"] + (["AMMR Art 69(2)", "AMMR Art 75"] if art_69 else ["AMMR Art 63(6)"]),
    )  # fmt: skip
