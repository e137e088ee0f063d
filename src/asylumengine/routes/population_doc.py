"""docs/population.md, generated from the synthetic-population module (its docstring and every
constant marked ``# assumption``)."""

from __future__ import annotations

from asylumengine.routes import synth


def markdown() -> str:
    doc = (synth.__doc__ or "").strip()
    lines = [
        "# The synthetic population",
        "",
        "Generated from `asylumengine.routes.synth` by `asylumengine.routes.population_doc`; a test keeps it in step.",
        "Command: `asylum population -n 1000000 -o pop.parquet [--seed N] [--state NL] [--year 2026]`.",
        "",
        "```text",
        doc,
        "```",
        "",
        "## Every assumption (name = value)",
        "",
        "| Constant | Value |",
        "|---|---|",
    ]
    for name, value in synth.assumptions().items():
        text = repr(value).replace("|", "/")
        if len(text) > 160:
            text = text[:157] + "..."
        lines.append(f"| `{name}` | `{text}` |")
    return "\n".join(lines) + "\n"
