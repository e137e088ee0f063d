"""Screening at the external border and within the territory (Screening Regulation (EU) 2024/1356)."""

from __future__ import annotations

import numpy as np

from asylumengine.law.rules import rule
from asylumengine.routes.case import SCREENING_PLACES
from asylumengine.routes.columns import NAT, PLACES
from asylumengine.routes.rules.common import Ctx, SR_FROM, in_codes
from asylumengine.routes.rules.responsibility import MOVKIND
from asylumengine.routes.vector import hours_as_days

SCREENINGS = ("none", "border", "territory")
SCREEN_NONE, SCREEN_BORDER, SCREEN_TERRITORY = (SCREENINGS.index(k) for k in SCREENINGS)
BORDER_PLACES = [PLACES.index(p) for p in ("border_crossing_point", "transit_zone", "after_apprehension_at_border", "after_sar")]
ENTRY_KINDS = [MOVKIND.index("irregular_crossing"), MOVKIND.index("sar_disembarkation")]
SR_START = "procedure.screening_applies_from"
# Why a person is, or is not, screened (the `screening_ground` of the results): the point of the
# Screening Regulation that decides.
SCREENING_GROUNDS = (
    "none",  # an applicant in none of the SR situations (lawful entry, or applied after an earlier procedure)
    "apprehended_at_external_border",  # Art 5(1)(a)
    "disembarked_after_sar",  # Art 5(1)(b)
    "applied_at_border_crossing_point",  # Art 5(2)
    "irregular_stay_in_territory",  # Art 7(1)
    "already_screened",  # Art 7(1): 'have not already been subjected to the screening in a Member State'
    "entry_not_irregular",  # Art 7(1): no unauthorised crossing of an external border
    "meets_entry_conditions",  # Art 5(1)-(2): only those who do not fulfil the entry conditions
    "no_application_at_border_crossing_point",  # Art 5(2) screens those who apply there; the others are not within Art 5
    "before_screening_regulation",  # Art 25: applies from 12 June 2026
)
G = {name: i for i, name in enumerate(SCREENING_GROUNDS)}
SCREENED = {G["apprehended_at_external_border"]: SCREEN_BORDER, G["disembarked_after_sar"]: SCREEN_BORDER,
            G["applied_at_border_crossing_point"]: SCREEN_BORDER, G["irregular_stay_in_territory"]: SCREEN_TERRITORY}  # fmt: skip
SCREENING_PLACES_INDEX = {p: i + 1 for i, p in enumerate(SCREENING_PLACES)}  # scr_place codes (0: no block)
# case.screening.place -> ground
PLACE_GROUNDS = {SCREENING_PLACES_INDEX["external_border"]: G["apprehended_at_external_border"],
                 SCREENING_PLACES_INDEX["sar_disembarkation"]: G["disembarked_after_sar"],
                 SCREENING_PLACES_INDEX["border_crossing_point"]: G["applied_at_border_crossing_point"],
                 SCREENING_PLACES_INDEX["territory"]: G["irregular_stay_in_territory"]}  # fmt: skip
# application.place -> ground, for an applicant without a screening block
APP_PLACE_GROUNDS = {PLACES.index("after_apprehension_at_border"): G["apprehended_at_external_border"],
                     PLACES.index("after_sar"): G["disembarked_after_sar"], PLACES.index("border_crossing_point"): G["applied_at_border_crossing_point"],
                     PLACES.index("transit_zone"): G["applied_at_border_crossing_point"]}  # fmt: skip
REFERRALS = ("none", "registration", "return_procedure", "return_procedure_continues")
REF_NONE, REF_REGISTRATION, REF_RETURN, REF_RETURN_CONTINUES = range(len(REFERRALS))


@rule("SR Art 5(1)", "Apprehended crossing the external border, disembarked after search and rescue, or applying at a "
      "border crossing point or transit zone without fulfilling the entry conditions", engine="routes",
      also=("APR Art 43(1)",), reads=("app_place", "app_entry_ok"), produces=("at_border",), text="routes-texts#SR Art 5")  # fmt: skip
