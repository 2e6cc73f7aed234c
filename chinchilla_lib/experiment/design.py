"""The next runs to train: an IsoFLOP experiment that pins down N_opt at a target budget.

Given an experiment budget (the FLOPs one may spend on new runs) and a target budget (the
frontier run being planned), :func:`design_experiment` proposes IsoFLOP runs, a few budgets
and a grid of model sizes at each, whose total compute 6ND stays within the experiment budget,
and which make the interval on the compute-optimal model size N_opt at the target as narrow
as the search can find. A design is judged by simulating it: synthetic sweeps are drawn from
the current best law (Approach 3 fitted to the runs one has, with their residual scatter as
noise) or, without runs, from a published prior (:data:`PRIOR_FIT`, with the stated noise
:data:`PRIOR_NOISE`); each sweep is refitted by Approach 3 (all at once, as rows of arrays, by
the reweighted least squares of :mod:`~chinchilla_lib.fitting.approach3`), and the central
:data:`~chinchilla_lib.fitting.DEFAULT_LEVEL` range of the refitted N_opt at the target is the
design's expected interval. Runs one already has are redrawn with every sweep (they are one
draw of the same noise) and count toward every fit: the proposal adds to them.

The search covers a small, stated family (:class:`IsoFlopDesign`: the number of budgets
:data:`DESIGN_BUDGET_COUNTS`, their span below the largest :data:`DESIGN_SPANS`, sizes per
budget :data:`DESIGN_SIZES`, the half-width of each grid in decades of N around the law's
optimum :data:`DESIGN_WIDTHS`), screens every member with few simulations, and judges the
best few, with the naive grid :data:`NAIVE_DESIGN` beside them, with more; the naive grid is
proposed when nothing beats it.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
from numpy.typing import NDArray

from chinchilla_lib import registry
from chinchilla_lib._validation import (
    as_positive_array,
    check_fraction,
    check_instance,
    check_nonnegative,
    check_positive_int,
    check_positive_real,
    single,
)
from chinchilla_lib.fitting._result import DEFAULT_LEVEL
from chinchilla_lib.fitting.approach3 import (
    HUBER_DELTA,
    _batched_irls,
    _lse_terms,
    _objective,
    _profile_starts,
    _take,
    fit_approach3,
)
from chinchilla_lib.fitting.runs import MIN_RUNS, IsoFlopRuns, Runs, as_runs
from chinchilla_lib.laws.chinchilla import ChinchillaLaw
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN
from chinchilla_lib.simulate._limits import MAX_VALUES, check_count, check_seed

__all__ = [
    "DESIGN_BUDGET_COUNTS",
    "DESIGN_SIZES",
    "DESIGN_SPANS",
    "DESIGN_WIDTHS",
    "FINALISTS",
    "MAX_NOISE",
    "MAX_SIMULATIONS",
    "NAIVE_DESIGN",
    "PRIOR_FIT",
    "PRIOR_NOISE",
    "SCREEN_SIMULATIONS",
    "SIMULATIONS",
    "ExperimentDesign",
    "IsoFlopDesign",
    "NoptForecast",
    "design_experiment",
    "design_runs",
    "forecast_n_opt",
]

Array = NDArray[np.float64]

PRIOR_FIT = "besiroglu2024/refit"
"""The published law simulated when there are no runs: Besiroglu et al.'s refit of Hoffmann
et al.'s Approach 3 (the course's recommended Chinchilla-form law)."""
PRIOR_NOISE = 0.01
"""Scatter assumed without runs: standard deviation of log loss between runs (about 1%), the
default noise of :func:`~chinchilla_lib.simulate.runs.simulate_isoflop_runs`. An assumption,
not a published number: no paper of the registry prints the run-to-run scatter of the prior's
runs. Pass ``noise`` (``--noise``) to use your own."""

DESIGN_BUDGET_COUNTS = (3, 5, 8)
"""Numbers of IsoFLOP budgets the search tries."""
DESIGN_SPANS = (0.5, 1.0, 2.0, 3.0)
"""Spans, in decades, from the largest IsoFLOP budget down to the smallest, that it tries."""
DESIGN_SIZES = (3, 5, 9)
"""Model sizes per budget that it tries."""
DESIGN_WIDTHS = (0.25, 0.5, 1.0, 1.5)
"""Half-widths, in decades of N, of each budget's grid around the law's optimum there, that it
tries (0.5: from a third of N_opt to three times it)."""

IQR_OVER_SIGMA = 2.0 * NormalDist().inv_cdf(0.75)
"""Interquartile range of a normal distribution over its standard deviation (about 1.349)."""
SCREEN_SIMULATIONS = 32
"""Simulated sweeps per design when screening the whole family."""
SIMULATIONS = 200
"""Simulated sweeps per design when judging the finalists and the naive grid."""
FINALISTS = 4
"""How many of the best screened designs are judged again with :data:`SIMULATIONS`."""
MAX_SIMULATIONS = 10_000
"""Most simulated sweeps per design."""
MAX_NOISE = 1.0
"""Largest noise (standard deviation of log loss) simulated: losses scattered by a factor of
e between runs leave nothing to fit."""


@dataclass(frozen=True)
class IsoFlopDesign:
    """A member of the searched family of IsoFLOP experiments.

    Attributes
    ----------
    budgets
        Number of IsoFLOP budgets (>= 2), spread evenly in log C.
    span_decades
        Decades from the largest budget down to the smallest (> 0).
    sizes_per_budget
        Model sizes trained at each budget (>= 3), spread evenly in log N.
    width_decades
        Half-width of each budget's grid, in decades of N, centred on the law's N_opt at that
        budget (> 0).
    """

    budgets: int
    span_decades: float
    sizes_per_budget: int
    width_decades: float

    def __post_init__(self) -> None:
        check_positive_int("budgets", self.budgets, minimum=2)
        check_positive_real("span_decades", self.span_decades, "decades")
        check_positive_int("sizes_per_budget", self.sizes_per_budget, minimum=3)
        check_positive_real("width_decades", self.width_decades, "decades")
        check_count("budgets * sizes_per_budget", self.budgets * self.sizes_per_budget,
                    MAX_RUNS)

    def describe(self) -> str:
        """The design in words."""
        return (f"{self.budgets} budgets over {self.span_decades:g} decades, "
                f"{self.sizes_per_budget} sizes each within +/-{self.width_decades:g} decades "
                f"of N_opt")


MAX_RUNS = 1_000
"""Most runs one design may propose."""

NAIVE_DESIGN = IsoFlopDesign(5, 2.0, 7, 1.0)
"""The naive grid the proposal is compared with: 5 budgets log-evenly over 2 decades, 7 sizes
each over a fixed +/-1 decade around the law's optimum, the same total compute."""


