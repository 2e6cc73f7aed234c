"""Input checks shared by every public function.

Each check raises :class:`ValueError` whose message names the argument, states the allowed
range and shows the offending value, so that a wrong call explains itself.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "FloatOrArray",
    "as_finite_array",
    "as_positive_array",
    "check_broadcast",
    "check_fraction",
    "check_nonnegative",
    "check_positive_int",
    "scalar_or_array",
]

FloatOrArray = float | NDArray[np.float64]
"""What a function of scalars or arrays returns: a ``float`` when every input is a scalar."""


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _as_float_array(name: str, value: ArrayLike) -> NDArray[np.float64]:
    if isinstance(value, bool | np.bool_):
        raise ValueError(f"{name} must be a number, not a bool; got {value!r}")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number or an array of them; "
                         f"got {_describe(value)}") from None
    if array.size == 0:
        raise ValueError(f"{name} must not be empty")
    return array


def as_positive_array(name: str, value: ArrayLike) -> NDArray[np.float64]:
    """Return ``value`` as a float array, checking every element is finite and > 0.

    Raises
    ------
    ValueError
        If any element is NaN, infinite, zero or negative; the message names ``name``.
    """
    array = _as_float_array(name, value)
    bad = ~np.isfinite(array) | (array <= 0)
    if bad.any():
        first = array[bad].flat[0]
        raise ValueError(f"{name} must be finite and > 0 (allowed range: 0 < {name} < inf); "
                         f"got {first!r}")
    return array


def as_finite_array(name: str, value: ArrayLike) -> NDArray[np.float64]:
    """Return ``value`` as a float array, checking every element is finite (any sign)."""
    array = _as_float_array(name, value)
    bad = ~np.isfinite(array)
    if bad.any():
        raise ValueError(f"{name} must be finite; got {array[bad].flat[0]!r}")
    return array


def check_nonnegative(name: str, value: ArrayLike) -> NDArray[np.float64]:
    """Return ``value`` as a float array, checking every element is finite and >= 0."""
    array = _as_float_array(name, value)
    bad = ~np.isfinite(array) | (array < 0)
    if bad.any():
        first = array[bad].flat[0]
        raise ValueError(f"{name} must be finite and >= 0 (allowed range: 0 <= {name} < inf); "
                         f"got {first!r}")
    return array


def check_fraction(name: str, value: ArrayLike, *, allow_zero: bool = False,
                   allow_one: bool = True) -> NDArray[np.float64]:
    """Return ``value`` as a float array, checking it lies in (0, 1] (by default).

    Parameters
    ----------
    name
        The argument's name, used in the error message.
    value
        The value to check.
    allow_zero, allow_one
        Whether the end points 0 and 1 are allowed.
    """
    array = _as_float_array(name, value)
    lower_ok = array >= 0 if allow_zero else array > 0
    upper_ok = array <= 1 if allow_one else array < 1
    bad = ~np.isfinite(array) | ~lower_ok | ~upper_ok
    if bad.any():
        low = "[0" if allow_zero else "(0"
        high = "1]" if allow_one else "1)"
        first = array[bad].flat[0]
        raise ValueError(f"{name} must lie in {low}, {high}; got {first!r}")
    return array


def check_positive_int(name: str, value: Any, *, minimum: int = 1) -> int:
    """Return ``value`` as an ``int``, checking it is a whole number >= ``minimum``."""
    if isinstance(value, bool | np.bool_):
        raise ValueError(f"{name} must be a whole number >= {minimum}, not a bool")
    if isinstance(value, int | np.integer):
        result = int(value)
    elif isinstance(value, float | np.floating) and math.isfinite(value) and value == int(value):
        result = int(value)
    else:
        raise ValueError(f"{name} must be a whole number >= {minimum}; got {_describe(value)}")
    if result < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}; got {result}")
    return result


def check_broadcast(**arrays: NDArray[np.float64]) -> None:
    """Check that the named arrays broadcast together, naming them if they do not."""
    try:
        np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {v.shape}" for k, v in arrays.items())
        raise ValueError(f"shapes do not broadcast together: {shapes}") from None


def scalar_or_array(result: NDArray[np.float64], *inputs: ArrayLike) -> float | NDArray[np.float64]:
    """Return a Python float when every input was a scalar, else the array."""
    if all(np.ndim(x) == 0 for x in inputs):
        return float(result)
    return result