def at_external_border(pop, v, ctx: Ctx):
    return {"at_border": in_codes(pop["app_place"], BORDER_PLACES) & ~pop["app_entry_ok"]}


@rule("SR Art 7(1)", "Who is screened: at the border (Art 5), or within the territory after an irregular entry never "
      "controlled (Art 7); from the day the Screening Regulation applies", engine="routes", regime="pact", valid_from=SR_FROM,
      also=("SR Art 5(1)", "SR Art 25"), reads=("at_border", "app_place", "app_made", "app_state", "mov*_kind", "mov*_country", "mov*_date",
                                     "pri*_state"),
      params=(SR_START,), produces=("applicant_screening", "applicant_screening_start"), text="routes-texts#SR Art 7")  # fmt: skip
def screening_kind(pop, v, ctx: Ctx):
    """From the application (its place, the movements, earlier applications); a screening block decides instead
    where given (``screening_required``)."""
    at_border, app_state = v["at_border"], pop["app_state"]
    entry_here, irregular_anywhere = np.full(pop.n, NAT), np.zeros(pop.n, dtype=bool)
    for i in range(pop.slots("mov")):
        is_entry = in_codes(pop[f"mov{i}_kind"], ENTRY_KINDS)
        irregular_anywhere |= is_entry
        hit = is_entry & (pop[f"mov{i}_country"] == app_state) & np.isnat(entry_here)
        entry_here[hit] = pop[f"mov{i}_date"][hit]
    never_applied = np.ones(pop.n, dtype=bool)
    for i in range(pop.slots("pri")):
        never_applied &= pop[f"pri{i}_state"] == 0
    start = np.where(at_border & ~np.isnat(entry_here), entry_here, pop["app_made"])
    applies = start >= np.datetime64(ctx.value(SR_START), "D")
    territory = (pop["app_place"] == PLACES.index("territory")) & irregular_anywhere & never_applied
    kind = np.where(applies & at_border, SCREEN_BORDER, np.where(applies & territory, SCREEN_TERRITORY, SCREEN_NONE)).astype(np.int8)
    return {"applicant_screening": kind, "applicant_screening_start": np.where(kind > SCREEN_NONE, start, NAT).astype("datetime64[D]")}


@rule("SR Art 8(3)", "Screening within 7 days at the border (4 days after 72 hours held at the border); within 3 days "
      "in the territory (8(4))", engine="routes", regime="pact", valid_from=SR_FROM, also=("SR Art 8(4)",),
      reads=("screening", "screening_start", "app_held_72h"), params=("procedure.screening_days", "procedure.screening_border_hold_hours"),
      produces=("screening_deadline",), text="routes-texts#SR Art 8")  # fmt: skip
def screening_deadline(pop, v, ctx: Ctx):
    """Held at the border over 72 hours: the 4 days are read as counting after the 72 hours."""
    kind, start = v["screening"], v["screening_start"]
    out = np.full(pop.n, NAT)
    for rows, days in ctx.dated("procedure.screening_days", start):
        if days is None:
            continue
        border, territory = rows & (kind == SCREEN_BORDER), rows & (kind == SCREEN_TERRITORY)
        held = border & pop["app_held_72h"]
        out[border] = start[border] + days["external_border"]
        out[held] = start[held] + hours_as_days(ctx.value("procedure.screening_border_hold_hours")) + days["held_at_border_over_72h"]
        out[territory] = start[territory] + days["territory"]
    return {"screening_deadline": out}


def _applicant_grounds(pop, v) -> np.ndarray:
    """The ground of the applicant path (application.place), as before a screening block existed."""
    kind, ground = v["applicant_screening"], np.full(pop.n, G["none"], dtype=np.int8)
    for place, code in APP_PLACE_GROUNDS.items():
        ground[(pop["app_place"] == place) & (kind == SCREEN_BORDER)] = code
    ground[kind == SCREEN_TERRITORY] = G["irregular_stay_in_territory"]
    at_place = in_codes(pop["app_place"], BORDER_PLACES)
    ground[at_place & pop["app_entry_ok"]] = G["meets_entry_conditions"]
    return ground


