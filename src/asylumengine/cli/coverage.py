"""docs/coverage.md, generated from the rules registry: what is encoded (the rule, where it is, which
tests cover it) and what is not (each engine's ``not_encoded.yaml``, with the reason).

    python -m asylumengine.cli.coverage > docs/coverage.md      (tests/test_docs.py keeps it in step)
"""

from __future__ import annotations

from collections import defaultdict
from importlib import resources

import yaml

from asylumengine.cli.explain import case_tests, test_files
from asylumengine.cli.registry import load_all
from asylumengine.law.rules import Rule, _sort_key

ENGINES = (("routes", "The route of a case"), ("solidarity", "The AMMR solidarity mechanism (Part IV) and the annual cycle"))
INTRO = """# Legal coverage

Generated from the rules registry by `python -m asylumengine.cli.coverage > docs/coverage.md`: do not edit
by hand (tests/test_docs.py checks it is current). "Encoded" means a registered rule names the article,
with its code location and the case tests whose `article:` cites it; `asylum explain ARTICLE` shows the
rule, the verbatim text and the parameters read. "Not encoded" rows come from each engine's
`not_encoded.yaml`, with the reason. Dates: the AMMR entered into force on 11 June 2024; Arts 7-15, 56,
57, 64(3), 67(14) apply from 11 June 2024, the rest from 12 June 2026 (Art 85, corrected text); the APR
and the Screening Regulation apply from 12 June 2026 (APR Art 79, SR Art 25).
"""


def not_encoded(engine: str) -> list[dict]:
    """An engine's list of provisions not encoded (empty if it ships none)."""
    try:
        text = (resources.files(f"asylumengine.{engine}") / "not_encoded.yaml").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return []
    return yaml.safe_load(text) or []


def _act(citation: str) -> str:
    return citation.split(" Art")[0] if " Art" in citation else "Other sources (case law, Dutch policy)"


def _tests(rule: Rule) -> str:
    files: dict[str, int] = defaultdict(int)
    for path, _, _ in case_tests(rule):
        files[path.split(":")[0]] += 1
    cells = [f"`{f}` ({n})" for f, n in sorted(files.items())] + [f"`{t}`" for t in test_files(rule)]
    return ", ".join(cells) or "—"


def _encoded(engine: str) -> list[str]:
    rules = sorted((r for r in load_all().values() if r.engine == engine), key=lambda r: _sort_key(r.citation))
    if not rules:
        return ["No rules of this engine are registered yet.", ""]
    by_act: dict[str, list[Rule]] = defaultdict(list)
    for r in rules:
        by_act[_act(r.citation)].append(r)
    out = []
    for act, group in sorted(by_act.items()):
        out += [f"#### {act}", "", "| Article | Rule | Regime | Code | Tests |", "|---|---|---|---|---|"]
        for r in group:
            file, line = r.location
            cites = "; ".join([r.citation, *r.also]).replace("|", "\\|")
            regime = f"{r.regime} (from {r.valid_from.isoformat()})" if r.valid_from else r.regime
            out.append(f"| {cites} | {r.summary.replace('|', '/')} | {regime} | `{file}:{line}` | {_tests(r)} |")
        out.append("")
    return out


def markdown() -> str:
    lines = [INTRO]
    for engine, title in ENGINES:
        lines += [f"## {title}", "", "### Encoded", ""] + _encoded(engine)
        rows = not_encoded(engine)
        lines += ["### Not encoded", ""]
        if rows:
            lines += ["| Article | Provision | Why not |", "|---|---|---|"]
            lines += [f"| {r['citation']} | {r['summary']} | {r['reason']} |" for r in sorted(rows, key=lambda r: _sort_key(r["citation"]))]
        else:
            lines.append(f"(no `{engine}/not_encoded.yaml` on this branch)")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(markdown(), end="")
