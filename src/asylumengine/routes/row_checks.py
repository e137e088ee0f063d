"""Rows of a population table that contradict themselves: the date-order checks a case file gets.

A case file is refused when, say, its Dublin reply comes before the request (``DublinEvents._problems``
in routes/case.py) or its application is made before the crossing (``Case._screening_before_application``).
A population row holds the same facts in columns, so it gets the same checks, vectorised:

    check_rows(pop.arrays, "pop.parquet", first_row=1)   -> None, or PopulationFileError:
    "pop.parquet: row 12: dub_reply_on 2026-01-03 is before dub_sent 2026-02-01 (dublin: the reply cannot come first)"

Every check below mirrors one check of the case model (named with it) and nothing else: no new legal
rule is made here. The error names the first row (counted from ``first_row``) that fails any check,
and the first check it fails in the order below (the order the case model checks in). A date that is
not given (NaT) never fails a check, as an absent date in a case file is not compared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import polars as pl

from asylumengine.routes.columns import REPLY_CHOICES, SLOTS, PopulationFileError, _column_codes, schema

NAT = np.iinfo(np.int64).min  # NaT as int64 days
LATEST = np.iinfo(np.int64).max
DEPARTURE = SLOTS["mov"][2]["kind"][0].choices.index("departure")
ABSCONDING = SLOTS["ev"][2]["kind"][0].choices.index("absconding")
ACCEPTED = REPLY_CHOICES.index("accepted")


@dataclass(frozen=True)
class Order:
    """``later`` may not be before ``earlier`` (both given); ``rows``: which rows the case model checks."""

    earlier: str
    later: str
    why: str  # the case model's reason, in its words
    mirrors: str  # the case model's check
    rows: str = "all"  # all | applicant | non_applicant | suspensive
    say_after: bool = False  # worded "earlier ... is after later ..." (as the case model words it)


def _slots(prefix: str, earlier: str, later: str, why: str, mirrors: str) -> list[Order]:
    return [Order(f"{prefix}{i}_{earlier}", f"{prefix}{i}_{later}", why, mirrors) for i in range(SLOTS[prefix][0])]


# Derived dates: the first entry (movements other than departures), the day the reply period runs from,
# the acceptance, the first absconding. Written "(name)" in the checks.
ORDERS: tuple[Order, ...] = (
    Order("app_made", "app_registered", "application: registered after it is made", "Application._order"),
    Order("app_registered", "app_lodged", "application: lodged after it is registered", "Application._order"),
    *_slots("doc", "from", "to", "document: valid_to before valid_from", "ResidenceDocument._period"),
    *_slots("doc", "from", "cancelled", "document: cancelled before valid_from", "ResidenceDocument._period"),
    *_slots("pri", "registered", "final_on", "prior application: final before it was registered", "PriorApplication._order"),
    *_slots("ev", "start", "end", "event: ends before it starts", "Event._period"),
    Order("scr_screened_on", "scr_date", "screening: an earlier screening comes first", "Screening._coherent", say_after=True),
    Order("dub_hit_on", "dub_sent", "dublin: the request cannot come first", "DublinEvents._problems"),
    Order("dub_sent", "dub_received", "dublin: its receipt cannot come first", "DublinEvents._problems"),
    Order("(reply period start)", "dub_reply_on", "dublin: the reply cannot come first", "DublinEvents._problems"),
    Order("dub_reply_on", "dub_reexam_on", "dublin: the request for re-examination cannot come first", "DublinEvents._problems"),
    Order("dub_reexam_on", "dub_reexam_reply_on", "dublin: the re-examination reply cannot come first", "DublinEvents._problems"),
    Order("(acceptance)", "dub_decision_on", "dublin: acceptance cannot come first", "DublinEvents._transfer_problems"),
    Order("(acceptance)", "dub_transfer_on", "dublin: acceptance cannot come first", "DublinEvents._transfer_problems"),
    Order("dub_decision_on", "dub_appeal_on", "dublin: the appeal cannot come first", "DublinEvents._transfer_problems"),
    Order("dub_appeal_on", "dub_appeal_final_on", "dublin: the final decision cannot come first", "DublinEvents._transfer_problems"),
    Order("dub_decision_on", "dub_transfer_on", "dublin: the transfer cannot come first", "DublinEvents._transfer_problems"),
    Order("dub_appeal_final_on", "dub_transfer_on", "dublin: a suspensive appeal; the transfer cannot come first",
          "DublinEvents._transfer_problems", rows="suspensive"),  # fmt: skip
    Order("(first entry)", "app_registered", "the application is registered after the first entry", "Case._coherent", rows="applicant"),
    Order("a_dob", "app_registered", "born after the registration date", "Case._coherent", rows="applicant", say_after=True),
    *(Order(f"pri{i}_registered", "app_registered", "a prior application is registered before this one", "Case._coherent",
            rows="applicant", say_after=True) for i in range(SLOTS["pri"][0])),  # fmt: skip
    Order("(first entry)", "app_made", "an application is made after arriving", "Case._screening_before_application", rows="applicant"),
    Order("scr_date", "app_made", "the application is made at or after being met", "Case._screening_before_application", rows="applicant"),
    Order("scr_screened_on", "computed_on", "an earlier screening is not after the case's date", "Case._screening_before_application",
          rows="applicant", say_after=True),  # fmt: skip
    Order("app_registered", "dub_evidence_limit", "dublin: the evidence time limit is set after the registration", "Case._dublin_coherent",
          rows="applicant"),  # fmt: skip
    Order("app_registered", "dub_sent", "dublin: the request is sent after the registration", "Case._dublin_coherent", rows="applicant"),
    Order("(first absconding)", "dub_absconding_informed_on", "dublin: informed of an absconding after it", "Case._dublin_coherent",
          rows="applicant"),  # fmt: skip
    Order("scr_date", "computed_on", "no application: the case's date is not before the screening", "Case._non_applicant_coherent",
          rows="non_applicant"),  # fmt: skip
    # (Case._non_applicant_coherent's screened_on <= the case's date follows from the screening check and
    # the one above: screened_on <= scr_date <= computed_on; it is never the first to fail)
    Order("(first entry)", "scr_date", "no application: met after the first entry", "Case._non_applicant_coherent", rows="non_applicant"),
    Order("a_dob", "scr_date", "no application: born after the screening date", "Case._non_applicant_coherent", rows="non_applicant",
          say_after=True),  # fmt: skip
)
# the columns the checks read (a polars table is converted for these only)
DATE_COLUMNS = tuple(dict.fromkeys([c for o in ORDERS for c in (o.earlier, o.later) if not c.startswith("(")] + ["dub_received"]
                                   + [f"mov{i}_date" for i in range(SLOTS["mov"][0])] + [f"ev{i}_start" for i in range(SLOTS["ev"][0])]))
OTHER_COLUMNS = ("app_none", "dub_reexam_reply", "dub_appeal_suspensive") + tuple(f"mov{i}_kind" for i in range(SLOTS["mov"][0])) + \
    tuple(f"ev{i}_kind" for i in range(SLOTS["ev"][0]))  # fmt: skip


class _Dates:
    """The rows' dates as int64 days: ``lo`` with NaT lowest, ``hi`` with NaT highest (so that a date not
    given compares as never before, nor after, anything), derived dates, and the column behind a value."""

    def __init__(self, arrays: Mapping[str, np.ndarray]):
        self.arrays, self._lo, self._hi, self._given = arrays, {}, {}, {}
        self._names: dict[str, Callable[[int], str]] = {}

    def given(self, name: str) -> bool:
        """Some row gives this date (a column never given is not compared: most slots are empty)."""
        if name not in self._given:
            if name not in self.arrays and name not in DERIVED:
                return False  # not in the table
            v = self.lo(name)
            self._given[name] = v.size > 0 and int(v.max()) != NAT
        return self._given[name]

    def lo(self, name: str) -> np.ndarray:
        if name not in self._lo:
            if name in DERIVED:
                self._lo[name], self._names[name] = DERIVED[name](self)
            elif name in self.arrays:
                self._lo[name] = self.arrays[name].view(np.int64)
            else:  # a date column not in the table: not given
                self._lo[name] = np.full(len(next(iter(self.arrays.values()))), NAT, np.int64)
        return self._lo[name]

    def hi(self, name: str) -> np.ndarray:
        if name not in self._hi:
            v = self.lo(name)
            self._hi[name] = np.where(v == NAT, LATEST, v)
        return self._hi[name]

    def column(self, name: str, row: int) -> str:
        return self._names[name](row) if name in self._names else name


def _earliest(d: _Dates, columns: list[str], keep: list[np.ndarray]) -> tuple[np.ndarray, Callable[[int], str]]:
    """Per row the earliest given date of ``columns`` where ``keep``; NaT where none. The column it
    comes from is looked up for the one row an error names."""
    first = np.full(len(keep[0]), LATEST, np.int64)
    kept = []
    for c, k in zip(columns, keep, strict=True):
        if not d.given(c):
            kept.append(np.full(0, LATEST))
            continue
        v = d.lo(c)
        kept.append(np.where(k & (v != NAT), v, LATEST))
        np.minimum(first, kept[-1], out=first)

    def column(row: int) -> str:
        return next(c for c, v in zip(columns, kept, strict=True) if v.size and v[row] == first[row])

    return np.where(first == LATEST, NAT, first), column


def _first_entry(d: _Dates):
    """Case._coherent: min(m.date for m in movements if m.kind != 'departure')."""
    cols = [f"mov{i}_date" for i in range(SLOTS["mov"][0])]
    return _earliest(d, cols, [d.arrays[f"mov{i}_kind"] != DEPARTURE for i in range(len(cols))])


def _first_absconding(d: _Dates):
    """Case._dublin_coherent: min(e.start for e in events if e.kind == 'absconding')."""
    cols = [f"ev{i}_start" for i in range(SLOTS["ev"][0])]
    return _earliest(d, cols, [d.arrays[f"ev{i}_kind"] == ABSCONDING for i in range(len(cols))])


def _either(d: _Dates, use_first: np.ndarray, first: str, other: str):
    return np.where(use_first, d.lo(first), d.lo(other)), lambda row: first if use_first[row] else other


DERIVED: dict[str, Callable[[_Dates], tuple[np.ndarray, Callable[[int], str]]]] = {
    "(first entry)": _first_entry,
    "(first absconding)": _first_absconding,
    # DublinEvents._problems: the reply period runs from the receipt if given, else from the sending
    "(reply period start)": lambda d: _either(d, d.lo("dub_received") != NAT, "dub_received", "dub_sent"),
    # DublinEvents._transfer_problems: the re-examination reply if it accepted, else the reply
    "(acceptance)": lambda d: _either(d, d.arrays["dub_reexam_reply"] == ACCEPTED, "dub_reexam_reply_on", "dub_reply_on"),
}
# the other columns a derived date reads (dates not in the table are read as not given)
NEEDS = {"(first entry)": tuple(f"mov{i}_kind" for i in range(SLOTS["mov"][0])),
         "(first absconding)": tuple(f"ev{i}_kind" for i in range(SLOTS["ev"][0])), "(acceptance)": ("dub_reexam_reply",)}  # fmt: skip


def _row_mask(arrays: Mapping[str, np.ndarray], rows: str) -> np.ndarray | None:
    none = arrays.get("app_none")
    if rows == "applicant":
        return None if none is None else ~none
    if rows == "non_applicant":
        return none  # (a table without app_none has no such rows: _usable skips the check)
    if rows == "suspensive":
        return arrays["dub_appeal_suspensive"]
    return None


def _usable(order: Order, arrays: Mapping[str, np.ndarray]) -> bool:
    """The columns the check reads are in the table (a table without the optional ones is not checked on them)."""
    names = [n for c in (order.earlier, order.later) for n in NEEDS.get(c, ())]  # dates: a column not given is skipped by given()
    names += {"non_applicant": ["app_none"], "suspensive": ["dub_appeal_suspensive"]}.get(order.rows, [])
    return all(n in arrays for n in names)


def _date(days: int) -> str:
    return str(np.datetime64(int(days), "D"))


def check_rows(arrays: Mapping[str, np.ndarray], source: str, first_row: int = 1) -> None:
    """Raise PopulationFileError for the first row that fails a date-order check of the case model."""
    d = _Dates(arrays)
    found: tuple[int, Order] | None = None
    for order in ORDERS:
        if not _usable(order, arrays) or not (d.given(order.earlier) and d.given(order.later)):
            continue
        bad = d.hi(order.later) < d.lo(order.earlier)
        mask = _row_mask(arrays, order.rows)
        if mask is not None:
            bad &= mask
        if bad.any():
            row = int(np.argmax(bad))
            if found is None or row < found[0]:
                found = (row, order)
    if found is not None:
        raise PopulationFileError(_message(d, *found, source, first_row))


def _message(d: _Dates, row: int, order: Order, source: str, first_row: int) -> str:
    earlier, later = d.column(order.earlier, row), d.column(order.later, row)
    a, b = _date(d.lo(order.earlier)[row]), _date(d.lo(order.later)[row])
    said = f"{earlier} {a} is after {later} {b}" if order.say_after else f"{later} {b} is before {earlier} {a}"
    return f"{source}: row {first_row + row:,}: {said} ({order.why})"


def check_table_rows(table: pl.DataFrame, source: str, first_row: int = 1) -> None:
    """:func:`check_rows` on a polars population table (labels and dates read as the engine's codes)."""
    cols = schema()
    arrays = {name: _column_codes(table.get_column(name), cols[name], source, first_row) for name in DATE_COLUMNS + OTHER_COLUMNS
              if name in table.columns and not (name in DATE_COLUMNS and table.get_column(name).null_count() == table.height)}  # fmt: skip
    check_rows(arrays, source, first_row)


__all__ = ["ORDERS", "Order", "check_rows", "check_table_rows"]
