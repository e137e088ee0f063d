"""Screening at the external border and within the territory (Screening Regulation (EU) 2024/1356)."""

from __future__ import annotations

import numpy as np

from asylumengine.law.rules import rule
from asylumengine.routes.columns import NAT, PLACES
from asylumengine.routes.rules.common import Ctx, SR_FROM, in_codes
from asylumengine.routes.rules.responsibility import MOVKIND
from asylumengine.routes.vector import hours_as_days

SCREENINGS = ("none", "border", "territory")
SCREEN_NONE, SCREEN_BORDER, SCREEN_TERRITORY = (SCREENINGS.index(k) for k in SCREENINGS)
BORDER_PLACES = [PLACES.index(p) for p in ("border_crossing_point", "transit_zone", "after_apprehension_at_border", "after_sar")]
ENTRY_KINDS = [MOVKIND.index("irregular_crossing"), MOVKIND.index("sar_disembarkation")]
SR_START = "procedure.screening_applies_from"


@rule("SR Art 5(1)", "Apprehended crossing the external border, disembarked after search and rescue, or applying at a "
      "border crossing point or transit zone without fulfilling the entry conditions", engine="routes",
      also=("APR Art 43(1)",), reads=("app_place", "app_entry_ok"), produces=("at_border",), text="routes-texts#SR Art 5")  # fmt: skip
def at_external_border(pop, v, ctx: Ctx):
    return {"at_border": in_codes(pop["app_place"], BORDER_PLACES) & ~pop["app_entry_ok"]}


@rule("SR Art 7(1)", "Who is screened: at the border (Art 5), or within the territory after an irregular entry never "
      "controlled (Art 7); from the day the Screening Regulation applies", engine="routes", regime="pact", valid_from=SR_FROM,
      also=("SR Art 5(1)", "SR Art 25"), reads=("at_border", "app_place", "app_made", "app_state", "mov*_kind", "mov*_country", "mov*_date",
                                     "pri*_state"),
      params=(SR_START,), produces=("screening", "screening_start"), text="routes-texts#SR Art 7")  # fmt: skip
def screening_kind(pop, v, ctx: Ctx):
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
    return {"screening": kind, "screening_start": np.where(kind > SCREEN_NONE, start, NAT).astype("datetime64[D]")}


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
