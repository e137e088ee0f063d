"""EU Member States and their codes.

Two code conventions meet here: ISO 3166-1 alpha-2 (``GR`` for Greece) and the codes
the EU and Eurostat use (``EL`` for Greece; the EU's interinstitutional style guide).
AsylumEngine accepts both and writes ISO 3166-1 alpha-2 in its output, with the
Eurostat code alongside where the two differ. Names come from pycountry.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry

# The 27 Member States (ISO 3166-1 alpha-2), EU membership since 1 February 2020.
EU27: tuple[str, ...] = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
)  # fmt: skip

# Where Eurostat / the EU style guide differ from ISO 3166-1 alpha-2.
_ISO_TO_EUROSTAT = {"GR": "EL"}
_EUROSTAT_TO_ISO = {v: k for k, v in _ISO_TO_EUROSTAT.items()}

CODE_CONVENTION = "ISO 3166-1 alpha-2 (Greece = GR; Eurostat and EU texts write EL)"


class UnknownMemberState(ValueError):
    """A code that is not an EU Member State in either convention."""


def to_iso(code: str) -> str:
    """Normalise an ISO 3166-1 alpha-2 or Eurostat code to ISO alpha-2, e.g. 'EL' -> 'GR'."""
    if not isinstance(code, str) or not code.strip():
        raise UnknownMemberState("empty Member State code")
    key = code.strip().upper()
    key = _EUROSTAT_TO_ISO.get(key, key)
    if key not in EU27:
        hint = ""
        country = pycountry.countries.get(alpha_2=key)
        if country is not None:
            hint = f" ({country.name} is not an EU Member State)"
        raise UnknownMemberState(
            f"'{code}' is not an EU Member State code{hint}; use ISO 3166-1 alpha-2 "
            f"(e.g. NL, GR) or the Eurostat code (EL for Greece)"
        )
    return key


def to_eurostat(code: str) -> str:
    iso = to_iso(code)
    return _ISO_TO_EUROSTAT.get(iso, iso)


@lru_cache(maxsize=None)
def name(code: str) -> str:
    """English short name of a Member State (from pycountry)."""
    iso = to_iso(code)
    country = pycountry.countries.get(alpha_2=iso)
    return getattr(country, "common_name", None) or country.name
