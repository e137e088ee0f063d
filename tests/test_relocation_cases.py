"""The relocation route (AMMR Arts 67-68) against the lawyer-readable cases in tests/cases/relocation/."""

from __future__ import annotations

import pytest
from casefiles import check, load

from asylumengine.cli.registry import load_all
from asylumengine.law.rules import find
from asylumengine.routes.relocation import RelocationCase, relocation_route


def resolve_in(route):
    def resolve(path: str):
        parts = path.split(".")
        if parts[0] == "steps" and len(parts) > 1 and parts[1] != "count":
            step = next((s for s in route.steps if s.code == parts[1]), None)
            assert step is not None, f"no step {parts[1]} in {[s.code for s in route.steps]}"
            return getattr(step, parts[2])
        obj = getattr(route, parts[0])
        return len(obj) if parts[-1] == "count" else obj

    return resolve


@pytest.mark.parametrize("case", load("relocation", "relocation"))
def test_relocation_cases(case):
    route = relocation_route(RelocationCase(**case["given"]))
    resolve = resolve_in(route)
    for path, expected in case["expect"].items():
        check(resolve(path), expected, resolve, path)


def test_every_step_has_both_languages_and_a_citation():
    route = relocation_route(RelocationCase(id="x", person="applicant", benefitting_state="IT", relocation_state="NL",
                                            information_received="2026-07-01", confirmed_on="2026-07-06",
                                            transfer_on="2026-07-27", transfer_decision_on="2026-07-10"))  # fmt: skip
    assert [s.code for s in route.steps] == ["relocation_eligibility", "relocation_confirmation", "relocation_transfer_decision",
                                            "relocation_notification", "relocation_transfer", "relocation_after"]  # fmt: skip
    for s in route.steps:
        assert s.title.en and s.title.nl and s.explanation.en and s.explanation.nl and s.citations
        assert s.explanation.en != s.explanation.nl


def test_relocation_rules_are_registered_by_article():
    load_all()
    for article in ("AMMR Art 67(9)", "AMMR Art 67(10)", "AMMR Art 67(11)", "AMMR Art 68(2)", "AMMR Art 67(5), second subpara"):
        assert [r for r in find(article) if r.engine == "routes"], article
