import os
import sys
import tempfile
from pathlib import Path

from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))  # lets tests import the case-file helpers
# the tests' run store is a temporary file, never the user's own (servers, `--record`)
os.environ["ASYLUM_STORE"] = str(Path(tempfile.mkdtemp(prefix="asylum-store-")) / "runs.sqlite")

# The suite is deterministic: in CI (the default) hypothesis runs derandomised, with no example
# database, so every run tries the same inputs; found failures are pinned as @example.
# `make fuzz` selects the "fuzz" profile: randomised, many more examples (outside CI).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("fuzz", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def examples(n: int) -> int:
    """Examples per property: n in CI, FUZZ_FACTOR times n under `make fuzz`."""
    return n * int(os.environ.get("FUZZ_FACTOR", "1"))
