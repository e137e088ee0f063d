"""Rendering a route as a timeline (Rich), in English or Dutch."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from asylumengine.routes import Route

L = {
    "en": {"responsible": "Responsible", "examining": "Examines", "request": "Request", "deadline": "Deadline", "step": "Step",
           "start": "Start", "outcome": "Outcome / branches", "basis": "Legal basis", "ends": "Can end in", "border": "Border procedure",
           "accel": "Accelerated procedure", "yes": "yes", "no": "no", "mandatory": "mandatory", "open": "Open points",
           "regime": "Law applied"},
    "nl": {"responsible": "Verantwoordelijk", "examining": "Behandelt", "request": "Verzoek", "deadline": "Termijn", "step": "Stap",
           "start": "Begin", "outcome": "Uitkomst / takken", "basis": "Grondslag", "ends": "Kan eindigen in", "border": "Grensprocedure",
           "accel": "Versnelde procedure", "yes": "ja", "no": "nee", "mandatory": "verplicht", "open": "Open punten",
           "regime": "Toegepast recht"},
}  # fmt: skip


def route_timeline(console: Console, r: Route, lang: str = "en") -> None:
    t = L[lang]

    def yn(b: bool) -> str:
        return t["yes"] if b else t["no"]

    head = [
        f"{t['regime']}: {r.regime['responsibility']} / {r.regime['procedure']} / {r.regime['return']}  (computed on {r.computed_on})",
        f"{t['responsible']}: [bold]{r.responsible_state}[/] — {r.responsibility_citation}   {t['examining']}: [bold]{r.examining_state}[/]",
        f"{t['request']}: {r.request}   request by {r.request_deadline or '-'}   reply by {r.reply_deadline or '-'}   "
        f"transfer by {r.transfer_deadline or '-'}",
        f"{t['border']}: {yn(r.border_procedure.applies)}"
        + (f" ({t['mandatory']})" if r.border_procedure.mandatory else "")
        + f"   {t['accel']}: {yn(r.accelerated_procedure.applies)}"
        + (f" ({t['mandatory']})" if r.accelerated_procedure.mandatory else ""),
        f"{t['ends']}: {', '.join(r.terminal_states)}",
    ]
    console.print(Panel("\n".join(head), title=f"Route — {r.case_id}", expand=False))
    table = Table(header_style="bold", show_lines=True)
    for col in (t["step"], t["start"], t["deadline"], t["outcome"], t["basis"]):
        table.add_column(col, overflow="fold")
    for s in r.steps:
        title = getattr(s.title, lang)
        expl = getattr(s.explanation, lang)
        outcome = s.outcome or (" | ".join(s.branches) if s.branches else "")
        deadline = str(s.deadline or "") + (f" … {s.deadline_latest}" if s.deadline_latest and s.deadline_latest != s.deadline else "")
        body = f"[bold]{title}[/]\n{expl}"
        if s.open_points:
            body += "\n[yellow]" + "\n".join(f"• {p}" for p in s.open_points) + "[/]"
        table.add_row(body, str(s.start or ""), deadline, outcome, "; ".join(s.citations))
    console.print(table)
