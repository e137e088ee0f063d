"""Turn one row of the vectorised determinations into a readable route (steps in EN and NL).

Nothing is decided here: every date and determination comes from the population evaluation
(engine.evaluate); this module only words them and attaches the articles. One small builder per
legal concept returns the steps it contributes (none when the concept does not arise);
``STEP_BUILDERS`` is the order of the route. The words come from the message catalogues
(``routes/messages.py``): a builder names message ids, never English or Dutch text.

The route is put together as plain values (the fields of each model as a dict, the texts as
:class:`~asylumengine.routes.messages.Words` worded only in the languages shown) and validated once
as a :class:`Route` (``route_model``): one pass of pydantic-core instead of a model per step, answer and text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from asylumengine.routes.case import FamilyMember, Outcomes
from asylumengine.routes.columns import Population, countries, literal_values
from asylumengine.routes.criteria import Criterion, Regime, citation, label
from asylumengine.routes.messages import Words, cite, cited, join, message, pick, plain, text
from asylumengine.routes.model import Route
from asylumengine.routes.rules import accelerated as A
from asylumengine.routes.rules import admissibility as I
from asylumengine.routes.rules import border_entry as BE
from asylumengine.routes.rules import detention as Det
from asylumengine.routes.rules import dublin as D
from asylumengine.routes.rules import events as Ev
from asylumengine.routes.rules import procedure as P
from asylumengine.routes.rules import screening as S
from asylumengine.routes.rules.entry import SAR_READINGS
from asylumengine.routes.rules.outcome import RETURN_REGIMES, terminal_names

MERITS = literal_values(Outcomes, "merits")  # open, refugee, subsidiary, rejected
FAMILY_RELATIONS = ("",) + literal_values(FamilyMember, "relation")  # as coded in the fam*_relation columns
TAKE_CHARGE_REPLIES = literal_values(Outcomes, "take_charge_reply")  # open, accepted, refused, no_reply
RETURN_TERMINALS = ("returned", "departed", "return_hub", "removed")

# admissibility ground bit -> message id, APR citation, Directive 2013/32/EU citation
ADM = [
    (P.ADM_FIRST_COUNTRY, "first_country_of_asylum", "APR Art 38(1)(a), 58", "Directive 2013/32/EU Art 33(2)(b), 35"),
    (P.ADM_SAFE_THIRD, "safe_third_country", "APR Art 38(1)(b), 59(5) as amended by Reg. (EU) 2026/463",
     "Directive 2013/32/EU Art 33(2)(c), 38 (connection required)"),
    (P.ADM_PROTECTION_MS, "protection_in_member_state", "APR Art 38(1)(c)", "Directive 2013/32/EU Art 33(2)(a)"),
    (P.ADM_RETURN_DECISION, "late_after_return_decision", "APR Art 38(1)(e)", "-"),
    (P.ADM_SUBSEQUENT, "subsequent_no_new_elements", "APR Art 38(2), 55", "Directive 2013/32/EU Art 33(2)(d), 40"),
]  # fmt: skip
BORDER_NOTES = {
    P.EX_UAM: "note.border_uam",
    P.EX_NEEDS: "note.border_needs",
    P.EX_CAPACITY: "note.border_capacity",
    P.EX_NOT_BORDER_SITUATION: "note.border_not_border_situation",
    P.EX_TRANSFERRED: "note.border_transferred",
}
STC_CITES = {"connection": "APR Art 38(1)(b), 59(5)(b)(i) as amended by Reg. (EU) 2026/463",
             "transit": "APR Art 38(1)(b), 59(5)(b)(ii) as amended by Reg. (EU) 2026/463",
             "agreement": "APR Art 38(1)(b), 59(5)(b)(iii) as amended by Reg. (EU) 2026/463"}  # the link used
TRANSFER_REASONS = {D.ALL_PROFILES: "reason.all_profiles", D.SINGLE_MEN: "reason.single_men"}
PROCEDURE_KEYS = {P.PROC_BORDER: "procedure_border", P.PROC_ACCELERATED: "procedure_accelerated", P.PROC_REGULAR: "procedure_regular"}
REQUESTS = {D.NONE: "none", D.TAKE_CHARGE: "take_charge", D.TAKE_BACK: "take_back"}
REPLY_OUTCOMES = {"accepted": "outcome.reply_accepted", "refused": "outcome.reply_refused", "no_reply": "outcome.reply_implicit"}


DAY = np.dtype("datetime64[D]")


def _d(x) -> dt.date | None:
    return None if np.isnat(x) else x.astype(DAY).astype(dt.date)


def _day(values: np.ndarray, i: int) -> dt.date | None:
    """Row ``i`` of a date column; in the columns' unit, ``.item(i)`` gives the date (or None for NaT) at the least cost."""
    return values.item(i) if values.dtype == DAY else _d(values[i])


def _c(code: int) -> str:
    return countries()[int(code)]


@dataclass(slots=True)
class Facts:
    """One case: its population columns, evaluate's results for it (``r``: the arrays, ``g``: row ``i`` of each), the
    regimes that govern it, and the language of the route."""

    pop: Population
    r: dict[str, np.ndarray]
    g: dict
    i: int
    lang: str  # the language of the one-language fields
    reg: Regime
    apr: bool  # procedure under the APR (else Directive 2013/32/EU)
    pact: bool  # responsibility under the AMMR (else Dublin III)
    state: str  # where the application was made
    responsible: str
    examining: str
    crit: Criterion
    crit_citation: str  # the article of the criterion, to the point that decided
    kind: int  # Dublin request kind
    merits: str
    return_regime: str
    rate_source: str = ""  # the source of a recognition rate given with the case (not a population column: text)

    def col(self, name: str):
        return self.pop[name][self.i]

    def day(self, name: str) -> dt.date | None:
        """A result date (None: none)."""
        return _day(self.r[name], self.i)

    def col_day(self, name: str) -> dt.date | None:
        """A population date (None: none)."""
        return _day(self.pop[name], self.i)


