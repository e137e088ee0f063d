"""The words of the route output, in English and Dutch, from gettext catalogues.

    message("step.reply.title", "nl", responsible="IT")  -> 'Antwoord van IT'
    text("step.reply.title", responsible="IT")           -> Text(en='Reply by IT', nl='Antwoord van IT')

The texts live in ``asylumengine/locale/<lang>/LC_MESSAGES/routes.po`` (read with Babel at run
time, so a translator edits a .po file and nothing else). Message ids are stable keys such as
``step.transfer.title``; placeholders are named (``{state}``, ``{date}``) and the same in every
language (tests/test_messages.py checks every id has a text with the same placeholders in both).
A placeholder's value may itself be a :class:`Text`: each language then gets its own words.
"""

from __future__ import annotations

import string
from functools import lru_cache
from importlib import resources

from babel.messages.pofile import read_po

from asylumengine.routes.model import Text

LANGS = ("en", "nl")
DOMAIN = "routes"


class MessageError(KeyError):
    """A message id that a catalogue lacks (names the catalogue and the id)."""


def catalogue_path(lang: str):
    return resources.files("asylumengine").joinpath(f"locale/{lang}/LC_MESSAGES/{DOMAIN}.po")


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """Message id -> text, for one language (read once)."""
    if lang not in LANGS:
        raise MessageError(f"language '{lang}' is not one of {', '.join(LANGS)}")
    with catalogue_path(lang).open("rb") as fh:
        cat = read_po(fh, locale=lang, domain=DOMAIN)
    return {m.id: m.string for m in cat if m.id and isinstance(m.id, str)}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def message(key: str, lang: str, **values) -> str:
    try:
        template = catalogue(lang)[key]
    except KeyError:
        raise MessageError(f"{catalogue_path(lang)}: no message '{key}'") from None
    if not values:
        return template
    return template.format(**{k: getattr(v, lang) if isinstance(v, Text) else v for k, v in values.items()})


def _text(en: str, nl: str) -> Text:
    """Both strings are ours (catalogue templates filled in): no validation needed."""
    return Text.model_construct(en=en, nl=nl)


def text(key: str, **values) -> Text:
    return _text(message(key, "en", **values), message(key, "nl", **values))


def plain(value: str) -> Text:
    """A text that is the same in every language (a country code, a date, a citation)."""
    return _text(value, value)


def join(parts: list[Text], sep: str = ", ") -> Text:
    return _text(sep.join(p.en for p in parts), sep.join(p.nl for p in parts))


@lru_cache(maxsize=None)
def _terms(lang: str) -> tuple[tuple[str, str], ...]:
    en, other = catalogue("en"), catalogue(lang)
    pairs = [(en[k], other[k]) for k in en if k.startswith("term.")]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def cite(citation: str, lang: str) -> str:
    """A citation in the words of ``lang``: 'Directive 2013/32/EU Art 43' -> 'Richtlijn 2013/32/EU art. 43'.
    Written in English in the code; the instrument words are translated from the ``term.*`` messages."""
    if lang == "en":
        return citation
    for en, other in _terms(lang):
        citation = citation.replace(en, other)
    return citation


def cited(citation: str) -> Text:
    """A citation as a text: the same reference, in each language's words."""
    return _text(citation, cite(citation, "nl"))


def pick(value: Text | None, lang: str) -> str | None:
    return None if value is None else getattr(value, lang)
