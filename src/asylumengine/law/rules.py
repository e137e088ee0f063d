"""Rules by article: every legal rule is a small function that names its article.

A rule is registered with the decorator ``@rule``. It declares

- ``citation``: the paragraph and point that decides, e.g. ``"APR Art 42(1)(c)"`` (more in ``also``);
- ``summary``: one line saying what the rule determines;
- ``engine``: ``routes``, ``solidarity`` or ``sim``; ``regime``: ``pact``, ``dublin-iii`` or ``any``;
- ``reads`` (population columns or inputs), ``params`` (law parameter paths, ``law/params``) and
  ``produces`` (what it determines);
- ``text``: the id of the article's verbatim text in ``law/sources/*.md``, written
  ``"<file stem>#<heading prefix>"`` (e.g. ``"routes-texts#APR Art 42"``); ``tests/test_rules.py``
  resolves every id.

The engines compose registered rules; the order and precedence of criteria and exceptions is
written once as data (ordered tables in the engines), not as nesting. ``asylum explain`` and
``docs/coverage.md`` are generated from this registry (Catala: the text stands next to the rule;
OpenFisca: one function per legal concept, its reference beside it, parameters read by path).
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable

ENGINES = ("routes", "solidarity", "sim")
REGIMES = ("any", "pact", "dublin-iii")


@dataclass(frozen=True)
class Rule:
    """One legal rule: the function that encodes it and what it declares about itself."""

    citation: str
    summary: str
    engine: str
    func: Callable = field(repr=False, compare=False)
    regime: str = "any"
    also: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    params: tuple[str, ...] = ()
    produces: tuple[str, ...] = ()
    text: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @cached_property  # the same string at every evaluation: built once
    def name(self) -> str:
        return f"{self.func.__module__}.{self.func.__qualname__}"

    @property
    def location(self) -> tuple[str, int]:
        """``src/``-relative file and first line of the rule function."""
        path = Path(inspect.getsourcefile(self.func) or "?")
        parts = path.parts
        rel = Path(*parts[parts.index("src"):]) if "src" in parts else path
        return str(rel), inspect.getsourcelines(self.func)[1]

    @property
    def citations(self) -> tuple[str, ...]:
        return (self.citation, *self.also)


RULES: dict[str, Rule] = {}  # by function name, in registration order


def rule(
    citation: str,
    summary: str,
    *,
    engine: str,
    regime: str = "any",
    also: tuple[str, ...] = (),
    reads: tuple[str, ...] = (),
    params: tuple[str, ...] = (),
    produces: tuple[str, ...] = (),
    text: str | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> Callable[[Callable], Callable]:
    """Register the decorated function as the rule encoding ``citation``."""
    if engine not in ENGINES:
        raise ValueError(f"rule {citation!r}: engine {engine!r} is not one of {ENGINES}")
    if regime not in REGIMES:
        raise ValueError(f"rule {citation!r}: regime {regime!r} is not one of {REGIMES}")

    def register(func: Callable) -> Callable:
        r = Rule(citation, summary, engine, func, regime, tuple(also), tuple(reads), tuple(params), tuple(produces),
                 text, valid_from, valid_to)  # fmt: skip
        RULES[r.name] = r
        func.rule = r  # the function knows its article (used by traces)
        return func

    return register


# --- finding rules by article ------------------------------------------------------------

_ABBREV = {"article": "art", "art.": "art", "artikel": "art", "regulation": "reg", "directive": "dir"}


def normalise(citation: str) -> str:
    """A citation in one spelling: lower case, 'Article' -> 'art', no spaces, no trailing dot."""
    words = [_ABBREV.get(w, w) for w in citation.lower().replace("\u2009", " ").split()]
    return "".join(words).rstrip(".")


def _split_cites(citation: str) -> list[str]:
    """'APR Art 42(1)(j); Art 45(1)' -> ['APR Art 42(1)(j)', 'APR Art 45(1)'] (the act carries over)."""
    parts = [p.strip() for p in citation.split(";") if p.strip()]
    out: list[str] = []
    act = ""
    for p in parts:
        m = re.match(r"^(.*?)\b(Art|Article)\b", p)
        if m and m.group(1).strip():
            act = m.group(1).strip()
        elif act and re.match(r"^(Art|Article)\b", p):
            p = f"{act} {p}"
        out.append(p)
    return out


def cited(rule_: Rule) -> list[str]:
    """Every single citation a rule carries, normalised."""
    return [normalise(c) for cite in rule_.citations for c in _split_cites(cite)]


def find(article: str) -> list[Rule]:
    """The rules that encode ``article``: an exact citation, or a finer one inside it
    ('APR Art 42' finds 'APR Art 42(1)(c)'), or the whole article when a rule cites it whole."""
    key = normalise(article)
    hits = []
    for r in RULES.values():
        for c in cited(r):
            finer = c.startswith(key) and (len(c) == len(key) or c[len(key)] in "(-")
            whole = key.startswith(c) and len(key) > len(c) and key[len(c)] == "("
            if c == key or finer or whole:
                hits.append(r)
                break
    return hits


def articles() -> list[str]:
    """Every encoded citation, sorted by act and article number."""
    seen = {c for r in RULES.values() for cite in r.citations for c in _split_cites(cite)}
    return sorted(seen, key=_sort_key)


def closest(article: str, n: int = 5) -> list[str]:
    """The encoded citations nearest to ``article`` (for the error on an unknown one)."""
    import difflib

    cands = articles()
    by_norm = {normalise(c): c for c in cands}
    near = difflib.get_close_matches(normalise(article), list(by_norm), n=n, cutoff=0.5)
    return [by_norm[k] for k in near]


def _sort_key(citation: str) -> tuple:
    nums = [int(x) for x in re.findall(r"\d+", citation)]
    return (citation.split(" Art")[0], nums, citation)


# --- verbatim texts ------------------------------------------------------------------------


def _sources_dir():
    return resources.files("asylumengine.law") / "sources"


@lru_cache(maxsize=1)
def _headings() -> dict[str, list[tuple[str, str]]]:
    """file stem -> [(heading, body)] for every Markdown heading in ``law/sources``."""
    out: dict[str, list[tuple[str, str]]] = {}
    for entry in sorted(_sources_dir().iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".md"):
            continue
        sections: list[tuple[str, str]] = []
        heading, body = None, []
        for line in entry.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                if heading is not None:
                    sections.append((heading, "\n".join(body).strip()))
                heading, body = line.lstrip("#").strip(), []
            else:
                body.append(line)
        if heading is not None:
            sections.append((heading, "\n".join(body).strip()))
        out[entry.name[:-3]] = sections
    return out


class TextNotFound(LookupError):
    """A rule's ``text`` id names no heading in ``law/sources``."""


def article_text(text_id: str) -> tuple[str, str]:
    """(heading, verbatim body) for a text id ``"<file stem>#<heading prefix>"``."""
    stem, _, prefix = text_id.partition("#")
    sections = _headings().get(stem)
    if sections is None:
        raise TextNotFound(f"text id {text_id!r}: no file law/sources/{stem}.md")
    for heading, body in sections:
        if heading.startswith(prefix):
            return heading, body
    raise TextNotFound(f"text id {text_id!r}: no heading starting with {prefix!r} in law/sources/{stem}.md")


# Importing every engine's rule modules is the interfaces' job (asylumengine.cli.registry.load_all):
# the law layer does not import engines (layers one way).
