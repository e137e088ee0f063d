"""`asylum route CASE --trace` through the real command line: per step, the rules that fired and the
inputs and dated parameters that made them fire (text and JSON)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).parents[1] / "examples" / "cases"


def asylum(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "asylumengine.cli.main", *args], capture_output=True, text=True, timeout=120,
                          env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})  # fmt: skip


def _trace(name: str) -> list[dict]:
    out = asylum("route", str(EXAMPLES / name), "--trace", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["steps"]  # the route itself is still there
    return data["trace"]


def _entry(trace: list[dict], citation: str) -> dict:
    return next(e for e in trace if e["citation"] == citation)


def test_trace_json_shows_why_the_border_procedure_is_mandatory():
    trace = _trace("border-procedure-low-recognition-rate.yaml")
    j = _entry(trace, "APR Art 42(1)(j)")
    assert j["fired"] and j["step"] == "procedure" and j["inputs"]["a_nationality"] == "BD"
    assert j["parameters"]["procedure.apr_recognition_rate_threshold"]["value"] == 20
    assert j["parameters"]["procedure.apr_recognition_rate_threshold"]["valid_from"] == "2026-06-12"
    assert j["outputs"]["recognition_rate"] <= 20 and j["location"].startswith("src/asylumengine/routes/rules/accelerated.py:")
    border = _entry(trace, "APR Art 45(1)")
    assert border["fired"] and border["outputs"]["border_mandatory"] is True and border["inputs"]["border_situation"] is True
    assert not _entry(trace, "APR Art 42(1)(c)")["fired"]  # applied, did not fire: no misleading found


def test_trace_follows_the_rule_order_of_the_engine():
    from asylumengine.routes.engine import STEPS

    trace = _trace("dublin-greece-irregular-entry.yaml")
    assert [e["rule"] for e in trace] == [f.rule.name for _, funcs in STEPS for f in funcs]
    entry = _entry(trace, "AMMR Art 33(1)")
    assert entry["fired"] and entry["outputs"]["entry_state"] == "GR"
    assert entry["parameters"]["responsibility.ammr_irregular_entry_window_months"]["value"] == 20


def test_trace_text_lists_fired_rules_with_inputs_and_parameters():
    out = asylum("route", str(EXAMPLES / "border-procedure-low-recognition-rate.yaml"), "--trace")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "Trace: the rules applied, step by step" in text
    assert "APR Art 42(1)(j)" in text and "procedure.apr_recognition_rate_threshold = 20" in text and "a_nationality=BD" in text
    assert "applied, did not fire" in text
    assert "Trace" not in asylum("route", str(EXAMPLES / "border-procedure-low-recognition-rate.yaml")).stdout
