"""Detention for a Dublin transfer and its time limits (AMMR Art 45; Dublin III Art 28(3)).

Detained from the application (``application.in_detention``) or from a later day (an event of kind
``detention``, AMMR Art 45(1), second subpara). The shorter limits of Art 45(1)-(3) hold while the
person is detained; where the transferring state misses one of them, "the person shall no longer be
detained" and Articles 39, 41 and 46 - the ordinary limits - continue to apply (Art 45(4)).
"""

from __future__ import annotations

import numpy as np

from asylumengine.law.rules import rule
from asylumengine.routes.columns import NAT
from asylumengine.routes.criteria import RegimeCodes as Regime
from asylumengine.routes.rules.common import AMMR_FROM, Ctx
from asylumengine.routes.rules.responsibility import EVKIND

DETENTION = EVKIND.index("detention")
MISSED = ("", "request", "transfer_decision", "transfer")  # the limit of Art 45(4) that was missed first
ONE_DAY = np.timedelta64(1, "D")


@rule("AMMR Art 45(1)", "Detained for the transfer: from the application, or from a later day placed in detention "
      "(second subpara: the request within one week of it); Dublin III Art 28(3): from the application", engine="routes",
      also=("Dublin III Art 28(3)",), reads=("regime", "app_detained", "app_registered", "ev*_kind", "ev*_start", "ev*_end"),
      produces=("detained", "detained_later", "detained_on", "released_on"), text="routes-texts#AMMR Art 45")  # fmt: skip
def detention_period(pop, v, ctx: Ctx):
    start, end = np.full(pop.n, NAT), np.full(pop.n, NAT)
    for i in range(pop.slots("ev")):
        first = (pop[f"ev{i}_kind"] == DETENTION) & np.isnat(start)
        start[first], end[first] = pop[f"ev{i}_start"][first], pop[f"ev{i}_end"][first]
    pact, at_once = v["regime"] == Regime.PACT, pop["app_detained"]
    later = pact & ~at_once & ~np.isnat(start) & (start > pop["app_registered"])
    return {"detained": at_once | later, "detained_later": later,
            "detained_on": np.where(at_once, pop["app_registered"], np.where(later, start, NAT)),
            "released_on": np.where(at_once | later, end, NAT)}  # fmt: skip


@rule("AMMR Art 45(4)", "A detention limit missed - request or notification (45(1)), transfer decision (42(1)) or transfer "
      "(five weeks, 45(3)): the person shall no longer be detained; Articles 39, 41 and 46 continue to apply",
      engine="routes", regime="pact", valid_from=AMMR_FROM, also=("AMMR Art 45(3)", "AMMR Art 42(1)"),
      reads=("regime", "request_kind", "detained", "released_on", "request_deadline", "request_sent_on", "transfer_decision_deadline",
             "dub_decision_on", "transfer_limit", "dub_transfer_on", "computed_on"),
      produces=("detention_limit_missed", "detention_ends_on"), text="routes-texts#AMMR Art 45")  # fmt: skip
def detention_time_limits(pop, v, ctx: Ctx):
    held = v["detained"] & (v["request_kind"] != 0) & (v["regime"] == Regime.PACT)
    in_progress = held & ~np.isnat(v["request_sent_on"])
    on, missed, ends = pop["computed_on"], np.zeros(pop.n, dtype=np.int8), np.full(pop.n, NAT)
    steps = ((v["request_deadline"], v["request_sent_on"], held), (v["transfer_decision_deadline"], pop["dub_decision_on"], in_progress),
             (v["transfer_limit"], pop["dub_transfer_on"], in_progress))  # fmt: skip
    for code, (limit, done, rows) in enumerate(steps, start=1):
        late = np.where(np.isnat(done), in_progress & (on > limit), done > limit) & rows & ~np.isnat(limit) & (missed == 0)
        released_before = ~np.isnat(v["released_on"]) & (v["released_on"] <= limit)
        late &= ~released_before
        missed[late], ends[late] = code, limit[late] + ONE_DAY
    return {"detention_limit_missed": missed, "detention_ends_on": ends}
