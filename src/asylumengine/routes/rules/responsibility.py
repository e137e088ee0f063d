"""Which Member State is responsible, on which criterion (AMMR Part III; Dublin III Chapter III).

Each criterion is a rule yielding a candidate state per case (0 = it does not apply), on the
facts as they stood when the application was first registered in a Member State (AMMR Art 24(2);
Dublin III Art 7(2)). The order in which the criteria are tried is written once, as data:
``CRITERIA`` below (AMMR Art 24(1); Dublin III Art 7(1)); ``hierarchy`` walks it, skipping a
state where a transfer would risk Charter Art 4 treatment (Art 16(3)); ``OVERRIDES`` then apply
notwithstanding the criteria (protection already granted elsewhere).
"""

from __future__ import annotations

import numpy as np

from asylumengine.law.rules import rule
from asylumengine.routes.case import DUBLIN_STATES, Event, FamilyMember, Movement, PriorApplication, ResidenceDocument
from asylumengine.routes.columns import PLACES, Population, countries, literal_values
from asylumengine.routes.criteria import PARAGRAPH_1, PARAGRAPH_2, POINT_RECENT
from asylumengine.routes.criteria import CriterionCodes as C
from asylumengine.routes.criteria import RegimeCodes as Regime
from asylumengine.routes.rules.common import Ctx, AMMR_FROM, cached_rows, codes, in_codes, months_after, plus_months
from asylumengine.routes.vector import age_at, distinct_states, first_slot, years_between

REL = ("",) + literal_values(FamilyMember, "relation")
FSTATUS = ("",) + literal_values(FamilyMember, "status")
DOCKIND = ("",) + literal_values(ResidenceDocument, "kind")
MOVKIND = ("",) + literal_values(Movement, "kind")
OUTCOME = ("",) + literal_values(PriorApplication, "outcome")
EVKIND = ("",) + literal_values(Event, "kind")
code_set = codes  # the name other modules import

IS_DUBLIN_STATE = np.isin(np.array(countries()), list(DUBLIN_STATES))
LEGALLY_PRESENT = codes(FSTATUS, "beneficiary_of_protection", "long_term_resident", "legally_resident", "citizen", "applicant_no_first_decision")
UAM_FAMILY_RELATIONS = codes(REL, "parent", "responsible_adult", "sibling", "spouse")
UAM_RELATIVES = codes(REL, "aunt_uncle", "grandparent")
DEPENDENCY_RELATIONS = codes(REL, "child", "sibling", "parent")
LEGALLY_RESIDENT = codes(FSTATUS, "beneficiary_of_protection", "long_term_resident", "legally_resident", "citizen")
BENEFICIARY_OR_LTR = codes(FSTATUS, "beneficiary_of_protection", "long_term_resident")
APPLICANT_PENDING = codes(FSTATUS, "applicant_no_first_decision")
DEPENDENT = codes(("",) + literal_values(FamilyMember, "dependency"), "applicant_dependent", "member_dependent")
TAKE_BACK_OUTCOMES = codes(OUTCOME, "pending", "withdrawn", "implicitly_withdrawn", "rejected", "inadmissible")
NEGATIVE_OUTCOMES = codes(OUTCOME, "rejected", "inadmissible", "withdrawn", "implicitly_withdrawn")
CARE_YES, CARE_NO = ("unknown", "yes", "no").index("yes"), ("unknown", "yes", "no").index("no")
MINOR_AGE = "responsibility.minor_age"

