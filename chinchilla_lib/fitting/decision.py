"""The decision a sweep supports: how big a model to train at a budget, how sure that is, and
how well each approach extrapolates to runs it did not see.

Each of Hoffmann et al.'s three approaches is fitted to one
:class:`~chinchilla_lib.fitting.runs.Sweep` (:func:`fit_sweep`) with the same bootstrap:
runs drawn with replacement *within each budget* (whole curves for Approach 1), as many as
the budget has, each resample refitted afresh. Resampling within budgets keeps the design
an experimenter chose (so many sizes at so many budgets) and varies only the noise, which is
what differs between two runs of the same sweep; a sweep whose budgets do not each hold
:data:`MIN_PER_BUDGET` runs is resampled as a whole instead.

:func:`decide` turns a fit into the decision at a budget C: N_opt, D_opt = C / 6N_opt and
D_opt / N_opt, each with a percentile interval over the refits, and, from Approach 3 (the
only approach that fits a loss law), the loss at the optimum and a *prediction interval* for
the loss of one new run trained at the recommended (N_opt, D_opt): the refits' spread of
that run's predicted log loss and the runs' residual scatter about the fit, added in
quadrature, as a normal interval in log loss. Approaches 1 and 2 estimate where the optimum
lies, not how low the loss gets, and say so instead of inventing a loss law.

The intervals' coverage is tested, not assumed (``tests/test_decision.py``): on IsoFLOP sweeps
simulated from a planted law (4 budgets, 7 sizes each, 1% noise in log loss), the 90%
interval on N_opt one decade beyond the largest budget covered the truth in 92 of 100 seeds
(100 refits each), the interval on the loss at the optimum in 87, and the prediction
interval the new run's loss in 88. Over 200 seeds with 200 refits the same intervals covered
95%, 92% and 91.5%. A coverage over 200 seeds carries a binomial standard error of about 2.1
points at 90%: the two intervals on the loss are within one of it, while the interval on
N_opt lies about two and a half above it, so it is somewhat conservative (wider than it
needs to be), not merely noisy. All of this is on data simulated from the very law
Approach 3 fits; on real runs a wrong form adds a bias these intervals cannot show. Two
alternatives were measured on those 200 seeds and not taken: resampling all runs
together, rather than within budgets, covered 97.5% on N_opt (the refits then also vary how
many runs each budget holds, which the experimenter fixed); resampling the residuals about
the fitted law (the runs' sizes fixed) covered 88.5% on N_opt but only 81.5% on the loss at
the optimum. On the same 100 sweeps Approach 2's 90% interval on
N_opt (200 refits) covered the truth in 93. A percentile interval that the refits leave
entirely on one side of the estimate is widened to reach it.

:func:`holdout` fits each approach on all but the K largest-compute runs (ordered by budget,
then by their own compute, so that whole budgets are held out first) and scores it on
those: Approach 3's error in log loss on each held-out run, and every approach's N_opt at
each held-out budget against the optimum those runs show (the vertex of a parabola in log N,
where the held-out budget has three or more sizes and the vertex lies among them). That
yardstick is Approach 2's own estimator applied to the held-out budget, so it carries the
parabola's bias and noise, and it favours Approach 2: read the N_opt scores as agreement
with a noisy measurement, not as errors against the truth.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np
from numpy.typing import NDArray

from chinchilla_lib._validation import (
    as_positive_array,
    check_fraction,
    check_instance,
    check_positive_int,
    single,
)
from chinchilla_lib.fitting._result import (
    DEFAULT_LEVEL,
    DegenerateDataWarning,
    FitResult,
    Interval,
    check_bootstrap,
    percentile_interval,
)
from chinchilla_lib.fitting.runs import LAW_PARAMETERS, MIN_RUNS, Sweep
from chinchilla_lib.quantities import FLOPS_PER_PARAM_TOKEN

__all__ = ["APPROACHES", "MIN_PER_BUDGET", "ApproachFit", "Decision", "Holdout", "HoldoutRun",
           "decide", "fit_sweep", "holdout", "holdout_split"]

Array = NDArray[np.float64]

APPROACHES = (1, 2, 3)
"""Hoffmann et al.'s approaches: 1 (minimum over training curves), 2 (IsoFLOP profiles),
3 (the parametric loss E + A/N^alpha + B/D^beta)."""

MIN_PER_BUDGET = 3
"""Runs every budget must hold for the bootstrap to resample within budgets (fewer, and a
budget's resample would too often lack the three sizes a parabola needs)."""

_NO_LOSS = ("Approach {k} estimates where the optimum lies (N_opt and D_opt against C), not a "
            "loss law: no predicted loss (Approach 3 gives one)")


def _check_approach(approach: object) -> int:
    if isinstance(approach, bool) or not isinstance(approach, int | np.integer) \
            or approach not in APPROACHES:
        raise ValueError(f"approach must be one of {APPROACHES}; got {approach!r}")
    return int(approach)


@dataclass(frozen=True)
class ApproachFit:
    """One approach fitted to a sweep, with its refits to resampled runs.

    Attributes
    ----------
    approach
        1, 2 or 3.
    fit
        The fit to all runs: a :class:`~chinchilla_lib.fitting.approaches12.FrontierFit`
        (Approaches 1 and 2) or an :class:`~chinchilla_lib.fitting.approach3.Approach3Fit`.
    replicates
        One row per refit: (log k_N, a) of N_opt = k_N C^a for Approaches 1 and 2; (E, A, B,
        alpha, beta) for Approach 3. NaN rows are refits that found no frontier (too few
        optima). Shape (0, 2) or (0, 5) without a bootstrap.
    residual_scale
        Approach 3: the scatter of the runs' log losses about the fitted law (root mean
        square of the residuals, over runs minus the law's five parameters); None otherwise.
    fitted_flops
        (smallest, largest) final compute 6ND of the runs fitted, FLOPs (for Approach 1 too,
        whose curves pass through less compute on the way).
    stratified
        Whether the refits resampled runs within each budget (else all runs together).
    points
        Approaches 1 and 2: (log k_N, a) of the fit to all runs; empty for Approach 3.
    unconverged
        Approach 3: refits that stopped before converging (kept; more than 1% warn with
        :class:`~chinchilla_lib.fitting._result.DegenerateDataWarning`).
    """

    approach: int
    fit: FitResult
    replicates: Array
    residual_scale: float | None
    fitted_flops: tuple[float, float]
    stratified: bool = True
    points: tuple[float, ...] = field(default=(), repr=False)
    unconverged: int = 0

    def log_n_opt(self, flops: float) -> tuple[float, Array]:
        """log N_opt at ``flops`` (FLOPs): the fit's, and each refit's (NaN where it failed)."""
        log_c = np.log(flops)
        if self.approach == 3:
            law = self.fit.law
            point = float(np.log(law.compute_optimal(flops).n_params))
            _, a, b, alpha, beta = self.replicates.T
            with np.errstate(all="ignore"):
                g = np.log(alpha * a / (beta * b)) / (alpha + beta)
                reps = g + beta / (alpha + beta) * (log_c - np.log(FLOPS_PER_PARAM_TOKEN))
            return point, reps
        log_k, a = self.points
        return float(log_k + a * log_c), self.replicates[:, 0] + self.replicates[:, 1] * log_c


def _chinchilla_loss(params: Array, n: Array | float, d: Array | float) -> Array:
    e, a, b, alpha, beta = (np.asarray(p)[..., None] if np.ndim(n) else p for p in params.T)
    with np.errstate(all="ignore"):
        return e + a * np.power(n, -alpha) + b * np.power(d, -beta)


def _groups(sweep: Sweep) -> tuple[list[NDArray[np.int64]], bool]:
    """Row indices of each budget, and whether resampling within budgets is possible."""
    budgets = np.unique(sweep.budget)
    groups = [np.flatnonzero(sweep.budget == b) for b in budgets]
    if all(g.size >= MIN_PER_BUDGET for g in groups):
        return groups, True
    return [np.arange(len(sweep))], False


def _resample(groups: list[NDArray[np.int64]], count: int, rng: np.random.Generator
              ) -> NDArray[np.int64]:
    """``count`` resamples (rows) of run indices, drawn with replacement within each group."""
    return np.concatenate([g[rng.integers(0, g.size, size=(count, g.size))] for g in groups],
                          axis=1)


def _frontier_params(log_c: Array, log_n: Array) -> tuple[float, float]:
    """(log k, a) of the least-squares line log N = log k + a log C; NaN with < 2 points."""
    ok = np.isfinite(log_n)
    x, y = log_c[ok], log_n[ok]
    if x.size < 2 or np.ptp(x) == 0:
        return np.nan, np.nan
    a = float(np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2))
    return float(y.mean() - a * x.mean()), a


