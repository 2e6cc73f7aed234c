"""Approaches 1 and 2 of Hoffmann et al. (2022): the compute-optimal frontier without a law.

* **Approach 1** (minimum over training curves): for each compute value, the lowest loss any
  run reached at that compute, and which N and D reached it; then N_opt ~ C^a and
  D_opt ~ C^b by least squares in log space.
* **Approach 2** (IsoFLOP profiles): at each fixed budget, a parabola in log N through the
  final losses; its minimum gives N_opt(C); then the same power-law fits.

Intervals are percentiles over refits to resampled data; the paper's Table 2 gives the 10th
to 90th, ``fit.interval("optimal_params_exponent", 0.8)``. Two resampling schemes are offered:

* ``"bootstrap"`` (the default): as many runs as the data has, drawn *with* replacement, the
  same scheme as Approach 3's intervals (:func:`~chinchilla_lib.fitting.approach3.fit_approach3`),
  so that the three approaches' intervals can be compared;
* ``"subsample"``: random 80% subsets drawn *without* replacement, the paper's scheme for
  Table 2. A subset of a fraction f of the data varies about sqrt((1 - f) / f) times as much
  as the full data would between experiments (0.5 for f = 0.8), so these spreads understate
  the sampling error by about half.

Hoffmann et al.'s caption says only that the percentiles are "estimated via bootstrapping
data (80% of the dataset is sampled 100 times)"; that the 80% is drawn without replacement is
this library's reading.

Two cautions. Approach 1's envelope is a minimum over curves, so a curve drawn twice counts
once: a with-replacement resample is a random subset of about 63% of the distinct curves, and
its spread is itself a subsampling spread. And a parabola's vertex can fall outside the model
sizes it was fitted to (an extrapolation, common in resamples that keep only three distinct
sizes): :func:`isoflop_minima` and :func:`fit_approach2` count such vertices
(``FrontierFit.out_of_range``); :func:`fit_approach2` drops them by default
(``out_of_range="drop"``), :func:`isoflop_minima` only when asked. Even with every vertex
inside the sizes run, the parabola is biased: the IsoFLOP curve is not a parabola in log N
(:mod:`~chinchilla_lib.fitting.isoflop` fits the exact curve instead).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from chinchilla_lib import registry
from chinchilla_lib._validation import check_fraction, check_instance, check_positive_int, single
from chinchilla_lib.fitting._result import FitResult, check_bootstrap
from chinchilla_lib.fitting.power import log_ols
from chinchilla_lib.fitting.runs import IsoFlopRuns, Runs, TrainingCurves
from chinchilla_lib.laws.power import PowerLaw, PowerLawFrontier
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN

__all__ = ["APPROACH1_POINTS", "OUT_OF_RANGE", "RESAMPLING", "SUBSAMPLE", "FrontierFit",
           "fit_approach1", "fit_approach2", "isoflop_minima", "subsample_spread_ratio"]

Array = NDArray[np.float64]

SUBSAMPLE: float = registry.constant("hoffmann_table2_subsample_fraction").value
"""Fraction of the data in each refit of the ``"subsample"`` scheme (Hoffmann et al.,
Table 2)."""
APPROACH1_POINTS: int = int(registry.constant("hoffmann_approach1_flop_points").value)
MAX_APPROACH1_POINTS = 100_000
"""Most FLOP grid points :func:`fit_approach1` takes (its envelope holds runs times points
values)."""
"""Log-spaced compute values at which Approach 1 reads the envelope (Hoffmann et al., Section
3.1)."""
RESAMPLING = ("bootstrap", "subsample")
"""The resampling schemes for intervals: with replacement, or the paper's 80% subsets."""
OUT_OF_RANGE = ("keep", "drop")
"""What to do with a parabola vertex outside the model sizes it was fitted to."""


def subsample_spread_ratio(fraction: float = SUBSAMPLE) -> float:
    """How much an estimate varies over subsets of a fraction f of the data (drawn without
    replacement), relative to how much it varies between independent data sets of full size:
    sqrt((1 - f) / f), to first order.

    The estimate from a subset differs from the full-data estimate by the mean of the left-out
    part against the mean of the whole; for a mean of n values of variance s^2, a subset of
    fn values deviates from the full mean with variance s^2 (1/(fn) - 1/n) = s^2 (1 - f) / (fn),
    against s^2 / n for a fresh data set. A bootstrap resample varies with variance s^2 / n.

    Parameters
    ----------
    fraction
        f, the fraction of the data in each subset, in [1e-300, 1).

    Examples
    --------
    >>> round(subsample_spread_ratio(0.8), 3)
    0.5
    """
    share = single("fraction", check_fraction("fraction", fraction, allow_one=False))
    if share < 1e-300:
        raise ValueError(f"fraction must lie in [1e-300, 1); got {fraction!r}")
    return float(np.sqrt((1.0 - share) / share))


