"""A person who has not applied for protection (case without ``application``): screened, then referred to
the return procedures (Screening Regulation Art 18(1), (4)). No responsibility determination, asylum
procedure or decision follows without an application (AMMR Art 16(1) and APR Art 26-28 start from
one), so those results are reported as none for such a person."""

from __future__ import annotations

import numpy as np

from asylumengine.law.rules import rule
from asylumengine.routes.rules.common import Ctx

# Results that exist only once an application is made: for a person who has not applied they are
# reported empty (no state, no date, no procedure). The step texts leave them out too.
APPLICATION_RESULTS = (
    "responsible", "criterion", "examining_state", "examining_criterion", "request_kind", "request_deadline", "reply_deadline",
    "transfer_deadline", "transfer_feasible", "registration_deadline", "lodging_deadline", "lodged_on", "procedure",
    "border_situation", "border_mandatory", "border_possible", "border_end", "accelerated", "accelerated_grounds",
    "admissibility_grounds", "admissibility_mandatory", "decision_deadline", "decision_deadline_extended", "decision_deadline_max",
    "appeal_deadline", "appeal_deadline_latest", "appeal_suspensive", "rejection_possible", "entry_authorised",
)  # fmt: skip


def _empty_like(a: np.ndarray):
    return np.datetime64("NaT", "D") if a.dtype.kind == "M" else a.dtype.type(0)


@rule("SR Art 18(1)", "No application made: the screening ends in the return procedures (Directive 2008/115/EC); "
      "the responsibility, procedure and decision results do not arise", engine="routes", regime="pact",
      also=("SR Art 18(4)", "AMMR Art 16(1)", "Directive 2008/115/EC Art 6(1)"),
      reads=("app_none", "departure_set", "terminals", *APPLICATION_RESULTS),
      produces=("terminals", "application_made", *APPLICATION_RESULTS), text="routes-texts#SR Art 18")  # fmt: skip
def no_application(pop, v, ctx: Ctx):
    none = pop["app_none"]
    out = {key: v[key] for key in APPLICATION_RESULTS}
    out["terminals"], out["application_made"] = v["terminals"], ~none
    if none.any():  # only populations with such persons pay for it
        out = {key: np.where(none, _empty_like(a), a).astype(a.dtype) for key, a in out.items()}
        out["terminals"] = np.where(none, v["departure_set"], v["terminals"]).astype(np.int32)
        out["application_made"] = ~none
    return out
