"""Approach 3 of Hoffmann et al. (2022): fit L(N, D) = E + A/N^alpha + B/D^beta directly.

The paper's procedure (Section 3.3, Appendix D.2): parameters in log space, written here
(a, b, e) = (log A, log B, log E) (not the allocation exponents a, b of N_opt ~ C^a), so that
log L = LSE(a - alpha log N, b - beta log D, e), with LSE(x1, x2, x3) = log(e^x1 + e^x2 + e^x3)
the log-sum-exp;
minimise the Huber loss (delta = 1e-3) of the residuals log L - LSE with L-BFGS, from every
point of a grid of 4,500 initialisations, and keep the best.

:func:`fit_approach3` minimises the same objective by a shorter road. For fixed exponents
(alpha, beta) the law is linear in (E, A, B): a grid of exponent pairs, each with a linear
solve for the constants (variable projection), gives a few excellent starts, which SciPy's
robust least squares (``loss="huber"``, ``f_scale=delta``: exactly the paper's objective)
polishes to the optimum. Bootstrap refits start afresh, each from its own resample's
exponent profile, and run all at once, as rows of arrays, by iteratively reweighted least
squares, to convergence. Runs that cannot determine the law are refused by name
(:meth:`~chinchilla_lib.fitting.runs.Runs.check_design`); parameters the runs do not pin down
are listed in the result's ``undetermined`` and warned about
(:class:`~chinchilla_lib.fitting._result.DegenerateDataWarning`).
:func:`fit_approach3_loop` keeps the paper's grid procedure as a plain loop of
``scipy.optimize.minimize`` calls, for comparison (``benchmarks/bench_approach3.py``).
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from chinchilla_lib import registry
from chinchilla_lib._validation import (
    as_finite_array,
    as_positive_array,
    check_broadcast,
    check_positive_int,
    single,
)
from chinchilla_lib.fitting._result import DegenerateDataWarning, FitResult, check_bootstrap
from chinchilla_lib.fitting.runs import MIN_RUNS, IsoFlopRuns, Runs, as_runs
from chinchilla_lib.laws.chinchilla import ChinchillaLaw

__all__ = [
    "HUBER_DELTA",
    "POLISHED",
    "PROFILE_EXPONENTS",
    "SCIPY_LBFGSB_FTOL",
    "SCIPY_LBFGSB_GTOL",
    "Approach3Fit",
    "LikelihoodFit",
    "ScipyFit",
    "fit_approach3",
    "fit_approach3_likelihood",
    "fit_approach3_loop",
    "fit_approach3_scipy",
    "hoffmann_initial_grid",
    "huber_objective",
    "t_test_p_values",
]

HUBER_DELTA: float = registry.constant("hoffmann_huber_delta").value
"""The paper's Huber threshold on log-loss residuals (Hoffmann et al., Section 3.3)."""

SCIPY_LBFGSB_FTOL = 2.220446049250313e-09
"""SciPy's default L-BFGS-B stopping tolerance on the relative decrease of the objective,
``(f_k - f_k+1) / max(|f_k|, |f_k+1|, 1)``."""
SCIPY_LBFGSB_GTOL = 1e-5
"""SciPy's default L-BFGS-B stopping tolerance on the largest projected gradient component."""

Array = NDArray[np.float64]


def hoffmann_initial_grid() -> Array:
    """The paper's 4,500 initialisations as rows (a, b, e, alpha, beta).

    alpha, beta in {0, 0.5, ..., 2}; e in {-1, -0.5, ..., 1}; a, b in {0, 5, ..., 25}
    (Appendix D.2; registry ``HOFFMANN_INITIAL_GRID``).
    """
    grid = {values.name: np.array(values.values) for values in registry.HOFFMANN_INITIAL_GRID}
    alphas = grid["hoffmann_init_exponents"]
    es = grid["hoffmann_init_log_e"]
    abs_ = grid["hoffmann_init_log_coefficients"]
    rows = [(a, b, e, al, be) for al, be, e, a, b in itertools.product(alphas, alphas, es, abs_,
                                                                         abs_)]
    return np.array(rows, dtype=float)


def _prepare(runs: Runs) -> tuple[Array, Array, Array]:
    if len(runs) < MIN_RUNS:
        raise ValueError(f"runs must hold at least {MIN_RUNS} runs to fit; got {len(runs)}")
    runs.check_design("runs")
    return np.log(runs.n_params), np.log(runs.n_tokens), np.log(runs.loss)


def _solve(matrix: Array, rhs: Array) -> Array:
    """Solve a stack of linear systems; a singular one (a degenerate design, say two columns
    alike) gets its least-norm least-squares solution instead of stopping the whole stack."""
    with np.errstate(all="ignore"):
        try:
            return np.linalg.solve(matrix, rhs)
        except np.linalg.LinAlgError:
            return np.matmul(np.linalg.pinv(matrix), rhs)


def huber_objective(theta: Array, log_n: Array, log_d: Array, log_loss: Array,
                    delta: float = HUBER_DELTA) -> tuple[Array, Array]:
    """The Approach 3 objective and its gradient, for many parameter vectors at once.

    Parameters
    ----------
    theta
        Rows (a, b, e, alpha, beta), shape (S, 5) (or (5,)).
    log_n, log_d, log_loss
        log N, log D and log L of the runs, shape (n,), or (S, n) to give each row its own
        runs (bootstrap resamples).
    delta
        Huber threshold.

    Returns
    -------
    (ndarray, ndarray)
        The summed Huber loss of each row, shape (S,), and its gradient, shape (S, 5).
    """
    theta = np.atleast_2d(theta)
    a, b, e, alpha, beta = (theta[:, i : i + 1] for i in range(5))
    t1 = a - alpha * log_n
    t2 = b - beta * log_d
    if max(t1.max(initial=0.0), t2.max(initial=0.0), e.max(initial=0.0)) > 600.0:
        # Shift by the largest term so that no exponential overflows.
        top = np.maximum(np.maximum(t1, t2), e)
        e1 = np.exp(t1 - top, out=t1)
        e2 = np.exp(t2 - top, out=t2)
        e3 = np.exp(e - top)
    else:
        top = np.zeros((1, 1))
        e1 = np.exp(t1, out=t1)
        e2 = np.exp(t2, out=t2)
        e3 = np.exp(e)  # one value per row: E does not depend on the run
    total = e1 + e2
    total += e3
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _huber_and_gradient(e1, e2, e3, total, top, log_n, log_d, log_loss, delta)