def _replicates12(sweep: Sweep, approach: int, index: NDArray[np.int64]) -> Array:
    from chinchilla_lib.fitting.approaches12 import (
        APPROACH1_POINTS,
        _envelope,
        _parabola_vertices,
    )

    rows = np.full((index.shape[0], 2), np.nan)
    if approach == 1:
        curves = sweep.curves
        flops_all = FLOPS_PER_PARAM_TOKEN * curves.n_params[:, None] * curves.tokens
        grid = np.geomspace(flops_all.min(), flops_all.max(), APPROACH1_POINTS)
        for r, pick in enumerate(index):
            n, _, c = _envelope(curves, np.sort(pick), grid)
            if np.unique(n).size >= 2:
                rows[r] = _frontier_params(np.log(c), np.log(n))
        return rows
    budgets = np.unique(sweep.budget)
    vertices = np.full((index.shape[0], budgets.size), np.nan)
    log_n_all = np.log(sweep.runs.n_params)
    for j, budget in enumerate(budgets):
        at = np.isin(index, np.flatnonzero(sweep.budget == budget))
        # every resample holds the same number of this budget's runs when stratified; else
        # ragged, refitted one resample at a time
        counts = at.sum(axis=1)
        if np.all(counts == counts[0]) and counts[0] >= 3:
            picks = index[at].reshape(index.shape[0], -1)
            x, y = log_n_all[picks], sweep.runs.loss[picks]
            # a parabola needs three distinct sizes: other resamples give no vertex
            degenerate = (np.diff(np.sort(x, axis=1), axis=1) > 0).sum(axis=1) + 1 < 3
            x[degenerate] = np.linspace(0.0, 1.0, x.shape[1])
            v = _parabola_vertices(x, y)
            v[degenerate] = np.nan
            vertices[:, j] = v
        else:
            for r in range(index.shape[0]):
                pick = index[r][at[r]]
                if np.unique(pick).size >= 3 and np.unique(log_n_all[pick]).size >= 3:
                    vertices[r, j] = _parabola_vertices(log_n_all[pick],
                                                        sweep.runs.loss[pick])
    log_c = np.log(budgets)
    for r in range(index.shape[0]):
        rows[r] = _frontier_params(log_c, vertices[r])
    return rows


