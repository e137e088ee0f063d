"""Cases as columns: the population table the rules run on.

One case becomes one row of fixed columns; lists (family, documents, movements, ...)
become a fixed number of slots (``fam0_relation`` ... ``fam5_relation``). Codes are
small integers so that the rules are plain numpy arithmetic; dates are ``datetime64[D]``
with NaT for "none". A single case is a population of one: ``population_from_cases``
is the only door in, for one case or many, and the generator of synthetic populations
writes the same columns directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any, get_args

import numpy as np
import polars as pl
import pyarrow as pa
import pycountry

from asylumengine.io import atomic_path
from asylumengine.routes.case import (
    Application,
    Applicant,
    Case,
    Diploma,
    Event,
    FamilyMember,
    Movement,
    Outcomes,
    REPLIES,
    PriorApplication,
    ResidenceDocument,
    SCREENING_PLACES,
    ThirdCountryLink,
    Vulnerability,
)

NAT = np.datetime64("NaT", "D")


@lru_cache(maxsize=1)
def countries() -> tuple[str, ...]:
    """Index 0 is 'no country'; then every ISO 3166-1 alpha-2 code, sorted."""
    from asylumengine.routes.case import EXTRA_COUNTRIES

    return ("",) + tuple(sorted({c.alpha_2 for c in pycountry.countries} | set(EXTRA_COUNTRIES)))


@lru_cache(maxsize=1)
def country_index() -> dict[str, int]:
    return {c: i for i, c in enumerate(countries())}


def ccode(iso: str | None) -> int:
    return country_index()[iso] if iso else 0


def literal_values(model: type, field: str) -> tuple[str, ...]:
    return get_args(model.model_fields[field].annotation)


@dataclass(frozen=True)
class Col:
    """A column: its kind decides the numpy dtype and how a Python value is coded."""

    kind: str  # date | country | enum | bool | int | float | share (a float whose absence is NaN)
    choices: tuple[str, ...] = ()  # enum: index 0 = absent / default

    def code(self, value: Any):
        if self.kind == "date":
            return np.datetime64(value, "D") if value is not None else NAT
        if self.kind == "country":
            return ccode(value)
        if self.kind == "enum":
            return self.choices.index(value) if value is not None else 0
        if self.kind == "bool":
            return bool(value)
        if self.kind == "int":
            return -1 if value is None else int(value)
        if self.kind == "share":
            return np.nan if value is None else float(value)
        return float(value)

    @property
    def dtype(self):
        return _DTYPES[self.kind]

    @property
    def empty(self):
        return _EMPTY[self.kind]


_DTYPES = {"date": "datetime64[D]", "country": np.int16, "enum": np.int8, "bool": np.bool_, "int": np.int32, "float": np.float64,
           "share": np.float64}
_EMPTY = {"date": NAT, "country": 0, "enum": 0, "bool": False, "int": -1, "float": 0.0, "share": np.nan}


def _enum(model: type, field: str, absent: str = "") -> Col:
    return Col("enum", (absent,) + literal_values(model, field))


VULNERABILITIES = tuple(v.value for v in Vulnerability)
PLACES = literal_values(Application, "place")

# Scalar columns: name -> (column, getter on the case)
SCALARS: dict[str, tuple[Col, Any]] = {
    "computed_on": (Col("date"), lambda c: c.computed_on or c.met_on),
    "a_dob": (Col("date"), lambda c: c.applicant.date_of_birth),
    "a_age": (Col("int"), lambda c: c.applicant.age),
    "a_nationality": (Col("country"), lambda c: c.applicant.nationality or c.applicant.former_habitual_residence),
    "a_stateless": (Col("bool"), lambda c: c.applicant.stateless),
    "a_sex": (Col("enum", literal_values(Applicant, "sex")), lambda c: c.applicant.sex),
    "a_vulnerable": (Col("int"), lambda c: sum(1 << VULNERABILITIES.index(v.value) for v in c.applicant.vulnerabilities)),
    "a_unaccompanied": (Col("bool"), lambda c: c.applicant.unaccompanied),
    "app_state": (Col("country"), lambda c: _app(c).member_state),
    "app_made": (Col("date"), lambda c: _app(c).made_on),
    "app_registered": (Col("date"), lambda c: _app(c).registered_on),
    "app_lodged": (Col("date"), lambda c: _app(c).lodged_on),
    "app_place": (Col("enum", PLACES), lambda c: _app(c).place),
    "app_entry_ok": (Col("bool"), lambda c: _app(c).meets_entry_conditions),
    "app_held_72h": (Col("bool"), lambda c: _app(c).held_at_border_over_72h or bool(c.screening and c.screening.held_at_border_over_72h)),
    "app_detained": (Col("bool"), lambda c: _app(c).in_detention),
    "app_return_decision": (Col("date"), lambda c: _app(c).return_decision_received_on),
    "app_relocated_to": (Col("country"), lambda c: _app(c).relocated_to),
    "app_relocated_on": (Col("date"), lambda c: _app(c).relocated_on),
    "f_security": (Col("bool"), lambda c: c.flags.security_threat),
    "f_misled": (Col("bool"), lambda c: c.flags.misled_authorities),
    "f_irrelevant": (Col("bool"), lambda c: c.flags.irrelevant_issues_only),
    "f_inconsistent": (Col("bool"), lambda c: c.flags.inconsistent_statements),
    "f_delay": (Col("bool"), lambda c: c.flags.only_to_delay_removal),
    "f_late": (Col("bool"), lambda c: c.flags.late_application_without_reason),
    "f_needs_unmet": (Col("bool"), lambda c: c.flags.special_procedural_needs_unmet_at_border),
    "f_capacity": (Col("bool"), lambda c: c.flags.border_capacity_reached),
    "f_discretion": (Col("country"), lambda c: c.flags.discretionary_clause_state),
    "f_health_no_travel": (Col("bool"), lambda c: c.flags.health_prevents_travel),
    "f_systemic1": (Col("country"), lambda c: c.flags.systemic_risk_states[0] if c.flags.systemic_risk_states else None),
    "f_systemic2": (Col("country"), lambda c: c.flags.systemic_risk_states[1] if len(c.flags.systemic_risk_states) > 1 else None),
    "o_take_charge": (Col("enum", literal_values(Outcomes, "take_charge_reply")), lambda c: c.outcomes.take_charge_reply),
    "o_merits": (Col("enum", literal_values(Outcomes, "merits")), lambda c: c.outcomes.merits),
    "o_appeal": (Col("enum", literal_values(Outcomes, "appeal")), lambda c: c.outcomes.appeal),
    "o_departure": (Col("enum", literal_values(Outcomes, "departure")), lambda c: c.outcomes.departure),
    "holidays": (Col("enum", ("official", "none")), lambda c: c.holidays),
}

# The Dublin procedure as it happened (case.dublin): every column optional, absent = latest possible.
REPLY_CHOICES = ("",) + REPLIES
DUBLIN_COLUMNS: dict[str, tuple[Col, Any]] = {
    "dub_kind": (Col("enum", ("", "take_charge", "take_back")), lambda c: c.dublin.kind),
    "dub_requested": (Col("country"), lambda c: c.dublin.requested_state),
    "dub_hit": (Col("enum", ("unknown", "yes", "no")), lambda c: {None: "unknown", True: "yes", False: "no"}[c.dublin.based_on_hit]),
    "dub_hit_on": (Col("date"), lambda c: c.dublin.hit_received_on),
    "dub_urgent": (Col("bool"), lambda c: c.dublin.urgent_reply_requested),
    "dub_sent": (Col("date"), lambda c: c.dublin.request_sent_on),
    "dub_received": (Col("date"), lambda c: c.dublin.request_received_on),
    "dub_reply": (Col("enum", REPLY_CHOICES), lambda c: c.dublin.reply),
    "dub_reply_on": (Col("date"), lambda c: c.dublin.reply_on),
    "dub_reexam_on": (Col("date"), lambda c: c.dublin.reexamination_requested_on),
    "dub_reexam_reply": (Col("enum", REPLY_CHOICES), lambda c: c.dublin.reexamination_reply),
    "dub_reexam_reply_on": (Col("date"), lambda c: c.dublin.reexamination_reply_on),
    "dub_decision_on": (Col("date"), lambda c: c.dublin.transfer_decision_notified_on),
    "dub_appeal_on": (Col("date"), lambda c: c.dublin.appeal_lodged_on),
    "dub_appeal_suspensive": (Col("bool"), lambda c: bool(c.dublin.appeal_suspensive)),
    "dub_appeal_final_on": (Col("date"), lambda c: c.dublin.appeal_final_decision_on),
    "dub_transfer_on": (Col("date"), lambda c: c.dublin.transfer_carried_out_on),
    "dub_absconding_informed_on": (Col("date"), lambda c: c.dublin.absconding_informed_on),
    "dub_evidence_limit": (Col("date"), lambda c: c.dublin.evidence_time_limit),
}
SCALARS.update(DUBLIN_COLUMNS)
# Facts for the procedure given with the case (issue 11): absent = the shipped tables
PROCEDURE_COLUMNS: dict[str, tuple[Col, Any]] = {
    "p_recognition_rate": (Col("share"), lambda c: c.procedure.recognition_rate.value if c.procedure.recognition_rate else None),
}
SCALARS.update(PROCEDURE_COLUMNS)

# The screening (case.screening), and whether an application was made at all: absent = an applicant
# whose screening follows from application.place, as before these columns existed.
SCREENING_COLUMNS: dict[str, tuple[Col, Any]] = {
    "app_none": (Col("bool"), lambda c: c.application is None),
    "scr_place": (Col("enum", ("",) + SCREENING_PLACES), lambda c: c.screening.place if c.screening else None),
    "scr_date": (Col("date"), lambda c: c.screening.date if c.screening else None),
    "scr_state": (Col("country"), lambda c: c.screening.member_state if c.screening else None),
    "scr_irregular": (Col("bool"), lambda c: bool(c.screening and c.screening.crossed_external_border_irregularly)),
    "scr_entry_ok": (Col("bool"), lambda c: bool(c.screening and c.screening.meets_entry_conditions)),
    "scr_screened_in": (Col("country"), lambda c: c.screening.screened_in if c.screening else None),
    "scr_screened_on": (Col("date"), lambda c: c.screening.screened_on if c.screening else None),
}
SCALARS.update(SCREENING_COLUMNS)
SLOTS_FAMILY = 6
# a table written before these existed reads them as absent (issue 11)
OPTIONAL_COLUMNS = (tuple(DUBLIN_COLUMNS) + tuple(PROCEDURE_COLUMNS) + tuple(SCREENING_COLUMNS)
                    + tuple(f"fam{i}_{k}" for i in range(SLOTS_FAMILY) for k in ("evidence_on", "decisive")))  # fmt: skip


def _app(case: Case) -> Application:
    """The application; for a person who has not applied, a stand-in on the screening day in the
    screening state, so that every column has a value (the engine reads ``app_none`` and reports
    no application-based determination for such a row)."""
    if case.application is not None:
        return case.application
    s = case.screening
    return Application(member_state=s.member_state, made_on=s.date, registered_on=s.date, meets_entry_conditions=s.meets_entry_conditions,
                       held_at_border_over_72h=s.held_at_border_over_72h)  # fmt: skip

# Slotted lists: prefix -> (number of slots, attribute on Case, {suffix: (column, attribute)})
SLOTS: dict[str, tuple[int, str, dict[str, tuple[Col, str]]]] = {
    "fam": (SLOTS_FAMILY, "family", {
        "relation": (_enum(FamilyMember, "relation"), "relation"),
        "dob": (Col("date"), "date_of_birth"),
        "age": (Col("int"), "age"),
        "location": (Col("country"), "location"),
        "status": (_enum(FamilyMember, "status"), "status"),
        "pre": (Col("bool"), "existed_before_arrival"),
        "consent": (Col("bool"), "written_consent"),
        "care": (Col("enum", ("unknown", "yes", "no")), "able_to_care"),
        "dependency": (_enum(FamilyMember, "dependency"), "dependency"),
        "accompanies": (Col("bool"), "accompanies_applicant"),
        "evidence_on": (Col("date"), "evidence_submitted_on"),
        "decisive": (Col("bool"), "evidence_decisive"),
    }),
    "doc": (4, "documents", {
        "kind": (_enum(ResidenceDocument, "kind"), "kind"),
        "state": (Col("country"), "issuing_state"),
        "behalf": (Col("country"), "on_behalf_of"),
        "from": (Col("date"), "valid_from"),
        "to": (Col("date"), "valid_to"),
        "status": (Col("enum", literal_values(ResidenceDocument, "status")), "status"),
        "cancelled": (Col("date"), "cancelled_on"),
        "fraud": (Col("bool"), "fraud_after_issue"),
    }),
    "dip": (3, "diplomas", {
        "state": (Col("country"), "issuing_state"),
        "on": (Col("date"), "issued_on"),
        "years": (Col("float"), "academic_years"),
        "isced": (Col("int"), "isced_level"),
        "distance": (Col("bool"), "distance_learning"),
    }),
    "mov": (8, "movements", {
        "date": (Col("date"), "date"),
        "country": (Col("country"), "country"),
        "kind": (_enum(Movement, "kind"), "kind"),
        "third": (Col("bool"), "from_third_country"),
        "eurodac": (Col("bool"), "eurodac_record"),
    }),
    "pri": (3, "prior_applications", {
        "state": (Col("country"), "member_state"),
        "registered": (Col("date"), "registered_on"),
        "outcome": (_enum(PriorApplication, "outcome"), "outcome"),
        "final": (Col("bool"), "final"),
        "kind": (Col("enum", literal_values(PriorApplication, "protection_kind")), "protection_kind"),
        "new": (Col("bool"), "new_elements"),
        "hit": (Col("bool"), "eurodac_hit"),
        "final_on": (Col("date"), "final_on"),
        "border": (Col("bool"), "border_procedure"),
    }),
    "tc": (4, "third_countries", {
        "country": (Col("country"), "country"),
        "kind": (_enum(ThirdCountryLink, "kind"), "kind"),
        "agreement": (Col("bool"), "agreement"),
        "safe": (Col("bool"), "safe_third_country"),
        "protection": (Col("bool"), "protection_still_available"),
    }),
    "ev": (6, "events", {
        "kind": (_enum(Event, "kind"), "kind"),
        "start": (Col("date"), "start"),
        "end": (Col("date"), "end"),
        "state": (Col("country"), "in_state"),
        "return_decision": (Col("bool"), "under_return_decision"),
    }),
}  # fmt: skip


def schema() -> dict[str, Col]:
    """Every column of the population table, in order."""
    out = {name: col for name, (col, _) in SCALARS.items()}
    for prefix, (n, _, fields) in SLOTS.items():
        for i in range(n):
            for suffix, (col, _) in fields.items():
                out[f"{prefix}{i}_{suffix}"] = col
    return out


def case_row(case: Case) -> dict[str, Any]:
    """One case as one row of coded column values (numpy scalars, in schema order)."""
    return {name: values[0] for name, values in population_from_cases([case]).arrays.items()}


SMALL_POPULATION = 64  # up to this many rows, Population.slots counts the slots in use


@lru_cache(maxsize=None)
def _empty_bytes(prefix: str) -> tuple[tuple[str, bytes], ...]:
    """Each field of a ``prefix`` slot with the bytes of one empty value of its column."""
    return tuple((suffix, np.full(1, col.empty, dtype=col.dtype).tobytes()) for suffix, (col, _) in SLOTS[prefix][2].items())


@lru_cache(maxsize=64)
def _prefixed(names: tuple[str, ...], prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """The column names that start with one of ``prefixes`` (the same few sets each evaluation)."""
    return tuple(k for k in names if k.startswith(prefixes))


class Population:
    """Column arrays for n cases (plus their ids)."""

    def __init__(self, arrays: dict[str, np.ndarray], ids: list[str] | np.ndarray, id_series: pl.Series | None = None):
        self.arrays = arrays
        self.ids = np.asarray(ids, dtype=object)
        self.n = len(self.ids)
        self.id_series = id_series  # kept as read from a table, to write it back without Python strings
        self._slots_used: dict[str, int] = {}  # prefix -> slots in use (small populations; see slots)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]

    def slots(self, prefix: str) -> int:
        """How many ``prefix`` slots the rules need to look at: all of them, but in a small population
        (a case sent to the API) only up to the last one any row fills - an empty slot (every column
        at its empty value) never decides anything, and one case rarely has more than one or two."""
        count = SLOTS[prefix][0]
        if self.n > SMALL_POPULATION:
            return count
        used = self._slots_used
        if prefix not in used:
            used[prefix] = next((i + 1 for i in reversed(range(count)) if not self._slot_empty(prefix, i)), 0)
        return used[prefix]

    def _slot_empty(self, prefix: str, i: int) -> bool:
        return all(self.arrays[f"{prefix}{i}_{suffix}"].tobytes() == empty * self.n for suffix, empty in _empty_bytes(prefix))

    def slice(self, start: int, stop: int) -> "Population":
        """Rows start..stop as views (no copy)."""
        ids = self.id_series.slice(start, stop - start) if self.id_series is not None else None
        return Population({k: v[start:stop] for k, v in self.arrays.items()}, self.ids[start:stop], ids)

    def take(self, rows: np.ndarray, prefixes: tuple[str, ...] | None = None) -> "Population":
        """Rows by index (copies). With ``prefixes``, only the columns whose names start with one of
        them (a rule that reads few columns need not copy all of them)."""
        if prefixes is not None:
            every = len(rows) == self.n and np.array_equal(rows, np.arange(self.n))  # all rows in order: views, no copies
            names = _prefixed(tuple(self.arrays), prefixes)
            arrays = {k: self.arrays[k] if every else self.arrays[k][rows] for k in names}
            return Population(arrays, self.ids if every else self.ids[rows])
        return self._take_all(rows)

    def _take_all(self, rows: np.ndarray) -> "Population":
        return Population({k: v[rows] for k, v in self.arrays.items()}, self.ids[rows])

    def to_polars(self) -> pl.DataFrame:
        """The table with its labels: country and code columns as polars Enums (see ``labels``)."""
        cols = schema()
        data: dict[str, pl.Series | np.ndarray] = {"id": pl.Series(self.ids.astype(str))}
        for k, v in self.arrays.items():
            data[k] = labelled(v, cols[k]) if k in cols and cols[k].kind in LABELLED else v
        return pl.DataFrame(data)

    @classmethod
    def from_polars(cls, df: pl.DataFrame, source: str = "population table", first_row: int = 1) -> "Population":
        """Columns back to the engine's codes. Labels are mapped by name, so a file survives a
        change in the order of the country list; an unknown label, a missing value or a wrong type
        is an error naming ``source``, the column and the row (counted from ``first_row``)."""
        cols = schema()
        absent = [c for c in OPTIONAL_COLUMNS if c not in df.columns]
        if absent:  # the Dublin events: optional, absent means "not given" (latest possible)
            df = df.with_columns([pl.Series(c, np.full(df.height, cols[c].empty, dtype=cols[c].dtype)) for c in absent])
            df = df.with_columns([labelled(df.get_column(c).to_numpy(), cols[c]).alias(c) for c in absent if cols[c].kind in LABELLED])
        missing = [c for c in cols if c not in df.columns]
        if missing:
            raise PopulationFileError(f"{source}: population table lacks column(s): {', '.join(missing[:5])}" + (" ..." if len(missing) > 5 else ""))
        arrays = {name: _column_codes(df.get_column(name), col, source, first_row) for name, col in cols.items()}
        if "id" in df.columns:
            series = df.get_column("id").cast(pl.String)
            return cls(arrays, series.to_numpy(), series)
        return cls(arrays, np.arange(df.height).astype(str))


class PopulationFileError(ValueError):
    """A population table that cannot be read: names the file, the column and the problem."""


LABELLED = ("country", "enum")


def labels(col: Col) -> tuple[str, ...]:
    """The category list of a labelled column, in code order; code 0 is 'absent' (null) where it has no name."""
    names = countries() if col.kind == "country" else col.choices
    return names[1:] if names[0] == "" else names


def enum_dtype(col: Col) -> pl.Enum:
    return _categories(labels(col)).dtype


def _offset(col: Col) -> int:
    return 1 if (countries() if col.kind == "country" else col.choices)[0] == "" else 0


def labelled(codes: np.ndarray, col: Col) -> pl.Series:
    return enum_series(codes, countries() if col.kind == "country" else col.choices)


def enum_series(codes: np.ndarray, names: tuple[str, ...]) -> pl.Series:
    """Codes (positions in ``names``) as an Enum of the names, by a gather over the category list
    (no Python strings per row). A first name '' means 'absent': code 0 becomes null."""
    offset = 1 if names[0] == "" else 0
    index = codes.astype(np.int64) - offset
    idx = pl.from_arrow(pa.array(index, mask=index < 0)) if offset else pl.Series(index)
    return _categories(names[offset:]).gather(idx)


@lru_cache(maxsize=None)
def _categories(names: tuple[str, ...]) -> pl.Series:
    return pl.Series(list(names), dtype=pl.Enum(list(names)))


def _as_enum(series: pl.Series, col: Col, source: str, first_row: int = 1) -> pl.Series:
    """The column as an Enum whose labels are all known (String or Categorical labels are accepted).
    ``first_row`` is the file's row number of the series' first row (a later chunk of a streamed file)."""
    name = series.name
    if isinstance(series.dtype, (pl.Categorical, pl.String)):
        series = series.cast(pl.String).replace("", None)
    elif not isinstance(series.dtype, pl.Enum):
        raise PopulationFileError(f"{source}: column {name}: expected labels (Enum, Categorical or String), found {series.dtype} - "
                                  "integer codes are positions in a list that may change; write the table with labels")
    known = labels(col)
    if isinstance(series.dtype, pl.Enum) and set(series.dtype.categories.to_list()) <= set(known):
        return series  # every possible label is known: no need to look at the rows
    used = series.drop_nulls().unique()
    unknown = used.filter(~used.cast(pl.String).is_in(list(known)))
    if unknown.len():
        row = first_row + int(series.cast(pl.String).eq(unknown.cast(pl.String)[0]).arg_true()[0])
        raise PopulationFileError(f"{source}: column {name}: unknown label {unknown[0]!r} in row {row:,} "
                                  f"(expected one of {_choices(col)})")  # fmt: skip
    return series if isinstance(series.dtype, pl.Enum) else series.cast(enum_dtype(col))


def _label_codes(series: pl.Series, col: Col, source: str, first_row: int = 1) -> np.ndarray:
    series = _as_enum(series, col, source, first_row)
    index = {label: i + _offset(col) for i, label in enumerate(labels(col))}
    categories = series.dtype.categories.to_list()
    lut = np.array([index.get(c, 0) for c in categories] + [0], dtype=col.dtype)  # last slot: null -> absent
    return lut[series.to_physical().fill_null(len(categories)).to_numpy()]


def _choices(col: Col) -> str:
    names = labels(col)
    return ", ".join(names) if len(names) <= 12 else f"the {len(names)} ISO 3166-1 alpha-2 codes"


EXPECTED = {
    "date": lambda t: t == pl.Date or isinstance(t, pl.Datetime),
    "bool": lambda t: t == pl.Boolean,
    "int": lambda t: t.is_integer(),
    "float": lambda t: t.is_numeric(),
    "share": lambda t: t.is_numeric(),
}


def _column_codes(series: pl.Series, col: Col, source: str, first_row: int = 1) -> np.ndarray:
    if col.kind in LABELLED:
        return _label_codes(series, col, source, first_row)
    if not EXPECTED[col.kind](series.dtype):
        raise PopulationFileError(f"{source}: column {series.name}: expected {col.kind}, found {series.dtype}")
    _no_missing(series, col, source, first_row)
    if col.kind == "date":  # a null date is 'not given', as in a case file
        return series.cast(pl.Date).to_numpy().astype("datetime64[D]")
    if col.kind == "share":
        return _shares(series, source)
    values = series.to_numpy()
    _check_range(series.name, values, col, source, first_row)
    return values.astype(col.dtype)


def _number_bounds(name: str) -> tuple[float, float] | None:
    """The range a number column's values may take: the case model's own bounds for that field."""
    if name == "a_vulnerable":  # a set of vulnerabilities, one bit each
        return 0, 2 ** len(VULNERABILITIES) - 1
    model, attr = NUMBER_FIELDS.get(name.split("_", 1)[-1], (None, None))
    if model is None:
        return None
    meta = model.model_fields[attr].metadata
    lo = next((m.ge for m in meta if hasattr(m, "ge")), -np.inf)
    hi = next((m.le for m in meta if hasattr(m, "le")), np.inf)
    return lo, hi


def _check_range(name: str, values: np.ndarray, col: Col, source: str, first_row: int = 1) -> None:
    bounds = _number_bounds(name) or (-np.inf, np.inf)
    bad = ~np.isfinite(values) if col.kind == "float" else np.zeros(len(values), bool)
    with np.errstate(invalid="ignore"):
        bad |= (values < bounds[0]) | (values > bounds[1])
    if col.kind == "int" and name != "a_vulnerable":
        bad &= values != col.empty  # -1: not given
    if bad.any():
        row = int(np.argmax(bad))
        raise PopulationFileError(f"{source}: column {name}, row {first_row + row:,}: {values[row].item()!r} is out of range "
                                  f"({bounds[0]:g} to {bounds[1]:g}" + (", or -1 for 'not given')" if col.kind == "int" else ")"))  # fmt: skip


# number columns by suffix -> the case field whose bounds they keep
NUMBER_FIELDS = {"age": (Applicant, "age"), "years": (Diploma, "academic_years"), "isced": (Diploma, "isced_level")}


def _shares(series: pl.Series, source: str) -> np.ndarray:
    """A share from 0 to 1; null or NaN = not given. Anything else is an error naming the row."""
    values = series.cast(pl.Float64).fill_null(np.nan).to_numpy().astype(np.float64)
    bad = np.flatnonzero(~np.isnan(values) & ((values < 0) | (values > 1)))
    if bad.size:
        raise PopulationFileError(f"{source}: column {series.name}, row {int(bad[0])}: {values[bad[0]]} is not a share from 0 to 1 "
                                  "(null: not given)")
    return values


def read_population(path) -> pl.DataFrame:
    """A population Parquet file, checked column by column (errors name the file)."""
    try:
        table = pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise PopulationFileError(f"{path}: cannot read Parquet ({exc.__class__.__name__})") from None
    check_table(table, str(path))
    return table


def check_table(table: pl.DataFrame, source: str, first_row: int = 1) -> None:
    """Every column present, of the right type, with known labels and no missing value where the
    engine needs one (before any work is done). Rows are counted from ``first_row`` (a chunk of a file)."""
    Population.from_polars(table.head(0), source=source)  # columns and types
    for name, col in schema().items():
        if name not in table.columns:
            continue
        if col.kind in LABELLED:
            _as_enum(table.get_column(name), col, source, first_row)
        elif col.kind in ("int", "float", "bool"):
            _column_codes(table.get_column(name), col, source, first_row)  # nulls and out-of-range numbers, naming the row
        else:
            _no_missing(table.get_column(name), col, source, first_row)
    from asylumengine.routes.row_checks import check_table_rows  # a row contradicting itself, as a case file would (dates in order)

    check_table_rows(table, source, first_row)


def _no_missing(series: pl.Series, col: Col, source: str, first_row: int) -> None:
    """Dates and labels have an 'absent' (null); booleans and numbers have a value for it, never null."""
    if col.kind != "date" and series.null_count():
        row = first_row + int(series.is_null().arg_true()[0])
        raise PopulationFileError(f"{source}: column {series.name}: missing value in row {row:,} "
                                  f"(empty, null; a {col.kind} column has no 'absent': write {col.empty!r} for none)")  # fmt: skip


def write_parquet(table: pl.DataFrame, path) -> None:
    """Written whole or not at all: a temporary file beside the target, then renamed."""
    with atomic_path(Path(path)) as tmp:
        table.write_parquet(tmp)


def population_from_cases(cases: list[Case]) -> Population:
    """The cases as columns: one 2-D block per dtype, its rows the columns (contiguous), filled from
    the empty row with what each case gives (see ``_Layout``)."""
    layout = _layout()
    rows = [layout.row(c) for c in cases]
    views: list[np.ndarray] = []
    for g, dtype in enumerate(layout.dtypes):
        block = np.array([r[g] for r in rows], dtype=dtype).reshape(len(rows), len(layout.empty[g])).T.copy()
        views.extend(block.view(_DTYPES["date"]) if g == layout.date_group else block)
    return Population(dict(zip(layout.names, layout.in_schema_order(views))), [c.id for c in cases])


_EPOCH = dt.date(1970, 1, 1).toordinal()
_NAT_DAYS = int(NAT.view(np.int64))


def _coder(col: Col, slot: bool = False):
    """``col.code`` as one small function per column (decided once, not per value); a date is coded as its
    day number (NaT for none), as the int64 under ``datetime64[D]``: creating a numpy date per value costs more.
    A slot's unknown/yes/no column holds a field's None / True / False."""
    if col.kind == "date":
        return lambda v: _NAT_DAYS if v is None else v.toordinal() - _EPOCH
    if col.kind == "country":
        index = country_index()
        return lambda v: index[v] if v else 0
    if slot and col.kind == "enum" and col.choices == ("unknown", "yes", "no"):
        return lambda v: 0 if v is None else (1 if v else 2)
    if col.kind == "enum":
        index = {c: i for i, c in enumerate(col.choices)}
        return lambda v: 0 if v is None else index[v] if v in index else col.choices.index(v)  # an unknown value: its error
    if col.kind == "bool":
        return bool
    return col.code


@dataclass(frozen=True)
class _Layout:
    """Where each column's value goes: (group, position) in the per-dtype lists of a row; the empty row
    of every group; and the getter and coder of every scalar and slot field."""

    names: tuple[str, ...]  # schema order
    dtypes: tuple[Any, ...]  # one group per dtype
    date_group: int
    empty: tuple[tuple, ...]  # per group: every column at its 'absent' value (dates as day numbers)
    scalars: tuple[tuple[Any, Any, int, int], ...]  # getter, coder, group, position
    slots: tuple[tuple[str, tuple[tuple[str, Any, tuple[tuple[int, int], ...]], ...]], ...]  # attr, (field, coder, places)
    in_schema_order: itemgetter  # the groups' columns, concatenated, back in schema order

    def row(self, case: Case) -> list[list]:
        """One case's coded values, per group."""
        row = [list(e) for e in self.empty]
        for get, code, g, p in self.scalars:
            row[g][p] = code(get(case))
        for attr, fields in self.slots:
            items = getattr(case, attr)
            if not items:
                continue
            if attr == "movements":
                items = sorted(items, key=lambda m: m.date)
            for field_, code, places in fields:
                for item, (g, p) in zip(items, places):  # items beyond the slots are not kept
                    row[g][p] = code(getattr(item, field_))
        return row


