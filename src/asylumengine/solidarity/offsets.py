"""Responsibility offsets (AMMR Art 63, 69): the rules live in ``solidarity/rules/offsets.py``;
this module keeps their old import path."""

from asylumengine.solidarity.rules.offsets import (  # noqa: F401
    Thresholds,
    allocate_mandatory,
    contributor_may_offer,
    mandatory_ceiling,
    mandatory_triggered,
    voluntary_available,
)
