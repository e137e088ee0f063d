"""Reading pledge and classification files (CSV, or YAML/JSON lists of rows).

Every problem is reported as one ``InputFileError`` that names the file, the row and
the field, e.g. ``pledges.csv, row 3 (line 4), field 'relocations': must be a whole
number >= 0, got '-5'``. Nothing is half-loaded: a file either loads whole or not at all.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from asylumengine.io import YamlInputError, load_json, load_yaml
from asylumengine.data.member_states import UnknownMemberState
from asylumengine.solidarity.models import KeyRow, Pledge, StateClassification

Row = TypeVar("Row", bound=BaseModel)

_TRUE = {"yes", "true", "1", "y", "ja"}
_FALSE = {"no", "false", "0", "n", "nee", ""}


class InputFileError(ValueError):
    def __init__(self, path: Path, problem: str, row: int | None = None, line: int | None = None, field: str | None = None):
        self.path, self.row, self.line, self.field, self.problem = path, row, line, field, problem
        where = [str(path)]
        if row is not None:
            where.append(f"row {row}" + (f" (line {line})" if line is not None else ""))
        if field is not None:
            where.append(f"field '{field}'")
        super().__init__(", ".join(where) + f": {problem}")


def _read_rows(path: Path) -> list[tuple[int | None, dict]]:
    """Rows with their line numbers (CSV) - YAML/JSON rows have none."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a CSV saved by Excel starts with a BOM
    except FileNotFoundError:
        raise InputFileError(path, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(path, f"cannot read file ({exc.__class__.__name__}: {exc})") from None
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml", ".json"):
        try:
            data = load_json(text, path) if suffix == ".json" else load_yaml(text, path)
        except YamlInputError as exc:
            raise InputFileError(path, str(exc).removeprefix(f"{path}").lstrip(", :")) from None
        if isinstance(data, dict) and len(data) == 1 and isinstance(next(iter(data.values())), list):
            data = next(iter(data.values()))  # {pledges: [...]} is accepted too
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise InputFileError(path, "expected a list of rows (mappings)")
        return [(None, r) for r in data]
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames:
        raise InputFileError(path, "empty file: expected a header row")
    rows = []
    for row in reader:
        if None in row:
            raise InputFileError(path, "more cells than header columns", row=len(rows) + 1, line=reader.line_num)
        if not any((v or "").strip() for v in row.values()):
            continue
        rows.append((reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items()}))
    return rows


def _load(path: Path, model: type[Row], required: tuple[str, ...], booleans: tuple[str, ...] = (), keep_source: bool = False,
          lines: list | None = None) -> list[Row]:
    path = Path(path)
    rows = _read_rows(path)
    allowed = set(model.model_fields) - ({"member_state_"} if keep_source else {"source"})
    out: list[Row] = []
    seen: dict[str, int] = {}
    lines = [] if lines is None else lines
    for index, (line, raw) in enumerate(rows, start=1):
        fields = {k: v for k, v in raw.items() if k}
        unknown = sorted(set(fields) - allowed)
        if unknown:
            raise InputFileError(path, f"unknown field (allowed: {', '.join(sorted(allowed))})", index, line, unknown[0])
        for name in required:
            if name not in fields or fields[name] in (None, ""):
                raise InputFileError(path, "missing required field", index, line, name)
        clean: dict = {}
        for k, v in fields.items():
            if v == "" or v is None:
                continue  # empty optional cell -> the model's default
            if k in booleans and isinstance(v, str):
                low = v.lower()
                if low not in _TRUE | _FALSE:
                    raise InputFileError(path, f"must be yes or no, got '{v}'", index, line, k)
                v = low in _TRUE
            clean[k] = v
        try:
            out.append(model(**clean))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = str(err["loc"][0]) if err["loc"] else None
            raise InputFileError(path, _plain(err, fields.get(field)), index, line, field) from None
        except UnknownMemberState as exc:
            raise InputFileError(path, str(exc), index, line, "member_state") from None
        ms = out[-1].member_state
        if ms in seen:
            raise InputFileError(path, f"{ms} already given in row {seen[ms]}", index, line, "member_state")
        seen[ms] = index
        lines.append(line)
    return out


def _plain(err: dict, given) -> str:
    """A pydantic error in plain words, with the value as given."""
    kind, msg = err["type"], err["msg"]
    shown = f", got '{given}'" if given is not None else ""
    if kind in ("int_parsing", "int_from_float"):
        return f"must be a whole number{shown}"
    if kind == "float_parsing":
        return f"must be a number{shown}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal"):
        return f"{msg.lower()}{shown}"
    if kind == "enum":
        return f"{msg}{shown}"
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    return f"{msg}{shown}"


def load_pledges(path: Path) -> list[Pledge]:
    """Pledge file: member_state, relocations, financial_eur [, alternative_eur, offsets, offsets_towards]."""
    return _load(path, Pledge, required=("member_state", "relocations", "financial_eur"))


def load_classifications(path: Path) -> list[StateClassification]:
    """Classification file: member_state, status [, benefitting, deduction, systemic_shortcomings, need_share]."""
    rows = _load(
        path,
        StateClassification,
        required=("member_state", "status"),
        booleans=("benefitting", "systemic_shortcomings", "sar_pressure"),
    )
    return [r.model_copy(update={"source": str(path)}) for r in rows]


def load_key_data(path: Path) -> list[KeyRow]:
    """Key data file: member_state, population, gdp, source [, fixed_share (percent)].

    The key is then computed over exactly these states (a what-if); fixed shares may not add
    up to more than 100%."""
    path = Path(path)
    lines: list[int | None] = []
    rows = _load(path, KeyRow, required=("member_state", "population", "gdp", "source"), keep_source=True, lines=lines)
    total = 0.0
    for index, (row, line) in enumerate(zip(rows, lines, strict=True), start=1):
        total += row.fixed_share or 0
        if total > 100:
            raise InputFileError(path, f"fixed shares add up to {total:g}% by this row: over 100%", index, line, "fixed_share")
    return rows