def fit_sweep(sweep: Sweep, approach: int, *, bootstrap: int = 0, seed: int = 0
              ) -> ApproachFit:
    """Fit one approach to a sweep, with ``bootstrap`` refits to resampled runs.

    Parameters
    ----------
    sweep
        The runs (:func:`~chinchilla_lib.fitting.runs.read_sweep_csv`); Approach 1 needs its
        curves.
    approach
        1, 2 or 3.
    bootstrap
        Refits to resampled runs (0 for none; at most 10,000): runs drawn with replacement
        within each budget when every budget holds :data:`MIN_PER_BUDGET` runs, else from all
        runs; Approach 1 resamples whole curves.
    seed
        Seed of the resampling.

    Returns
    -------
    ApproachFit

    Raises
    ------
    ValueError
        If the approach cannot be fitted to these runs: Approach 1 without curves (saying
        what file it needs), and whatever the approach's own fitter refuses.

    Examples
    --------
    >>> from chinchilla_lib.laws import ChinchillaLaw
    >>> from chinchilla_lib.simulate import simulate_isoflop_runs
    >>> iso = simulate_isoflop_runs(ChinchillaLaw(1.8, 400.0, 1800.0, 0.34, 0.36),
    ...                             [1e18, 1e19, 1e20, 1e21], noise=0.01, seed=0)
    >>> fit = fit_sweep(Sweep(iso.runs, iso.budget), 2, bootstrap=100, seed=0)
    >>> fit.replicates.shape, round(fit.fit.law.n_opt.exponent, 2)
    ((100, 2), 0.5)
    """
    check_instance("sweep", sweep, Sweep)
    approach = _check_approach(approach)
    n_boot = check_bootstrap(bootstrap)
    seed = check_positive_int("seed", seed, minimum=0)
    flops = sweep.runs.flops
    fitted = (float(flops.min()), float(flops.max()))
    groups, stratified = _groups(sweep)
    if approach == 1:
        if sweep.curves is None:
            raise ValueError("sweep: Approach 1 needs training curves (losses at checkpoints "
                             "of each run: a file with one row per checkpoint, and a run or "
                             "budget column, or the tokens seen in a column named tokens); "
                             "these runs have one final loss each")
        from chinchilla_lib.fitting.approaches12 import fit_approach1

        fit = fit_approach1(sweep.curves)
    elif approach == 2:
        from chinchilla_lib.fitting.approaches12 import fit_approach2

        fit = fit_approach2(sweep.isoflop)
    else:
        from chinchilla_lib.fitting.approach3 import (
            BOOTSTRAP_UNCONVERGED_WARNING,
            HUBER_DELTA,
            _bootstrap,
            _prepare,
            fit_approach3,
        )

        fit = fit_approach3(sweep.runs)
        residual = np.log(sweep.runs.loss) - np.log(
            fit.law.loss(sweep.runs.n_params, sweep.runs.n_tokens))
        scale = float(np.sqrt(np.sum(residual**2) / max(residual.size - LAW_PARAMETERS, 1)))
        replicates = np.empty((0, 5))
        unconverged = 0
        if n_boot:
            index = _resample(groups, n_boot, np.random.default_rng(seed))
            samples, unconverged = _bootstrap(_prepare(sweep.runs), fit.theta, index,
                                              HUBER_DELTA)
            replicates = np.column_stack([samples[k] for k in ("E", "A", "B", "alpha",
                                                               "beta")])
            if unconverged > BOOTSTRAP_UNCONVERGED_WARNING * n_boot:
                warnings.warn(f"fit_sweep: {unconverged} of {n_boot} Approach 3 refits did "
                              f"not converge; their replicates are kept, so read the "
                              f"intervals as approximate", DegenerateDataWarning,
                              stacklevel=2)
        return ApproachFit(3, fit, replicates, scale, fitted, stratified,
                           unconverged=unconverged)
    law = fit.law.n_opt
    points = (float(np.log(law.coefficient)), float(law.exponent))
    replicates = np.empty((0, 2))
    if n_boot:
        index = _resample(groups, n_boot, np.random.default_rng(seed))
        replicates = _replicates12(sweep, approach, index)
    return ApproachFit(approach, fit, replicates, None, fitted, stratified, points)