def _huber(residual: Array, delta: float) -> Array:
    """The Huber loss of each residual: r^2 / 2 inside the threshold, delta (``|r|`` - delta/2)
    beyond it."""
    size = np.abs(residual)
    return np.where(size <= delta, 0.5 * size**2, delta * (size - 0.5 * delta))


def _huber_and_gradient(e1, e2, e3, total, top, log_n, log_d, log_loss, delta):
    """Given the three exponentials of the LSE (shifted by ``top``) and their sum, return the
    summed Huber loss of the log residuals and its gradient in (a, b, e, alpha, beta).
    Rows whose prediction under- or overflowed get an infinite objective."""
    residual = np.log(total)
    residual += top
    np.subtract(log_loss, residual, out=residual)
    value = _huber(residual, delta).sum(axis=1)
    psi = np.clip(residual, -delta, delta, out=residual)
    psi /= total
    e1 *= psi
    e2 *= psi
    e3 = (e3 * psi).sum(axis=1) if e3.shape[1] > 1 else e3[:, 0] * psi.sum(axis=1)
    if log_n.ndim == 1:
        d_alpha, d_beta = e1 @ log_n, e2 @ log_d
    else:
        d_alpha, d_beta = (e1 * log_n).sum(axis=1), (e2 * log_d).sum(axis=1)
    grad = np.stack([-e1.sum(axis=1), -e2.sum(axis=1), -e3, d_alpha, d_beta], axis=1)
    value = np.where(np.isfinite(value), value, np.inf)
    return value, grad


def _take(data, rows):
    """The runs of the given rows: all of them for shared data, row-wise for resamples."""
    return tuple(d if d.ndim == 1 else d[rows] for d in data)


def _lse_terms(theta: Array, log_n: Array, log_d: Array):
    """The three terms of the LSE, shifted by their largest (no overflow), their sum and the
    LSE itself: (e1, e2, e3, total, lse), each of shape (S, n)."""
    a, b, e, alpha, beta = (theta[:, i : i + 1] for i in range(5))
    t1 = a - alpha * log_n
    t2 = b - beta * log_d
    top = np.maximum(np.maximum(t1, t2), e)
    e1 = np.exp(np.subtract(t1, top, out=t1), out=t1)
    e2 = np.exp(np.subtract(t2, top, out=t2), out=t2)
    e3 = np.exp(e - top)
    total = e1 + e2
    total += e3
    return e1, e2, e3, total, top + np.log(total)


def _lse_and_jacobian(theta: Array, log_n: Array, log_d: Array) -> tuple[Array, Array]:
    """LSE(a - alpha log N, b - beta log D, e) per run and its Jacobian in (a, b, e, alpha,
    beta), shapes (S, n) and (S, 5, n) (parameters before runs, for fast products)."""
    e1, e2, e3, total, lse = _lse_terms(theta, log_n, log_d)
    jacobian = np.empty((theta.shape[0], 5, total.shape[1]))
    np.divide(e1, total, out=jacobian[:, 0])
    np.divide(e2, total, out=jacobian[:, 1])
    np.divide(e3, total, out=jacobian[:, 2])
    np.multiply(jacobian[:, 0], -log_n, out=jacobian[:, 3])
    np.multiply(jacobian[:, 1], -log_d, out=jacobian[:, 4])
    return lse, jacobian


def _objective(theta: Array, log_n: Array, log_d: Array, log_loss: Array,
               delta: float) -> Array:
    """The summed Huber loss of each row (S,), without its gradient; infinite where the
    prediction is not finite."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        value = _huber(log_loss - _lse_terms(theta, log_n, log_d)[4], delta).sum(axis=1)
    return np.where(np.isfinite(value), value, np.inf)


def _batched_irls(theta0: Array, data, delta: float, *, max_iter: int = 300,
                  tol: float = 1e-13) -> tuple[Array, Array, NDArray[np.bool_]]:
    """Minimise the Huber objective by iteratively reweighted least squares with
    Levenberg-Marquardt damping, every row at once.

    Each step solves the weighted least-squares problem whose weights ``min(1, delta/|r|)`` make
    it touch the Huber loss at the current point (a majorise-minimise step), so the objective
    never increases, and the sharp bend of each residual's loss within delta of zero (nearly
    a kink, hard on quasi-Newton curvature estimates) does no harm.

    Returns the rows where each stopped, their objectives, and whether each converged: its
    last step decreased the objective by less than a relative ``tol``, or no step could
    decrease it at all (the damping grew beyond 1e8), before ``max_iter`` iterations.
    """
    theta = theta0.astype(float).copy()
    value = _objective(theta, *data, delta)
    damping = np.full(theta.shape[0], 1e-3)
    active = np.arange(theta.shape[0])
    eye = np.eye(5)
    for _ in range(max_iter):
        if active.size == 0:
            break
        rows = _take(data, active) if active.size < theta.shape[0] else data
        log_n, log_d, log_loss = rows
        lse, jacobian = _lse_and_jacobian(theta[active], log_n, log_d)
        residual = log_loss - lse
        weights = np.minimum(1.0, delta / np.maximum(np.abs(residual), 1e-300))
        weighted = jacobian * weights[:, None, :]
        normal = np.matmul(weighted, jacobian.transpose(0, 2, 1))
        rhs = np.matmul(weighted, residual[:, :, None])
        scale = np.maximum(np.einsum("sii->si", normal), 1e-12)
        system = normal + damping[active, None, None] * scale[:, :, None] * eye
        step = _solve(system, rhs)[:, :, 0]
        trial = theta[active] + step
        trial_value = _objective(trial, log_n, log_d, log_loss, delta)
        better = trial_value < value[active]
        accepted = active[better]
        relative = (value[accepted] - trial_value[better]) / np.maximum(value[accepted], 1e-300)
        theta[accepted], value[accepted] = trial[better], trial_value[better]
        damping[accepted] = np.maximum(damping[accepted] / 3.0, 1e-9)
        damping[active[~better]] *= 4.0
        finished = np.zeros(active.size, dtype=bool)
        finished[better] = relative < tol
        finished[~better] = damping[active[~better]] > 1e8
        active = active[~finished]
    converged = np.ones(theta.shape[0], dtype=bool)
    converged[active] = False
    return theta, value, converged


PROFILE_EXPONENTS = np.linspace(0.05, 2.0, 25)
"""The grid of alpha and of beta over which the exponents are profiled (25 x 25 pairs)."""
POLISHED = 8
"""At most how many candidate starts are polished by robust least squares: the lowest local
minima of the exponent profile (one per basin), or the best of the starts given."""
BOOTSTRAP_EXPONENTS = PROFILE_EXPONENTS[::2]
"""The coarser grid (13 x 13 pairs) on which each bootstrap resample profiles the exponents for
a start of its own (finer grids cost more than they save in iterations, coarser ones cost
iterations: ``benchmarks/bench_approach3.py``)."""
BOOTSTRAP_TOLERANCE = 1e-10
"""Each bootstrap refit stops when a step lowers its objective by less than this relative
amount (the fit to all runs uses 1e-13). The replicates only feed percentiles: on the 240
runs of ``benchmarks/bench_approach3.py`` with 4,000 refits, the 95% intervals of alpha, beta,
a and E agree with 1e-13's to 1e-4 or better, in about 60% of the time."""
BOOTSTRAP_UNCONVERGED_WARNING = 0.01
"""The fraction of bootstrap refits that may fail to converge before the fit warns."""
NARROW_DECADES = 0.5
"""Fewer decades of N (or D) than this between the smallest and largest run: alpha and A (or
beta and B) are not pinned down."""
E_AT_BOUND = 1e-6
"""A fitted E below this fraction of the lowest loss is at its lower bound, 0."""
POLISH_TOLERANCE = 1e-15
"""Tolerance of the polishing solve on the relative change of cost and step, and on the
gradient (the smallest SciPy allows is the machine epsilon, 2.2e-16)."""


