"""Fitting the coverage law of repeated sampling (Brown et al. 2024).

The law, coverage = exp(a k^b), is :class:`chinchilla_lib.laws.sampling.CoverageLaw`: the log
of -ln(coverage) is a straight line in log k, so an ordinary least-squares line there fits it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from chinchilla_lib._validation import as_positive_array, check_fraction
from chinchilla_lib.laws.sampling import CoverageLaw

__all__ = ["fit_coverage_law"]


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
