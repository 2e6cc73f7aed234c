"""Fitting McCandlish et al.'s step-example trade-off to measured runs.

Each run at batch size B reports the steps S it took to reach one loss. The law
S(B) = S_min + E_min / B (:class:`~chinchilla_lib.laws.batch_size.BatchSizeTradeoff`) is fitted
by least squares on log S, so that every run weighs by its relative error whatever its
number of steps; the start is the linear least-squares fit of S against 1 / B, weighted by
1 / S. S_min and E_min are fitted in logs, so both stay positive.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import check_positive_int
from chinchilla_lib.fitting._data import check_xy
from chinchilla_lib.fitting._result import MAX_BOOTSTRAP, FitResult
from chinchilla_lib.laws.batch_size import BatchSizeTradeoff

__all__ = ["BatchTradeoffFit", "fit_batch_tradeoff"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class BatchTradeoffFit(FitResult):
    """S_min and E_min fitted to runs (batch size, steps to a loss).

    Attributes
    ----------
    law
        The fitted :class:`~chinchilla_lib.laws.batch_size.BatchSizeTradeoff`.
    rms_log_error
        Root-mean-square of log(S measured / S fitted) over the runs.
    samples, converged, n_iter, message
        As in :class:`~chinchilla_lib.fitting._result.FitResult`; ``samples`` holds bootstrap
        replicates (runs resampled with replacement) of ``min_steps``, ``min_examples`` and
        ``critical_batch`` when asked for.
    """

    law: BatchSizeTradeoff
    rms_log_error: float

    @property
    def estimates(self) -> dict[str, float]:
        """``min_steps`` (S_min), ``min_examples`` (E_min) and ``critical_batch`` (B_crit)."""
        return {"min_steps": self.law.min_steps, "min_examples": self.law.min_examples,
                "critical_batch": self.law.critical_batch}


def _start(b: Array, s: Array) -> Array:
    """log S_min, log E_min from S = S_min + E_min / B, weighted least squares (weights 1/S);
    a coefficient that comes out non-positive is replaced by a small positive guess."""
    design = np.stack([np.ones_like(b), 1.0 / b], axis=1) / s[:, None]
    coef = np.linalg.lstsq(design, np.ones_like(s), rcond=None)[0]
    s_min = coef[0] if coef[0] > 0 else 0.5 * s.min()
    e_min = coef[1] if coef[1] > 0 else 0.5 * (b * s).min()
    return np.log([s_min, e_min])


def _solve(b: Array, s: Array) -> tuple[Array, bool, int, str]:
    from scipy.optimize import least_squares

    log_s = np.log(s)

    def residuals(p: Array) -> Array:
        return np.logaddexp(p[0], p[1] - np.log(b)) - log_s

    result = least_squares(residuals, _start(b, s), method="lm", xtol=1e-12, ftol=1e-12)
    return result.x, bool(result.success), int(result.nfev), str(result.message)


def fit_batch_tradeoff(batch: ArrayLike, steps: ArrayLike, *, bootstrap: int = 0,
                       seed: int | None = 0) -> BatchTradeoffFit:
    """Fit S(B) = S_min (1 + B_crit / B) to runs that reached the same loss.

    Parameters
    ----------
    batch
        B of each run, examples (or tokens) per step (> 0); at least three runs, two distinct
        batch sizes.
    steps
        S of each run: optimiser steps to reach the loss (> 0).
    bootstrap
        Number of bootstrap replicates (0 to ``MAX_BOOTSTRAP``), runs resampled with
        replacement; 0 for none.
    seed
        Seed of the bootstrap's generator.

    Returns
    -------
    BatchTradeoffFit

    Examples
    --------
    >>> import numpy as np
    >>> from chinchilla_lib.laws.batch_size import BatchSizeTradeoff
    >>> truth = BatchSizeTradeoff(min_steps=2000.0, min_examples=1.0e5)
    >>> b = np.geomspace(4, 4096, 11)
    >>> noisy = truth.steps(b) * np.exp(np.random.default_rng(0).normal(0, 0.02, b.size))
    >>> fit = fit_batch_tradeoff(b, noisy)
    >>> print(f"S_min {fit.law.min_steps:.0f}, B_crit {fit.law.critical_batch:.0f}")
    S_min 1994, B_crit 50
    """
    b, s = check_xy(batch, steps, min_points=3, x_name="batch", y_name="steps")
    n_boot = check_positive_int("bootstrap", bootstrap, minimum=0)
    if n_boot > MAX_BOOTSTRAP:
        raise ValueError(f"bootstrap must be between 0 and {MAX_BOOTSTRAP}; got {n_boot}")
    params, converged, n_iter, message = _solve(b, s)
    law = BatchSizeTradeoff(min_steps=float(np.exp(params[0])),
                            min_examples=float(np.exp(params[1])))
    fitted = np.asarray(law.steps(b))
    rms = float(np.sqrt(np.mean(np.log(s / fitted) ** 2)))
    samples: dict[str, Array] = {}
    if n_boot:
        rng = np.random.default_rng(seed)
        draws = []
        for _ in range(n_boot):
            pick = rng.integers(0, b.size, b.size)
            if np.unique(b[pick]).size < 2:
                pick = np.arange(b.size)
            p, *_ = _solve(b[pick], s[pick])
            draws.append(np.exp(p))
        arr = np.array(draws)
        samples = {"min_steps": arr[:, 0], "min_examples": arr[:, 1],
                   "critical_batch": arr[:, 1] / arr[:, 0]}
    return BatchTradeoffFit(law=law, rms_log_error=rms, samples=samples, converged=converged,
                            n_iter=n_iter, message=message)
