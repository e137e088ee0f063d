"""`asylum explain ARTICLE` through the real command line: one hop from an article to its code, its
text, its parameters and its tests."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

from asylumengine.cli.registry import load_all
from asylumengine.law.rules import articles
from asylumengine.routes.rules import accelerated, documents


def asylum(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "asylumengine.cli.main", *args], capture_output=True, text=True, timeout=120)


def test_explain_apr_42_1_c_names_the_code_the_text_and_a_case_test():
    out = asylum("explain", "APR Art 42(1)(c)")
    assert out.returncode == 0, out.stderr
    line = inspect.getsourcelines(accelerated.ground_c)[1]
    assert f"src/asylumengine/routes/rules/accelerated.py:{line}" in out.stdout
    assert "intentionally misled the authorities" in out.stdout  # the verbatim point (c)
    assert "(d) the applicant makes an application merely to delay" not in out.stdout  # only the point cited
    assert "tests/cases/routes/procedure.yaml:" in out.stdout and "Misleading the authorities" in out.stdout
    assert "regime: pact (valid 2026-06-12" in out.stdout  # for applications lodged from the APR's date (Art 79)


def test_explain_ammr_29_4_names_the_code_the_text_the_parameters_and_tests():
    out = asylum("explain", "AMMR Art 29(4)")
    assert out.returncode == 0, out.stderr
    line = inspect.getsourcelines(documents.document_counts)[1]
    assert f"src/asylumengine/routes/rules/documents.py:{line}" in out.stdout
    assert "less than three years before the application was registered" in out.stdout
    assert "responsibility.ammr_visa_expired_window_months = 18" in out.stdout and "valid 2024-06-11" in out.stdout
    assert "tests/cases/routes/responsibility.yaml:" in out.stdout


def test_explain_json_and_dutch_labels():
    data = json.loads(asylum("explain", "AMMR Art 29(4)", "--format", "json", "--on", "2026-07-01").stdout)
    rule = data["rules"][0]
    assert rule["citation"] == "AMMR Art 29(4)" and rule["case_tests"] and rule["text"]["excerpt"].startswith("> 4.")
    assert all(v["in_force"] for p in rule["parameters"] for v in p["values"])
    assert "Gecodeerd in" in asylum("explain", "AMMR Art 29(4)", "--lang", "nl").stdout


def test_explain_list_lists_every_encoded_article():
    load_all()
    out = asylum("explain", "--list")
    assert out.returncode == 0
    listed = [ln.strip().rsplit("  (", 1)[0] for ln in out.stdout.splitlines()[1:] if ln.strip()]
    assert listed == articles() and "APR Art 42(1)(c)" in listed and "AMMR Art 29(4)" in listed


def test_an_article_not_encoded_is_a_clear_error():
    out = asylum("explain", "APR Art 42(1)(k)")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "not encoded" in out.stderr and "APR Art 42(1)(j)" in out.stderr  # names the closest encoded ones
    assert "Encoded as a whole: APR Art 42(1)" in out.stderr  # the paragraph is, point (k) is not
    unknown = asylum("explain", "Qualification Regulation Art 99")
    assert unknown.returncode == 2 and "not encoded" in unknown.stderr and "Traceback" not in unknown.stderr
    assert asylum("explain").returncode == 2
