"""Report texts in English and Dutch, and numbers and dates per locale (Babel).

    >>> tx = Texts("nl")
    >>> tx("memo.manifest")              # a key from locale/nl.yaml
    'Manifest'
    >>> tx.num(1234.5, 1), tx.date(dt.date(2026, 12, 1))
    ('1.234,5', '1 december 2026')

Every report string lives in ``locale/<lang>.yaml`` (one flat mapping per language; a test
checks both have the same keys). Texts the engines produce in English only (route open points,
solidarity notes) are translated by ``locale/engine_texts_nl.yaml``: patterns with {placeholders};
a text without a pattern is shown as it is, marked as English (``lang="en"``), and counted so the
report can say so.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml
from babel.dates import format_date
from babel.numbers import format_decimal

LANGS = ("en", "nl")
LOCALES = {"en": "en_GB", "nl": "nl_NL"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_IN_TEXT = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_KIND_REGEX = {"ms": "[A-Z]{2}", "date": r"\d{4}-\d{2}-\d{2}", "eur": r"[\d,]+"}


def _locale_file(name: str) -> str:
    return (resources.files("asylumengine.reports") / "locale" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """The flat key -> text mapping of one language."""
    check_lang(lang)
    cat = yaml.safe_load(_locale_file(f"{lang}.yaml"))
    if lang == "nl":  # Dutch parameter descriptions (English ones are in sim.scenario.REGISTRY)
        cat.update(yaml.safe_load(_locale_file("params_nl.yaml")))
    return cat


def check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang: must be one of {', '.join(LANGS)}, got {lang!r}")


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern
    template: str
    kinds: dict[str, str]  # placeholder -> "" (copied), "date" (reformatted), "text" (translated again)


@lru_cache(maxsize=1)
def _engine_texts() -> dict:
    return yaml.safe_load(_locale_file("engine_texts_nl.yaml"))


@lru_cache(maxsize=1)
def engine_patterns() -> tuple[Pattern, ...]:
    """English engine texts (patterns with {name} or {name:date|text}) and their Dutch wording."""
    out = []
    for entry in _engine_texts()["patterns"]:
        parts = re.split(r"\{(\w+)(?::(\w+))?\}", entry["en"])
        regex, kinds = "", {}
        for i in range(0, len(parts), 3):
            regex += re.escape(parts[i])
            if i + 1 < len(parts):
                kinds[parts[i + 1]] = parts[i + 2] or ""
                regex += f"(?P<{parts[i + 1]}>{_KIND_REGEX.get(parts[i + 2] or '', '.+?')})"
        template = re.sub(r"\{(\w+):\w+\}", r"{\1}", entry["nl"])
        out.append(Pattern(re.compile(f"^{regex}$", re.DOTALL), template, kinds))
    return tuple(out)


@dataclass
class Texts:
    """Catalogue lookup and locale formatting for one report language."""

    lang: str
    untranslated: list[str] = field(default_factory=list)  # engine texts shown in English
    engine_native: bool = False  # the engine already wrote its texts in this language (a route computed with lang=)

    def __post_init__(self) -> None:
        check_lang(self.lang)
        self.locale = LOCALES[self.lang]
        self.cat = catalogue(self.lang)

    def __call__(self, key: str, **kw) -> str:
        text = self.cat[key]
        return text.format(**kw) if kw else text

    def has(self, key: str) -> bool:
        return key in self.cat

    # --- numbers and dates ---------------------------------------------------------------
    def num(self, x: float, decimals: int = 0) -> str:
        fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
        with decimal.localcontext() as ctx:  # room for every digit of the largest float (1.8e308), not 28
            ctx.prec = 330
            return format_decimal(x, format=fmt, locale=self.locale)

    def signed(self, x: float, decimals: int = 0) -> str:
        s = self.num(abs(x), decimals)
        return s if s.strip("0.,") == "" else ("+" if x > 0 else "−") + s

    def pct(self, percent: float, decimals: int = 1) -> str:
        """A value already in percent (5.215 -> '5.2%' / '5,2%')."""
        return self.num(percent, decimals) + "%"

    def eur(self, x: float) -> str:
        return self("fmt.eur", amount=self.num(x))

    def eur_million(self, x: float, decimals: int = 1) -> str:
        return self("fmt.eur_million", amount=self.num(x / 1e6, decimals))

    def date(self, d: dt.date | None) -> str:
        return "–" if d is None else format_date(d, format="long", locale=self.locale)

    def dates(self, text: str) -> str:
        """ISO dates inside a text (2026-07-03) written per locale (3 juli 2026 / 3 July 2026)."""
        return _ISO_IN_TEXT.sub(lambda m: self.date(dt.date(int(m[1]), int(m[2]), int(m[3]))), text)

    def yes_no(self, b: bool) -> str:
        return self("word.yes") if b else self("word.no")

    # --- engine texts --------------------------------------------------------------------
    def engine(self, text: str) -> tuple[str, bool]:
        """(text in the report language, translated?). English reports, and engine texts already in
        the report's language, show the text as it is."""
        if self.lang == "en" or self.engine_native:
            return self.dates(text), True
        for p in engine_patterns():
            m = p.regex.match(text)
            if m:
                values = {k: self._placeholder(v, p.kinds[k]) for k, v in m.groupdict().items()}
                return self.dates(p.template.format(**values)), True
        if text not in self.untranslated:  # said once in the report's annex
            self.untranslated.append(text)
        return text, False

    def citation(self, text: str) -> str:
        """A citation in the report language: identifiers stay, remarks in them are translated."""
        if self.lang == "en" or self.engine_native:
            return text
        for p in engine_patterns():
            m = p.regex.match(text)
            if m:
                return p.template.format(**{k: self._placeholder(v, p.kinds[k]) for k, v in m.groupdict().items()})
        for en, nl in _engine_texts()["citation_terms"].items():
            text = text.replace(en, nl)
        return text

    def _placeholder(self, value: str, kind: str) -> str:
        if kind == "date" and _ISO_DATE.match(value):
            return self.date(dt.date.fromisoformat(value))
        if kind == "eur":
            return self.eur(float(value.replace(",", "")))
        if kind == "text":
            return self.engine(value)[0]
        return value
