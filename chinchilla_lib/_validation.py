"""Input checks shared by every public function.

Each check raises :class:`ValueError` whose message names the argument, states the allowed
range and shows the offending value, so that a wrong call explains itself.
"""

from __future__ import annotations

import functools
import inspect
import math
import sys
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "FloatOrArray",
    "as_finite_array",
    "as_positive_array",
    "check_broadcast",
    "check_finite_result",
    "check_fraction",
    "check_instance",
    "check_nonnegative",
    "check_positive_int",
    "check_positive_real",
    "checks_overflow",
    "checks_overflow_methods",
    "may_be_infinite",
    "scalar_or_array",
    "single",
]

FloatOrArray = float | NDArray[np.float64]
"""What a function of scalars or arrays returns: a ``float`` when every input is a scalar."""


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_FLOAT_MAX = sys.float_info.max


def _refuse_element(name: str, item: Any) -> None:
    """Raise the error that names why one element cannot be read as a real float."""
    if item is None:
        raise ValueError(f"{name} must be a real number or an array of them; got None")
    if isinstance(item, bool | np.bool_):
        raise ValueError(f"{name} must be a number, not a bool; got {item!r}")
    if isinstance(item, complex | np.complexfloating):
        raise ValueError(f"{name} must be real, not complex; got {item!r}")
    if isinstance(item, int | np.integer) and abs(int(item)) > _FLOAT_MAX:
        raise ValueError(f"{name} must lie within float range (magnitude < {_FLOAT_MAX:.4g}); "
                         f"got an integer of {len(str(abs(int(item))))} digits")
    if isinstance(item, str | bytes):
        raise ValueError(f"{name} must be a real number or an array of them, not text; "
                         f"got {_describe(item)}")


def _as_float_array(name: str, value: ArrayLike) -> NDArray[np.float64]:
    """``value`` as a float array, refusing what a float cast would silently change.

    None, bools, complex numbers, text, integers beyond float range, ragged nesting and empty
    arrays are refused with a ValueError naming ``name``; nothing is cast silently.
    """
    _refuse_element(name, value)
    try:
        array = np.asarray(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be a real number or a rectangular array of them; "
                         f"got {_describe(value)}") from None
    if array.dtype.kind == "O":
        for item in array.flat:
            _refuse_element(name, item)
            if isinstance(item, list | tuple | np.ndarray):
                raise ValueError(f"{name} must be a real number or a rectangular array of "
                                 f"them; got {_describe(value)}")
    elif array.dtype.kind == "b":
        raise ValueError(f"{name} must be numbers, not bools; got {_describe(value)}")
    elif array.dtype.kind == "c":
        raise ValueError(f"{name} must be real, not complex; got {_describe(value)}")
    elif array.dtype.kind not in "iuf":
        raise ValueError(f"{name} must be a real number or an array of them; "
                         f"got {_describe(value)}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty")
    try:
        with np.errstate(over="ignore"):
            return array.astype(float)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be a real number or an array of them; "
                         f"got {_describe(value)}") from None


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
    if value is None:
        raise ValueError(f"{name} must be a whole number >= {minimum}; got None")
    if isinstance(value, int | np.integer):
        result = int(value)
        if abs(result) > _FLOAT_MAX:
            raise ValueError(f"{name} must be a whole number within float range "
                             f"({minimum} <= {name} < {_FLOAT_MAX:.4g}); got an integer of "
                             f"{len(str(abs(result)))} digits")
    elif isinstance(value, float | np.floating) and math.isfinite(value) and value == int(value):
        result = int(value)
    else:
        raise ValueError(f"{name} must be a whole number >= {minimum}; got {_describe(value)}")
    if result < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}; got {result}")
    return result


def check_positive_real(name: str, value: Any, unit: str = "") -> float:
    """Return ``value`` as a ``float``, checking it is one real number, finite and > 0.

    A TypeError names the argument when ``value`` is not a real number (a string, a bool,
    None, a complex number or an array); a ValueError when it is NaN, infinite, <= 0 or an
    integer beyond float range. ``unit`` (e.g. ``"FLOPs"``) is named in the messages.

    Examples
    --------
    >>> check_positive_real("flops", 1e21, "FLOPs")
    1e+21
    >>> check_positive_real("flops", -1.0, "FLOPs")
    Traceback (most recent call last):
    ...
    ValueError: flops must be finite and > 0 FLOPs; got -1.0
    """
    of_unit = f" of {unit}" if unit else ""
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.integer
                                                               | np.floating):
        raise TypeError(f"{name} must be a real number{of_unit}; got {_describe(value)}")
    if isinstance(value, int | np.integer) and abs(int(value)) > _FLOAT_MAX:
        _refuse_element(name, value)
    number = float(value)
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be finite and > 0{' ' + unit if unit else ''}; "
                         f"got {_describe(value)}")
    return number


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


