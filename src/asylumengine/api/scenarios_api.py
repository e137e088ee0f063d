"""Scenarios: list, read (every parameter with its source), validate, and edit by overrides.

An edited scenario is an overlay on the shipped file, validated by the scenario loader itself
(so the web form and a YAML file obey the same rules and give the same error naming the key).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter, Request

from asylumengine.api import library
from asylumengine.api.errors import ApiError
from asylumengine.io import YamlInputError, load_yaml
from asylumengine.sim import REGISTRY, Scenario, ScenarioError, load_scenario

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"])
YAML_BODY = {"requestBody": {"required": True, "content": {"application/yaml": {"schema": {"type": "string"}}}}}


def scenario_path(sid: str) -> Path:
    path = library.scenario_files().get(sid)
    if path is None:
        raise ApiError(404, f"no scenario {sid!r}", field="id", known=sorted(library.scenario_files()))
    return path


def overlay(sid: str, overrides: dict[str, Any]) -> dict:
    """The overlay file an edited scenario is: ``extends`` the shipped one, each changed value sourced."""
    base = load_scenario(scenario_path(sid))
    params = {}
    for key, value in overrides.items():
        old = base.params.get(key)
        was = f"was {old.value!r}: {old.source}" if old else "not in the scenario"
        params[key] = {"value": value, "source": f"assumption: set by the user ({was})", "sd": old.sd if old else 0.0}
    return {"name": f"{base.name}-edited", "description": f"{base.description} (edited: {', '.join(overrides)})",
            "extends": str(scenario_path(sid).absolute()), "parameters": params}  # fmt: skip


def load_choice(sid: str, overrides: dict[str, Any]) -> tuple[Scenario, str | None]:
    """The scenario and, when edited, its overlay YAML (to save and run with the CLI)."""
    if not overrides:
        return load_scenario(scenario_path(sid)), None
    text = yaml.safe_dump(overlay(sid, overrides), sort_keys=False, allow_unicode=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{sid}-edited.yaml"
        path.write_text(text, encoding="utf-8")
        scenario = load_scenario(path)
    return scenario, text


def describe(s: Scenario, sid: str) -> dict:
    return {"id": sid, "name": s.name, "description": s.description, "start": s.start.isoformat(),
            "chain": [Path(p).stem for p in s.chain],
            "parameters": [{"key": k, "value": p.value, "source": p.source, "sd": p.sd, "kind": REGISTRY[k].kind,
                            "description": REGISTRY[k].description} for k, p in sorted(s.params.items())]}  # fmt: skip


@router.get("", summary="The shipped scenarios")
def list_scenarios() -> list[dict]:
    out = []
    for sid, path in library.scenario_files().items():
        s = load_scenario(path)
        out.append({"id": sid, "name": s.name, "description": s.description, "start": s.start.isoformat()})
    return out


@router.get("/{sid}", summary="One scenario: every parameter with its value, uncertainty and source")
def read(sid: str) -> dict:
    return describe(load_scenario(scenario_path(sid)), sid)


@router.post("/validate", openapi_extra=YAML_BODY, summary="Validate a scenario file (YAML); 'extends' names a shipped one")
async def validate(request: Request) -> dict:
    body = await request.body()
    if len(body) > 256 * 1024:
        raise ApiError(413, "scenario larger than 256 KiB", field="body")
    try:  # the same limits as every user file (duplicate keys, depth, aliases)
        raw = load_yaml(body, "scenario")
    except YamlInputError as exc:
        return {"valid": False, "error": str(exc), "key": None}
    if isinstance(raw, dict) and isinstance(raw.get("extends"), str) and raw["extends"] in library.scenario_files():
        raw["extends"] = str(library.scenario_files()[raw["extends"]].absolute())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scenario.yaml"
        path.write_text(yaml.safe_dump(raw, sort_keys=False) if isinstance(raw, dict) else body.decode("utf-8", "replace"))
        try:
            s = load_scenario(path)
        except ScenarioError as exc:
            return {"valid": False, "error": f"scenario, key '{exc.key}': {exc.problem}" if exc.key else exc.problem, "key": exc.key}
    return {"valid": True, "name": s.name, "parameters": len(s.params), "error": None, "key": None}