def _naive_designs() -> tuple[IsoFlopDesign, ...]:
    """The naive grid, then, for a budget whose smallest IsoFLOP budget would train nothing the
    law knows, the same with its budgets over ever fewer decades (a quarter at a time), then
    with fewer budgets and sizes (:data:`NAIVE_FALLBACKS`): the closest that fits."""
    steps = np.arange(NAIVE_DESIGN.span_decades, 0.0, -0.25)
    shapes = ((NAIVE_DESIGN.budgets, NAIVE_DESIGN.sizes_per_budget), *NAIVE_FALLBACKS)
    return tuple(IsoFlopDesign(k, float(s), m, NAIVE_DESIGN.width_decades)
                 for k, m in shapes for s in steps)


NAIVE_FALLBACKS = ((4, 5), (3, 5), (3, 3))
"""(budgets, sizes per budget) of the naive grid's stand-ins, in order, when it does not fit."""


def _family() -> tuple[IsoFlopDesign, ...]:
    return tuple(IsoFlopDesign(k, s, m, w) for k, s, m, w in itertools.product(
        DESIGN_BUDGET_COUNTS, DESIGN_SPANS, DESIGN_SIZES, DESIGN_WIDTHS))


@dataclass(frozen=True)
class NoptForecast:
    """The spread of N_opt at a target budget over simulated refits of one set of runs.

    Attributes
    ----------
    target
        The target budget, FLOPs.
    n_opt
        N_opt at the target by the law simulated from, parameters.
    low, high
        The central ``level`` range of the refitted N_opt, parameters.
    level
        Coverage of the range.
    simulations
        Simulated sweeps refitted.
    failed
        Refits with no usable N_opt (an exponent <= 0, or not finite); they count as lying
        outside the range, half on each side.
    """

    target: float
    n_opt: float
    low: float
    high: float
    level: float
    simulations: int
    failed: int

    @property
    def factor(self) -> float:
        """The range as a factor either way: sqrt(high / low) (N_opt known to within x/÷ this);
        infinite when more refits failed than the range leaves out."""
        with np.errstate(all="ignore"):
            return float(np.sqrt(self.high / self.low)) if self.low > 0 else math.inf


