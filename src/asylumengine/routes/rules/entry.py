"""Entry into the Member States as a criterion of responsibility: visa-waived entry, irregular
crossing, search-and-rescue disembarkation, relocation (AMMR Arts 31, 33; Dublin III Arts 13-14)."""

from __future__ import annotations

import numpy as np

from asylumengine.law.rules import rule
from asylumengine.routes.columns import NAT
from asylumengine.routes.criteria import CriterionCodes as C
from asylumengine.routes.criteria import RegimeCodes as Regime
from asylumengine.routes.rules.common import AMMR_FROM, Ctx, plus_months
from asylumengine.routes.rules.responsibility import IS_DUBLIN_STATE, MOVKIND

MOV_READS = ("first_registered_on", "mov*_kind", "mov*_country", "mov*_date")


def _first_entry(pop, t0: np.ndarray, kind_name: str, third_only: bool) -> tuple[np.ndarray, np.ndarray]:
    """The first movement of ``kind_name`` into a Member State before the first registration."""
    state, date = np.zeros(pop.n, dtype=np.int16), np.full(pop.n, NAT)
    for i in range(pop.slots("mov")):
        kind, country, day = pop[f"mov{i}_kind"], pop[f"mov{i}_country"], pop[f"mov{i}_date"]
        hit = IS_DUBLIN_STATE[country] & (day <= t0) & (kind == MOVKIND.index(kind_name)) & (state == 0)
        if third_only:
            hit &= pop[f"mov{i}_third"]
        state[hit], date[hit] = country[hit], day[hit]
    return state, date


def _within(state: np.ndarray, date: np.ndarray, months: np.ndarray, t0: np.ndarray) -> np.ndarray:
    """Responsibility ends if the application is registered MORE than ``months`` after the entry."""
    return np.where(plus_months(date, months) >= t0, state, 0).astype(np.int16)


@rule("AMMR Art 31(1)", "Entry into a Member State where the applicant needs no visa: that state; 31(2): if the "
      "application is made in another state where no visa is needed either, that state", engine="routes",
      also=("AMMR Art 31(2)", "Dublin III Art 14(1)", "Dublin III Art 14(2)"), reads=(*MOV_READS, "app_state"),
      produces=("visa_waived_state", "visa_waived_here"), text="routes-texts#AMMR Art 31")  # fmt: skip
def visa_waived_entry(pop, v, ctx: Ctx):
    t0 = v["first_registered_on"]
    first, _ = _first_entry(pop, t0, "visa_waived_entry", third_only=False)
    here = np.zeros(pop.n, dtype=np.int16)
    for i in range(pop.slots("mov")):
        country = pop[f"mov{i}_country"]
        vw = IS_DUBLIN_STATE[country] & (pop[f"mov{i}_date"] <= t0) & (pop[f"mov{i}_kind"] == MOVKIND.index("visa_waived_entry"))
        hit = vw & (country == pop["app_state"])
        here[hit] = country[hit]
    # 31(2): registered in another state that also waives the visa - that state, not the state of entry
    return {"visa_waived_state": np.where(here != 0, here, first).astype(np.int16), "visa_waived_here": (here != 0) & (first != 0) & (here != first)}


@rule("AMMR Art 33(1)", "First irregular crossing from a third country: that state, unless the application is registered "
      "more than 20 months after it (Dublin III 13(1): 12 months); 33(3): after relocation, the state of relocation",
      engine="routes", also=("AMMR Art 33(3)", "Dublin III Art 13(1)"),
      reads=(*MOV_READS, "mov*_third", "regime", "app_relocated_to", "app_relocated_on"),
      params=("responsibility.ammr_irregular_entry_window_months", "responsibility.dublin3_irregular_entry_window_months"),
      produces=("entry_state", "entry_criterion", "irregular_entry_date"), text="routes-texts#AMMR Art 33")  # fmt: skip
