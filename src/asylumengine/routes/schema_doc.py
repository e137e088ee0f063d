"""The case schema as a Markdown reference (docs/case-schema.md), generated from the model."""

from __future__ import annotations

import typing

from pydantic import BaseModel

from asylumengine.routes.case import Case

INTRO = (
    "# The case schema\n\n"
    "A case is YAML or JSON with the fields below (machine-readable: [case-schema.json](case-schema.json), printed by "
    "`asylum route --schema`). Countries are ISO 3166-1 alpha-2 codes (`EL` is read as `GR`, `XK` is Kosovo); dates are "
    "`YYYY-MM-DD`. Unknown fields are refused, so a typo is an error, not a silent default. Generated from "
    "`asylumengine.routes.case` by `asylumengine.routes.schema_doc`; a test keeps it in step.\n"
)


def _type(ann) -> str:
    text = str(ann)
    for junk in ("typing.", "datetime.", "asylumengine.routes.case.", "<class '", "'>"):
        text = text.replace(junk, "")
    return text.replace("|", "or")


def markdown() -> str:
    lines = [INTRO]
    seen: set[type] = set()

    def show(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        lines.append(f"## {model.__name__}\n")
        if model.__doc__:
            lines.append(model.__doc__.strip().splitlines()[0] + "\n")
        lines.append("| Field | Type | Required | Meaning |\n|---|---|---|---|")
        subs = []
        for name, f in model.model_fields.items():
            default = "[]" if f.default_factory is list else ("{}" if f.default_factory else f.default)
            req = "yes" if f.is_required() else f"no (default `{default}`)"
            lines.append(f"| `{name}` | {_type(f.annotation)} | {req} | {f.description} |")
            for a in (f.annotation, *typing.get_args(f.annotation)):
                for b in (a, *typing.get_args(a)):
                    if isinstance(b, type) and issubclass(b, BaseModel):
                        subs.append(b)
        lines.append("")
        for m in subs:
            show(m)

    show(Case)
    return "\n".join(lines)
