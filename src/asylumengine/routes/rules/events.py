"""The Dublin procedure as it happened: the judgements the law attaches to the dated events of a case
in progress (AMMR Arts 39-46; Dublin III Arts 21-29).

Where an event is given (``case.dublin``, the ``dub_*`` columns), the limit that runs from it is
counted from it and the event is judged against its limit: a request sent late, a reply after the
limit (silence already counted), a transfer after its limit. Where it is not given, the latest date
the law allows stays (module ``dublin``) and the route says so. A single case is a population of one.
"""

from __future__ import annotations

import numpy as np

from asylumengine.law.rules import rule
from asylumengine.routes.columns import NAT, REPLY_CHOICES
from asylumengine.routes.criteria import RegimeCodes as Regime
from asylumengine.routes.rules.common import Ctx
from asylumengine.routes.vector import select

REQUESTS = ("none", "take_charge", "take_back")  # as dublin.REQUESTS (that module imports this one)
NONE, TAKE_CHARGE, TAKE_BACK = range(len(REQUESTS))
ACCEPTED, REFUSED, NO_REPLY = (REPLY_CHOICES.index(k) for k in ("accepted", "refused", "none"))

# What the law makes of a late request (AMMR Art 39(1) third subpara, Art 41(1) second sentence;
# Dublin III Art 21(1) third subpara, Art 23(3)).
LATE_REQUEST = ("", "responsibility_stays", "obligation_unaffected")
STAYS, UNAFFECTED = (LATE_REQUEST.index(k) for k in LATE_REQUEST[1:])
# The effect of the reply, as the text names it.
REPLY_EFFECTS = ("", "accepted", "implicit_acceptance", "refused", "receipt_confirmed", "receipt_deemed_confirmed",
                 "not_responsible_shown", "accepted_on_reexamination")  # fmt: skip
(E_ACCEPTED, E_IMPLICIT, E_REFUSED, E_CONFIRMED, E_DEEMED_CONFIRMED, E_NOT_RESPONSIBLE,
 E_REEXAMINED) = range(1, len(REPLY_EFFECTS))  # fmt: skip
# From when the transfer period runs (AMMR Art 46(1); 45(3)).
TRANSFER_BASES = ("latest_possible", "acceptance", "final_appeal_decision", "awaiting_appeal_decision")
LATEST, FROM_ACCEPTANCE, FROM_APPEAL, AWAITING_APPEAL = range(len(TRANSFER_BASES))
TRANSFER_STATUS = ("", "in_time", "late", "expired", "pending")
IN_TIME, LATE, EXPIRED, PENDING = range(1, len(TRANSFER_STATUS))


@rule("AMMR Art 39(1)", "A take charge request sent after its limit: responsibility lies with the state where the "
      "application was registered (third subpara); a late take back notification does not affect the obligation to take "
      "back (Art 41(1)); Dublin III: the state where it was lodged (21(1) third subpara, 23(3))", engine="routes",
      also=("AMMR Art 41(1)", "Dublin III Art 21(1)", "Dublin III Art 23(3)"),
      reads=("regime", "request_kind", "request_limit_ordinary", "dub_sent"), produces=("request_sent_on", "request_late", "late_request"),
      text="routes-texts#AMMR Art 39")  # fmt: skip
def request_timeliness(pop, v, ctx: Ctx):
    # judged against Art 39 / 41 themselves: a missed detention limit only ends the detention (Art 45(4))
    sent, limit, kind = pop["dub_sent"], v["request_limit_ordinary"], v["request_kind"]
    late = (kind != NONE) & ~np.isnat(sent) & ~np.isnat(limit) & (sent > limit)
    pact_take_back = (v["regime"] == Regime.PACT) & (kind == TAKE_BACK)
    effect = np.where(late, np.where(pact_take_back, UNAFFECTED, STAYS), 0).astype(np.int8)
    return {"request_sent_on": np.where(kind != NONE, sent, NAT), "request_late": late, "late_request": effect}


@rule("AMMR Art 40(8)", "The reply as given: an acceptance or refusal in time counts from its date; no reply, or a reply "
      "after the limit, is tantamount to acceptance on the last day (40(8), 45(2)); take back: silence is tantamount to "
      "confirming receipt of the notification (41(4)), a refusal shows the state is not responsible (41(3)); Dublin III: "
      "silence is acceptance (22(7), 25(2))", engine="routes",
      also=("AMMR Art 40(1)", "AMMR Art 41(3)", "AMMR Art 41(4)", "AMMR Art 45(2)", "Dublin III Art 22(7)", "Dublin III Art 25(2)"),
      reads=("regime", "request_kind", "reply_limit", "dub_reply", "dub_reply_on", "dub_reexam_reply", "dub_reexam_reply_on"),
      produces=("accepted_on", "accepted_as_happened", "reply_effect", "reply_late", "request_refused"),
      text="routes-texts#AMMR Art 40")  # fmt: skip
