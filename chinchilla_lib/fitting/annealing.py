"""Fitting Tissue et al. (2024)'s loss-curve law, ``L = L0 + A S1^(-alpha) - C S2``, to loss
curves whose learning-rate schedules are known, and measuring how well a fitted law predicts
another curve.

For a fixed exponent alpha and decay factor lambda the law is linear in (L0, A, C), so the fit
profiles the exponent: ordinary least squares for (L0, A, C) inside a bounded one-dimensional
search over log alpha; lambda is held fixed or chosen from a grid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import _describe, as_finite_array, as_positive_array
from chinchilla_lib.fitting._result import FitResult
from chinchilla_lib.laws.annealing import (
    DEFAULT_ANNEALING_DECAY,
    AnnealingLaw,
    annealing_area,
    forward_area,
)

__all__ = ["DECAY_GRID", "AnnealingFit", "CurveErrors", "curve_errors", "fit_annealing_law"]

DECAY_GRID = (0.9, 0.95, 0.99, 0.995, 0.999, 0.9995)
"""The decay factors lambda tried when :func:`fit_annealing_law` chooses lambda."""
ALPHA_RANGE = (1e-3, 10.0)
"""Bounds of the fitted exponent alpha."""

Array = NDArray[np.float64]


def _curve(name: str, curve: object) -> tuple[Array, Array, Array]:
    """One curve as (rates per step, checkpoint steps counted from 1, losses), checked."""
    if not isinstance(curve, Sequence | tuple) or isinstance(curve, str) or len(curve) != 3:
        raise TypeError(f"{name} must be a (rates, steps, loss) triple; got "
                        f"{_describe(curve)}")
    rates = as_positive_array(f"{name} rates", curve[0])
    steps = as_positive_array(f"{name} steps", curve[1])
    loss = as_finite_array(f"{name} loss", curve[2])
    if rates.ndim != 1 or rates.size == 0:
        raise ValueError(f"{name} rates must be a non-empty 1-D array, one rate per step")
    if steps.ndim != 1 or steps.shape != loss.shape:
        raise ValueError(f"{name} steps and loss must be 1-D arrays of one length; got shapes "
                         f"{steps.shape} and {loss.shape}")
    if not np.array_equal(steps, np.round(steps)) or steps.max() > rates.size:
        raise ValueError(f"{name} steps must be whole numbers of steps done, 1 to "
                         f"{rates.size} (the length of its rates)")
    return rates, steps.astype(np.int64), loss


def _areas(rates: Array, steps: NDArray[np.int64], decay: float) -> tuple[Array, Array]:
    return forward_area(rates)[steps - 1], annealing_area(rates, decay)[steps - 1]


@dataclass(frozen=True)
class CurveErrors:
    """How far a law's curve lies from a measured one, nats per token (and per cent).

    Attributes
    ----------
    rmse
        Root-mean-square error, nats per token.
    max_abs
        Largest absolute error, nats per token.
    mape
        Mean absolute error as a share of the measured loss (0.01 is 1%).
    final
        Predicted minus measured loss at the last checkpoint, nats per token.
    """

    rmse: float
    max_abs: float
    mape: float
    final: float


@dataclass(frozen=True)
class AnnealingFit(FitResult):
    """Tissue et al.'s law fitted to loss curves.

    Attributes
    ----------
    law
        The fitted :class:`~chinchilla_lib.laws.AnnealingLaw`.
    rmse
        Root-mean-square error over the fitted points, nats per token.
    n_points
        Checkpoints fitted (over all curves).
    samples, converged, n_iter, message
        As in :class:`~chinchilla_lib.fitting._result.FitResult` (no bootstrap).
    """

    law: AnnealingLaw
    rmse: float
    n_points: int

    @property
    def estimates(self) -> dict[str, float]:
        """The fitted ``L0``, ``A``, ``alpha``, ``C`` and the decay factor ``lambda``."""
        law = self.law
        return {"L0": law.l0, "A": law.a, "alpha": law.alpha, "C": law.c,
                "lambda": law.decay}


def _solve(alpha: float, s1: Array, s2: Array, loss: Array) -> tuple[Array, float]:
    design = np.column_stack([np.ones_like(s1), s1 ** (-alpha), -s2])
    coef, *_ = np.linalg.lstsq(design, loss, rcond=None)
    residual = design @ coef - loss
    return coef, float(np.sqrt(np.mean(residual**2)))


def _fit_one_decay(s1: Array, s2: Array, loss: Array) -> tuple[float, Array, float, int]:
    from scipy.optimize import minimize_scalar

    def objective(log_alpha: float) -> float:
        return _solve(math.exp(log_alpha), s1, s2, loss)[1]

    grid = np.linspace(math.log(ALPHA_RANGE[0]), math.log(ALPHA_RANGE[1]), 60)
    values = [objective(g) for g in grid]
    best = int(np.argmin(values))
    low = grid[max(best - 1, 0)]
    high = grid[min(best + 1, grid.size - 1)]
    result = minimize_scalar(objective, bounds=(low, high), method="bounded",
                             options={"xatol": 1e-8})
    alpha = math.exp(float(result.x))
    coef, rmse = _solve(alpha, s1, s2, loss)
    return alpha, coef, rmse, int(result.nfev) + grid.size


def fit_annealing_law(curves: Sequence[tuple[ArrayLike, ArrayLike, ArrayLike]], *,
                      decay: float | None = DEFAULT_ANNEALING_DECAY) -> AnnealingFit:
    """Fit ``L = L0 + A S1^(-alpha) - C S2`` to loss curves with known schedules.

    Parameters
    ----------
    curves
        One or more ``(rates, steps, loss)`` triples: the learning rate at every step of a run
        (dimensionless, > 0), the checkpoints as counts of steps done (whole numbers from 1 to
        the run's length) and the loss there (nats per token). A constant schedule alone
        cannot pin C down (its annealing area is zero): fit at least one curve that decays.
    decay
        The annealing momentum's decay factor lambda, in [0, 1); None chooses it from
        :data:`DECAY_GRID` by the least RMSE.

    Returns
    -------
    AnnealingFit
        The fitted law, its RMSE (nats per token) and the number of points.

    Raises
    ------
    TypeError
        If ``curves`` is not a sequence of triples.
    ValueError
        If a curve's arrays are out of range or of mismatched lengths, or the curves hold fewer
        than five points.

    Examples
    --------
    >>> from chinchilla_lib.laws import AnnealingLaw, Schedule
    >>> truth = AnnealingLaw(l0=3.0, a=0.8, alpha=0.6, c=0.4, decay=0.99)
    >>> rates = Schedule("cosine").rates(500, 0.05)
    >>> steps = np.arange(10, 501, 10)
    >>> fit = fit_annealing_law([(rates, steps, truth.curve(rates)[steps - 1])], decay=0.99)
    >>> {k: round(v, 3) for k, v in fit.estimates.items()}
    {'L0': 3.0, 'A': 0.8, 'alpha': 0.6, 'C': 0.4, 'lambda': 0.99}
    """
    if isinstance(curves, str | bytes) or not isinstance(curves, Sequence):
        raise TypeError(f"curves must be a sequence of (rates, steps, loss) triples; got "
                        f"{_describe(curves)}")
    checked = [_curve(f"curves[{i}]", c) for i, c in enumerate(curves)]
    n_points = sum(c[1].size for c in checked)
    if n_points < 5:
        raise ValueError(f"curves must hold at least 5 checkpoints in all; got {n_points}")
    if decay is None:
        decays: tuple[float, ...] = DECAY_GRID
    else:
        decays = (AnnealingLaw(1.0, 1.0, 1.0, 0.0, decay).decay,)
    loss = np.concatenate([c[2] for c in checked])
    best: tuple[float, float, Array, float] | None = None
    evaluations = 0
    for lam in decays:
        areas = [_areas(r, s, lam) for r, s, _ in checked]
        s1 = np.concatenate([a[0] for a in areas])
        s2 = np.concatenate([a[1] for a in areas])
        alpha, coef, rmse, nfev = _fit_one_decay(s1, s2, loss)
        evaluations += nfev
        if best is None or rmse < best[3]:
            best = (lam, alpha, coef, rmse)
    assert best is not None
    lam, alpha, coef, rmse = best
    l0, a, c = (float(v) for v in coef)
    if not a > 0:
        raise ValueError("the curves do not fall with forward area: the fitted A is not > 0, "
                         "so no law of this form fits them")
    law = AnnealingLaw(l0=l0, a=a, alpha=alpha, c=c, decay=lam)
    return AnnealingFit(law=law, rmse=rmse, n_points=n_points, converged=True,
                        n_iter=evaluations,
                        message="profiled: least squares in (L0, A, C) inside a bounded "
                                "search over log alpha")


def curve_errors(law: AnnealingLaw, rates: ArrayLike, steps: ArrayLike,
                 loss: ArrayLike) -> CurveErrors:
    """The errors of ``law``'s curve against a measured loss curve (nats per token).

    Parameters
    ----------
    law
        The law (:class:`~chinchilla_lib.laws.AnnealingLaw`).
    rates, steps, loss
        The run's rate at every step, its checkpoints (counts of steps done) and the measured
        loss there, as in :func:`fit_annealing_law`.

    Returns
    -------
    CurveErrors
        RMSE, largest absolute error, mean absolute percentage error and the error at the last
        checkpoint.

    Examples
    --------
    >>> from chinchilla_lib.laws import AnnealingLaw
    >>> law = AnnealingLaw(l0=3.0, a=1.0, alpha=0.5, c=0.0)
    >>> e = curve_errors(law, [1.0] * 4, [1, 4], [4.1, 3.5])
    >>> round(e.rmse, 3), round(e.max_abs, 3), round(e.final, 3)
    (0.071, 0.1, 0.0)
    """
    if not isinstance(law, AnnealingLaw):
        raise TypeError(f"law must be an AnnealingLaw; got {_describe(law)}")
    r, s, measured = _curve("curve", (rates, steps, loss))
    predicted = law.curve(r)[s - 1]
    error = predicted - measured
    return CurveErrors(rmse=float(np.sqrt(np.mean(error**2))),
                       max_abs=float(np.max(np.abs(error))),
                       mape=float(np.mean(np.abs(error) / np.abs(measured))),
                       final=float(error[-1]))