def _check_resampling(resampling: str) -> str:
    if resampling not in RESAMPLING:
        raise ValueError(f"resampling must be one of {RESAMPLING}; got {resampling!r}")
    return resampling


def _check_out_of_range(out_of_range: str) -> str:
    if out_of_range not in OUT_OF_RANGE:
        raise ValueError(f"out_of_range must be one of {OUT_OF_RANGE}; got {out_of_range!r}")
    return out_of_range


@dataclass(frozen=True)
class FrontierFit(FitResult):
    """N_opt = k_N C^a and D_opt = k_D C^b fitted to estimated optima (C in FLOPs).

    Attributes
    ----------
    law
        The fitted frontier, a :class:`~chinchilla_lib.laws.power.PowerLawFrontier`
        (``law.n_opt`` and ``law.d_opt``, also read as ``n_opt`` and ``d_opt`` here).
    flops, n_points, d_points
        The optima they were fitted to.
    resampling
        How the refits resampled the data: ``"bootstrap"`` or ``"subsample"`` (see the module
        docstring), or ``""`` when there were none.
    out_of_range, vertices
        Approach 2 only: how many parabola vertices (the full data's minima and every
        refit's) fell outside the range of log N their parabola was fitted to, out of how
        many vertices were computed. Such a vertex is an extrapolation of the parabola; with
        ``out_of_range="drop"`` they were left out of the fit and the refits. Zero for
        Approach 1.
    samples, converged, n_iter, message
        As in :class:`~chinchilla_lib.fitting._result.FitResult`: the refits'
        ``optimal_params_exponent`` and ``optimal_tokens_exponent`` (NaN where a refit had
        too few optima), empty without refits; the power laws are fitted in closed form.
        The paper's Table 2 gives 10th to 90th percentiles: ask for ``level=0.8``.
    """

    law: PowerLawFrontier
    flops: Array
    n_points: Array
    d_points: Array
    resampling: str = ""
    out_of_range: int = 0
    vertices: int = 0

    @property
    def n_opt(self) -> PowerLaw:
        """N_opt(C), parameters."""
        return self.law.n_opt

    @property
    def d_opt(self) -> PowerLaw:
        """D_opt(C), tokens."""
        return self.law.d_opt

    @property
    def optimal_params_exponent(self) -> float:
        """a, the exponent of N_opt in C."""
        return self.law.optimal_params_exponent

    @property
    def optimal_tokens_exponent(self) -> float:
        """b, the exponent of D_opt in C."""
        return self.law.optimal_tokens_exponent

    @property
    def estimates(self) -> dict[str, float]:
        """``optimal_params_exponent`` (a) and ``optimal_tokens_exponent`` (b)."""
        return {"optimal_params_exponent": self.optimal_params_exponent,
                "optimal_tokens_exponent": self.optimal_tokens_exponent}


def _exponent_samples(a: Array, b: Array) -> dict[str, Array]:
    return {"optimal_params_exponent": a, "optimal_tokens_exponent": b}


def _frontier(flops: Array, n: Array, d: Array) -> PowerLawFrontier:
    log_c = np.log(flops)
    a, log_k_n = log_ols(log_c, np.log(n))
    b, log_k_d = log_ols(log_c, np.log(d))
    return PowerLawFrontier(PowerLaw(float(np.exp(log_k_n)), float(a)),
                            PowerLaw(float(np.exp(log_k_d)), float(b)))


