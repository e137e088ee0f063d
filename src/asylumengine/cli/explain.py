"""`asylum explain ARTICLE`: the rules that encode an article, in one hop - where they are (src file:line),
the article's verbatim text, the law parameters they read with their dated values, and the tests
that cover them (case files whose `article:` cites it, test files that name the rule)."""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Optional

import typer
import yaml
from rich.console import Console
from rich.markup import escape

from asylumengine.cli.registry import load_all
from asylumengine.law import law_parameters
from asylumengine.law.rules import Rule, TextNotFound, article_text, articles, closest, find, normalise

ROOT = Path(__file__).resolve().parents[3]  # the checkout (tests/ and src/ side by side)
GENERIC_TESTS = ("tests/test_rules.py",)  # check every rule alike: named once, not per rule

LABELS = {
    "en": {"rules": "Encoded by", "text": "Article text", "params": "Law parameters read", "tests": "Tests", "cases": "case files",
           "files": "test files", "none": "none", "reads": "reads", "produces": "produces", "regime": "regime",
           "valid": "valid", "open": "open end", "no_text": "(no verbatim text linked)", "list": "Encoded articles"},
    "nl": {"rules": "Gecodeerd in", "text": "Tekst van het artikel", "params": "Gelezen wettelijke parameters", "tests": "Tests",
           "cases": "casusbestanden", "files": "testbestanden", "none": "geen", "reads": "leest", "produces": "bepaalt",
           "regime": "regime", "valid": "geldig", "open": "open einde", "no_text": "(geen letterlijke tekst gekoppeld)",
           "list": "Gecodeerde artikelen"},
}  # fmt: skip


class NotEncoded(LookupError):
    """An article no registered rule encodes."""


# --- citations as written in case files ----------------------------------------------------------


ALIASES = {"Screening Regulation (EU) 2024/1356": "SR", "Screening Regulation": "SR"}  # as the rules cite them


def alias(citation: str) -> str:
    for long, short in ALIASES.items():
        citation = citation.replace(long, short)
    return citation


def expand(citations: str) -> list[str]:
    """'APR Art 43(1)(b); Art 45(1); Art 42(1)(e), (j)' -> each single citation, the act carried over;
    remarks in brackets ('(Kamerstuk 36 703)') dropped."""
    out, act = [], ""
    citations = re.sub(r"\s\([^()]*\s[^()]*\)", "", alias(citations))
    for part in (p.strip() for p in citations.split(";") if p.strip()):
        m = re.match(r"^(.*?)\bArt\b", part)
        if m and m.group(1).strip():
            act = m.group(1).strip()
        elif act and part.startswith("Art"):
            part = f"{act} {part}"
        out.extend(_points(part))
    return out


def _points(cite: str) -> list[str]:
    """'AMMR Art 25(1), 25(5)' / 'Art 42(1)(e), (j)' / 'Art 45(1)-(3)' -> the single points."""
    head, *rest = [c.strip() for c in cite.split(",")]
    m = re.match(r"^(.*\bArt \d+\w*)(.*)$", head)
    if not m:
        return [head]
    article, points = m.group(1), [m.group(2)]
    for extra in rest:
        if extra.startswith("("):  # another point of the same paragraph
            points.append(re.sub(r"\([^()]*\)$", "", points[0]) + extra)
        elif re.match(r"^\d", extra):  # another paragraph of the same article
            points.append(extra[len(re.match(r"^\d+\w*", extra).group(0)):])
    return [f"{article}{p}" for pts in points for p in _range(pts)]


def _range(points: str) -> list[str]:
    m = re.match(r"^(.*)\((\w)\)-\((\w)\)$", points)
    if not m:
        return [points]
    lo, hi = m.group(2), m.group(3)
    if lo.isdigit() and hi.isdigit():
        return [f"{m.group(1)}({i})" for i in range(int(lo), int(hi) + 1)]
    return [f"{m.group(1)}({chr(c)})" for c in range(ord(lo), ord(hi) + 1)]


def covers(cited: str, article: str) -> bool:
    """Does a citation cover the article: the same, a finer point inside it, or the article whole?"""
    c, a = normalise(cited), normalise(article)
    return c == a or (c.startswith(a) and c[len(a)] in "(-") or (a.startswith(c) and a[len(c)] == "(")


def _coarser(cited: str, article: str) -> bool:
    c, a = normalise(cited), normalise(article)
    return a.startswith(c) and len(a) > len(c)


