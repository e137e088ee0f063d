"""The words of the route output, in English and Dutch, from gettext catalogues.

    message("step.reply.title", "nl", responsible="IT")  -> 'Antwoord van IT'
    text("step.reply.title", responsible="IT").nl        -> 'Antwoord van IT'

The texts live in ``asylumengine/locale/<lang>/LC_MESSAGES/routes.po`` (read with Babel at run
time, so a translator edits a .po file and nothing else). Message ids are stable keys such as
``step.transfer.title``; placeholders are named (``{state}``, ``{date}``) and the same in every
language (tests/test_messages.py checks every id has a text with the same placeholders in both).
A placeholder's value may itself be a :class:`Words` (or a :class:`Text`): each language then gets
its own words. ``text``, ``plain``, ``join`` and ``cited`` give :class:`Words`, worded only in the
languages asked for (``say(lang)``, ``.en``, ``.nl``): most texts of a route are shown in its
language alone, so the other is never formatted; ``both()`` gives the two as a :class:`Text`'s fields.
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
    return _filled(key, lang, values)


def _template(key: str, lang: str) -> str:
    try:
        return catalogue(lang)[key]
    except KeyError:
        raise MessageError(f"{catalogue_path(lang)}: no message '{key}'") from None


def _filled(key: str, lang: str, values: dict) -> str:
    template = _template(key, lang)
    if not values:
        return template
    return template.format_map({k: _in(v, lang) if isinstance(v, _WORDED) else v for k, v in values.items()})


def _in(value, lang: str):
    """A placeholder's value in ``lang``: words are worded in it, anything else is as given."""
    if isinstance(value, Words):
        return value.say(lang)
    return getattr(value, lang) if isinstance(value, Text) else value


class Words:
    """A text in every language, worded when a language is asked for (and only then)."""

    __slots__ = ()

    def say(self, lang: str) -> str:
        raise NotImplementedError

    @property
    def en(self) -> str:
        return self.say("en")

    @property
    def nl(self) -> str:
        return self.say("nl")

    def both(self) -> dict[str, str]:
        """The words in every language, as the fields of a :class:`Text`."""
        return {lang: self.say(lang) for lang in LANGS}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.both()})"


class _Message(Words):
    """A catalogue message with its placeholders' values."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, values: dict):
        self.key, self.values = key, values

    def say(self, lang: str) -> str:
        return _filled(self.key, lang, self.values) if self.values else _fixed(self.key)[lang]

    def both(self) -> dict[str, str]:
        if not self.values:  # the same words for every case: worded once
            return dict(_fixed(self.key))
        if any(isinstance(v, _WORDED) for v in self.values.values()):
            return {lang: _filled(self.key, lang, self.values) for lang in LANGS}
        return {lang: _template(self.key, lang).format_map(self.values) for lang in LANGS}  # the same values in each language


@lru_cache(maxsize=None)
def _fixed(key: str) -> dict[str, str]:
    """A message without placeholders in every language (not to be changed: ``both`` gives copies)."""
    return {lang: _filled(key, lang, {}) for lang in LANGS}


class _Same(Words):
    """The same string in every language."""

    __slots__ = ("value",)

    def __init__(self, value: str):
        self.value = value

    def say(self, lang: str) -> str:
        return self.value


class _Joined(Words):
    """Texts joined by a separator, in each language."""

    __slots__ = ("parts", "sep")

    def __init__(self, parts: list[Words], sep: str):
        self.parts, self.sep = tuple(parts), sep

    def say(self, lang: str) -> str:
        return self.sep.join(_in(p, lang) for p in self.parts)


class _Cited(Words):
    """A citation in each language's words (``cite``)."""

    __slots__ = ("citation",)

    def __init__(self, citation: str):
        self.citation = citation

    def say(self, lang: str) -> str:
        return cite(self.citation, lang)


_WORDED = (Words, Text)  # placeholder values with words of their own in each language


def text(key: str, **values) -> Words:
    return _Message(key, values)


def plain(value: str) -> Words:
    """A text that is the same in every language (a country code, a date, a citation)."""
    return _Same(value)


def join(parts: list[Words], sep: str = ", ") -> Words:
    return _Joined(parts, sep)


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
    return _translated(citation, lang)


@lru_cache(maxsize=4096)  # the citations are the code's few hundred references: each is translated once
def _translated(citation: str, lang: str) -> str:
    for en, other in _terms(lang):
        citation = citation.replace(en, other)
    return citation


def cited(citation: str) -> Words:
    """A citation as a text: the same reference, in each language's words."""
    return _Cited(citation)


def pick(value: Words | Text | None, lang: str) -> str | None:
    return None if value is None else _in(value, lang)
