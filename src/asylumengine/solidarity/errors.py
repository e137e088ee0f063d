"""Errors of the solidarity engine that a user can cause (printed as one line, never a traceback)."""


class SolidarityError(ValueError):
    """Inputs that are well-formed but contradict the Regulation (names the state and field)."""


class PoolError(ValueError):
    """A pool that does not keep the Art 12(3) ratio, or a pool that cannot be found."""