def facts(pop: Population, r: dict[str, np.ndarray], i: int, rate_source: str = "", lang: str = "en") -> Facts:
    g = {k: v[i] for k, v in r.items()}
    reg, crit = Regime(int(g["regime"])), Criterion(int(g["criterion"]))
    return Facts(pop=pop, r=r, g=g, i=i, lang=lang, reg=reg, apr=int(g["procedure_regime"]) == Regime.PACT, pact=reg == Regime.PACT,
                 state=_c(pop["app_state"][i]), responsible=_c(g["responsible"]), examining=_c(g["examining_state"]),
                 crit=crit, crit_citation=citation(reg, crit, int(g["criterion_point"])), kind=int(g["request_kind"]),
                 merits=MERITS[int(pop["o_merits"][i])], return_regime=RETURN_REGIMES[int(g["return_regime"])],
                 rate_source=rate_source)  # fmt: skip


def step(f: Facts, code: str, title: Words, explanation: Words, citations: list[str], start: dt.date | None = None,
         deadline: dt.date | None = None, deadline_latest: dt.date | None = None, outcome: Words | None = None,
         branches: list[Words] = (), open_points: list[Words] = ()) -> dict:
    """The fields of a :class:`~asylumengine.routes.model.Step`: title and explanation in every language, the other
    texts in the route's (``f.lang``); ``citations`` are strings (a citation in words is given in ``f.lang``)."""
    lang = f.lang
    cites = _citation_list(tuple(citations), lang)
    return {"code": code, "title": title.both(), "explanation": explanation.both(), "citations": cites, "start": start,
            "deadline": deadline, "deadline_latest": deadline_latest, "outcome": None if outcome is None else outcome.say(lang),
            "branches": _said(branches, lang), "open_points": _said(open_points, lang)}  # fmt: skip


def _said(texts: list[Words] | tuple, lang: str) -> list[str]:
    return [t.say(lang) for t in texts] if texts else []


@lru_cache(maxsize=4096)  # a step's citations are one of the few hundred lists the builders write: qualified and worded once
def _citations(cites: tuple[str, ...], lang: str) -> tuple[str, ...]:
    return tuple(cite(c, lang) for c in qualify(list(cites)))


def _citation_list(cites: tuple[str, ...], lang: str) -> list[str]:
    """``cites`` qualified (``qualify``) and in the words of ``lang`` (``cite``)."""
    return list(_citations(cites, lang))


# --- screening, registration, lodging (Screening Regulation; APR Art 27-28; Directive 2013/32/EU Art 6)


def screening(f: Facts) -> list[dict]:
    if f.col("scr_place") or f.col("app_none"):
        return screening_as_reported(f)
    kind = f.g["screening"]
    if kind not in (P.SCREEN_BORDER, P.SCREEN_TERRITORY):
        return []
    border = kind == P.SCREEN_BORDER
    key = "step.screening_border" if border else "step.screening_territory"
    cites = (["Screening Regulation (EU) 2024/1356 Art 5", "Art 8(3)", "Art 18"] if border
             else ["Screening Regulation (EU) 2024/1356 Art 7", "Art 8(4)"])  # fmt: skip
    points = [text("open.screening_plain_days")] if border else []
    if border and f.col("app_held_72h"):
        points.append(text("open.screening_held_72h"))
    return [step(f, "screening", text(f"{key}.title"), text(f"{key}.explanation"), cites, start=f.day("screening_start"),
                 deadline=f.day("screening_deadline"), outcome=text("outcome.referral_to_registration"), open_points=points)]  # fmt: skip


# --- the screening as the case describes it (case.screening), with or without an application (SR Arts 5, 7, 8, 18)

SCREENING_POINTS = {  # ground -> the point that decides
    "none": "Screening Regulation (EU) 2024/1356 Art 5",
    "apprehended_at_external_border": "Screening Regulation (EU) 2024/1356 Art 5(1)(a)",
    "disembarked_after_sar": "Screening Regulation (EU) 2024/1356 Art 5(1)(b)",
    "applied_at_border_crossing_point": "Screening Regulation (EU) 2024/1356 Art 5(2)",
    "irregular_stay_in_territory": "Screening Regulation (EU) 2024/1356 Art 7(1)",
    "already_screened": "Screening Regulation (EU) 2024/1356 Art 7(1)",
    "entry_not_irregular": "Screening Regulation (EU) 2024/1356 Art 7(1)",
    "meets_entry_conditions": "Screening Regulation (EU) 2024/1356 Art 5(3), second subpara",
    "no_application_at_border_crossing_point": "Screening Regulation (EU) 2024/1356 Art 5(2)",
    "before_screening_regulation": "Screening Regulation (EU) 2024/1356 Art 25",
}
REFERRAL_POINTS = {"registration": "Art 18(2)", "return_procedure": "Art 18(1)", "return_procedure_continues": "Art 18(4)"}


def screening_citation(f: Facts) -> str:
    return SCREENING_POINTS[S.SCREENING_GROUNDS[int(f.g["screening_ground"])]]


def _screening_branches(f: Facts, ground: str, referral: str) -> list[Words]:
    """What follows for a person who has not applied: an application, or the return procedure."""
    if not f.col("app_none"):
        return []
    if ground == "meets_entry_conditions":
        return [text("branch.screening_entry_conditions_met")]
    if ground == "no_application_at_border_crossing_point":
        return [text("branch.screening_border_checks")]
    back = text("branch.screening_return_continues" if referral != "return_procedure" else "branch.screening_return")
    return [text("branch.screening_application"), back]


