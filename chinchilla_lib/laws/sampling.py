"""Spending test-time compute by drawing many samples: solve rates and coverage laws.

A model that solves a problem with probability p per independent sample solves it at least
once in k samples with probability 1 - (1 - p)^k. Over a set of problems whose per-sample
success probabilities p_j differ, the expected fraction solved is the mean of that over j.

When the p_j are spread over many orders of magnitude, each tenfold increase in k brings a
new slice of problems (those with p_j near 1/k) within reach, so the solve rate grows
roughly linearly in log k: the log-linear gains Li et al. (2022) report for AlphaCode.

Brown et al. (2024, Section 3.1) model coverage, the fraction of problems solved by at least
one of k samples, with an exponentiated power law, coverage = exp(a k^b) with a < 0 and b < 0:
the log of coverage is a power law in k, so -ln(coverage) is a straight line on log-log axes.
:class:`CoverageLaw` is that form; :func:`chinchilla_lib.fitting.sampling.fit_coverage_law`
fits it. The unbiased estimate of pass@k from a finite number of samples is a measure, and
lives in :func:`chinchilla_lib.metrics.pass_at_k`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from chinchilla_lib._validation import (
    FloatOrArray,
    as_finite_array,
    as_positive_array,
    check_fraction,
    checks_overflow,
    checks_overflow_methods,
    scalar_or_array,
    single,
)

__all__ = ["CoverageLaw", "solve_rate_with_samples"]


@checks_overflow
def solve_rate_with_samples(k: ArrayLike, success_probabilities: ArrayLike) -> FloatOrArray:
    """Expected fraction of problems solved at least once in k independent samples.

    Parameters
    ----------
    k
        Samples drawn per problem (finite, > 0; scalar or array).
    success_probabilities
        Per-sample success probability of each problem, each in (0, 1]; one value per problem.

    Returns
    -------
    float or numpy.ndarray
        Mean over problems of 1 - (1 - p)^k, shaped like ``k``.

    Examples
    --------
    >>> round(solve_rate_with_samples(10, [0.1, 1.0]), 4)
    0.8257
    """
    samples = as_positive_array("k", k)
    p = check_fraction("success_probabilities", success_probabilities).ravel()
    if p.size == 0:
        raise ValueError("success_probabilities must hold at least one problem; got none")
    # log1p(-p) is -inf for p = 1, which correctly gives a solve probability of 1.
    with np.errstate(divide="ignore"):
        log_miss = np.log1p(-p)
    solved = -np.expm1(np.multiply.outer(samples, log_miss))
    return scalar_or_array(solved.mean(axis=-1), k)


@checks_overflow_methods
@dataclass(frozen=True)
class CoverageLaw:
    """Coverage against samples as an exponentiated power law, exp(a k^b) (Brown et al. 2024).

    Attributes
    ----------
    a
        Log-coverage at one sample, ln c(1) (< 0).
    b
        Exponent of k in the log-coverage (< 0): -ln c falls by a factor 10^b per tenfold k.

    Examples
    --------
    >>> law = CoverageLaw(a=-2.0, b=-0.5)
    >>> round(law(1), 4), round(law(100), 4)
    (0.1353, 0.8187)
    """

    a: float
    b: float

    def __post_init__(self) -> None:
        for name in ("a", "b"):
            value = single(name, as_finite_array(name, getattr(self, name)))
            if not value < 0:
                raise ValueError(f"{name} must be finite and < 0; got {value}")
            object.__setattr__(self, name, value)

    def __call__(self, k: ArrayLike) -> FloatOrArray:
        """Coverage, in (0, 1), at k samples per problem (finite, > 0; scalar or array)."""
        samples = as_positive_array("k", k)
        return scalar_or_array(np.exp(self.a * samples**self.b), k)

    def samples_for(self, coverage: ArrayLike) -> FloatOrArray:
        """Samples k (> 0, possibly fractional) at which the law reaches ``coverage``, each
        in (0, 1): (ln(coverage) / a)^(1/b)."""
        c = check_fraction("coverage", coverage, allow_one=False)
        return scalar_or_array((np.log(c) / self.a) ** (1.0 / self.b), coverage)