def _check_design(name: str, value: object, design: type) -> None:
    """Raise a ValueError naming the argument when ``value`` is not of the run container
    ``design`` (Approach 1 reads curves, Approach 2 runs grouped by budget)."""
    if isinstance(value, design):
        return
    needs = {TrainingCurves: "TrainingCurves (losses at checkpoints of each run)",
             IsoFlopRuns: "IsoFlopRuns (runs and the budget each belongs to)"}[design]
    hint = ""
    if isinstance(value, Runs) and design is IsoFlopRuns:
        hint = "; group the runs by budget with IsoFlopRuns(runs, budget)"
    elif isinstance(value, Runs | IsoFlopRuns):
        hint = "; final losses alone are fitted by fit_approach3"
    raise ValueError(f"{name} must be {needs}; got {type(value).__name__}{hint}")


def _envelope(curves: TrainingCurves, rows: NDArray[np.int64], grid: Array):
    """For each compute value in ``grid``, the run (among ``rows``) with the lowest loss there,
    interpolating each curve linearly in log compute; returns (N, D, C) at the envelope."""
    n = curves.n_params[rows]
    log_c = np.log(FLOPS_PER_PARAM_TOKEN * n[:, None] * curves.tokens[rows])             # (R, K)
    loss = curves.loss[rows]
    log_grid = np.log(grid)
    # Position of each grid point within each curve's checkpoints.
    at = np.full((rows.size, grid.size), np.inf)
    for r in range(rows.size):
        inside = (log_grid >= log_c[r, 0]) & (log_grid <= log_c[r, -1])
        at[r, inside] = np.interp(log_grid[inside], log_c[r], loss[r])
    best = np.argmin(at, axis=0)
    n_best = n[best]
    # Keep compute values where every size could compete and the winner is interior: at the
    # edges the smallest or largest model wins by default, which flattens the frontier.
    covered = (np.isfinite(at[best, np.arange(grid.size)]) & (n_best > n.min())
               & (n_best < n.max()))
    d_best = grid / (FLOPS_PER_PARAM_TOKEN * n_best)
    return n_best[covered], d_best[covered], grid[covered]


def fit_approach1(curves: TrainingCurves, *, points: int = APPROACH1_POINTS,
                  bootstrap: int = 0, seed: int = 0,
                  resampling: str = "bootstrap") -> FrontierFit:
    """Approach 1: fit the frontier of minimum loss over all training curves.

    Parameters
    ----------
    curves
        Training curves of runs of several sizes.
    points
        Compute values, log-spaced over the range the curves cover (the paper uses 1,500).
    bootstrap
        Number of refits to resampled runs (0 for none; at most ``MAX_BOOTSTRAP``, 10,000); each
        curve is kept or dropped whole.
    seed
        Seed of the resampling.
    resampling
        ``"bootstrap"`` (runs drawn with replacement, as many as there are) or
        ``"subsample"`` (the paper's random 80% subsets, without replacement).
    """
    _check_design("curves", curves, TrainingCurves)
    points = check_positive_int("points", points, minimum=10)
    if points > MAX_APPROACH1_POINTS:
        raise ValueError(f"points must be a whole number in [10, {MAX_APPROACH1_POINTS:,}]; "
                         f"got {points:,}")
    scheme = _check_resampling(resampling)
    n_boot = check_bootstrap(bootstrap)
    runs = curves.n_params.size
    if np.unique(curves.n_params).size < 3:
        raise ValueError("curves must come from at least 3 model sizes")
    flops_all = FLOPS_PER_PARAM_TOKEN * curves.n_params[:, None] * curves.tokens
    grid = np.geomspace(flops_all.min(), flops_all.max(), points)
    n, d, c = _envelope(curves, np.arange(runs), grid)
    if np.unique(n).size < 2:
        raise ValueError("curves must cover a range of compute over which at least two model "
                         "sizes, neither the smallest nor the largest, are best")
    law = _frontier(c, n, d)
    samples: dict[str, Array] = {}
    if n_boot:
        rng = np.random.default_rng(seed)
        rows = []
        keep = max(3, round(SUBSAMPLE * runs)) if scheme == "subsample" else runs
        for _ in range(n_boot):
            pick = np.sort(rng.choice(runs, keep, replace=scheme == "bootstrap"))
            bn, bd, bc = _envelope(curves, pick, grid)
            if np.unique(bn).size < 2:
                rows.append((np.nan, np.nan))
                continue
            refit = _frontier(bc, bn, bd)
            rows.append((refit.optimal_params_exponent, refit.optimal_tokens_exponent))
        samples = _exponent_samples(*np.array(rows).T)
    return FrontierFit(law, c, n, d, scheme if n_boot else "", samples=samples)


