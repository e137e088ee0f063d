"""The solidarity rules as the registry sees them: no legal number in rule code, every text id
resolves, every parameter a rule names exists, and no function is long (issue 12)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

from asylumengine.law import law_parameters
from asylumengine.cli.registry import load_all
from asylumengine.law.rules import RULES, article_text, find

SOLIDARITY = Path(__file__).parents[1] / "src" / "asylumengine" / "solidarity"
RULE_MODULES = sorted((SOLIDARITY / "rules").glob("*.py"))
MAX_LINES = 60


def solidarity_rules():
    load_all()
    return [r for r in RULES.values() if r.engine == "solidarity"]


@pytest.mark.parametrize("path", RULE_MODULES, ids=[p.name for p in RULE_MODULES])
def test_no_numeric_literal_other_than_0_or_1_in_rule_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, complex))
        and not isinstance(node.value, bool) and node.value not in (0, 1)
    ]  # fmt: skip
    assert not bad, f"{path.name}: numeric literals {bad} - read them from law/params by path"


def test_the_literal_check_would_catch_a_threshold():
    tree = ast.parse("def f(x):\n    return x >= 0.5 * 30000\n")
    found = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value not in (0, 1)]
    assert found == [0.5, 30000]


def test_every_rule_module_registers_rules():
    load_all()
    modules = {r.func.__module__ for r in solidarity_rules()}
    for path in RULE_MODULES:
        if path.name != "__init__.py":
            assert f"asylumengine.solidarity.rules.{path.stem}" in modules, path.name


@pytest.mark.parametrize("r", solidarity_rules(), ids=lambda r: f"{r.citation} {r.func.__name__}")
def test_rule_declares_its_article_text_and_parameters(r):
    assert r.citation.startswith("AMMR") and r.summary and r.text, r.name
    heading, body = article_text(r.text)
    assert body.count(">") >= 1, f"{r.text}: no verbatim quote under '{heading}'"
    params = law_parameters()
    for name in r.params:
        assert name in params, f"{r.name} names unknown parameter {name}"
    assert r in find(r.citation)


def _functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node.name, node.lineno, node.end_lineno - node.lineno + 1


ENGINE_MODULES = sorted(SOLIDARITY.rglob("*.py"))


@pytest.mark.parametrize("path", ENGINE_MODULES, ids=[str(p.relative_to(SOLIDARITY)) for p in ENGINE_MODULES])
def test_no_function_over_sixty_lines(path):
    long = [(name, line, n) for name, line, n in _functions(path) if n > MAX_LINES]
    assert not long, f"{path.name}: {long}"


def test_the_articles_the_cycle_relies_on_are_encoded():
    load_all()
    for article in ("AMMR Art 66", "AMMR Art 12(2)", "AMMR Art 57(1)", "AMMR Art 60(3)", "AMMR Art 61(3)", "AMMR Art 62(5)",
                    "AMMR Art 63(1)", "AMMR Art 63(2)", "AMMR Art 63(3)", "AMMR Art 63(4)", "AMMR Art 63(7)", "AMMR Art 57(2)"):  # fmt: skip
        assert [r for r in find(article) if r.engine == "solidarity"], article


def test_not_encoded_list_is_well_formed_and_not_contradicted():
    rows = yaml.safe_load((SOLIDARITY / "not_encoded.yaml").read_text(encoding="utf-8"))
    assert rows and all(set(row) == {"citation", "summary", "reason"} for row in rows)
    load_all()
    for row in rows:
        assert not [r for r in find(row["citation"]) if r.engine == "solidarity" and r.citation == row["citation"]], row


def test_every_solidarity_and_relocation_parameter_is_declared_by_a_rule():
    load_all()
    declared = {p for r in RULES.values() for p in r.params}
    shipped = [n for n in law_parameters().names() if n.startswith(("solidarity.", "relocation."))]
    assert shipped and not [n for n in shipped if n not in declared]
