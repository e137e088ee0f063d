"""Relocation of one person: the procedure before and after relocation, AMMR Arts 67-68.

Each rule gives one step of the relocated person's route as a ``routes.model.Step`` (English
and Dutch texts, citations, dated time limits). Periods come from ``law/params/relocation.yaml``
and are counted under AMMR Art 75 with the official holidays of the state that must act.
Who may not be relocated is the first row of ``ELIGIBILITY`` that holds.
"""

from __future__ import annotations

import datetime as dt

from asylumengine.law import ParameterSet
from asylumengine.law.rules import rule
from asylumengine.law.time import PACT_TIME_RULE, add_period, deadline, official_holidays
from asylumengine.routes.model import Step, Text

TEXT_67 = "ammr-part4-texts#Article 67"
TEXT_68 = "ammr-part4-texts#Article 68"
FAMILY_CRITERIA = ("Art 25", "Art 26", "Art 27", "Art 28", "Art 34")  # Art 67(5), second subpara
EXCEPTION = "Art 25(5)"  # "with the exception of Article 25(5)"


# Where the text is open, said in both languages; a step carries the English text, the route both.
OPEN_POINTS = {
    "late_postponement": Text(
        en="The postponement was communicated after the first week: Art 67(9), third subpara, requires it within the "
           "original one-week limit, so the one-week limit is applied.",
        nl="Het uitstel is na de eerste week meegedeeld: art. 67, lid 9, derde alinea, eist dat binnen de oorspronkelijke "
           "termijn van een week, dus geldt de termijn van een week."),
    "deemed_date": Text(
        en="Art 67(9), fourth subpara, does not date the deemed confirmation: the last day of the period is used to start "
           "the transfer-decision and transfer limits.",
        nl="Art. 67, lid 9, vierde alinea, dateert de fictieve bevestiging niet: de laatste dag van de termijn geldt als "
           "begin van de termijnen voor het overdrachtsbesluit en de overdracht."),
    "backward_period": Text(
        en="Art 75 does not say how a period counted back from the transfer rolls over a weekend or holiday: the latest "
           "day is not moved.",
        nl="Art. 75 zegt niet hoe een termijn die terugtelt vanaf de overdracht over een weekend of feestdag loopt: de "
           "uiterste dag wordt niet verschoven."),
    "late_transfer": Text(
        en="Art 67 sets no consequence for a transfer after four weeks (Art 67(13) applies Art 46(1) and (3), not 46(2)); "
           "relocation continues after the Council acts expire (Art 67(12)).",
        nl="Art. 67 verbindt geen gevolg aan een overdracht na vier weken (art. 67, lid 13, verklaart art. 46, leden 1 en 3, "
           "van toepassing, niet lid 2); de herplaatsing gaat door nadat de uitvoeringshandelingen van de Raad zijn "
           "verlopen (art. 67, lid 12)."),
}  # fmt: skip


def limit(params: ParameterSet, name: str, start: dt.date, state: str, on: dt.date) -> dt.date:
    """The last day of the period ``relocation.<name>`` from ``start`` (Art 75, holidays of ``state``)."""
    amount, unit = params.value(f"relocation.{name}", on)
    return deadline(start, amount, unit, PACT_TIME_RULE, official_holidays(state))


# (applies, citation, en, nl) - the first row that holds excludes the person.
ELIGIBILITY = (
    (lambda c: c.security_threat, "AMMR Art 67(2)",
     "Reasonable grounds to consider the person a threat to internal security: the benefitting state does not apply "
     "or ends the procedure and excludes the person from any future relocation or transfer; for an applicant it is "
     "the state responsible (Art 16(4)).",
     "Redelijke gronden om de persoon als een gevaar voor de binnenlandse veiligheid te beschouwen: de begunstigde "
     "lidstaat past de procedure niet toe of beëindigt haar en sluit de persoon uit van elke toekomstige herplaatsing "
     "of overdracht; voor een verzoeker is hij de verantwoordelijke lidstaat (art. 16, lid 4)."),
    (lambda c: c.person == "beneficiary" and not c.consent_in_writing, "AMMR Art 67(4), third subpara",
     "A beneficiary of international protection is relocated only after consenting in writing; no written consent.",
     "Een persoon die internationale bescherming geniet, wordt pas herplaatst na schriftelijke toestemming; die is er niet."),
    (lambda c: c.person == "applicant" and c.responsible_criterion is not None and c.responsible_criterion != EXCEPTION
     and c.responsible_criterion.split("(")[0] in FAMILY_CRITERIA, "AMMR Art 67(5), second subpara",
     "The benefitting state can be determined as responsible under Arts 25-28 or 34 (family, minors, dependency): "
     "such an applicant is not eligible for relocation.",
     "De begunstigde lidstaat kan verantwoordelijk worden verklaard op grond van de artikelen 25 tot en met 28 of 34 "
     "(gezin, minderjarigen, afhankelijkheid): zo'n verzoeker komt niet in aanmerking voor herplaatsing."),
)  # fmt: skip


