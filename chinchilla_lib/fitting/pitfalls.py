"""How many starts an Approach 3 fit needs: one L-BFGS-B run per start, and where each stops.

The Approach 3 objective (the Huber loss of log-loss residuals,
:func:`~chinchilla_lib.fitting.approach3.huber_objective`) has several basins: a start with
the wrong exponents can settle where one power-law term stands in for the constant E, or
where an exponent runs to zero. Hoffmann et al. therefore start L-BFGS from every point of a
grid of 4,500 initialisations and keep the best
(:func:`~chinchilla_lib.fitting.approach3.hoffmann_initial_grid`); Besiroglu et al. (2024)
do the same. :func:`starts_study` runs the optimiser from each of a set of starts and
reports where each one stopped, so that the share of single starts that reach the optimum
can be read off.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import as_finite_array, as_positive_array, single
from chinchilla_lib.fitting.approach3 import HUBER_DELTA, fit_approach3, fit_approach3_scipy
from chinchilla_lib.fitting.runs import IsoFlopRuns, Runs, as_runs

__all__ = ["MAX_STARTS", "REACHED_TOLERANCE", "STARTS_SCALE", "StartsStudy", "starts_study"]

Array = NDArray[np.float64]

STARTS_SCALE = 1e3
"""Factor on the summed Huber loss given to L-BFGS-B in :func:`starts_study`: large enough
that SciPy's absolute stopping tests do not stop it early (the separate pitfall of the mean
Huber loss), so that where a start ends depends on the start alone."""
REACHED_TOLERANCE = 1e-3
"""A start has reached the optimum when its objective is within this fraction of the best."""
MAX_STARTS = 5000
"""Most starts :func:`starts_study` runs (each is one L-BFGS-B solve)."""


@dataclass(frozen=True)
class StartsStudy:
    """Where L-BFGS-B stopped from each start, against the best fit.

    Attributes
    ----------
    starts
        The starts, rows (log A, log B, log E, alpha, beta).
    objectives
        The summed Huber loss where each start stopped.
    exponents
        The allocation exponent a = beta / (alpha + beta) where each start stopped (NaN where
        both exponents ended at 0).
    optimum
        The summed Huber loss of
        :func:`~chinchilla_lib.fitting.approach3.fit_approach3`, the best fit.
    optimum_exponent
        a at that fit.
    """

    starts: Array
    objectives: Array
    exponents: Array
    optimum: float
    optimum_exponent: float

    @property
    def reached(self) -> NDArray[np.bool_]:
        """Whether each start ended within ``REACHED_TOLERANCE`` of the optimum's objective."""
        return self.objectives <= self.optimum * (1.0 + REACHED_TOLERANCE)

    @property
    def share_reached(self) -> float:
        """The share of single starts that reach the optimum."""
        return float(np.mean(self.reached))

    @property
    def best(self) -> float:
        """The lowest objective over all the starts (the best of a multi-start fit)."""
        return float(np.min(self.objectives))

    def chance_all_miss(self, starts: int) -> float:
        """The chance that ``starts`` starts drawn independently from these all miss the
        optimum: (1 - share reached)^starts."""
        count = int(single("starts", as_positive_array("starts", starts)))
        return float((1.0 - self.share_reached) ** count)


def starts_study(runs: Runs | IsoFlopRuns, starts: ArrayLike, *,
                 objective_scale: float = STARTS_SCALE,
                 delta: float = HUBER_DELTA) -> StartsStudy:
    """Run L-BFGS-B on the Approach 3 objective from each start; report where each stops.

    Each start is one :func:`~chinchilla_lib.fitting.approach3.fit_approach3_scipy` solve
    (SciPy's default tolerances, the objective multiplied by ``objective_scale``); the best
    fit is :func:`~chinchilla_lib.fitting.approach3.fit_approach3`'s.

    Parameters
    ----------
    runs
        The training runs (N parameters, D tokens, loss in nats per token), or an IsoFLOP
        design (its ``.runs``).
    starts
        Rows (log A, log B, log E, alpha, beta), finite; at most ``MAX_STARTS`` (5,000) rows.
        A subset of :func:`~chinchilla_lib.fitting.approach3.hoffmann_initial_grid`, say.
    objective_scale
        Factor on the summed Huber loss (> 0); by default ``STARTS_SCALE``, 1,000.
    delta
        Huber threshold on log-loss residuals (> 0).

    Returns
    -------
    StartsStudy
        The objective and the exponent a where each start stopped, and the best fit's.
    """
    data = as_runs(runs)
    rows = np.atleast_2d(as_finite_array("starts", starts))
    if rows.ndim != 2 or rows.shape[1] != 5 or rows.shape[0] == 0:
        raise ValueError(f"starts must be rows (log A, log B, log E, alpha, beta); got shape "
                         f"{rows.shape}")
    if rows.shape[0] > MAX_STARTS:
        raise ValueError(f"starts must hold at most {MAX_STARTS:,} rows; got {rows.shape[0]:,}")
    scale = single("objective_scale", as_positive_array("objective_scale", objective_scale))
    threshold = single("delta", as_positive_array("delta", delta))
    best = fit_approach3(data, delta=threshold)
    fits = [fit_approach3_scipy(data, start, objective_scale=scale, delta=threshold)
            for start in rows]
    with np.errstate(invalid="ignore"):
        exponents = np.array([f.law.beta / (f.law.alpha + f.law.beta) for f in fits])
    return StartsStudy(rows, np.array([f.objective for f in fits]), exponents,
                       float(best.objective), best.law.optimal_params_exponent)
