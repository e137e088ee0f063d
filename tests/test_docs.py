"""Docs follow the code: the published fair-share table is what the engine computes now."""

from __future__ import annotations

import re
from pathlib import Path

from asylumengine.solidarity import compute_cycle

DOCS = Path(__file__).parents[1] / "docs"


def test_fair_share_table_matches_the_engine():
    text = (DOCS / "fair-share.md").read_text(encoding="utf-8")
    result = compute_cycle(2026)
    rows = re.findall(r"^\| ([A-Z]{2}) \| .*? \| ([\d.]+) \| ([\d,.]+) \| ([\d,]+) \|$", text, flags=re.M)
    assert len(rows) == 26
    for code, share, relocations, eur in rows:
        s = result.state(code)
        assert share == f"{s.fair_share:.3f}", code
        assert relocations == f"{s.reference_relocations:,.1f}", code
        assert eur == f"{s.reference_eur:,.0f}", code
    assert "**5.215% → 5.2%**" in text


def test_coverage_table_names_only_existing_tests():
    text = (DOCS / "coverage.md").read_text(encoding="utf-8")
    tests = Path(__file__).parent
    for ref in set(re.findall(r"`(tests/[\w/.\-]+)`", text)):
        assert (tests.parent / ref).exists(), ref


def test_case_schema_docs_follow_the_model():
    from asylumengine.routes.schema_doc import markdown

    assert (DOCS / "case-schema.md").read_text(encoding="utf-8").strip() == markdown().strip(), (
        "regenerate: python -c 'from asylumengine.routes.schema_doc import markdown; print(markdown())' > docs/case-schema.md"
    )


def test_population_docs_follow_the_generator():
    from asylumengine.routes.population_doc import markdown

    assert (DOCS / "population.md").read_text(encoding="utf-8") == markdown(), (
        "regenerate: python -c 'from asylumengine.routes.population_doc import markdown; print(markdown(), end=\"\")' > docs/population.md"
    )


def test_simulation_docs_follow_the_model_scenarios_and_backcast():
    from asylumengine.sim.simdoc import markdown

    assert (DOCS / "simulation.md").read_text(encoding="utf-8") == markdown(), (
        "regenerate: python -m asylumengine.sim.simdoc > docs/simulation.md"
    )


def test_coverage_docs_follow_the_registry():
    from asylumengine.cli.coverage import markdown

    assert (DOCS / "coverage.md").read_text(encoding="utf-8") == markdown(), (
        "regenerate: python -m asylumengine.cli.coverage > docs/coverage.md"
    )


def test_nothing_listed_as_not_encoded_is_encoded():
    import pytest

    from asylumengine.cli.coverage import ENGINES, not_encoded
    from asylumengine.cli.explain import NotEncoded, explanation

    for engine, _ in ENGINES:
        for row in not_encoded(engine):
            with pytest.raises(NotEncoded):
                explanation(row["citation"])