def screening_as_reported(f: Facts) -> list[dict]:
    kind, ground = int(f.g["screening"]), S.SCREENING_GROUNDS[int(f.g["screening_ground"])]
    referral = S.REFERRALS[int(f.g["screening_referral"])]
    state, on = _c(f.col("scr_state") or f.col("app_state")), f.col_day("scr_date") or f.col_day("app_made")
    cites: list[str] = [screening_citation(f)]
    if kind == P.SCREEN_NONE:
        if f.col("app_none") and ground not in ("meets_entry_conditions", "no_application_at_border_crossing_point"):
            cites.append("Directive 2008/115/EC Art 6(1)")
        return [step(f, "screening", text("step.screening_not_required.title"),
                     text(f"step.screening_not_required.{ground}", state=state, date=str(on),
                          earlier=_c(f.col("scr_screened_in")), earlier_on=str(f.col_day("scr_screened_on") or "-")),
                     cites, start=on, outcome=text("outcome.screening_not_required"), branches=_screening_branches(f, ground, referral))]  # fmt: skip
    border = kind == P.SCREEN_BORDER
    cites += ["Art 8(3)" if border else "Art 8(4)", REFERRAL_POINTS[referral] if f.col("app_none") else "Art 18(2)"]
    points = [text("open.screening_plain_days")]
    if border and f.col("app_held_72h"):
        points.append(text("open.screening_held_72h"))
    if border and f.col("scr_screened_in"):
        points.append(text("open.screening_again_at_border", earlier=_c(f.col("scr_screened_in"))))
    key = "step.screening_border" if border else "step.screening_territory"
    outcome = text("outcome.referral_to_registration")
    if f.col("app_none"):  # as on the day computed: under way, or ended at the time limit (Art 18(5))
        ended = bool(f.g["screening_ended"])
        outcome = text("outcome.screening_ended" if ended else "outcome.screening_under_way", date=str(f.day("screening_deadline")))
        if ended:
            cites.append("Art 18(5)")
    return [step(f, "screening", text(f"{key}.title"), text(f"step.screening_reported.{ground}", state=state, date=str(on)), cites,
                 start=f.day("screening_start"), deadline=f.day("screening_deadline"), outcome=outcome,
                 branches=_screening_branches(f, ground, referral), open_points=points)]  # fmt: skip


def screening_answer(f: Facts, lang: str) -> dict:
    """The fields of a :class:`~asylumengine.routes.model.ScreeningAnswer`."""
    kind = int(f.g["screening"])
    return dict(required=kind != P.SCREEN_NONE, where={P.SCREEN_BORDER: "external_border", P.SCREEN_TERRITORY: "territory"}.get(kind, "none"),
                ground=S.SCREENING_GROUNDS[int(f.g["screening_ground"])], citation=cite(screening_citation(f), lang),
                deadline=f.day("screening_deadline"), referral=S.REFERRALS[int(f.g["screening_referral"])])  # fmt: skip


def registration(f: Facts) -> list[dict]:
    registered = f.col_day("app_registered")
    return [step(f, "registration", text("step.registration.title"),
                 text("step.registration.explanation_apr" if f.apr else "step.registration.explanation_apd"),
                 ["APR Art 27(1)", "Art 27(7)"] if f.apr else ["Directive 2013/32/EU Art 6(1)"],
                 start=f.col_day("app_made"), deadline=f.day("registration_deadline"),
                 outcome=text("outcome.registered", date=str(registered), state=f.state))]  # fmt: skip


def lodging(f: Facts) -> list[dict]:
    if not f.apr:
        return []
    return [step(f, "lodging", text("step.lodging.title"), text("step.lodging.explanation"), ["APR Art 28(1)", "Art 28(2)", "Art 51(1)"],
                 start=f.col_day("app_registered"), deadline=f.day("lodging_deadline"))]  # fmt: skip


# --- responsibility (AMMR Part III / Dublin III)


def _responsibility_points(f: Facts) -> list[Words]:
    g, points = f.g, []
    if f.crit in (Criterion.DEPENDENCY, Criterion.DEPENDENCY_HEALTH):
        points.append(text("open.dependency_rank"))
    if g["uam_several_states"]:
        points.append(text("open.uam_several_states"))
    if g["systemic_skipped"]:
        points.append(text("open.systemic_skipped"))
    if g["uam"]:
        points.append(text("open.uam_best_interests"))
    if g["ceased_prior"]:
        points.append(text("open.ceased_prior", articles=cited("AMMR Art 37(2), (4), (5)" if f.pact else "Dublin III Art 19(2)-(3)")))
    if any(f.col(f"fam{k}_accompanies") for k in range(f.pop.slots("fam"))):
        points.append(text("open.family_together", article=cited("AMMR Art 28" if f.pact else "Dublin III Art 11")))
    return points + _late_evidence_points(f) + _sar_reading_points(f)


def _sar_reading_points(f: Facts) -> list[Words]:
    """AMMR Art 33(1)-(2): whether a disembarkation is also an irregular crossing is open (a parameter)."""
    reading = int(f.g["sar_reading"])
    if reading < 0:
        return []
    name, candidate = SAR_READINGS[reading], int(f.g["sar_crossing_candidate"])
    if name == "disembarkation_only" and candidate and f.crit == Criterion.FIRST_REGISTRATION and _c(candidate) != f.responsible:
        return [text("open.sar_reading_disembarkation_only_differs", state=_c(candidate))]
    return [text(f"open.sar_reading_{name}")]


def _late_evidence_points(f: Facts) -> list[Words]:
    """Evidence of a family link after the time limit (AMMR Art 17(3)): counted only if decisive (Art 18(2))."""
    late, ignored, points = int(f.g["evidence_late"]), int(f.g["evidence_disregarded"]), []
    for k in range(f.pop.slots("fam")):
        if late & (1 << k):
            key = "open.evidence_late_disregarded" if ignored & (1 << k) else "open.evidence_late_decisive"
            points.append(text(key, state=_c(f.col(f"fam{k}_location")), date=str(f.col_day(f"fam{k}_evidence_on")),
                               limit=str(f.col_day("dub_evidence_limit"))))  # fmt: skip
    return points


def responsibility(f: Facts) -> list[dict]:
    cite = f.crit_citation
    first = f.day("first_registered_on")
    return [step(f, "responsibility", text("step.responsibility.title"),
                 text("step.responsibility.explanation", responsible=f.responsible, label=label(f.crit), date=str(first)),
                 [cite, "AMMR Art 24" if f.pact else "Dublin III Art 7"] + (["AMMR Art 17(3)", "Art 18(2)"] if f.g["evidence_late"] else [])
                 + (["AMMR Art 33(1)-(2)"] if int(f.g["sar_reading"]) >= 0 else []),
                 start=first,
                 outcome=text("outcome.responsible", responsible=f.responsible, citation=cited(cite)), open_points=_responsibility_points(f))]  # fmt: skip