def _theta(law: ChinchillaLaw) -> Array:
    return np.array([np.log(law.a), np.log(law.b), np.log(law.e), law.alpha, law.beta])


def _optimum(law: ChinchillaLaw, flops: Array) -> Array:
    return np.asarray(law.compute_optimal(flops).n_params, dtype=float)


REFIT_MAX_ITER = 100
"""Iterations allowed to each simulated refit (reweighted least squares); N_opt has settled to
far better than the interval's precision by then (``benchmarks/bench_design.py``)."""
REFIT_TOLERANCE = 1e-10
"""Relative decrease of the Huber objective below which a simulated refit stops."""

SAFETY = 1e-9
"""Fraction of the budget left unspent, so that rounding never takes the sum of 6ND over it."""


def design_runs(design: IsoFlopDesign, budget: float, law: ChinchillaLaw, *,
                min_params: float, min_tokens: float) -> tuple[Array, Array, Array]:
    """The runs of ``design`` spending ``budget`` FLOPs in all, on sizes ``law`` can speak for.

    Budgets C_j = C_top 10^(-span j / (k - 1)), j = 0 .. k - 1, with C_top set so that every
    budget's ``sizes_per_budget`` runs (each 6ND = C_j) add up to ``budget``. At each budget
    the sizes spread log-evenly over N_opt(C_j) 10^(+/- width), clipped to the sizes the law
    was fitted on: N >= ``min_params`` and D = C_j / (6N) >= ``min_tokens``.

    Parameters
    ----------
    design
        The :class:`IsoFlopDesign`.
    budget
        Total compute of the runs, FLOPs (> 0).
    law
        The law whose N_opt centres each grid.
    min_params, min_tokens
        Smallest model size (parameters) and training set (tokens) of a run (> 0).

    Returns
    -------
    (ndarray, ndarray, ndarray)
        Each run's budget (FLOPs), N (parameters) and D (tokens).

    Raises
    ------
    ValueError
        If the smallest budget cannot train a model of ``min_params`` on ``min_tokens``
        (naming ``budget``), and for arguments out of range.
    """
    check_instance("design", design, IsoFlopDesign)
    total = check_positive_real("budget", budget, "FLOPs")
    check_instance("law", law, ChinchillaLaw)
    n_min = check_positive_real("min_params", min_params, "parameters")
    d_min = check_positive_real("min_tokens", min_tokens, "tokens")
    k, m = design.budgets, design.sizes_per_budget
    steps = 10.0 ** (-design.span_decades * np.arange(k) / (k - 1))
    flops = total * (1.0 - SAFETY) / (m * steps.sum()) * steps
    smallest = FLOPS_PER_PARAM_TOKEN * n_min * d_min
    if not flops[-1] > smallest:
        raise ValueError(f"budget {total:.3g} FLOPs spread as {design.describe()} leaves "
                         f"{flops[-1]:.3g} FLOPs per run at the smallest budget, too little to "
                         f"train the smallest model the law was fitted on ({n_min:.3g} "
                         f"parameters on {d_min:.3g} tokens: {smallest:.3g} FLOPs)")
    centre = _optimum(law, flops)
    low = np.maximum(centre * 10.0 ** -design.width_decades, n_min)
    high = np.minimum(centre * 10.0 ** design.width_decades,
                      flops / (FLOPS_PER_PARAM_TOKEN * d_min))
    high = np.maximum(high, low)  # the law's optimum far off its sizes: one size, repeated
    fractions = np.linspace(0.0, 1.0, m)
    n = np.exp(np.log(low)[:, None] + fractions[None, :] * np.log(high / low)[:, None])
    c = np.repeat(flops, m)
    n = n.ravel()
    return c, n, c / (FLOPS_PER_PARAM_TOKEN * n)


