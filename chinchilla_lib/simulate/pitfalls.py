"""The lowest observed loss bounds E, it does not determine it: Approach 3 on repeated sweeps.

Every run's loss is E plus two positive terms, so the runs say only that E lies below the
lowest loss observed (up to that run's noise); where below is an extrapolation of the two power
laws. On a sweep that reaches far in compute the fitted E is pinned down; on one that stops
early it ranges from 0 (its lower bound) to near the lowest loss, and the exponents, and with
them the allocation exponent a, move with it. :func:`floor_study` fits Approach 3 to repeated
simulated sweeps and reports E, a and the lowest loss of each.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import check_instance, check_positive_int
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.simulate._limits import check_seed
from chinchilla_lib.simulate.runs import simulate_isoflop_runs

__all__ = ["MAX_FLOOR_REPEATS", "FloorStudy", "floor_study"]

Array = NDArray[np.float64]

MAX_FLOOR_REPEATS = 1000
"""Most sweeps one :func:`floor_study` call fits."""


@dataclass(frozen=True)
class FloorStudy:
    """Approach 3's E and a on repeated sweeps, with each sweep's lowest loss.

    Attributes
    ----------
    true_e, true_a
        The planted law's E (nats per token) and allocation exponent a.
    e, a
        The fitted E and a of each sweep.
    lowest_loss
        The lowest loss of each sweep's runs, nats per token: an upper bound on E.
    undetermined_e
        Whether each fit reported E as undetermined (at its bound 0, or with a standard error
        over half the estimate).
    """

    true_e: float
    true_a: float
    e: Array
    a: Array
    lowest_loss: Array
    undetermined_e: NDArray[np.bool_]

    @property
    def e_range(self) -> tuple[float, float]:
        """The smallest and largest fitted E, nats per token."""
        return float(self.e.min()), float(self.e.max())

    @property
    def a_range(self) -> tuple[float, float]:
        """The smallest and largest fitted a."""
        return float(self.a.min()), float(self.a.max())

    @property
    def e_a_correlation(self) -> float:
        """Correlation of the fitted E and a across the sweeps (NaN if either is constant)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return float(np.corrcoef(self.e, self.a)[0, 1])


def floor_study(law: ChinchillaLaw, budgets: ArrayLike, *, noise: float, repeats: int,
                first_seed: int = 0, **sweep: float) -> FloorStudy:
    """Simulate ``repeats`` IsoFLOP sweeps from ``law`` and fit each by Approach 3.

    Parameters
    ----------
    law
        The planted law (a :class:`~chinchilla_lib.laws.chinchilla.ChinchillaLaw`).
    budgets
        The sweep's budgets, FLOPs (> 0).
    noise
        Standard deviation of log loss (>= 0).
    repeats
        Sweeps, in [2, 1000]; sweep s uses seed ``first_seed + s``.
    first_seed
        Seed of the first sweep (whole number >= 0).
    **sweep
        Further arguments of :func:`~chinchilla_lib.simulate.runs.simulate_isoflop_runs`
        (``sizes_per_budget``, ``span``, ``centre_error``).

    Returns
    -------
    FloorStudy
        Each sweep's fitted E and a and its lowest loss. The fits' warnings about
        undetermined parameters are silenced and recorded in ``undetermined_e``.
    """
    from chinchilla_lib.fitting._result import DegenerateDataWarning
    from chinchilla_lib.fitting.approach3 import fit_approach3

    check_instance("law", law, ChinchillaLaw)
    count = check_positive_int("repeats", repeats, minimum=2)
    if count > MAX_FLOOR_REPEATS:
        raise ValueError(f"repeats must be a whole number in [2, {MAX_FLOOR_REPEATS:,}]; "
                         f"got {count:,}")
    first_seed = check_seed(first_seed)
    unknown = set(sweep) - {"sizes_per_budget", "span", "centre_error"}
    if unknown:
        raise ValueError(f"sweep takes sizes_per_budget, span and centre_error; got "
                         f"{sorted(unknown)}")
    e, a, low, flagged = [], [], [], []
    for s in range(count):
        runs = simulate_isoflop_runs(law, budgets, noise=noise, seed=first_seed + s,
                                     **sweep).runs
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateDataWarning)
            fit = fit_approach3(runs)
        e.append(fit.law.e)
        a.append(fit.law.optimal_params_exponent)
        low.append(float(runs.loss.min()))
        flagged.append("E" in fit.undetermined)
    return FloorStudy(law.e, law.optimal_params_exponent, np.array(e), np.array(a),
                      np.array(low), np.array(flagged))
