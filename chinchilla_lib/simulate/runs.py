"""Simulated training runs and noisy observations of known laws, so that a reader can see
whether a fit recovers the truth."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chinchilla_lib._validation import (
    as_finite_array,
    as_positive_array,
    check_instance,
    check_nonnegative,
    check_positive_int,
    checks_overflow,
    single,
)
from chinchilla_lib.fitting.runs import IsoFlopRuns, Runs, TrainingCurves
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.laws.power import PowerLaw, SaturatingPowerLaw
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN
from chinchilla_lib.simulate._limits import MAX_VALUES, check_count, check_mode, check_seed

__all__ = [
    "CURVE_CHECKPOINTS",
    "CURVE_HORIZONS",
    "GRID_CENTRE_ERROR",
    "ISOFLOP_SIZES",
    "ISOFLOP_SPAN",
    "MAX_REFITS",
    "MAX_VALUES",
    "Approach2Calibration",
    "approach2_calibration",
    "noisy_samples",
    "noisy_samples_array",
    "simulate_isoflop_runs",
    "simulate_training_curves",
]

# The containers this module fills, IsoFlopRuns and TrainingCurves, live beside Runs in
# fitting.runs: the fitters take them, and fitting must not import this package.


@checks_overflow
def noisy_samples(law: PowerLaw | SaturatingPowerLaw, x: ArrayLike, noise: float,
                  seed: int = 0, repeats: int = 1) -> NDArray[np.float64]:
    """Observations y = law(x) * exp(noise * e), e standard normal (multiplicative noise).

    Multiplicative noise is what training runs show: a loss of 4 and a loss of 2 scatter by
    about the same percentage across seeds.

    Parameters
    ----------
    law
        The true law: a :class:`~chinchilla_lib.laws.power.PowerLaw` or
        :class:`~chinchilla_lib.laws.power.SaturatingPowerLaw`.
    x
        Where to observe (1-D, positive).
    noise
        Standard deviation of log y (>= 0); 0.02 is about 2% scatter.
    seed
        Seed of the generator.
    repeats
        Independent data sets to draw (>= 1); the result has shape ``(repeats, len(x))`` when
        ``repeats > 1``. At most :data:`MAX_VALUES` observations in all.

    Returns
    -------
    ndarray
        The noisy observations.
    """
    check_instance("law", law, (PowerLaw, SaturatingPowerLaw))
    xs = as_positive_array("x", x)
    if xs.ndim > 1:
        raise ValueError(f"x must be 1-D; got shape {xs.shape}")
    sigma = single("noise", check_nonnegative("noise", noise))
    n_sets = check_positive_int("repeats", repeats)
    check_count("repeats * len(x)", n_sets * xs.size)
    rng = np.random.default_rng(check_seed(seed))
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


@checks_overflow
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
        The true law (a :class:`~chinchilla_lib.laws.chinchilla.ChinchillaLaw`).
    budgets
        Compute budgets, FLOPs (> 0).
    sizes_per_budget
        Model sizes per budget (>= 3); at most :data:`MAX_VALUES` runs in all.
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
    check_instance("law", law, ChinchillaLaw)
    c = as_positive_array("budgets", budgets)
    count = check_positive_int("sizes_per_budget", sizes_per_budget, minimum=3)
    check_count("len(budgets) * sizes_per_budget", c.size * count)
    ratio = single("span", as_positive_array("span", span))
    if not ratio > 1:
        raise ValueError(f"span must be finite and > 1; got {span!r}")
    sigma = single("noise", check_nonnegative("noise", noise))
    seed = check_seed(seed)
    scatter = single("centre_error", check_nonnegative("centre_error", centre_error))
    centre = np.asarray(law.compute_optimal(c).n_params).reshape(-1)
    shift = np.random.default_rng([seed, 1]).standard_normal(centre.size)
    centre = centre * 10.0 ** (scatter * shift)
    offsets = np.geomspace(ratio**-0.5, ratio**0.5, count)
    n = (centre[:, None] * offsets[None, :]).ravel()
    budget = np.repeat(c.reshape(-1), count)
    d = budget / (FLOPS_PER_PARAM_TOKEN * n)
    clean = Runs(n, d, law.loss(n, d))
    loss = noisy_samples_array(clean.loss, sigma, seed)
    return IsoFlopRuns(Runs(n, d, loss), budget)


@checks_overflow
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
        The true law (a :class:`~chinchilla_lib.laws.chinchilla.ChinchillaLaw`).
    model_sizes
        N of each family of runs (> 0).
    tokens_per_param
        Horizons, as D/N (> 0).
    checkpoints
        Checkpoints per run, log-spaced from 1% of the horizon to its end (>= 2); at most
        :data:`MAX_VALUES` losses in all (runs times checkpoints).
    schedule_penalty
        How much higher the data term is early in a run (>= 0).
    noise
        Standard deviation of log loss (>= 0), independent per checkpoint.
    seed
        Seed of the noise.
    """
    check_instance("law", law, ChinchillaLaw)
    sizes = as_positive_array("model_sizes", model_sizes).reshape(-1)
    ratios = as_positive_array("tokens_per_param", tokens_per_param).reshape(-1)
    count = check_positive_int("checkpoints", checkpoints, minimum=2)
    check_count("len(model_sizes) * len(tokens_per_param) * checkpoints",
                sizes.size * ratios.size * count)
    penalty = single("schedule_penalty", check_nonnegative("schedule_penalty", schedule_penalty))
    sigma = single("noise", check_nonnegative("noise", noise))
    seed = check_seed(seed)
    n = np.repeat(sizes, ratios.size)
    horizon = n * np.tile(ratios, sizes.size)
    fraction = np.geomspace(0.01, 1.0, count)
    tokens = horizon[:, None] * fraction[None, :]
    model_term = law.a * n[:, None] ** -law.alpha
    data_term = law.b * tokens**-law.beta * (1.0 + penalty * (1.0 - fraction[None, :]))
    clean = law.e + model_term + data_term
    return TrainingCurves(n, tokens, noisy_samples_array(clean, sigma, seed))


