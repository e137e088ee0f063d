"""Process memory: keep the C allocator from holding on to what numpy threads free.

glibc gives each thread that allocates a malloc arena of its own and keeps freed memory in it. The
route engine evaluates a large chunk on threads, and numpy's BLAS starts threads at import: when a
large population is streamed chunk after chunk, memory crept up (3M cases: 1.7 GiB, against 1.1 GiB
with two arenas; benchmarks/results/routes_stream.json). ``few_malloc_arenas`` caps the arenas;
it works fully only before numpy starts its threads, so the ``asylum`` command calls it first.
"""

from __future__ import annotations

import ctypes
import os
from functools import lru_cache

M_ARENA_MAX = -8  # malloc.h


@lru_cache(maxsize=1)
def few_malloc_arenas(arenas: int = 2) -> bool:
    """Cap glibc's malloc arenas (once per process). Not glibc, or MALLOC_ARENA_MAX set by the user:
    nothing is changed (False)."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        return bool(ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, arenas))
    except (OSError, AttributeError):
        return False
