"""Labels of the code columns in the results table (the Parquet written by ``asylum routes``).

Each labelled column is stored as a polars Enum whose category list is the one below, in code
order: the Enum's physical value is the engine's code, and a reader needs no list of its own. The
lists are fixed here and documented in docs/routes.md (a test keeps the two in step). Bit masks
(``*_mask`` columns) stay integers; their bits are listed in docs/routes.md too.
"""

from __future__ import annotations

from asylumengine.routes.columns import countries
from asylumengine.routes.criteria import REGIME_NAMES, Criterion, Regime
from asylumengine.routes.rules import dublin as D
from asylumengine.routes.rules import admissibility as I
from asylumengine.routes.rules import events as Ev
from asylumengine.routes.rules import border_entry as BE
from asylumengine.routes.rules import procedure as P
from asylumengine.routes.rules import screening as S
from asylumengine.routes.rules.outcome import TERMINALS


def _in_code_order(table: dict[int, str]) -> tuple[str, ...]:
    assert sorted(table) == list(range(len(table))), table  # every code from 0 has a label
    return tuple(table[k] for k in range(len(table)))


CRITERIA = tuple(c.name.lower() for c in Criterion)
REQUEST_KINDS = _in_code_order({D.NONE: "none", D.TAKE_CHARGE: "take_charge", D.TAKE_BACK: "take_back"})
SCREENING_KINDS = _in_code_order({P.SCREEN_NONE: "none", P.SCREEN_BORDER: "border", P.SCREEN_TERRITORY: "territory"})
PROCEDURES = _in_code_order({0: "none", P.PROC_BORDER: "border", P.PROC_ACCELERATED: "accelerated", P.PROC_REGULAR: "regular"})
BORDER_EXEMPTIONS = _in_code_order({
    P.EX_NONE: "none", P.EX_UAM: "unaccompanied_minor", P.EX_NEEDS: "special_needs_unmet", P.EX_CAPACITY: "capacity_reached",
    P.EX_NOT_BORDER_SITUATION: "not_a_border_situation", P.EX_TRANSFERRED: "transferred",
})  # fmt: skip
REGIMES = _in_code_order({int(r): REGIME_NAMES[r] for r in Regime})
TRANSFER_STATUS = ("not_given",) + Ev.TRANSFER_STATUS[1:]  # the transfer as it happened (case.dublin)
REPLY_EFFECTS = ("not_given",) + Ev.REPLY_EFFECTS[1:]
STC_LINKS = ("none",) + I.STC_LINKS[1:]  # APR Art 59(5)(b)(i)-(iii)
PROCEDURE_REGIMES = _in_code_order({int(Regime.DUBLIN_III): "apd-2013", int(Regime.PACT): "apr"})


def result_labels() -> dict[str, tuple[str, ...]]:
    """Result key -> its labels in code order ('' at code 0: no country, stored as null)."""
    return {
        "regime": REGIMES,
        "procedure_regime": PROCEDURE_REGIMES,
        "responsible": countries(),
        "criterion": CRITERIA,
        "examining_state": countries(),
        "examining_criterion": CRITERIA,
        "request_kind": REQUEST_KINDS,
        "screening": SCREENING_KINDS,
        "screening_ground": S.SCREENING_GROUNDS,
        "screening_referral": S.REFERRALS,
        "entry_authorised": BE.ENTRY_POINTS,
        "procedure": PROCEDURES,
        "border_exemption": BORDER_EXEMPTIONS,
        "reply_effect": REPLY_EFFECTS,
        "transfer_status": TRANSFER_STATUS,
        "stc_link": STC_LINKS,
    }


MASKS = {
    "accelerated_grounds_mask": "bit i = APR Art 42(1) ground letter i (bit 0 = (a) ... bit 9 = (j))",
    "admissibility_grounds_mask": "bits 1, 2, 4, 8, 16 = first country of asylum, safe third country, protection in another "
                                  "Member State, late after a return decision, subsequent without new elements",
    "admissibility_mandatory_mask": "the same bits, where the ground is mandatory",
    "terminal_states_mask": "bits " + ", ".join(f"{1 << i} `{t}`" for i, t in enumerate(TERMINALS)),
}  # fmt: skip


def markdown() -> str:
    """The results file's labelled columns, for docs/routes.md (a test keeps the two in step)."""
    from asylumengine.routes.engine import KEY_COLUMNS

    lines = ["| Column | Stored as | Labels (in code order) |", "|---|---|---|"]
    for key, labels in result_labels().items():
        shown = "ISO 3166-1 alpha-2 codes (null: none)" if labels is countries() else ", ".join(f"`{x}`" for x in labels)
        lines.append(f"| `{KEY_COLUMNS[key]}` | Enum | {shown} |")
    lines += [f"| `{name}` | Int32 bit mask | {what} |" for name, what in MASKS.items()]
    return "\n".join(lines) + "\n"
