"""`asylum relocation CASE` as a user runs it."""

from __future__ import annotations

import json

from test_solidarity_cli import asylum

EXAMPLE = __import__("pathlib").Path(__file__).parents[1] / "examples" / "relocation" / "applicant-italy-to-netherlands.yaml"


def test_relocation_json_and_dutch_text():
    out = asylum("relocation", str(EXAMPLE), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    steps = {s["code"]: s for s in data["steps"]}
    assert steps["relocation_confirmation"]["deadline"] == "2026-07-08"
    assert steps["relocation_transfer"]["deadline"] == "2026-08-03" and data["relocated"] is True
    nl = asylum("relocation", str(EXAMPLE), "--lang", "nl")
    assert nl.returncode == 0 and "Overdrachtsbesluit" in nl.stdout and "Transfer decision" not in nl.stdout


def test_bad_relocation_case_is_one_clear_error(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("id: x\nperson: applicant\nbenefitting_state: IT\nrelocation_state: NL\ninformation_received: soon\n", encoding="utf-8")
    out = asylum("relocation", str(path))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    text = " ".join(out.stderr.split())
    assert "case.yaml" in text and "'information_received'" in text


def test_dutch_output_has_no_english_step_texts_or_open_points(tmp_path):
    path = tmp_path / "silent.yaml"
    path.write_text("id: s\nperson: applicant\nbenefitting_state: IT\nrelocation_state: NL\ninformation_received: 2026-07-01\n"
                    "transfer_on: 2026-08-20\n", encoding="utf-8")  # fmt: skip
    out = asylum("relocation", str(path), "--lang", "nl")
    assert out.returncode == 0, out.stderr
    text = " ".join(out.stdout.split())
    assert "Open punt" in text and "geacht bevestigd" in text
    for english in ("Open point", "deemed", "within the", "after the", "Transfer decision", "does not"):
        assert english not in text, english