# --- the hierarchy, as data -------------------------------------------------------------------
# (criterion, or the value holding the criterion per case; the candidate state; who it is for)
# "uam": unaccompanied minors only; "adult": everyone else (Art 25 applies alone to UAMs,
# AMMR Art 25(1), Dublin III Art 8); "all": everyone. Art 34's rank is not fixed by the text:
# after the UAM rules, before the family criteria (an open point, said in the route).
CRITERIA: tuple[tuple[int | str, str, str], ...] = (
    (C.DISCRETIONARY, "discretionary_state", "all"),  # AMMR Art 35(1): overrides the criteria
    (C.SECURITY, "security_state", "all"),  # AMMR Art 16(4): before the criteria
    (C.UAM_FAMILY, "uam_family_state", "uam"),  # Art 25(2)
    (C.UAM_RELATIVE, "uam_relative_state", "uam"),  # Art 25(3)
    (C.UAM_FIRST_REGISTRATION, "uam_first_state", "uam"),  # Art 25(5)
    ("dependency_criterion", "dependency_state", "adult"),  # Art 34
    (C.FAMILY_BENEFICIARY, "family_beneficiary_state", "adult"),  # Art 26
    (C.FAMILY_APPLICANT, "family_applicant_state", "adult"),  # Art 27
    ("document_criterion", "document_state", "adult"),  # Art 29
    (C.DIPLOMA, "diploma_state", "adult"),  # Art 30
    (C.VISA_WAIVED_ENTRY, "visa_waived_state", "adult"),  # Art 31
    (C.AIRPORT_TRANSIT, "airport_state", "adult"),  # Art 32
    ("entry_criterion", "entry_state", "adult"),  # Art 33(1), (3)
    (C.SAR_DISEMBARKATION, "sar_state", "adult"),  # Art 33(2)
    (C.IRREGULAR_ENTRY, "sar_crossing_state", "adult"),  # Art 33(1) read to cover a disembarkation (open point, parameter)
    (C.FIRST_REGISTRATION, "fallback_state", "all"),  # Art 16(2): the fallback
)
# Notwithstanding the criteria: protection already granted by another Member State (APR Art 38(1)(c)).
OVERRIDES: tuple[tuple[int, str], ...] = ((C.PROTECTION_ELSEWHERE, "protected_in"),)


# --- who, and the facts frozen at the first registration -----------------------------------------


@rule("AMMR Art 37(2)", "Obligations ceased: an earlier application no longer counts (15 months after a final border "
      "rejection; 9 months' absence; departure under a return decision)", engine="routes",
      also=("AMMR Art 37(4)", "AMMR Art 37(5)", "Dublin III Art 19(2)", "Dublin III Art 19(3)"),
      reads=("regime", "pri*_state", "pri*_registered", "pri*_border", "pri*_final", "pri*_outcome", "pri*_final_on", "ev*_kind", "ev*_start", "ev*_end",
             "ev*_return_decision", "app_registered"),
      params=("responsibility.ammr_cessation", "responsibility.dublin3_cessation"), produces=("ceased_prior",),
      text="routes-texts#AMMR Art 37")  # fmt: skip
def cessation(pop, v, ctx: Ctx):
    """Only rows with an earlier application and an event or a border-procedure flag can qualify."""
    border = np.zeros(pop.n, dtype=bool)
    for i in range(pop.slots("pri")):
        border |= pop[f"pri{i}_border"]
    idx = np.flatnonzero((pop["pri0_state"] != 0) & ((pop["ev0_kind"] != 0) | border))
    mask = np.zeros(pop.n, dtype=np.int8)
    if idx.size:
        sub, pact = pop.take(idx, ("pri", "ev", "app_registered")), v["regime"][idx] == Regime.PACT
        ammr, d3 = ctx.value("responsibility.ammr_cessation"), ctx.value("responsibility.dublin3_cessation")
        absence = np.where(pact, ammr["absence_months"], d3["absence_months"])
        for i in range(sub.slots("pri")):
            gone = _after_border_rejection(sub, i, pact, ammr["border_final_months"]) | _gone(sub, i, absence)
            mask[idx] |= gone.astype(np.int8) << i
    return {"ceased_prior": mask}


def _after_border_rejection(pop: Population, i: int, pact: np.ndarray, months: int) -> np.ndarray:
    final = pop[f"pri{i}_border"] & pop[f"pri{i}_final"] & in_codes(pop[f"pri{i}_outcome"], NEGATIVE_OUTCOMES)
    return pact & (pop[f"pri{i}_state"] != 0) & final & (months_after(pop[f"pri{i}_final_on"], months) < pop["app_registered"])


def _gone(pop: Population, i: int, absence_months: np.ndarray) -> np.ndarray:
    """Left the Member States after that application: long enough, or under a return decision."""
    present, registered, reg = pop[f"pri{i}_state"] != 0, pop[f"pri{i}_registered"], pop["app_registered"]
    gone = np.zeros(pop.n, dtype=bool)
    for j in range(pop.slots("ev")):
        left = (pop[f"ev{j}_kind"] == EVKIND.index("departure_from_eu")) & present & (pop[f"ev{j}_start"] > registered)
        back = np.where(np.isnat(pop[f"ev{j}_end"]), reg, pop[f"ev{j}_end"])
        gone |= left & ((plus_months(pop[f"ev{j}_start"], absence_months) <= back) | pop[f"ev{j}_return_decision"])
    return gone


