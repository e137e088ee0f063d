"""The parts of a memo report (summary, sections with tables and charts, annex, manifest) and
their rendering to one self-contained HTML file through the Jinja2 template in ``templates/``.

Deterministic: no clock, fixed element ids, plotly.js from the Python package inline (no CDN).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from asylumengine.reports.i18n import Texts


@dataclass
class Cell:
    text: str
    lang: str | None = None  # "en" for a text shown in English inside a Dutch report (quoted verbatim)
    num: bool = False  # right-aligned figure
    code: bool = False  # an identifier (parameter key, citation id): shown in monospace, not translated

    @classmethod
    def of(cls, value: Any) -> Cell:
        return value if isinstance(value, Cell) else cls(str(value))


@dataclass
class Table:
    id: str
    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""


@dataclass
class Section:
    id: str
    heading: str
    paragraphs: list[Cell] = field(default_factory=list)
    items: list[Cell] = field(default_factory=list)  # a bulleted list
    tables: list[Table] = field(default_factory=list)
    charts: list[Markup] = field(default_factory=list)


@dataclass
class Doc:
    kind: str  # route | solidarity | comparison
    title: str
    subtitle: str
    summary: list[Cell]
    sections: list[Section]
    annex: list[Section]
    manifest: dict[str, Any]


def table(tid: str, caption: str, columns: list[str], rows: list[list[Any]], note: str = "") -> Table:
    return Table(tid, caption, columns, [[Cell.of(c) for c in row] for row in rows], note)


def engine_cell(tx: Texts, text: str) -> Cell:
    """An engine's English text, in Dutch where the catalogue has it, else marked as English."""
    out, ok = tx.engine(text)
    return Cell(out, lang=None if ok else "en")


def chart(fig, div_id: str) -> Markup:
    """A plotly figure as a <div> (plotly.js is inlined once in the page head), named by its title for screen readers."""
    body = fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config={"displaylogo": False, "responsive": True})
    title = fig.layout.title.text or div_id
    return Markup('<div role="figure" aria-label="{}">').format(title) + Markup(body) + Markup("</div>")


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=PackageLoader("asylumengine.reports", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)  # fmt: skip
    return env


@lru_cache(maxsize=1)
def _plotlyjs() -> Markup:
    from plotly.offline import get_plotlyjs

    return Markup(get_plotlyjs())


def manifest_rows(tx: Texts, m: dict[str, Any]) -> list[list[Cell]]:
    rows = [[Cell(tx(f"manifest.{k}")), Cell("–" if m.get(k) is None else str(m[k]), code=True)]
            for k in ("code_version", "law_hash", "data_hash", "seed")]  # fmt: skip
    return rows


def render(doc: Doc, tx: Texts) -> str:
    """The whole report as one HTML string."""
    untranslated = (tx("memo.untranslated_note", n=tx.num(len(tx.untranslated))) if tx.untranslated else "")
    return _env().get_template("memo.html.j2").render(
        doc=doc, tx=tx, lang=tx.lang, plotlyjs=_plotlyjs() if any(s.charts for s in doc.sections) else "",
        manifest_rows=manifest_rows(tx, doc.manifest),
        manifest_inputs=json.dumps(doc.manifest.get("inputs", {}), indent=2, sort_keys=True, ensure_ascii=False, default=str),
        untranslated=untranslated,
    )  # fmt: skip
