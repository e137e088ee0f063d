"""Rendering a route as a timeline (Rich), in English or Dutch (words from the route catalogues)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from asylumengine.routes import Route
from asylumengine.routes.messages import message


def _head(r: Route, lang: str) -> list[str]:
    def t(key: str, **values) -> str:
        return message(f"cli.{key}", lang, **values)

    def yn(b: bool) -> str:
        return t("yes") if b else t("no")

    regimes = " / ".join(message(f"regime.{r.regime[k]}", lang) for k in ("responsibility", "procedure", "return"))
    if not r.application_made:  # a person who has not applied: the screening and what follows only
        return [f"{t('regime')}: {regimes}  ({t('computed_on', date=r.computed_on)})", t("no_application"),
                f"{t('ends')}: {', '.join(message(f'terminal.{x}', lang) for x in r.terminal_states)}"]
    return [
        f"{t('regime')}: {regimes}  ({t('computed_on', date=r.computed_on)})",
        f"{t('responsible')}: [bold]{r.responsible_state}[/] — {r.responsibility_citation}   {t('examining')}: [bold]{r.examining_state}[/]",
        f"{t('request')}: {message(f'request.{r.request}', lang)}   {t('request_by', date=r.request_deadline or '-')}   "
        f"{t('reply_by', date=r.reply_deadline or '-')}   {t('transfer_by', date=r.transfer_deadline or '-')}",
        f"{t('border')}: {yn(r.border_procedure.applies)}"
        + (f" ({t('mandatory')})" if r.border_procedure.mandatory else "")
        + f"   {t('accelerated')}: {yn(r.accelerated_procedure.applies)}"
        + (f" ({t('mandatory')})" if r.accelerated_procedure.mandatory else "")
        + (f" ({t('may_apply')})" if r.accelerated_procedure.may_apply else ""),
        f"{t('ends')}: {', '.join(message(f'terminal.{x}', lang) for x in r.terminal_states)}",
    ]


def route_timeline(console: Console, r: Route, lang: str = "en") -> None:
    """The route's header and its steps; ``r`` should be built in ``lang`` (route(..., lang=lang))."""
    console.print(Panel("\n".join(_head(r, lang)), title=message("cli.title", lang, case=escape(r.case_id)), expand=False))
    table = Table(header_style="bold", show_lines=True)
    for key in ("step", "start", "deadline", "outcome", "basis"):
        table.add_column(message(f"cli.{key}", lang), overflow="fold")
    for s in r.steps:
        outcome = "\n".join(x for x in (s.outcome, " | ".join(s.branches)) if x)  # both: e.g. a screening under way and what follows
        deadline = str(s.deadline or "") + (f" … {s.deadline_latest}" if s.deadline_latest and s.deadline_latest != s.deadline else "")
        body = f"[bold]{getattr(s.title, lang)}[/]\n{getattr(s.explanation, lang)}"
        if s.open_points:
            body += "\n[yellow]" + "\n".join(f"• {p}" for p in s.open_points) + "[/]"
        table.add_row(body, str(s.start or ""), deadline, outcome, "; ".join(s.citations))
    console.print(table)