def reply_effect(pop, v, ctx: Ctx):
    kind, limit, reply, on = v["request_kind"], v["reply_limit"], pop["dub_reply"], pop["dub_reply_on"]
    given = (kind != NONE) & (reply != 0)
    in_time = given & (reply != NO_REPLY) & ~np.isnat(on) & (on <= limit)
    silence = given & ~in_time  # no reply, or a reply after the limit: the silence already counted
    refused = in_time & (reply == REFUSED)
    reexamined = refused & (pop["dub_reexam_reply"] == ACCEPTED) & ~np.isnat(pop["dub_reexam_reply_on"])
    confirmation = (v["regime"] == Regime.PACT) & (kind == TAKE_BACK)  # AMMR Art 41: a notification, confirmed
    effect = select([reexamined, refused & confirmation, refused, in_time & confirmation, in_time, silence & confirmation, silence],
                       [E_REEXAMINED, E_NOT_RESPONSIBLE, E_REFUSED, E_CONFIRMED, E_ACCEPTED, E_DEEMED_CONFIRMED, E_IMPLICIT], 0)
    accepted = np.where(in_time & ~refused, on, np.where(reexamined, pop["dub_reexam_reply_on"], limit))
    accepted = np.where(refused & ~reexamined, NAT, accepted)
    return {"accepted_on": accepted, "accepted_as_happened": given, "reply_effect": effect.astype(np.int8),
            "reply_late": given & (reply != NO_REPLY) & ~in_time, "request_refused": refused & ~reexamined}  # fmt: skip


@rule("AMMR Art 46(1)", "The transfer period runs from the acceptance or confirmation, or from the final decision on an "
      "appeal or review with suspensive effect (Art 43(3)); detained: from when the appeal no longer suspends (45(3)(b)); "
      "Dublin III Art 29(1), 28(3)", engine="routes", also=("AMMR Art 45(3)(b)", "AMMR Art 43(3)", "Dublin III Art 29(1)"),
      reads=("accepted_on", "accepted_as_happened", "dub_appeal_on", "dub_appeal_suspensive", "dub_appeal_final_on"),
      produces=("transfer_start", "transfer_basis"), text="routes-texts#AMMR Art 46")  # fmt: skip
def transfer_period_start(pop, v, ctx: Ctx):
    suspensive = ~np.isnat(pop["dub_appeal_on"]) & pop["dub_appeal_suspensive"]
    final = pop["dub_appeal_final_on"]
    decided = suspensive & ~np.isnat(final)
    start = np.where(decided, final, np.where(suspensive, NAT, v["accepted_on"]))
    basis = select([decided, suspensive, v["accepted_as_happened"]], [FROM_APPEAL, AWAITING_APPEAL, FROM_ACCEPTANCE], LATEST)
    return {"transfer_start": start, "transfer_basis": basis.astype(np.int8)}


@rule("AMMR Art 46(2)", "The transfer as it happened: carried out by the limit, after it (the responsible state was already "
      "relieved and responsibility had passed to the transferring state), or the limit has expired by the date the route is "
      "computed on", engine="routes", also=("AMMR Art 37(1)", "Dublin III Art 29(2)"),
      reads=("request_kind", "transfer_deadline", "request_sent_on", "dub_transfer_on", "computed_on", "late_request", "request_refused",
             "detained", "transfer_extension", "transfer_limit_ordinary"),
      produces=("transfer_status",), text="routes-texts#AMMR Art 46")  # fmt: skip
def transfer_timeliness(pop, v, ctx: Ctx):
    # detained: the five weeks only end the detention (Art 45(4)); the six months of Art 46 decide responsibility
    plain = v["detained"] & (v["transfer_extension"] == "")
    done, limit = pop["dub_transfer_on"], np.where(plain, v["transfer_limit_ordinary"], v["transfer_deadline"])
    known = ~np.isnat(limit)
    # no transfer follows a take charge request sent late or a refusal
    in_progress = (v["request_kind"] != NONE) & ~np.isnat(v["request_sent_on"]) & (v["late_request"] != STAYS) & ~v["request_refused"]
    status = select(
        [~np.isnat(done) & known & (done <= limit), ~np.isnat(done) & known & (done > limit),
         np.isnat(done) & in_progress & known & (pop["computed_on"] > limit), in_progress],
        [IN_TIME, LATE, EXPIRED, PENDING], 0)  # fmt: skip
    return {"transfer_status": np.where(v["request_kind"] != NONE, status, 0).astype(np.int8)}