@dataclass(frozen=True)
class Decision:
    """What one approach recommends at a compute budget, and how sure it is.

    Attributes
    ----------
    approach
        1, 2 or 3.
    flops
        The budget C, FLOPs.
    n_params, n_tokens, tokens_per_param
        N_opt (parameters), D_opt = C / 6N_opt (tokens) and D_opt / N_opt, each an
        :class:`~chinchilla_lib.fitting._result.Interval` (percentiles of the refits; low =
        high = estimate without refits).
    loss
        Approach 3: the fitted law's loss at (N_opt, D_opt), nats per token, with its
        interval (the percentiles of each refit's loss at that refit's own optimum); None
        for Approaches 1 and 2.
    prediction
        Approach 3: an interval for the final loss of one new run trained at the recommended
        (N_opt, D_opt), nats per token: the law's uncertainty there and the runs' scatter
        about it (see the module docstring); None for Approaches 1 and 2 or without refits.
    replicates
        Refits that gave a frontier (and so a value here), out of those made.
    note
        Why there is no loss (Approaches 1 and 2), or no interval (no refits); else empty.
    """

    approach: int
    flops: float
    n_params: Interval
    n_tokens: Interval
    tokens_per_param: Interval
    loss: Interval | None
    prediction: Interval | None
    replicates: tuple[int, int]
    note: str = ""


