"""Which Member State is responsible, on which criterion (AMMR Part III; Dublin III Chapter III).

Vectorised over a population: each criterion yields a candidate state per case (0 = the
criterion does not apply); the criteria are tried in the order the Regulation lists
them (AMMR Art 24(1); Dublin III Art 7(1)), on the facts as they stood when the
application was first registered in a Member State (AMMR Art 24(2); Dublin III Art 7(2)).

Order used (Pact):
  Art 35(1) discretionary clause (a decision that overrides the criteria)
  Art 16(4) security pre-check
  Art 25 unaccompanied minors (exclusive: (2) family/sibling, (3) relative, (5) first registration)
  Art 34 dependent persons        <- rank not fixed by the text; parameter-free reading documented in docs
  Art 26, 27 family members
  Art 29 residence documents and visas, Art 30 diplomas, Art 31 visa waiver,
  Art 32 airport transit, Art 33 irregular entry / SAR (/ relocation, 33(3))
  Art 16(2) first state of registration
A candidate where a transfer would risk Charter Art 4 treatment is skipped (Art 16(3));
if none is left, the determining state is responsible.
"""

from __future__ import annotations

import numpy as np

from asylumengine.routes.case import DUBLIN_STATES
from asylumengine.routes.columns import NAT, Population, countries, literal_values
from asylumengine.routes.case import Event, FamilyMember, Movement, PriorApplication, ResidenceDocument
from asylumengine.routes.criteria import Criterion as C
from asylumengine.routes.criteria import Regime
from asylumengine.routes.rules.common import in_codes, Ctx, age_at, months_after, regime_of

REL = ("",) + literal_values(FamilyMember, "relation")
FSTATUS = ("",) + literal_values(FamilyMember, "status")
DOCKIND = ("",) + literal_values(ResidenceDocument, "kind")
MOVKIND = ("",) + literal_values(Movement, "kind")
OUTCOME = ("",) + literal_values(PriorApplication, "outcome")
EVKIND = ("",) + literal_values(Event, "kind")


def code_set(table: tuple[str, ...], *names: str) -> np.ndarray:
    return np.array([table.index(n) for n in names], dtype=np.int8)


def _dublin_mask() -> np.ndarray:
    mask = np.zeros(len(countries()), dtype=bool)
    for iso in DUBLIN_STATES:
        mask[countries().index(iso)] = True
    return mask


IS_DUBLIN_STATE = _dublin_mask()

LEGALLY_PRESENT = code_set(
    FSTATUS, "beneficiary_of_protection", "long_term_resident", "legally_resident", "citizen", "applicant_no_first_decision"
)
UAM_FAMILY_RELATIONS = code_set(REL, "parent", "responsible_adult", "sibling", "spouse")
UAM_RELATIVES = code_set(REL, "aunt_uncle", "grandparent")
DEPENDENCY_RELATIONS = code_set(REL, "child", "sibling", "parent")
LEGALLY_RESIDENT = code_set(FSTATUS, "beneficiary_of_protection", "long_term_resident", "legally_resident", "citizen")
BENEFICIARY_OR_LTR = code_set(FSTATUS, "beneficiary_of_protection", "long_term_resident")
APPLICANT_PENDING = code_set(FSTATUS, "applicant_no_first_decision")
DEPENDENT = code_set(("",) + literal_values(FamilyMember, "dependency"), "applicant_dependent", "member_dependent")
TAKE_BACK_OUTCOMES = code_set(OUTCOME, "pending", "withdrawn", "implicitly_withdrawn", "rejected", "inadmissible")


def _family_member(pop: Population, i: int, applicant_minor: np.ndarray, t0: np.ndarray) -> np.ndarray:
    """AMMR Art 2(8) / Dublin III Art 2(g): a family that existed before arrival - spouse or
    partner, minor child, and for a minor applicant the father, mother or responsible adult."""
    rel = pop[f"fam{i}_relation"]
    child_minor = (rel == REL.index("child")) & _member_minor(pop, i, t0)
    parent_of_minor = in_codes(rel, code_set(REL, "parent", "responsible_adult")) & applicant_minor
    spouse = in_codes(rel, code_set(REL, "spouse", "partner"))
    return pop[f"fam{i}_pre"] & (spouse | child_minor | parent_of_minor)


