"""The stated limits of the simulators, so that no argument makes one allocate or run without
bound: a call above a limit is refused at once, before anything is allocated."""

from __future__ import annotations

from chinchilla_lib._validation import check_instance, check_positive_int

__all__ = ["MAX_VALUES", "check_count", "check_mode", "check_seed"]

MAX_VALUES = 10_000_000
"""Most random draws (or loss values) one simulator call builds: 10 million float64 values,
80 MB per array."""


def check_count(what: str, count: float, limit: int = MAX_VALUES) -> None:
    """Refuse a call that would build ``count`` values (``what`` names the arguments that set
    it) when that exceeds ``limit``, before anything is allocated."""
    if not count <= limit:
        if isinstance(count, int):
            shown = f"{count:,}" if count < 10**30 else f"a number of {len(str(count))} digits"
        else:
            shown = f"{count:.3g}"
        raise ValueError(f"{what} must be at most {limit:,}; got {shown}. Simulate in "
                         f"smaller pieces")


def check_seed(seed: object) -> int:
    """Return ``seed`` as an int, checking it is a whole number >= 0."""
    return check_positive_int("seed", seed, minimum=0)


def check_mode(name: str, value: object, allowed: tuple[str, ...]) -> str:
    """Return ``value``, checking it is one of the strings ``allowed``."""
    check_instance(name, value, str)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}")
    return value