@lru_cache(maxsize=1)
def _case_files() -> tuple[tuple[str, int, str, tuple[str, ...]], ...]:
    """(file, line, case name, citations) for every case with an `article:` under tests/cases and examples."""
    found = []
    for path in sorted([*ROOT.glob("tests/cases/**/*.yaml"), *ROOT.glob("examples/cases/*.yaml")]):
        text = path.read_text(encoding="utf-8")
        doc = yaml.safe_load(text) or {}
        for case in doc.get("cases", []) if isinstance(doc, dict) else []:
            if case.get("article"):
                line = next((i + 1 for i, ln in enumerate(text.splitlines()) if case["name"] in ln), 1)
                found.append((str(path.relative_to(ROOT)), line, case["name"], tuple(expand(str(case["article"])))))
    return tuple(found)


def case_tests(rule: Rule) -> list[tuple[str, int, str]]:
    """Case files whose `article:` cites one of the rule's citations."""
    cites = rule.citations
    return [(f, line, name) for f, line, name, arts in _case_files() if any(covers(a, c) for a in arts for c in cites)]


@lru_cache(maxsize=1)
def _test_sources() -> tuple[tuple[str, str], ...]:
    return tuple((str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in sorted(ROOT.glob("tests/*.py"))
                 if str(p.relative_to(ROOT)) not in GENERIC_TESTS)  # fmt: skip


def test_files(rule: Rule) -> list[str]:
    """Test modules that name the rule's function or quote one of its citations."""
    name = rule.func.__name__
    pattern = re.compile(rf"\b{re.escape(name)}\b|" + "|".join(re.escape(c) for c in rule.citations))
    return [path for path, text in _test_sources() if pattern.search(text)]


# --- what explain shows ------------------------------------------------------------------------------


def _parameter(name: str, on: dt.date | None) -> dict:
    p = law_parameters().parameter(name)
    periods = [{"value": v.value, "valid_from": v.valid_from.isoformat(), "valid_to": v.valid_to.isoformat() if v.valid_to else None,
                "citation": v.citation, "in_force": on is not None and v.covers(on)} for v in p.values]  # fmt: skip
    return {"name": name, "description": p.description, "unit": p.unit, "values": periods}


def _text(rule: Rule, article: str) -> dict | None:
    if not rule.text:
        return None
    try:
        heading, body = article_text(rule.text)
    except TextNotFound:
        return None
    return {"id": rule.text, "heading": heading, "body": body, "excerpt": excerpt(body, article)}


def excerpt(body: str, citation: str) -> str | None:
    """The quoted paragraph (and point) a citation names, e.g. 'Art 42(1)(c)': paragraph 1's opening
    words and point (c). None when the text is not quoted paragraph by paragraph."""
    m = re.search(r"Art \d+\w*\((\d+)\)(?:\((\w+)\))?", citation)
    if not m:
        return None
    para, point = m.groups()
    lines = [ln for ln in body.splitlines() if ln.startswith(">") and ln.strip("> ")]
    start = next((i for i, ln in enumerate(lines) if re.match(rf"^>\s*{para}\.\s", ln)), None)
    if start is None:  # a definitions article: numbered points '(10)' instead of paragraphs
        hit = [ln for ln in lines if re.match(rf"^>\s*\({para}\)\s", ln)]
        return hit[0] if hit and not point else None
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"^>\s*\d+\.\s", lines[i])), len(lines))
    block = lines[start:end]
    if point:
        hit = [ln for ln in block if re.match(rf"^>\s*\({re.escape(point)}\)\s", ln)]
        block = [block[0], *hit] if hit else block
    return "\n".join(block)