@rule("AMMR Art 67(5), second subpara", "Who may not be relocated: a security threat (67(2)), a beneficiary without "
      "written consent (67(4)), an applicant for whom the benefitting state is responsible under Arts 25-28 or 34",
      engine="routes", regime="pact", also=("AMMR Art 67(2)", "AMMR Art 67(4), third subpara"),
      reads=("security_threat", "person", "consent_in_writing", "responsible_criterion"), produces=("eligible",),
      text=TEXT_67)  # fmt: skip
def eligibility(case) -> Step:
    hit = next((row for row in ELIGIBILITY if row[0](case)), None)
    title = Text(en="Eligibility for relocation", nl="Komt in aanmerking voor herplaatsing")
    if hit is None:
        return Step(code="relocation_eligibility", title=title, start=case.information_received, outcome="eligible",
                    citations=["AMMR Art 67(2)", "AMMR Art 67(4)", "AMMR Art 67(5)"],
                    explanation=Text(en="No ground in Art 67(2), (4) or (5) excludes the person.",
                                     nl="Geen grond in art. 67, lid 2, 4 of 5 sluit de persoon uit."))  # fmt: skip
    _, citation, en, nl = hit
    return Step(code="relocation_eligibility", title=title, start=case.information_received, outcome="not_eligible",
                citations=[citation], explanation=Text(en=en, nl=nl))  # fmt: skip


@rule("AMMR Art 67(9)", "The Member State of relocation confirms within one week of receiving the information (two "
      "weeks if it postponed in time); silence counts as confirmation and obliges it to relocate", engine="routes",
      regime="pact", also=("AMMR Art 75",), reads=("information_received", "postponement_notified_on", "confirmed_on",
      "security_alert_on"), params=("relocation.confirmation", "relocation.confirmation_extended"),
      produces=("confirmation",), text=TEXT_67)  # fmt: skip
def confirmation(case, params: ParameterSet) -> tuple[Step, dt.date | None]:
    """The step and the date of the (actual or deemed) confirmation, or None if relocation does not take place."""
    start, ms = case.information_received, case.relocation_state
    week = limit(params, "confirmation", start, ms, start)
    longest = limit(params, "confirmation_extended", start, ms, start)
    postponed = case.postponement_notified_on is not None and case.postponement_notified_on <= week
    due = longest if postponed else week
    reply = min((d for d in (case.confirmed_on, case.security_alert_on) if d is not None), default=None)
    title = Text(en="Confirmation by the Member State of relocation", nl="Bevestiging door de lidstaat van herplaatsing")
    cites = ["AMMR Art 67(9)", "AMMR Art 75"]
    points = [] if not case.postponement_notified_on or postponed else [OPEN_POINTS["late_postponement"].en]
    if reply is not None and reply <= due:
        if reply == case.security_alert_on:
            return Step(code="relocation_confirmation", title=title, start=start, deadline=due, outcome="security_alert",
                        citations=cites + ["AMMR Art 67(9), second subpara"], open_points=points,
                        explanation=Text(en=f"Security alert reported on {reply}, within the limit: relocation shall not take place.",
                                         nl=f"Veiligheidssignaal gemeld op {reply}, binnen de termijn: de herplaatsing vindt niet plaats.")), None  # fmt: skip
        return Step(code="relocation_confirmation", title=title, start=start, deadline=due, outcome="confirmed",
                    citations=cites, open_points=points,
                    explanation=Text(en=f"Confirmed on {reply}, within the time limit ending {due}.",
                                     nl=f"Bevestigd op {reply}, binnen de termijn die eindigt op {due}.")), reply  # fmt: skip
    points.append(OPEN_POINTS["deemed_date"].en)
    late = f" A reply on {reply} came after the limit." if reply else ""
    return Step(code="relocation_confirmation", title=title, start=start, deadline=due, outcome="deemed_confirmed",
                citations=cites + ["AMMR Art 67(9), fourth subpara"], open_points=points,
                explanation=Text(en=f"No reply by {due}: that is tantamount to confirming receipt and entails the obligation "
                                    f"to relocate.{late}",
                                 nl=f"Geen antwoord uiterlijk {due}: dat staat gelijk aan bevestiging van de ontvangst en "
                                    f"brengt de verplichting tot herplaatsing mee." + (f" Een antwoord op {reply} kwam na de termijn." if reply else ""))), due  # fmt: skip


