"""Fitting Xiao et al.'s densing law: the reference family, then ln(rho_max) against time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import (
    as_finite_array,
    as_positive_array,
    check_fraction,
    check_instance,
)
from chinchilla_lib.fitting._result import FitResult
from chinchilla_lib.fitting.sigmoid import fit_sigmoid
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.laws.densing import REFERENCE_TOKENS, DensingLaw, ReferenceFamily, days_since
from chinchilla_lib.registry import BenchmarkResult

__all__ = ["CHANCE_ACCURACY", "DensingFit", "ModelDensities", "density_frontier", "fit_densing_law",
           "fit_model_densities", "fit_reference_family", "model_densities",
           "reference_family_from_models"]

CHANCE_ACCURACY: dict[str, float] = {"MMLU": 0.25, "BBH": 0.0}
"""Floor of each benchmark's sigmoid: chance on MMLU's four options; none for BIG-Bench Hard,
whose tasks mix multiple choice of different sizes with free-form answers."""


def fit_reference_family(loss_law: ChinchillaLaw, n_params: ArrayLike, n_tokens: ArrayLike,
                         scores: ArrayLike, *, tokens: float = REFERENCE_TOKENS,
                         floor: float = 0.25, ceiling: float | None = 1.0) -> ReferenceFamily:
    """Fit the sigmoid from loss to score on a family of trained models.

    Each model's loss is taken from ``loss_law`` at its own size and training tokens; the
    sigmoid is fitted to the scores against those losses.

    Parameters
    ----------
    loss_law
        The family's loss law L(N, D), nats per token.
    n_params, n_tokens
        Each model's parameters and training tokens (counts, > 0), 1-D, same length.
    scores
        Each model's benchmark score, fractions in [0, 1].
    tokens
        D0 of the returned family (> 0).
    floor, ceiling
        Held fixed in the fit: chance accuracy (0.25 for four-way multiple choice) and the
        best possible score; ``ceiling=None`` fits it (needs five or more models).
    """
    n = as_positive_array("n_params", n_params)
    d = as_positive_array("n_tokens", n_tokens)
    s = check_fraction("scores", scores, allow_zero=True)
    if not n.shape == d.shape == s.shape or n.ndim != 1:
        raise ValueError(f"n_params, n_tokens and scores must be 1-D of the same length; got "
                         f"shapes {n.shape}, {d.shape} and {s.shape}")
    losses = np.asarray(loss_law.loss(n, d))
    sigmoid = fit_sigmoid(losses, s, against="loss", floor=floor, ceiling=ceiling).law
    return ReferenceFamily(loss_law, sigmoid, tokens)


def density_frontier(days: ArrayLike, densities: ArrayLike) -> NDArray[np.bool_]:
    """Mask of the models that set a record: denser than every model released before them.

    Parameters
    ----------
    days
        Release time of each model, days since any origin (finite), 1-D.
    densities
        Each model's density (> 0), same length.
    """
    t = as_finite_array("days", days)
    rho = as_positive_array("densities", densities)
    if t.ndim != 1 or t.shape != rho.shape:
        raise ValueError(f"days and densities must be 1-D of the same length; got shapes "
                         f"{t.shape} and {rho.shape}")
    order = np.lexsort((-rho, t))
    on_frontier = np.zeros(t.size, dtype=bool)
    best = 0.0
    for i in order:
        if rho[i] > best:
            on_frontier[i], best = True, rho[i]
    return on_frontier


@dataclass(frozen=True)
class DensingFit(FitResult):
    """A fitted densing law.

    Attributes
    ----------
    law
        The fitted ln(rho_max) = A t + B.
    r_squared
        Coefficient of determination of the line on the points used.
    used
        Mask of the models the line was fitted to.
    samples, converged, n_iter, message
        As in :class:`~chinchilla_lib.fitting._result.FitResult`: no bootstrap (``samples``
        is empty); the line is fitted in closed form.
    """

    law: DensingLaw
    r_squared: float
    used: NDArray[np.bool_]

    @property
    def estimates(self) -> dict[str, float]:
        """The fitted ``slope`` (A, per day) and ``intercept`` (B)."""
        return {"slope": self.law.slope, "intercept": self.law.intercept}


def fit_densing_law(days: ArrayLike, densities: ArrayLike, *,
                    frontier_only: bool = True) -> DensingFit:
    """Fit ln(density) = A t + B by least squares.

    Parameters
    ----------
    days
        Release time of each model, days since the chosen origin (finite), 1-D.
    densities
        Each model's density (> 0), same length.
    frontier_only
        Fit only the record-setting models (:func:`density_frontier`), the envelope Xiao et
        al. fit; ``False`` fits every model.

    Raises
    ------
    ValueError
        If the inputs are invalid, or fewer than two distinct days remain to fit.

    Examples
    --------
    >>> import numpy as np
    >>> days = np.array([0.0, 100.0, 200.0, 300.0])
    >>> fit = fit_densing_law(days, np.exp(0.007 * days - 1.0))
    >>> round(fit.law.slope, 4), round(fit.law.doubling_days, 1)
    (0.007, 99.0)
    """
    check_instance("frontier_only", frontier_only, (bool, np.bool_))
    t = as_finite_array("days", days)
    rho = as_positive_array("densities", densities)
    used = density_frontier(t, rho) if frontier_only else np.ones(t.size, dtype=bool)
    if np.unique(t[used]).size < 2:
        raise ValueError("days must hold at least two distinct release days to fit (after "
                         f"keeping {'the frontier' if frontier_only else 'all models'}); got "
                         f"{np.unique(t[used]).size}")
    x, y = t[used], np.log(rho[used])
    slope, intercept = np.polyfit(x, y, 1)
    residual = y - (slope * x + intercept)
    spread = float(np.sum((y - y.mean()) ** 2))
    r_squared = 1.0 - float(np.sum(residual**2)) / spread if spread > 0 else 1.0
    return DensingFit(DensingLaw(float(slope), float(intercept)), r_squared, used)


class ModelDensities(NamedTuple):
    """Densities of a table of models under one reference family: the models' ``names`` in
    the table's order, their release ``days`` since the origin, their ``densities`` (NaN where
    the family cannot reach the score) and the ``reachable`` mask of defined densities."""

    names: tuple[str, ...]
    days: NDArray[np.float64]
    densities: NDArray[np.float64]
    reachable: NDArray[np.bool_]


def reference_family_from_models(loss_law: ChinchillaLaw, members: Sequence[BenchmarkResult],
                                 *, tokens: float = REFERENCE_TOKENS, floor: float = 0.25,
                                 ceiling: float | None = 1.0) -> ReferenceFamily:
    """:func:`fit_reference_family` on registry rows that record their training tokens."""
    missing = [m.model for m in members if m.n_tokens is None]
    if missing:
        raise ValueError(f"members must record their training tokens; missing for {missing}")
    return fit_reference_family(loss_law, [m.n_params for m in members],
                                [m.n_tokens for m in members], [m.score for m in members],
                                tokens=tokens, floor=floor, ceiling=ceiling)


def model_densities(results: Sequence[BenchmarkResult], family: ReferenceFamily,
                    origin: date) -> ModelDensities:
    """Density of each model in ``results`` under ``family``, with release days since
    ``origin``; models scoring beyond the family's reach get NaN rather than an error."""
    scores = np.array([r.score for r in results], dtype=np.float64)
    params = np.array([r.n_params for r in results], dtype=np.float64)
    reachable = family.reaches(scores)
    densities = np.full(scores.size, np.nan)
    if reachable.any():
        densities[reachable] = family.density(scores[reachable], params[reachable])
    return ModelDensities(tuple(r.model for r in results),
                          days_since((r.released for r in results), origin), densities,
                          reachable)


def fit_model_densities(table: ModelDensities, *, frontier_only: bool = True) -> DensingFit:
    """:func:`fit_densing_law` on the models of ``table`` whose density is defined.

    The returned ``used`` mask indexes the whole table (models out of the family's reach are
    never used), so it lines up with ``table.names``.
    """
    check_instance("table", table, ModelDensities)
    ok = table.reachable
    fit = fit_densing_law(table.days[ok], table.densities[ok], frontier_only=frontier_only)
    used = np.zeros(ok.size, dtype=bool)
    used[ok] = fit.used
    return replace(fit, used=used)
