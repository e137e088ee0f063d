"""The web app's UI strings: one catalogue per language, the same keys in both, and every key the
templates, the scripts and the case form use is in them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from asylumengine.routes import case_schema
from asylumengine.web.catalog import LANGS, catalogue, pick_lang

WEB = Path(__file__).parents[1] / "src" / "asylumengine" / "web"


def test_every_language_has_every_key():
    keys = {lang: set(catalogue(lang)) for lang in LANGS}
    assert keys["en"] == keys["nl"], {"only en": keys["en"] - keys["nl"], "only nl": keys["nl"] - keys["en"]}
    for lang in LANGS:
        assert all(isinstance(v, str) and v.strip() for v in catalogue(lang).values()), lang


def used_keys() -> set[str]:
    found = set()
    for path in (WEB / "templates").glob("*.html"):
        found |= set(re.findall(r"t\['([\w.\-]+)'\]", path.read_text(encoding="utf-8")))
    for path in (WEB / "static").glob("*.js"):
        found |= set(re.findall(r'T\("([\w.\-]+)"\)', path.read_text(encoding="utf-8")))
    return found


def test_every_key_used_is_in_the_catalogue():
    missing = used_keys() - set(catalogue("en"))
    assert not missing, sorted(missing)


def schema_names() -> tuple[set[str], set[str]]:
    fields, values = set(), set()

    def walk(node):
        if isinstance(node, dict):
            fields.update(node.get("properties", {}))
            values.update(v for v in node.get("enum", []) if isinstance(v, str))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(case_schema())
    return fields, values


def test_the_case_form_has_a_label_for_every_field_and_value():
    fields, values = schema_names()
    cat = catalogue("nl")
    assert not {f for f in fields if f"field.{f}" not in cat}
    assert not {v for v in values if f"value.{v}" not in cat}


def test_dutch_differs_from_english_where_it_should():
    en, nl = catalogue("en"), catalogue("nl")
    same = {k for k in en if en[k] == nl[k] and len(en[k]) > 12}
    assert not same, sorted(same)  # a long string equal in both is an untranslated one


def test_language_choice():
    assert pick_lang("nl", "en", None) == "nl"
    assert pick_lang(None, "nl", "en-GB") == "nl"
    assert pick_lang("fr", None, "nl-NL,nl;q=0.9") == "nl"
    assert pick_lang(None, None, None) == "en"
    assert json.dumps(catalogue("nl"), ensure_ascii=False)