def explanation(article: str, on: dt.date | None = None) -> dict:
    """Everything `asylum explain` shows, as data."""
    load_all()
    article = alias(article)
    found = find(article)
    rules = [r for r in found if any(covers(c, article) and not _coarser(c, article) for c in expand("; ".join(r.citations)))]
    if not rules:
        near = closest(article)
        coarser = sorted({c for r in found for c in r.citations if _coarser(c, article)})
        raise NotEncoded(f"'{article}' is not encoded by any rule." + (f" Closest encoded: {', '.join(near)}." if near else "")
                         + (f" Encoded as a whole: {', '.join(coarser)}." if coarser else "") + " See `asylum explain --list`.")  # fmt: skip
    out = []
    for r in rules:
        file, line = r.location
        out.append({"rule": r.name, "citation": r.citation, "also": list(r.also), "summary": r.summary, "engine": r.engine,
                    "regime": r.regime, "valid_from": _iso(r.valid_from), "valid_to": _iso(r.valid_to), "location": f"{file}:{line}", "reads": list(r.reads), "produces": list(r.produces),
                    "parameters": [_parameter(p, on) for p in r.params], "text": _text(r, article),
                    "case_tests": [{"file": f"{f}:{ln}", "case": n} for f, ln, n in case_tests(r)], "test_files": test_files(r)})  # fmt: skip
    return {"article": article, "rules": out}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def render(console: Console, data: dict, lang: str = "en", full: bool = False) -> None:
    t = LABELS[lang]
    console.print(f"[bold]{escape(data['article'])}[/]")
    texts_shown = set()
    for r in data["rules"]:
        cites = "; ".join([r["citation"], *r["also"]])
        console.print(f"\n[bold]{t['rules']}[/] {escape(r['location'])}  ({escape(r['rule'])})")
        console.print(f"  {escape(cites)} — {escape(r['summary'])}", highlight=False)
        valid = f" ({t['valid']} {r['valid_from']} – {r['valid_to'] or t['open']})" if r["valid_from"] else ""
        console.print(f"  {t['regime']}: {r['regime']}{valid}   {t['reads']}: {escape(', '.join(r['reads']))}   "
                      f"{t['produces']}: {escape(', '.join(r['produces']))}", highlight=False)  # fmt: skip
        if r["parameters"]:
            console.print(f"  [bold]{t['params']}[/]")
            for p in r["parameters"]:
                for v in p["values"]:
                    mark = " *" if v["in_force"] else ""
                    console.print(f"    {escape(p['name'])} = {escape(json.dumps(v['value']))}  ({t['valid']} {v['valid_from']} – "
                                  f"{v['valid_to'] or t['open']}; {escape(v['citation'])}){mark}", highlight=False)  # fmt: skip
        tests = [c["file"] + "  " + c["case"] for c in r["case_tests"]] + r["test_files"]
        console.print(f"  [bold]{t['tests']}[/]: " + (t["none"] if not tests else ""))
        for line in tests:
            console.print(f"    {escape(line)}", highlight=False)
        if r["text"] and r["text"]["id"] not in texts_shown:
            texts_shown.add(r["text"]["id"])
            console.print(f"\n  [bold]{t['text']}[/] — {escape(r['text']['heading'])} (law/sources/{r['text']['id'].split('#')[0]}.md)")
            shown = r["text"]["excerpt"] if r["text"]["excerpt"] and not full else r["text"]["body"]
            console.print(escape(shown), highlight=False, soft_wrap=True)
        elif not r["text"]:
            console.print(f"  {t['no_text']}")


def explain(
    article: Annotated[Optional[str], typer.Argument(help='An article, e.g. "APR Art 42(1)(c)" or "AMMR Art 29(4)".')] = None,
    list_: Annotated[bool, typer.Option("--list", help="List every encoded article.")] = False,
    on: Annotated[Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"], help="Mark the parameter values in force on this date.")] = None,
    lang: Annotated[str, typer.Option(help="en or nl (labels; rule summaries are in English).")] = "en",
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    full: Annotated[bool, typer.Option("--full", help="Print the whole article text, not only the paragraph and point cited.")] = False,
) -> None:
    """The rules that encode an article: code location, verbatim text, parameters, tests."""
    console = Console(width=None if __import__("sys").stdout.isatty() else 160)
    if lang not in LABELS or format not in ("text", "json"):
        _fail(f"--lang must be en or nl and --format text or json (got {lang!r}, {format!r})")
    if list_:
        load_all()
        listed = articles()
        if format == "json":
            typer.echo(json.dumps(listed, indent=2))
        else:
            console.print(f"[bold]{LABELS[lang]['list']}[/] ({len(listed)})")
            for a in listed:
                console.print(f"  {escape(a)}  ({len(find(a))})", highlight=False)
        return
    if not article:
        _fail("give an article, e.g. asylum explain \"APR Art 42(1)(c)\", or --list")
    try:
        data = explanation(article, on.date() if on else None)
    except NotEncoded as exc:
        _fail(str(exc))
    if format == "json":
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        render(console, data, lang, full)


def _fail(message: str) -> None:
    Console(stderr=True).print(f"[bold red]Error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)
