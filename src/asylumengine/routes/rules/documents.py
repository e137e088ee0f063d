"""Residence documents, visas and diplomas as criteria of responsibility (AMMR Arts 29-30;
Dublin III Art 12). Slots fill from the first, so only rows with a first document are looked at."""

from __future__ import annotations

import numpy as np

from asylumengine.law.rules import rule
from asylumengine.routes.criteria import CriterionCodes as C
from asylumengine.routes.criteria import RegimeCodes as Regime
from asylumengine.routes.rules.common import Ctx, AMMR_FROM, cached_rows, plus_months
from asylumengine.routes.rules.responsibility import DOCKIND
from asylumengine.routes.vector import LOWEST, diploma_key, document_score, lex_greater, months_after, score_is_residence, select

WINDOWS = {  # (residence document, visa): months after expiry or cancellation during which it still counts
    Regime.PACT: ("responsibility.ammr_residence_document_expired_window_months", "responsibility.ammr_visa_expired_window_months"),
    Regime.DUBLIN_III: ("responsibility.dublin3_residence_document_expired_window_months",
                        "responsibility.dublin3_visa_expired_window_months"),
}  # fmt: skip
DOC_READS = ("regime", "first_registered_on", "doc*_kind", "doc*_from", "doc*_to", "doc*_status", "doc*_cancelled", "doc*_fraud")


def _documents(pop, ctx: Ctx):
    return cached_rows(pop, ctx, "documents", lambda p: p["doc0_kind"] != 0, ("doc",))


@rule("AMMR Art 29(4)", "An expired or cancelled residence document (less than 3 years) or visa (18 months) still counts; "
      "Dublin III 12(4): 2 years / 6 months, and only if no valid one is held", engine="routes",
      also=("Dublin III Art 12(4)", "AMMR Art 29(5)"), reads=DOC_READS, params=tuple(p for pair in WINDOWS.values() for p in pair),
      produces=("document_counts", "document_valid_now"), text="routes-texts#AMMR Art 29")  # fmt: skip
def document_counts(pop, v, ctx: Ctx):
    """Per document slot (bits): does it count, and is it valid on the first registration. A document
    obtained by fraud does not count (Art 29(5), as an input flag)."""
    idx, docs = _documents(pop, ctx)
    counts, valid = np.zeros(pop.n, dtype=np.int8), np.zeros(pop.n, dtype=np.int8)
    if idx.size:
        pact, t0 = v["regime"][idx] == Regime.PACT, v["first_registered_on"][idx]
        w = {reg: (ctx.value(res), ctx.value(visa)) for reg, (res, visa) in WINDOWS.items()}
        for i in range(docs.slots("doc")):
            kind = docs[f"doc{i}_kind"]
            cancelled = docs[f"doc{i}_status"] != 0
            valid_to = docs[f"doc{i}_to"]
            end = np.where(cancelled & ~np.isnat(docs[f"doc{i}_cancelled"]), docs[f"doc{i}_cancelled"], valid_to)
            is_res = kind == DOCKIND.index("residence_document")
            now = (kind != 0) & ~cancelled & (docs[f"doc{i}_from"] <= t0) & (t0 <= valid_to)
            window = np.where(is_res, np.where(pact, w[Regime.PACT][0], w[Regime.DUBLIN_III][0]),
                              np.where(pact, w[Regime.PACT][1], w[Regime.DUBLIN_III][1]))  # fmt: skip
            # "expired / annulled less than N months before registration": end + N months > t0
            recent = (kind != 0) & ~now & (end < t0) & (plus_months(end, window) > t0)
            count = (now | recent) & ~docs[f"doc{i}_fraud"]
            counts[idx] |= count.astype(np.int8) << i
            valid[idx] |= (now & count).astype(np.int8) << i
    return {"document_counts": counts, "document_valid_now": valid}


@rule("AMMR Art 29(1)", "The state that issued the residence document or visa; several: 29(3) ranking (residence document "
      "first, longest validity, latest expiry)", engine="routes",
      also=("AMMR Art 29(2)", "AMMR Art 29(3)", "Dublin III Art 12(1)", "Dublin III Art 12(2)", "Dublin III Art 12(3)"),
      reads=("regime", "document_counts", "document_valid_now", "doc*_kind", "doc*_from", "doc*_to", "doc*_state", "doc*_behalf",
             "doc*_status", "doc*_cancelled"),
      produces=("document_state", "document_criterion", "document_point", "document_recent"), text="routes-texts#AMMR Art 29")  # fmt: skip
def document_ranking(pop, v, ctx: Ctx):
    """Also the paragraph that decided (``DOCUMENT_POINTS``): one document (29(1) / 29(2)) or several from
    different states, ranked under 29(3)(a)-(c); ``document_recent``: the one that decided counts under 29(4)."""
    idx, docs = _documents(pop, ctx)
    state, criterion = np.zeros(pop.n, dtype=np.int16), np.full(pop.n, C.VISA, dtype=np.int8)
    point, recent = np.zeros(pop.n, dtype=np.int8), np.zeros(pop.n, dtype=bool)
    if idx.size:
        state[idx], best, same_type, several, best_now = _best_document(docs, v["regime"][idx] == Regime.PACT, v["document_counts"][idx],
                                                                        v["document_valid_now"][idx])  # fmt: skip
        residence = score_is_residence(best)
        criterion[idx] = np.where(residence, C.RESIDENCE_DOCUMENT, C.VISA)
        point[idx] = select([several & residence, several & same_type, several, residence],
                               [DOC_RANKED_RESIDENCE, DOC_RANKED_SAME_VISAS, DOC_RANKED_OTHER_VISAS, DOC_ONE_RESIDENCE], DOC_ONE_VISA)
        recent[idx] = (best >= 0) & ~best_now
    return {"document_state": state, "document_criterion": criterion, "document_point": point, "document_recent": recent}