# --- Dublin: request, reply, transfer (AMMR Art 39-46 / Dublin III Art 21-29)


def _time_rule(f: Facts) -> str:
    return "AMMR Art 75" if f.pact else "Dublin III Art 42"


def dublin_request(f: Facts) -> list[dict]:
    if f.kind == D.NONE:
        return []
    take_back = f.kind == D.TAKE_BACK
    code = "take_back_notification" if take_back else "take_charge_request"
    if f.pact:
        cites = ["AMMR Art 41(1)"] if take_back else ["AMMR Art 39(1)"]
    else:
        cites = ["Dublin III Art 23(2)"] if take_back else ["Dublin III Art 21(1)"]
    if f.g["detained"]:
        cites.append("AMMR Art 45(1)" if f.pact else "Dublin III Art 28(3)")
    rule = _time_rule(f)
    points = [text("open.time_rule_roll_forward" if f.pact else "open.time_rule_no_roll_forward", rule=cited(rule))]
    if f.g["request_no_time_limit"]:
        points.append(text("open.uam_request_any_time"))
    explanation = text(f"step.{code}.explanation" + ("_hit" if f.g["hit"] else ""), state=f.state, responsible=f.responsible)
    sent, outcome = f.day("request_sent_on"), None
    if sent is None:
        points.append(text("open.request_not_given"))
    elif f.g["request_late"]:
        late = int(f.g["late_request"])
        outcome = text(f"outcome.request_late_{Ev.LATE_REQUEST[late]}", date=str(sent), state=f.state)
        cites.append(("AMMR Art 39(1), third subpara" if f.pact else "Dublin III Art 21(1), third subpara") if not take_back
                     else ("AMMR Art 41(1), second sentence" if f.pact else "Dublin III Art 23(3)"))  # fmt: skip
    else:
        outcome = text("outcome.request_in_time", date=str(sent))
    if sent is not None and f.col("dub_requested") and int(f.col("dub_requested")) != int(f.g["responsible"]):
        points.append(text("open.requested_other_state", requested=_c(f.col("dub_requested")), responsible=f.responsible))
    hit_on = f.col_day("dub_hit_on")
    start = hit_on if hit_on is not None and f.g["hit"] else f.col_day("app_registered")
    return [step(f, code, text(f"step.{code}.title", responsible=f.responsible), explanation, cites + [rule],
                 start=start, deadline=f.day("request_deadline"), outcome=outcome, open_points=points)]  # fmt: skip


def dublin_reply(f: Facts) -> list[dict]:
    if f.kind == D.NONE:
        return []
    take_back = f.kind == D.TAKE_BACK
    if f.pact:
        cites = ["AMMR Art 41(3)-(4)"] if take_back else ["AMMR Art 40(1)-(2)", "Art 40(8)"]
    else:
        cites = ["Dublin III Art 25(1)-(2)"] if take_back else ["Dublin III Art 22(1)", "Art 22(7)"]
    if f.g["detained"]:
        cites.append("AMMR Art 45(2)" if f.pact else "Dublin III Art 28(3)")
    if f.g["request_late"] and int(f.g["late_request"]) == Ev.STAYS:
        return []  # no transfer follows a late take charge request: the requesting state is responsible
    if f.g["accepted_as_happened"]:
        return [_reply_as_happened(f, take_back, cites)]
    reply = REPLY_OUTCOMES.get(TAKE_CHARGE_REPLIES[int(f.col("o_take_charge"))])
    branches = [] if reply else [text("branch.reply_accepted"), text("branch.reply_implicit"), text("branch.reply_refused")]
    confirmation = take_back and f.pact
    explanation = "step.reply.explanation_confirmation" if confirmation else ("step.reply.explanation_take_back" if take_back
                                                                              else "step.reply.explanation_take_charge")
    received = f.col_day("dub_received") or f.col_day("dub_sent")
    return [step(f, "reply", text("step.reply.title", responsible=f.responsible), text(explanation), cites,
                 start=received or f.day("request_deadline"), deadline=f.day("reply_deadline"), outcome=text(reply) if reply else None,
                 branches=branches, open_points=[text("open.reply_from_receipt" if received else "open.reply_from_last_day")])]  # fmt: skip


def _reply_as_happened(f: Facts, take_back: bool, cites: list) -> dict:
    """The reply as given (case.dublin): its effect as the text names it (AMMR Art 40(8), 41(3)-(4))."""
    effect = Ev.REPLY_EFFECTS[int(f.g["reply_effect"])]
    limit = f.day("reply_deadline")
    outcome = text(f"outcome.reply_effect_{effect}", date=str(f.day("accepted_on") or f.col_day("dub_reply_on")), limit=str(limit))
    points = [text("open.reply_late", date=str(f.col_day("dub_reply_on")), limit=str(limit))] if f.g["reply_late"] else []
    if effect == "accepted_on_reexamination":
        points.append(text("open.reexamination_not_encoded"))
    if f.col("dub_urgent"):
        cites.append("AMMR Art 40(7)" if f.pact else "Dublin III Art 21(2)")
        if not f.pact:
            points.append(text("open.urgent_dublin_iii"))
    explanation = "step.reply.explanation_confirmation" if take_back and f.pact else ("step.reply.explanation_take_back" if take_back
                                                                                      else "step.reply.explanation_take_charge")
    received = f.col_day("dub_received") or f.col_day("dub_sent")
    return step(f, "reply", text("step.reply.title", responsible=f.responsible), text(explanation), cites, start=received,
                deadline=limit, outcome=outcome, open_points=points)


def _transfer_checks(f: Facts) -> list[Words]:
    checks = [text("check.interstate_trust")]
    if f.g["minor"]:
        checks.append(text("check.best_interests"))
    if f.col("a_vulnerable"):
        checks.append(text("check.fitness_to_travel"))
    return checks


