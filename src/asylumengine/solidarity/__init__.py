"""The solidarity mechanism of the AMMR (Regulation (EU) 2024/1351, Part IV) as a Python API.

    >>> from asylumengine.solidarity import compute_cycle
    >>> result = compute_cycle(2026)
    >>> round(result.state("NL").fair_share, 1)
    5.2

The CLI (``asylum solidarity``) and the web API call this unchanged.
"""

from asylumengine.solidarity.cycle import compute_cycle, default_date
from asylumengine.solidarity.errors import PoolError, SolidarityError
from asylumengine.solidarity.inputs import InputFileError, load_classifications, load_key_data, load_pledges
from asylumengine.solidarity.key import KeyShare, distribution_key
from asylumengine.solidarity.models import (
    CycleResult,
    DeductionRequest,
    Delivery,
    Interpretation,
    KeyRow,
    OffsetRequest,
    Pledge,
    Pool,
    StateClassification,
    StateResult,
    Status,
    SystemicFinding,
)
from asylumengine.solidarity.pool import eur_per_relocation, make_pool

__all__ = [
    "CycleResult",
    "DeductionRequest",
    "Delivery",
    "InputFileError",
    "Interpretation",
    "KeyRow",
    "KeyShare",
    "OffsetRequest",
    "Pledge",
    "Pool",
    "PoolError",
    "SolidarityError",
    "StateClassification",
    "StateResult",
    "Status",
    "SystemicFinding",
    "compute_cycle",
    "default_date",
    "distribution_key",
    "eur_per_relocation",
    "load_classifications",
    "load_key_data",
    "load_pledges",
    "make_pool",
]
