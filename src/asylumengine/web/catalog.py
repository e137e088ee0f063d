"""UI strings, one catalogue per language (``i18n/<lang>.yaml``); both have the same keys (tested)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

LANGS = ("en", "nl")


@lru_cache(maxsize=len(LANGS))
def catalogue(lang: str) -> dict[str, str]:
    if lang not in LANGS:
        raise ValueError(f"lang: must be one of {', '.join(LANGS)}, got {lang!r}")
    text = (resources.files("asylumengine.web") / "i18n" / f"{lang}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def pick_lang(query: str | None, cookie: str | None, accept: str | None) -> str:
    """?lang= first, then the cookie the switch sets, then the browser's preference; English else."""
    for choice in (query, cookie):
        if choice in LANGS:
            return choice
    if accept and accept.lower().startswith("nl"):
        return "nl"
    return "en"