def dublin_transfer(f: Facts) -> list[dict]:
    if f.kind == D.NONE:
        return []
    cites: list[str] = ["AMMR Art 46(1)-(2)", "Art 37(1)"] if f.pact else ["Dublin III Art 29(1)-(2)"]
    ext = str(f.g["transfer_extension"])
    if ext:
        cites.append(text("cite.extension", ground=text(f"extension.{ext}")).say(f.lang))
    title = text("step.transfer.title", responsible=f.responsible)
    if f.g["request_refused"] or (f.g["request_late"] and int(f.g["late_request"]) == Ev.STAYS):
        return []  # nothing to transfer
    start, deadline = f.day("transfer_start"), f.day("transfer_deadline")
    basis = int(f.g["transfer_basis"])
    if basis != Ev.LATEST or int(f.g["transfer_status"]):
        return [_transfer_as_happened(f, title, cites, start, deadline, basis)]
    if f.g["transfer_feasible"]:
        return [step(f, "transfer", title, text("step.transfer.explanation_feasible", checks=join(_transfer_checks(f), "; ")), cites,
                     start=start, deadline=deadline,
                     branches=[text("branch.transferred"), text("branch.time_limit_expires", state=f.state)])]  # fmt: skip
    reason = text(TRANSFER_REASONS.get(int(f.g["transfer_blocked_reason"]), "reason.other"))
    return [step(f, "transfer", title, text("step.transfer.explanation_blocked", reason=reason, state=f.state), cites,
                 start=start, deadline=deadline, outcome=text("outcome.responsibility_passes", state=f.state))]  # fmt: skip


def _transfer_as_happened(f: Facts, title: Words, cites: list, start, deadline, basis: int) -> dict:
    """The transfer period from the events given (AMMR Art 46(1)-(2), 45(3)) and the transfer judged against it."""
    status = Ev.TRANSFER_STATUS[int(f.g["transfer_status"])] or "pending"
    if status == "pending" and deadline is None:
        status = "awaiting_appeal"  # the period has not started (Art 46(1)): no limit to name yet
    if basis == Ev.FROM_APPEAL:
        cites.append("AMMR Art 43(3)" if f.pact else "Dublin III Art 27(3)")
    if f.col("dub_absconding_informed_on") and str(f.g["transfer_extension"]) == "absconding" and f.pact:
        cites.append("AMMR Art 46(2), first subpara")
    done = f.col_day("dub_transfer_on")
    judged = f.day("transfer_limit_ordinary") if f.g["detained"] and not str(f.g["transfer_extension"]) else deadline
    outcome = text(f"outcome.transfer_{status}", date=str(done), limit=str(judged), state=f.state, responsible=f.responsible)
    points = [] if basis != Ev.LATEST else [text("open.transfer_from_latest")]
    if status == "pending" and not f.g["transfer_feasible"]:
        reason = text(TRANSFER_REASONS.get(int(f.g["transfer_blocked_reason"]), "reason.other"))
        points.append(text("open.transfer_blocked_pending", reason=reason, state=f.state))
    explanation = text(f"step.transfer.basis_{Ev.TRANSFER_BASES[basis]}", date=str(start))
    return step(f, "transfer", title, explanation, cites, start=start, deadline=deadline, outcome=outcome, open_points=points)


def dublin_detention(f: Facts) -> list[dict]:
    """Detention for the transfer and its limits (AMMR Art 45); a missed limit ends it (Art 45(4))."""
    if f.kind == D.NONE or not f.pact or not f.g["detained"]:
        return []
    cites = ["AMMR Art 45(1)" if f.col("app_detained") else "AMMR Art 45(1), second subpara", "Art 45(2)-(4)"]
    missed, released = int(f.g["detention_limit_missed"]), f.day("released_on")
    if missed:
        outcome = text(f"outcome.detention_missed_{Det.MISSED[missed]}", date=str(f.day("detention_ends_on")))
    else:
        outcome = text("outcome.detention_released", date=str(released)) if released else None
    return [step(f, "detention", text("step.detention.title"), text("step.detention.explanation", date=str(f.day("detained_on"))),
                 cites, start=f.day("detained_on"), deadline=f.day("transfer_deadline") if not missed else None, outcome=outcome,
                 open_points=[text("open.detention_limits_missed")])]  # fmt: skip


# --- procedure: border, accelerated, regular (APR Art 35, 42-54 / Directive 2013/32/EU Art 31, 43)


def _accel_letters(f: Facts) -> list[str]:
    grounds = int(f.g["accelerated_grounds"])
    return [P.ACCEL[b] for b in range(len(P.ACCEL)) if grounds & (1 << b)]


def _accel_citations(f: Facts) -> list[str]:
    """An unaccompanied minor's grounds are cited under their own list, APR Art 42(3), by its points."""
    if not f.apr:
        return ["Directive 2013/32/EU Art 31(8)"]
    if f.g["uam"]:
        return [f"APR Art 42(3)({A.UAM_POINTS[x]})" for x in _accel_letters(f)]
    return [f"APR Art 42(1)({x})" for x in _accel_letters(f)]


def _uam_may(f: Facts) -> bool:
    """APR Art 42(3): the accelerated procedure 'may be applied to unaccompanied minors only where' - may, not shall."""
    return f.apr and bool(f.g["uam"]) and bool(f.g["accelerated"])


def _border_grounds(f: Facts) -> list[Words]:
    mandatory = A.BORDER_MANDATORY
    return [text(f"accelerated.{x}") for x in _accel_letters(f) if mandatory & (1 << A.ACCEL.index(x))] if f.g["border_mandatory"] else []


def border_answer(f: Facts, lang: str) -> dict:
    """The fields of a :class:`~asylumengine.routes.model.ProcedureAnswer`."""
    note = _border_note(f)
    cites = ["APR Art 43(1)", "Art 44(1)", "Art 45(1)", "Art 51(2)", "Art 53"] if f.apr else ["Directive 2013/32/EU Art 43"]
    if f.apr and f.g["uam"]:  # unaccompanied minors: only on the security ground of their own list
        cites = ["APR Art 53(1)", "Art 42(3)(b)"] + cites[:-1]
    return dict(applies=bool(f.g["border_mandatory"]) or bool(f.g["border_possible"]), mandatory=bool(f.g["border_mandatory"]),
                grounds=[pick(x, lang) for x in _border_grounds(f)], citations=_citation_list(tuple(cites), lang),
                note=pick(note, lang))  # fmt: skip  # fmt: skip