def ceased_slots(v: dict, slots: int) -> list[np.ndarray]:
    return [(v["ceased_prior"] & (1 << i)) != 0 for i in range(slots)]


@rule("AMMR Art 24(2)", "The facts as they stood when the application was first registered in a Member State",
      engine="routes", also=("Dublin III Art 7(2)",),
      reads=("app_registered", "app_state", "pri*_state", "pri*_registered", "ceased_prior"),
      produces=("first_registered_on", "first_registration_state"), text="routes-texts#AMMR Art 24")  # fmt: skip
def first_registration(pop, v, ctx: Ctx):
    """Earlier applications whose state's obligations have ceased are ignored (the application is new)."""
    date, state = pop["app_registered"].copy(), pop["app_state"].copy()
    for i, ceased in enumerate(ceased_slots(v, pop.slots("pri"))):
        s, d = pop[f"pri{i}_state"], pop[f"pri{i}_registered"]
        earlier = (s != 0) & ~np.isnat(d) & (d < date) & ~ceased
        date[earlier], state[earlier] = d[earlier], s[earlier]
    return {"first_registered_on": date, "first_registration_state": state}


@rule("AMMR Art 2(10)", "A minor is below the minor age on the first registration; unaccompanied if so declared",
      engine="routes", also=("AMMR Art 2(11)", "Dublin III Art 2(i)", "Dublin III Art 2(j)"),
      reads=("a_dob", "a_age", "a_unaccompanied", "first_registered_on"), params=(MINOR_AGE,), produces=("minor", "uam"),
      text="routes-texts#AMMR Art 2 (")  # fmt: skip
def minor(pop, v, ctx: Ctx):
    is_minor = age_at(pop["a_dob"], pop["a_age"], v["first_registered_on"]) < ctx.value(MINOR_AGE)
    return {"minor": is_minor, "uam": is_minor & pop["a_unaccompanied"]}


@rule("AMMR Art 18(2)", "Evidence of a family link submitted after the time limit set under Art 17(3) is taken into "
      "account only if it is decisive for the correct application of the Regulation", engine="routes", regime="pact",
      valid_from=AMMR_FROM, also=("AMMR Art 17(3)",), reads=("regime", "dub_evidence_limit", "fam*_evidence_on", "fam*_decisive"),
      produces=("evidence_late", "evidence_disregarded"), text="routes-texts#AMMR Art 18")  # fmt: skip
def late_evidence(pop, v, ctx: Ctx):
    limit, pact = pop["dub_evidence_limit"], v["regime"] == Regime.PACT
    late, ignored = np.zeros(pop.n, dtype=np.int8), np.zeros(pop.n, dtype=np.int8)
    for i in range(pop.slots("fam")):
        after = pact & ~np.isnat(limit) & (pop[f"fam{i}_evidence_on"] > limit)
        late |= np.where(after, 1 << i, 0).astype(np.int8)
        ignored |= np.where(after & ~pop[f"fam{i}_decisive"], 1 << i, 0).astype(np.int8)
    return {"evidence_late": late, "evidence_disregarded": ignored}


# --- family-based criteria (only rows with family: slots fill from the first) --------------------


def _family(pop: Population, ctx: Ctx):
    return cached_rows(pop, ctx, "family", lambda p: p["fam0_relation"] != 0, ("fam", "f_health_no_travel"))


def _present(fam: Population, i: int) -> np.ndarray:
    return (fam[f"fam{i}_relation"] != 0) & IS_DUBLIN_STATE[fam[f"fam{i}_location"]]


def _on_family_rows(pop, v, ctx, pick) -> tuple[np.ndarray, list]:
    """Candidate state from the first family slot for which ``pick(fam, i, rows)`` holds; a family link whose
    evidence came late and is not decisive is not taken into account (AMMR Art 18(2), rule ``late_evidence``)."""
    idx, fam = _family(pop, ctx)
    out = np.zeros(pop.n, dtype=np.int16)
    ignored = v["evidence_disregarded"][idx] if idx.size else None
    picks = [(pick(fam, i, idx) & ((ignored & (1 << i)) == 0), fam[f"fam{i}_location"]) for i in range(fam.slots("fam"))] if idx.size else []
    if idx.size:
        out[idx] = first_slot(fam.n, picks)
    return out, picks


