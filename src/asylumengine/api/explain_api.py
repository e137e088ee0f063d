"""Explain an article: the rules that encode it (from the rule registry) and its verbatim text."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Query

from asylumengine.api.errors import ApiError
from asylumengine.cli import registry as loader
from asylumengine.law import rules as registry

router = APIRouter(prefix="/api", tags=["law"])


@lru_cache(maxsize=1)
def _loaded() -> None:
    loader.load_all()


def _text_stems() -> list[str]:
    root = resources.files("asylumengine.law") / "sources"
    return sorted(p.name[:-3] for p in root.iterdir() if p.name.endswith(".md"))


def _prefixes(article: str) -> list[str]:
    """'APR Art 42(1)(c)' -> ['APR Art 42(1)(c)', 'APR Art 42(1)', 'APR Art 42'] (finest first)."""
    out = [article.strip()]
    while re.search(r"\([^()]*\)$", out[-1]):
        out.append(re.sub(r"\([^()]*\)$", "", out[-1]))
    return out


def verbatim(article: str) -> dict | None:
    """The verbatim text whose heading names the article (a whole word, so Art 3 is not Art 33)."""
    for prefix in _prefixes(article):
        for stem in _text_stems():
            try:
                heading, body = registry.article_text(f"{stem}#{prefix} ")
            except registry.TextNotFound:
                continue
            return {"id": f"{stem}#{prefix}", "heading": heading, "text": body}
    return None


def rule_body(r: registry.Rule) -> dict:
    text = None
    if r.text:
        try:
            heading, body = registry.article_text(r.text)
            text = {"id": r.text, "heading": heading, "text": body}
        except registry.TextNotFound:
            text = None
    return {"citation": r.citation, "also": list(r.also), "summary": r.summary, "engine": r.engine, "regime": r.regime,
            "params": list(r.params), "reads": list(r.reads), "produces": list(r.produces), "rule": r.name, "text": text}  # fmt: skip


@router.get("/explain", summary="An article: the rules encoding it and its verbatim text; 404 with the closest ones")
def explain(article: Annotated[str, Query(min_length=3, max_length=80, description="e.g. 'APR Art 42(1)(c)'")]) -> dict:
    _loaded()
    found = registry.find(article)
    text = verbatim(article)
    if not found and text is None:
        raise ApiError(404, f"article {article!r} is not encoded and no text of it is shipped", field="article",
                       closest=registry.closest(article))  # fmt: skip
    return {"article": article, "encoded": bool(found), "rules": [rule_body(r) for r in found], "text": text}


@router.get("/articles", summary="Every article the engines encode")
def articles() -> list[str]:
    _loaded()
    return registry.articles()