# which paragraph of AMMR Art 29 (Dublin III Art 12) decided: 29(1), 29(2), 29(3)(a), (b), (c)
DOCUMENT_POINTS = ("", "one_residence_document", "one_visa", "ranked_residence_documents", "ranked_visas_same_type",
                   "ranked_visas_different_types")
DOC_ONE_RESIDENCE, DOC_ONE_VISA, DOC_RANKED_RESIDENCE, DOC_RANKED_SAME_VISAS, DOC_RANKED_OTHER_VISAS = range(1, len(DOCUMENT_POINTS))


def _best_document(docs, pact, counts, valid_any):
    n = docs.n
    any_valid = valid_any != 0
    visa_kinds = np.zeros(n, dtype=np.int64)  # the visa types that count (Art 29(3)(b)-(c)), as bits
    for i in range(docs.slots("doc")):
        kind = docs[f"doc{i}_kind"]
        counts_i = (counts & (1 << i)) != 0
        visa_kinds |= np.where(counts_i & (kind != DOCKIND.index("residence_document")), 1 << kind.astype(np.int64), 0)
    same_type = (visa_kinds & (visa_kinds - 1)) == 0
    best_score, best_state = np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.int16)
    first_issuer, several, best_now = np.zeros(n, dtype=np.int16), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    for i in range(docs.slots("doc")):
        counts_i, now = (counts & (1 << i)) != 0, (valid_any & (1 << i)) != 0
        is_res = docs[f"doc{i}_kind"] == DOCKIND.index("residence_document")
        cancelled = docs[f"doc{i}_status"] != 0
        valid_to = docs[f"doc{i}_to"]
        end = np.where(cancelled & ~np.isnat(docs[f"doc{i}_cancelled"]), docs[f"doc{i}_cancelled"], valid_to)
        # AMMR 29(4): recently expired documents rank with valid ones; Dublin III 12(4): only if no valid one.
        eligible = counts_i & (now | ~any_valid | pact)
        # 29(3)(a): residence documents - longest right of residence, then latest expiry; (b) visas of
        # one type: latest expiry; (c) of different types: longest validity, then latest expiry.
        length = np.where(is_res | ~same_type, (valid_to - docs[f"doc{i}_from"]).astype(np.int64), 0)
        score = document_score(np.where(pact, False, now), is_res, length, end.astype(np.int64))
        better = eligible & (score > best_score)
        issuer = np.where(docs[f"doc{i}_behalf"] != 0, docs[f"doc{i}_behalf"], docs[f"doc{i}_state"])
        best_score[better], best_state[better], best_now[better] = score[better], issuer[better], now[better]
        several |= eligible & (first_issuer != 0) & (issuer != first_issuer)  # "issued by different Member States"
        first_issuer = np.where(eligible & (first_issuer == 0), issuer, first_issuer)
    return best_state, best_score, same_type, several, best_now


@rule("AMMR Art 30(1)", "A diploma from an education establishment there, registered less than 6 years after its issue; "
      "several: the longest study, then the most recent (30(2))", engine="routes", regime="pact", valid_from=AMMR_FROM,
      also=("AMMR Art 30(2)", "AMMR Art 2(15)"),
      reads=("regime", "first_registered_on", "dip*_state", "dip*_on", "dip*_years", "dip*_isced", "dip*_distance"),
      params=("responsibility.ammr_diploma_window_months", "responsibility.ammr_diploma_min_academic_years",
              "responsibility.ammr_diploma_min_isced_level"),
      produces=("diploma_state", "diploma_several"), text="routes-texts#AMMR Art 30")  # fmt: skip
def diploma(pop, v, ctx: Ctx):
    t0 = v["first_registered_on"]
    window = ctx.value("responsibility.ammr_diploma_window_months")
    min_years = ctx.value("responsibility.ammr_diploma_min_academic_years")
    min_isced = ctx.value("responsibility.ammr_diploma_min_isced_level")
    best = np.zeros(pop.n, dtype=np.int16)
    best_key = np.full((pop.n, len(("years", "issued"))), LOWEST, dtype=np.int64)
    several = np.zeros(pop.n, dtype=bool)  # diplomas from different Member States: ranked under 30(2)
    for i in range(pop.slots("dip")):
        state, issued = pop[f"dip{i}_state"], pop[f"dip{i}_on"]
        ok = ((state != 0) & (pop[f"dip{i}_years"] >= min_years) & (pop[f"dip{i}_isced"] >= min_isced) & ~pop[f"dip{i}_distance"]
              & (issued <= t0) & (months_after(issued, window) > t0))  # fmt: skip
        key = diploma_key(pop[f"dip{i}_years"], issued)
        several |= ok & (best != 0) & (state != best)
        better = ok & lex_greater(key, best_key)
        best_key[better], best[better] = key[better], state[better]
    pact = v["regime"] == Regime.PACT
    return {"diploma_state": np.where(pact, best, 0).astype(np.int16), "diploma_several": pact & several}