def _chinchilla_estimates(law: ChinchillaLaw) -> dict[str, float]:
    """The named parameters of an Approach 3 fit: the paper's constants and the allocation
    exponents a = beta / (alpha + beta) and b = alpha / (alpha + beta)."""
    return {"E": law.e, "A": law.a, "B": law.b, "alpha": law.alpha, "beta": law.beta,
            "optimal_params_exponent": law.optimal_params_exponent,
            "optimal_tokens_exponent": law.optimal_tokens_exponent}


@dataclass(frozen=True)
class Approach3Fit(FitResult):
    """The result of an Approach 3 fit.

    Attributes
    ----------
    law
        The fitted :class:`~chinchilla_lib.laws.chinchilla.ChinchillaLaw`.
    theta
        The optimum as (log A, log B, log E, alpha, beta).
    objective
        The summed Huber loss at the optimum.
    n_runs
        Number of runs fitted.
    n_starts
        Number of candidate starts ranked (profile points, or the ``starts`` given).
    standard_errors
        Local standard errors of E, A, B, alpha and beta from the curvature of the fit at the
        optimum (least-squares asymptotics, residual scale from the residuals); infinite
        along a direction the data do not constrain at all.
    bootstrap_unconverged
        How many bootstrap refits stopped at ``max_iter`` before converging (their replicates
        are kept; the fit warns when more than 1% did).
    samples, converged, n_iter, message, undetermined
        As in :class:`~chinchilla_lib.fitting._result.FitResult`: bootstrap replicates of
        ``E``, ``A``, ``B``, ``alpha``, ``beta``, ``optimal_params_exponent`` and
        ``optimal_tokens_exponent``; the status of the polishing solve that reached the
        optimum (``n_iter`` counts its Jacobian evaluations); the parameters the runs do not
        pin down, with the reason (see :func:`fit_approach3`).
    """

    law: ChinchillaLaw
    theta: Array
    objective: float
    n_runs: int
    n_starts: int
    standard_errors: Mapping[str, float] = field(default_factory=dict)
    bootstrap_unconverged: int = 0

    @property
    def estimates(self) -> dict[str, float]:
        """E, A, B, alpha, beta and the allocation exponents of the fitted law."""
        return _chinchilla_estimates(self.law)


def _law(theta: Array, name: str = "approach 3 fit") -> ChinchillaLaw:
    a, b, e, alpha, beta = theta
    return ChinchillaLaw(np.exp(e), np.exp(a), np.exp(b), alpha, beta, name=name)


def _profile(data, exponents: Array) -> Array:
    """Candidate starts from the exponent profile: for each (alpha, beta) on the grid, the law
    E + A N^-alpha + B D^-beta is linear in (E, A, B), solved by least squares on relative
    errors (L_hat - L) / L; returns rows (log A, log B, log E, alpha, beta)."""
    log_n, log_d, log_loss = data
    alpha, beta = (g.ravel() for g in np.meshgrid(exponents, exponents, indexing="ij"))
    inverse_loss = np.exp(-log_loss)
    design = np.stack([np.broadcast_to(inverse_loss, (alpha.size, log_n.size)),
                       np.exp(-alpha[:, None] * log_n - log_loss),
                       np.exp(-beta[:, None] * log_d - log_loss)], axis=2)         # (P, n, 3)
    norms = np.sqrt(np.einsum("pni,pni->pi", design, design))
    design = design / norms[:, None, :]
    normal = np.einsum("pni,pnj->pij", design, design)
    rhs = design.sum(axis=1)[:, :, None]
    e, a, b = (_solve(normal, rhs)[:, :, 0] / norms).T
    # A negative constant has no logarithm: such a point starts from a negligible term.
    tiny = 1e-12 * np.exp(log_loss.min())
    logs = [np.log(np.where(np.isfinite(v) & (v > tiny), v, tiny)) for v in (a, b, e)]
    return np.column_stack([*logs, alpha, beta])