def _timed(code: str, title: Text, start: dt.date, due: dt.date, done: dt.date | None, cites: list[str],
           what: Text) -> Step:  # fmt: skip
    """A step with a time limit: done within it, late, or still open."""
    if done is None:
        outcome, en, nl = "open", f"To be done by {due}.", f"Uiterlijk {due}."
    elif done <= due:
        outcome, en, nl = "within_time_limit", f"Done on {done}, within the limit ending {due}.", f"Gedaan op {done}, binnen de termijn die eindigt op {due}."
    else:
        outcome, en, nl = "after_time_limit", f"Done on {done}, after the limit ending {due}.", f"Gedaan op {done}, na de termijn die eindigt op {due}."
    return Step(code=code, title=title, start=start, deadline=due, outcome=outcome, citations=cites,
                explanation=Text(en=f"{what.en} {en}", nl=f"{what.nl} {nl}"))  # fmt: skip


@rule("AMMR Art 67(10)", "The benefitting state takes the transfer decision within one week of the confirmation",
      engine="routes", regime="pact", also=("AMMR Art 75",), reads=("confirmation", "transfer_decision_on"),
      params=("relocation.transfer_decision",), produces=("transfer_decision",), text=TEXT_67)  # fmt: skip
def transfer_decision(case, confirmed: dt.date, params: ParameterSet) -> Step:
    due = limit(params, "transfer_decision", confirmed, case.benefitting_state, confirmed)
    return _timed("relocation_transfer_decision", Text(en="Transfer decision", nl="Overdrachtsbesluit"), confirmed, due,
                  case.transfer_decision_on, ["AMMR Art 67(10), first subpara", "AMMR Art 75"],
                  Text(en="The benefitting state decides to transfer the person to the Member State of relocation.",
                       nl="De begunstigde lidstaat besluit de persoon over te dragen aan de lidstaat van herplaatsing."))  # fmt: skip


@rule("AMMR Art 67(10)", "The person is notified in writing at the latest two days (applicant) or one week (beneficiary) "
      "before the transfer", engine="routes", regime="pact", reads=("person", "transfer_on", "notified_on"),
      params=("relocation.notice_before_transfer",), produces=("notification",), text=TEXT_67)  # fmt: skip
def notification(case, params: ParameterSet) -> Step:
    amount, unit = params.value("relocation.notice_before_transfer", case.transfer_on)[case.person]
    latest = add_period(case.transfer_on, -amount, unit)  # counted back from the transfer day, no roll-over
    step = _timed("relocation_notification", Text(en="Notification of the transfer decision", nl="Kennisgeving van het overdrachtsbesluit"),
                  case.transfer_decision_on or case.information_received, latest, case.notified_on,
                  ["AMMR Art 67(10), first subpara"],
                  Text(en=f"Written notice, without delay, at the latest {amount} {unit.removesuffix('s') if amount == 1 else unit} before the transfer on {case.transfer_on}.",
                       nl=f"Schriftelijke kennisgeving, onverwijld, uiterlijk {amount} {_nl(unit)} vóór de overdracht op {case.transfer_on}."))  # fmt: skip
    step.open_points.append(OPEN_POINTS["backward_period"].en)
    return step


def _nl(unit: str) -> str:
    return {"days": "dagen", "weeks": "week", "months": "maanden"}.get(unit, unit)