@lru_cache(maxsize=1)
def _layout() -> _Layout:
    cols = schema()
    names = tuple(cols)
    dtypes = list(dict.fromkeys(col.dtype for col in cols.values()))
    members: list[list[str]] = [[n for n in names if cols[n].dtype == d] for d in dtypes]
    place = {n: (g, p) for g, group in enumerate(members) for p, n in enumerate(group)}
    date_group = dtypes.index(_DTYPES["date"])
    empty = tuple(tuple(_NAT_DAYS if cols[n].kind == "date" else cols[n].empty for n in group) for group in members)
    flat = {n: k for k, n in enumerate(n for group in members for n in group)}
    scalars = tuple((get, _coder(col), *place[name]) for name, (col, get) in SCALARS.items())
    slots = tuple((attr, tuple((field_, _coder(col, slot=True), tuple(place[f"{prefix}{i}_{suffix}"] for i in range(n)))
                               for suffix, (col, field_) in fields.items()))
                  for prefix, (n, attr, fields) in SLOTS.items())  # fmt: skip
    dtypes[date_group] = np.int64  # the day numbers, viewed as datetime64[D] once the block is built
    return _Layout(names, tuple(dtypes), date_group, empty, scalars, slots, itemgetter(*(flat[n] for n in names)))


def empty_population(n: int) -> dict[str, np.ndarray]:
    """Arrays of n rows, every column at its 'absent' value (for generators)."""
    return {name: np.full(n, col.empty, dtype=col.dtype) for name, col in schema().items()}


def vulnerability_bit(v: Vulnerability | str) -> int:
    return 1 << VULNERABILITIES.index(Vulnerability(v).value)


def days(d: dt.date) -> np.datetime64:
    return np.datetime64(d, "D")