def accelerated_answer(f: Facts, lang: str) -> dict:
    """The fields of a :class:`~asylumengine.routes.model.ProcedureAnswer`."""
    may = _uam_may(f)
    note = text("note.accelerated_uam_may") if may else (_rate_open(f) if f.apr else text("note.accelerated_before_apr"))
    return dict(applies=bool(f.g["accelerated"]), mandatory=bool(f.g["accelerated"]) and f.apr and not may, may_apply=may,
                grounds=[message(f"accelerated.{x}", lang) for x in _accel_letters(f)],
                citations=[cite(c, lang) for c in _accel_citations(f) or ["APR Art 42(1)"]],
                note=pick(note, lang))  # fmt: skip


def _rate_open(f: Facts) -> Words | None:
    """APR Art 42(1)(j) without a figure for the nationality: the ground is open, not 'not applicable'."""
    return text("note.no_recognition_rate") if f.apr and np.isnan(f.g["recognition_rate"]) else None


def _procedure_notes(f: Facts) -> list[Words]:
    """Ground (j) is an APR ground: its rate (given with the case, or the table's), or that it is open."""
    rate, notes = f.g["recognition_rate"], []
    if f.apr and f.g["recognition_rate_given"]:
        notes.append(text("note.recognition_rate_given", rate=f"{rate:g}", source=f.rate_source or "-"))
    elif f.apr and not np.isnan(rate):
        notes.append(text("note.recognition_rate", rate=f"{rate:.0f}", year=int(f.g["recognition_rate_year"])))
    elif f.apr:
        notes.append(text("note.no_recognition_rate"))
    if _uam_may(f):
        notes.append(text("note.accelerated_uam_may"))
    if f.g["nl_sco_list_suspended"]:
        notes.append(text("note.nl_safe_country_list_suspended"))
    note = _border_note(f)
    # why there is no border procedure belongs to the border answer; as a note on the procedure only at the border
    inside = f.apr and int(f.g["border_exemption"]) == P.EX_NOT_BORDER_SITUATION
    return notes + ([note] if note and not inside else [])


def _border_note(f: Facts) -> Words | None:
    """Why the border procedure does or does not apply; the note on families only where there are minors."""
    if not f.apr:  # said only where the application was made at the border
        return text("note.border_before_apr") if f.g["at_border"] else None
    exemption = BORDER_NOTES.get(int(f.g["border_exemption"]))
    if exemption:
        return text(exemption)
    return text("note.border_families") if _minors_in_family(f) else None


def _minors_in_family(f: Facts) -> bool:
    child = FAMILY_RELATIONS.index("child")
    return bool(f.g["minor"]) or any(f.col(f"fam{k}_relation") == child and f.col(f"fam{k}_accompanies") for k in range(f.pop.slots("fam")))


def procedure(f: Facts) -> list[dict]:
    proc = int(f.g["procedure"])
    key = PROCEDURE_KEYS[proc]
    if proc == P.PROC_BORDER:
        cites = qualify(["APR Art 43(1)", "Art 44(1)", "Art 45(1)", "Art 51(2)", "Art 53"] if f.apr else ["Directive 2013/32/EU Art 43"])
        grounds = join(_border_grounds(f))
    elif proc == P.PROC_ACCELERATED:
        cites, grounds = _accel_citations(f), join([text(f"accelerated.{x}") for x in _accel_letters(f)])
    else:
        cites, grounds = (["APR Art 35(4)"] if f.apr else ["Directive 2013/32/EU Art 31(3)"]), plain("")
    branches = [text("branch.border_optional")] if f.g["border_possible"] and not f.g["border_mandatory"] else []
    if proc == P.PROC_ACCELERATED and _uam_may(f):
        branches.append(text("branch.regular_procedure"))
    return [step(f, "procedure", text(f"step.{key}.title"), text(f"step.{key}.explanation", grounds=grounds), cites,
                 start=f.day("lodged_on"), deadline=f.day("border_end") if proc == P.PROC_BORDER else None,
                 outcome=text("outcome.in_state", state=f.examining), branches=branches, open_points=_procedure_notes(f))]  # fmt: skip


def border_entry(f: Facts) -> list[dict]:
    """APR Art 53(2), second subparagraph: where the border procedure is not applied on a point of 53(2)."""
    point = int(f.g["entry_authorised"])
    if point == BE.ENTRY_NONE:
        return []
    letter = "(a)" if point == BE.ENTRY_NO_GROUNDS else "(c)"
    name = BE.ENTRY_POINTS[point]
    return [step(f, "entry_authorised", text("step.entry_authorised.title"), text(f"step.entry_authorised.{name}"),
                 [f"APR Art 53(2){letter}", "Art 53(2), second subpara", "Art 54(4)"], start=f.col_day("app_registered"),
                 outcome=text("outcome.entry_authorised", state=f.state))]  # fmt: skip


# --- admissibility (APR Art 38 / Directive 2013/32/EU Art 33)


def _adm_citation(f: Facts, bit: int, apr_c: str, apd_c: str) -> str:
    """The safe third country to the point of APR Art 59(5)(b) whose link was used."""
    return _ground_citation(f.apr, I.STC_LINKS[int(f.g["stc_link"])], bit, apr_c, apd_c)


def _ground_citation(apr: bool, link: str, bit: int, apr_c: str, apd_c: str) -> str:
    if bit == P.ADM_SAFE_THIRD and apr and link:
        return STC_CITES[link]
    return apr_c if apr else apd_c


def _stc_link(f: Facts, bit: int) -> str | None:
    return _ground_link(I.STC_LINKS[int(f.g["stc_link"])], bit)


def _ground_link(link: str, bit: int) -> str | None:
    return (link or None) if bit == P.ADM_SAFE_THIRD else None


def admissibility_grounds(f: Facts, lang: str) -> list[dict]:
    """The fields of each :class:`~asylumengine.routes.model.Ground` (copies: ``_grounds`` keeps its own)."""
    grounds = _grounds(int(f.g["admissibility_grounds"]), int(f.g["admissibility_mandatory"]), int(f.g["stc_link"]), f.apr, lang)
    return [dict(g) for g in grounds]


