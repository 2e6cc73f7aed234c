"""Simulated training runs and noisy observations of known laws, so that a reader can see
whether a fit recovers the truth."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import as_positive_array, check_nonnegative, check_positive_int
from chinchilla_lib.fitting.runs import IsoFlopRuns, Runs, TrainingCurves
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.laws.power import PowerLaw, SaturatingPowerLaw
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN

__all__ = [
    "CURVE_CHECKPOINTS",
    "CURVE_HORIZONS",
    "GRID_CENTRE_ERROR",
    "ISOFLOP_SIZES",
    "ISOFLOP_SPAN",
    "Approach2Calibration",
    "approach2_calibration",
    "noisy_samples",
    "noisy_samples_array",
    "simulate_isoflop_runs",
    "simulate_training_curves",
]

# The containers this module fills, IsoFlopRuns and TrainingCurves, live beside Runs in
# fitting.runs: the fitters take them, and fitting must not import this package.


def noisy_samples(law: PowerLaw | SaturatingPowerLaw, x: ArrayLike, noise: float,
                  seed: int = 0, repeats: int = 1) -> NDArray[np.float64]:
    """Observations y = law(x) * exp(noise * e), e standard normal (multiplicative noise).

    Multiplicative noise is what training runs show: a loss of 4 and a loss of 2 scatter by
    about the same percentage across seeds.

    Parameters
    ----------
    law
        The true law.
    x
        Where to observe (1-D, positive).
    noise
        Standard deviation of log y (>= 0); 0.02 is about 2% scatter.
    seed
        Seed of the generator.
    repeats
        Independent data sets to draw (>= 1); the result has shape ``(repeats, len(x))`` when
        ``repeats > 1``.

    Returns
    -------
    ndarray
        The noisy observations.
    """
    xs = as_positive_array("x", x)
    sigma = float(check_nonnegative("noise", noise))
    n_sets = check_positive_int("repeats", repeats)
    rng = np.random.default_rng(seed)
    draws = rng.standard_normal((n_sets, xs.size))
    y = np.asarray(law(xs)) * np.exp(sigma * draws)
    return y[0] if n_sets == 1 else y


ISOFLOP_SIZES = 9
"""Default model sizes per IsoFLOP budget."""
ISOFLOP_SPAN = 16.0
"""Default ratio of the largest to the smallest model size at one IsoFLOP budget."""
CURVE_HORIZONS = (2.5, 5.0, 10.0, 20.0, 40.0)
"""Default training horizons of each model size, in tokens per parameter (a 16x span, like
the four horizons per size of Hoffmann et al.'s Approach 1)."""
CURVE_CHECKPOINTS = 30
"""Default checkpoints recorded per training curve."""
GRID_CENTRE_ERROR = 0.15
"""Default scatter, in decades (standard deviation of log10), of each IsoFLOP grid's centre
around the true optimum: 0.15 decades is a factor of about 1.4. An experimenter centres each
budget's sizes on a guess of the optimum, not on the optimum itself."""


def simulate_isoflop_runs(law: ChinchillaLaw, budgets: ArrayLike, *,
                          sizes_per_budget: int = ISOFLOP_SIZES, span: float = ISOFLOP_SPAN,
                          noise: float = 0.01, seed: int = 0,
                          centre_error: float = GRID_CENTRE_ERROR) -> IsoFlopRuns:
    """Runs at each budget with model sizes spread log-evenly around a guess of the optimum.

    Each budget's grid of sizes is centred on the law's optimum times a random factor
    10^(centre_error * z), z standard normal, drawn once per budget (seeded): an experimenter
    centres the sizes on a guess, and a grid centred exactly on the truth flatters
    Approach 2, whose parabola vertex is biased when the valley is sampled off-centre.

    Parameters
    ----------
    law
        The true law.
    budgets
        Compute budgets, FLOPs (> 0).
    sizes_per_budget
        Model sizes per budget (>= 3).
    span
        Ratio of the largest to the smallest size at a budget, centred (in logs) on the
        optimum (> 1).
    noise
        Standard deviation of log loss (>= 0).
    seed
        Seed of the noise and of the grid centres (drawn from independent streams, so that
        the same seed gives the same noise whatever ``centre_error`` is).
    centre_error
        Standard deviation, in decades, of each grid's centre around the true optimum (>= 0);
        0 centres every grid on the optimum.
    """
    c = as_positive_array("budgets", budgets)
    count = check_positive_int("sizes_per_budget", sizes_per_budget, minimum=3)
    if not np.isfinite(span) or span <= 1:
        raise ValueError(f"span must be finite and > 1; got {span!r}")
    scatter = float(check_nonnegative("centre_error", centre_error))
    centre = np.asarray(law.compute_optimal(c).n_params).reshape(-1)
    shift = np.random.default_rng([seed, 1]).standard_normal(centre.size)
    centre = centre * 10.0 ** (scatter * shift)
    offsets = np.geomspace(span**-0.5, span**0.5, count)
    n = (centre[:, None] * offsets[None, :]).ravel()
    budget = np.repeat(c.reshape(-1), count)
    d = budget / (FLOPS_PER_PARAM_TOKEN * n)
    clean = Runs(n, d, law.loss(n, d))
    loss = noisy_samples_array(clean.loss, noise, seed)
    return IsoFlopRuns(Runs(n, d, loss), budget)


def simulate_training_curves(law: ChinchillaLaw, model_sizes: ArrayLike, *,
                             tokens_per_param: ArrayLike = CURVE_HORIZONS,
                             checkpoints: int = CURVE_CHECKPOINTS, schedule_penalty: float = 0.3,
                             noise: float = 0.01, seed: int = 0) -> TrainingCurves:
    """Training curves for several horizons per model size, with a cosine-like schedule.

    A run planned for D tokens reaches the law's loss L(N, D) only at its end: at a checkpoint
    d < D its data term is inflated by ``1 + schedule_penalty (1 - d/D)``, since the learning
    rate has not yet decayed. (Hoffmann et al. train four horizons per size, spanning 16x.)

    Parameters
    ----------
    law
        The true law.
    model_sizes
        N of each family of runs (> 0).
    tokens_per_param
        Horizons, as D/N (> 0).
    checkpoints
        Checkpoints per run, log-spaced from 1% of the horizon to its end (>= 2).
    schedule_penalty
        How much higher the data term is early in a run (>= 0).
    noise
        Standard deviation of log loss (>= 0), independent per checkpoint.
    seed
        Seed of the noise.
    """
    sizes = as_positive_array("model_sizes", model_sizes).reshape(-1)
    ratios = as_positive_array("tokens_per_param", tokens_per_param).reshape(-1)
    count = check_positive_int("checkpoints", checkpoints, minimum=2)
    penalty = float(check_nonnegative("schedule_penalty", schedule_penalty))
    n = np.repeat(sizes, ratios.size)
    horizon = n * np.tile(ratios, sizes.size)
    fraction = np.geomspace(0.01, 1.0, count)
    tokens = horizon[:, None] * fraction[None, :]
    model_term = law.a * n[:, None] ** -law.alpha
    data_term = law.b * tokens**-law.beta * (1.0 + penalty * (1.0 - fraction[None, :]))
    clean = law.e + model_term + data_term
    return TrainingCurves(n, tokens, noisy_samples_array(clean, noise, seed))


def noisy_samples_array(values: ArrayLike, noise: float, seed: int) -> NDArray[np.float64]:
    """values * exp(noise * e), e standard normal: multiplicative noise on given values."""
    y = as_positive_array("values", values)
    sigma = float(check_nonnegative("noise", noise))
    return y * np.exp(sigma * np.random.default_rng(seed).standard_normal(y.shape))


@dataclass(frozen=True)
class Approach2Calibration:
    """Approach 2 refitted on many simulated experiments: how its bootstrap interval of the
    allocation exponent a compares with the spread of a across experiments.

    Attributes
    ----------
    estimates
        a fitted in each experiment.
    widths
        Width of each experiment's 10th-to-90th percentile bootstrap interval of a.
    out_of_range, vertices
        Parabola vertices outside the model sizes run, and all vertices, over the experiments.
    """

    estimates: NDArray[np.float64]
    widths: NDArray[np.float64]
    out_of_range: int
    vertices: int

    @property
    def spread(self) -> float:
        """10th-to-90th percentile spread of a across the experiments."""
        return float(np.diff(np.quantile(self.estimates, [0.1, 0.9]))[0])

    @property
    def width_over_spread(self) -> float:
        """Median bootstrap width over the spread across experiments (1 when calibrated)."""
        return float(np.median(self.widths) / np.diff(np.quantile(self.estimates, [0.1, 0.9]))[0])

    def width_over_spread_resampled(self, rng: np.random.Generator,
                                    resamples: int = 2000) -> NDArray[np.float64]:
        """:attr:`width_over_spread` over resampled sets of the experiments (its imprecision)."""
        count = self.estimates.size
        pick = rng.integers(0, count, (check_positive_int("resamples", resamples), count))
        return (np.median(self.widths[pick], axis=1)
                / np.diff(np.quantile(self.estimates[pick], [0.1, 0.9], axis=1), axis=0)[0])


def approach2_calibration(law: ChinchillaLaw, budgets: ArrayLike, *, repeats: int,
                          noise: float, centre_error: float = GRID_CENTRE_ERROR,
                          out_of_range: str = "keep", bootstrap: int = 200,
                          first_seed: int = 100) -> Approach2Calibration:
    """Simulate ``repeats`` IsoFLOP experiments from ``law`` and fit each by Approach 2 with a
    bootstrap, to compare the intervals with the real spread of the estimates.

    Parameters
    ----------
    law, budgets, noise, centre_error
        As for :func:`simulate_isoflop_runs`; experiment s uses seed ``first_seed + s``.
    repeats
        Number of experiments (>= 2).
    out_of_range
        Passed to :func:`~chinchilla_lib.fitting.approaches12.fit_approach2`.
    bootstrap
        Resamples per experiment's interval; resampling seed s for experiment s.
    """
    from chinchilla_lib.fitting.approaches12 import fit_approach2

    if check_positive_int("repeats", repeats) < 2:
        raise ValueError(f"repeats must be at least 2; got {repeats!r}")
    fits = [fit_approach2(simulate_isoflop_runs(law, budgets, noise=noise, seed=first_seed + s,
                                                centre_error=centre_error),
                          bootstrap=bootstrap, seed=s, out_of_range=out_of_range)
            for s in range(repeats)]
    return Approach2Calibration(np.array([f.optimal_params_exponent for f in fits]),
                                np.array([f.interval("optimal_params_exponent", 0.8).width
                                          for f in fits]),
                                sum(f.out_of_range for f in fits), sum(f.vertices for f in fits))