def _member_minor(pop: Population, i: int, t0: np.ndarray) -> np.ndarray:
    dob = pop[f"fam{i}_dob"]
    age = pop[f"fam{i}_age"]
    has_dob = ~np.isnat(dob)
    years = ((t0 - np.where(has_dob, dob, t0)).astype(np.int64) / 365.2425).astype(np.int64)
    return np.where(has_dob, years < 18, (age >= 0) & (age < 18))


def _first(n: int, picks: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """First slot whose condition holds -> its state (0 if none)."""
    out = np.zeros(n, dtype=np.int16)
    for cond, state in picks:
        take = (out == 0) & cond
        out[take] = state[take]
    return out


def ceased(pop: Population, regime: np.ndarray, ctx: Ctx) -> list[np.ndarray]:
    """Per prior-application slot: have that state's obligations ceased, so that the present
    application counts as new (AMMR Art 37(2), (4), (5); Dublin III Art 19(2)-(3))?
    Only rows with an earlier application and an event or a border-procedure flag can qualify:
    the rule runs on those rows alone."""
    candidates = (pop["pri0_state"] != 0) & ((pop["ev0_kind"] != 0) | pop["pri0_border"] | pop["pri1_border"] | pop["pri2_border"])
    out = [np.zeros(pop.n, dtype=bool) for _ in range(pop.slots("pri"))]
    idx = np.flatnonzero(candidates)
    if idx.size:
        for full, part in zip(out, _ceased_rows(pop.take(idx, ("pri", "ev", "app_registered")), regime[idx], ctx)):
            full[idx] = part
    return out


def _ceased_rows(pop: Population, regime: np.ndarray, ctx: Ctx) -> list[np.ndarray]:
    pact = regime == Regime.PACT
    ammr = ctx.value("responsibility.ammr_cessation")
    d3 = ctx.value("responsibility.dublin3_cessation")
    reg = pop["app_registered"]
    negative = [OUTCOME.index(o) for o in ("rejected", "inadmissible", "withdrawn", "implicitly_withdrawn")]
    out = []
    for i in range(pop.slots("pri")):
        state, registered = pop[f"pri{i}_state"], pop[f"pri{i}_registered"]
        present = state != 0
        after_border = (pact & present & pop[f"pri{i}_border"] & pop[f"pri{i}_final"] & in_codes(pop[f"pri{i}_outcome"], negative)
                        & (months_after(pop[f"pri{i}_final_on"], ammr["border_final_months"]) < reg))  # fmt: skip
        gone = np.zeros(pop.n, dtype=bool)
        for j in range(pop.slots("ev")):
            left = (pop[f"ev{j}_kind"] == EVKIND.index("departure_from_eu")) & present & (pop[f"ev{j}_start"] > registered)
            back = np.where(np.isnat(pop[f"ev{j}_end"]), reg, pop[f"ev{j}_end"])
            months = np.where(pact, ammr["absence_months"], d3["absence_months"])
            long_absence = left & (_plus_months(pop[f"ev{j}_start"], months) <= back)
            returned = left & pop[f"ev{j}_return_decision"]
            gone |= long_absence | returned
        out.append(after_border | gone)
    return out


def first_registration(pop: Population, ceased_slots: list[np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Date and state of the first registration of an application in a Member State (ignoring
    earlier applications whose state's obligations have ceased: the application counts as new)."""
    date, state = pop["app_registered"].copy(), pop["app_state"].copy()
    for i in range(pop.slots("pri")):
        s, d = pop[f"pri{i}_state"], pop[f"pri{i}_registered"]
        earlier = (s != 0) & ~np.isnat(d) & (d < date)
        if ceased_slots is not None:
            earlier &= ~ceased_slots[i]
        date[earlier], state[earlier] = d[earlier], s[earlier]
    return date, state


def _documents(pop: Population, regime: np.ndarray, t0: np.ndarray, ctx: Ctx) -> tuple[np.ndarray, np.ndarray]:
    """Art 29 / Dublin III Art 12: the state whose residence document or visa counts, and the criterion.
    Slots fill from the first, so only rows with a first document are looked at."""
    state = np.zeros(pop.n, dtype=np.int16)
    criterion = np.full(pop.n, C.VISA, dtype=np.int8)
    idx = np.flatnonzero(pop["doc0_kind"] != 0)
    if idx.size:
        state[idx], criterion[idx] = _documents_rows(pop.take(idx, ("doc",)), regime[idx], t0[idx], ctx)
    return state, criterion


def _documents_rows(pop: Population, regime: np.ndarray, t0: np.ndarray, ctx: Ctx) -> tuple[np.ndarray, np.ndarray]:
    n = pop.n
    w = {
        Regime.PACT: (
            ctx.value("responsibility.ammr_residence_document_expired_window_months"),
            ctx.value("responsibility.ammr_visa_expired_window_months"),
        ),
        Regime.DUBLIN_III: (
            ctx.value("responsibility.dublin3_residence_document_expired_window_months"),
            ctx.value("responsibility.dublin3_visa_expired_window_months"),
        ),
    }
    pact = regime == Regime.PACT
    best_state = np.zeros(n, dtype=np.int16)
    best_key = np.full((n, 4), -(10**9), dtype=np.int64)  # (valid now [Dublin III], residence doc, length, end)
    any_valid = np.zeros(n, dtype=bool)
    rows = []
    for i in range(pop.slots("doc")):
        kind = pop[f"doc{i}_kind"]
        present = kind != 0
        valid_from, valid_to = pop[f"doc{i}_from"], pop[f"doc{i}_to"]
        cancelled = pop[f"doc{i}_status"] != 0
        end = np.where(cancelled & ~np.isnat(pop[f"doc{i}_cancelled"]), pop[f"doc{i}_cancelled"], valid_to)
        is_res = kind == DOCKIND.index("residence_document")
        valid_now = present & ~cancelled & (valid_from <= t0) & (t0 <= valid_to)
        window = np.where(is_res, np.where(pact, w[Regime.PACT][0], w[Regime.DUBLIN_III][0]),
                          np.where(pact, w[Regime.PACT][1], w[Regime.DUBLIN_III][1]))  # fmt: skip
        # "expired / annulled less than N months before registration": end + N months > t0
        recent = present & ~valid_now & (end < t0) & (_plus_months(end, window) > t0)
        counts = (valid_now | recent) & ~pop[f"doc{i}_fraud"]
        any_valid |= valid_now & counts
        state = np.where(pop[f"doc{i}_behalf"] != 0, pop[f"doc{i}_behalf"], pop[f"doc{i}_state"])
        length = (valid_to - valid_from).astype(np.int64)
        rows.append((counts, valid_now, is_res, length, end.astype(np.int64), state))
    visa_kinds = np.zeros(n, dtype=np.int64)  # bitmask of the visa types that count (Art 29(3)(b)-(c))
    for i, (counts, _, is_res, _, _, _) in enumerate(rows):
        visa_kinds |= np.where(counts & ~is_res, 1 << pop[f"doc{i}_kind"].astype(np.int64), 0)
    same_type = (visa_kinds & (visa_kinds - 1)) == 0
    best_score = np.full(n, -1, dtype=np.int64)
    for counts, valid_now, is_res, length, end, state in rows:
        # AMMR 29(4): recently expired documents rank with valid ones (paras 1-3 apply);
        # Dublin III 12(4): they count only if the applicant holds no valid one.
        eligible = counts & (valid_now | ~any_valid | pact)
        prefer_valid = np.where(pact, 0, valid_now.astype(np.int64))
        # 29(3)(a): residence documents first - longest right of residence, then latest expiry;
        # (b) visas of one type: latest expiry; (c) of different types: longest validity, then latest expiry.
        length_key = np.clip(np.where(is_res | ~same_type, length, 0), 0, (1 << 20) - 1)
        end_key = np.clip(end + 40_000, 0, (1 << 20) - 1)  # days since 1970, shifted to stay positive
        score = (prefer_valid << 42) | (is_res.astype(np.int64) << 41) | (length_key << 20) | end_key
        better = eligible & (score > best_score)
        best_score[better] = score[better]
        best_state[better] = state[better]
    best_key[:, 1] = np.where(best_score >= 0, (best_score >> 41) & 1, 0)
    criterion = np.where(best_key[:, 1] == 1, C.RESIDENCE_DOCUMENT, C.VISA).astype(np.int8)
    return best_state, criterion


def _plus_months(dates: np.ndarray, months: np.ndarray) -> np.ndarray:
    """dates + months[i] months, where ``months`` takes a handful of values (one per regime)."""
    out = np.full(dates.shape, NAT)
    has = ~np.isnat(dates)
    if not has.any():
        return out
    for m in set(np.asarray(months)[has].tolist()) if has.sum() < 64 else _few(months):
        rows = has & (months == m)
        out[rows] = months_after(dates[rows], int(m))
    return out


def _few(values: np.ndarray) -> list[int]:
    """The distinct values of a large array known to take very few (cheaper than np.unique)."""
    seen: list[int] = []
    rest = np.ones(values.shape, dtype=bool)
    while rest.any():
        v = int(values[np.argmax(rest)])
        seen.append(v)
        rest &= values != v
    return seen


def _lex_greater(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise lexicographic a > b."""
    gt = np.zeros(a.shape[0], dtype=bool)
    eq = np.ones(a.shape[0], dtype=bool)
    for j in range(a.shape[1]):
        gt |= eq & (a[:, j] > b[:, j])
        eq &= a[:, j] == b[:, j]
    return gt


def _diplomas(pop: Population, t0: np.ndarray, ctx: Ctx) -> np.ndarray:
    window = ctx.value("responsibility.ammr_diploma_window_months")
    min_years = ctx.value("responsibility.ammr_diploma_min_academic_years")
    best = np.zeros(pop.n, dtype=np.int16)
    best_key = np.full((pop.n, 2), -(10**9), dtype=np.int64)
    for i in range(pop.slots("dip")):
        state, issued = pop[f"dip{i}_state"], pop[f"dip{i}_on"]
        ok = (
            (state != 0)
            & (pop[f"dip{i}_years"] >= min_years)
            & (pop[f"dip{i}_isced"] >= 2)
            & ~pop[f"dip{i}_distance"]
            & (issued <= t0)
            & (months_after(issued, window) > t0)  # registered less than 6 years after issue
        )
        key = np.stack([(pop[f"dip{i}_years"] * 100).astype(np.int64), issued.astype(np.int64)], axis=1)
        better = ok & _lex_greater(key, best_key)  # Art 30(2): longest study, then most recent
        best_key[better], best[better] = key[better], state[better]
    return best


def _entries(pop: Population, regime: np.ndarray, t0: np.ndarray, ctx: Ctx) -> dict[str, np.ndarray]:
    """First irregular crossing / SAR disembarkation / visa-waived entry into a Member State."""
    n = pop.n
    out = {k: np.zeros(n, dtype=np.int16) for k in ("irregular", "sar", "visa_waived", "visa_waived_here")}
    dates = {k: np.full(n, NAT) for k in ("irregular", "sar")}
    for i in range(pop.slots("mov")):
        kind, state, date = pop[f"mov{i}_kind"], pop[f"mov{i}_country"], pop[f"mov{i}_date"]
        in_ms = IS_DUBLIN_STATE[state] & (date <= t0)
        for key, name in (("irregular", "irregular_crossing"), ("sar", "sar_disembarkation")):
            hit = in_ms & (kind == MOVKIND.index(name)) & (out[key] == 0)
            if key == "irregular":
                hit &= pop[f"mov{i}_third"]
            out[key][hit], dates[key][hit] = state[hit], date[hit]
        vw = in_ms & (kind == MOVKIND.index("visa_waived_entry"))
        first_vw = vw & (out["visa_waived"] == 0)
        out["visa_waived"][first_vw] = state[first_vw]
        here = vw & (state == pop["app_state"])
        out["visa_waived_here"][here] = state[here]
    pact = regime == Regime.PACT
    irr_window = np.where(pact, ctx.value("responsibility.ammr_irregular_entry_window_months"),
                          ctx.value("responsibility.dublin3_irregular_entry_window_months"))  # fmt: skip
    # Dublin III Art 13(1) covers sea crossings too, with the 12-month limit.
    sar_window = np.where(pact, ctx.value("responsibility.ammr_sar_window_months"), irr_window)
    out["irregular"][~(_plus_months(dates["irregular"], irr_window) >= t0)] = 0  # ends if registered MORE than N months after
    out["sar"][~(_plus_months(dates["sar"], sar_window) >= t0)] = 0
    out["irregular_date"], out["sar_date"] = dates["irregular"], dates["sar"]
    return out


def determine_responsibility(pop: Population, ctx: Ctx) -> dict[str, np.ndarray]:
    n = pop.n
    regime = regime_of(pop, ctx)
    pact = regime == Regime.PACT
    app_state = pop["app_state"]
    gone = ceased(pop, regime, ctx)
    t0, first_state = first_registration(pop, gone)
    minor = age_at(pop, t0) < ctx.value("responsibility.minor_age")
    uam = minor & pop["a_unaccompanied"]

    # --- family-based candidates (only rows with family: slots fill from the first) --------
    cand = {k: np.zeros(n, dtype=np.int16) for k in ("uam_family", "uam_relative", "dependency", "beneficiary", "applicant")}
    dependency_health = np.zeros(n, dtype=bool)
    multiple_uam = np.zeros(n, dtype=bool)
    fam_rows = np.flatnonzero(pop["fam0_relation"] != 0)
    if fam_rows.size:
        part, health, several = _family_candidates(
            pop.take(fam_rows, ("fam", "f_health_no_travel")), minor[fam_rows], uam[fam_rows], t0[fam_rows]
        )
        for k in cand:
            cand[k][fam_rows] = part[k]
        dependency_health[fam_rows] = health
        multiple_uam[fam_rows] = several
    cand["dependency"] = np.where(dependency_health, app_state, cand["dependency"]).astype(np.int16)
    cand["uam_first"] = np.where(uam, first_state, 0).astype(np.int16)

    doc_state, doc_criterion = _documents(pop, regime, t0, ctx)
    entries = _entries(pop, regime, t0, ctx)
    diploma = np.where(pact, _diplomas(pop, t0, ctx), 0).astype(np.int16)
    visa_waived = np.where(entries["visa_waived_here"] != 0, entries["visa_waived_here"], entries["visa_waived"])
    airport = np.where(pop["app_place"] == _place("airport_transit_area"), app_state, 0).astype(np.int16)
    relocated = pact & (pop["app_relocated_to"] != 0) & (entries["irregular"] != 0) & (pop["app_relocated_on"] > entries["irregular_date"])
    irregular = np.where(relocated, pop["app_relocated_to"], entries["irregular"]).astype(np.int16)
    security = np.where(pact & pop["f_security"], app_state, 0).astype(np.int16)

    # not for UAMs: Art 25 applies alone (AMMR Art 25(1); Dublin III Art 8)
    def adult(x: np.ndarray) -> np.ndarray:
        return np.where(uam, 0, x).astype(np.int16)

    ordered: list[tuple[int | np.ndarray, np.ndarray]] = [
        (C.DISCRETIONARY, pop["f_discretion"]),
        (C.SECURITY, security),
        (C.UAM_FAMILY, cand["uam_family"]),
        (C.UAM_RELATIVE, cand["uam_relative"]),
        (C.UAM_FIRST_REGISTRATION, cand["uam_first"]),
        (np.where(dependency_health, C.DEPENDENCY_HEALTH, C.DEPENDENCY), adult(cand["dependency"])),
        (C.FAMILY_BENEFICIARY, adult(cand["beneficiary"])),
        (C.FAMILY_APPLICANT, adult(cand["applicant"])),
        (doc_criterion, adult(doc_state)),
        (C.DIPLOMA, adult(diploma)),
        (C.VISA_WAIVED_ENTRY, adult(visa_waived)),
        (C.AIRPORT_TRANSIT, adult(airport)),
        (np.where(relocated, C.RELOCATION, C.IRREGULAR_ENTRY), adult(irregular)),
        (C.SAR_DISEMBARKATION, adult(entries["sar"])),
        (C.FIRST_REGISTRATION, first_state),
    ]
    systemic = np.zeros(n, dtype=bool)
    state = np.zeros(n, dtype=np.int16)
    criterion = np.zeros(n, dtype=np.int8)
    for crit, cand_state in ordered:
        risky = (cand_state != 0) & ((cand_state == pop["f_systemic1"]) | (cand_state == pop["f_systemic2"]))
        systemic |= risky & (state == 0)
        take = (state == 0) & (cand_state != 0) & ~risky
        state[take] = cand_state[take]
        criterion[take] = np.broadcast_to(crit, (n,))[take]
    none_left = state == 0  # Art 16(3): the determining state becomes responsible
    state[none_left], criterion[none_left] = app_state[none_left], C.SYSTEMIC_RISK_DETERMINING_STATE

    # Protection granted by another Member State: no Dublin determination; the state where the person
    # applies examines admissibility (APR Art 38(1)(c)) or, failing that, the merits (CJEU C-753/22).
    protected_in = np.zeros(n, dtype=np.int16)
    for i in range(pop.slots("pri")):
        granted = (pop[f"pri{i}_outcome"] == OUTCOME.index("protection_granted")) & (pop[f"pri{i}_state"] != app_state) & ~gone[i]
        protected_in[granted & (protected_in == 0)] = pop[f"pri{i}_state"][granted & (protected_in == 0)]
    elsewhere = protected_in != 0
    state[elsewhere], criterion[elsewhere] = app_state[elsewhere], C.PROTECTION_ELSEWHERE

    return {
        "regime": regime,
        "first_registered_on": t0,
        "first_registration_state": first_state,
        "minor": minor,
        "uam": uam,
        "responsible": state,
        "criterion": criterion,
        "systemic_skipped": systemic,
        "protected_in": protected_in,
        "uam_several_states": multiple_uam,
        "ceased_prior": sum((g.astype(np.int8) << i) for i, g in enumerate(gone)).astype(np.int8),
        "irregular_entry_date": entries["irregular_date"],
        "sar_date": entries["sar_date"],
    }


def _family_candidates(pop: Population, minor: np.ndarray, uam: np.ndarray, t0: np.ndarray):
    """Candidate states from family members (AMMR Art 25(2)-(3), 26, 27, 34), first qualifying slot wins."""
    n = pop.n
    picks = {k: [] for k in ("uam_family", "uam_relative", "dependency", "beneficiary", "applicant")}
    for i in range(pop.slots("fam")):
        rel, loc, status = pop[f"fam{i}_relation"], pop[f"fam{i}_location"], pop[f"fam{i}_status"]
        present = (rel != 0) & IS_DUBLIN_STATE[loc]
        legal = in_codes(status, LEGALLY_PRESENT)
        care = pop[f"fam{i}_care"]  # 0 unknown, 1 yes, 2 no
        consent = pop[f"fam{i}_consent"]
        picks["uam_family"].append((uam & present & legal & in_codes(rel, UAM_FAMILY_RELATIONS), loc))
        picks["uam_relative"].append((uam & present & legal & in_codes(rel, UAM_RELATIVES) & (care == 1), loc))
        picks["dependency"].append(
            (present & pop[f"fam{i}_pre"] & consent & in_codes(pop[f"fam{i}_dependency"], DEPENDENT) & (care != 2)
             & in_codes(rel, DEPENDENCY_RELATIONS) & in_codes(status, LEGALLY_RESIDENT), loc)
        )  # fmt: skip
        fam = _family_member(pop, i, minor, t0) & present & consent
        picks["beneficiary"].append((fam & in_codes(status, BENEFICIARY_OR_LTR), loc))
        picks["applicant"].append((fam & in_codes(status, APPLICANT_PENDING), loc))
    cand = {k: _first(n, v) for k, v in picks.items()}
    health = (cand["dependency"] != 0) & pop["f_health_no_travel"]
    return cand, health, _count_hits(picks["uam_family"]) > 1


def _count_hits(picks: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Number of distinct states among the slots that qualify (for Art 25(4): best interests decide)."""
    states = np.stack([np.where(c, s, 0) for c, s in picks], axis=1)
    states = np.sort(states, axis=1)
    distinct = (states[:, 1:] != states[:, :-1]) & (states[:, 1:] != 0)
    return distinct.sum(axis=1) + (states[:, 0] != 0)


def _place(name: str) -> int:
    from asylumengine.routes.columns import PLACES

    return PLACES.index(name)