def irregular_entry(pop, v, ctx: Ctx):
    t0, pact = v["first_registered_on"], v["regime"] == Regime.PACT
    state, date = _first_entry(pop, t0, "irregular_crossing", third_only=True)
    window = np.where(pact, ctx.value("responsibility.ammr_irregular_entry_window_months"),
                      ctx.value("responsibility.dublin3_irregular_entry_window_months"))  # fmt: skip
    state = _within(state, date, window, t0)
    relocated = pact & (pop["app_relocated_to"] != 0) & (state != 0) & (pop["app_relocated_on"] > date)
    return {"entry_state": np.where(relocated, pop["app_relocated_to"], state).astype(np.int16),
            "entry_criterion": np.where(relocated, C.RELOCATION, C.IRREGULAR_ENTRY).astype(np.int8),
            "irregular_entry_date": date}  # fmt: skip


@rule("AMMR Art 33(2)", "Disembarkation after a search-and-rescue operation: that state, unless the application is "
      "registered more than 12 months after it (Dublin III: a sea crossing under 13(1))", engine="routes",
      also=("Dublin III Art 13(1)",), reads=(*MOV_READS, "regime"),
      params=("responsibility.ammr_sar_window_months", "responsibility.dublin3_irregular_entry_window_months"),
      produces=("sar_state", "sar_date"), text="routes-texts#AMMR Art 33")  # fmt: skip
def sar_disembarkation(pop, v, ctx: Ctx):
    t0 = v["first_registered_on"]
    state, date = _first_entry(pop, t0, "sar_disembarkation", third_only=False)
    window = np.where(v["regime"] == Regime.PACT, ctx.value("responsibility.ammr_sar_window_months"),
                      ctx.value("responsibility.dublin3_irregular_entry_window_months"))  # fmt: skip
    return {"sar_state": _within(state, date, window, t0), "sar_date": date}


SAR_READING = "responsibility.ammr_sar_disembarkation_reading"
SAR_READINGS = ("disembarkation_only", "also_irregular_crossing")


@rule("AMMR Art 33(1)", "Open point: whether a disembarkation after search and rescue is also an irregular crossing by "
      "sea from a third country. Read so (parameter), 33(2) prevails while it runs ('Notwithstanding the first "
      "paragraph'); once it has ceased (registration more than 12 months after), 33(1) gives the state of disembarkation "
      "up to 20 months", engine="routes", regime="pact", valid_from=AMMR_FROM, also=("AMMR Art 33(2)",),
      reads=(*MOV_READS, "mov*_third", "regime", "sar_date", "sar_state"), params=(SAR_READING, "responsibility.ammr_irregular_entry_window_months"),
      produces=("sar_crossing_state", "sar_crossing_candidate", "sar_reading"), text="routes-texts#AMMR Art 33")  # fmt: skip
def sar_as_irregular_crossing(pop, v, ctx: Ctx):
    """The state 33(1) would give is worked out on the rows concerned under either reading (the route
    names it in the open point); it counts only under the reading that covers disembarkations."""
    pact = v["regime"] == Regime.PACT
    value = ctx.value(SAR_READING)
    if value not in SAR_READINGS:
        raise ValueError(f"{SAR_READING}: '{value}' is not one of {', '.join(SAR_READINGS)}")
    reading = SAR_READINGS.index(value)
    window = ctx.value("responsibility.ammr_irregular_entry_window_months")
    concerned = pact & ~np.isnat(v["sar_date"])  # the open point arises only where a disembarkation is in the case
    candidate = np.zeros(pop.n, dtype=np.int16)
    rows = np.flatnonzero(concerned & (v["sar_state"] == 0))  # while 33(2) runs it decides: 33(1) matters only after
    if rows.size:
        sub, t0 = pop.take(rows, ("mov",)), v["first_registered_on"][rows]
        first, date = _first_entry(sub, t0, "sar_disembarkation", third_only=True)
        candidate[rows] = _within(first, date, np.full(rows.size, window), t0)
    state = candidate if reading == SAR_READINGS.index("also_irregular_crossing") else np.zeros(pop.n, dtype=np.int16)
    return {"sar_crossing_state": state, "sar_crossing_candidate": candidate, "sar_reading": np.where(concerned, reading, -1).astype(np.int8)}
