"""YAML input with limits: size, nesting depth and aliases are bounded, duplicate keys refused.

PyYAML's safe loader builds no Python objects but would still accept a key given twice (the
last one silently wins), expand a "billion laughs" of aliases, or recurse until Python's stack
ends. Input files come from users: each of these is an error naming the file and the line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 5 * 1024 * 1024  # an input file (a case, a scenario) is a few kB
MAX_DEPTH = 40
MAX_ALIASES = 100


class YamlInputError(ValueError):
    """A YAML (or JSON) input that is not acceptable; the message names the file and line."""


class _LimitedLoader(yaml.SafeLoader):
    """Safe loader with the limits above; counts aliases and depth while composing."""

    def __init__(self, stream, where: str):
        super().__init__(stream)
        self.where = where
        self.aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise YamlInputError(f"{self.where}: more than {MAX_ALIASES} YAML aliases")
        depth = getattr(self, "_depth", 0) + 1
        if depth > MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise YamlInputError(f"{self.where}, line {mark.line + 1}: nested deeper than {MAX_DEPTH} levels")
        self._depth = depth
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth - 1

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise YamlInputError(f"{self.where}, line {key_node.start_mark.line + 1}: a key must be a plain value") from None
            if key in seen:
                raise YamlInputError(
                    f"{self.where}, line {key_node.start_mark.line + 1}: key '{key}' given twice (first on line {seen[key]})"
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


class _DatesAsTextLoader(_LimitedLoader):
    """Dates stay text, so that a model (pydantic) reports a wrong date with its field name."""


_DatesAsTextLoader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"] for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _text(text: str | bytes, where: str) -> str:
    if len(text) > MAX_BYTES:
        raise YamlInputError(f"{where}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise YamlInputError(f"{where}: not UTF-8 text (byte {exc.start})") from None
    return text.lstrip("\ufeff")


def load_json(text: str | bytes, where: str | Path = "<input>") -> Any:
    """Parse JSON from a user: size bounded, duplicate keys and runaway nesting refused."""
    where = str(where)
    text = _text(text, where)

    def pairs(items):
        out = {}
        for key, value in items:
            if key in out:
                raise YamlInputError(f"{where}: key '{key}' given twice")
            out[key] = value
        return out

    try:
        return json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise YamlInputError(f"{where}, line {exc.lineno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise YamlInputError(f"{where}: nested too deeply") from None


def load_yaml(text: str | bytes, where: str | Path = "<input>", dates_as_text: bool = False) -> Any:
    """Parse YAML (JSON is YAML) from a user within the limits above; a BOM is ignored."""
    where = str(where)
    text = _text(text, where)
    loader = (_DatesAsTextLoader if dates_as_text else _LimitedLoader)(text, where)
    try:
        return loader.get_single_data()
    except YamlInputError:
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlInputError(f"{where}{line}: not valid YAML/JSON ({problem})") from None
    except RecursionError:
        raise YamlInputError(f"{where}: nested too deeply") from None
    finally:
        loader.dispose()
