"""What each contributing state delivers, and to whom: AMMR Art 60(2)-(3)."""

from __future__ import annotations

from collections.abc import Mapping

from asylumengine.law.rules import rule
from asylumengine.solidarity.models import Delivery, Pledge, StateClassification

TEXT = "ammr-part4-texts#Article 60(3)"


@rule("AMMR Art 60(2)",
      "Each benefitting state's share of every draw on the Pool: its need share, equal shares where none is given",
      engine="solidarity", reads=("benefitting", "need_share"), produces=("need_weights",), text=TEXT)  # fmt: skip
def need_weights(benefitting: list[str], classes: Mapping[str, StateClassification]) -> tuple[dict[str, float], bool]:
    """The weights, and whether equal shares had to be assumed for some state (said in the output)."""
    if not benefitting:
        return {}, False
    raw = {ms: classes[ms].need_share for ms in benefitting}
    assumed = any(v is None for v in raw.values())
    if assumed:
        known = [v for v in raw.values() if v is not None]
        fill = (sum(known) / len(known)) if known else 1
        raw = {ms: (fill if v is None else v) for ms, v in raw.items()}
    total = sum(raw.values())
    if total <= 0:
        raw, total = {ms: 1 for ms in benefitting}, len(benefitting)
    return {ms: v / total for ms, v in raw.items()}, assumed


@rule("AMMR Art 60(3), second subpara",
      "A contributing state implements its pledge in proportion over the benefitting states; blocked parts are released",
      engine="solidarity", also=("AMMR Art 60(3), fourth subpara", "AMMR Art 64(1)"),
      reads=("pledge", "implemented_share", "delivery_weights", "systemic_shortcomings"), produces=("owes", "released_eur"),
      text=TEXT)  # fmt: skip
def deliveries(p: Pledge, keep: float, ratio: float, weights: Mapping[str, float], blocked: set[str]) -> tuple[list[Delivery], float]:
    if not weights or keep == 0 or not (p.relocations or p.financial_eur or p.alternative_eur):
        return [], 0
    out, released = [], 0.0
    for ms, w in weights.items():
        if w == 0:
            continue
        d = Delivery(to=ms, relocations=p.relocations * keep * w, financial_eur=p.financial_eur * keep * w,
                     alternative_eur=p.alternative_eur * keep * w)  # fmt: skip
        d.value_eur = d.relocations * ratio + d.financial_eur + d.alternative_eur
        if ms in blocked:
            d.released = True
            released += d.value_eur
        out.append(d)
    return out, released
