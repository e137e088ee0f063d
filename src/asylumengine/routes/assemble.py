"""Turn one row of the vectorised determinations into a readable route (steps in EN and NL).

Nothing is decided here: every date and determination comes from the population
evaluation (engine.evaluate); this module only words them and attaches the articles.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from asylumengine.routes.columns import Population, countries
from asylumengine.routes.criteria import LABELS, Criterion, Regime, citation
from asylumengine.routes.model import Ground, ProcedureAnswer, Route, Step, Text
from asylumengine.routes.rules import dublin as D
from asylumengine.routes.rules import procedure as P
from asylumengine.routes.rules.outcome import RETURN_REGIMES, terminal_names

ACCEL_TEXT = {
    "a": "only issues not relevant to international protection",
    "b": "clearly inconsistent, false or improbable statements",
    "c": "misled the authorities / destroyed documents in bad faith",
    "d": "application only to delay or frustrate removal",
    "e": "safe country of origin (EU list, APR Annex II)",
    "f": "danger to national security or public order",
    "g": "subsequent application that is not inadmissible",
    "h": "irregular entry or stay without applying as soon as possible",
    "i": "lawful entry but no timely application",
    "j": "nationality with a Union-wide recognition rate of 20% or lower",
}
ADM = [
    (P.ADM_FIRST_COUNTRY, "first country of asylum", "APR Art 38(1)(a), 58", "Directive 2013/32/EU Art 33(2)(b), 35"),
    (P.ADM_SAFE_THIRD, "safe third country (connection, transit or agreement)", "APR Art 38(1)(b), 59(5) as amended by Reg. (EU) 2026/463",
     "Directive 2013/32/EU Art 33(2)(c), 38 (connection required)"),
    (P.ADM_PROTECTION_MS, "protection granted by another Member State", "APR Art 38(1)(c)", "Directive 2013/32/EU Art 33(2)(a)"),
    (P.ADM_RETURN_DECISION, "application more than 7 working days after a return decision", "APR Art 38(1)(e)", "-"),
    (P.ADM_SUBSEQUENT, "subsequent application without new elements", "APR Art 38(2), 55", "Directive 2013/32/EU Art 33(2)(d), 40"),
]  # fmt: skip


def _d(x) -> dt.date | None:
    return None if np.isnat(x) else x.astype("datetime64[D]").astype(dt.date)


def _c(code: int) -> str:
    return countries()[int(code)]


def build_route(pop: Population, r: dict[str, np.ndarray], i: int) -> Route:
    g = {k: v[i] for k, v in r.items()}
    reg = Regime(int(g["regime"]))
    apr = int(g["procedure_regime"]) == Regime.PACT
    pact = reg == Regime.PACT
    state = _c(pop["app_state"][i])
    responsible = _c(g["responsible"])
    examining = _c(g["examining_state"])
    crit = Criterion(int(g["criterion"]))
    return_regime = RETURN_REGIMES[int(g["return_regime"])]
    steps: list[Step] = []

    def step(code, en, nl, cites, expl_en, expl_nl, **kw):
        steps.append(Step(code=code, title=Text(en=en, nl=nl), citations=qualify(cites), explanation=Text(en=expl_en, nl=expl_nl), **kw))

    # 1. screening
    if g["screening"] == P.SCREEN_BORDER:
        step("screening", "Screening at the external border", "Screening aan de buitengrens",
             ["Screening Regulation (EU) 2024/1356 Art 5", "Art 8(3)", "Art 18"],
             "Identity, health, vulnerability and security checks; at most 7 days (4 if held over 72 hours at the border).",
             "Identiteit, gezondheid, kwetsbaarheid en veiligheid; hooguit 7 dagen (4 als langer dan 72 uur aan de grens).",
             start=_d(g["screening_start"]), deadline=_d(g["screening_deadline"]), outcome="referral to registration of the application",
             open_points=["The Screening Regulation has no time-computation article: days are counted plainly, without roll-forward."]
             + (["Held at the border over 72 hours: screening 'thereafter', within 4 days - read here as 4 days after the 72 hours; "
                 "a reading of 4 days from the apprehension is also possible (Art 8(3), second sentence)."] if pop["app_held_72h"][i] else []))  # fmt: skip
    elif g["screening"] == P.SCREEN_TERRITORY:
        step("screening", "Screening within the territory", "Screening op het grondgebied",
             ["Screening Regulation (EU) 2024/1356 Art 7", "Art 8(4)"],
             "Irregular entry never screened before: screening within 3 days of apprehension.",
             "Irreguliere binnenkomst zonder eerdere screening: screening binnen 3 dagen na aanhouding.",
             start=_d(g["screening_start"]), deadline=_d(g["screening_deadline"]), outcome="referral to registration of the application")  # fmt: skip
    # 2. registration and lodging
    step("registration", "Registration of the application", "Registratie van het verzoek",
         ["APR Art 27(1)", "Art 27(7)"] if apr else ["Directive 2013/32/EU Art 6(1)"],
         "Registered within 5 days of being made (after screening where there was screening)." if apr
         else "Registered within 3 working days of being made.",
         "Registratie binnen 5 dagen na het doen van het verzoek (na de screening)." if apr
         else "Registratie binnen 3 werkdagen na het doen van het verzoek.",
         start=_d(pop["app_made"][i]), deadline=_d(g["registration_deadline"]), outcome=f"registered on {_d(pop['app_registered'][i])} in {state}")  # fmt: skip
    if apr:
        step("lodging", "Lodging of the application", "Indienen van het verzoek",
             ["APR Art 28(1)", "Art 28(2)", "Art 51(1)"],
             "Lodged within 21 days of registration (5 days in the border procedure; 21 days after arriving in the responsible state after a transfer).",
             "Indienen binnen 21 dagen na registratie (5 dagen in de grensprocedure; 21 dagen na aankomst na een overdracht).",
             start=_d(pop["app_registered"][i]), deadline=_d(g["lodging_deadline"]))  # fmt: skip

    # 3. responsibility
    label_en, label_nl = LABELS.get(crit, ("", ""))
    open_points = []
    if crit in (Criterion.DEPENDENCY, Criterion.DEPENDENCY_HEALTH):
        open_points.append("Where Art 34 (dependent persons) ranks among the Chapter II criteria is not fixed by the text; "
                           "AsylumEngine applies it after the unaccompanied-minor rules and before the family criteria.")  # fmt: skip
    if g["uam_several_states"]:
        open_points.append("Family members are in more than one Member State: the best interests of the child decide (AMMR Art 25(4)).")
    if g["systemic_skipped"]:
        open_points.append("A state designated first was skipped: transfer would risk inhuman treatment (AMMR Art 16(3)).")
    if g["uam"]:
        open_points.append("Unaccompanied minor: each criterion applies unless shown not to be in the best interests of the child.")
    if g["ceased_prior"]:
        open_points.append("An earlier application no longer counts: that state's obligations ceased (absence, departure under a return "
                           "decision, or 15 months after a final border-procedure rejection), so this application is new "
                           + ("(AMMR Art 37(2), (4), (5))." if pact else "(Dublin III Art 19(2)-(3))."))  # fmt: skip
    if any(pop[f"fam{k}_accompanies"][i] for k in range(pop.slots("fam"))):
        open_points.append("Family members applying together: where the criteria would separate them, the family procedure "
                           + ("(AMMR Art 28)" if pact else "(Dublin III Art 11)") + " decides on all their cases together - not encoded "
                           "for a single case; route each member and compare.")  # fmt: skip
    step("responsibility", "Member State responsible", "Verantwoordelijke lidstaat",
         [citation(reg, crit), "AMMR Art 24" if pact else "Dublin III Art 7"],
         f"{responsible}: {label_en}. Facts as on the first registration ({_d(g['first_registered_on'])}).",
         f"{responsible}: {label_nl}. Feiten zoals bij de eerste registratie ({_d(g['first_registered_on'])}).",
         start=_d(g["first_registered_on"]), outcome=f"{responsible} ({citation(reg, crit)})", open_points=open_points)  # fmt: skip

    # 4. Dublin: request, reply, transfer
    kind = int(g["request_kind"])
    if kind != D.NONE:
        take_back = kind == D.TAKE_BACK
        if pact:
            req_c = ["AMMR Art 41(1)"] if take_back else ["AMMR Art 39(1)"]
            rep_c = ["AMMR Art 41(3)-(4)"] if take_back else ["AMMR Art 40(1)-(2)", "Art 40(8)"]
        else:
            req_c = ["Dublin III Art 23(2)"] if take_back else ["Dublin III Art 21(1)"]
            rep_c = ["Dublin III Art 25(1)-(2)"] if take_back else ["Dublin III Art 22(1)", "Art 22(7)"]
        if pop["app_detained"][i]:
            req_c.append("AMMR Art 45(1)" if pact else "Dublin III Art 28(3)")
            rep_c.append("AMMR Art 45(2)" if pact else "Dublin III Art 28(3)")
        rule = "AMMR Art 75" if pact else "Dublin III Art 42"
        roll = ("a limit ending on a weekend or holiday moves to the next working day" if pact
                else "no roll-forward: a limit may end on a weekend or holiday")  # fmt: skip
        name_en = "Take back notification" if take_back else "Take charge request"
        name_nl = "Terugnameverzoek (notificatie)" if take_back else "Overnameverzoek"
        request_points = [f"Time computed under {rule}: {roll}."]
        if g["request_no_time_limit"]:
            request_points.append("Unaccompanied minor on a family criterion: the request may be made at any time before a "
                                  "first decision on the substance, if in the child's best interests (AMMR Art 39(1)).")  # fmt: skip
        step("take_back_notification" if take_back else "take_charge_request", f"{name_en} to {responsible}", f"{name_nl} aan {responsible}",
             req_c + [rule],
             f"{state} asks {responsible} to {'take back' if take_back else 'take charge of'} the applicant"
             + (" (after a Eurodac/VIS hit: shorter limit)." if g["hit"] else "."),
             f"{state} vraagt {responsible} de verzoeker {'terug' if take_back else 'over'} te nemen"
             + (" (na een Eurodac/VIS-treffer: kortere termijn)." if g["hit"] else "."),
             start=_d(pop["app_registered"][i]), deadline=_d(g["request_deadline"]), open_points=request_points)  # fmt: skip
        tcr = int(pop["o_take_charge"][i])
        outcome = {1: "accepted", 2: "refused", 3: "no reply: implicit acceptance"}.get(tcr)
        step("reply", f"Reply by {responsible}", f"Antwoord van {responsible}", rep_c,
             "Silence until the limit counts as acceptance (implicit acceptance)." if not take_back else "Silence counts as confirmation.",
             "Geen antwoord binnen de termijn geldt als aanvaarding." if not take_back else "Geen antwoord geldt als bevestiging.",
             start=_d(g["request_deadline"]), deadline=_d(g["reply_deadline"]), outcome=outcome,
             branches=[] if outcome else ["accepted", "implicit acceptance", "refused"],
             open_points=["Counted from the last day the request may be sent; an earlier request moves it earlier."])  # fmt: skip
        feasible = bool(g["transfer_feasible"])
        reason = D.REASONS.get(int(g["transfer_blocked_reason"]), ("", ""))
        checks = ["interstate trust: current reports on reception and procedure in the responsible state"]
        if g["minor"]:
            checks.append("best interests of the child")
        if pop["a_vulnerable"][i]:
            checks.append("medical fitness to travel and guarantees for care on arrival")
        ext = str(g["transfer_extension"])
        t_c = ["AMMR Art 46(1)-(2)", "Art 37(1)"] if pact else ["Dublin III Art 29(1)-(2)"]
        if ext:
            t_c.append(f"extension: {ext}")
        step("transfer", f"Transfer to {responsible}", f"Overdracht aan {responsible}", t_c,
             (f"Transfer within the time limit from acceptance. Checks the Dutch courts require: {'; '.join(checks)}." if feasible else
              f"No transfer: {reason[0]}. When the limit expires, {state} becomes responsible."),
             ("Overdracht binnen de termijn na aanvaarding." if feasible else
              f"Geen overdracht: {reason[1]}. Na afloop van de termijn wordt {state} verantwoordelijk."),
             start=_d(g["reply_deadline"]), deadline=_d(g["transfer_deadline"]),
             outcome=None if feasible else f"responsibility passes to {state}",
             branches=["transferred", f"time limit expires: {state} responsible"] if feasible else [])  # fmt: skip

    # 5. procedure
    grounds = int(g["accelerated_grounds"])
    letters = [P.ACCEL[b] for b in range(10) if grounds & (1 << b)]
    accel_c = [f"APR Art 42(1)({x})" for x in letters] if apr else ["Directive 2013/32/EU Art 31(8)"]
    border = ProcedureAnswer(
        applies=bool(g["border_mandatory"]) or bool(g["border_possible"]),
        mandatory=bool(g["border_mandatory"]),
        grounds=[ACCEL_TEXT[x] for x in letters if x in "cfj"] if g["border_mandatory"] else [],
        citations=qualify(["APR Art 43(1)", "Art 44(1)", "Art 45(1)", "Art 51(2)", "Art 53"] if apr else ["Directive 2013/32/EU Art 43"]),
        note=_border_note(int(g["border_exemption"]), apr),
    )
    accel = ProcedureAnswer(applies=bool(g["accelerated"]), mandatory=bool(g["accelerated"]) and apr,
                            grounds=[ACCEL_TEXT[x] for x in letters], citations=accel_c or ["APR Art 42(1)"],
                            note=None if apr else "Before the APR acceleration was optional (Directive 2013/32/EU Art 31(8)).")  # fmt: skip
    if grounds & (1 << 9) or not np.isnan(g["recognition_rate"]):
        rate_note = (f"Union-wide recognition rate for this nationality: {g['recognition_rate']:.0f}% ({int(g['recognition_rate_year'])}, EUAA EU+ "
                     "figure as proxy for Eurostat's)" if not np.isnan(g["recognition_rate"]) else "")  # fmt: skip
    else:
        rate_note = "No Union-wide recognition rate shipped for this nationality: ground (j) cannot be assessed (open)."
    if g["nl_sco_list_suspended"]:
        rate_note = (rate_note + " " if rate_note else "") + (
            "The Dutch national list of safe countries of origin is suspended since 23 September 2025 (Kamerstuk 19637 nr. 3475): "
            "only the EU list applies.")  # fmt: skip
    proc_code = int(g["procedure"])
    names = {P.PROC_BORDER: ("Asylum border procedure", "Asielgrensprocedure"),
             P.PROC_ACCELERATED: ("Accelerated procedure", "Versnelde procedure"),
             P.PROC_REGULAR: ("Regular procedure", "Gewone procedure")}  # fmt: skip
    branches = []
    if g["border_possible"] and not g["border_mandatory"]:
        branches.append("border procedure (optional for the Member State)")
    step("procedure", names[proc_code][0], names[proc_code][1],
         (border.citations if proc_code == P.PROC_BORDER else accel_c if proc_code == P.PROC_ACCELERATED
          else (["APR Art 35(4)"] if apr else ["Directive 2013/32/EU Art 31(3)"])),
         ("Mandatory border procedure: " + ", ".join(border.grounds) + "." if proc_code == P.PROC_BORDER else
          "Accelerated: " + ", ".join(accel.grounds) + "." if proc_code == P.PROC_ACCELERATED else
          "No ground for the border or accelerated procedure."),
         ("Verplichte grensprocedure." if proc_code == P.PROC_BORDER else
          "Versnelde procedure." if proc_code == P.PROC_ACCELERATED else "Geen grond voor grens- of versnelde procedure."),
         start=_d(g["lodged_on"]), deadline=_d(g["border_end"]) if proc_code == P.PROC_BORDER else None,
         outcome=f"in {examining}", branches=branches, open_points=[p for p in [rate_note, border.note] if p])  # fmt: skip

    # 6. admissibility
    adm = int(g["admissibility_grounds"])
    mand = int(g["admissibility_mandatory"])
    adm_list = [Ground(ground=name, citation=(apr_c if apr else apd_c), available=bool(adm & bit), mandatory=bool(mand & bit))
                for bit, name, apr_c, apd_c in ADM]  # fmt: skip
    if adm:
        points = []
        if adm & P.ADM_PROTECTION_MS:
            points.append("If the application cannot be declared inadmissible (risk of inhuman treatment in the state that granted "
                          "protection), the file of that state must be requested and the case examined in full (CJEU C-753/22 QY).")  # fmt: skip
            if _c(g["protected_in"]) == "GR" and examining == "NL":
                points.append("Greek status holders are in principle not sent back unless they were self-reliant in Greece "
                              "(ABRvS ECLI:NL:RVS:2021:1626; seed 000).")  # fmt: skip
        step("admissibility", "Admissibility", "Ontvankelijkheid",
             [x.citation for x in adm_list if x.available],
             "Grounds available: " + "; ".join(f"{x.ground}{' (mandatory)' if x.mandatory else ' (optional for the Member State)'}"
                                               for x in adm_list if x.available) + ".",
             "Gronden voor niet-ontvankelijkheid zijn beschikbaar.",
             start=_d(g["lodged_on"]), deadline=_d(g["decision_deadline"]),
             branches=[] if mand else ["inadmissible", "admissible: examined on the merits"], open_points=points)  # fmt: skip

    # 7. decision on the merits
    merits = ("open", "refugee", "subsidiary", "rejected")[int(pop["o_merits"][i])]
    dec_c = (["APR Art 35(1)-(5)", "Art 39(2)"] if apr else ["Directive 2013/32/EU Art 31(3)-(5)"])
    step("decision", "First-instance decision", "Beslissing in eerste aanleg", dec_c,
         "Refugee status is examined first, then subsidiary protection. The engine does not judge credibility: the outcome is an input.",
         "Eerst de vluchtelingenstatus, dan subsidiaire bescherming. De motor beoordeelt de geloofwaardigheid niet.",
         start=_d(g["lodged_on"]), deadline=_d(g["decision_deadline"]), deadline_latest=_d(g["decision_deadline_max"]),
         outcome=None if merits == "open" else merits,
         branches=["refugee status", "subsidiary protection", "rejected"] if merits == "open" else [])  # fmt: skip

    # 8. appeal
    if merits in ("open", "rejected") or mand:
        suspensive = bool(g["appeal_suspensive"])
        app_c = (["APR Art 67(7)", "Art 68"] if apr else
                 (["Vreemdelingenwet 2000 Art 69", "Art 82"] if examining == "NL" else ["Directive 2013/32/EU Art 46"]))  # fmt: skip
        points = []
        if apr and proc_code != P.PROC_BORDER:
            points.append("The APR gives a range; national law sets the exact period (the Dutch figure under the Pact is not shipped).")
        if proc_code == P.PROC_BORDER:
            points.append("In the border procedure the appeal must fit within the 12 weeks (APR Art 51(2)).")
        step("appeal", "Appeal", "Beroep", app_c,
             ("The appeal suspends removal automatically." if suspensive else
              "No automatic right to remain: a court decides on request (at least 5 days to ask, APR Art 68(4)-(5))."),
             ("Het beroep schorst de uitzetting van rechtswege." if suspensive else
              "Geen automatisch recht op verblijf: de rechter beslist op verzoek."),
             start=_d(g["decision_deadline"]), deadline=_d(g["appeal_deadline"]), deadline_latest=_d(g["appeal_deadline_latest"]),
             branches=["appeal allowed", "appeal dismissed", "no appeal"], open_points=points)  # fmt: skip
        if examining == "NL":
            step("article_8_echr", "Article 8 ECHR check (ex officio)", "Ambtshalve toets artikel 8 EVRM",
                 ["Vreemdelingenbesluit 2000 Art 3.6ba", "ECHR Art 8"],
                 "At a first rejection the IND checks of its own motion whether family or private life requires a residence permit.",
                 "Bij een eerste afwijzing toetst de IND ambtshalve of gezins- of privéleven tot een verblijfsvergunning leidt.",
                 branches=["residence permit on Art 8 ECHR grounds", "no permit"])  # fmt: skip

    # 9. status and family reunification
    if merits in ("open", "refugee", "subsidiary"):
        two = bool(g["two_status"])
        st_c = ["Qualification Regulation (EU) 2024/1347 Art 24(4)"] if apr else ["Directive 2011/95/EU Art 24"]
        if examining == "NL":
            st_c.append("Vreemdelingenwet 2000 Art 29(1) / 29a(1) (two-status system)" if two else "Vreemdelingenwet 2000 Art 29")
        step("status", "Protection status", "Beschermingsstatus", st_c,
             ("Two statuses: refugee (A, Vw Art 29(1)) or subsidiary protection (B, Vw Art 29a)." if two else
              "Refugee status or subsidiary protection; residence permit at least 3 years (refugee) / 1 year (subsidiary)."),
             ("Twee statussen: vluchteling (A) of subsidiair beschermde (B)." if two else "Vluchtelingenstatus of subsidiaire bescherming."),
             outcome=None if merits == "open" else merits, branches=["refugee", "subsidiary"] if merits == "open" else [])  # fmt: skip
        fr_points = []
        if two:
            fr_points.append("Subsidiary-protection holders face stricter conditions (Kamerstuk 36 703); the waiting period and income/housing "
                             "requirements were not verified in the bill text: OPEN.")  # fmt: skip
        if g["young_adult_policy"]:
            fr_points.append("The young-adults Art 8 ECHR policy still applies (dropped from 1 June 2026).")
        step("family_reunification", "Family reunification (nareis)", "Nareis",
             ["Directive 2003/86/EC Art 12(1)", "Vreemdelingenwet 2000 Art 29(2)"] + (["Kamerstuk 36 703 (two-status system)"] if two else []),
             "Nuclear family (spouse/partner, minor children) under favourable conditions if requested within 3 months of the grant.",
             "Kerngezin (echtgeno(o)t(e)/partner, minderjarige kinderen) onder gunstige voorwaarden bij aanvraag binnen 3 maanden.",
             open_points=fr_points)  # fmt: skip

    # 10. return
    terminals = terminal_names(int(g["terminals"]))
    if any(t.startswith(("returned", "departed", "return_hub", "removed")) for t in terminals):
        rr = return_regime == "return-regulation-council-2025"
        used = int(g["return_detention_days_used"])
        ret_c = (["APR Art 37"] if apr else ["Directive 2008/115/EC Art 6"]) + (
            ["Return Regulation, Council general approach 8 Dec 2025 (not adopted law: scenario)"] if rr else
            ["Directive 2008/115/EC Art 7(1)", "Art 15(5)-(6)", "CJEU C-150/24 Aroja", "CJEU C-156/23 Ararat", "CJEU C-313/25 PPU Adrar"])  # fmt: skip
        if rr:
            en = ("Return decision with the rejection; appeals have no automatic suspensive effect; a non-refoulement claim is referred to "
                  "the asylum procedure; return to a return hub in a third country is possible (not for unaccompanied minors); "
                  "detention up to 24 months (reported); mutual recognition of return decisions is voluntary.")  # fmt: skip
        else:
            en = ("Return decision with the rejection; voluntary departure 7-30 days; non-refoulement re-assessed at removal and in "
                  f"detention (Ararat, Adrar); detention at most 6 + 12 months, all periods under one return decision added up "
                  f"(Aroja): {used} days used so far, {max(0, 548 - used)} days left of the 18-month maximum.")  # fmt: skip
        step("return", "Return", "Terugkeer", ret_c, en,
             "Terugkeerbesluit; vrijwillig vertrek of gedwongen terugkeer; non-refoulement opnieuw getoetst; maximale bewaringsduur.",
             branches=[t for t in terminals if t.startswith(("returned", "departed", "return_hub", "removed"))],
             open_points=(["Return Directive Art 15(5)-(6) figures (6 + 12 months) verified only in secondary sources."] if not rr else
                          ["The Council's text was not read; figures come from reports. Treat as a scenario."]))  # fmt: skip

    return Route(
        case_id=str(pop.ids[i]),
        computed_on=_d(pop["computed_on"][i]),
        regime={"responsibility": "ammr" if pact else "dublin-iii", "procedure": "apr" if apr else "apd-2013", "return": return_regime},
        responsible_state=responsible,
        responsibility_criterion=crit.name.lower(),
        responsibility_citation=citation(reg, crit),
        examining_state=examining,
        request={D.NONE: "none", D.TAKE_CHARGE: "take_charge", D.TAKE_BACK: "take_back"}[kind],
        request_deadline=_d(g["request_deadline"]),
        reply_deadline=_d(g["reply_deadline"]),
        transfer_deadline=_d(g["transfer_deadline"]),
        screening_deadline=_d(g["screening_deadline"]),
        border_procedure=border,
        accelerated_procedure=accel,
        admissibility_grounds=adm_list,
        steps=steps,
        terminal_states=terminals,
        legal_basis_codes={"criterion": int(crit), "examining_criterion": int(g["examining_criterion"]),
                           "accelerated_grounds": grounds, "admissibility_grounds": adm, "border_exemption": int(g["border_exemption"])},
    )  # fmt: skip


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


def _border_note(code: int, apr: bool) -> str | None:
    if not apr:
        return "Before the APR the border procedure was optional (Directive 2013/32/EU Art 43)."
    return {
        P.EX_UAM: "Unaccompanied minors only on the security ground (APR Art 53(1)).",
        P.EX_NEEDS: "Not applied: needed support for special needs cannot be given at the border (APR Art 53(2)).",
        P.EX_CAPACITY: "Adequate capacity reached: ground (j) no longer obliges the border procedure (APR Art 47(2), 48).",
        P.EX_NOT_BORDER_SITUATION: "Not an Art 43(1) situation (application inside the territory after entry).",
        P.EX_TRANSFERRED: "Another Member State is responsible: the case leaves the border for the transfer (APR Art 52(1)).",
    }.get(code, "Families with minors are not excluded as such (APR Art 44(3)); their cases are prioritised.")