def _block_grounds(pop) -> np.ndarray:
    """The ground from case.screening: Art 5(1)(a)-(b), 5(2) (only with an application), 7(1)."""
    place, ground = pop["scr_place"], np.full(pop.n, G["none"], dtype=np.int8)
    for code, g in PLACE_GROUNDS.items():
        ground[place == code] = g
    bcp = place == SCREENING_PLACES_INDEX["border_crossing_point"]
    ground[bcp & pop["app_none"]] = G["no_application_at_border_crossing_point"]
    territory = place == SCREENING_PLACES_INDEX["territory"]
    ground[territory & ~pop["scr_irregular"]] = G["entry_not_irregular"]
    ground[territory & (pop["scr_screened_in"] != 0)] = G["already_screened"]
    ground[(place != 0) & pop["scr_entry_ok"]] = G["meets_entry_conditions"]
    return ground


@rule("SR Art 7(1)", "Whether screening is required, and where: from the screening block where given (apprehension at the "
      "external border, disembarkation after search and rescue, presentation at a border crossing point, found within "
      "the territory; not again after a screening in a Member State), else from the application", engine="routes",
      regime="pact", valid_from=SR_FROM, also=("SR Art 5(1)(a)", "SR Art 5(1)(b)", "SR Art 5(2)", "SR Art 25"),
      reads=("applicant_screening", "applicant_screening_start", "app_place", "app_entry_ok", "app_none", "scr_place", "scr_date",
             "scr_irregular", "scr_screened_in", "scr_entry_ok"),
      params=(SR_START,), produces=("screening", "screening_start", "screening_ground"), text="routes-texts#SR Art 7")  # fmt: skip
def screening_required(pop, v, ctx: Ctx):
    ground, kind, start = _applicant_grounds(pop, v), v["applicant_screening"], v["applicant_screening_start"]
    given = pop["scr_place"] != 0
    if given.any():  # only cases that describe their screening pay for it
        block, on = _block_grounds(pop), pop["scr_date"]
        block = np.where(on < np.datetime64(ctx.value(SR_START), "D"), G["before_screening_regulation"], block).astype(np.int8)
        block_kind = np.zeros(pop.n, dtype=np.int8)
        for g, k in SCREENED.items():
            block_kind[block == g] = k
        ground, kind = np.where(given, block, ground), np.where(given, block_kind, kind)
        start = np.where(given & (kind != SCREEN_NONE), on, np.where(given, NAT, start))
    return {"screening": kind.astype(np.int8), "screening_start": start.astype("datetime64[D]"), "screening_ground": ground.astype(np.int8)}


@rule("SR Art 18(1)", "After the screening: a person who applied goes to registration (18(2)); one who did not, to the "
      "return procedures of Directive 2008/115/EC (18(1)), or within the territory continues in them (18(4)); the screening "
      "ends at the latest when the Art 8 time limit expires, checks complete or not (18(5))", engine="routes",
      regime="pact", valid_from=SR_FROM, also=("SR Art 18(2)", "SR Art 18(4)", "SR Art 18(5)"),
      reads=("screening", "app_none", "computed_on", "screening_deadline"), produces=("screening_referral", "screening_ended"),
      text="routes-texts#SR Art 18")  # fmt: skip
def screening_referral(pop, v, ctx: Ctx):
    kind, none = v["screening"], pop["app_none"]
    out = np.where(kind == SCREEN_NONE, REF_NONE, np.where(~none, REF_REGISTRATION, np.where(kind == SCREEN_BORDER, REF_RETURN,
                                                                                               REF_RETURN_CONTINUES)))  # fmt: skip
    ended = (kind != SCREEN_NONE) & (pop["computed_on"] > v["screening_deadline"])  # NaT compares False: no limit, not ended
    return {"screening_referral": out.astype(np.int8), "screening_ended": ended}