def _profile_minima(values: Array) -> NDArray[np.int64]:
    """Flat indices of the local minima of the profiled objective on the (alpha, beta) grid
    (no lower value among a point's eight neighbours), lowest first: one start per basin, so
    no polishing solve repeats another's descent into the same optimum."""
    padded = np.pad(values, 1, constant_values=np.inf)
    rows, cols = values.shape
    neighbours = [padded[1 + i:1 + i + rows, 1 + j:1 + j + cols]
                  for i in (-1, 0, 1) for j in (-1, 0, 1) if (i, j) != (0, 0)]
    finite = np.where(np.isfinite(values), values, np.inf)
    minima = np.flatnonzero((finite <= np.minimum.reduce(neighbours)) & np.isfinite(values))
    if minima.size == 0:
        return np.argsort(finite.ravel(), kind="stable")[:1]
    return minima[np.argsort(finite.ravel()[minima], kind="stable")]


def _polish(start: Array, data, delta: float):
    """Minimise the summed Huber loss of the log residuals from ``start`` with SciPy's robust
    least squares: ``loss="huber"`` with ``f_scale=delta`` minimises exactly
    sum huber_delta(log L - LSE)."""
    from scipy.optimize import least_squares

    log_n, log_d, log_loss = data

    def residuals(theta: Array) -> Array:
        return log_loss - _lse_and_jacobian(theta[None, :], log_n, log_d)[0][0]

    def jacobian(theta: Array) -> Array:
        return -_lse_and_jacobian(theta[None, :], log_n, log_d)[1][0].T

    with np.errstate(all="ignore"):
        return least_squares(residuals, start, jac=jacobian, loss="huber", f_scale=delta,
                             ftol=POLISH_TOLERANCE, xtol=POLISH_TOLERANCE,
                             gtol=POLISH_TOLERANCE)


def fit_approach3(runs: Runs | IsoFlopRuns, *, starts: Array | None = None,
                  delta: float = HUBER_DELTA, bootstrap: int = 0, seed: int = 0,
                  max_iter: int = 3000) -> Approach3Fit:
    """Fit E + A/N^alpha + B/D^beta by the paper's Approach 3, by variable projection.

    The objective is the paper's: the Huber loss (threshold ``delta``) of the residuals
    log L - LSE(log A - alpha log N, log B - beta log D, log E), summed over the runs. For
    fixed exponents the law is linear in (E, A, B), so candidate starts come from profiling a
    grid of (alpha, beta) (``PROFILE_EXPONENTS``) with a linear solve for the constants; the
    local minima of the profiled objective (one start per basin, at most ``POLISHED``, lowest
    first) are then polished by SciPy's robust least squares (``loss="huber"``), and the best
    is kept. ``benchmarks/bench_approach3.py`` checks, on planted laws and (given their file) on
    Besiroglu et al.'s data, that it reaches the optimum of the previous implementation (the
    paper's 4,500 starts screened, the finalists run to convergence), and, with
    ``--with-loop``, an objective at least as low as a plain L-BFGS-B loop over the paper's
    grid (:func:`fit_approach3_loop`).

    Parameters
    ----------
    runs
        The training runs (N all parameters, D tokens, final loss in nats per token), or an
        :class:`~chinchilla_lib.fitting.runs.IsoFlopRuns` design (its ``.runs``).
    starts
        Candidate starts as rows (a, b, e, alpha, beta) = (log A, log B, log E, alpha, beta),
        instead of the exponent profile's; the ``POLISHED`` with the lowest objective are
        polished.
    delta
        Huber threshold on log-loss residuals (> 0); the paper uses 1e-3.
    bootstrap
        Number of bootstrap resamples of the runs (0 for none; at most ``MAX_BOOTSTRAP``,
        10,000). Every resample is refitted afresh, from the best point of its own exponent
        profile (and from the full-data optimum too where that starts lower than the fresh refit
        ended), all resamples at once, by iteratively reweighted least squares run to
        convergence.
    seed
        Seed of the resampling.
    max_iter
        Iterations allowed to each bootstrap refit (>= 1). Refits that stop there unconverged
        are counted (``bootstrap_unconverged``, and in ``message``); more than 1% of them
        raise a :class:`~chinchilla_lib.fitting._result.DegenerateDataWarning`. The polishing
        solves run to SciPy's convergence tests (or its default limit of function
        evaluations), reported by ``converged`` and ``message``.

    Returns
    -------
    Approach3Fit
        With ``undetermined`` naming the parameters the runs do not pin down, and why: E
        fitted as 0 (below ``E_AT_BOUND`` of the lowest loss, its bound); N (or D) spanning
        less than ``NARROW_DECADES`` (then alpha and A, or beta and B); an exponent or E whose
        local standard error exceeds half its estimate, or a constant A or B uncertain by
        more than a factor of ten (a standard error over log(10) times the estimate). An
        undetermined exponent makes the allocation exponents undetermined too. Each such fit
        warns with :class:`~chinchilla_lib.fitting._result.DegenerateDataWarning`.

    Raises
    ------
    ValueError
        If the runs cannot determine the law whatever the noise (see
        :meth:`~chinchilla_lib.fitting.runs.Runs.check_design`: identical runs, one loss for
        all, fewer than 3 distinct N or D, fewer distinct (N, D) points than 5), or if the
        best fit has an exponent <= 0 (the loss does not fall with N, or with D); and for
        arguments out of range.

    Examples
    --------
    Recover a known law from 36 simulated IsoFLOP runs with 0.5% noise:

    >>> from chinchilla_lib.laws.chinchilla import ChinchillaLaw
    >>> from chinchilla_lib.simulate.runs import simulate_isoflop_runs
    >>> truth = ChinchillaLaw(1.8, 400.0, 1800.0, 0.34, 0.36)
    >>> iso = simulate_isoflop_runs(truth, [1e18, 1e19, 1e20, 1e21], noise=0.005, seed=0)
    >>> fit = fit_approach3(iso.runs, bootstrap=200, seed=0)
    >>> fit.converged
    True
    >>> print(f"a = {fit.law.optimal_params_exponent:.3f} "
    ...       f"(truth {truth.optimal_params_exponent:.3f})")
    a = 0.505 (truth 0.514)
    >>> interval = fit.interval("optimal_params_exponent")
    >>> print(f"95% interval ({interval.low:.3f}, {interval.high:.3f})")
    95% interval (0.493, 0.533)
    """
    runs = as_runs(runs)
    data = _prepare(runs)
    delta = single("delta", as_positive_array("delta", delta))
    n_boot = check_bootstrap(bootstrap)
    if starts is None:
        candidates = _profile(data, PROFILE_EXPONENTS)
    else:
        candidates = _check_starts(starts)
    iterations = check_positive_int("max_iter", max_iter)
    values, _ = huber_objective(candidates, *data, delta)
    if starts is None:
        rows = _profile_minima(values.reshape(PROFILE_EXPONENTS.size, -1))[:POLISHED]
    else:
        rows = np.argsort(values, kind="stable")[:POLISHED]
    best = None
    for row in rows:
        result = _polish(candidates[row], data, delta)
        value = float(huber_objective(result.x, *data, delta)[0][0])
        if best is None or value < best[1]:
            best = (np.asarray(result.x, dtype=float), value, result)
    theta, value, result = best
    _check_trends(theta, data)
    errors = _standard_errors(theta, data)
    undetermined = _undetermined(theta, data, errors)
    samples: dict[str, Array] = {}
    unconverged = 0
    if n_boot:
        rng = np.random.default_rng(seed)
        index = rng.integers(0, len(runs), size=(n_boot, len(runs)))
        samples, unconverged = _bootstrap(data, theta, index, delta, iterations)
    message = str(result.message)
    if unconverged:
        message += (f"; {unconverged} of {n_boot} bootstrap refits stopped at max_iter="
                    f"{iterations} before converging")
    if undetermined:
        reasons = "; ".join(f"{name}: {why}" for name, why in undetermined.items())
        warnings.warn(f"fit_approach3: the runs do not pin down {', '.join(undetermined)} "
                      f"({reasons}). Read these estimates and their intervals as unreliable; "
                      f"runs spread over a decade or more of both N and D, with losses still "
                      f"falling, pin them down", DegenerateDataWarning, stacklevel=2)
    if unconverged > BOOTSTRAP_UNCONVERGED_WARNING * n_boot:
        warnings.warn(f"fit_approach3: {unconverged} of {n_boot} bootstrap refits did not "
                      f"converge within max_iter={iterations} iterations: raise max_iter for "
                      f"intervals you can trust", DegenerateDataWarning, stacklevel=2)
    return Approach3Fit(_law(theta), theta, value, len(runs), candidates.shape[0],
                        errors, unconverged, samples=samples, converged=result.status > 0,
                        n_iter=int(result.njev or result.nfev), message=message,
                        undetermined=undetermined)


