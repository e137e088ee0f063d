"""A synthetic population of asylum cases, written straight into the population columns.

    synthetic_population(1_000_000, seed=1)          -> Population (a few seconds)
    cases_from_population(pop, rows)                  -> list[Case] (the same rows as pydantic cases)

Nothing here is per row: every draw is a numpy array over all cases (``np.random.default_rng``
seeded with ``np.random.SeedSequence(seed)``), so the same seed gives the same arrays, and a
million cases take a few seconds. Every row is a valid case: ``cases_from_population`` rebuilds
it as a :class:`~asylumengine.routes.case.Case` and ``population_from_cases`` of those gives the
same column values back (tests/test_routes_synth.py checks both).

Sourced
-------
* **Nationality mix**: first asylum applications in the Netherlands by citizenship, **2023**
  (CBS StatLine 80059eng "Asylum requests; by citizenship, from 1975", based on IND data,
  provisional figures), shipped as ``data/files/nl_asylum.csv`` (a copy of the project's
  sourced ``nl_asylum.csv``, source columns kept). 2023 is the latest full year with a
  nationality breakdown in that file (2024 and 2025 have only partial counts). The 24
  largest groups (36 240 of 38 375) are used as published; two parts are not countries:

  - the CBS aggregate "(former) Soviet Union" (2 115) is spread evenly over
    :data:`FORMER_SOVIET_UNION` (assumption: the post-Soviet non-EU states the table does
    not list separately);
  - the remainder (38 375 - 36 240 = 2 135) is spread evenly over :data:`OTHER_NATIONALITIES`
    (assumption), of which a share :data:`STATELESS_SHARE_OF_OTHER` is stateless.

* **Unaccompanied minors**: IND counted 2 191 applications by unaccompanied minors in 2021;
  CBS counted 24 740 first applications that year. The ratio (8.9 %) is the share of
  unaccompanied minors (two sources, applications over persons: an approximation).

Assumptions
-----------
Every other share, range and table is a module-level constant marked ``# assumption``
(``assumptions()`` lists them for the docs). They are plausible round numbers, not
estimates: the population exists to exercise the rules and to measure speed, not to
forecast the Dutch caseload.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

import numpy as np
import polars as pl

from asylumengine.routes.case import Case, dublin_state
from asylumengine.routes.columns import (
    NAT,
    PLACES,
    SCALARS,
    SLOTS,
    VULNERABILITIES,
    Population,
    ccode,
    countries,
    empty_population,
)

# --- sourced: nationality mix --------------------------------------------------------------

NATIONALITY_YEAR = 2023  # latest full year with a nationality breakdown in nl_asylum.csv
NATIONALITY_SOURCE = "80059eng"  # CBS StatLine table (the file also has rounded press figures)
# CBS adjectives (as in the file) -> ISO 3166-1 alpha-2
CBS_NATIONALITY_ISO = {
    "Syrian": "SY", "Turkish": "TR", "Eritrean": "ER", "Yemeni": "YE", "Somali": "SO", "Algerian": "DZ",
    "Iraqi": "IQ", "Iranian": "IR", "Moroccan": "MA", "Sudanese": "SD", "Afghan": "AF", "Nigerian": "NG",
    "Moldavian": "MD", "Pakistani": "PK", "Ukrainian": "UA", "Colombian": "CO", "Tunisian": "TN",
    "Chinese": "CN", "Sierra Leonan": "SL", "Russian": "RU", "Ethiopian": "ET", "Egyptian": "EG",
    "Ugandan": "UG",
}  # fmt: skip
FORMER_SOVIET_UNION_LABEL = "(former) Soviet Union"
FORMER_SOVIET_UNION = ("GE", "AM", "AZ", "BY", "TJ", "UZ")  # assumption: CBS aggregate spread evenly over these
OTHER_NATIONALITIES = ("PS", "LB", "LY", "BD", "IN", "VE", "GN", "CD", "CM", "XK")  # assumption: remainder spread evenly
STATELESS_SHARE_OF_OTHER = 0.10  # assumption: share of the remainder that is stateless
STATELESS_FORMER_RESIDENCE = "SY"  # assumption: former habitual residence of stateless applicants

# --- sourced: unaccompanied minors ---------------------------------------------------------

UAM_YEAR = 2021  # the only year with an unaccompanied-minor count in nl_asylum.csv

# --- assumptions: applicant ----------------------------------------------------------------

ACCOMPANIED_MINOR_SHARE = 0.05  # assumption: minors applying with a parent who travels with them
MALE_SHARE_ADULT = 0.70  # assumption
MALE_SHARE_MINOR = 0.80  # assumption (unaccompanied and accompanied minors)
UAM_AGE_YEARS = (12, 18)  # assumption: unaccompanied minors aged 12-17
ADULT_AGE_EXCESS_MEAN_YEARS = 12.0  # assumption: adult age = 18 + exponential(mean 12 years)
ADULT_AGE_MAX_YEARS = 80  # assumption
VULNERABLE_SHARE = 0.10  # assumption: one identified vulnerability
VULNERABILITY_MIX = {
    "serious_illness": 0.25, "severe_trauma": 0.30, "torture_victim": 0.15, "severe_disability": 0.10,
    "trafficking_victim": 0.05, "special_procedural_needs": 0.10, "pregnancy": 0.05,
}  # fmt: skip  # assumption (pregnancy only for women; otherwise serious illness)
VISA_FREE_NATIONALITIES = ("MD", "UA", "CO", "GE", "VE", "XK")  # assumption: read as Reg. (EU) 2018/1806 Annex II, not checked

# --- assumptions: application --------------------------------------------------------------

REGISTRATION_DELAY_DAYS = (0, 5)  # assumption: registered 0-5 days after being made (inclusive)
LODGED_SHARE = 0.50  # assumption: lodging date already known
LODGING_DELAY_DAYS = (0, 21)  # assumption (inclusive)
DETAINED_SHARE = 0.01  # assumption: detained for a Dublin transfer
RETURN_DECISION_SHARE = 0.02  # assumption: a return decision was notified before applying
RETURN_DECISION_LAG_DAYS = (1, 60)  # assumption: days before making the application
SECURITY_SHARE = 0.005  # assumption
MISLED_SHARE = 0.02  # assumption
HEALTH_NO_TRAVEL_SHARE = 0.005  # assumption

# --- assumptions: entry routes -------------------------------------------------------------

HERE = "HERE"  # in the tables below: the Member State where the application is made
ROUTE_NAMES = ("irregular", "sar", "visa", "residence_document", "visa_waived", "air", "unknown")
ROUTE_SHARES = {"irregular": 0.50, "sar": 0.10, "visa": 0.10, "residence_document": 0.02, "visa_waived": 0.0, "air": 0.08,
                "unknown": 0.20}  # fmt: skip  # assumption (nationals who need a visa)
ROUTE_SHARES_VISA_FREE = {"irregular": 0.05, "sar": 0.0, "visa": 0.0, "residence_document": 0.05, "visa_waived": 0.75,
                          "air": 0.05, "unknown": 0.10}  # fmt: skip  # assumption (VISA_FREE_NATIONALITIES)
IRREGULAR_ENTRY_STATES = {"GR": 0.28, "BG": 0.15, "HR": 0.15, "IT": 0.14, "ES": 0.10, "CY": 0.05, "PL": 0.05, "HU": 0.04,
                          "LT": 0.04}  # fmt: skip  # assumption
SAR_STATES = {"IT": 0.60, "ES": 0.20, "MT": 0.10, "GR": 0.10}  # assumption
DOCUMENT_ISSUERS = {"FR": 0.20, "DE": 0.15, "IT": 0.15, HERE: 0.15, "ES": 0.10, "BE": 0.05, "GR": 0.05, "AT": 0.05, "PL": 0.05,
                    "HU": 0.05}  # fmt: skip  # assumption
VISA_WAIVED_ENTRY_STATES = {HERE: 0.40, "ES": 0.20, "DE": 0.20, "FR": 0.20}  # assumption
BALKAN_ROUTE_SHARE = 0.25  # assumption: after entering GR or BG, left the EU and re-entered irregularly into HR or HU
BALKAN_REENTRY_STATES = {"HR": 0.8, "HU": 0.2}  # assumption
ENTRY_LAG_MEAN_DAYS = 60.0  # assumption: entry to making the application, exponential, + 1 day
AIR_ENTRY_LAG_DAYS = (0, 2)  # assumption: direct arrival by air, applied 0-2 days after landing (inclusive)
EURODAC_IRREGULAR_SHARE = 0.80  # assumption: irregular crossing recorded in Eurodac
EURODAC_SAR_SHARE = 0.90  # assumption
VISA_KIND_MIX = {"short_stay_visa": 0.85, "long_stay_visa": 0.10, "airport_transit_visa": 0.05}  # assumption
VISA_DAYS = {"short_stay_visa": (8, 91), "long_stay_visa": (91, 366), "airport_transit_visa": (1, 8)}  # assumption (validity, days)
RESIDENCE_DOCUMENT_DAYS = (365, 1826)  # assumption: validity 1-5 years
DOCUMENT_ANNULLED_SHARE = 0.02  # assumption
DOCUMENT_FRAUD_SHARE = 0.005  # assumption
VISA_ON_BEHALF_SHARE = 0.02  # assumption: issued on behalf of another state (AMMR Art 29(2)); that state drawn from DOCUMENT_ISSUERS
# where the person applies (application place), by route
AIR_PLACES = {"border_crossing_point": 0.50, "airport_transit_area": 0.10, "after_apprehension_at_border": 0.10,
              "territory": 0.30}  # fmt: skip  # assumption (direct arrival by air in the Member State)
BORDER_APPREHENSION_SHARE = 0.30  # assumption: irregular entry into the applying state -> application after apprehension at the border
AFTER_SAR_SHARE = 0.70  # assumption: SAR disembarkation in the applying state -> application after SAR

# --- assumptions: prior applications -------------------------------------------------------

PRIOR_APPLICATION_SHARE = 0.20  # assumption (cf. dublin.csv: NL sent 6 234 take-back requests in 2024)
PRIOR_IN_ENTRY_STATE_SHARE = 0.60  # assumption: the prior application was made in the state of entry
PRIOR_STATES = {"DE": 0.40, "BE": 0.15, "FR": 0.15, "AT": 0.10, "CH": 0.10, "SE": 0.05, "DK": 0.05}  # assumption
PRIOR_OUTCOMES = {"pending": 0.40, "rejected": 0.25, "withdrawn": 0.05, "implicitly_withdrawn": 0.15,
                  "protection_granted": 0.15}  # fmt: skip  # assumption
PRIOR_PROTECTION_SHARE_GR = 0.60  # assumption: a prior application in Greece ended with protection
PRIOR_FINAL_SHARE = 0.70  # assumption: negative decisions that are final
PRIOR_REFUGEE_SHARE = 0.70  # assumption: protection granted as refugee (else subsidiary)
PRIOR_NEW_ELEMENTS_SHARE = 0.10  # assumption: the new application brings new elements
PRIOR_EURODAC_HIT_SHARE = 0.95  # assumption
PRIOR_AFTER_ENTRY_DAYS = (1, 30)  # assumption: prior application 1-30 days after entering (inclusive)
PRIOR_LAG_MEAN_DAYS = 240.0  # assumption: prior registration to the new application, 7 days + exponential
PRIOR_PROTECTION_EXTRA_DAYS_MEAN = 365.0  # assumption: protection holders applied longer ago
SECOND_PRIOR_SHARE = 0.15  # assumption: of those with a prior application, one more in another state
SECOND_PRIOR_PENDING_SHARE = 0.50  # assumption: that one is pending (else implicitly withdrawn: moved on)

# --- assumptions: family -------------------------------------------------------------------

SPOUSE_ACCOMPANIES_SHARE = 0.15  # assumption: adult applicants travelling with a spouse
CHILDREN_SHARE = 0.15  # assumption: adult applicants (aged 20+) travelling with children
CHILDREN_COUNT = (1, 4)  # assumption: 1-3 children
FAMILY_ABROAD_SHARE = 0.10  # assumption: a family member in another Member State
FAMILY_ABROAD_STATES = {"DE": 0.35, "BE": 0.15, "FR": 0.10, "SE": 0.10, "AT": 0.10, "CH": 0.05, "DK": 0.05, "GR": 0.05,
                        "IT": 0.05}  # fmt: skip  # assumption
FAMILY_ABROAD_RELATION_ADULT = {"spouse": 0.25, "child": 0.15, "parent": 0.20, "sibling": 0.40}  # assumption
FAMILY_ABROAD_RELATION_MINOR = {"parent": 0.30, "sibling": 0.40, "aunt_uncle": 0.20, "grandparent": 0.10}  # assumption
FAMILY_ABROAD_STATUS = {"beneficiary_of_protection": 0.40, "applicant_no_first_decision": 0.20, "applicant_decided": 0.05,
                        "long_term_resident": 0.05, "legally_resident": 0.10, "citizen": 0.10, "irregular": 0.10}  # fmt: skip  # assumption
FAMILY_CONSENT_SHARE = 0.60  # assumption: written consent given
FAMILY_PRE_EXISTING_SHARE = 0.90  # assumption: the family existed before arrival
FAMILY_CARE = {"yes": 0.60, "no": 0.20, "unknown": 0.20}  # assumption: relatives of minors able to take care
FAMILY_DEPENDENCY_SHARE = 0.05  # assumption: a dependency (AMMR Art 34) with the member abroad
FAMILY_DEPENDENCY_APPLICANT_SHARE = 0.50  # assumption: of those, the applicant depends on the member (else the reverse)
# Members abroad are given an age, not a date of birth (assumption); their age relative to the applicant:
FAMILY_AGE_OFFSET_YEARS = {"spouse": (-5, 5), "parent": (18, 45), "sibling": (-8, 8), "grandparent": (40, 70),
                           "aunt_uncle": (15, 40), "responsible_adult": (15, 40)}  # fmt: skip  # assumption (uniform)
CHILD_PARENT_MIN_GAP_YEARS = 16  # assumption: a child is at least 16 years younger than the applicant
PARENT_MIN_AGE_YEARS = 20  # assumption: applicants travelling with children are 20 or older

YEAR_DAYS = 365.2425


def assumptions() -> dict[str, object]:
    """The module-level constants marked ``# assumption`` (name -> value), in source order,
    for the documentation."""
    import ast
    import inspect
    import sys

    module = sys.modules[__name__]
    source = inspect.getsource(module)
    lines = source.splitlines()
    out: dict[str, object] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            text = "\n".join(lines[node.lineno - 1 : node.end_lineno])
            if "# assumption" in text:
                out[node.targets[0].id] = getattr(module, node.targets[0].id)
    return out


# --- sourced tables ------------------------------------------------------------------------


def _rows() -> list[dict[str, str]]:
    path = resources.files("asylumengine.data") / "files" / "nl_asylum.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def nationality_mix() -> dict[str | None, float]:
    """Share of first applications per nationality (ISO alpha-2; None = stateless), from the
    CBS 2023 table; the aggregate and the remainder spread as documented above."""
    rows = [
        r for r in _rows()
        if r["indicator"] == "first_asylum_applications" and r["ref_date"] == str(NATIONALITY_YEAR)
        and NATIONALITY_SOURCE in r["source"]
    ]  # fmt: skip
    total = sum(int(r["value"]) for r in rows if r["nationality"] == "total")
    counts: dict[str | None, float] = {}
    named = 0
    for r in rows:
        name, value = r["nationality"], int(r["value"])
        if name == "total":
            continue
        named += value
        if name == FORMER_SOVIET_UNION_LABEL:
            for iso in FORMER_SOVIET_UNION:
                counts[iso] = counts.get(iso, 0.0) + value / len(FORMER_SOVIET_UNION)
        else:
            iso = CBS_NATIONALITY_ISO[name]  # a new CBS label must be mapped here (KeyError on purpose)
            counts[iso] = counts.get(iso, 0.0) + value
    rest = total - named
    if rest < 0 or total == 0:
        raise ValueError(f"nl_asylum.csv: the {NATIONALITY_YEAR} nationality table does not add up")
    counts[None] = rest * STATELESS_SHARE_OF_OTHER
    for iso in OTHER_NATIONALITIES:
        counts[iso] = counts.get(iso, 0.0) + rest * (1 - STATELESS_SHARE_OF_OTHER) / len(OTHER_NATIONALITIES)
    return {k: v / total for k, v in counts.items()}


@lru_cache(maxsize=1)
def uam_share() -> float:
    """Unaccompanied minors among first applicants: IND count over CBS total, same year."""
    rows = _rows()
    uam = next(int(r["value"]) for r in rows if r["indicator"] == "unaccompanied_minor_applications" and r["ref_date"] == str(UAM_YEAR))
    total = next(int(r["value"]) for r in rows if r["indicator"] == "first_asylum_applications" and r["nationality"] == "total"
                 and r["ref_date"] == str(UAM_YEAR))  # fmt: skip
    return uam / total


# --- vectorised helpers --------------------------------------------------------------------


def _codes(keys, here: str) -> np.ndarray:
    return np.array([ccode(here if k == HERE else k) for k in keys], dtype=np.int16)


def _draw(rng: np.random.Generator, n: int, table: dict, here: str = "") -> np.ndarray:
    """n country codes drawn from a {ISO: weight} table."""
    p = np.array(list(table.values()), dtype=float)
    return _codes(table, here)[rng.choice(len(p), size=n, p=p / p.sum())]


def _draw_index(rng: np.random.Generator, n: int, table: dict, choices: tuple[str, ...]) -> np.ndarray:
    """n enum codes (index into ``choices``) drawn from a {name: weight} table."""
    p = np.array(list(table.values()), dtype=float)
    codes = np.array([choices.index(k) for k in table], dtype=np.int8)
    return codes[rng.choice(len(p), size=n, p=p / p.sum())]


def _randint(rng: np.random.Generator, lo, hi, n: int) -> np.ndarray:
    """Integers in [lo, hi) (arrays or scalars)."""
    return rng.integers(lo, hi, size=n, dtype=np.int64, endpoint=False)


class _Slots:
    """Fills slotted columns from slot 0 upward, one item per call for the rows in ``mask``."""

    def __init__(self, arrays: dict[str, np.ndarray], prefix: str, n: int):
        self.arrays, self.prefix, self.n = arrays, prefix, n
        self.size = SLOTS[prefix][0]
        self.count = np.zeros(n, dtype=np.int8)

    def add(self, mask: np.ndarray, **fields) -> None:
        idx = np.flatnonzero(mask)
        if idx.size == 0:
            return
        pos = self.count[idx]
        if int(pos.max()) >= self.size:
            raise ValueError(f"{self.prefix}: more than {self.size} items in a case")
        for k in np.unique(pos):
            rows = idx[pos == k]
            for name, value in fields.items():
                col = self.arrays[f"{self.prefix}{k}_{name}"]
                col[rows] = value[rows] if isinstance(value, np.ndarray) else value
        self.count[idx] += 1


# --- the generator -------------------------------------------------------------------------


BLOCK = 1_000_000  # cases drawn from one seed stream: a population up to this size is as it always was


def synthetic_population(n: int, seed: int = 1, member_state: str = "NL", year: int = 2026, block: int | None = None) -> Population:
    """n synthetic cases applying in ``member_state`` during ``year`` (see the module docstring):
    the blocks of :func:`synthetic_blocks` joined."""
    parts = list(synthetic_blocks(n, seed, member_state, year, block))
    if len(parts) == 1:
        return parts[0]
    arrays = {k: np.concatenate([p.arrays[k] for p in parts]) for k in parts[0].arrays}
    return Population(arrays, np.concatenate([p.ids for p in parts]), pl.concat([p.id_series for p in parts]))


def synthetic_blocks(
    n: int, seed: int = 1, member_state: str = "NL", year: int = 2026, block: int | None = None
) -> Iterator[Population]:
    """The population in blocks of ``block`` cases (default ``BLOCK``), so that a large one is never whole in memory.
    Block 0 draws from ``SeedSequence(seed)``, block k > 0 from its own stream ``SeedSequence(seed,
    spawn_key=(k,))``: the cases depend on the seed and their position only, not on how they are written."""
    if n < 0:
        raise ValueError("n: must be >= 0")
    block = BLOCK if block is None else block
    if block < 1:
        raise ValueError("block: must be >= 1")
    for k, start in enumerate(range(0, max(n, 1), block)):
        seq = np.random.SeedSequence(seed) if k == 0 else np.random.SeedSequence(seed, spawn_key=(k,))
        yield _generate(min(block, n - start), np.random.default_rng(seq), dublin_state(member_state), year,
                        np.char.add(f"syn{seed}-", np.arange(start, min(start + block, n)).astype(str)))  # fmt: skip


class _Draws:
    """One block being drawn: its generator, the population columns being filled, and the arrays the
    concepts drawn so far left for the later ones (each ``_draw_*`` below reads those and adds its own).
    The concepts are drawn in a fixed order (:func:`_generate`): the same seed gives the same cases."""

    def __init__(self, n: int, rng: np.random.Generator, here: str, year: int):
        self.n, self.rng, self.here, self.here_code, self.year = n, rng, here, ccode(here), year
        self.a = empty_population(n)

    def u(self) -> np.ndarray:
        """n uniform draws in [0, 1)."""
        return self.rng.random(self.n)


def _generate(n: int, rng: np.random.Generator, here: str, year: int, ids: np.ndarray) -> Population:
    d = _Draws(n, rng, here, year)
    for draw in (_draw_nationality, _draw_application_dates, _draw_age_and_sex, _draw_vulnerability, _draw_flags,
                 _draw_entry_route, _draw_prior_timing, _draw_entry_lag, _draw_place, _draw_documents,
                 _draw_entry_movement, _draw_balkan_route, _draw_prior_application, _draw_second_prior_application,
                 _draw_accompanying_family, _draw_family_abroad, _draw_return_decision):  # fmt: skip
        draw(d)
    return Population(d.a, ids, pl.Series("id", ids, dtype=pl.String))  # as a population read from a file carries them


def _draw_nationality(d: _Draws) -> None:
    n, rng, a = d.n, d.rng, d.a
    mix = nationality_mix()
    keys = list(mix)
    nat_idx = rng.choice(len(keys), size=n, p=np.array([mix[k] for k in keys]) / sum(mix.values()))
    stateless_key = keys.index(None)
    nat_codes = np.array([ccode(k) if k else ccode(STATELESS_FORMER_RESIDENCE) for k in keys], dtype=np.int16)
    stateless = nat_idx == stateless_key
    nationality = nat_codes[nat_idx]
    a["a_nationality"][:] = nationality
    a["a_stateless"][:] = stateless
    d.visa_free = np.isin(nationality, _codes(VISA_FREE_NATIONALITIES, d.here)) & ~stateless


def _draw_application_dates(d: _Draws) -> None:
    n, rng, a = d.n, d.rng, d.a
    start = np.datetime64(f"{d.year}-01-01", "D")
    year_len = int((np.datetime64(f"{d.year + 1}-01-01", "D") - start).astype(int))
    made = start + _randint(rng, 0, year_len, n)
    reg_delay = _randint(rng, REGISTRATION_DELAY_DAYS[0], REGISTRATION_DELAY_DAYS[1] + 1, n)
    registered = made + reg_delay
    a["app_state"][:] = d.here_code
    a["app_made"][:] = made
    a["app_registered"][:] = registered
    a["computed_on"][:] = registered
    lodged = d.u() < LODGED_SHARE
    a["app_lodged"][lodged] = (registered + _randint(rng, LODGING_DELAY_DAYS[0], LODGING_DELAY_DAYS[1] + 1, n))[lodged]
    d.made, d.reg_delay, d.registered = made, reg_delay, registered


def _draw_age_and_sex(d: _Draws) -> None:
    """Age, sex and unaccompanied minors."""
    n, rng, a = d.n, d.rng, d.a
    r = d.u()
    uam = r < uam_share()
    minor = uam | (r < uam_share() + ACCOMPANIED_MINOR_SHARE)
    adult = ~minor
    minor_days_max = int(18 * 365)  # < 18 years in any calendar
    age_days = np.where(
        uam,
        _randint(rng, int(UAM_AGE_YEARS[0] * 365.25) + 1, minor_days_max, n),
        np.where(minor, _randint(rng, 0, minor_days_max, n), 0),
    )
    adult_days = (18 * YEAR_DAYS + 2 + rng.exponential(ADULT_AGE_EXCESS_MEAN_YEARS * YEAR_DAYS, n)).astype(np.int64)
    age_days = np.where(adult, np.minimum(adult_days, int(ADULT_AGE_MAX_YEARS * YEAR_DAYS)), age_days)
    age_days = np.maximum(age_days, d.reg_delay)  # born by the day the application was made
    a["a_dob"][:] = d.registered - age_days
    male = d.u() < np.where(minor, MALE_SHARE_MINOR, MALE_SHARE_ADULT)
    sexes = SCALARS["a_sex"][0].choices
    a["a_sex"][:] = np.where(male, sexes.index("male"), sexes.index("female"))
    a["a_unaccompanied"][:] = uam
    d.uam, d.minor, d.adult, d.minor_days_max, d.age_days, d.male = uam, minor, adult, minor_days_max, age_days, male


def _draw_vulnerability(d: _Draws) -> None:
    vuln = d.u() < VULNERABLE_SHARE
    vnames = list(VULNERABILITY_MIX)
    vp = np.array(list(VULNERABILITY_MIX.values()))
    vidx = d.rng.choice(len(vnames), size=d.n, p=vp / vp.sum())
    bits = np.array([1 << VULNERABILITIES.index(v) for v in vnames], dtype=np.int32)[vidx]
    pregnancy_bit = 1 << VULNERABILITIES.index("pregnancy")
    cannot_be_pregnant = d.male | (d.age_days < 15 * YEAR_DAYS)
    bits = np.where((bits == pregnancy_bit) & cannot_be_pregnant, 1 << VULNERABILITIES.index("serious_illness"), bits)
    d.a["a_vulnerable"][:] = np.where(vuln, bits, 0)


def _draw_flags(d: _Draws) -> None:
    """Flags and application facts."""
    a = d.a
    a["f_security"][:] = d.u() < SECURITY_SHARE
    a["f_misled"][:] = d.u() < MISLED_SHARE
    a["f_health_no_travel"][:] = d.u() < HEALTH_NO_TRAVEL_SHARE
    a["app_detained"][:] = d.u() < DETAINED_SHARE


def _draw_entry_route(d: _Draws) -> None:
    """How the person entered, and through which state."""
    n, rng, here = d.n, d.rng, d.here
    route = np.where(
        d.visa_free,
        rng.choice(len(ROUTE_NAMES), size=n, p=_p(ROUTE_SHARES_VISA_FREE)),
        rng.choice(len(ROUTE_NAMES), size=n, p=_p(ROUTE_SHARES)),
    )
    is_route = {name: route == i for i, name in enumerate(ROUTE_NAMES)}
    entry_state = np.zeros(n, dtype=np.int16)
    entry_state = np.where(is_route["irregular"], _draw(rng, n, IRREGULAR_ENTRY_STATES), entry_state)
    entry_state = np.where(is_route["sar"], _draw(rng, n, SAR_STATES), entry_state)
    issuer = _draw(rng, n, DOCUMENT_ISSUERS, here)
    has_doc = is_route["visa"] | is_route["residence_document"]
    entry_state = np.where(has_doc, issuer, entry_state)
    entry_state = np.where(is_route["visa_waived"], _draw(rng, n, VISA_WAIVED_ENTRY_STATES, here), entry_state)
    d.entry_state = np.where(is_route["air"], d.here_code, entry_state).astype(np.int16)
    d.is_route, d.issuer, d.has_doc = is_route, issuer, has_doc


def _draw_prior_timing(d: _Draws) -> None:
    """Whether there was an earlier application, where, with what outcome and how long ago
    (prior applications decide how long ago the person entered)."""
    n, rng, u = d.n, d.rng, d.u
    prior = u() < PRIOR_APPLICATION_SHARE
    prior_in_entry = (u() < PRIOR_IN_ENTRY_STATE_SHARE) & (d.entry_state != 0) & ~d.is_route["air"]
    prior_state = np.where(prior_in_entry, d.entry_state, _draw(rng, n, PRIOR_STATES)).astype(np.int16)
    outcome_choices = SLOTS["pri"][2]["outcome"][0].choices
    prior_outcome = _draw_index(rng, n, PRIOR_OUTCOMES, outcome_choices)
    gr_protection = (prior_state == ccode("GR")) & (u() < PRIOR_PROTECTION_SHARE_GR)
    prior_outcome = np.where(gr_protection, outcome_choices.index("protection_granted"), prior_outcome).astype(np.int8)
    protected = prior & (prior_outcome == outcome_choices.index("protection_granted"))
    prior_lag = 7 + rng.exponential(PRIOR_LAG_MEAN_DAYS, n).astype(np.int64)
    prior_lag += np.where(protected, rng.exponential(PRIOR_PROTECTION_EXTRA_DAYS_MEAN, n).astype(np.int64), 0)
    d.prior, d.prior_in_entry, d.prior_state, d.prior_outcome = prior, prior_in_entry, prior_state, prior_outcome
    d.outcome_choices, d.protected, d.prior_lag = outcome_choices, protected, prior_lag


def _draw_entry_lag(d: _Draws) -> None:
    """Days between entering and making the application, capped so that nothing happens before birth."""
    n, rng, prior, air = d.n, d.rng, d.prior, d.is_route["air"]
    lag_cap = np.maximum(d.age_days - d.reg_delay, 0)
    entry_lag = 1 + rng.exponential(ENTRY_LAG_MEAN_DAYS, n).astype(np.int64)
    entry_lag = np.where(prior, d.prior_lag + _randint(rng, PRIOR_AFTER_ENTRY_DAYS[0], PRIOR_AFTER_ENTRY_DAYS[1] + 1, n), entry_lag)
    entry_lag = np.where(air & ~prior, _randint(rng, AIR_ENTRY_LAG_DAYS[0], AIR_ENTRY_LAG_DAYS[1] + 1, n), entry_lag)
    entry_lag = np.minimum(entry_lag, lag_cap)
    d.prior_lag = np.minimum(d.prior_lag, entry_lag)  # registered after entering (or on the day)
    d.lag_cap, d.entry_lag, d.entry = lag_cap, entry_lag, d.made - entry_lag


def _draw_place(d: _Draws) -> None:
    """Place of application and border situations."""
    n, is_route, prior, u = d.n, d.is_route, d.prior, d.u
    place = np.full(n, PLACES.index("territory"), dtype=np.int8)
    air_place = _draw_index(d.rng, n, AIR_PLACES, PLACES)
    place = np.where(is_route["air"] & ~prior, air_place, place)
    entered_here = d.entry_state == d.here_code
    apprehended = is_route["irregular"] & entered_here & (u() < BORDER_APPREHENSION_SHARE) & ~prior
    place = np.where(apprehended, PLACES.index("after_apprehension_at_border"), place)
    after_sar = is_route["sar"] & entered_here & (u() < AFTER_SAR_SHARE) & ~prior
    place = np.where(after_sar, PLACES.index("after_sar"), place).astype(np.int8)
    d.a["app_place"][:] = place
    d.place = place
    d.at_border = np.isin(place, [PLACES.index(p) for p in ("border_crossing_point", "airport_transit_area")])


def _draw_documents(d: _Draws) -> None:
    """The visa or residence document of those who entered with one, valid on the day of entry."""
    n, rng, u, issuer = d.n, d.rng, d.u, d.issuer
    kind_choices = SLOTS["doc"][2]["kind"][0].choices
    visa_kind = _draw_index(rng, n, VISA_KIND_MIX, kind_choices)
    doc_kind = np.where(d.is_route["residence_document"], kind_choices.index("residence_document"), visa_kind).astype(np.int8)
    lo = np.full(n, RESIDENCE_DOCUMENT_DAYS[0])
    hi = np.full(n, RESIDENCE_DOCUMENT_DAYS[1])
    for name, (d0, d1) in VISA_DAYS.items():
        sel = doc_kind == kind_choices.index(name)
        lo[sel], hi[sel] = d0, d1
    validity = _randint(rng, lo, hi, n)
    valid_from = d.entry - np.minimum(_randint(rng, 0, hi, n), validity)  # entry within the validity
    valid_to = valid_from + validity
    annulled = u() < DOCUMENT_ANNULLED_SHARE
    status_choices = SLOTS["doc"][2]["status"][0].choices
    on_behalf = (u() < VISA_ON_BEHALF_SHARE) & (doc_kind != kind_choices.index("residence_document"))
    behalf = np.where(on_behalf, _draw(rng, n, DOCUMENT_ISSUERS, d.here), 0)
    behalf = np.where(behalf == issuer, 0, behalf).astype(np.int16)
    _Slots(d.a, "doc", n).add(
        d.has_doc,
        kind=doc_kind,
        state=issuer,
        behalf=behalf,
        **{"from": valid_from},
        to=valid_to,
        status=np.where(annulled, status_choices.index("annulled"), status_choices.index("valid")).astype(np.int8),
        cancelled=np.where(annulled, valid_from + _randint(rng, 0, validity + 1, n), NAT),
        fraud=u() < DOCUMENT_FRAUD_SHARE,
    )


def _draw_entry_movement(d: _Draws) -> None:
    """The entry into the Member States, the first movement (slot order is date order)."""
    is_route, u = d.is_route, d.u
    d.movs = _Slots(d.a, "mov", d.n)
    d.mk = mk = SLOTS["mov"][2]["kind"][0].choices
    entry_kind = np.zeros(d.n, dtype=np.int8)
    entry_kind[is_route["irregular"]] = mk.index("irregular_crossing")
    entry_kind[is_route["sar"]] = mk.index("sar_disembarkation")
    entry_kind[d.has_doc] = mk.index("lawful_entry")
    entry_kind[is_route["visa_waived"]] = mk.index("visa_waived_entry")
    air_entered = is_route["air"] & (d.place == PLACES.index("territory"))
    entry_kind[air_entered] = mk.index("irregular_crossing")  # entered undocumented by air, applied inside
    eurodac = np.where(
        entry_kind == mk.index("irregular_crossing"), u() < EURODAC_IRREGULAR_SHARE,
        np.where(entry_kind == mk.index("sar_disembarkation"), u() < EURODAC_SAR_SHARE, False),
    )  # fmt: skip
    d.movs.add(entry_kind != 0, date=d.entry, country=d.entry_state, kind=entry_kind, third=True, eurodac=eurodac)
    d.entry_kind = entry_kind


def _draw_balkan_route(d: _Draws) -> None:
    """The Balkan route: out of Greece or Bulgaria, back in irregularly further north (not when the
    prior application was made in the state of entry: the person stayed there)."""
    n, rng, u, prior, mk, entry_state = d.n, d.rng, d.u, d.prior, d.mk, d.entry_state
    until = np.where(prior, d.prior_lag, 0)  # days before making the application: the (first) prior application, if any
    span = d.entry_lag - until  # days between entering and that
    balkan = d.is_route["irregular"] & np.isin(entry_state, _codes(("GR", "BG"), d.here)) & (u() < BALKAN_ROUTE_SHARE)
    balkan &= (span >= 2) & ~(prior & d.prior_in_entry)
    left_off = 1 + _randint(rng, 0, 1 << 30, n) % np.maximum(span - 1, 1)  # 1 .. span-1
    back_off = left_off + 1 + _randint(rng, 0, 1 << 30, n) % np.maximum(span - left_off, 1)  # left_off+1 .. span
    left_on, back_on = d.entry + left_off, d.entry + back_off
    balkan &= back_off <= span
    d.movs.add(balkan, date=left_on, country=entry_state, kind=mk.index("departure"), third=False, eurodac=False)
    reentry = _draw(rng, n, BALKAN_REENTRY_STATES)
    d.movs.add(balkan, date=back_on, country=reentry, kind=mk.index("irregular_crossing"), third=True, eurodac=u() < EURODAC_IRREGULAR_SHARE)


def _draw_prior_application(d: _Draws) -> None:
    """The (first) earlier application; also draws whether there was a second one, and where."""
    n, u, prior, prior_outcome, oc = d.n, d.u, d.prior, d.prior_outcome, d.outcome_choices
    d.pris = _Slots(d.a, "pri", n)
    d.pri_kinds = kinds = SLOTS["pri"][2]["kind"][0].choices
    rejected_like = np.isin(prior_outcome, [oc.index(o) for o in ("rejected",)])
    final = np.where(
        prior_outcome == oc.index("protection_granted"), True,
        np.where(prior_outcome == oc.index("pending"), False, u() < PRIOR_FINAL_SHARE),
    )  # fmt: skip
    second = prior & (u() < SECOND_PRIOR_SHARE) & (d.prior_lag >= 2)
    d.second_state = _draw(d.rng, n, PRIOR_STATES)
    d.second = second & (d.second_state != d.prior_state)
    d.pris.add(
        prior,
        state=d.prior_state,
        registered=d.made - d.prior_lag,
        outcome=prior_outcome,
        final=final,
        kind=np.where(d.protected, np.where(u() < PRIOR_REFUGEE_SHARE, kinds.index("refugee"), kinds.index("subsidiary")),
                      kinds.index("none")).astype(np.int8),
        new=rejected_like & (u() < PRIOR_NEW_ELEMENTS_SHARE),
        hit=u() < PRIOR_EURODAC_HIT_SHARE,
    )  # fmt: skip


def _draw_second_prior_application(d: _Draws) -> None:
    """A later application elsewhere (moved on before the decision): pending or implicitly withdrawn."""
    n, u, oc = d.n, d.u, d.outcome_choices
    second_outcome = np.where(u() < SECOND_PRIOR_PENDING_SHARE, oc.index("pending"),
                              oc.index("implicitly_withdrawn")).astype(np.int8)  # fmt: skip
    d.pris.add(
        d.second,
        state=d.second_state,
        registered=d.made - 1 - (_randint(d.rng, 0, 1 << 30, n) % np.maximum(d.prior_lag - 1, 1)),
        outcome=second_outcome,
        final=False,
        kind=d.pri_kinds.index("none"),
        new=False,
        hit=u() < PRIOR_EURODAC_HIT_SHARE,
    )


def _draw_accompanying_family(d: _Draws) -> None:
    """Family applying together: a spouse (adults), children (adults aged 20+; each younger than 18
    and than the parent minus 16 years), a parent with whom an accompanied minor travels."""
    n, rng, u, age_days, registered = d.n, d.rng, d.u, d.age_days, d.registered
    d.fam = fam = _Slots(d.a, "fam", n)
    rel, fstat, care, dep = (SLOTS["fam"][2][k][0].choices for k in ("relation", "status", "care", "dependency"))
    d.rel, d.fstat, d.care, d.dep = rel, fstat, care, dep
    together = dict(location=d.here_code, status=fstat.index("applicant_no_first_decision"), pre=True, consent=False,
                    care=care.index("unknown"), dependency=dep.index("none"), accompanies=True)  # fmt: skip
    spouse = d.adult & (u() < SPOUSE_ACCOMPANIES_SHARE)
    lo, hi = FAMILY_AGE_OFFSET_YEARS["spouse"]
    spouse_days = np.maximum(age_days + (rng.uniform(lo, hi, n) * YEAR_DAYS).astype(np.int64), int(18 * YEAR_DAYS) + 2)
    fam.add(spouse, relation=rel.index("spouse"), dob=registered - spouse_days, **together)
    parents = d.adult & (age_days >= PARENT_MIN_AGE_YEARS * YEAR_DAYS) & (u() < CHILDREN_SHARE)
    n_children = _randint(rng, CHILDREN_COUNT[0], CHILDREN_COUNT[1], n)
    child_max = np.minimum(d.minor_days_max, age_days - int(CHILD_PARENT_MIN_GAP_YEARS * YEAR_DAYS))
    for k in range(CHILDREN_COUNT[1] - 1):
        has = parents & (n_children > k)
        fam.add(has, relation=rel.index("child"), dob=registered - (_randint(rng, 0, 1 << 30, n) % np.maximum(child_max, 1)), **together)
    with_parent = d.minor & ~d.uam
    lo, hi = FAMILY_AGE_OFFSET_YEARS["parent"]
    parent_days = age_days + (rng.uniform(lo, hi, n) * YEAR_DAYS).astype(np.int64)
    fam.add(with_parent, relation=rel.index("parent"), dob=registered - parent_days, **together)


def _family_abroad_age(d: _Draws, relation: np.ndarray) -> np.ndarray:
    """Age in years of the family member in another Member State, by relation."""
    rng, n, rel = d.rng, d.n, d.rel
    years = d.age_days / YEAR_DAYS
    member_age = rng.uniform(0, np.maximum(years - CHILD_PARENT_MIN_GAP_YEARS, 1), n)  # children
    for name, (lo, hi) in FAMILY_AGE_OFFSET_YEARS.items():
        sel = relation == rel.index(name)
        member_age = np.where(sel, years + rng.uniform(lo, hi, n), member_age)
    member_age = np.clip(member_age, 0, 110).astype(np.int32)
    return np.where(relation == rel.index("spouse"), np.maximum(member_age, 18), member_age)


def _draw_family_abroad(d: _Draws) -> None:
    """A family member in another Member State."""
    n, rng, u, minor, rel, care, dep = d.n, d.rng, d.u, d.minor, d.rel, d.care, d.dep
    abroad = u() < FAMILY_ABROAD_SHARE
    relation_minor = _draw_index(rng, n, FAMILY_ABROAD_RELATION_MINOR, rel)
    relation = np.where(minor, relation_minor, _draw_index(rng, n, FAMILY_ABROAD_RELATION_ADULT, rel))
    member_age = _family_abroad_age(d, relation)
    dependent = u() < FAMILY_DEPENDENCY_SHARE
    d.fam.add(
        abroad,
        relation=relation,
        age=member_age,
        location=_draw(rng, n, FAMILY_ABROAD_STATES),
        status=_draw_index(rng, n, FAMILY_ABROAD_STATUS, d.fstat),
        pre=u() < FAMILY_PRE_EXISTING_SHARE,
        consent=u() < FAMILY_CONSENT_SHARE,
        care=np.where(minor, _draw_index(rng, n, FAMILY_CARE, care), care.index("unknown")).astype(np.int8),
        dependency=np.where(dependent, np.where(u() < FAMILY_DEPENDENCY_APPLICANT_SHARE, dep.index("applicant_dependent"),
                                                dep.index("member_dependent")),
                            dep.index("none")).astype(np.int8),
        accompanies=False,
    )  # fmt: skip


def _draw_return_decision(d: _Draws) -> None:
    """A return decision before applying (after entering, if known)."""
    rd = (d.u() < RETURN_DECISION_SHARE) & ~d.at_border
    rd_lag = _randint(d.rng, RETURN_DECISION_LAG_DAYS[0], RETURN_DECISION_LAG_DAYS[1] + 1, d.n)
    rd_lag = np.minimum(rd_lag, np.where(d.entry_kind != 0, d.entry_lag, d.lag_cap))
    d.a["app_return_decision"][rd] = (d.made - rd_lag)[rd]


def _p(table: dict[str, float]) -> np.ndarray:
    p = np.array([table[k] for k in ROUTE_NAMES], dtype=float)
    return p / p.sum()


# --- back to pydantic cases ------------------------------------------------------------------


def _decode(col, value):
    if col.kind == "date":
        return value  # datetime.date or None (from .tolist())
    if col.kind == "country":
        return countries()[value] or None
    if col.kind == "enum":
        if col.choices == ("unknown", "yes", "no"):
            return {0: None, 1: True, 2: False}[value]
        return col.choices[value] or None
    if col.kind == "int":
        return None if value == -1 else int(value)
    return value


def cases_from_population(pop: Population, rows) -> list[Case]:
    """Rebuild pydantic cases for the given row indices (for comparing the one-case path with the
    population path). ``population_from_cases`` of the result gives ``pop.take(rows)`` back."""
    rows = np.asarray(rows, dtype=np.int64).reshape(-1)
    sub = pop.take(rows)
    cols = {k: v.tolist() for k, v in sub.arrays.items()}
    out = []
    for j in range(len(rows)):

        def g(name: str, decode: bool = True):
            value = cols[name][j]
            return _decode(SCALARS[name][0], value) if decode else value

        stateless = bool(g("a_stateless"))
        mask = int(g("a_vulnerable"))
        data: dict = {
            "id": str(sub.ids[j]),
            "applicant": {
                "date_of_birth": g("a_dob"),
                "age": g("a_age"),
                "nationality": None if stateless else g("a_nationality"),
                "stateless": stateless,
                "former_habitual_residence": g("a_nationality") if stateless else None,
                "sex": g("a_sex"),
                "vulnerabilities": [v for b, v in enumerate(VULNERABILITIES) if mask & (1 << b)],
                "unaccompanied": bool(g("a_unaccompanied")),
            },
            "application": {
                "member_state": g("app_state"),
                "made_on": g("app_made"),
                "registered_on": g("app_registered"),
                "lodged_on": g("app_lodged"),
                "place": g("app_place"),
                "meets_entry_conditions": bool(g("app_entry_ok")),
                "in_detention": bool(g("app_detained")),
                "return_decision_received_on": g("app_return_decision"),
                "relocated_to": g("app_relocated_to"),
                "relocated_on": g("app_relocated_on"),
            },
            "flags": {
                "security_threat": bool(g("f_security")),
                "misled_authorities": bool(g("f_misled")),
                "irrelevant_issues_only": bool(g("f_irrelevant")),
                "inconsistent_statements": bool(g("f_inconsistent")),
                "only_to_delay_removal": bool(g("f_delay")),
                "late_application_without_reason": bool(g("f_late")),
                "special_procedural_needs_unmet_at_border": bool(g("f_needs_unmet")),
                "border_capacity_reached": bool(g("f_capacity")),
                "discretionary_clause_state": g("f_discretion"),
                "systemic_risk_states": [s for s in (g("f_systemic1"), g("f_systemic2")) if s],
                "health_prevents_travel": bool(g("f_health_no_travel")),
            },
            "outcomes": {
                "take_charge_reply": g("o_take_charge"),
                "merits": g("o_merits"),
                "appeal": g("o_appeal"),
                "departure": g("o_departure"),
            },
            "holidays": g("holidays"),
        }
        computed_on = g("computed_on")
        data["computed_on"] = None if computed_on == data["application"]["registered_on"] else computed_on
        for prefix, (size, attr, fields) in SLOTS.items():
            items = []
            first_suffix = next(iter(fields))
            for i in range(size):
                col0 = fields[first_suffix][0]
                if cols[f"{prefix}{i}_{first_suffix}"][j] == (None if col0.kind == "date" else col0.empty):
                    continue  # an empty slot
                item = {}
                for suffix, (col, field) in fields.items():
                    value = _decode(col, cols[f"{prefix}{i}_{suffix}"][j])
                    if col.kind == "bool":
                        value = bool(value)
                    item[field] = value
                items.append(item)
            data[attr] = items
        out.append(Case.model_validate(data))
    return out


__all__ = ["assumptions", "cases_from_population", "nationality_mix", "synthetic_blocks", "synthetic_population", "uam_share"]
