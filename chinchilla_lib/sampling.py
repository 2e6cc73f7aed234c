"""Spending test-time compute by drawing many samples: pass@k and solve rates.

A model that solves a problem with probability p per independent sample solves it at least
once in k samples with probability 1 - (1 - p)^k. Over a set of problems whose per-sample
success probabilities p_j differ, the expected fraction solved is the mean of that over j.

When the p_j are spread over many orders of magnitude, each tenfold increase in k brings a
new slice of problems (those with p_j near 1/k) within reach, so the solve rate grows
roughly linearly in log k: the log-linear gains Li et al. (2022) report for AlphaCode.

Brown et al. (2024, Section 3.1) model coverage, the fraction of problems solved by at least
one of k samples, with an exponentiated power law, coverage = exp(a k^b) with a < 0 and b < 0:
the log of coverage is a power law in k, so -ln(coverage) is a straight line on log-log axes.
:class:`CoverageLaw` is that form; :func:`fit_coverage_law` fits it by least squares on
log(-ln coverage) against log k.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from chinchilla_lib._validation import (
    FloatOrArray,
    as_positive_array,
    check_fraction,
    check_positive_int,
    scalar_or_array,
)

__all__ = ["CoverageLaw", "fit_coverage_law", "pass_at_k", "solve_rate_with_samples"]


def pass_at_k(samples: int, correct: int, k: int) -> float:
    """Unbiased estimate of pass@k from ``samples`` draws of which ``correct`` passed.

    The chance that a random subset of k of the n drawn samples contains at least one
    correct one, 1 - C(n - c, k) / C(n, k), computed as a product to avoid huge binomials.

    Parameters
    ----------
    samples
        Number n of samples drawn for the problem (whole number >= 1).
    correct
        How many of them passed (0 <= correct <= samples).
    k
        Attempts allowed (1 <= k <= samples).

    Returns
    -------
    float
        Estimated probability, in [0, 1], that k samples contain a correct one.

    Examples
    --------
    >>> round(pass_at_k(10, 1, 1), 12), pass_at_k(10, 1, 10)
    (0.1, 1.0)
    """
    n = check_positive_int("samples", samples)
    k = check_positive_int("k", k)
    correct = check_positive_int("correct", correct, minimum=0)
    if correct > n:
        raise ValueError(f"correct must be in [0, samples={n}]; got {correct}")
    if k > n:
        raise ValueError(f"k must be in [1, samples={n}]; got {k}")
    if n - correct < k:
        return 1.0
    factors = 1.0 - k / np.arange(n - correct + 1, n + 1, dtype=np.float64)
    return float(1.0 - np.prod(factors))


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
            value = float(getattr(self, name))
            if not (np.isfinite(value) and value < 0):
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


def fit_coverage_law(k: ArrayLike, coverage: ArrayLike) -> CoverageLaw:
    """Fit coverage = exp(a k^b) by least squares on log(-ln coverage) against log k.

    Parameters
    ----------
    k
        Samples per problem (finite, > 0), at least two distinct values.
    coverage
        Measured coverage at each k, each strictly between 0 and 1.

    Returns
    -------
    CoverageLaw
        The fitted a and b.

    Examples
    --------
    >>> truth = CoverageLaw(a=-3.0, b=-0.4)
    >>> k = np.geomspace(1, 1e4, 9)
    >>> fit = fit_coverage_law(k, truth(k))
    >>> round(fit.a, 6), round(fit.b, 6)
    (-3.0, -0.4)
    """
    samples = as_positive_array("k", k).ravel()
    c = check_fraction("coverage", coverage, allow_one=False).ravel()
    if samples.shape != c.shape:
        raise ValueError(f"k and coverage must have the same length; got {samples.size} "
                         f"and {c.size}")
    if np.unique(samples).size < 2:
        raise ValueError("k must hold at least two distinct values")
    slope, intercept = np.polyfit(np.log(samples), np.log(-np.log(c)), 1)
    if slope >= 0:
        raise ValueError(f"coverage does not rise with k (fitted b = {slope:.3g} >= 0)")
    return CoverageLaw(a=-float(np.exp(intercept)), b=float(slope))