def _check_trends(theta: Array, data) -> None:
    """Refuse runs whose loss does not fall with N (or D), naming what is wrong with the data:
    the best fit then has an exponent <= 0, or (the law cannot rise) a term A/N^alpha too small
    to matter at any run while log loss rises with log N at fixed log D (least squares)."""
    log_n, log_d, log_loss = data
    design = np.column_stack([np.ones_like(log_n), log_n, log_d])
    slopes = None
    for index, (name, constant, size, values) in enumerate(
            (("alpha", "A", "model size N", log_n), ("beta", "B", "training tokens D", log_d))):
        value = theta[3 + index]
        share = np.exp(theta[index] - value * values - log_loss).max()
        if value > 0 and share > E_AT_BOUND:
            continue
        if value > 0:
            if slopes is None:
                slopes = np.linalg.lstsq(design, log_loss, rcond=None)[0][1:]
            if not slopes[index] > 0:
                continue
            found = (f"log loss rises with log {size[-1]} at a slope of {slopes[index]:.3g} "
                     f"(least squares on log N and log D), and the best fit of "
                     f"E + A/N^alpha + B/D^beta has no {constant}/{size[-1]}^{name} term left")
        else:
            found = (f"the best fit of E + A/N^alpha + B/D^beta has {name} = {value:.3g}, and the "
                     f"law needs {name} > 0")
        raise ValueError(f"runs: the loss does not fall with {size}: {found}. Check that the "
                         f"columns hold what they should (parameters, tokens, final loss in "
                         f"nats per token) and that the runs were trained alike")