@lru_cache(maxsize=1024)  # the grounds follow from these few codes alone: each combination is worded once
def _grounds(adm: int, mand: int, link_code: int, apr: bool, lang: str) -> tuple[dict, ...]:
    link = I.STC_LINKS[link_code]
    return tuple(_ground(lang, code, _ground_citation(apr, link, bit, apr_c, apd_c), bool(adm & bit), bool(mand & bit), _ground_link(link, bit))
                 for bit, code, apr_c, apd_c in ADM)  # fmt: skip


def _ground(lang: str, code: str, citation: str, available: bool, mandatory: bool, link: str | None) -> dict:
    return dict(code=code, ground=message(f"admissibility.{code}", lang), citation=cite(citation, lang), available=available,
                mandatory=mandatory, link=link, link_label=message(f"stc_link.{link}", lang) if link else None)  # fmt: skip


def admissibility(f: Facts) -> list[dict]:
    adm, mand = int(f.g["admissibility_grounds"]), int(f.g["admissibility_mandatory"])
    if not adm:
        return []
    available = [(code, _adm_citation(f, bit, apr_c, apd_c), bool(mand & bit), _stc_link(f, bit)) for bit, code, apr_c, apd_c in ADM
                 if adm & bit]  # fmt: skip
    grounds = join([text("admissibility.ground_mandatory" if m else "admissibility.ground_optional",
                         ground=text(f"stc_link.ground_{link}") if link else text(f"admissibility.{code}"))
                    for code, _, m, link in available], "; ")  # fmt: skip
    points = []
    if adm & P.ADM_PROTECTION_MS:
        points.append(text("open.protection_ms_full_examination"))
        if _c(f.g["protected_in"]) == "GR" and f.examining == "NL":  # Dutch case law on Greek status holders
            points.append(text("open.greek_status_holders"))
    branches = [] if mand else [text("branch.inadmissible"), text("branch.admissible")]
    return [step(f, "admissibility", text("step.admissibility.title"), text("step.admissibility.explanation", grounds=grounds),
                 [c for _, c, _, _ in available], start=f.day("lodged_on"), deadline=f.day("decision_deadline"),
                 branches=branches, open_points=points)]  # fmt: skip


# --- decision and appeal (APR Art 35, 39, 67-68 / Directive 2013/32/EU Art 31, 46; Vw 2000)


def decision(f: Facts) -> list[dict]:
    open_ = f.merits == "open"
    branches = [text("branch.refugee_status"), text("branch.subsidiary_protection"), text("branch.rejected")] if open_ else []
    return [step(f, "decision", text("step.decision.title"), text("step.decision.explanation"),
                 ["APR Art 35(1)-(5)", "Art 39(2)"] if f.apr else ["Directive 2013/32/EU Art 31(3)-(5)"],
                 start=f.day("lodged_on"), deadline=f.day("decision_deadline"), deadline_latest=f.day("decision_deadline_max"),
                 outcome=None if open_ else text(f"merits.{f.merits}"), branches=branches)]  # fmt: skip


APPEAL_OUTCOMES = literal_values(Outcomes, "appeal")  # open, not_lodged, allowed, dismissed
SUSPENSION_CITES = {P.SUSP_RIGHT_TO_REMAIN: "APR Art 68(2)", P.SUSP_ACCELERATED: "APR Art 68(3)(a)(i)",
                    P.SUSP_BORDER: "APR Art 68(3)(a)(ii)", P.SUSP_INADMISSIBLE: "APR Art 68(3)(b)"}  # fmt: skip


def suspension_citations(f: Facts) -> list[str]:
    """The point of APR Art 68 that decides whether the appeal against the rejection suspends removal; the
    appeal step and the return step cite the same."""
    basis = int(f.g["appeal_suspension_basis"])
    if basis == P.SUSP_APD:
        return []
    return [SUSPENSION_CITES[basis]] + ([] if basis == P.SUSP_RIGHT_TO_REMAIN else ["APR Art 68(4)-(5)"])


def appeal(f: Facts) -> list[dict]:
    """The appeal against the rejection; an outcome stated in the case is followed (no branches then)."""
    if not f.g["rejection_possible"]:
        return []
    border = int(f.g["procedure"]) == P.PROC_BORDER
    if f.apr:
        cites = ["APR Art 67(7)"] + suspension_citations(f)
    else:
        cites = ["Vreemdelingenwet 2000 Art 69", "Art 82"] if f.examining == "NL" else ["Directive 2013/32/EU Art 46"]
    points = [text("open.apr_appeal_range")] if f.apr and not border else []
    if border:
        points.append(text("open.border_appeal_within"))
    key = "step.appeal.explanation_suspensive" if f.g["appeal_suspensive"] else "step.appeal.explanation_not_suspensive"
    stated = APPEAL_OUTCOMES[int(f.col("o_appeal"))]
    branches = [] if stated != "open" else [text("branch.appeal_allowed"), text("branch.appeal_dismissed"), text("branch.no_appeal")]
    outcome = text(f"outcome.appeal_{stated}") if stated != "open" else None
    return [step(f, "appeal", text("step.appeal.title"), text(key), cites, start=f.day("decision_deadline"),
                 deadline=f.day("appeal_deadline"), deadline_latest=f.day("appeal_deadline_latest"),
                 outcome=outcome, branches=branches, open_points=points)]  # fmt: skip


def article_8_echr(f: Facts) -> list[dict]:
    if not (f.g["rejection_possible"] and f.examining == "NL"):
        return []
    return [step(f, "article_8_echr", text("step.article_8_echr.title"), text("step.article_8_echr.explanation"),
                 ["Vreemdelingenbesluit 2000 Art 3.6ba", "ECHR Art 8"],
                 branches=[text("branch.article_8_permit"), text("branch.article_8_no_permit")])]  # fmt: skip


# --- status and family reunification (Qualification Regulation / Directive 2011/95/EU; Directive 2003/86/EC; Vw 2000)