@rule("AMMR Art 25(2)", "Unaccompanied minor: the state where a family member or sibling is legally present",
      engine="routes", also=("AMMR Art 25(4)", "Dublin III Art 8(1)"),
      reads=("uam", "fam*_relation", "fam*_location", "fam*_status", "evidence_disregarded"),
      produces=("uam_family_state", "uam_several_states"),
      text="routes-texts#AMMR Art 25")  # fmt: skip
def uam_family(pop, v, ctx: Ctx):
    def pick(fam, i, idx):
        legal = in_codes(fam[f"fam{i}_status"], LEGALLY_PRESENT)
        return v["uam"][idx] & _present(fam, i) & legal & in_codes(fam[f"fam{i}_relation"], UAM_FAMILY_RELATIONS)

    state, picks = _on_family_rows(pop, v, ctx, pick)
    several = np.zeros(pop.n, dtype=bool)
    if picks:  # Art 25(4): family in several states - the best interests of the child decide
        several[_family(pop, ctx)[0]] = distinct_states(picks) > 1
    return {"uam_family_state": state, "uam_several_states": several}


@rule("AMMR Art 25(3)", "Unaccompanied minor: the state where a relative who can take care of them is legally present",
      engine="routes", also=("Dublin III Art 8(2)",), reads=("uam", "fam*_relation", "fam*_location", "fam*_status", "fam*_care",
                                                         "evidence_disregarded"),
      produces=("uam_relative_state",), text="routes-texts#AMMR Art 25")  # fmt: skip
def uam_relative(pop, v, ctx: Ctx):
    def pick(fam, i, idx):
        legal = in_codes(fam[f"fam{i}_status"], LEGALLY_PRESENT)
        cares = fam[f"fam{i}_care"] == CARE_YES
        return v["uam"][idx] & _present(fam, i) & legal & in_codes(fam[f"fam{i}_relation"], UAM_RELATIVES) & cares

    return {"uam_relative_state": _on_family_rows(pop, v, ctx, pick)[0]}


@rule("AMMR Art 25(5)", "Unaccompanied minor without family: the state where the application was first registered",
      engine="routes", also=("Dublin III Art 8(4)",), reads=("uam", "first_registration_state"), produces=("uam_first_state",),
      text="routes-texts#AMMR Art 25")  # fmt: skip
def uam_first_registration(pop, v, ctx: Ctx):
    return {"uam_first_state": np.where(v["uam"], v["first_registration_state"], 0).astype(np.int16)}


@rule("AMMR Art 34(1)", "Dependent persons kept together with a child, sibling or parent legally resident there; "
      "34(2): where the applicant's health prevents travel, the state where they are", engine="routes",
      also=("AMMR Art 34(2)", "Dublin III Art 16(1)", "Dublin III Art 16(2)"),
      reads=("app_state", "f_health_no_travel", "evidence_disregarded", "fam*_relation", "fam*_location", "fam*_status",
             "fam*_pre", "fam*_consent",
             "fam*_dependency", "fam*_care"),
      produces=("dependency_state", "dependency_criterion"), text="routes-texts#AMMR Art 34")  # fmt: skip
def dependency(pop, v, ctx: Ctx):
    def pick(fam, i, idx):
        dependent = in_codes(fam[f"fam{i}_dependency"], DEPENDENT) & (fam[f"fam{i}_care"] != CARE_NO)
        resident = in_codes(fam[f"fam{i}_relation"], DEPENDENCY_RELATIONS) & in_codes(fam[f"fam{i}_status"], LEGALLY_RESIDENT)
        return _present(fam, i) & fam[f"fam{i}_pre"] & fam[f"fam{i}_consent"] & dependent & resident

    state, _ = _on_family_rows(pop, v, ctx, pick)
    health = (state != 0) & pop["f_health_no_travel"]
    return {"dependency_state": np.where(health, pop["app_state"], state).astype(np.int16),
            "dependency_criterion": np.where(health, C.DEPENDENCY_HEALTH, C.DEPENDENCY).astype(np.int8)}  # fmt: skip


def _family_member(fam: Population, i: int, applicant_minor: np.ndarray, t0: np.ndarray, adult_age: int) -> np.ndarray:
    """AMMR Art 2(8) / Dublin III Art 2(g): a family that existed before arrival - spouse or
    partner, minor child, and for a minor applicant the father, mother or responsible adult."""
    rel, dob = fam[f"fam{i}_relation"], fam[f"fam{i}_dob"]
    has_dob = ~np.isnat(dob)
    age = fam[f"fam{i}_age"]
    minor_child = np.where(has_dob, years_between(np.where(has_dob, dob, t0), t0) < adult_age, (age >= 0) & (age < adult_age))
    child_minor = (rel == REL.index("child")) & minor_child
    parent_of_minor = in_codes(rel, codes(REL, "parent", "responsible_adult")) & applicant_minor
    return fam[f"fam{i}_pre"] & (in_codes(rel, codes(REL, "spouse", "partner")) | child_minor | parent_of_minor)