def _standard_errors(theta: Array, data) -> dict[str, float]:
    """Local standard errors of E, A, B, alpha and beta: sigma^2 (J^T J)^-1 with J the
    Jacobian of the log-loss prediction at ``theta`` and sigma the root mean square of the
    residuals (n - 5 degrees of freedom); infinite along directions J does not see."""
    log_n, log_d, log_loss = data
    lse, jacobian = _lse_and_jacobian(theta[None, :], log_n, log_d)
    matrix = jacobian[0].T                                                      # (n, 5)
    residual = log_loss - lse[0]
    sigma2 = float(residual @ residual) / max(residual.size - 5, 1)
    scale = np.linalg.norm(matrix, axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    try:
        _, singular, vt = np.linalg.svd(matrix / scale, full_matrices=False)
    except np.linalg.LinAlgError:  # a prediction that is not finite: nothing is known
        return dict.fromkeys(("E", "A", "B", "alpha", "beta"), np.inf)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inverse = np.where(singular > 1e-10 * singular[0], 1.0 / singular**2, np.inf)
        variance = np.where(np.abs(vt) > 1e-8, vt**2, 0.0).T @ inverse
        log_se = np.sqrt(sigma2 * variance) / scale     # of (log A, log B, log E, alpha, beta)
        a, b, e = np.exp(theta[:3])
        values = np.array([e * log_se[2], a * log_se[0], b * log_se[1], log_se[3], log_se[4]])
    values = np.where(np.isnan(values), np.inf, values)  # no curvature and no scatter
    return dict(zip(("E", "A", "B", "alpha", "beta"), values.tolist(), strict=True))


def _undetermined(theta: Array, data, errors: Mapping[str, float]) -> dict[str, str]:
    """The parameters the runs do not pin down, with the reason: E at its bound 0; N (or D)
    over less than ``NARROW_DECADES``; for E and the exponents a standard error over half the
    estimate (the estimate is not two standard errors from zero), for A and B one over
    log(10) times the estimate (uncertain by more than a factor of ten). Where an exponent is
    undetermined, so are its constant and the allocation exponents."""
    log_n, log_d, log_loss = data
    found: dict[str, str] = {}
    if theta[2] < log_loss.min() + np.log(E_AT_BOUND):
        found["E"] = (f"fitted as {np.exp(theta[2]):.2g}, at its bound 0: the runs do not "
                      f"show the loss levelling off")
    elif not 2.0 * errors["E"] < np.exp(theta[2]):
        found["E"] = (f"standard error {errors['E']:.2g} against an estimate of "
                      f"{np.exp(theta[2]):.3g}")
    for exponent, constant, values, size in (("alpha", "A", log_n, "N"),
                                             ("beta", "B", log_d, "D")):
        decades = float(np.ptp(values) / np.log(10.0))
        value = theta[3] if exponent == "alpha" else theta[4]
        if decades < NARROW_DECADES:
            why = f"{size} spans only {decades:.2f} decades (under {NARROW_DECADES})"
        elif not 2.0 * errors[exponent] < value:
            why = f"standard error {errors[exponent]:.2g} against an estimate of {value:.3g}"
        else:
            continue
        found[exponent] = why
        found[constant] = f"with {exponent}"
    for constant, log_value in (("A", theta[0]), ("B", theta[1])):
        if constant not in found and not errors[constant] <= np.log(10.0) * np.exp(log_value):
            found[constant] = (f"standard error {errors[constant]:.2g} against an estimate of "
                               f"{np.exp(log_value):.3g}: uncertain by more than a factor of "
                               f"ten")
    if "alpha" in found or "beta" in found:
        for name in ("optimal_params_exponent", "optimal_tokens_exponent"):
            found[name] = "with " + " and ".join(n for n in ("alpha", "beta") if n in found)
    return found


PARALLEL_MIN_ROWS = 256
"""Bootstrap batches at least this large are split in two and refitted on two threads
(NumPy releases the GIL in its array loops); each row's refit does not depend on the others,
so the replicates are the same either way."""


def _in_parallel(solve, index: NDArray[np.int64]) -> list[Array]:
    """``solve`` applied to the halves of ``index``'s rows on two threads, when there are two
    cores and enough rows to repay the threads; otherwise to all rows at once."""
    import os

    if index.shape[0] < PARALLEL_MIN_ROWS or (os.cpu_count() or 1) < 2:
        return [solve(index)]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(solve, np.array_split(index, 2)))


PROFILE_CHUNK = 64
"""Resamples profiled at once (bounds the memory of the (resamples, pairs, runs) arrays)."""