FLAT_CURVATURE = 1e-9
"""A parabola whose rise across its row's range of log N, curvature x (range / 2)^2, is below
this fraction of the row's largest loss is flat (losses equal but for rounding): no vertex."""


def _parabola_vertices(x: Array, y: Array) -> Array:
    """Vertex of the least-squares parabola through each row of (x, y), shape (..., m);
    NaN where the parabola opens downwards or is flat (``FLAT_CURVATURE``), or the fit is
    degenerate."""
    centre = x.mean(axis=-1, keepdims=True)
    u = x - centre
    powers = [np.ones_like(u), u, u * u, u**3, u**4]
    s = [p.sum(axis=-1) for p in powers]
    t = [(p * y).sum(axis=-1) for p in powers[:3]]
    matrix = np.stack([np.stack([s[4], s[3], s[2]], -1), np.stack([s[3], s[2], s[1]], -1),
                       np.stack([s[2], s[1], s[0]], -1)], -2)
    rhs = np.stack([t[2], t[1], t[0]], -1)[..., None]
    with np.errstate(all="ignore"):
        curvature, slope, _ = np.moveaxis(np.linalg.solve(matrix, rhs)[..., 0], -1, 0)
        vertex = centre[..., 0] - slope / (2.0 * curvature)
        rise = curvature * (np.ptp(x, axis=-1) / 2.0) ** 2
        bends = rise > FLAT_CURVATURE * np.abs(y).max(axis=-1)
    return np.where(bends, vertex, np.nan)


def _outside(x: Array, vertex: Array) -> NDArray[np.bool_]:
    """Whether each vertex lies outside the range of its row of x (False where NaN)."""
    with np.errstate(invalid="ignore"):
        return (vertex < x.min(axis=-1)) | (vertex > x.max(axis=-1))


def isoflop_minima(isoflop: IsoFlopRuns, *, out_of_range: str = "keep",
                   counts: dict[str, int] | None = None) -> tuple[Array, Array]:
    """The minimum of a parabola in log N through each budget's losses: (budgets, N_opt).

    Budgets with fewer than three distinct model sizes, or whose parabola opens downwards or
    is flat, are skipped; so is a vertex so far outside the sizes run that its N overflows.

    Parameters
    ----------
    isoflop
        Runs at fixed budgets.
    out_of_range
        ``"keep"`` (the default) returns a vertex even when it lies outside the model sizes
        run at its budget, an extrapolation of the parabola; ``"drop"`` skips such budgets.
    counts
        If given, a dict that receives ``"out_of_range"`` (vertices outside the sizes run),
        ``"vertices"`` (vertices computed), ``"too_few_sizes"`` and ``"no_minimum"`` (budgets
        skipped for fewer than three distinct sizes, or for a parabola that opens downwards,
        is flat or overflows).
    """
    if counts is not None:
        check_instance("counts", counts, dict)
    _check_design("isoflop", isoflop, IsoFlopRuns)
    drop = _check_out_of_range(out_of_range) == "drop"
    budgets, optima = [], []
    outside = computed = too_few = no_minimum = 0
    for budget in np.unique(isoflop.budget):
        at = isoflop.budget == budget
        x = np.log(isoflop.runs.n_params[at])
        if np.unique(x).size < 3:
            too_few += 1
            continue
        vertex = _parabola_vertices(x, isoflop.runs.loss[at])
        if not (np.isfinite(vertex) and np.isfinite(np.exp(vertex))
                and np.isfinite(budget / np.exp(vertex))):
            no_minimum += 1
            continue
        computed += 1
        if _outside(x, vertex):
            outside += 1
            if drop:
                continue
        budgets.append(budget)
        optima.append(float(np.exp(vertex)))
    if counts is not None:
        counts.update(out_of_range=outside, vertices=computed, too_few_sizes=too_few,
                      no_minimum=no_minimum)
    return np.array(budgets), np.array(optima)


def _weighted_slopes(x: Array, y: Array) -> Array:
    """Least-squares slopes of y on x along the last axis, ignoring NaN entries of y."""
    ok = np.isfinite(y)
    count = ok.sum(axis=-1)
    xs = np.where(ok, x, 0.0)
    ys = np.where(ok, y, 0.0)
    with np.errstate(all="ignore"):  # a resample with no finite vertex: NaN, set below
        mx = xs.sum(axis=-1) / count
        my = ys.sum(axis=-1) / count
        sxx = (np.where(ok, (x - mx[..., None]) ** 2, 0.0)).sum(axis=-1)
        sxy = (np.where(ok, (x - mx[..., None]) * (y - my[..., None]), 0.0)).sum(axis=-1)
        return np.where(count >= 2, sxy / sxx, np.nan)


