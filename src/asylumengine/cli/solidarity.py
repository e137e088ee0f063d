"""`asylum solidarity`: one cycle of the solidarity mechanism, with its what-ifs and its procedure.

Parses the options (key data, fixed shares, dated deduction requests and systemic-shortcomings
findings, the Forum, the SAR share) into the engine's Python API and renders the result.
Nothing here computes law; bad input is one line naming the file/option, row and field, exit 2.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer

from asylumengine.cli import render_procedure
from asylumengine.data.figures import DataError, get_vintage
from asylumengine.data.member_states import to_iso
from asylumengine.solidarity import (
    DeductionRequest,
    Interpretation,
    OffsetRequest,
    SystemicFinding,
    compute_cycle,
    load_classifications,
    load_key_data,
    load_pledges,
)
from asylumengine.solidarity.errors import SolidarityError

DateOpt = Annotated[Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"], help="Date whose law applies (default: 1 Jan of the year, or 12 Jun 2026 if later).")]  # fmt: skip


class OptionError(ValueError):
    """A malformed option value (names the option and what was given)."""


def _pairs(option: str, values: list[str] | None) -> list[tuple[str, str]]:
    out = []
    for raw in values or []:
        code, sep, rest = raw.partition("=")
        if not sep or not code.strip() or not rest.strip():
            raise OptionError(f"{option} '{raw}': expected MS=VALUE, e.g. {option} NL=...")
        out.append((_state(option, raw, code), rest.strip()))
    return out


def _state(option: str, raw: str, code: str) -> str:
    try:
        return to_iso(code.strip())
    except ValueError as exc:  # the error names the option and the text it came from
        raise OptionError(f"{option} '{raw}': {exc}") from None


def _date(option: str, raw: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise OptionError(f"{option} '{raw}': '{text}' is not a date (YYYY-MM-DD)") from None


def fixed_shares(values: list[str] | None) -> dict[str, float]:
    """--fixed-share NL=5.2 (percent; repeatable)."""
    out: dict[str, float] = {}
    for ms, text in _pairs("--fixed-share", values):
        try:
            share = float(text.rstrip("%"))
        except ValueError:
            raise OptionError(f"--fixed-share {ms}={text}: '{text}' is not a number (percent)") from None
        if not 0 <= share <= 100:
            raise OptionError(f"--fixed-share {ms}={text}: a share must be between 0 and 100 percent")
        if ms in out:
            raise OptionError(f"--fixed-share {ms}: given twice")
        out[ms] = share
    if sum(out.values()) > 100:
        raise OptionError(f"--fixed-share: the fixed shares add up to {sum(out.values()):g}%: over 100%")
    return out


def deduction_requests(values: list[str] | None) -> list[DeductionRequest]:
    """--deduction-request AT=2026-07-01 or AT=2026-07-01,2026-07-03 (submitted, received)."""
    out = []
    for ms, text in _pairs("--deduction-request", values):
        submitted, _, received = text.partition(",")
        raw = f"{ms}={text}"
        out.append(DeductionRequest(member_state=ms, requested_on=_date("--deduction-request", raw, submitted),
                                    received_on=_date("--deduction-request", raw, received) if received else None))  # fmt: skip
    return out


def offset_requests(values: list[str] | None) -> list[OffsetRequest]:
    """--offset-request NL=IT:200:2026-07-01 (to NL, from IT, 200 applications, received on that day)."""
    out = []
    for ms, text in _pairs("--offset-request", values):
        parts = text.split(":")
        if len(parts) != 3 or not parts[1].isdigit() or int(parts[1]) < 1:
            raise OptionError(f"--offset-request {ms}={text}: expected TO=FROM:APPLICATIONS:DATE, e.g. NL=IT:200:2026-07-01")
        out.append(OffsetRequest(member_state=ms, requested_by=_state("--offset-request", f"{ms}={text}", parts[0]), applications=int(parts[1]),
                                 received_on=_date("--offset-request", f"{ms}={text}", parts[2])))  # fmt: skip
    return out


def systemic_findings(values: list[str] | None) -> list[SystemicFinding]:
    """--systemic-finding GR=2026-07-12 (shortcomings found), or GR=2026-10-15:none (the check found none)."""
    out = []
    for ms, text in _pairs("--systemic-finding", values):
        day, _, outcome = text.partition(":")
        if outcome not in ("", "found", "none"):
            raise OptionError(f"--systemic-finding {ms}={text}: the outcome after ':' must be 'found' or 'none'")
        out.append(SystemicFinding(member_state=ms, decided_on=_date("--systemic-finding", f"{ms}={text}", day),
                                   found=outcome != "none", source="input (--systemic-finding)"))  # fmt: skip
    return out


def run_cycle(options: dict) -> object:
    """The cycle for the parsed options (raises the engine's user errors)."""
    key_path, pledges, classes = options.pop("key_data"), options.pop("pledges"), options.pop("classification")
    fixed = fixed_shares(options.pop("fixed_share"))
    if options.get("vintage") is not None:
        try:
            get_vintage(options["vintage"])
        except DataError as exc:  # the error names the option the text came from
            raise DataError(f"--vintage: {exc}") from None
    try:
        return compute_cycle(
            options.pop("year"),
            key_data=load_key_data(key_path) if key_path else None,
            key_source=str(key_path) if key_path else None,
            fixed_shares=fixed,
            deduction_requests=deduction_requests(options.pop("deduction_request")),
            systemic_findings=systemic_findings(options.pop("systemic_finding")),
            offset_requests=offset_requests(options.pop("offset_request")),
            pledges=load_pledges(pledges) if pledges else None,
            classifications=load_classifications(classes) if classes else None,
            **options,
        )  # fmt: skip
    except SolidarityError as exc:
        where = error_source(str(exc), key_path, pledges, classes, fixed)
        if where:
            raise SolidarityError(f"{where}: {exc}") from None
        raise


def error_source(message: str, key_path, pledges, classes, fixed) -> str | None:
    """The file or option an engine error comes from, so that the message names it."""
    if "fixed share" in message and fixed:
        return f"{key_path} / --fixed-share" if key_path else "--fixed-share"
    if message.startswith("pledge for") and pledges:
        return str(pledges)
    if message.startswith("classification for") and classes:
        return str(classes)
    return None


def focus_state(state: str | None) -> str | None:
    try:
        return to_iso(state) if state else None
    except ValueError as exc:  # the error names the option the text came from
        raise SolidarityError(f"--state: {exc}") from None


def solidarity(
    year: Annotated[int, typer.Option(min=2024, max=2100, help="Cycle year (the Pool adopted for that year is the default).")] = 2026,
    on: DateOpt = None,
    pool_relocations: Annotated[Optional[float], typer.Option(help="Pool size in relocations (EUR follows from the Art 12(3) ratio).")] = None,
    pool_eur: Annotated[Optional[float], typer.Option(help="Pool size in EUR (relocations follow from the ratio).")] = None,
    proposed_relocations: Annotated[Optional[float], typer.Option(help="Relocations in the Commission's Art 12 proposal (Art 63(1) test); default: the pool's.")] = None,
    pledges: Annotated[Optional[Path], typer.Option(help="Pledge file (CSV/YAML/JSON): member_state, relocations, financial_eur, ...; states not listed keep the default.")] = None,
    classification: Annotated[Optional[Path], typer.Option(help="Classification file: member_state, status, benefitting, deduction, ...")] = None,
    key_data: Annotated[Optional[Path], typer.Option(help="Key data file (CSV/YAML/JSON): member_state, population, gdp, source [, fixed_share]: the key runs over these states.")] = None,
    fixed_share: Annotated[Optional[list[str]], typer.Option(help="Fix a state's share in percent, e.g. NL=5.2 (repeatable); the others from the data, scaled.")] = None,
    forum_reconvened: Annotated[bool, typer.Option("--forum-reconvened/--no-forum-reconvened", help="Art 13(4): the High-Level Forum was reconvened (precondition of mandatory offsets, Art 63(3)).")] = True,
    deduction_request: Annotated[Optional[list[str]], typer.Option(help="A deduction request (Art 61, 62): MS=SUBMITTED[,RECEIVED], e.g. AT=2026-07-01 (repeatable).")] = None,
    offset_request: Annotated[Optional[list[str]], typer.Option(help="A request to take over applications (Art 63, 69): TO=FROM:N:RECEIVED, e.g. NL=IT:200:2026-07-01.")] = None,
    systemic_finding: Annotated[Optional[list[str]], typer.Option(help="A Commission decision on systemic shortcomings (Art 60(3)): MS=DATE[:found|none], e.g. GR=2026-07-12.")] = None,
    sar_share: Annotated[Optional[float], typer.Option(help="Council act's indicative share of the Pool for SAR states (Art 57(2)), a fraction, e.g. 0.25.")] = None,
    vintage: Annotated[Optional[str], typer.Option(help="Data vintage for the key (see `asylum vintages`).")] = None,
    state: Annotated[Optional[str], typer.Option(help="Show one Member State step by step (ISO or Eurostat code).")] = None,
    shortcomings_effect: Annotated[str, typer.Option(help="Art 60(3): pledges towards a state with systemic shortcomings are 'release'd or 'redistribute'd.")] = "release",
    offset_ceiling: Annotated[str, typer.Option(help="Art 63(3) ceiling counts 'relocations_and_offsets' or 'offsets_only'.")] = "relocations_and_offsets",
    format: Annotated[render_procedure.Format, typer.Option("--format", "-f", help="Output format.")] = render_procedure.Format.text,
) -> None:
    """One solidarity cycle (AMMR Part IV): fair shares, pool, pledges, offsets, deductions, who owes what to whom."""
    from asylumengine.cli.main import USER_ERRORS, _console, _fail

    try:
        interp = Interpretation(systemic_shortcomings_effect=shortcomings_effect, mandatory_offset_ceiling_counts=offset_ceiling,
                                reconvened_forum_held=forum_reconvened)  # fmt: skip
    except ValueError:
        _fail(ValueError("--shortcomings-effect must be 'release' or 'redistribute'; "
                         "--offset-ceiling must be 'relocations_and_offsets' or 'offsets_only'"))  # fmt: skip
    options = dict(year=year, on=on.date() if on else None, pool_relocations=pool_relocations, pool_eur=pool_eur,
                   proposed_relocations=proposed_relocations, pledges=pledges, classification=classification,
                   key_data=key_data, fixed_share=fixed_share, deduction_request=deduction_request,
                   systemic_finding=systemic_finding, offset_request=offset_request, sar_share=sar_share, vintage=vintage, interpretation=interp)  # fmt: skip
    try:
        result = run_cycle(options)
        focus = focus_state(state)
        if focus and focus not in result.participating:
            raise SolidarityError(f"--state {focus}: not in the set of states of the key")
    except (OptionError, *USER_ERRORS) as exc:
        _fail(exc)
    render_procedure.emit(_console(), result, format, focus)