def _family_criterion(pop, v, ctx: Ctx, statuses: np.ndarray) -> np.ndarray:
    adult_age = ctx.value(MINOR_AGE)

    def pick(fam, i, idx):
        member = _family_member(fam, i, v["minor"][idx], v["first_registered_on"][idx], adult_age)
        return member & _present(fam, i) & fam[f"fam{i}_consent"] & in_codes(fam[f"fam{i}_status"], statuses)

    return _on_family_rows(pop, v, ctx, pick)[0]


FAMILY_READS = ("minor", "first_registered_on", "evidence_disregarded", "fam*_relation", "fam*_location", "fam*_status", "fam*_pre", "fam*_consent", "fam*_dob",
                "fam*_age")  # fmt: skip


@rule("AMMR Art 26", "A family member is a beneficiary of protection or long-term resident there (written consent)",
      engine="routes", also=("AMMR Art 2(8)", "Dublin III Art 9"), reads=FAMILY_READS, params=(MINOR_AGE,),
      produces=("family_beneficiary_state",), text="routes-texts#AMMR Art 26")  # fmt: skip
def family_beneficiary(pop, v, ctx: Ctx):
    return {"family_beneficiary_state": _family_criterion(pop, v, ctx, BENEFICIARY_OR_LTR)}


@rule("AMMR Art 27", "A family member is an applicant there without a first decision (written consent)",
      engine="routes", also=("Dublin III Art 10",), reads=FAMILY_READS, params=(MINOR_AGE,),
      produces=("family_applicant_state",), text="routes-texts#AMMR Art 27")  # fmt: skip
def family_applicant(pop, v, ctx: Ctx):
    return {"family_applicant_state": _family_criterion(pop, v, ctx, APPLICANT_PENDING)}


# --- the other criteria --------------------------------------------------------------------------


@rule("AMMR Art 35(1)", "A Member State decided to examine the application (discretionary clause)",
      engine="routes", also=("Dublin III Art 17(1)",), reads=("f_discretion",), produces=("discretionary_state",),
      text="routes-texts#AMMR Art 35")  # fmt: skip
def discretionary_clause(pop, v, ctx: Ctx):
    return {"discretionary_state": pop["f_discretion"]}


@rule("AMMR Art 16(4)", "Reasonable grounds of a threat found in the security check: the checking state is responsible",
      engine="routes", regime="pact", valid_from=AMMR_FROM, reads=("regime", "f_security", "app_state"), produces=("security_state",),
      text="routes-texts#AMMR Art 16")  # fmt: skip
def security_check(pop, v, ctx: Ctx):
    return {"security_state": np.where((v["regime"] == Regime.PACT) & pop["f_security"], pop["app_state"], 0).astype(np.int16)}


@rule("AMMR Art 32", "Application made in the international transit area of an airport: that state",
      engine="routes", also=("Dublin III Art 15",), reads=("app_place", "app_state"), produces=("airport_state",),
      text="routes-texts#AMMR Art 32")  # fmt: skip
def airport_transit(pop, v, ctx: Ctx):
    return {"airport_state": np.where(pop["app_place"] == PLACES.index("airport_transit_area"), pop["app_state"], 0).astype(np.int16)}


@rule("AMMR Art 16(2)", "No criterion applies: the state where the application was first registered",
      engine="routes", also=("Dublin III Art 3(2)",), reads=("first_registration_state",), produces=("fallback_state",),
      text="routes-texts#AMMR Art 16")  # fmt: skip
def first_registration_fallback(pop, v, ctx: Ctx):
    return {"fallback_state": v["first_registration_state"]}


@rule("AMMR Art 24(1)", "The criteria in the order of Chapter II; a state with a risk of Charter Art 4 treatment is "
      "skipped, and if none is left the determining state is responsible (Art 16(3))", engine="routes",
      also=("AMMR Art 16(3)", "AMMR Art 25(1)", "Dublin III Art 7(1)", "Dublin III Art 3(2)"),
      reads=("uam", "app_state", "f_systemic1", "f_systemic2", *(o[1] for o in OVERRIDES), *(c[1] for c in CRITERIA), *(c[0] for c in CRITERIA if isinstance(c[0], str))),
      produces=("responsible", "criterion", "systemic_skipped"), text="routes-texts#AMMR Art 24")  # fmt: skip
