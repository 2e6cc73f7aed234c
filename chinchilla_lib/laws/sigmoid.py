"""Benchmark accuracy as a sigmoid: of log-compute (rising) or of loss (falling).

Accuracy on a benchmark is bounded, by chance below and by a ceiling above, so it cannot follow
a power law for long. Over a range of scales it is well described by a logistic curve of
log10 of compute (or parameters) or of the pre-training loss:

    accuracy = floor + (ceiling - floor) / (1 + exp(-slope (u - midpoint)))

with u = log10 x for :class:`SigmoidInLogX` and u = -loss for :class:`SigmoidInLoss`, so both
rise as models improve.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

from chinchilla_lib._validation import (
    FloatOrArray,
    as_positive_array,
    check_fraction,
    checks_overflow,
    checks_overflow_methods,
    scalar_or_array,
    single,
)

__all__ = ["SigmoidInLogX", "SigmoidInLoss", "logistic"]


@checks_overflow
def logistic(u: NDArray[np.float64], floor: float, ceiling: float, midpoint: float,
             slope: float) -> NDArray[np.float64]:
    """The bounded logistic curve shared by both sigmoids (u and midpoint in the same units)."""
    return floor + (ceiling - floor) * expit(slope * (u - midpoint))


@dataclass(frozen=True)
class _BoundedSigmoid:
    """Fields and checks shared by both sigmoids (see their docstrings)."""

    floor: float
    ceiling: float
    midpoint: float
    slope: float

    def __post_init__(self) -> None:
        low = single("floor", check_fraction("floor", self.floor, allow_zero=True, allow_one=False))
        high = single("ceiling", check_fraction("ceiling", self.ceiling))
        if high <= low:
            raise ValueError(f"ceiling must exceed floor; got floor={low!r}, ceiling={high!r}")
        object.__setattr__(self, "floor", low)
        object.__setattr__(self, "ceiling", high)
        object.__setattr__(self, "slope", single("slope", as_positive_array("slope", self.slope)))
        object.__setattr__(self, "midpoint", single("midpoint",
                                                    as_positive_array("midpoint", self.midpoint)))


@checks_overflow_methods
@dataclass(frozen=True)
class SigmoidInLogX(_BoundedSigmoid):
    """Accuracy rising as a logistic curve of log10 x (x: compute in FLOPs, or parameters).

    Attributes
    ----------
    floor
        Accuracy of a model that knows nothing, e.g. 0.25 on four-way multiple choice
        (in [0, 1)).
    ceiling
        Accuracy approached at large x (in (floor, 1]).
    midpoint
        x at which accuracy is halfway from floor to ceiling (same unit as x, > 0).
    slope
        Steepness, per decade of x (> 0): from 10% to 90% of the rise takes 2 ln 9 / slope
        decades.
    """

    def __call__(self, x: ArrayLike) -> FloatOrArray:
        """Accuracy (a fraction) at x (> 0, vectorised)."""
        xs = as_positive_array("x", x)
        values = logistic(np.log10(xs), self.floor, self.ceiling, np.log10(self.midpoint),
                          self.slope)
        return scalar_or_array(values, x)

    def rise_decades(self) -> float:
        """Decades of x over which accuracy goes from 10% to 90% of its rise."""
        return float(2.0 * np.log(9.0) / self.slope)


@checks_overflow_methods
@dataclass(frozen=True)
class SigmoidInLoss(_BoundedSigmoid):
    """Accuracy rising as a logistic curve of falling pre-training loss.

    Attributes
    ----------
    floor, ceiling
        As in :class:`SigmoidInLogX`.
    midpoint
        Loss (nats per token, > 0) at which accuracy is halfway from floor to ceiling.
    slope
        Steepness, per nat of loss (> 0).
    """

    def __call__(self, loss: ArrayLike) -> FloatOrArray:
        """Accuracy (a fraction) at a loss in nats per token (> 0, vectorised)."""
        losses = as_positive_array("loss", loss)
        values = logistic(-losses, self.floor, self.ceiling, -self.midpoint, self.slope)
        return scalar_or_array(values, loss)

    def loss_for(self, accuracy: ArrayLike) -> FloatOrArray:
        """The loss (nats per token) at which accuracy reaches ``accuracy``.

        The inverse of the sigmoid, L = midpoint - ln((accuracy - floor) / (ceiling -
        accuracy)) / slope (derived in :func:`chinchilla_lib.symbolic.densing_inverses`).

        Raises
        ------
        ValueError
            If ``accuracy`` is not strictly between the floor and the ceiling, or the loss it
            needs is not positive.
        """
        values = check_fraction("accuracy", accuracy, allow_zero=True)
        inside = (values > self.floor) & (values < self.ceiling)
        if not np.all(inside):
            raise ValueError(f"accuracy must lie strictly between floor={self.floor:g} and "
                             f"ceiling={self.ceiling:g}; got {values[~inside].flat[0]!r}")
        odds = (values - self.floor) / (self.ceiling - values)
        losses = self.midpoint - np.log(odds) / self.slope
        if np.any(losses <= 0):
            raise ValueError(f"accuracy {values[losses <= 0].flat[0]!r} needs a loss <= 0 under "
                             "this sigmoid")
        return scalar_or_array(losses, accuracy)

