"""docs/population.md, generated from the synthetic-population module (its docstring and every
constant marked ``# assumption``)."""

from __future__ import annotations

import re

from asylumengine.routes import synth
from asylumengine.routes.columns import VULNERABILITIES, Col, labels, schema


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
    return "\n".join(lines + file_format()) + "\n"


def file_format() -> list[str]:
    """The Parquet columns: country and code columns are stored with their labels (polars Enum)."""
    lines = [
        "",
        "## The file: `pop.parquet`",
        "",
        "One row per case, an `id` column and the columns below (lists become numbered slots: `fam0_` ... `fam5_`).",
        "Country and code columns are stored as polars **Enum** columns, with their labels; a missing value is null.",
        "Reading a file maps the labels back to the engine's codes **by name**, so a file survives a change in the",
        "order of the lists; an unknown label, integer codes or another wrong type is an error naming the file and",
        "the column (and, for a label, the first row that has it). Null means 'none' in a date or label column; a flag",
        "or number column has a value for 'none' (`false`, `-1`, `0`), and a null there is an error naming the row.",
        "The file is written in row groups of 100 000 rows and read in chunks (`asylum routes --chunk`).",
        "Dates are `Date`, flags `Boolean`; `a_vulnerable` is an integer bit mask (bit i = vulnerability",
        f"i of {', '.join(f'`{v}`' for v in VULNERABILITIES)}).",
        "A missing date is null; flags and numbers have no null (an error naming the column and row): a number",
        "not given is -1. Ages are 0 to 120, `dip*_isced` 0 to 8 and `dip*_years` finite and not negative (the",
        "case model's own bounds); any other value is an error naming the column, the row and the range.",
        "A row whose dates contradict each other is refused as the same case file would be (the case model's",
        "date-order checks, `routes/row_checks.py`), naming the file, the first such row and the columns, e.g.",
        "`pop.parquet: row 12: dub_reply_on 2026-01-03 is before dub_sent 2026-02-01 (dublin: the reply cannot come first)`.",
        "",
        "| Column | Stored as | Labels |",
        "|---|---|---|",
    ]
    seen: dict[str, list[str]] = {}
    for name, col in schema().items():
        pattern = re.sub(r"^([a-z]+)\d+_", r"\1{i}_", name)
        seen.setdefault(pattern, []).append(name)
    for pattern, names in seen.items():
        col = schema()[names[0]]
        shown = pattern.replace("{i}", f"{{0-{len(names) - 1}}}") if len(names) > 1 else pattern
        if col.kind == "country":
            stored, what = "Enum", "country code (the list below)"
        elif col.kind == "enum":
            stored, what = "Enum", ", ".join(f"`{x}`" for x in labels(col))
        elif col.kind == "share":
            stored, what = "Float64", "a share from 0 to 1; null or NaN: not given (optional column)"
        else:
            stored, what = {"date": "Date", "bool": "Boolean", "int": "Int32", "float": "Float64"}[col.kind], ""
        lines.append(f"| `{shown}` | {stored} | {what} |")
    lines += ["", "Country codes (ISO 3166-1 alpha-2 from `pycountry`, plus the project's extra codes):", "",
              " ".join(f"`{c}`" for c in labels(Col("country"))), ""]  # fmt: skip
    return lines
