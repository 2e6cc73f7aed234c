"""Capability density and the densing law of Xiao et al. (2024).

A model's *effective* parameter count is the size a reference family of models would need to
score as well on a benchmark. Xiao et al. find it in two steps, each the inverse of a fit
made on the reference family:

1. the loss on the benchmark's answers at which the family scores S, by inverting a sigmoid
   from loss to score (:meth:`~chinchilla_lib.laws.sigmoid.SigmoidInLoss.loss_for`);
2. the parameter count at which the family reaches that loss when trained on D0 tokens, by
   inverting a loss law (:meth:`~chinchilla_lib.laws.chinchilla.ChinchillaLaw.params_for_loss`).

Density is effective over actual parameters. The densing law says the largest density
available grows exponentially in time: ln(rho_max) = A t + B, t in days, so it doubles every
ln 2 / A days.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib import registry
from chinchilla_lib._validation import (
    FloatOrArray,
    as_finite_array,
    as_positive_array,
    check_instance,
    checks_overflow,
    checks_overflow_methods,
    may_be_infinite,
    scalar_or_array,
    single,
)
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.laws.sigmoid import SigmoidInLoss

__all__ = ["DAYS_PER_MONTH", "REFERENCE_TOKENS", "DensingLaw", "ReferenceFamily",
           "combined_doubling_time", "days_since", "doubling_time", "months_between"]


DAYS_PER_MONTH = 365.25 / 12
"""Days in an average month, to state doubling times in months."""

REFERENCE_TOKENS: float = registry.constant("xiao_reference_tokens").value
"""D0, the training tokens Xiao et al. take for every member of the reference family."""


@checks_overflow_methods
@dataclass(frozen=True)
class ReferenceFamily:
    """A reference family: a loss law, a sigmoid from loss to score, and its training data.

    Attributes
    ----------
    loss_law
        Loss of the family against parameters N and tokens D (nats per token).
    sigmoid
        Benchmark score (fraction) against that loss.
    tokens
        D0, the tokens every member is taken to be trained on (> 0).
    """

    loss_law: ChinchillaLaw
    sigmoid: SigmoidInLoss
    tokens: float = REFERENCE_TOKENS

    def __post_init__(self) -> None:
        check_instance("loss_law", self.loss_law, ChinchillaLaw)
        check_instance("sigmoid", self.sigmoid, SigmoidInLoss)
        object.__setattr__(self, "tokens", single("tokens",
                                                  as_positive_array("tokens", self.tokens)))

    def score(self, n_params: ArrayLike) -> FloatOrArray:
        """Score (fraction) of the member with ``n_params`` parameters (> 0)."""
        return self.sigmoid(self.loss_law.loss(n_params, self.tokens))

    def best_loss(self) -> float:
        """Loss (nats per token) an infinitely large member trained on D0 tokens approaches."""
        return float(self.loss_law.loss_infinite_model(self.tokens))

    def best_score(self) -> float:
        """Score an infinitely large member trained on D0 tokens approaches."""
        return float(self.sigmoid(self.best_loss()))

    def reaches(self, score: ArrayLike) -> NDArray[np.bool_]:
        """Mask of the scores some member reaches: strictly between the sigmoid's floor and
        :meth:`best_score`."""
        values = as_finite_array("score", score)
        return (values > self.sigmoid.floor) & (values < self.best_score())

    def effective_params(self, score: ArrayLike) -> FloatOrArray:
        """Parameters the family needs to reach ``score``.

        Raises
        ------
        ValueError
            If a score is not strictly between the sigmoid's floor and :meth:`best_score`:
            no member of the family reaches it.
        """
        values = as_finite_array("score", score)
        reachable = self.reaches(values)
        if not np.all(reachable):
            raise ValueError(f"score must lie strictly between {self.sigmoid.floor:.4g} (the "
                             f"floor) and {self.best_score():.4g} (the best this family reaches "
                             f"on {self.tokens:.3g} tokens); got {values[~reachable].flat[0]!r}")
        loss = self.sigmoid.loss_for(values)
        return scalar_or_array(np.asarray(self.loss_law.params_for_loss(loss, self.tokens)),
                               score)

    def density(self, score: ArrayLike, n_params: ArrayLike) -> FloatOrArray:
        """Capability density: effective over actual parameters (both as counts)."""
        actual = as_positive_array("n_params", n_params)
        return scalar_or_array(np.asarray(self.effective_params(score)) / actual, score,
                               n_params)


@checks_overflow_methods
@dataclass(frozen=True)
class DensingLaw:
    """ln(rho_max) = slope * t + intercept, t in days since an origin.

    Attributes
    ----------
    slope
        A, per day.
    intercept
        B, ln density at t = 0.
    """

    slope: float
    intercept: float

    def __post_init__(self) -> None:
        for name in ("slope", "intercept"):
            object.__setattr__(self, name, single(name, as_finite_array(name, getattr(self, name))))

    def __call__(self, days: ArrayLike) -> FloatOrArray:
        """Largest density at ``days`` days after the origin."""
        t = as_finite_array("days", days)
        return scalar_or_array(np.exp(self.slope * t + self.intercept), days)

    @property
    @may_be_infinite
    def doubling_days(self) -> float:
        """ln 2 / A: days for the largest density to double (infinite if A <= 0)."""
        return math.log(2.0) / self.slope if self.slope > 0 else math.inf

    @property
    @may_be_infinite
    def doubling_months(self) -> float:
        """The doubling time in average months."""
        return self.doubling_days / DAYS_PER_MONTH


@checks_overflow
def days_since(dates: Iterable[date], origin: date) -> NDArray[np.float64]:
    """Days from ``origin`` to each date (negative before it)."""
    try:
        values = list(dates)
    except TypeError:
        raise ValueError(f"dates must be a sequence of datetime.date objects; got "
                         f"{dates!r:.60}") from None
    if not all(isinstance(d, date) for d in [origin, *values]):
        raise ValueError("dates and origin must be datetime.date objects")
    return np.array([(d - origin).days for d in values], dtype=np.float64)


@checks_overflow
def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start``'s month to ``end``'s (papers that date prices or
    releases by month only).

    Examples
    --------
    >>> months_between(date(2022, 12, 1), date(2024, 8, 1))
    20
    """
    if not (isinstance(start, date) and isinstance(end, date)):
        raise ValueError("start and end must be datetime.date objects")
    return (end.year - start.year) * 12 + end.month - start.month