def _log_interval(point: float, reps: Array, level: float, name: str) -> Interval:
    """An interval on exp(value) from log-scale replicates (percentile), or a point; replicates
    beyond the range of a float are left out with the failed ones."""
    limit = np.log(np.finfo(float).max)
    finite = reps[np.isfinite(reps) & (np.abs(reps) < limit)]
    if finite.size == 0:
        value = float(np.exp(point))
        return Interval(value, value, value, level)
    inner = percentile_interval(finite, level, point, name)
    return Interval(float(np.exp(point)), float(np.exp(min(inner.low, point))),
                    float(np.exp(max(inner.high, point))), level)


def _prediction(fit: ApproachFit, n: Array, d: Array, level: float
                ) -> tuple[Array, Array, Array] | None:
    """Approach 3's prediction for one new run at each (N, D): the fitted loss and the ends
    of the interval at ``level``, normal in log loss with variance the refits' variance of the
    predicted log loss plus the squared residual scale; None with fewer than two refits."""
    with np.errstate(all="ignore"):
        reps = np.log(_chinchilla_loss(fit.replicates, n, d))                   # (B, k)
        centre = np.log(np.asarray(fit.fit.law.loss(n, d), dtype=float))
        ok = np.isfinite(reps)
        if (ok.sum(axis=0) < 2).any():
            return None
        mean = np.where(ok, reps, 0.0).sum(axis=0) / ok.sum(axis=0)
        variance = np.where(ok, (reps - mean) ** 2, 0.0).sum(axis=0) / (ok.sum(axis=0) - 1)
        spread = np.sqrt(variance + fit.residual_scale**2)
        z = NormalDist().inv_cdf(0.5 + level / 2)
        return np.exp(centre), np.exp(centre - z * spread), np.exp(centre + z * spread)


def decide(fit: ApproachFit, flops: float, *, level: float = DEFAULT_LEVEL) -> Decision:
    """N_opt, D_opt, tokens per parameter and (Approach 3) the loss at a budget, with
    intervals at ``level`` from the fit's refits.

    Parameters
    ----------
    fit
        An approach fitted by :func:`fit_sweep` (with ``bootstrap`` > 0 for intervals).
    flops
        The budget C, FLOPs (> 0).
    level
        Coverage of the intervals, in (0, 1); :data:`~chinchilla_lib.fitting.DEFAULT_LEVEL`
        by default.

    Returns
    -------
    Decision

    Examples
    --------
    >>> from chinchilla_lib.laws import ChinchillaLaw
    >>> from chinchilla_lib.simulate import simulate_isoflop_runs
    >>> truth = ChinchillaLaw(1.8, 400.0, 1800.0, 0.34, 0.36)
    >>> iso = simulate_isoflop_runs(truth, [1e18, 1e19, 1e20, 1e21], noise=0.01, seed=0)
    >>> fit = fit_sweep(Sweep(iso.runs, iso.budget), 3, bootstrap=200, seed=0)
    >>> choice = decide(fit, 1e22, level=0.9)
    >>> n = choice.n_params
    >>> print(f"N_opt {n.estimate:.3g} [{n.low:.3g}, {n.high:.3g}]; "
    ...       f"truth {truth.compute_optimal(1e22).n_params:.3g}")
    N_opt 7.48e+09 [6.73e+09, 1.09e+10]; truth 8.82e+09
    """
    check_instance("fit", fit, ApproachFit)
    c = single("flops", as_positive_array("flops", flops))
    level = single("level", check_fraction("level", level, allow_one=False))
    point, reps = fit.log_n_opt(c)
    log_six_c = np.log(c) - np.log(FLOPS_PER_PARAM_TOKEN)
    made = int(reps.size)
    usable = int(np.isfinite(reps).sum())
    with np.errstate(all="ignore"):
        logs = {"N_opt": (point, reps), "D_opt": (log_six_c - point, log_six_c - reps),
                "tokens_per_param": (log_six_c - 2 * point, log_six_c - 2 * reps)}
        for name, (centre, _) in logs.items():
            if not (np.isfinite(centre) and abs(centre) < np.log(np.finfo(float).max)):
                raise ValueError(f"flops: no finite {name} at {c:.4g} FLOPs (beyond the range "
                                 f"of a float)")
        n, d, ratio = (_log_interval(*logs[name], level, name) for name in logs)
    note = "" if made else "no intervals: fit with bootstrap > 0"
    loss = prediction = None
    if fit.approach == 3:
        n_hat, d_hat = n.estimate, d.estimate
        optimum = fit.fit.law.compute_optimal(c)
        loss_point = float(np.log(optimum.loss))
        with np.errstate(all="ignore"):
            e, a, b, alpha, beta = fit.replicates.T
            n_b = np.exp(reps)
            d_b = c / (FLOPS_PER_PARAM_TOKEN * n_b)
            loss_reps = np.log(e + a * n_b**-alpha + b * d_b**-beta)
        loss = _log_interval(loss_point, loss_reps, level, "loss")
        ends = _prediction(fit, np.array([n_hat]), np.array([d_hat]), level)
        if ends is not None and np.all(np.isfinite(ends)):
            prediction = Interval(*(float(v[0]) for v in ends), level)
        elif ends is not None:
            note = "the refits scatter too widely for a finite prediction interval"
    else:
        note = "; ".join(filter(None, [_NO_LOSS.format(k=fit.approach), note]))
    return Decision(fit.approach, float(c), n, d, ratio, loss, prediction, (usable, made),
                    note)