@checks_overflow
def noisy_samples_array(values: ArrayLike, noise: float, seed: int) -> NDArray[np.float64]:
    """values * exp(noise * e), e standard normal: multiplicative noise on given values.

    Parameters
    ----------
    values
        The noiseless values (finite, > 0; any shape, the units of the result).
    noise
        Standard deviation of log y (>= 0).
    seed
        Seed of the generator (whole number >= 0).
    """
    y = as_positive_array("values", values)
    sigma = single("noise", check_nonnegative("noise", noise))
    return y * np.exp(sigma * np.random.default_rng(check_seed(seed)).standard_normal(y.shape))


MAX_REFITS = 100_000
"""Most Approach 2 fits one :func:`approach2_calibration` call runs (experiments times
resamples plus one), so that a call cannot run for hours."""


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

    def __post_init__(self) -> None:
        estimates = as_finite_array("estimates", self.estimates)
        widths = check_nonnegative("widths", self.widths)
        if estimates.ndim != 1 or estimates.size < 2 or widths.shape != estimates.shape:
            raise ValueError(f"estimates and widths must be 1-D of one length >= 2; got shapes "
                             f"{estimates.shape} and {widths.shape}")
        vertices = check_positive_int("vertices", self.vertices, minimum=0)
        outside = check_positive_int("out_of_range", self.out_of_range, minimum=0)
        if outside > vertices:
            raise ValueError(f"out_of_range must lie in [0, vertices={vertices}]; got {outside}")
        for name, value in (("estimates", estimates), ("widths", widths),
                            ("vertices", vertices), ("out_of_range", outside)):
            object.__setattr__(self, name, value)

    @property
    def spread(self) -> float:
        """10th-to-90th percentile spread of a across the experiments."""
        return float(np.diff(np.quantile(self.estimates, [0.1, 0.9]))[0])

    @property
    @checks_overflow
    def width_over_spread(self) -> float:
        """Median bootstrap width over the spread across experiments (1 when calibrated); a
        ValueError when the estimates do not spread (all equal)."""
        return float(np.median(self.widths) / np.diff(np.quantile(self.estimates, [0.1, 0.9]))[0])

    @checks_overflow
    def width_over_spread_resampled(self, rng: np.random.Generator,
                                    resamples: int = 2000) -> NDArray[np.float64]:
        """:attr:`width_over_spread` over resampled sets of the experiments (its imprecision).

        ``rng`` is a NumPy Generator; ``resamples`` is a whole number in [1, MAX_VALUES /
        number of experiments]."""
        check_instance("rng", rng, np.random.Generator)
        count = self.estimates.size
        resamples = check_positive_int("resamples", resamples)
        check_count("resamples * experiments", resamples * count)
        pick = rng.integers(0, count, (resamples, count))
        return (np.median(self.widths[pick], axis=1)
                / np.diff(np.quantile(self.estimates[pick], [0.1, 0.9], axis=1), axis=0)[0])


def approach2_calibration(law: ChinchillaLaw, budgets: ArrayLike, *, repeats: int,
                          noise: float, centre_error: float = GRID_CENTRE_ERROR,
                          out_of_range: str = "drop", bootstrap: int = 200,
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
        Resamples per experiment's interval (>= 1); resampling seed s for experiment s. At
        most :data:`MAX_REFITS` fits in all, ``repeats * (bootstrap + 1)``.
    first_seed
        Seed of the first experiment (whole number >= 0).
    """
    from chinchilla_lib.fitting.approaches12 import OUT_OF_RANGE, fit_approach2

    check_instance("law", law, ChinchillaLaw)
    repeats = check_positive_int("repeats", repeats, minimum=2)
    bootstrap = check_positive_int("bootstrap", bootstrap)
    check_count("repeats * (bootstrap + 1)", repeats * (bootstrap + 1), MAX_REFITS)
    check_mode("out_of_range", out_of_range, OUT_OF_RANGE)
    first_seed = check_seed(first_seed)
    fits = [fit_approach2(simulate_isoflop_runs(law, budgets, noise=noise, seed=first_seed + s,
                                                centre_error=centre_error),
                          bootstrap=bootstrap, seed=s, out_of_range=out_of_range)
            for s in range(repeats)]
    return Approach2Calibration(np.array([f.optimal_params_exponent for f in fits]),
                                np.array([f.interval("optimal_params_exponent", 0.8).width
                                          for f in fits]),
                                sum(f.out_of_range for f in fits), sum(f.vertices for f in fits))