@checks_overflow
def doubling_time(ratio: float, elapsed: float) -> float:
    """Time to double (or halve) at the steady exponential rate that changes a quantity by a
    factor ``ratio`` over ``elapsed``: elapsed / log2(ratio), in the units of ``elapsed``.

    Parameters
    ----------
    ratio
        Factor of change over the period (> 1; for a fall, the old value over the new).
    elapsed
        Length of the period (> 0), e.g. in months.

    Examples
    --------
    >>> doubling_time(8.0, 9.0)
    3.0
    """
    r = single("ratio", as_finite_array("ratio", ratio))
    if r <= 1.0:
        raise ValueError(f"ratio must be > 1 (a change by that factor); got {r}")
    t = single("elapsed", as_positive_array("elapsed", elapsed))
    return t / math.log2(r)


@checks_overflow
def combined_doubling_time(*doubling_times: float) -> float:
    """Doubling time of a product of quantities that each double steadily: 1 / sum(1 / T_i).

    For example, effective parameters per dollar grow as density (per parameter) times chips'
    performance per dollar; all times in the same unit (> 0).

    Examples
    --------
    >>> round(combined_doubling_time(99.0, 2.1 * 365.25), 1)
    87.7
    """
    if not doubling_times:
        raise ValueError("doubling_times must hold at least one time; got none")
    times = as_positive_array("doubling_times", np.array(doubling_times, dtype=np.float64))
    return float(1.0 / np.sum(1.0 / times))