def _refit_n_opt(theta: Array, log_n: Array, log_d: Array, target: float, noise: float,
                 simulations: int, seed: int) -> Array:
    """log N_opt at ``target`` of Approach 3 refitted to ``simulations`` sweeps drawn from
    ``theta`` with log-normal noise; NaN where a refit has no usable optimum."""
    lse = _lse_terms(theta[None, :], log_n, log_d)[4][0]
    rng = np.random.default_rng([seed, log_n.size])
    log_loss = lse[None, :] + noise * rng.standard_normal((simulations, log_n.size))
    shape = (simulations, log_n.size)
    data = (np.broadcast_to(log_n, shape).copy(), np.broadcast_to(log_d, shape).copy(),
            log_loss)
    with np.errstate(all="ignore"):
        fitted, value, converged = _batched_irls(_profile_starts(data), data, HUBER_DELTA,
                                                 max_iter=REFIT_MAX_ITER, tol=REFIT_TOLERANCE)
        truth = np.repeat(theta[None, :], simulations, axis=0)
        at_truth = _objective(truth, *data, HUBER_DELTA)
        again = np.flatnonzero((at_truth < value) | ~converged)
        if again.size:
            second, second_value, _ = _batched_irls(truth[again], _take(data, again),
                                                    HUBER_DELTA, max_iter=REFIT_MAX_ITER,
                                                    tol=REFIT_TOLERANCE)
            better = second_value < value[again]
            fitted[again[better]] = second[better]
        log_a, log_b, _, alpha, beta = fitted.T
        log_g = (np.log(alpha) + log_a - np.log(beta) - log_b) / (alpha + beta)
        result = log_g + beta / (alpha + beta) * np.log(target / FLOPS_PER_PARAM_TOKEN)
    usable = (alpha > 0) & (beta > 0) & np.isfinite(result)
    return np.where(usable, result, np.nan)