def hierarchy(pop, v, ctx: Ctx):
    n, uam = pop.n, v["uam"]
    systemic = np.zeros(n, dtype=bool)
    state, criterion = np.zeros(n, dtype=np.int16), np.zeros(n, dtype=np.int8)
    for crit, key, who in CRITERIA:
        if not v[key].any():  # no row has a state under this criterion: nothing to take (most criteria, for one case)
            continue
        cand = v[key] if who == "all" else np.where(uam if who == "uam" else ~uam, v[key], 0)
        risky = (cand != 0) & ((cand == pop["f_systemic1"]) | (cand == pop["f_systemic2"]))
        systemic |= risky & (state == 0)
        take = (state == 0) & (cand != 0) & ~risky
        state[take] = cand[take]
        criterion[take] = np.broadcast_to(v[crit] if isinstance(crit, str) else crit, (n,))[take]
    none_left = state == 0
    state[none_left], criterion[none_left] = pop["app_state"][none_left], C.SYSTEMIC_RISK_DETERMINING_STATE
    for crit, key in OVERRIDES:
        over = v[key] != 0
        if over.any():
            state[over], criterion[over] = pop["app_state"][over], crit
    return {"responsible": state, "criterion": criterion, "systemic_skipped": systemic}


@rule("AMMR Art 29(3)", "The paragraph and point of the criterion that decided: one document 29(1) or visa 29(2), several "
      "from different states ranked under 29(3)(a)-(c), expired or cancelled 29(4); one diploma 30(1), several 30(2); "
      "visa-waived entry 31(1), or the visa-waived state of registration 31(2)", engine="routes",
      also=("AMMR Art 29(1)", "AMMR Art 29(2)", "AMMR Art 30(1)", "AMMR Art 30(2)", "AMMR Art 31(1)", "AMMR Art 31(2)",
            "Dublin III Art 12(3)", "Dublin III Art 14(2)"),
      reads=("criterion", "document_point", "document_recent", "diploma_several", "visa_waived_here"), produces=("criterion_point",),
      text="routes-texts#AMMR Art 29")  # fmt: skip
def criterion_point(pop, v, ctx: Ctx):
    crit, point = v["criterion"], np.zeros(pop.n, dtype=np.int8)
    docs = (crit == C.RESIDENCE_DOCUMENT) | (crit == C.VISA)
    if docs.any():
        point[docs] = v["document_point"][docs] | np.where(v["document_recent"][docs], POINT_RECENT, 0)
    dip, waived = crit == C.DIPLOMA, crit == C.VISA_WAIVED_ENTRY
    point[dip] = np.where(v["diploma_several"][dip], PARAGRAPH_2, PARAGRAPH_1)
    point[waived] = np.where(v["visa_waived_here"][waived], PARAGRAPH_2, PARAGRAPH_1)
    return {"criterion_point": point}


@rule("APR Art 38(1)(c)", "Protection already granted by another Member State: no Dublin determination; the state where "
      "the person applies examines admissibility", engine="routes", also=("AMMR Art 36(1)", "Directive 2013/32/EU Art 33(2)(a)"),
      reads=("pri*_outcome", "pri*_state", "app_state", "ceased_prior"), produces=("protected_in",),
      text="routes-texts#APR Art 38")  # fmt: skip
def protection_elsewhere(pop, v, ctx: Ctx):
    """CJEU C-753/22: failing inadmissibility, the merits are examined there too."""
    protected_in = np.zeros(pop.n, dtype=np.int16)
    for i, ceased in enumerate(ceased_slots(v, pop.slots("pri"))):
        granted = (pop[f"pri{i}_outcome"] == OUTCOME.index("protection_granted")) & (pop[f"pri{i}_state"] != pop["app_state"]) & ~ceased
        first = granted & (protected_in == 0)
        protected_in[first] = pop[f"pri{i}_state"][first]
    return {"protected_in": protected_in}


__all__ = ["CRITERIA", "DOCKIND", "EVKIND", "MOVKIND", "OUTCOME", "OVERRIDES", "TAKE_BACK_OUTCOMES", "code_set"]