@dataclass(frozen=True)
class HoldoutRun:
    """One held-out run, against Approach 3's prediction of its loss.

    Attributes
    ----------
    n_params, n_tokens, loss
        The run: N (parameters), D (tokens), its final loss (nats per token).
    predicted
        The loss the law fitted without it predicts, nats per token.
    log_error
        log(predicted / loss): positive where the law promised a higher loss than the run
        reached (too pessimistic), negative where it promised lower (too optimistic).
    interval
        The prediction interval for the run's loss (nats per token) from the law fitted
        without it, at the holdout's level; None without refits.
    """

    n_params: float
    n_tokens: float
    loss: float
    predicted: float
    log_error: float
    interval: tuple[float, float] | None = None


@dataclass(frozen=True)
class Holdout:
    """One approach's error on the K largest-compute runs, fitted on the others.

    Attributes
    ----------
    approach
        1, 2 or 3.
    held_out
        K, the runs held out.
    fitted_flops, held_out_flops
        (smallest, largest) compute 6ND of the runs fitted and of those held out, FLOPs.
    runs
        Approach 3: each held-out run with its predicted loss (:class:`HoldoutRun`); empty
        for Approaches 1 and 2, which predict no loss.
    log_rmse
        Approach 3: root mean square of the ``log_error`` values; None otherwise.
    optima
        For each held-out budget whose runs show an optimum (three or more sizes, a parabola
        in log N with its vertex among them): (budget in FLOPs, the measured N_opt, the
        approach's N_opt there, log of predicted over measured).
    covered
        With refits: how many held-out runs' losses lie within their prediction intervals
        (Approach 3), or how many measured optima lie within the interval on N_opt at their
        budget (Approaches 1 and 2), out of how many; None without refits.
    level
        The level of those intervals.
    note
        What could not be measured, and why; else empty.
    """

    approach: int
    held_out: int
    fitted_flops: tuple[float, float]
    held_out_flops: tuple[float, float]
    runs: tuple[HoldoutRun, ...]
    log_rmse: float | None
    optima: tuple[tuple[float, float, float, float], ...]
    note: str = ""
    covered: tuple[int, int] | None = None
    level: float = DEFAULT_LEVEL


def _held_out_optima(sweep: Sweep) -> list[tuple[float, float]]:
    """(budget, N_opt) for each budget of ``sweep`` whose runs show an interior optimum."""
    from chinchilla_lib.fitting.approaches12 import _parabola_vertices

    found = []
    for budget in np.unique(sweep.budget):
        at = sweep.budget == budget
        x = np.log(sweep.runs.n_params[at])
        if np.unique(x).size < 3:
            continue
        vertex = float(_parabola_vertices(x, sweep.runs.loss[at]))
        if np.isfinite(vertex) and x.min() <= vertex <= x.max():
            found.append((float(budget), float(np.exp(vertex))))
    return found


def holdout_split(sweep: Sweep, held_out: int) -> tuple[Sweep, Sweep]:
    """(the runs to fit, the ``held_out`` runs of largest compute): runs ordered by budget,
    then by their own compute 6ND, so that whole budgets go first."""
    check_instance("sweep", sweep, Sweep)
    k = check_positive_int("held_out", held_out)
    if len(sweep) - k < MIN_RUNS:
        raise ValueError(f"held_out must leave at least {MIN_RUNS} runs to fit: at most "
                         f"{max(len(sweep) - MIN_RUNS, 0)} of these {len(sweep)} runs; "
                         f"got {k}")
    order = np.lexsort((sweep.runs.flops, sweep.budget))
    return sweep.subset(np.sort(order[:-k])), sweep.subset(np.sort(order[-k:]))