def status(f: Facts) -> list[dict]:
    if f.merits == "rejected":
        return []
    two = bool(f.g["two_status"])
    cites: list[str] = ["Qualification Regulation (EU) 2024/1347 Art 24(4)"] if f.apr else ["Directive 2011/95/EU Art 24"]
    if f.examining == "NL":
        cites.append(text("cite.vw_two_status").say(f.lang) if two else "Vreemdelingenwet 2000 Art 29")
    open_ = f.merits == "open"
    return [step(f, "status", text("step.status.title"), text("step.status.explanation_two_status" if two else "step.status.explanation"),
                 cites, outcome=None if open_ else text(f"merits.{f.merits}"),
                 branches=[text("branch.refugee"), text("branch.subsidiary")] if open_ else [])]  # fmt: skip


def family_reunification(f: Facts) -> list[dict]:
    if f.merits == "rejected":
        return []
    two = bool(f.g["two_status"])
    points = [text("open.subsidiary_family_stricter")] if two else []
    if f.g["young_adult_policy"]:
        points.append(text("open.young_adult_policy"))
    cites: list[str] = ["Directive 2003/86/EC Art 12(1)"] + (["Vreemdelingenwet 2000 Art 29(2)"] if f.examining == "NL" else [])
    if two:
        cites.append(text("cite.kamerstuk_two_status").say(f.lang))
    return [step(f, "family_reunification", text("step.family_reunification.title"), text("step.family_reunification.explanation"),
                 cites, open_points=points)]  # fmt: skip


# --- return (Return Directive 2008/115/EC; Return Regulation scenario)


def return_step(f: Facts) -> list[dict]:
    returns = [t for t in _terminals(int(f.g["terminals"])) if t.startswith(RETURN_TERMINALS)]
    if not returns:
        return []
    regulation = f.return_regime == "return-regulation-council-2025"
    cites: list[str] = ["APR Art 37"] if f.apr else ["Directive 2008/115/EC Art 6"]
    if regulation:
        cites.append(text("cite.return_regulation_scenario").say(f.lang))
        cites += suspension_citations(f) if f.apr else []
        suspends = "suspensive" if f.g["appeal_suspensive"] else "not_suspensive"
        explanation, point = text(f"step.return.explanation_regulation_{suspends}"), text("open.return_regulation_unread")
    else:
        cites += ["Directive 2008/115/EC Art 7(1)", "Art 15(5)-(6)", "CJEU C-150/24 Aroja", "CJEU C-156/23 Ararat", "CJEU C-313/25 PPU Adrar"]
        explanation = text("step.return.explanation_directive", used=int(f.g["return_detention_days_used"]))
        point = text("open.return_directive_secondary")
    return [step(f, "return", text("step.return.title"), explanation, cites, branches=[text(f"terminal.{t}") for t in returns],
                 open_points=[point])]  # fmt: skip


STEP_BUILDERS = (
    screening,
    registration,
    lodging,
    responsibility,
    dublin_request,
    dublin_reply,
    dublin_transfer,
    dublin_detention,
    procedure,
    border_entry,
    admissibility,
    decision,
    appeal,
    article_8_echr,
    status,
    family_reunification,
    return_step,
)


def build_route(pop: Population, r: dict[str, np.ndarray], i: int, lang: str = "en", rate_source: str = "") -> Route:
    """Row ``i`` as a Route; ``lang`` is the language of the one-language fields (titles and
    explanations carry both); ``rate_source``: where a recognition rate given with the case comes from."""
    f = facts(pop, r, i, rate_source, lang)
    g = f.g
    terminals = _terminals(int(g["terminals"]))
    applied = bool(g["application_made"])
    builders = STEP_BUILDERS if applied else (screening,)  # no application: the screening and what follows
    return route_model(dict(
        case_id=str(pop.ids[i]),
        computed_on=f.col_day("computed_on"),
        language=lang,
        regime={"responsibility": "ammr" if f.pact else "dublin-iii", "procedure": "apr" if f.apr else "apd-2013", "return": f.return_regime},
        responsible_state=f.responsible,
        responsibility_criterion=f.crit.name.lower(),
        responsibility_citation=cite(f.crit_citation, lang) if applied else "",
        examining_state=f.examining,
        request=REQUESTS[f.kind],
        request_deadline=f.day("request_deadline"),
        reply_deadline=f.day("reply_deadline"),
        transfer_deadline=f.day("transfer_deadline"),
        screening_deadline=f.day("screening_deadline"),
        application_made=applied,
        screening=screening_answer(f, lang),
        border_procedure=border_answer(f, lang) if applied else dict(applies=False, mandatory=False),
        accelerated_procedure=accelerated_answer(f, lang) if applied else dict(applies=False, mandatory=False),
        admissibility_grounds=admissibility_grounds(f, lang),
        steps=[s for builder in builders for s in builder(f)],
        terminal_states=list(terminals),
        terminal_labels=list(_terminal_labels(terminals, lang)),
        legal_basis_codes={"criterion": int(f.crit), "examining_criterion": int(g["examining_criterion"]),
                           "accelerated_grounds": int(g["accelerated_grounds"]), "admissibility_grounds": int(g["admissibility_grounds"]),
                           "border_exemption": int(g["border_exemption"])},
    ))  # fmt: skip


@lru_cache(maxsize=1024)  # a few hundred combinations of the terminal bits occur: each is named once
def _terminals(mask: int) -> tuple[str, ...]:
    return tuple(terminal_names(mask))


@lru_cache(maxsize=1024)
def _terminal_labels(terminals: tuple[str, ...], lang: str) -> tuple[str, ...]:
    return tuple(message(f"terminal.{t}", lang) for t in terminals)


def route_model(fields: dict) -> Route:
    """The route from its fields, the nested models' fields as dicts: validated once, in pydantic-core."""
    return Route.model_validate(fields)


def qualify(cites: list[str]) -> list[str]:
    """'Art 8(4)' after 'Screening Regulation ... Art 5' becomes 'Screening Regulation ... Art 8(4)'."""
    out: list[str] = []
    instrument = ""
    for c in cites:
        if c.startswith("Art ") and instrument:
            c = f"{instrument} {c}"
        elif " Art " in c:
            instrument = c.split(" Art ")[0]
        out.append(c)
    return out
