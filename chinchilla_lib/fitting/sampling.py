"""Fitting the coverage law of repeated sampling (Brown et al. 2024).

The law, coverage = exp(a k^b), is :class:`chinchilla_lib.laws.sampling.CoverageLaw`: the log
of -ln(coverage) is a straight line in log k, so an ordinary least-squares line there fits it
(its bootstrap resamples are solved at once by :func:`chinchilla_lib.fitting.power.log_ols`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import as_positive_array, check_fraction
from chinchilla_lib.fitting._result import CLOSED_FORM, FitResult, check_bootstrap
from chinchilla_lib.fitting.power import log_ols
from chinchilla_lib.laws.sampling import CoverageLaw

__all__ = ["CoverageFit", "fit_coverage_law"]


@dataclass(frozen=True)
class CoverageFit(FitResult):
    """The result of :func:`fit_coverage_law`.

    Attributes
    ----------
    law
        The fitted :class:`~chinchilla_lib.laws.sampling.CoverageLaw`.
    n_points
        Number of (k, coverage) pairs fitted.
    samples, converged, n_iter, message
        As in :class:`~chinchilla_lib.fitting._result.FitResult`: bootstrap replicates of
        ``"a"`` and ``"b"`` (empty without a bootstrap); the fit is closed-form.
    """

    law: CoverageLaw
    n_points: int

    @property
    def estimates(self) -> dict[str, float]:
        """The fitted law's ``a`` (log-coverage at one sample) and ``b`` (exponent of k)."""
        return {"a": self.law.a, "b": self.law.b}


def fit_coverage_law(k: ArrayLike, coverage: ArrayLike, *, bootstrap: int = 0,
                     seed: int = 0) -> CoverageFit:
    """Fit coverage = exp(a k^b) by least squares on log(-ln coverage) against log k.

    Parameters
    ----------
    k
        Samples per problem (finite, > 0), at least two distinct values.
    coverage
        Measured coverage at each k, each strictly between 0 and 1.
    bootstrap
        Number of bootstrap resamples of the (k, coverage) pairs (0 for none; at most
        ``MAX_BOOTSTRAP``, 10,000), all solved at once. A resample with fewer than two distinct
        k has no line and gives NaN, which intervals leave out.
    seed
        Seed of the resampling.

    Returns
    -------
    CoverageFit
        The fitted law (``fit.law``), with the fit-result protocol's estimates, bootstrap
        samples of ``"a"`` and ``"b"`` and intervals.

    Raises
    ------
    ValueError
        If ``k`` or ``coverage`` is out of range, their lengths differ, ``k`` has fewer than
        two distinct values, or the fitted coverage does not rise with k (b >= 0).

    Examples
    --------
    >>> truth = CoverageLaw(a=-3.0, b=-0.4)
    >>> k = np.geomspace(1, 1e4, 9)
    >>> fit = fit_coverage_law(k, truth(k))
    >>> round(fit.law.a, 6), round(fit.law.b, 6), fit.message
    (-3.0, -0.4, 'closed form: ordinary least squares, no iterations')
    >>> noisy = truth(k) ** np.exp(np.random.default_rng(0).normal(0, 0.05, k.size))
    >>> interval = fit_coverage_law(k, noisy, bootstrap=400, seed=0).interval("b")
    >>> interval.contains(-0.4)
    True
    """
    samples = as_positive_array("k", k).ravel()
    c = check_fraction("coverage", coverage, allow_one=False).ravel()
    if samples.shape != c.shape:
        raise ValueError(f"k and coverage must have the same length; got {samples.size} "
                         f"and {c.size}")
    if np.unique(samples).size < 2:
        raise ValueError("k must hold at least two distinct values")
    n_boot = check_bootstrap(bootstrap)
    log_k, log_neg_log_c = np.log(samples), np.log(-np.log(c))
    # The point estimate as the chapters have always computed it (np.polyfit); the bootstrap
    # solves every resample at once with log_ols, the same least-squares line.
    slope, intercept = np.polyfit(log_k, log_neg_log_c, 1)
    if slope >= 0:
        raise ValueError(f"coverage does not rise with k (fitted b = {slope:.3g} >= 0)")
    law = CoverageLaw(a=-float(np.exp(intercept)), b=float(slope))
    replicates: dict[str, NDArray[np.float64]] = {}
    if n_boot:
        index = np.random.default_rng(seed).integers(0, samples.size,
                                                     size=(n_boot, samples.size))
        slopes, intercepts = log_ols(log_k[index], log_neg_log_c[index])
        flat = np.ptp(log_k[index], axis=1) == 0
        replicates = {"a": np.where(flat, np.nan, -np.exp(intercepts)),
                      "b": np.where(flat, np.nan, slopes)}
    return CoverageFit(law, samples.size, samples=replicates, converged=True, n_iter=0,
                       message=CLOSED_FORM)