def fit_approach2(isoflop: IsoFlopRuns, *, bootstrap: int = 0, seed: int = 0,
                  resampling: str = "bootstrap", out_of_range: str = "drop") -> FrontierFit:
    """Approach 2: IsoFLOP profiles, a parabola per budget, then power laws through the minima.

    Parameters
    ----------
    isoflop
        Runs at fixed budgets.
    bootstrap
        Number of refits to resampled runs (0 for none; at most ``MAX_BOOTSTRAP``, 10,000); each
        budget's runs are resampled separately. A resample with fewer than three distinct sizes
        at a budget, or whose parabola opens downwards, drops that budget from its slope.
    seed
        Seed of the resampling.
    resampling
        ``"bootstrap"`` (each budget's runs drawn with replacement, as many as there are) or
        ``"subsample"`` (the paper's random 80% subsets, without replacement).
    out_of_range
        ``"drop"`` (the default) leaves out vertices that fall outside the model sizes their
        parabola was fitted to, of the fit and of each refit: such a vertex is an
        extrapolation of the parabola, not a minimum the runs show, and a refit that keeps it
        can put the estimate of a outside its own interval. ``"keep"`` keeps them. Either way
        the fit counts them (``FrontierFit.out_of_range``).
    """
    _check_design("isoflop", isoflop, IsoFlopRuns)
    n_boot = check_bootstrap(bootstrap)
    scheme = _check_resampling(resampling)
    drop = _check_out_of_range(out_of_range) == "drop"
    counts: dict[str, int] = {}
    budgets, n_opt = isoflop_minima(isoflop, out_of_range=out_of_range, counts=counts)
    outside, computed = counts["out_of_range"], counts["vertices"]
    if budgets.size < 2:
        total = np.unique(isoflop.budget).size
        dropped = ("; with out_of_range='drop', vertices outside the sizes run are left out"
                   if drop else "")
        raise ValueError(f"isoflop must hold at least 2 budgets whose losses have a minimum "
                         f"in N; of its {total} budget(s), {counts['too_few_sizes']} have fewer "
                         f"than 3 distinct model sizes and {counts['no_minimum']} have losses "
                         f"that do not dip and rise again with N (a parabola in log N that "
                         f"opens downwards or is flat){dropped}")
    law = _frontier(budgets, n_opt, budgets / (FLOPS_PER_PARAM_TOKEN * n_opt))
    samples: dict[str, Array] = {}
    if n_boot:
        rng = np.random.default_rng(seed)
        vertices = []
        for budget in budgets:
            at = np.flatnonzero(isoflop.budget == budget)
            if scheme == "subsample":
                keep = max(3, round(SUBSAMPLE * at.size))
                picks = np.argsort(rng.random((n_boot, at.size)), axis=1)[:, :keep]
            else:
                picks = rng.integers(0, at.size, size=(n_boot, at.size))
            x = np.log(isoflop.runs.n_params[at])[picks]
            y = isoflop.runs.loss[at][picks]
            # A parabola needs three distinct sizes: resamples with fewer give no vertex.
            distinct = (np.diff(np.sort(x, axis=1), axis=1) > 0).sum(axis=1) + 1
            degenerate = distinct < 3
            x[degenerate] = np.log(isoflop.runs.n_params[at])[: x.shape[1]]
            vertex = _parabola_vertices(x, y)
            vertex[degenerate] = np.nan
            beyond = _outside(x, vertex)
            outside += int(beyond.sum())
            computed += int(np.isfinite(vertex).sum())
            if drop:
                vertex[beyond] = np.nan
            vertices.append(vertex)
        log_n = np.stack(vertices, axis=1)                        # (resamples, budgets)
        a = _weighted_slopes(np.log(budgets)[None, :], log_n)
        samples = _exponent_samples(a, 1.0 - a)
    return FrontierFit(law, budgets, n_opt, budgets / (FLOPS_PER_PARAM_TOKEN * n_opt),
                       scheme if n_boot else "", outside, computed, samples=samples)
