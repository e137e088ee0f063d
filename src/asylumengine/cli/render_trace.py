"""Rendering a route's trace: per step, the rules that fired and the inputs and parameters that made them fire."""

from __future__ import annotations

import json

from rich.console import Console
from rich.markup import escape

L = {
    "en": {"title": "Trace: the rules applied, step by step", "fired": "fired", "not": "applied, did not fire", "in": "inputs",
           "law": "law", "out": "gives", "valid": "valid", "open": "open end"},
    "nl": {"title": "Trace: de toegepaste regels, stap voor stap", "fired": "van toepassing", "not": "toegepast, niet van toepassing",
           "in": "invoer", "law": "wet", "out": "geeft", "valid": "geldig", "open": "open einde"},
}  # fmt: skip


def _v(value) -> str:
    return escape(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))


def trace_steps(console: Console, trace: list[dict], lang: str = "en") -> None:
    t = L[lang]
    console.print(f"\n[bold]{t['title']}[/]")
    steps: dict[str, list[dict]] = {}
    for entry in trace:
        steps.setdefault(entry["step"], []).append(entry)
    for step, entries in steps.items():
        console.print(f"\n[bold underline]{escape(step)}[/]")
        for e in (x for x in entries if x["fired"]):
            console.print(f"  [green]●[/] [bold]{escape(e['citation'])}[/] — {escape(e['summary'])}  [dim]{escape(e['location'])}[/]",
                          highlight=False)  # fmt: skip
            if e["inputs"]:
                console.print(f"      {t['in']}: " + ", ".join(f"{escape(k)}={_v(v)}" for k, v in e["inputs"].items()), highlight=False)
            for name, p in e["parameters"].items():
                valid = f"{t['valid']} {p['valid_from']} – {p['valid_to'] or t['open']}; {escape(p['citation'] or '')}" if p["valid_from"] else ""
                console.print(f"      {t['law']}: {escape(name)} = {_v(p['value'])} ({valid})", highlight=False)
            console.print(f"      {t['out']}: " + ", ".join(f"{escape(k)}={_v(v)}" for k, v in e["outputs"].items()), highlight=False)
        quiet = [x["citation"] for x in entries if not x["fired"]]
        if quiet:
            console.print(f"  [dim]{t['not']}: {escape('; '.join(quiet))}[/]", highlight=False)