def _profile_starts(data, exponents: Array = BOOTSTRAP_EXPONENTS) -> Array:
    """The best point of each resample's own exponent profile, a start that owes nothing to
    the full-data optimum: rows of ``data`` are resamples, shape (S, n). For each (alpha,
    beta) pair of the grid the constants (E, A, B) are solved by least squares on relative
    errors (from the 3 x 3 normal equations, assembled from the columns of each exponent
    once); the pair with the smallest residual sum of squares and positive constants wins
    (the smallest residual if none has positive constants). Returns rows (log A, log B,
    log E, alpha, beta)."""
    log_n, log_d, log_loss = data
    size = exponents.size
    starts = np.empty((log_n.shape[0], 5))
    for first in range(0, log_n.shape[0], PROFILE_CHUNK):
        rows = slice(first, first + PROFILE_CHUNK)
        ll = log_loss[rows]
        u = np.exp(-ll)                                                         # (s, n)
        a = np.exp(-exponents[None, :, None] * log_n[rows, None, :]) * u[:, None, :]
        b = np.exp(-exponents[None, :, None] * log_d[rows, None, :]) * u[:, None, :]
        count, runs = u.shape
        gram = np.empty((count, size, size, 3, 3))
        gram[..., 0, 0] = np.einsum("sn,sn->s", u, u)[:, None, None]
        gram[..., 0, 1] = gram[..., 1, 0] = np.einsum("sgn,sn->sg", a, u)[:, :, None]
        gram[..., 0, 2] = gram[..., 2, 0] = np.einsum("sgn,sn->sg", b, u)[:, None, :]
        gram[..., 1, 1] = np.einsum("sgn,sgn->sg", a, a)[:, :, None]
        gram[..., 2, 2] = np.einsum("sgn,sgn->sg", b, b)[:, None, :]
        gram[..., 1, 2] = np.matmul(a, b.transpose(0, 2, 1))
        gram[..., 2, 1] = gram[..., 1, 2]
        rhs = np.empty((count, size, size, 3))
        rhs[..., 0] = u.sum(axis=1)[:, None, None]
        rhs[..., 1] = a.sum(axis=2)[:, :, None]
        rhs[..., 2] = b.sum(axis=2)[:, None, :]
        with np.errstate(all="ignore"):
            norms = np.sqrt(np.einsum("sabii->sabi", gram))
            gram /= norms[..., :, None] * norms[..., None, :]
            rhs /= norms
            coef = _solve(gram, rhs[..., None])[..., 0]
            rss = (runs - np.einsum("sabi,sabi->sab", coef, rhs)).reshape(count, -1)
            constants = (coef / norms).reshape(count, -1, 3)                   # (E, A, B)
        positive = (constants > 0).all(axis=2) & np.isfinite(rss)
        ranked = np.where(positive, rss, np.inf)
        ranked = np.where(positive.any(axis=1, keepdims=True), ranked,
                          np.where(np.isfinite(rss), rss, np.inf))
        best = np.argmin(ranked, axis=1)
        chosen = constants[np.arange(count), best]
        tiny = 1e-12 * np.exp(ll.min(axis=1))[:, None]
        with np.errstate(all="ignore"):
            logs = np.log(np.where(np.isfinite(chosen) & (chosen > tiny), chosen, tiny))
        starts[rows] = np.column_stack([logs[:, 1], logs[:, 2], logs[:, 0],
                                        exponents[best // size], exponents[best % size]])
    return starts


def _bootstrap(data, theta: Array, index: NDArray[np.int64], delta: float,
               max_iter: int = 3000) -> tuple[dict[str, Array], int]:
    """Refit every resample afresh, all at once: row r sees the runs ``index[r]``.

    Each resample is fitted afresh from the best point of its own exponent profile
    (:func:`_profile_starts`), by reweighted least squares to convergence (or ``max_iter``);
    where the full-data optimum has a lower objective on the resample than that refit
    reached, or the fresh refit did not converge, the resample is refitted from there too, and
    keeps the lower optimum. A resample
    whose optimum lies in another basin, or far along a flat valley, finds it, instead of
    staying near the full-data optimum.

    Returns the replicates of each named parameter (see :class:`Approach3Fit`) and how many
    kept refits did not converge."""
    def solve(rows: NDArray[np.int64]) -> tuple[Array, NDArray[np.bool_]]:
        resampled = tuple(d[rows] for d in data)
        fitted, value, converged = _batched_irls(_profile_starts(resampled), resampled, delta,
                                                 max_iter=max_iter, tol=BOOTSTRAP_TOLERANCE)
        # The full-data optimum as a second start, wherever it starts lower than the fresh
        # refit ended (another basin), or the fresh refit stopped at max_iter.
        at_optimum = _objective(np.repeat(theta[None, :], rows.shape[0], axis=0), *resampled,
                                delta)
        again = np.flatnonzero((at_optimum < value) | ~converged)
        if again.size:
            second, second_value, second_converged = _batched_irls(
                np.repeat(theta[None, :], again.size, axis=0), _take(resampled, again), delta,
                max_iter=max_iter, tol=BOOTSTRAP_TOLERANCE)
            better = second_value < value[again]
            fitted[again[better]] = second[better]
            converged[again[better]] = second_converged[better]
        return fitted, converged

    parts = _in_parallel(solve, index)
    fitted = np.concatenate([p[0] for p in parts])
    unconverged = int(sum((~p[1]).sum() for p in parts))
    log_a, log_b, log_e, alpha, beta = fitted.T
    with np.errstate(all="ignore"):
        samples = {"E": np.exp(log_e), "A": np.exp(log_a), "B": np.exp(log_b), "alpha": alpha,
                   "beta": beta, "optimal_params_exponent": beta / (alpha + beta),
                   "optimal_tokens_exponent": alpha / (alpha + beta)}
    return samples, unconverged


def _check_starts(starts: object) -> Array:
    """``starts`` as finite rows (a, b, e, alpha, beta), one row per start."""
    candidates = np.atleast_2d(as_finite_array("starts", starts))
    if candidates.ndim != 2 or candidates.shape[1] != 5:
        raise ValueError(f"starts must be finite rows (a, b, e, alpha, beta); got shape "
                         f"{candidates.shape}")
    return candidates


def fit_approach3_loop(runs: Runs | IsoFlopRuns, *, starts: Array | None = None,
                       delta: float = HUBER_DELTA) -> tuple[Array, float]:
    """The plain procedure: one ``scipy.optimize.minimize(method="L-BFGS-B")`` per start
    (with the analytic gradient), keeping the best. Slow; kept for comparison.

    Returns
    -------
    (ndarray, float)
        The best (a, b, e, alpha, beta) and its objective.
    """
    from scipy.optimize import minimize

    runs = as_runs(runs)
    data = _prepare(runs)
    delta = single("delta", as_positive_array("delta", delta))
    grid = hoffmann_initial_grid() if starts is None else _check_starts(starts)
    best_theta, best_value = grid[0], np.inf
    for start in grid:
        result = minimize(lambda p: tuple(v[0] for v in huber_objective(p, *data, delta)),
                          start, jac=True, method="L-BFGS-B")
        if np.isfinite(result.fun) and result.fun < best_value:
            best_theta, best_value = np.asarray(result.x), float(result.fun)
    return best_theta, best_value


@dataclass(frozen=True)
class ScipyFit(FitResult):
    """One run of a SciPy optimiser on the Approach 3 objective, scaled.

    Attributes
    ----------
    law
        The law where the optimiser stopped.
    theta
        (log A, log B, log E, alpha, beta) where it stopped.
    objective
        The *summed* Huber loss there (whatever scale the optimiser saw), so that runs at
        different scales compare.
    converged, n_iter, message
        Whether SciPy's stopping test was met, the iterations the optimiser took, and why it
        stopped, as SciPy reports it. No bootstrap: ``samples`` is empty.
    """

    law: ChinchillaLaw
    theta: Array
    objective: float

    @property
    def estimates(self) -> dict[str, float]:
        """E, A, B, alpha, beta and the allocation exponents where the optimiser stopped."""
        return _chinchilla_estimates(self.law)


def fit_approach3_scipy(runs: Runs | IsoFlopRuns, start: Array, *, objective_scale: float = 1.0,
                        method: str = "L-BFGS-B", delta: float = HUBER_DELTA) -> ScipyFit:
    """Minimise ``objective_scale`` times the summed Huber loss with ``scipy.optimize.minimize``
    from one start, with SciPy's default tolerances, and report where it stopped.

    SciPy's L-BFGS-B stops when the objective's decrease per iteration, relative to
    ``max(|f|, 1)``, falls below about 2.2e-9, or when every gradient component falls below 1e-5.
    The gradient test is absolute, and so is the decrease test when ``|f| < 1``: multiplying
    the objective by a small number (``objective_scale = 1/n``, the mean over n runs instead of
    the sum) shrinks the decrease and the gradient alike and makes the optimiser stop sooner,
    further from the optimum. Besiroglu et al. (2024) name such a "poor choice of
    loss scale" as the reason Hoffmann et al.'s optimiser stopped before converging.

    Parameters
    ----------
    runs
        The training runs, or an IsoFLOP design (its ``.runs``).
    start
        The initial (log A, log B, log E, alpha, beta).
    objective_scale
        Factor applied to the summed Huber loss (> 0): 1 / len(runs) gives the mean.
    method
        A gradient method of ``scipy.optimize.minimize``: ``"L-BFGS-B"`` or ``"BFGS"``.
    delta
        Huber threshold on log-loss residuals (> 0).
    """
    from scipy.optimize import minimize

    runs = as_runs(runs)
    data = _prepare(runs)
    scale = float(as_positive_array("objective_scale", objective_scale))
    delta = single("delta", as_positive_array("delta", delta))
    if method not in ("L-BFGS-B", "BFGS"):
        raise ValueError(f"method must be 'L-BFGS-B' or 'BFGS'; got {method!r}")
    theta0 = np.asarray(start, dtype=float)
    if theta0.shape != (5,) or not np.isfinite(theta0).all():
        raise ValueError(f"start must be 5 finite values (log A, log B, log E, alpha, beta); "
                         f"got {start!r}")

    def scaled(theta: Array) -> tuple[float, Array]:
        value, grad = huber_objective(theta, *data, delta)
        return float(value[0]) * scale, grad[0] * scale

    result = minimize(scaled, theta0, jac=True, method=method)
    theta = np.asarray(result.x, dtype=float)
    value = float(huber_objective(theta, *data, delta)[0][0])
    return ScipyFit(_law(theta, f"scipy {method}, objective x {scale:.3g}"), theta, value,
                    converged=bool(result.success), n_iter=int(result.nit),
                    message=str(result.message))


def t_test_p_values(estimates: Array, reference: Array, standard_errors: Array,
                    dof: float) -> Array:
    """Two-sided p-values of t = (estimate - reference) / standard error, t with ``dof``
    degrees of freedom: how surprising each reference value is under the estimate.

    Parameters
    ----------
    estimates, reference, standard_errors
        Arrays of one shape; standard errors > 0.
    dof
        Degrees of freedom (> 0), for n runs and five fitted constants n - 5.

    Examples
    --------
    >>> float(t_test_p_values([1.0], [1.0], [0.1], 10)[0])
    1.0
    """
    from scipy.stats import t

    est = as_finite_array("estimates", estimates)
    ref = as_finite_array("reference", reference)
    se = as_positive_array("standard_errors", standard_errors)
    if est.shape != ref.shape:
        raise ValueError(f"estimates and reference must be finite arrays of one shape; got "
                         f"shapes {est.shape} and {ref.shape}")
    check_broadcast(estimates=est, standard_errors=se)
    freedom = single("dof", as_positive_array("dof", dof))
    return 2.0 * t.sf(np.abs(est - ref) / se, freedom)


@dataclass(frozen=True)
class LikelihoodFit(FitResult):
    """Approach 3 as a maximum-likelihood fit with a Huber error density of fitted scale.

    Attributes
    ----------
    law
        The fitted law.
    theta
        (a, b, e, alpha, beta).
    scale
        The fitted scale s of the residuals log L - log L_hat.
    negative_log_likelihood
        sum huber_delta(r / s) + n log s, without the constant n log Z(delta).
    converged, n_iter, message
        Whether the alternation stopped because the constants stopped moving, after how many
        rounds, and a sentence saying so. No bootstrap: ``samples`` is empty.
    """

    law: ChinchillaLaw
    theta: Array
    scale: float
    negative_log_likelihood: float

    @property
    def estimates(self) -> dict[str, float]:
        """E, A, B, alpha, beta and the allocation exponents of the fitted law."""
        return _chinchilla_estimates(self.law)


def _residuals(theta: Array, data) -> Array:
    lse, _ = _lse_and_jacobian(theta[None, :], data[0], data[1])
    return data[2] - lse[0]


def fit_approach3_likelihood(runs: Runs | IsoFlopRuns, *, delta: float = HUBER_DELTA,
                             start: Approach3Fit | None = None,
                             max_rounds: int = 100) -> LikelihoodFit:
    """Besiroglu et al.'s estimator: maximise a Huber likelihood with a free scale.

    The residuals r = log L - log L_hat are modelled as s times Huber-distributed errors, so
    the negative log-likelihood is sum huber_delta(r/s) + n log s (plus a constant). Because
    huber_delta(r/s) = huber_(delta s)(r) / s^2, for a fixed scale this is Approach 3 with
    threshold delta s; the fit alternates that (by reweighted least squares, to convergence)
    with the one-dimensional minimisation over s.

    Parameters
    ----------
    runs
        The training runs, or an IsoFLOP design (its ``.runs``).
    delta
        Huber threshold of the standardised error (> 0).
    start
        An Approach 3 fit to start from (default: :func:`fit_approach3` on the runs).
    max_rounds
        Alternations allowed (>= 1).
    """
    from scipy.optimize import minimize_scalar

    runs = as_runs(runs)
    data = _prepare(runs)
    delta = single("delta", as_positive_array("delta", delta))
    rounds = check_positive_int("max_rounds", max_rounds)
    theta = (start or fit_approach3(runs, delta=delta)).theta.copy()
    count = len(runs)

    def scale_objective(log_scale: float, residual: Array) -> float:
        loss = _huber(residual / np.exp(log_scale), delta)
        return float(loss.sum() + count * log_scale)

    residual = _residuals(theta, data)
    log_scale = float(np.log(np.median(np.abs(residual)) + 1e-300))
    converged, done = False, 0
    while done < rounds:
        done += 1
        log_scale = minimize_scalar(scale_objective, args=(residual,),
                                    bounds=(log_scale - 10, log_scale + 10), method="bounded",
                                    options={"xatol": 1e-12}).x
        fitted, _, _ = _batched_irls(theta[None, :], data, delta * np.exp(log_scale),
                                     tol=0.0, max_iter=3000)
        moved = float(np.max(np.abs(fitted[0] - theta)))
        theta = fitted[0]
        residual = _residuals(theta, data)
        if moved < 1e-12:
            converged = True
            break
    message = ("the constants moved less than 1e-12 in the last round" if converged else
               f"max_rounds={rounds} reached before the constants stopped moving")
    return LikelihoodFit(_law(theta, "approach 3, Huber likelihood"), theta,
                         float(np.exp(log_scale)), scale_objective(log_scale, residual),
                         converged=converged, n_iter=done, message=message)