def _central(log_values: Array, level: float) -> tuple[float, float, int]:
    """The central ``level`` range of the values (order statistics), with failed (NaN) ones
    counted as beyond it, half on each side; and the number failed."""
    failed = int(np.isnan(log_values).sum())
    ordered = np.concatenate([np.full(failed - failed // 2, -np.inf),
                              np.sort(log_values[~np.isnan(log_values)]),
                              np.full(failed // 2, np.inf)])
    count = ordered.size
    low = ordered[max(math.floor(round((1.0 - level) / 2.0 * count, 9)), 0)]
    high = ordered[min(math.ceil(round((1.0 + level) / 2.0 * count, 9)) - 1, count - 1)]
    return float(low), float(high), failed


def _check_noise(noise: object) -> float:
    sigma = single("noise", check_nonnegative("noise", noise))
    if sigma > MAX_NOISE:
        raise ValueError(f"noise must be at most {MAX_NOISE:g} (a standard deviation of log "
                         f"loss); got {sigma:g}")
    return sigma


def _checked_runs(law: ChinchillaLaw, n_params: object, n_tokens: object) -> Runs:
    """The runs at (``n_params``, ``n_tokens``) with the law's losses, checked for a design an
    Approach 3 fit can determine."""
    check_instance("law", law, ChinchillaLaw)
    n = as_positive_array("n_params", n_params)
    d = as_positive_array("n_tokens", n_tokens)
    if n.ndim != 1 or n.shape != d.shape:
        raise ValueError(f"n_params and n_tokens must be 1-D of one length; got shapes "
                         f"{n.shape} and {d.shape}")
    if n.size < MIN_RUNS:
        raise ValueError(f"n_params must hold at least {MIN_RUNS} runs to fit; got {n.size}")
    runs = Runs(n, d, law.loss(n, d))
    runs.check_design("n_params and n_tokens")
    return runs


def forecast_n_opt(law: ChinchillaLaw, n_params: Array, n_tokens: Array, target: float, *,
                   noise: float, simulations: int = SIMULATIONS, seed: int = 0,
                   level: float = DEFAULT_LEVEL) -> NoptForecast:
    """The expected interval on N_opt at ``target`` from Approach 3 fitted to runs at
    (``n_params``, ``n_tokens``), judged by simulation.

    Each simulated sweep draws every run's loss as law(N, D) exp(noise z), z standard normal;
    Approach 3 (the paper's Huber objective) is refitted to each sweep from its own exponent
    profile, and from the true law where that starts lower (as the bootstrap of
    :func:`~chinchilla_lib.fitting.approach3.fit_approach3` does); the central ``level`` range
    of the refitted N_opt(target) is the forecast.

    Parameters
    ----------
    law
        The law simulated from (a :class:`~chinchilla_lib.laws.chinchilla.ChinchillaLaw`).
    n_params, n_tokens
        N (parameters) and D (tokens) of the runs, 1-D of one length; at least 5 distinct
        points with 3 distinct N and D (as an Approach 3 fit needs).
    target
        The budget at which N_opt is wanted, FLOPs (> 0).
    noise
        Standard deviation of log loss between runs (0 to :data:`MAX_NOISE`).
    simulations
        Simulated sweeps (>= 10, at most :data:`MAX_SIMULATIONS`).
    seed
        Seed of the noise.
    level
        Coverage of the range, in (0, 1).

    Returns
    -------
    NoptForecast
    """
    runs = _checked_runs(law, n_params, n_tokens)
    flops = check_positive_real("target", target, "FLOPs")
    sigma = _check_noise(noise)
    count = check_positive_int("simulations", simulations, minimum=10)
    if count > MAX_SIMULATIONS:
        raise ValueError(f"simulations must be at most {MAX_SIMULATIONS:,}; got {count:,}")
    check_count("simulations * len(n_params)", count * len(runs), MAX_VALUES)
    seed = check_seed(seed)
    coverage = single("level", check_fraction("level", level, allow_one=False))
    values = _refit_n_opt(_theta(law), np.log(runs.n_params), np.log(runs.n_tokens), flops,
                          sigma, count, seed)
    low, high, failed = _central(values, coverage)
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"noise {sigma:g}: {failed} of {count} simulated refits found no "
                         f"optimum (an exponent <= 0), so the central {coverage:g} range of "
                         f"N_opt is unbounded; the runs cannot pin N_opt down at this noise")
    return NoptForecast(flops, float(_optimum(law, np.array(flops))), float(np.exp(low)),
                        float(np.exp(high)), coverage, count, failed)


@dataclass(frozen=True)
class ExperimentDesign:
    """The proposed experiment, its expected interval on N_opt, and the naive grid's.

    Attributes
    ----------
    design
        The chosen :class:`IsoFlopDesign`.
    flops, n_params, n_tokens
        Each proposed run's budget (FLOPs), N (parameters) and D (tokens).
    forecast
        The expected interval on N_opt at the target with the proposal (and the runs given).
    naive_design, naive_flops, naive_n_params, naive_n_tokens, naive_forecast
        The same for :data:`NAIVE_DESIGN` at the same total compute.
    law
        The law simulated from: Approach 3 fitted to the runs given, or the prior.
    law_source
        Where ``law`` comes from, in words.
    noise
        Standard deviation of log loss simulated.
    existing_runs
        How many runs were given (they count toward every simulated fit).
    screened
        Every design screened, with its screening width (the width, in log N_opt, of the
        central DEFAULT_LEVEL range of a normal with the refits' interquartile range), best
        first.
    assumptions
        What the forecast assumes, in words.
    """

    design: IsoFlopDesign
    flops: Array
    n_params: Array
    n_tokens: Array
    forecast: NoptForecast
    naive_design: IsoFlopDesign
    naive_flops: Array
    naive_n_params: Array
    naive_n_tokens: Array
    naive_forecast: NoptForecast
    law: ChinchillaLaw
    law_source: str
    noise: float
    existing_runs: int
    screened: tuple[tuple[IsoFlopDesign, float], ...]
    assumptions: tuple[str, ...]

    @property
    def total_flops(self) -> float:
        """Total compute of the proposed runs, sum of 6ND, FLOPs."""
        return float((FLOPS_PER_PARAM_TOKEN * self.n_params * self.n_tokens).sum())

    @property
    def naive_total_flops(self) -> float:
        """Total compute of the naive grid's runs, FLOPs."""
        return float((FLOPS_PER_PARAM_TOKEN * self.naive_n_params * self.naive_n_tokens).sum())


def _law_and_noise(runs: Runs | IsoFlopRuns | None, noise: float | None):
    """The law to simulate from, its source in words, the noise, the runs (or None), and the
    smallest N and D the law was fitted on."""
    if runs is None:
        law = ChinchillaLaw.from_registry(PRIOR_FIT)
        sigma = PRIOR_NOISE if noise is None else _check_noise(noise)
        n_min = registry.constant("hoffmann_runs_params_min").value
        d_min = registry.constant("hoffmann_runs_tokens_min").value
        return law, f"published prior {PRIOR_FIT}", sigma, None, n_min, d_min
    given = as_runs(runs)
    fit = fit_approach3(given)
    if noise is None:
        residual = np.log(given.loss) - _lse_terms(fit.theta[None, :], np.log(given.n_params),
                                                   np.log(given.n_tokens))[4][0]
        sigma = float(np.sqrt(residual @ residual / max(residual.size - 5, 1)))
        if not sigma <= MAX_NOISE:
            raise ValueError(f"runs: the residual scale of Approach 3 fitted to them is "
                             f"{sigma:.3g} in log loss, above {MAX_NOISE:g}: the law does not "
                             f"describe them")
    else:
        sigma = _check_noise(noise)
    return (fit.law, f"Approach 3 fitted to the {len(given)} runs given", sigma, given,
            float(given.n_params.min()), float(given.n_tokens.min()))


def design_experiment(budget: float, target: float, *, runs: Runs | IsoFlopRuns | None = None,
                      noise: float | None = None, seed: int = 0,
                      simulations: int = SIMULATIONS,
                      screen_simulations: int = SCREEN_SIMULATIONS) -> ExperimentDesign:
    """Propose IsoFLOP runs within ``budget`` FLOPs that pin down N_opt at ``target`` best.

    Every design of the family (:data:`DESIGN_BUDGET_COUNTS` x :data:`DESIGN_SPANS` x
    :data:`DESIGN_SIZES` x :data:`DESIGN_WIDTHS`, 144 designs) is laid out by
    :func:`design_runs` and screened with ``screen_simulations`` simulated refits, by the
    spread of their N_opt (the interquartile range, scaled to the width of the central
    DEFAULT_LEVEL range of a normal: steadier than the extreme order statistics of a few
    refits); the :data:`FINALISTS` narrowest and the naive grid :data:`NAIVE_DESIGN` are then
    judged with ``simulations`` sweeps (the same seed for each), and the narrowest of those is
    proposed (the naive grid itself when nothing beats it, so the proposal never does worse on
    this criterion). Both forecasts are Monte Carlo estimates: the ends of a central range
    are order statistics near the tails, so with the default 200 sweeps a design's factor
    moves by about a tenth from one seed to another, and the proposal's, the smallest of
    :data:`FINALISTS` such estimates on the same sweeps, is biased somewhat low (the
    winner's curse). To compare the two without that bias, judge both again on fresh seeds
    with :func:`forecast_n_opt`. Approach 3 is the fit simulated, because it uses every run, where
    Approach 2 would discard each budget's grid down to a parabola's vertex.

    Parameters
    ----------
    budget
        Compute for the new runs, FLOPs (> 0): the proposal's sum of 6ND stays within it.
    target
        The budget of the frontier run whose N_opt is wanted, FLOPs (> 0; above ``budget``,
        as usual, or not).
    runs
        Runs already trained (N parameters, D tokens, final loss in nats per token), or
        None. Given, the law simulated is Approach 3 fitted to them and the noise their
        residual scale (root mean square of the log residuals, n - 5 degrees of freedom);
        they count toward every simulated fit, and the proposal adds to them. Without runs,
        the prior :data:`PRIOR_FIT` is simulated with noise :data:`PRIOR_NOISE`.
    noise
        Standard deviation of log loss to simulate instead (0 to :data:`MAX_NOISE`), or None.
    seed
        Seed of the simulations.
    simulations, screen_simulations
        Simulated sweeps per finalist, and per design screened (>= 10 each).

    Returns
    -------
    ExperimentDesign

    Raises
    ------
    ValueError
        If ``budget`` is too small to train the smallest design of the family on sizes the
        law was fitted on (N and D at least the smallest of the runs given, or of the
        prior's: Hoffmann et al.'s 70M parameters and 5B tokens), and for arguments out of
        range.

    Examples
    --------
    Runs worth 1e22 FLOPs, to size a 1e25-FLOP model by the published prior (few simulations,
    for speed):

    >>> result = design_experiment(1e22, 1e25, simulations=40, screen_simulations=10)
    >>> result.total_flops <= 1e22, len(result.n_params) == (result.design.budgets
    ...                                                       * result.design.sizes_per_budget)
    (True, True)
    >>> result.forecast.factor <= result.naive_forecast.factor
    True
    """
    total = check_positive_real("budget", budget, "FLOPs")
    flops = check_positive_real("target", target, "FLOPs")
    seed = check_seed(seed)
    finals = check_positive_int("simulations", simulations, minimum=10)
    screens = check_positive_int("screen_simulations", screen_simulations, minimum=10)
    for name, value in (("simulations", finals), ("screen_simulations", screens)):
        if value > MAX_SIMULATIONS:
            raise ValueError(f"{name} must be at most {MAX_SIMULATIONS:,}; got {value:,}")
    law, source, sigma, given, n_min, d_min = _law_and_noise(runs, noise)
    old_n = given.n_params if given is not None else np.empty(0)
    old_d = given.n_tokens if given is not None else np.empty(0)

    laid_out = {}
    for candidate in (*_family(), *_naive_designs()):
        try:
            laid_out[candidate] = design_runs(candidate, total, law, min_params=n_min,
                                              min_tokens=d_min)
        except ValueError:
            continue
    if not laid_out:
        smallest = FLOPS_PER_PARAM_TOKEN * n_min * d_min
        least = min(c.sizes_per_budget * (10.0 ** (-c.span_decades * np.arange(c.budgets) /
                                                   (c.budgets - 1))).sum()
                    * 10.0 ** c.span_decades for c in _family()) * smallest
        raise ValueError(f"budget {total:.3g} FLOPs is too small to train any design: the "
                         f"smallest model the law was fitted on ({n_min:.3g} parameters on "
                         f"{d_min:.3g} tokens) costs {smallest:.3g} FLOPs a run, and the "
                         f"cheapest design needs more than {least:.3g} FLOPs")

    def screen(candidate: IsoFlopDesign) -> float | None:
        """The spread of log N_opt over ``screens`` refits, as the width of the central
        DEFAULT_LEVEL range of a normal with the same interquartile range (steadier than the
        extreme order statistics of few refits); infinite when a quarter of them fail."""
        _, n, d = laid_out[candidate]
        all_n, all_d = np.concatenate([old_n, n]), np.concatenate([old_d, d])
        try:
            _checked_runs(law, all_n, all_d)
        except ValueError as error:  # too few distinct points once clipped, say
            refusals.append(str(error).removeprefix("n_params and n_tokens: "))
            return None
        values = _refit_n_opt(_theta(law), np.log(all_n), np.log(all_d), flops, sigma,
                              screens, seed)
        if np.isnan(values).sum() > values.size / 4:
            return math.inf
        low, high = np.nanpercentile(values, [25.0, 75.0])
        return float((high - low) / IQR_OVER_SIGMA * 2.0 * NormalDist().inv_cdf(
            (1.0 + DEFAULT_LEVEL) / 2.0))

    def judge(candidate: IsoFlopDesign, count: int) -> NoptForecast | None:
        _, n, d = laid_out[candidate]
        try:
            return forecast_n_opt(law, np.concatenate([old_n, n]), np.concatenate([old_d, d]),
                                  flops, noise=sigma, simulations=count, seed=seed)
        except ValueError as error:  # too few distinct points once clipped, say
            refusals.append(str(error).removeprefix("n_params and n_tokens: "))
            return None

    refusals: list[str] = []

    screened = []
    for candidate in laid_out:
        if candidate in _naive_designs():
            continue
        spread = screen(candidate)
        if spread is not None:
            screened.append((candidate, spread))
    screened.sort(key=lambda item: item[1])
    finalists = [c for c, _ in screened[:FINALISTS]]
    judged = {c: judge(c, finals) for c in finalists}
    judged = {c: f for c, f in judged.items() if f is not None}
    naive, naive_forecast = None, None
    for candidate in _naive_designs():
        if candidate in laid_out:
            naive_forecast = judge(candidate, finals)
            if naive_forecast is not None:
                naive = candidate
                break
    if naive is None or naive_forecast is None or not judged:
        raise ValueError(f"budget {total:.3g} FLOPs: kept to sizes the law was fitted on "
                         f"(N >= {n_min:.3g} parameters, D >= {d_min:.3g} tokens), no design "
                         f"gives runs an Approach 3 fit can use; for one: "
                         f"{refusals[0] if refusals else 'no naive grid fits in the budget'}")
    judged[naive] = naive_forecast
    best = min(judged, key=lambda c: (_log_width(judged[c]), c != naive))
    c, n, d = laid_out[best]
    nc, nn, nd = laid_out[naive]
    assumptions = (
        f"the loss follows the Chinchilla form L = E + A/N^alpha + B/D^beta of the law "
        f"simulated ({source}), at the target as at the runs",
        f"runs scatter log-normally about the law, standard deviation {sigma:.3g} in log loss"
        + (" (assumed for the prior, which publishes no scatter; pass your own noise to "
           "change it)" if given is None and noise is None else ""),
        "each simulated sweep is fitted by Approach 3 (Huber loss on log residuals, "
        f"delta {HUBER_DELTA:g}), the existing runs redrawn with it"
        if given is not None else
        f"each simulated sweep is fitted by Approach 3 (Huber loss on log residuals, delta "
        f"{HUBER_DELTA:g})",
        f"the interval is the central {DEFAULT_LEVEL:.0%} of N_opt at the target over "
        f"{finals} simulated fits (seed {seed}); it measures noise, not a wrong functional "
        f"form, and the proposal's, the narrowest of up to {FINALISTS} designs judged on the "
        f"same simulated noise, is somewhat optimistic beside the naive grid's",
        f"runs are kept to N >= {n_min:.3g} parameters and D >= {d_min:.3g} tokens, the "
        f"smallest the law was fitted on",
        "budgets are the FLOPs 6ND of each run; every run at a budget costs that budget",
    )
    if naive != NAIVE_DESIGN:
        assumptions += (f"the naive grid ({NAIVE_DESIGN.describe()}) does not fit above the "
                        f"smallest trainable run; the closest that does stands in for it "
                        f"({naive.describe()})",)
    return ExperimentDesign(best, c, n, d, judged[best], naive, nc, nn, nd, naive_forecast,
                            law, source, sigma, 0 if given is None else len(given),
                            tuple(screened), assumptions)


def _log_width(forecast: NoptForecast) -> float:
    with np.errstate(all="ignore"):
        return float(np.log(forecast.high) - np.log(forecast.low)) if forecast.low > 0 \
            else math.inf