def holdout(sweep: Sweep, approach: int, held_out: int, *, bootstrap: int = 0, seed: int = 0,
            level: float = DEFAULT_LEVEL) -> Holdout:
    """Fit ``approach`` on all but the ``held_out`` runs of largest compute and score it on
    them (the only fair test of a law meant to extrapolate).

    Parameters
    ----------
    sweep
        The runs (Approach 1 needs curves; the held-out runs' whole curves are held out).
    approach
        1, 2 or 3.
    held_out
        K, the runs to hold out (>= 1, leaving at least six); runs are ordered by budget,
        then compute, so K equal to the runs of the largest budget holds out that budget.
    bootstrap, seed
        Refits of the fit without the held-out runs (as :func:`fit_sweep`), for intervals on
        the held-out runs (0 for none).
    level
        Coverage of those intervals, in (0, 1).

    Returns
    -------
    Holdout

    Raises
    ------
    ValueError
        If K leaves too few runs, or the approach cannot be fitted to the rest.

    Examples
    --------
    >>> from chinchilla_lib.laws import ChinchillaLaw
    >>> from chinchilla_lib.simulate import simulate_isoflop_runs
    >>> iso = simulate_isoflop_runs(ChinchillaLaw(1.8, 400.0, 1800.0, 0.34, 0.36),
    ...                             [1e18, 1e19, 1e20, 1e21], noise=0.01, seed=0)
    >>> score = holdout(Sweep(iso.runs, iso.budget), 3, 9)
    >>> len(score.runs), round(score.log_rmse, 3), len(score.optima)
    (9, 0.012, 1)
    """
    approach = _check_approach(approach)
    level = single("level", check_fraction("level", level, allow_one=False))
    fitted, kept = holdout_split(sweep, held_out)
    model = fit_sweep(fitted, approach, bootstrap=bootstrap, seed=seed)
    inside: list[bool] = []
    notes = []
    runs: tuple[HoldoutRun, ...] = ()
    rmse = None
    if approach == 3:
        predicted = np.asarray(model.fit.law.loss(kept.runs.n_params, kept.runs.n_tokens))
        error = np.log(predicted / kept.runs.loss)
        ends = _prediction(model, kept.runs.n_params, kept.runs.n_tokens, level) \
            if len(model.replicates) else None
        if ends is not None and not np.all(np.isfinite(ends)):
            ends = None
        spans = [None] * len(kept) if ends is None else \
            [(float(lo), float(hi)) for lo, hi in zip(ends[1], ends[2], strict=True)]
        runs = tuple(HoldoutRun(float(n), float(d), float(y), float(p), float(e), span)
                     for n, d, y, p, e, span in zip(kept.runs.n_params, kept.runs.n_tokens,
                                                    kept.runs.loss, predicted, error, spans,
                                                    strict=True))
        if ends is not None:
            inside = [lo <= r.loss <= hi for r, (lo, hi) in zip(runs, spans, strict=True)]
        rmse = float(np.sqrt(np.mean(error**2)))
    else:
        notes.append(f"Approach {approach} predicts no loss: scored on N_opt only")
    optima = []
    for budget, measured in _held_out_optima(kept):
        point, reps = model.log_n_opt(budget)
        optima.append((budget, measured, float(np.exp(point)),
                       float(point - np.log(measured))))
        if approach != 3 and len(model.replicates):
            span = _log_interval(point, reps, level, "N_opt")
            inside.append(span.contains(measured))
    if not optima:
        notes.append("no held-out budget shows an optimum (three or more sizes with the "
                      "lowest loss among them), so N_opt is not scored")
    flops = kept.runs.flops
    covered = (int(sum(inside)), len(inside)) if inside else None
    return Holdout(approach, int(held_out), model.fitted_flops,
                   (float(flops.min()), float(flops.max())), runs, rmse, tuple(optima),
                   "; ".join(notes), covered, level)