def check_instance(name: str, value: Any, kind: type | tuple[type, ...]) -> Any:
    """Return ``value``, checking it is an instance of ``kind`` (a TypeError naming ``name``)."""
    if not isinstance(value, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        wanted = " or ".join(k.__name__ for k in kinds)
        shown = "None" if value is None else f"{_describe(value)} ({type(value).__name__})"
        raise TypeError(f"{name} must be a {wanted}; got {shown}")
    return value


def _all_finite(value: Any, depth: int = 0) -> bool:
    """Whether every number in ``value`` (a float, an array, a tuple or a dataclass) is finite."""
    if isinstance(value, bool | np.bool_ | str) or value is None or depth > 4:
        return True
    if isinstance(value, int | np.integer):
        return abs(int(value)) <= _FLOAT_MAX
    if isinstance(value, float | np.floating):
        return math.isfinite(value)
    if isinstance(value, np.ndarray):
        return value.dtype.kind not in "fc" or bool(np.isfinite(value).all())
    if isinstance(value, tuple | list):
        return all(_all_finite(v, depth + 1) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return all(_all_finite(getattr(value, f.name), depth + 1) for f in fields(value))
    return True


def check_finite_result(name: str, value: Any, **inputs: Any) -> Any:
    """Return ``value``, raising ValueError if a number in it is not finite.

    The one check of a result in the library: a computation that overflows float range (or
    divides by a number that underflowed to zero) is an error naming the function and its
    inputs, never an ``inf`` or ``nan`` with a RuntimeWarning.

    Parameters
    ----------
    name
        What was computed (the public function's name), for the message.
    value
        The result: a float, an array, a tuple or a dataclass of them.
    **inputs
        The inputs, shown in the message.
    """
    if _all_finite(value):
        return value
    shown = ", ".join(f"{k}={_describe(v)}" for k, v in inputs.items())
    raise ValueError(f"{name}: the result overflows float range (it is not finite) for "
                     f"{shown or 'these inputs'}; use inputs of smaller magnitude or "
                     f"other units")


_F = TypeVar("_F", bound=Callable[..., Any])


def checks_overflow(func: _F) -> _F:
    """Decorate a public function or method so that an overflow is a ValueError.

    The function runs with NumPy's floating-point warnings silenced, and its result is held
    by :func:`check_finite_result`; Python's own ``OverflowError`` and ``ZeroDivisionError``
    from float arithmetic become the same ValueError. Checks of the inputs run first, inside
    the function, so a bad input is still reported by name.
    """
    signature = inspect.signature(func)
    label = func.__qualname__

    def inputs(args: tuple, kwargs: dict) -> dict[str, Any]:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError:
            return {}
        return {k: v for k, v in bound.arguments.items() if k not in ("self", "cls")}

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
                result = func(*args, **kwargs)
        except (OverflowError, ZeroDivisionError):
            return check_finite_result(label, math.inf, **inputs(args, kwargs))
        if _all_finite(result):
            return result
        return check_finite_result(label, result, **inputs(args, kwargs))

    return wrapper  # type: ignore[return-value]


_C = TypeVar("_C", bound=type)


def checks_overflow_methods(cls: _C) -> _C:
    """Class decorator: :func:`checks_overflow` on every public method and property of ``cls``.

    A law's ``loss``, ``compute_optimal`` and the like then report an overflow by name, as the
    module-level functions do; class methods (constructors such as ``from_registry``) are left
    alone.
    """
    for name, attr in list(vars(cls).items()):
        if name.startswith("_") and name != "__call__":
            continue
        if isinstance(attr, property) and attr.fget is not None:
            if getattr(attr.fget, "_may_be_infinite", False):
                continue
            setattr(cls, name, property(checks_overflow(attr.fget), attr.fset, attr.fdel,
                                        attr.__doc__))
        elif inspect.isfunction(attr) and not getattr(attr, "_may_be_infinite", False):
            setattr(cls, name, checks_overflow(attr))
    return cls


def may_be_infinite(func: _F) -> _F:
    """Mark a method whose documented result may be infinite, so that
    :func:`checks_overflow_methods` leaves it alone."""
    func._may_be_infinite = True  # type: ignore[attr-defined]
    return func


def single(name: str, array: NDArray[np.float64]) -> float:
    """Return a checked array of one element as a ``float``; a ValueError naming ``name`` if
    it holds more (a law's constants are single numbers)."""
    if array.size != 1:
        raise ValueError(f"{name} must be a single number; got an array of shape {array.shape}")
    return float(array.reshape(()))
