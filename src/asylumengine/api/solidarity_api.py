"""Solidarity: one AMMR cycle with every input the CLI takes, as JSON or CSV."""

from __future__ import annotations

import json
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import Response

from asylumengine.api.errors import ApiError
from asylumengine.api.schemas import SolidarityRequest, SolidarityResponse
from asylumengine.cli.render import cycle_csv
from asylumengine.data.figures import vintages
from asylumengine.data.member_states import to_iso
from asylumengine.reports.manifest import manifest
from asylumengine.solidarity import CycleResult, compute_cycle

router = APIRouter(prefix="/api/solidarity", tags=["solidarity"])


def compute(req: SolidarityRequest) -> CycleResult:
    return compute_cycle(req.year, on=req.on, pool_relocations=req.pool_relocations, pool_eur=req.pool_eur,
                         proposed_relocations=req.proposed_relocations, pledges=req.pledges,
                         classifications=req.classifications, vintage=req.vintage,
                         interpretation=req.interpretation)  # fmt: skip


def solidarity_manifest(req: SolidarityRequest) -> dict:
    return manifest(inputs=req.model_dump(mode="json", exclude_none=True))


def focus_row(result: CycleResult, state: str | None) -> dict | None:
    if not state:
        return None
    try:
        return result.state(to_iso(state)).model_dump(mode="json")
    except (KeyError, ValueError):
        raise ApiError(422, f"state: {state!r} is not a participating Member State", field="state") from None


@router.post("", response_model=SolidarityResponse, summary="One solidarity cycle: fair shares, pool, pledges, offsets")
def cycle(req: SolidarityRequest, format: Literal["json", "csv"] = "json") -> Response:
    result = compute(req)
    man = solidarity_manifest(req)
    if format == "csv":
        return Response(cycle_csv(result), media_type="text/csv", headers={"X-Manifest": json.dumps(man, separators=(",", ":"))})
    focus = focus_row(result, req.state)
    body = {"manifest": man, "result": json.loads(result.model_dump_json()), "focus": focus}
    return Response(json.dumps(body), media_type="application/json")


@router.get("/vintages", summary="The data vintages for the key, with their sources")
def list_vintages() -> list[dict]:
    return [v.model_dump(mode="json") for v in vintages().values()]