@rule("AMMR Art 67(11)", "The transfer takes place within four weeks of the confirmation, or of the final decision on "
      "an appeal with suspensive effect", engine="routes", regime="pact", also=("AMMR Art 67(13)", "AMMR Art 43(3)", "AMMR Art 75"),
      reads=("confirmation", "appeal_final_decision_on", "transfer_on"), params=("relocation.transfer",),
      produces=("transfer",), text=TEXT_67)  # fmt: skip
def transfer(case, confirmed: dt.date, params: ParameterSet) -> Step:
    start = case.appeal_final_decision_on or confirmed
    due = limit(params, "transfer", start, case.benefitting_state, start)
    basis = "the final decision on the appeal with suspensive effect" if case.appeal_final_decision_on else "the confirmation"
    basis_nl = "de definitieve beslissing over het beroep met opschortende werking" if case.appeal_final_decision_on else "de bevestiging"
    step = _timed("relocation_transfer", Text(en="Relocation transfer", nl="Overdracht voor herplaatsing"), start, due,
                  case.transfer_on, ["AMMR Art 67(11)", "AMMR Art 75"],
                  Text(en=f"As soon as practically possible, within the limit counted from {basis}.",
                       nl=f"Zo spoedig als praktisch mogelijk, binnen de termijn gerekend vanaf {basis_nl}."))  # fmt: skip
    step.open_points.append(OPEN_POINTS["late_transfer"].en)
    return step


# After relocation (Art 68): the first row that holds gives the outcome.
AFTER = (
    (lambda c: c.person == "beneficiary", "status_granted", "AMMR Art 68(4)",
     "The Member State of relocation automatically grants international protection status, respecting the status "
     "granted by the benefitting state.",
     "De lidstaat van herplaatsing verleent automatisch de status van internationale bescherming, met inachtneming "
     "van de status die de begunstigde lidstaat heeft verleend."),
    (lambda c: c.responsibility_determined, "responsibility_transferred", "AMMR Art 68(3)",
     "The benefitting state had been determined as responsible: responsibility for the application, and for any "
     "further representations or subsequent application, passes to the Member State of relocation (Eurodac, Art 16(3) "
     "of Regulation (EU) 2024/1358).",
     "De begunstigde lidstaat was verantwoordelijk verklaard: de verantwoordelijkheid voor het verzoek, en voor nadere "
     "gegevens of een volgend verzoek, gaat over op de lidstaat van herplaatsing (Eurodac, art. 16, lid 3, van "
     "Verordening (EU) 2024/1358)."),
    (lambda c: True, "determine_responsibility", "AMMR Art 68(2)",
     "Responsibility not yet determined: the Member State of relocation applies Part III without Arts 16(2), 17(1)-(2), "
     "25(5), 29, 30 and 33(1)-(2); if no state is found responsible, it is responsible itself.",
     "Verantwoordelijkheid nog niet bepaald: de lidstaat van herplaatsing past deel III toe zonder de artikelen 16, "
     "lid 2, 17, leden 1 en 2, 25, lid 5, 29, 30 en 33, leden 1 en 2; blijkt geen lidstaat verantwoordelijk, dan is "
     "hij het zelf."),
)  # fmt: skip


@rule("AMMR Art 68(2)", "After relocation: the Member State of relocation determines responsibility without the "
      "entry criteria, takes over a determined responsibility (68(3)), or grants the status of a beneficiary (68(4))",
      engine="routes", regime="pact", also=("AMMR Art 68(1)", "AMMR Art 68(3)", "AMMR Art 68(4)"),
      reads=("person", "responsibility_determined", "transfer_on"), produces=("responsibility_after_relocation",),
      text=TEXT_68)  # fmt: skip
def after_relocation(case) -> Step:
    _, outcome, citation, en, nl = next(row for row in AFTER if row[0](case))
    return Step(code="relocation_after", title=Text(en="After relocation", nl="Na de herplaatsing"), start=case.transfer_on,
                outcome=outcome, citations=["AMMR Art 68(1)", citation],
                explanation=Text(en="The Member State of relocation reports the safe arrival (or that the person did not "
                                    f"appear) to the benefitting state, the Asylum Agency and the Coordinator. {en}",
                                 nl="De lidstaat van herplaatsing meldt de veilige aankomst (of dat de persoon niet is "
                                    f"verschenen) aan de begunstigde lidstaat, het Asielagentschap en de Coördinator. {nl}"))  # fmt: skip
